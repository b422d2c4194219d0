//! Hardening: an e-mail is unique among an event's live registrations only (a cancelled or
//! rejected address can register again); manage tokens have a generation (a delegate replaces
//! a leaked one); erased registrations are marked; badge revocations carry a per-event
//! sequence taken under the event row's lock, so scanners that ask "after N" never miss a
//! commit; scan nonces are scoped to the token that sent them and kept with a fingerprint of
//! the scan they answered; retention purges find old rows by index; a signing key can be
//! retired (its badges stop being accepted).

use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261201_000008_hardening"
    }
}

/// The statuses of a live registration (the unique e-mail index covers these only).
const LIVE: &str = "status IN ('confirmed', 'waitlisted', 'pending')";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        // SQLite takes one change per ALTER TABLE.
        let columns: Vec<(Alias, ColumnDef)> = vec![
            (
                Alias::new("registrations"),
                integer(Alias::new("manage_generation"))
                    .default(0)
                    .to_owned(),
            ),
            (
                Alias::new("registrations"),
                timestamp_with_time_zone_null(Alias::new("erased_at")),
            ),
            (
                Alias::new("registrations"),
                big_integer_null(Alias::new("revoked_seq")),
            ),
            (
                Alias::new("events"),
                big_integer(Alias::new("revocation_seq"))
                    .default(0)
                    .to_owned(),
            ),
            (Alias::new("scans"), uuid_null(Alias::new("sender"))),
            (
                Alias::new("signing_keys"),
                timestamp_with_time_zone_null(Alias::new("retired_at")),
            ),
            (
                Alias::new("scans"),
                string_len_null(Alias::new("fingerprint"), 64),
            ),
        ];
        for (table, mut column) in columns {
            manager
                .alter_table(
                    Table::alter()
                        .table(table)
                        .add_column(&mut column)
                        .to_owned(),
                )
                .await?;
        }
        // Revocations made before this migration come first, in their old order.
        db.execute_unprepared(
            "UPDATE registrations SET revoked_seq = 0 \
             WHERE status IN ('cancelled', 'rejected')",
        )
        .await?;

        manager
            .drop_index(
                Index::drop()
                    .name("ux_registrations_event_email")
                    .table(Alias::new("registrations"))
                    .to_owned(),
            )
            .await?;
        db.execute_unprepared(&format!(
            "CREATE UNIQUE INDEX ux_registrations_event_live_email \
             ON registrations (event_id, email_normalized) WHERE {LIVE}"
        ))
        .await?;
        db.execute_unprepared(
            "CREATE INDEX ix_registrations_revoked ON registrations (event_id, revoked_seq)",
        )
        .await?;

        manager
            .drop_index(
                Index::drop()
                    .name("ux_scans_device_nonce")
                    .table(Alias::new("scans"))
                    .to_owned(),
            )
            .await?;
        db.execute_unprepared("CREATE UNIQUE INDEX ux_scans_sender_nonce ON scans (sender, nonce)")
            .await?;
        db.execute_unprepared("CREATE INDEX ix_scans_recorded_at ON scans (recorded_at)")
            .await?;
        db.execute_unprepared(
            "CREATE INDEX ix_idempotency_keys_created_at ON idempotency_keys (created_at)",
        )
        .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        for index in [
            "ix_idempotency_keys_created_at",
            "ix_scans_recorded_at",
            "ux_scans_sender_nonce",
            "ix_registrations_revoked",
            "ux_registrations_event_live_email",
        ] {
            db.execute_unprepared(&format!("DROP INDEX {index}"))
                .await?;
        }
        db.execute_unprepared(
            "CREATE UNIQUE INDEX ux_scans_device_nonce ON scans (event_id, device, nonce)",
        )
        .await?;
        // Only one registration per address can stay once the index covers every status.
        db.execute_unprepared(
            "DELETE FROM registrations WHERE status IN ('cancelled', 'rejected') AND EXISTS \
             (SELECT 1 FROM registrations live WHERE live.event_id = registrations.event_id \
              AND live.email_normalized = registrations.email_normalized \
              AND live.id <> registrations.id)",
        )
        .await?;
        db.execute_unprepared(
            "CREATE UNIQUE INDEX ux_registrations_event_email \
             ON registrations (event_id, email_normalized)",
        )
        .await?;
        for (table, column) in [
            ("signing_keys", "retired_at"),
            ("scans", "fingerprint"),
            ("scans", "sender"),
            ("events", "revocation_seq"),
            ("registrations", "revoked_seq"),
            ("registrations", "erased_at"),
            ("registrations", "manage_generation"),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Alias::new(table))
                        .drop_column(Alias::new(column))
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
