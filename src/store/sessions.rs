//! Sessions: reads with their speakers, writes that check references and clashes inside the
//! transaction that holds the event's agenda lock, and deletion that leaves a tombstone for
//! calendar feeds when the session had been public.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait,
    DatabaseConnection, EntityTrait, ExprTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, TransactionTrait,
};
use uuid::Uuid;

use entities::{rooms, session_speakers, session_tombstones, sessions, speakers, tracks};

use super::events::touch_agenda;
use super::journal;
use super::pagination::After;
use crate::domain::enums::SessionStatus;
use crate::domain::happened::{Happened, session_changes};
use crate::domain::session::{Scheduled, SessionFields, find_clashes};
use crate::domain::validation::ValidationErrors;
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

async fn with_speakers<C: ConnectionTrait>(
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

/// Checks that the track, room and speakers belong to the event.
async fn check_references<C: ConnectionTrait>(
    db: &C,
    event_id: Uuid,
    fields: &SessionFields,
) -> Result<(), AppError> {
    let mut errors = ValidationErrors::new();
    if let Some(track) = fields.track_id {
        let found = tracks::Entity::find_by_id(track)
            .filter(tracks::Column::EventId.eq(event_id))
            .count(db)
            .await?;
        if found == 0 {
            errors.add("track_id", "no such track in this event");
        }
    }
    if let Some(room) = fields.room_id {
        let found = rooms::Entity::find_by_id(room)
            .filter(rooms::Column::EventId.eq(event_id))
            .count(db)
            .await?;
        if found == 0 {
            errors.add("room_id", "no such room in this event");
        }
    }
    if !fields.speaker_ids.is_empty() {
        let known: Vec<Uuid> = speakers::Entity::find()
            .select_only()
            .column(speakers::Column::Id)
            .filter(speakers::Column::EventId.eq(event_id))
            .filter(speakers::Column::Id.is_in(fields.speaker_ids.iter().copied()))
            .into_tuple()
            .all(db)
            .await?;
        for id in fields.speaker_ids.iter().filter(|id| !known.contains(id)) {
            errors.add("speaker_ids", format!("no speaker {id} in this event"));
        }
    }
    errors.into_result(()).map_err(AppError::from)
}

/// Sessions of the event that overlap `[start, end)` in time, other than `except`.
async fn scheduled_around<C: ConnectionTrait>(
    db: &C,
    event_id: Uuid,
    except: Option<Uuid>,
    (start, end): (DateTime<Utc>, DateTime<Utc>),
) -> Result<Vec<Scheduled>, AppError> {
    let mut query = sessions::Entity::find()
        .filter(sessions::Column::EventId.eq(event_id))
        .filter(sessions::Column::Status.ne(SessionStatus::Cancelled.as_str()))
        .filter(sessions::Column::StartsAt.lt(end))
        .filter(sessions::Column::EndsAt.gt(start))
        .order_by_asc(sessions::Column::StartsAt);
    if let Some(id) = except {
        query = query.filter(sessions::Column::Id.ne(id));
    }
    let rows = with_speakers(db, query.all(db).await?).await?;
    Ok(rows
        .into_iter()
        .map(|row| Scheduled {
            id: row.session.id,
            title: row.session.title,
            room_id: row.session.room_id,
            starts_at: row.session.starts_at,
            ends_at: row.session.ends_at,
            speaker_ids: row.speaker_ids,
        })
        .collect())
}

/// Creates (`current` None) or replaces a session. References and clashes are checked inside
/// the transaction, after the event's agenda lock is taken, so two organizers cannot book the
/// same room at once. `sequence` grows by one (in the database) when a calendar user would see
/// the change from the row as it is under that lock.
pub async fn save(
    db: &DatabaseConnection,
    event_id: Uuid,
    current: Option<&SessionRow>,
    fields: &SessionFields,
    allow_overlap: bool,
) -> Result<(SessionRow, Vec<Happened>), AppError> {
    let now = Utc::now();
    let mut happened = Vec::new();
    let txn = db.begin().await?;
    touch_agenda(&txn, event_id, now).await?;
    check_references(&txn, event_id, fields).await?;
    if !allow_overlap && fields.occupies_room_and_speakers() {
        let others = scheduled_around(
            &txn,
            event_id,
            current.map(|row| row.session.id),
            (fields.starts_at, fields.ends_at),
        )
        .await?;
        let clashes = find_clashes(fields, &others);
        if let Some(first) = clashes.first() {
            let detail = format!(
                "the session clashes with {:?} ({}); pass ?allow_overlap=true to keep both",
                first.title, first.session_id
            );
            return Err(AppError::Conflict { detail, clashes });
        }
    }
    let mut model = sessions::ActiveModel {
        event_id: Set(event_id),
        title: Set(fields.title.clone()),
        r#abstract: Set(fields.r#abstract.clone()),
        kind: Set(fields.kind.as_str().to_owned()),
        track_id: Set(fields.track_id),
        room_id: Set(fields.room_id),
        starts_at: Set(fields.starts_at),
        ends_at: Set(fields.ends_at),
        language: Set(fields.language.clone()),
        capacity: Set(fields.capacity),
        status: Set(fields.status.as_str().to_owned()),
        updated_at: Set(now),
        ..Default::default()
    };
    let saved = match current {
        Some(seen) => {
            // Read again under the agenda lock: `sequence`, the seats and the speakers are
            // compared with the row as it is now, not as the request saw it.
            let row = find(&txn, event_id, seen.session.id)
                .await?
                .ok_or(AppError::NotFound("session"))?;
            let seats_taken = row.session.seats_taken;
            if let Some(capacity) = fields.capacity
                && capacity < seats_taken
            {
                return Err(AppError::conflict(format!(
                    "capacity cannot drop below the {seats_taken} seats already taken"
                )));
            }
            let visible = row_fields(&row)?.visible_change(fields);
            model.id = Set(row.session.id);
            model.update(&txn).await?;
            if visible {
                bump_sequence(&txn, row.session.id).await?;
            }
            if row.speaker_ids != fields.speaker_ids {
                session_speakers::Entity::delete_many()
                    .filter(session_speakers::Column::SessionId.eq(row.session.id))
                    .exec(&txn)
                    .await?;
                insert_speakers(&txn, row.session.id, &fields.speaker_ids).await?;
            }
            super::seats::promote_session(&txn, row.session.id, &mut happened).await?;
            let saved = sessions::Entity::find_by_id(row.session.id)
                .one(&txn)
                .await?
                .ok_or(AppError::NotFound("session"))?;
            happened.extend(session_changes(
                saved.id,
                saved.sequence,
                &row_fields(&row)?,
                fields,
            ));
            saved
        }
        None => {
            model.id = Set(Uuid::now_v7());
            model.sequence = Set(0);
            model.seats_taken = Set(0);
            model.created_at = Set(now);
            let saved = model.insert(&txn).await?;
            insert_speakers(&txn, saved.id, &fields.speaker_ids).await?;
            saved
        }
    };
    journal::record(&txn, event_id, &happened).await?;
    txn.commit().await?;
    Ok((
        SessionRow {
            session: saved,
            speaker_ids: fields.speaker_ids.clone(),
        },
        happened,
    ))
}

/// Raises a session's `sequence` by one in the database itself, so concurrent changes each
/// count, whatever they read before.
async fn bump_sequence<C: ConnectionTrait>(db: &C, session_id: Uuid) -> Result<(), AppError> {
    sessions::Entity::update_many()
        .col_expr(
            sessions::Column::Sequence,
            Expr::col(sessions::Column::Sequence).add(1),
        )
        .filter(sessions::Column::Id.eq(session_id))
        .exec(db)
        .await?;
    Ok(())
}

async fn insert_speakers<C: ConnectionTrait>(
    db: &C,
    session_id: Uuid,
    speaker_ids: &[Uuid],
) -> Result<(), AppError> {
    if speaker_ids.is_empty() {
        return Ok(());
    }
    let rows = speaker_ids
        .iter()
        .enumerate()
        .map(|(position, speaker_id)| session_speakers::ActiveModel {
            session_id: Set(session_id),
            speaker_id: Set(*speaker_id),
            position: Set(position as i32),
        });
    session_speakers::Entity::insert_many(rows).exec(db).await?;
    Ok(())
}

/// The domain view of a stored session.
pub fn row_fields(row: &SessionRow) -> Result<SessionFields, AppError> {
    let s = &row.session;
    Ok(SessionFields {
        title: s.title.clone(),
        r#abstract: s.r#abstract.clone(),
        kind: s
            .kind
            .parse()
            .map_err(|e| AppError::Internal(format!("{e}")))?,
        track_id: s.track_id,
        room_id: s.room_id,
        starts_at: s.starts_at,
        ends_at: s.ends_at,
        language: s.language.clone(),
        capacity: s.capacity,
        speaker_ids: row.speaker_ids.clone(),
        status: s
            .status
            .parse()
            .map_err(|e| AppError::Internal(format!("{e}")))?,
    })
}

/// Deletes a session. One that the public could see (published or cancelled) leaves a
/// tombstone with a higher sequence, so calendar feeds can publish it as cancelled. The
/// session is read again under the agenda lock, so the tombstone follows its last change.
pub async fn delete(
    db: &DatabaseConnection,
    event_id: Uuid,
    seen: &SessionRow,
) -> Result<Vec<Happened>, AppError> {
    let now = Utc::now();
    let txn = db.begin().await?;
    touch_agenda(&txn, event_id, now).await?;
    let row = find(&txn, event_id, seen.session.id)
        .await?
        .ok_or(AppError::NotFound("session"))?;
    let session = &row.session;
    let mut happened = Vec::new();
    if session.status == SessionStatus::Published.as_str() {
        happened.push(Happened::SessionCancelled {
            session: session.id,
            sequence: session.sequence + 1,
        });
    }
    if session.status != SessionStatus::Draft.as_str() {
        session_tombstones::ActiveModel {
            id: Set(session.id),
            event_id: Set(event_id),
            track_id: Set(session.track_id),
            title: Set(session.title.clone()),
            starts_at: Set(session.starts_at),
            ends_at: Set(session.ends_at),
            sequence: Set(session.sequence + 1),
            deleted_at: Set(now),
        }
        .insert(&txn)
        .await?;
    }
    sessions::Entity::delete_by_id(session.id)
        .exec(&txn)
        .await?;
    journal::record(&txn, event_id, &happened).await?;
    txn.commit().await?;
    Ok(happened)
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
