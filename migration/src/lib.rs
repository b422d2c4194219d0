//! Database schema of Dialogue, one migration per step.
//!
//! Every migration runs on SQLite and on PostgreSQL. Tables use UUID primary keys, UTC
//! timestamps and plain text columns for enumerations (the domain layer parses them).

pub use sea_orm_migration::prelude::*;

mod m20261122_000001_agenda;
mod m20261122_000002_registrations;
mod m20261122_000003_checkins;
mod m20261130_000004_journal;
mod m20261201_000005_scan_decisions;
mod m20261201_000006_languages;
mod m20261201_000007_outbox;
mod m20261201_000008_hardening;
mod m20261202_000009_console;
mod m20261207_000010_exports;
mod m20261207_000011_certificates;
mod m20261207_000012_categories;
mod m20261207_000013_countries;

/// Runs every migration of Dialogue in order.
pub struct Migrator;

impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261122_000001_agenda::Migration),
            Box::new(m20261122_000002_registrations::Migration),
            Box::new(m20261122_000003_checkins::Migration),
            Box::new(m20261130_000004_journal::Migration),
            Box::new(m20261201_000005_scan_decisions::Migration),
            Box::new(m20261201_000006_languages::Migration),
            Box::new(m20261201_000007_outbox::Migration),
            Box::new(m20261201_000008_hardening::Migration),
            Box::new(m20261202_000009_console::Migration),
            Box::new(m20261207_000010_exports::Migration),
            Box::new(m20261207_000011_certificates::Migration),
            Box::new(m20261207_000012_categories::Migration),
            Box::new(m20261207_000013_countries::Migration),
        ]
    }
}
