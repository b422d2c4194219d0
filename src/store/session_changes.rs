//! Session writes: creating and replacing a session with references and clashes checked
//! inside the transaction that holds the event's agenda lock, and deletion that leaves a
//! tombstone for calendar feeds when the session had been public.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseTransaction,
    EntityTrait, ExprTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};
use uuid::Uuid;

use entities::{rooms, session_speakers, session_tombstones, sessions, speakers, tracks};

use super::events::touch_agenda;
use super::sessions::{SessionRow, find, row_fields, with_speakers};
use crate::domain::enums::SessionStatus;
use crate::domain::happened::{Happened, session_changes};
use crate::domain::session::{Scheduled, SessionFields, find_clashes};
use crate::domain::validation::ValidationErrors;
use crate::error::AppError;

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
    txn: &DatabaseTransaction,
    event_id: Uuid,
    current: Option<&SessionRow>,
    fields: &SessionFields,
    allow_overlap: bool,
) -> Result<(SessionRow, Vec<Happened>), AppError> {
    let now = Utc::now();
    let mut happened = Vec::new();
    touch_agenda(txn, event_id, now).await?;
    check_references(txn, event_id, fields).await?;
    if !allow_overlap && fields.occupies_room_and_speakers() {
        let others = scheduled_around(
            txn,
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
            return Err(AppError::Refused(crate::error::Refusal {
                reason: crate::domain::refusal::Reason::Clash,
                detail,
                clashes,
            }));
        }
    }
    let mut model = sessions::ActiveModel {
        event_id: Set(event_id),
        title: Set(fields.title.clone()),
        r#abstract: Set(fields.r#abstract.clone()),
        kind: Set(fields.kind),
        track_id: Set(fields.track_id),
        room_id: Set(fields.room_id),
        starts_at: Set(fields.starts_at),
        ends_at: Set(fields.ends_at),
        language: Set(fields.language.clone()),
        capacity: Set(fields.capacity),
        status: Set(fields.status),
        translations: Set(fields.translations.clone()),
        updated_at: Set(now),
        ..Default::default()
    };
    let saved = match current {
        Some(seen) => {
            // Read again under the agenda lock: `sequence`, the seats and the speakers are
            // compared with the row as it is now, not as the request saw it.
            let row = find(txn, event_id, seen.session.id)
                .await?
                .ok_or(AppError::NotFound("session"))?;
            let seats_taken = row.session.seats_taken;
            if let Some(capacity) = fields.capacity
                && capacity < seats_taken
            {
                return Err(AppError::refused(format!(
                    "capacity cannot drop below the {seats_taken} seats already taken"
                )));
            }
            let visible = row_fields(&row)?.visible_change(fields);
            model.id = Set(row.session.id);
            model.update(txn).await?;
            if visible {
                bump_sequence(txn, row.session.id).await?;
            }
            if row.speaker_ids != fields.speaker_ids {
                session_speakers::Entity::delete_many()
                    .filter(session_speakers::Column::SessionId.eq(row.session.id))
                    .exec(txn)
                    .await?;
                insert_speakers(txn, row.session.id, &fields.speaker_ids).await?;
            }
            super::seats::promote_session(txn, row.session.id, &mut happened).await?;
            let saved = sessions::Entity::find_by_id(row.session.id)
                .one(txn)
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
            let saved = model.insert(txn).await?;
            super::session_numbers::allocate(txn, saved.id).await?;
            insert_speakers(txn, saved.id, &fields.speaker_ids).await?;
            saved
        }
    };
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

/// Deletes a session. One that the public could see (published or cancelled) leaves a
/// tombstone with a higher sequence, so calendar feeds can publish it as cancelled. The
/// session is read again under the agenda lock, so the tombstone follows its last change.
pub async fn delete(
    txn: &DatabaseTransaction,
    event_id: Uuid,
    seen: &SessionRow,
) -> Result<Vec<Happened>, AppError> {
    let now = Utc::now();
    touch_agenda(txn, event_id, now).await?;
    let row = find(txn, event_id, seen.session.id)
        .await?
        .ok_or(AppError::NotFound("session"))?;
    let session = &row.session;
    let mut happened = Vec::new();
    if session.status == SessionStatus::Published {
        happened.push(Happened::SessionCancelled {
            session: session.id,
            sequence: session.sequence + 1,
        });
    }
    if session.status != SessionStatus::Draft {
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
        .insert(txn)
        .await?;
    }
    // The delegates signed up are told now: deleting the session deletes their choices.
    let told: Vec<(Uuid, Happened)> = happened.iter().map(|h| (event_id, *h)).collect();
    super::outbox::enqueue(txn, &told).await?;
    sessions::Entity::delete_by_id(session.id).exec(txn).await?;
    Ok(happened)
}
