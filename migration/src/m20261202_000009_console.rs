//! The organizer console's sign-ins: one row per browser session, found by the hash of the
//! secret its cookie carries, tied to the organizer token it was opened with (revoking or
//! deleting the token ends it on every instance), and ending at a fixed time.

use sea_orm_migration::{prelude::*, schema::*};

use super::m20261122_000001_agenda::ApiTokens;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261202_000009_console"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ConsoleSessions::Table)
                    .col(uuid(ConsoleSessions::Id).primary_key())
                    .col(string_len_uniq(ConsoleSessions::SecretHash, 64))
                    .col(uuid(ConsoleSessions::TokenId))
                    .col(timestamp_with_time_zone(ConsoleSessions::CreatedAt))
                    .col(timestamp_with_time_zone(ConsoleSessions::ExpiresAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(ConsoleSessions::Table, ConsoleSessions::TokenId)
                            .to(ApiTokens::Table, ApiTokens::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_console_sessions_token")
                    .table(ConsoleSessions::Table)
                    .col(ConsoleSessions::TokenId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_console_sessions_expires")
                    .table(ConsoleSessions::Table)
                    .col(ConsoleSessions::ExpiresAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ConsoleSessions::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
pub enum ConsoleSessions {
    Table,
    Id,
    SecretHash,
    TokenId,
    CreatedAt,
    ExpiresAt,
}
