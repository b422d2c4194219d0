//! Dialogue: event and conference management for the interregional Dialogue on digital
//! cooperation in Ashgabat, its seminars and training courses.
//!
//! A guided tour, in the order data flows (`api` → `domain` and `store` → `entities`):
//!
//! - [`config`]: settings from flags and the environment.
//! - [`application`]: `Application::build`: pools, keys, caches and background tasks (used by
//!   `main`, tests and benches alike); `AppState`, what front ends and use cases share.
//! - [`api`]: HTTP only, one module per OpenAPI tag; checks rights, converts types, calls `store`.
//! - [`domain`]: the rules (validation, clashes, local days, tokens), free of HTTP and SQL.
//! - [`store`]: queries and transactions over sea-orm on SQLite or PostgreSQL.
//! - [`error`]: one error type and its single mapping to problem+json.
//! - [`calendar`]: iCalendar rendering (RFC 5545) of sessions for the feeds.
//! - [`cache`]: rendered agendas and feeds, keyed by the event's agenda version.
//! - [`verified_codes`]: badge codes whose signature this instance has already checked.
//! - [`badge`]: printable badges (SVG and PNG) with the QR code of the badge code.
//! - [`bootstrap`]: first-start work: the initial organizer token and the demo data.

pub mod api;
pub mod app;
pub mod application;
pub mod badge;
pub mod bootstrap;
pub mod cache;
pub mod calendar;
pub mod config;
pub mod domain;
pub mod error;
pub mod store;
pub mod verified_codes;

pub use api::endpoint::build_app;
pub use application::{AppState, Application};
pub use config::Config;
