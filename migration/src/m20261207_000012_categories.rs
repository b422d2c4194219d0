//! Categories per event, and the end of answering old nonces: each event may say which
//! categories the public may choose (with a badge colour and names in its languages); an event
//! without rows keeps the defaults (`delegate` and `observer` public). Scans kept before nonces
//! were scoped to tokens lose their nonce, so nothing answers a reused nonce by the free-text
//! device name any more.

use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261207_000012_categories"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(EventCategories::Table)
                    .col(uuid(EventCategories::EventId))
                    .col(string_len(EventCategories::Key, 16))
                    .col(boolean(EventCategories::Public))
                    .col(string_len_null(EventCategories::Color, 7))
                    .col(json_binary(EventCategories::Translations).default("{}"))
                    .col(integer(EventCategories::Position).default(0))
                    .primary_key(
                        Index::create()
                            .col(EventCategories::EventId)
                            .col(EventCategories::Key),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(EventCategories::Table, EventCategories::EventId)
                            .to(Alias::new("events"), Alias::new("id"))
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .get_connection()
            .execute_unprepared(
                "UPDATE scans SET nonce = NULL WHERE sender IS NULL AND nonce IS NOT NULL",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(EventCategories::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
pub enum EventCategories {
    Table,
    EventId,
    Key,
    Public,
    Color,
    Translations,
    Position,
}
