//! Integration tests over HTTP against a real database: each test runs on SQLite and on
//! PostgreSQL (see `helpers::db_test!`).

mod helpers;

mod agenda;
mod auth;
mod bootstrap;
mod calendar;
mod categories;
mod certificates;
mod checkins;
mod command_line;
mod concurrency;
mod console;
mod declared_statuses;
mod delegate_pages;
mod drawing;
mod events;
mod hardening;
mod journal;
mod languages;
mod limits;
mod mail;
mod malformed;
mod openapi;
mod operations;
mod pages;
mod print;
mod programme;
mod registrations;
mod review_holes;
mod scan_audit;
mod scanner_js;
mod scanner_tokens;
mod schedule_exports;
mod sessions;
mod smtp;
mod visitor;
mod wording;
