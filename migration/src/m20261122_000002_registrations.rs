//! Registrations: delegates, their session choices, idempotency records of registration
//! requests, and the server secret from which delegates' tokens are derived.

use sea_orm_migration::{prelude::*, schema::*};

use super::m20261122_000001_agenda::{Events, Sessions};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261122_000002_registrations"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ServerSecrets::Table)
                    .col(string_len(ServerSecrets::Name, 64).primary_key())
                    .col(string(ServerSecrets::Value))
                    .col(timestamp_with_time_zone(ServerSecrets::CreatedAt))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Registrations::Table)
                    .col(uuid(Registrations::Id).primary_key())
                    .col(uuid(Registrations::EventId))
                    .col(string(Registrations::FullName))
                    .col(string(Registrations::Email))
                    .col(string(Registrations::EmailNormalized))
                    .col(string_null(Registrations::Organization))
                    .col(string_null(Registrations::Position))
                    .col(string_null(Registrations::Country))
                    .col(string(Registrations::Category))
                    .col(string(Registrations::Locale))
                    .col(text(Registrations::SearchText))
                    .col(string(Registrations::Status))
                    .col(string_len_uniq(Registrations::ManageTokenHash, 64))
                    .col(integer(Registrations::CalendarGeneration).default(0))
                    .col(timestamp_with_time_zone(Registrations::QueuedAt))
                    .col(timestamp_with_time_zone(Registrations::CreatedAt))
                    .col(timestamp_with_time_zone(Registrations::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Registrations::Table, Registrations::EventId)
                            .to(Events::Table, Events::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_registrations_event_email")
                    .table(Registrations::Table)
                    .col(Registrations::EventId)
                    .col(Registrations::EmailNormalized)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_registrations_queue")
                    .table(Registrations::Table)
                    .col(Registrations::EventId)
                    .col(Registrations::Status)
                    .col(Registrations::QueuedAt)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(RegistrationSessions::Table)
                    .col(uuid(RegistrationSessions::RegistrationId))
                    .col(uuid(RegistrationSessions::SessionId))
                    .col(string(RegistrationSessions::Status))
                    .col(timestamp_with_time_zone(RegistrationSessions::QueuedAt))
                    .primary_key(
                        Index::create()
                            .col(RegistrationSessions::RegistrationId)
                            .col(RegistrationSessions::SessionId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(
                                RegistrationSessions::Table,
                                RegistrationSessions::RegistrationId,
                            )
                            .to(Registrations::Table, Registrations::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(RegistrationSessions::Table, RegistrationSessions::SessionId)
                            .to(Sessions::Table, Sessions::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_registration_sessions_queue")
                    .table(RegistrationSessions::Table)
                    .col(RegistrationSessions::SessionId)
                    .col(RegistrationSessions::Status)
                    .col(RegistrationSessions::QueuedAt)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(IdempotencyKeys::Table)
                    .col(uuid(IdempotencyKeys::EventId))
                    .col(string_len(IdempotencyKeys::Key, 200))
                    .col(string_len(IdempotencyKeys::RequestHash, 64))
                    .col(uuid(IdempotencyKeys::RegistrationId))
                    .col(integer(IdempotencyKeys::Status))
                    .col(text(IdempotencyKeys::Response))
                    .col(timestamp_with_time_zone(IdempotencyKeys::CreatedAt))
                    .primary_key(
                        Index::create()
                            .col(IdempotencyKeys::EventId)
                            .col(IdempotencyKeys::Key),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(IdempotencyKeys::Table, IdempotencyKeys::EventId)
                            .to(Events::Table, Events::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            IdempotencyKeys::Table.into_iden(),
            RegistrationSessions::Table.into_iden(),
            Registrations::Table.into_iden(),
            ServerSecrets::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum ServerSecrets {
    Table,
    Name,
    Value,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
pub enum Registrations {
    Table,
    Id,
    EventId,
    FullName,
    Email,
    EmailNormalized,
    Organization,
    Position,
    Country,
    Category,
    Locale,
    SearchText,
    Status,
    ManageTokenHash,
    CalendarGeneration,
    QueuedAt,
    CreatedAt,
    UpdatedAt,
    NameSearch,
}

#[derive(DeriveIden, Clone, Copy)]
enum RegistrationSessions {
    Table,
    RegistrationId,
    SessionId,
    Status,
    QueuedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum IdempotencyKeys {
    Table,
    EventId,
    Key,
    RequestHash,
    RegistrationId,
    Status,
    Response,
    CreatedAt,
}
