//! The scan audit keeps decisions, not rendered answers: what a scan was answered (`answered`,
//! which a later offline scan does not change, unlike `result`) and its times. A repeated nonce
//! is answered from these by the front end that receives it. The rendered JSON and the HTTP
//! status that were kept before are turned into these columns and dropped.

use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261201_000005_scan_decisions"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite takes one change per ALTER TABLE.
        for column in [
            string(Scans::Answered).default("").to_owned(),
            timestamp_with_time_zone_null(Scans::CheckedInAt),
            timestamp_with_time_zone_null(Scans::FirstCheckedInAt),
        ] {
            let mut column = column;
            manager
                .alter_table(
                    Table::alter()
                        .table(Scans::Table)
                        .add_column(&mut column)
                        .to_owned(),
                )
                .await?;
        }
        // What earlier scans were answered: an `ok` that a later offline scan turned into
        // `already_checked_in` was answered `ok` (its stored status was 200).
        let db = manager.get_connection();
        db.execute_unprepared(
            "UPDATE scans SET answered = CASE WHEN http_status = 200 THEN 'ok' ELSE result END",
        )
        .await?;
        db.execute_unprepared(
            "UPDATE scans SET \
             checked_in_at = CASE WHEN answered = 'ok' THEN scanned_at END, \
             first_checked_in_at = (SELECT p.first_entry_at FROM presence p \
                 WHERE p.registration_id = scans.registration_id AND p.scope = scans.scope) \
             WHERE answered IN ('ok', 'already_checked_in')",
        )
        .await?;
        db.execute_unprepared(
            "UPDATE scans SET checked_in_at = first_checked_in_at \
             WHERE answered = 'already_checked_in'",
        )
        .await?;
        for column in [Scans::HttpStatus, Scans::Response] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Scans::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [
            integer(Scans::HttpStatus).default(200).to_owned(),
            text(Scans::Response).default("{}").to_owned(),
        ] {
            let mut column = column;
            manager
                .alter_table(
                    Table::alter()
                        .table(Scans::Table)
                        .add_column(&mut column)
                        .to_owned(),
                )
                .await?;
        }
        for column in [Scans::Answered, Scans::CheckedInAt, Scans::FirstCheckedInAt] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Scans::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Scans {
    Table,
    Answered,
    CheckedInAt,
    FirstCheckedInAt,
    HttpStatus,
    Response,
}
