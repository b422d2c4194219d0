//! The journal: what happened to registrations and sessions (domain events), written in the
//! transaction that made it happen. The e-mail outbox and the audit read from here.

use sea_orm_migration::{prelude::*, schema::*};

use super::m20261122_000001_agenda::Events;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261130_000004_journal"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Journal::Table)
                    .col(uuid(Journal::Id).primary_key())
                    .col(uuid(Journal::EventId))
                    .col(string(Journal::Kind))
                    .col(string(Journal::Key))
                    .col(uuid_null(Journal::RegistrationId))
                    .col(uuid_null(Journal::SessionId))
                    .col(string_null(Journal::Status))
                    .col(timestamp_with_time_zone(Journal::OccurredAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Journal::Table, Journal::EventId)
                            .to(Events::Table, Events::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_journal_event")
                    .table(Journal::Table)
                    .col(Journal::EventId)
                    .col(Journal::OccurredAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Journal::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
pub enum Journal {
    Table,
    Id,
    EventId,
    Kind,
    Key,
    RegistrationId,
    SessionId,
    Status,
    OccurredAt,
}
