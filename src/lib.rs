//! Dialogue: event and conference management for the interregional Dialogue on digital
//! cooperation in Ashgabat, its seminars and training courses.
//!
//! A guided tour, in the order data flows (a front end → `app` → `domain` and `store` →
//! `entities`):
//!
//! - [`config`]: settings from flags and the environment.
//! - [`application`]: `Application::build`: pools, keys, caches and background tasks (used by
//!   `main`, tests and benches alike); `AppState`, what front ends and use cases share.
//! - [`api`]: the JSON API, a front end: one module per OpenAPI tag, translating between API
//!   types and the use cases; `api::problem` maps errors to problem+json, `api::document`
//!   keeps the OpenAPI document true.
//! - [`web`]: the web pages, a front end: public pages, the registration form and the
//!   delegate's page in three languages (askama, Fluent).
//! - [`app`]: the use cases every front end calls: tokens, keys, who calls, events, tracks,
//!   rooms and speakers, sessions, registrations, check-in, and the agenda and feed read
//!   models. Each owns its transaction (`app::work`) and empties the caches it affects; the
//!   registration and scan queues make many use cases' changes in one transaction.
//! - [`domain`]: the rules (validation, clashes, local days, tokens, what happened, values
//!   parsed once), free of HTTP and SQL.
//! - [`store`]: repositories over sea-orm on SQLite or PostgreSQL: queries, locks,
//!   conditional updates and the journal's rows; they never begin or commit.
//! - [`batcher`]: one generic batcher for grouped work (registrations, scans, token look-ups).
//! - [`error`]: the use cases' error, with no HTTP in it.
//! - [`calendar`]: iCalendar rendering (RFC 5545) of sessions for the feeds.
//! - [`cache`]: rendered agendas and feeds, keyed by the event's agenda version.
//! - [`verified_codes`]: badge codes whose signature this instance has already checked.
//! - [`i18n`]: the interface's words in tk, ru and en (Fluent), for pages, badges and feeds.
//! - [`mail`]: e-mail to delegates: the outbox's sender, transports, messages.
//! - [`limits`]: per-client rate limits on public writes and failed token look-ups.
//! - [`metrics`]: Prometheus metrics of the process (`GET /metrics`).
//! - [`net`]: connection limits and the header timeout, around the listener.
//! - [`sealing`]: secrets kept in the database, sealed with a master key that is not.
//! - [`badge`]: printable badges (SVG and PNG) with the QR code of the badge code.
//! - [`print`]: PDF documents: badge sheets, one badge, the printable agenda (krilla).
//! - [`schedule`]: the schedule for conference apps (frab `schedule.xml`, c3voc `schedule.json`).
//! - [`bootstrap`]: the demo programme (its Turkmen and Russian texts in `bootstrap_texts`).

pub mod allocator;
pub mod api;
pub mod app;
pub mod application;
pub mod background;
pub mod badge;
pub mod batcher;
pub mod bootstrap;
mod bootstrap_texts;
pub mod cache;
pub mod calendar;
pub mod certificate;
pub mod config;
pub mod domain;
pub mod error;
pub mod i18n;
pub mod limits;
pub mod mail;
pub mod metrics;
pub mod net;
pub mod pdf_cache;
pub mod print;
pub mod schedule;
pub mod sealing;
pub mod store;
pub mod verified_codes;
pub mod web;
pub mod work_pool;

pub use api::endpoint::build_app;
pub use application::{AppState, Application};
pub use config::Config;
