//! Seats, decided in the database. Every change that can take or free a seat of an event runs
//! in one transaction that first locks the event's row (`lock_event`: a row lock on
//! PostgreSQL, the write lock on SQLite), then takes seats with conditional updates
//! (`seats_taken = seats_taken + 1 WHERE seats_taken < capacity`, checking rows affected), and
//! fills freed seats from the waiting lists before it commits. Locks are always taken in the
//! same order (event, registrations, sessions by id), so concurrent changes cannot deadlock.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait, ExprTrait, QueryFilter,
    QueryOrder, QuerySelect,
};
use uuid::Uuid;

use entities::{events, registration_sessions, registrations, sessions};

use crate::domain::enums::{ChoiceStatus, RegistrationStatus};
use crate::domain::happened::Happened;
use crate::error::AppError;

/// The update that locks an event's row and changes nothing in it.
fn lock_of(event_id: Uuid) -> sea_orm::UpdateMany<events::Entity> {
    events::Entity::update_many()
        .col_expr(
            events::Column::SeatsTaken,
            Expr::col(events::Column::SeatsTaken),
        )
        .filter(events::Column::Id.eq(event_id))
}

/// Locks the event's row for the rest of the transaction. Run it first.
pub async fn lock_event<C: ConnectionTrait>(db: &C, event_id: Uuid) -> Result<(), AppError> {
    let result = lock_of(event_id).exec(db).await?;
    if result.rows_affected == 0 {
        return Err(AppError::NotFound("event"));
    }
    Ok(())
}

/// Locks the event's row (as [`lock_event`]) and returns it as it is now, read under the
/// lock: every write of an event or of its agenda takes this lock, so the row cannot change
/// until the transaction ends. Decisions that depend on the event are made from this row.
pub async fn lock_event_row<C: ConnectionTrait>(
    db: &C,
    event_id: Uuid,
) -> Result<events::Model, AppError> {
    // The lock and the read in one statement (`UPDATE … RETURNING`): one round trip less on
    // every write that decides from the event.
    lock_of(event_id)
        .exec_with_returning(db)
        .await?
        .pop()
        .ok_or(AppError::NotFound("event"))
}

/// Takes one of the event's seats if one is free (or the event is unlimited).
pub async fn take_event_seat<C: ConnectionTrait>(db: &C, event_id: Uuid) -> Result<bool, AppError> {
    take_event_seats(db, event_id, 1).await
}

/// Adds the `count` seats a group of registrations took, as counted from the event's row read
/// under its lock (which no other transaction can change before this one ends); the capacity
/// is checked again by the database, so a miscount fails the transaction instead of
/// overfilling.
pub async fn add_event_seats<C: ConnectionTrait>(
    db: &C,
    event_id: Uuid,
    count: i32,
) -> Result<(), AppError> {
    if count == 0 || take_event_seats(db, event_id, count).await? {
        return Ok(());
    }
    Err(AppError::unexpected(
        "the event's seats changed under its lock",
    ))
}

