//! Schedule exports (frab `schedule.xml`, c3voc `schedule.json`): every session gets an integer
//! number allocated once and never reused (conference apps key events by it), from a sequence
//! the database keeps (SQLite `AUTOINCREMENT`, PostgreSQL `serial`), so a deleted session's
//! number is never handed out again; rooms get a position, the order every export and the
//! console's day view list them in.

use sea_orm_migration::{prelude::*, schema::*};

use super::m20261122_000001_agenda::Sessions;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261207_000010_exports"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        manager
            .create_table(
                Table::create()
                    .table(SessionNumbers::Table)
                    .col(
                        integer(SessionNumbers::Number)
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(uuid_uniq(SessionNumbers::SessionId))
                    .foreign_key(
                        ForeignKey::create()
                            .from(SessionNumbers::Table, SessionNumbers::SessionId)
                            .to(Sessions::Table, Sessions::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        // Sessions of earlier releases are numbered in time order, event by event.
        db.execute_unprepared(
            "INSERT INTO session_numbers (session_id) \
             SELECT id FROM sessions ORDER BY event_id, starts_at, id",
        )
        .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Alias::new("rooms"))
                    .add_column(integer(Alias::new("position")).default(0).to_owned())
                    .to_owned(),
            )
            .await?;
        // Rooms of earlier releases keep the order they were created in (ids are UUIDv7).
        db.execute_unprepared(
            "UPDATE rooms SET position = (SELECT COUNT(*) FROM rooms AS earlier \
             WHERE earlier.event_id = rooms.event_id AND earlier.id < rooms.id)",
        )
        .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Alias::new("rooms"))
                    .drop_column(Alias::new("position"))
                    .to_owned(),
            )
            .await?;
        manager
            .drop_table(Table::drop().table(SessionNumbers::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
pub enum SessionNumbers {
    Table,
    Number,
    SessionId,
}
