//! Sessions as read: one or a page or all of an event's, with their speakers in billing
//! order, the domain view of a stored session, and the tombstones of deleted public ones.
//! Writes are `session_changes`.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};
use uuid::Uuid;

use entities::{session_speakers, session_tombstones, sessions};

use super::pagination::After;
use crate::domain::enums::SessionStatus;
use crate::domain::session::SessionFields;
use crate::error::AppError;

/// A session with its speakers in billing order.
#[derive(Debug, Clone)]
pub struct SessionRow {
    pub session: sessions::Model,
    pub speaker_ids: Vec<Uuid>,
}

/// What to list.
#[derive(Debug, Clone, Default)]
pub struct SessionFilter {
    pub statuses: Vec<SessionStatus>,
    /// Only these sessions.
    pub ids: Option<Vec<Uuid>>,
    pub track_id: Option<Uuid>,
    pub room_id: Option<Uuid>,
    pub speaker_id: Option<Uuid>,
    pub language: Option<String>,
    pub starts_from: Option<DateTime<Utc>>,
    pub starts_before: Option<DateTime<Utc>>,
}

/// The speakers of each of `session_ids`, in billing order.
pub async fn speaker_ids_of<C: ConnectionTrait>(
    db: &C,
    session_ids: &[Uuid],
) -> Result<HashMap<Uuid, Vec<Uuid>>, AppError> {
    let mut by_session: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
    for chunk in session_ids.chunks(500) {
        let rows = session_speakers::Entity::find()
            .filter(session_speakers::Column::SessionId.is_in(chunk.iter().copied()))
            .order_by_asc(session_speakers::Column::SessionId)
            .order_by_asc(session_speakers::Column::Position)
            .all(db)
            .await?;
        for row in rows {
            by_session
                .entry(row.session_id)
                .or_default()
                .push(row.speaker_id);
        }
    }
    Ok(by_session)
}

/// `sessions` with their speakers, in billing order.
pub(super) async fn with_speakers<C: ConnectionTrait>(
    db: &C,
    sessions: Vec<sessions::Model>,
) -> Result<Vec<SessionRow>, AppError> {
    let ids: Vec<Uuid> = sessions.iter().map(|s| s.id).collect();
    let mut speakers = speaker_ids_of(db, &ids).await?;
    Ok(sessions
        .into_iter()
        .map(|session| SessionRow {
            speaker_ids: speakers.remove(&session.id).unwrap_or_default(),
            session,
        })
        .collect())
}

/// A session of `event_id` with its speakers.
pub async fn find<C: ConnectionTrait>(
    db: &C,
    event_id: Uuid,
    id: Uuid,
) -> Result<Option<SessionRow>, AppError> {
    let session = sessions::Entity::find_by_id(id)
        .filter(sessions::Column::EventId.eq(event_id))
        .one(db)
        .await?;
    match session {
        Some(session) => Ok(with_speakers(db, vec![session]).await?.pop()),
        None => Ok(None),
    }
}

fn filtered(event_id: Uuid, filter: &SessionFilter) -> sea_orm::Select<sessions::Entity> {
    let mut query = sessions::Entity::find().filter(sessions::Column::EventId.eq(event_id));
    if !filter.statuses.is_empty() {
        query = query
            .filter(sessions::Column::Status.is_in(filter.statuses.iter().map(|s| s.as_str())));
    }
    if let Some(ids) = &filter.ids {
        query = query.filter(sessions::Column::Id.is_in(ids.iter().copied()));
    }
    if let Some(track) = filter.track_id {
        query = query.filter(sessions::Column::TrackId.eq(track));
    }
    if let Some(room) = filter.room_id {
        query = query.filter(sessions::Column::RoomId.eq(room));
    }
    if let Some(language) = &filter.language {
        query = query.filter(sessions::Column::Language.eq(language.as_str()));
    }
    if let Some(from) = filter.starts_from {
        query = query.filter(sessions::Column::StartsAt.gte(from));
    }
    if let Some(before) = filter.starts_before {
        query = query.filter(sessions::Column::StartsAt.lt(before));
    }
    if let Some(speaker) = filter.speaker_id {
        let subquery = sea_orm::sea_query::Query::select()
            .column(session_speakers::Column::SessionId)
            .from(session_speakers::Entity)
            .and_where(session_speakers::Column::SpeakerId.eq(speaker))
            .to_owned();
        query = query.filter(sessions::Column::Id.in_subquery(subquery));
    }
    query
        .order_by_asc(sessions::Column::StartsAt)
        .order_by_asc(sessions::Column::Id)
}

/// One page of sessions matching `filter`, by start time.
pub async fn list<C: ConnectionTrait>(
    db: &C,
    event_id: Uuid,
    filter: &SessionFilter,
    after: Option<(DateTime<Utc>, Uuid)>,
    limit: u64,
) -> Result<Vec<SessionRow>, AppError> {
    let mut query = filtered(event_id, filter).limit(limit);
    if let Some((at, id)) = after {
        query = query.filter(
            Condition::any().add(sessions::Column::StartsAt.gt(at)).add(
                Condition::all()
                    .add(sessions::Column::StartsAt.eq(at))
                    .add(sessions::Column::Id.gt(id)),
            ),
        );
    }
    let sessions = query.all(db).await?;
    with_speakers(db, sessions).await
}

/// Every session matching `filter`, by start time (for the agenda and feeds).
pub async fn all<C: ConnectionTrait>(
    db: &C,
    event_id: Uuid,
    filter: &SessionFilter,
) -> Result<Vec<SessionRow>, AppError> {
    let sessions = filtered(event_id, filter).all(db).await?;
    with_speakers(db, sessions).await
}

/// The position after a session, for the next page's cursor.
pub fn cursor_of(row: &SessionRow) -> After {
    After::Time(row.session.starts_at, row.session.id)
}

/// A session of the event that would fall outside `[start, end)`, if any.
pub async fn first_outside<C: ConnectionTrait>(
    db: &C,
    event_id: Uuid,
    (start, end): (DateTime<Utc>, DateTime<Utc>),
) -> Result<Option<sessions::Model>, AppError> {
    Ok(sessions::Entity::find()
        .filter(sessions::Column::EventId.eq(event_id))
        .filter(
            Condition::any()
                .add(sessions::Column::StartsAt.lt(start))
                .add(sessions::Column::EndsAt.gt(end)),
        )
        .order_by_asc(sessions::Column::StartsAt)
        .one(db)
        .await?)
}

/// The domain view of a stored session.
pub fn row_fields(row: &SessionRow) -> Result<SessionFields, AppError> {
    let s = &row.session;
    Ok(SessionFields {
        title: s.title.clone(),
        r#abstract: s.r#abstract.clone(),
        kind: s.kind,
        track_id: s.track_id,
        room_id: s.room_id,
        starts_at: s.starts_at,
        ends_at: s.ends_at,
        language: s.language.clone(),
        capacity: s.capacity,
        speaker_ids: row.speaker_ids.clone(),
        status: s.status,
        translations: s.translations.clone(),
    })
}

/// Tombstones of an event's deleted public sessions.
pub async fn tombstones<C: ConnectionTrait>(
    db: &C,
    event_id: Uuid,
) -> Result<Vec<session_tombstones::Model>, AppError> {
    Ok(session_tombstones::Entity::find()
        .filter(session_tombstones::Column::EventId.eq(event_id))
        .order_by_asc(session_tombstones::Column::StartsAt)
        .all(db)
        .await?)
}
