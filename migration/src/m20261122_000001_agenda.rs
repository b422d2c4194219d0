//! The agenda: API tokens, events, tracks, rooms, speakers, sessions and the tombstones
//! of deleted published sessions (calendar feeds publish them as cancelled).

use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261122_000001_agenda"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Events::Table)
                    .col(uuid(Events::Id).primary_key())
                    .col(string_len_uniq(Events::Slug, 64))
                    .col(string(Events::Title))
                    .col(string(Events::Kind))
                    .col(text_null(Events::Description))
                    .col(string_null(Events::Venue))
                    .col(string_null(Events::City))
                    .col(string_null(Events::Country))
                    .col(string(Events::Timezone))
                    .col(date(Events::StartsOn))
                    .col(date(Events::EndsOn))
                    .col(integer_null(Events::Capacity))
                    .col(integer(Events::SeatsTaken).default(0))
                    .col(string(Events::RegistrationMode))
                    .col(timestamp_with_time_zone_null(Events::RegistrationOpensAt))
                    .col(timestamp_with_time_zone_null(Events::RegistrationClosesAt))
                    .col(boolean(Events::WaitlistEnabled))
                    .col(string(Events::Status))
                    .col(timestamp_with_time_zone(Events::CreatedAt))
                    .col(timestamp_with_time_zone(Events::UpdatedAt))
                    .col(timestamp_with_time_zone(Events::AgendaUpdatedAt))
                    .col(big_integer(Events::AgendaVersion).default(0))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(ApiTokens::Table)
                    .col(uuid(ApiTokens::Id).primary_key())
                    .col(string_len_uniq(ApiTokens::TokenHash, 64))
                    .col(string(ApiTokens::Role))
                    .col(uuid_null(ApiTokens::EventId))
                    .col(string(ApiTokens::Label))
                    .col(timestamp_with_time_zone(ApiTokens::CreatedAt))
                    .col(timestamp_with_time_zone_null(ApiTokens::RevokedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(ApiTokens::Table, ApiTokens::EventId)
                            .to(Events::Table, Events::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Tracks::Table)
                    .col(uuid(Tracks::Id).primary_key())
                    .col(uuid(Tracks::EventId))
                    .col(string(Tracks::Name))
                    .col(string_null(Tracks::Color))
                    .col(text_null(Tracks::Description))
                    .foreign_key(&mut event_fk(Tracks::Table, Tracks::EventId))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "ix_tracks_event",
            Tracks::Table,
            &[Tracks::EventId],
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(Rooms::Table)
                    .col(uuid(Rooms::Id).primary_key())
                    .col(uuid(Rooms::EventId))
                    .col(string(Rooms::Name))
                    .col(integer_null(Rooms::Capacity))
                    .col(text_null(Rooms::Description))
                    .foreign_key(&mut event_fk(Rooms::Table, Rooms::EventId))
                    .to_owned(),
            )
            .await?;
        index(manager, "ix_rooms_event", Rooms::Table, &[Rooms::EventId]).await?;

        manager
            .create_table(
                Table::create()
                    .table(Speakers::Table)
                    .col(uuid(Speakers::Id).primary_key())
                    .col(uuid(Speakers::EventId))
                    .col(string(Speakers::FullName))
                    .col(string_null(Speakers::Position))
                    .col(string_null(Speakers::Organization))
                    .col(string_null(Speakers::Country))
                    .col(text_null(Speakers::Bio))
                    .col(string_null(Speakers::PhotoUrl))
                    .col(string_null(Speakers::Email))
                    .foreign_key(&mut event_fk(Speakers::Table, Speakers::EventId))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "ix_speakers_event",
            Speakers::Table,
            &[Speakers::EventId],
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(Sessions::Table)
                    .col(uuid(Sessions::Id).primary_key())
                    .col(uuid(Sessions::EventId))
                    .col(string(Sessions::Title))
                    .col(text_null(Sessions::Abstract))
                    .col(string(Sessions::Kind))
                    .col(uuid_null(Sessions::TrackId))
                    .col(uuid_null(Sessions::RoomId))
                    .col(timestamp_with_time_zone(Sessions::StartsAt))
                    .col(timestamp_with_time_zone(Sessions::EndsAt))
                    .col(string(Sessions::Language))
                    .col(integer_null(Sessions::Capacity))
                    .col(integer(Sessions::SeatsTaken).default(0))
                    .col(string(Sessions::Status))
                    .col(integer(Sessions::Sequence))
                    .col(timestamp_with_time_zone(Sessions::CreatedAt))
                    .col(timestamp_with_time_zone(Sessions::UpdatedAt))
                    .foreign_key(&mut event_fk(Sessions::Table, Sessions::EventId))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Sessions::Table, Sessions::TrackId)
                            .to(Tracks::Table, Tracks::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Sessions::Table, Sessions::RoomId)
                            .to(Rooms::Table, Rooms::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "ix_sessions_event_start",
            Sessions::Table,
            &[Sessions::EventId, Sessions::StartsAt],
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(SessionSpeakers::Table)
                    .col(uuid(SessionSpeakers::SessionId))
                    .col(uuid(SessionSpeakers::SpeakerId))
                    .col(integer(SessionSpeakers::Position))
                    .primary_key(
                        Index::create()
                            .col(SessionSpeakers::SessionId)
                            .col(SessionSpeakers::SpeakerId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(SessionSpeakers::Table, SessionSpeakers::SessionId)
                            .to(Sessions::Table, Sessions::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(SessionSpeakers::Table, SessionSpeakers::SpeakerId)
                            .to(Speakers::Table, Speakers::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "ix_session_speakers_speaker",
            SessionSpeakers::Table,
            &[SessionSpeakers::SpeakerId],
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(SessionTombstones::Table)
                    .col(uuid(SessionTombstones::Id).primary_key())
                    .col(uuid(SessionTombstones::EventId))
                    .col(uuid_null(SessionTombstones::TrackId))
                    .col(string(SessionTombstones::Title))
                    .col(timestamp_with_time_zone(SessionTombstones::StartsAt))
                    .col(timestamp_with_time_zone(SessionTombstones::EndsAt))
                    .col(integer(SessionTombstones::Sequence))
                    .col(timestamp_with_time_zone(SessionTombstones::DeletedAt))
                    .foreign_key(&mut event_fk(
                        SessionTombstones::Table,
                        SessionTombstones::EventId,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "ix_session_tombstones_event",
            SessionTombstones::Table,
            &[SessionTombstones::EventId],
        )
        .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            SessionTombstones::Table.into_iden(),
            SessionSpeakers::Table.into_iden(),
            Sessions::Table.into_iden(),
            Speakers::Table.into_iden(),
            Rooms::Table.into_iden(),
            Tracks::Table.into_iden(),
            ApiTokens::Table.into_iden(),
            Events::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

/// A foreign key from `table.column` to `events.id` that cascades on delete.
fn event_fk<T: IntoIden + Copy, C: IntoIden>(table: T, column: C) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(table, column)
        .to(Events::Table, Events::Id)
        .on_delete(ForeignKeyAction::Cascade)
        .to_owned()
}

async fn index<T: IntoIden + Copy, C: IntoIden + Copy>(
    manager: &SchemaManager<'_>,
    name: &str,
    table: T,
    columns: &[C],
) -> Result<(), DbErr> {
    let mut statement = Index::create();
    statement.name(name).table(table);
    for column in columns {
        statement.col(*column);
    }
    manager.create_index(statement.to_owned()).await
}

#[derive(DeriveIden, Clone, Copy)]
pub enum Events {
    Table,
    Id,
    Slug,
    Title,
    Kind,
    Description,
    Venue,
    City,
    Country,
    Timezone,
    StartsOn,
    EndsOn,
    Capacity,
    SeatsTaken,
    RegistrationMode,
    RegistrationOpensAt,
    RegistrationClosesAt,
    WaitlistEnabled,
    Status,
    CreatedAt,
    UpdatedAt,
    AgendaUpdatedAt,
    AgendaVersion,
}

#[derive(DeriveIden, Clone, Copy)]
pub enum ApiTokens {
    Table,
    Id,
    TokenHash,
    Role,
    EventId,
    Label,
    CreatedAt,
    RevokedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum Tracks {
    Table,
    Id,
    EventId,
    Name,
    Color,
    Description,
}

#[derive(DeriveIden, Clone, Copy)]
enum Rooms {
    Table,
    Id,
    EventId,
    Name,
    Capacity,
    Description,
}

#[derive(DeriveIden, Clone, Copy)]
enum Speakers {
    Table,
    Id,
    EventId,
    FullName,
    Position,
    Organization,
    Country,
    Bio,
    PhotoUrl,
    Email,
}

#[derive(DeriveIden, Clone, Copy)]
pub enum Sessions {
    Table,
    Id,
    EventId,
    Title,
    Abstract,
    Kind,
    TrackId,
    RoomId,
    StartsAt,
    EndsAt,
    Language,
    Capacity,
    SeatsTaken,
    Status,
    Sequence,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum SessionSpeakers {
    Table,
    SessionId,
    SpeakerId,
    Position,
}

#[derive(DeriveIden, Clone, Copy)]
enum SessionTombstones {
    Table,
    Id,
    EventId,
    TrackId,
    Title,
    StartsAt,
    EndsAt,
    Sequence,
    DeletedAt,
}
