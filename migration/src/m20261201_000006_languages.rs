//! Content in several languages: an event's default language and the languages it is offered
//! in, and on events, tracks, rooms, speakers and sessions their texts in other languages
//! (`translations`: `{"ru": {"title": "…"}, "en": {…}}`, JSON).

use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261201_000006_languages"
    }
}

#[derive(DeriveIden)]
enum Events {
    Table,
    DefaultLanguage,
    Languages,
}

#[derive(DeriveIden)]
enum Translated {
    Translations,
}

/// The tables whose texts can be translated.
const TABLES: [&str; 5] = ["events", "tracks", "rooms", "speakers", "sessions"];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite takes one change per ALTER TABLE.
        for table in TABLES {
            manager
                .alter_table(
                    Table::alter()
                        .table(Alias::new(table))
                        .add_column(json_binary(Translated::Translations).default("{}"))
                        .to_owned(),
                )
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table(Events::Table)
                    .add_column(string(Events::DefaultLanguage).default("tk"))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Events::Table)
                    .add_column(json_binary(Events::Languages).default(r#"["tk","ru","en"]"#))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [Events::Languages, Events::DefaultLanguage] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Events::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        for table in TABLES {
            manager
                .alter_table(
                    Table::alter()
                        .table(Alias::new(table))
                        .drop_column(Translated::Translations)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
