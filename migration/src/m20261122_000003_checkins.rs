//! Badges and check-in: signing keys for badge codes, the audit log of every scan, and the
//! presence of each registration in each scope (a local day at the venue, or a session).

use sea_orm_migration::{prelude::*, schema::*};

use super::m20261122_000001_agenda::Events;
use super::m20261122_000002_registrations::Registrations;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261122_000003_checkins"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // Staff look attendees up by name only (never by e-mail).
        manager
            .alter_table(
                Table::alter()
                    .table(Registrations::Table)
                    .add_column(text(Registrations::NameSearch).default(""))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(SigningKeys::Table)
                    .col(integer(SigningKeys::Kid).primary_key())
                    .col(string(SigningKeys::SecretKey))
                    .col(string(SigningKeys::PublicKey))
                    .col(boolean(SigningKeys::Active))
                    .col(timestamp_with_time_zone(SigningKeys::CreatedAt))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Scans::Table)
                    .col(uuid(Scans::Id).primary_key())
                    .col(uuid(Scans::EventId))
                    .col(uuid_null(Scans::RegistrationId))
                    .col(uuid_null(Scans::SessionId))
                    .col(string_null(Scans::Scope))
                    .col(string(Scans::Direction))
                    .col(string(Scans::Result))
                    .col(boolean(Scans::Admission).default(false))
                    .col(string(Scans::Device))
                    .col(string_null(Scans::Nonce))
                    .col(string(Scans::CodeExcerpt))
                    .col(timestamp_with_time_zone(Scans::ScannedAt))
                    .col(timestamp_with_time_zone(Scans::RecordedAt))
                    .col(integer(Scans::HttpStatus))
                    .col(text(Scans::Response))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Scans::Table, Scans::EventId)
                            .to(Events::Table, Events::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_scans_device_nonce")
                    .table(Scans::Table)
                    .col(Scans::EventId)
                    .col(Scans::Device)
                    .col(Scans::Nonce)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_scans_registration")
                    .table(Scans::Table)
                    .col(Scans::RegistrationId)
                    .col(Scans::Scope)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Presence::Table)
                    .col(uuid(Presence::RegistrationId))
                    .col(string(Presence::Scope))
                    .col(uuid(Presence::EventId))
                    .col(boolean(Presence::Inside))
                    .col(timestamp_with_time_zone(Presence::FirstEntryAt))
                    .col(uuid(Presence::FirstScanId))
                    .col(timestamp_with_time_zone(Presence::UpdatedAt))
                    .primary_key(
                        Index::create()
                            .col(Presence::RegistrationId)
                            .col(Presence::Scope),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Presence::Table, Presence::RegistrationId)
                            .to(Registrations::Table, Registrations::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_presence_event_scope")
                    .table(Presence::Table)
                    .col(Presence::EventId)
                    .col(Presence::Scope)
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Registrations::Table)
                    .drop_column(Registrations::NameSearch)
                    .to_owned(),
            )
            .await?;
        for table in [
            Presence::Table.into_iden(),
            Scans::Table.into_iden(),
            SigningKeys::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum SigningKeys {
    Table,
    Kid,
    SecretKey,
    PublicKey,
    Active,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum Scans {
    Table,
    Id,
    EventId,
    RegistrationId,
    SessionId,
    Scope,
    Direction,
    Result,
    Admission,
    Device,
    Nonce,
    CodeExcerpt,
    ScannedAt,
    RecordedAt,
    HttpStatus,
    Response,
}

#[derive(DeriveIden, Clone, Copy)]
enum Presence {
    Table,
    RegistrationId,
    Scope,
    EventId,
    Inside,
    FirstEntryAt,
    FirstScanId,
    UpdatedAt,
}