/// Takes `count` of the event's seats if that many are free (or the event is unlimited): one
/// conditional update, so the database decides.
async fn take_event_seats<C: ConnectionTrait>(
    db: &C,
    event_id: Uuid,
    count: i32,
) -> Result<bool, AppError> {
    let result = events::Entity::update_many()
        .col_expr(
            events::Column::SeatsTaken,
            Expr::col(events::Column::SeatsTaken).add(count),
        )
        .filter(events::Column::Id.eq(event_id))
        .filter(
            Condition::any()
                .add(events::Column::Capacity.is_null())
                .add(
                    Expr::col(events::Column::SeatsTaken)
                        .add(count)
                        .lte(Expr::col(events::Column::Capacity)),
                ),
        )
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

/// Gives one of the event's seats back.
pub async fn release_event_seat<C: ConnectionTrait>(
    db: &C,
    event_id: Uuid,
) -> Result<(), AppError> {
    events::Entity::update_many()
        .col_expr(
            events::Column::SeatsTaken,
            Expr::col(events::Column::SeatsTaken).sub(1),
        )
        .filter(events::Column::Id.eq(event_id))
        .filter(events::Column::SeatsTaken.gt(0))
        .exec(db)
        .await?;
    Ok(())
}

/// Takes a seat of a session if one is free (or it has no capacity).
pub async fn take_session_seat<C: ConnectionTrait>(
    db: &C,
    session_id: Uuid,
) -> Result<bool, AppError> {
    let result = sessions::Entity::update_many()
        .col_expr(
            sessions::Column::SeatsTaken,
            Expr::col(sessions::Column::SeatsTaken).add(1),
        )
        .filter(sessions::Column::Id.eq(session_id))
        .filter(
            Condition::any()
                .add(sessions::Column::Capacity.is_null())
                .add(
                    Expr::col(sessions::Column::SeatsTaken)
                        .lt(Expr::col(sessions::Column::Capacity)),
                ),
        )
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

/// Gives a seat of a session back.
pub async fn release_session_seat<C: ConnectionTrait>(
    db: &C,
    session_id: Uuid,
) -> Result<(), AppError> {
    sessions::Entity::update_many()
        .col_expr(
            sessions::Column::SeatsTaken,
            Expr::col(sessions::Column::SeatsTaken).sub(1),
        )
        .filter(sessions::Column::Id.eq(session_id))
        .filter(sessions::Column::SeatsTaken.gt(0))
        .exec(db)
        .await?;
    Ok(())
}

/// Sets a registration's status if it is still `from`; returns whether it changed.
pub async fn set_status_if<C: ConnectionTrait>(
    db: &C,
    registration_id: Uuid,
    from: RegistrationStatus,
    to: RegistrationStatus,
    now: DateTime<Utc>,
) -> Result<bool, AppError> {
    let mut update = registrations::Entity::update_many()
        .col_expr(registrations::Column::Status, Expr::value(to.as_str()))
        .col_expr(registrations::Column::UpdatedAt, Expr::value(now));
    if to == RegistrationStatus::Waitlisted {
        update = update.col_expr(registrations::Column::QueuedAt, Expr::value(now));
    }
    let result = update
        .filter(registrations::Column::Id.eq(registration_id))
        .filter(registrations::Column::Status.eq(from.as_str()))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

/// What happened to each chosen session when seats were claimed.
pub type Claimed = Vec<(Uuid, ChoiceStatus)>;

/// Claims a seat in each session (in id order) for a confirmed registration: `confirmed` when
/// a seat was free, else `waitlisted` when the event keeps waiting lists, else an error naming
/// the full session (the caller's transaction then changes nothing).
pub async fn claim_sessions<C: ConnectionTrait>(
    db: &C,
    session_ids: &[Uuid],
    waitlist_enabled: bool,
) -> Result<Claimed, AppError> {
    let mut sorted = session_ids.to_vec();
    sorted.sort();
    let mut claimed = Vec::with_capacity(sorted.len());
    for session_id in sorted {
        if take_session_seat(db, session_id).await? {
            claimed.push((session_id, ChoiceStatus::Confirmed));
        } else if waitlist_enabled {
            claimed.push((session_id, ChoiceStatus::Waitlisted));
        } else {
            return Err(session_full(session_id));
        }
    }
    Ok(claimed)
}

/// The 409 for a full session without a waiting list.
pub fn session_full(session_id: Uuid) -> AppError {
    AppError::refused_because(
        crate::domain::refusal::Reason::SessionFull,
        format!("session {session_id} is full and this event keeps no waiting list"),
    )
}

/// Writes the outcome of [`claim_sessions`] onto existing choice rows.
pub async fn record_claims<C: ConnectionTrait>(
    db: &C,
    registration_id: Uuid,
    claimed: &Claimed,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    for (session_id, status) in claimed {
        registration_sessions::Entity::update_many()
            .col_expr(
                registration_sessions::Column::Status,
                Expr::value(status.as_str()),
            )
            .col_expr(registration_sessions::Column::QueuedAt, Expr::value(now))
            .filter(registration_sessions::Column::RegistrationId.eq(registration_id))
            .filter(registration_sessions::Column::SessionId.eq(*session_id))
            .exec(db)
            .await?;
    }
    Ok(())
}

/// The rows of a registration's choices, as [`insert_choices`] writes them (a group of
/// registrations writes the rows of all its members at once).
pub fn choice_rows(
    registration_id: Uuid,
    choices: &[(Uuid, ChoiceStatus)],
    now: DateTime<Utc>,
) -> impl Iterator<Item = registration_sessions::ActiveModel> + '_ {
    choices.iter().map(
        move |(session_id, status)| registration_sessions::ActiveModel {
            registration_id: Set(registration_id),
            session_id: Set(*session_id),
            status: Set(*status),
            queued_at: Set(now),
        },
    )
}

/// Inserts choice rows.
pub async fn insert_choices<C: ConnectionTrait>(
    db: &C,
    registration_id: Uuid,
    choices: &[(Uuid, ChoiceStatus)],
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    if choices.is_empty() {
        return Ok(());
    }
    registration_sessions::Entity::insert_many(choice_rows(registration_id, choices, now))
        .exec(db)
        .await?;
    Ok(())
}

/// The choices of a registration.
pub async fn choices_of<C: ConnectionTrait>(
    db: &C,
    registration_id: Uuid,
) -> Result<Vec<registration_sessions::Model>, AppError> {
    Ok(registration_sessions::Entity::find()
        .filter(registration_sessions::Column::RegistrationId.eq(registration_id))
        .order_by_asc(registration_sessions::Column::SessionId)
        .all(db)
        .await?)
}

/// Frees everything a registration holds: its event seat (if `held_seat`) and its sessions'
/// seats; deletes its choices; then fills the freed seats from the waiting lists.
pub async fn release_all<C: ConnectionTrait>(
    db: &C,
    event: &events::Model,
    registration_id: Uuid,
    held_seat: bool,
    now: DateTime<Utc>,
    happened: &mut Vec<Happened>,
) -> Result<(), AppError> {
    let choices = choices_of(db, registration_id).await?;
    registration_sessions::Entity::delete_many()
        .filter(registration_sessions::Column::RegistrationId.eq(registration_id))
        .exec(db)
        .await?;
    for choice in &choices {
        if choice.status == ChoiceStatus::Confirmed {
            release_session_seat(db, choice.session_id).await?;
            promote_session(db, choice.session_id, happened).await?;
        }
    }
    if held_seat {
        release_event_seat(db, event.id).await?;
    }
    promote_event(db, event, now, happened).await
}

/// Fills free event seats from the waiting list, first come first served. Each promoted
/// registration then claims seats in its chosen sessions.
pub async fn promote_event<C: ConnectionTrait>(
    db: &C,
    event: &events::Model,
    now: DateTime<Utc>,
    happened: &mut Vec<Happened>,
) -> Result<(), AppError> {
    loop {
        let head = registrations::Entity::find()
            .filter(registrations::Column::EventId.eq(event.id))
            .filter(registrations::Column::Status.eq(RegistrationStatus::Waitlisted.as_str()))
            .order_by_asc(registrations::Column::QueuedAt)
            .order_by_asc(registrations::Column::Id)
            .limit(1)
            .one(db)
            .await?;
        let Some(head) = head else {
            return Ok(());
        };
        if !take_event_seat(db, event.id).await? {
            return Ok(());
        }
        let promoted = set_status_if(
            db,
            head.id,
            RegistrationStatus::Waitlisted,
            RegistrationStatus::Confirmed,
            now,
        )
        .await?;
        if !promoted {
            release_event_seat(db, event.id).await?;
            continue;
        }
        happened.push(Happened::Promoted {
            registration: head.id,
        });
        let pending: Vec<Uuid> = choices_of(db, head.id)
            .await?
            .into_iter()
            .map(|c| c.session_id)
            .collect();
        let claimed = claim_sessions(db, &pending, true).await?;
        record_claims(db, head.id, &claimed, now).await?;
        // Its sessions' seats come with the event seat: one notice says both.
    }
}

/// Fills free seats of a session from its waiting list, first come first served.
pub async fn promote_session<C: ConnectionTrait>(
    db: &C,
    session_id: Uuid,
    happened: &mut Vec<Happened>,
) -> Result<(), AppError> {
    loop {
        let head = registration_sessions::Entity::find()
            .filter(registration_sessions::Column::SessionId.eq(session_id))
            .filter(registration_sessions::Column::Status.eq(ChoiceStatus::Waitlisted.as_str()))
            .order_by_asc(registration_sessions::Column::QueuedAt)
            .order_by_asc(registration_sessions::Column::RegistrationId)
            .limit(1)
            .one(db)
            .await?;
        let Some(head) = head else {
            return Ok(());
        };
        if !take_session_seat(db, session_id).await? {
            return Ok(());
        }
        registration_sessions::Entity::update_many()
            .col_expr(
                registration_sessions::Column::Status,
                Expr::value(ChoiceStatus::Confirmed.as_str()),
            )
            .filter(registration_sessions::Column::RegistrationId.eq(head.registration_id))
            .filter(registration_sessions::Column::SessionId.eq(session_id))
            .exec(db)
            .await?;
        touch_registration(db, head.registration_id).await?;
        happened.push(Happened::SessionSeatGiven {
            registration: head.registration_id,
            session: session_id,
        });
    }
}

/// Marks a registration as changed (its personal calendar's Last-Modified follows).
pub async fn touch_registration<C: ConnectionTrait>(
    db: &C,
    registration_id: Uuid,
) -> Result<(), AppError> {
    registrations::Entity::update_many()
        .col_expr(registrations::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(registrations::Column::Id.eq(registration_id))
        .exec(db)
        .await?;
    Ok(())
}
