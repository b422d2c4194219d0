//! Registrations: creating one (with its idempotency record), reading and listing, and the
//! transactions that change seats (cancel, approve, reject, change sessions), each built on
//! `seats` and run with the event's row locked first.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    DatabaseTransaction, EntityTrait, ExprTrait, QueryFilter, QueryOrder, QuerySelect, Statement,
    TransactionTrait,
};
use uuid::Uuid;

use entities::{events, idempotency_keys, registration_sessions, registrations, sessions};

use super::is_unique_violation;
use super::journal;
use super::seats::{self, Claimed};
use crate::domain::enums::{
    ChoiceStatus, EventStatus, RegistrationMode, RegistrationStatus, SessionStatus,
};
use crate::domain::happened::Happened;
use crate::domain::registration::{
    Choice, RegistrationClosed, RegistrationRequest, can_approve, can_reject, check_open,
    initial_status, normalize_email, overlapping_pair,
};
use crate::domain::token::{self, TokenKind};
use crate::domain::validation::ValidationErrors;
use crate::error::AppError;

/// A registration with its session choices.
#[derive(Debug, Clone)]
pub struct RegistrationRow {
    pub registration: registrations::Model,
    pub choices: Vec<registration_sessions::Model>,
}

impl RegistrationRow {
    pub fn status(&self) -> Result<RegistrationStatus, AppError> {
        parse(&self.registration.status)
    }
}

/// A value stored as text, read back; a value we never write is an internal error.
pub(crate) fn parse<T: std::str::FromStr<Err = crate::domain::enums::UnknownValue>>(
    text: &str,
) -> Result<T, AppError> {
    text.parse()
        .map_err(|e: crate::domain::enums::UnknownValue| AppError::Internal(e.to_string()))
}

/// The idempotency key of a request and the hash of its body.
pub struct Idempotency {
    pub key: String,
    pub request_hash: String,
}

/// The answer to a registration request.
pub enum Registered {
    /// A new registration.
    Created(Box<RegistrationRow>),
    /// A retry: the decision of the first request, as recorded.
    Replayed {
        registration_id: Uuid,
        first: RecordedAnswer,
    },
}

/// The decision a registration request got, as its idempotency record keeps it: the
/// registration's status and its choices' statuses when it was made. Front ends render it;
/// records written before this type (the first API answer) read back as the same fields.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct RecordedAnswer {
    pub status: String,
    pub sessions: Vec<RecordedChoice>,
}

/// One chosen session's status in a [`RecordedAnswer`].
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct RecordedChoice {
    pub session_id: Uuid,
    pub status: String,
}

impl RecordedAnswer {
    /// The decision as the row shows it now.
    pub fn of(row: &RegistrationRow) -> Self {
        RecordedAnswer {
            status: row.registration.status.clone(),
            sessions: row
                .choices
                .iter()
                .map(|c| RecordedChoice {
                    session_id: c.session_id,
                    status: c.status.clone(),
                })
                .collect(),
        }
    }
}

/// The stored first answer for `(event, key)`, if any; 422 when the key came with another body.
pub async fn replay<C: ConnectionTrait>(
    db: &C,
    event_id: Uuid,
    idempotency: &Idempotency,
) -> Result<Option<Registered>, AppError> {
    let found = idempotency_keys::Entity::find_by_id((event_id, idempotency.key.clone()))
        .one(db)
        .await?;
    match found {
        None => Ok(None),
        Some(record) if record.request_hash == idempotency.request_hash => {
            let first = serde_json::from_str(&record.response).map_err(|err| {
                AppError::Internal(format!("idempotency record unreadable: {err}"))
            })?;
            Ok(Some(Registered::Replayed {
                registration_id: record.registration_id,
                first,
            }))
        }
        Some(_) => Err(ValidationErrors::single(
            "Idempotency-Key",
            "was already used with a different request body",
        )
        .into()),
    }
}

/// Checks chosen sessions: they exist in the event, are published, and do not overlap.
pub async fn check_choices<C: ConnectionTrait>(
    db: &C,
    event_id: Uuid,
    session_ids: &[Uuid],
) -> Result<(), AppError> {
    if session_ids.is_empty() {
        return Ok(());
    }
    let found = sessions::Entity::find()
        .filter(sessions::Column::EventId.eq(event_id))
        .filter(sessions::Column::Id.is_in(session_ids.iter().copied()))
        .order_by_asc(sessions::Column::StartsAt)
        .all(db)
        .await?;
    let mut errors = ValidationErrors::new();
    for id in session_ids {
        match found.iter().find(|s| s.id == *id) {
            None => errors.add("session_ids", format!("no session {id} in this event")),
            Some(s) if s.status != SessionStatus::Published.as_str() => errors.add(
                "session_ids",
                format!("session {id} is not open for sign-up ({})", s.status),
            ),
            Some(_) => {}
        }
    }
    if !errors.is_empty() {
        return Err(errors.into());
    }
    let choices: Vec<Choice> = found
        .into_iter()
        .map(|s| Choice {
            id: s.id,
            title: s.title,
            starts_at: s.starts_at,
            ends_at: s.ends_at,
        })
        .collect();
    if let Some((a, b)) = overlapping_pair(&choices) {
        return Err(ValidationErrors::single(
            "session_ids",
            format!(
                "sessions {:?} ({}) and {:?} ({}) overlap in time; choose one",
                a.title, a.id, b.title, b.id
            ),
        )
        .into());
    }
    Ok(())
}

/// Registers a delegate inside the caller's transaction, which holds the event's lock and
/// read `event` under it: seat, registration, session seats and the idempotency record.
/// Whether the event accepts registrations now (status, mode, window), what status the
/// registration starts in, whether it may wait, and whether the chosen sessions are open are
/// all decided here, from `event` and the sessions as they are under that lock. The decision
/// is recorded with the idempotency key, for retries.
pub async fn register_in<C: ConnectionTrait>(
    txn: &C,
    event: &events::Model,
    request: &RegistrationRequest,
    secret: &[u8],
    idempotency: Option<&Idempotency>,
) -> Result<Registered, AppError> {
    let now = Utc::now();
    if let Some(idempotency) = idempotency
        && let Some(replayed) = replay(txn, event.id, idempotency).await?
    {
        return Ok(replayed);
    }
    let mode: RegistrationMode = parse(&event.registration_mode)?;
    let event_status: EventStatus = parse(&event.status)?;
    match check_open(
        event_status,
        mode,
        event.registration_opens_at,
        event.registration_closes_at,
        now,
    ) {
        Ok(()) => {}
        // As the request's own look-up answers for a draft: no such event.
        Err(RegistrationClosed::EventNotPublished) => return Err(AppError::NotFound("event")),
        Err(closed) => return Err(AppError::conflict(closed.to_string())),
    }
    check_choices(txn, event.id, &request.session_ids).await?;
    let status = match initial_status(mode) {
        RegistrationStatus::Confirmed => {
            if seats::take_event_seat(txn, event.id).await? {
                RegistrationStatus::Confirmed
            } else if event.waitlist_enabled {
                RegistrationStatus::Waitlisted
            } else {
                return Err(AppError::conflict(
                    "the event is full and keeps no waiting list",
                ));
            }
        }
        other => other,
    };
    let id = Uuid::now_v7();
    let email = request.email.trim().to_owned();
    let search_text = format!(
        "{} {} {}",
        request.full_name,
        email,
        request.organization.as_deref().unwrap_or("")
    )
    .to_lowercase();
    let manage_token = token::derive(secret, TokenKind::Manage, id, 0);
    let registration = registrations::Model {
        id,
        event_id: event.id,
        full_name: request.full_name.trim().to_owned(),
        email_normalized: normalize_email(&email),
        email,
        organization: request.organization.clone(),
        position: request.position.clone(),
        country: request.country.clone(),
        category: request.category.as_str().to_owned(),
        locale: request.locale.clone(),
        search_text,
        name_search: format!(
            "{} {}",
            request.full_name,
            request.organization.as_deref().unwrap_or("")
        )
        .to_lowercase(),
        status: status.as_str().to_owned(),
        manage_token_hash: token::hash(&manage_token),
        calendar_generation: 0,
        queued_at: now,
        created_at: now,
        updated_at: now,
    };
    let inserted =
        registrations::Entity::insert(registrations::ActiveModel::from(registration.clone()))
            .exec_without_returning(txn)
            .await;
    match inserted {
        Ok(_) => {}
        Err(err) if is_unique_violation(&err) => {
            return Err(AppError::conflict(
                "this e-mail address is already registered for this event",
            ));
        }
        Err(err) => return Err(err.into()),
    };
    let choices: Claimed = if status == RegistrationStatus::Confirmed {
        seats::claim_sessions(txn, &request.session_ids, event.waitlist_enabled).await?
    } else {
        request
            .session_ids
            .iter()
            .map(|id| (*id, ChoiceStatus::Pending))
            .collect()
    };
    seats::insert_choices(txn, id, &choices, now).await?;
    let mut chosen: Vec<registration_sessions::Model> = choices
        .iter()
        .map(|(session_id, status)| registration_sessions::Model {
            registration_id: id,
            session_id: *session_id,
            status: status.as_str().to_owned(),
            queued_at: now,
        })
        .collect();
    chosen.sort_by_key(|c| c.session_id);
    let row = RegistrationRow {
        choices: chosen,
        registration,
    };
    journal::record(
        txn,
        event.id,
        &[Happened::Registered {
            registration: id,
            status,
        }],
    )
    .await?;
    if let Some(idempotency) = idempotency {
        let body = serde_json::to_string(&RecordedAnswer::of(&row))
            .map_err(|err| AppError::Internal(err.to_string()))?;
        idempotency_keys::ActiveModel {
            event_id: Set(event.id),
            key: Set(idempotency.key.clone()),
            request_hash: Set(idempotency.request_hash.clone()),
            registration_id: Set(id),
            status: Set(201),
            response: Set(body),
            created_at: Set(now),
        }
        .insert(txn)
        .await?;
    }
    Ok(Registered::Created(Box::new(row)))
}

/// A registration by id, with its choices.
pub async fn find<C: ConnectionTrait>(
    db: &C,
    id: Uuid,
) -> Result<Option<RegistrationRow>, AppError> {
    let Some(registration) = registrations::Entity::find_by_id(id).one(db).await? else {
        return Ok(None);
    };
    let choices = seats::choices_of(db, id).await?;
    Ok(Some(RegistrationRow {
        registration,
        choices,
    }))
}

/// The registration a manage token belongs to.
pub async fn find_by_manage_token<C: ConnectionTrait>(
    db: &C,
    presented: &str,
) -> Result<Option<registrations::Model>, AppError> {
    Ok(registrations::Entity::find()
        .filter(registrations::Column::ManageTokenHash.eq(token::hash(presented)))
        .one(db)
        .await?)
}

/// What organizers list.
#[derive(Debug, Clone, Default)]
pub struct RegistrationFilter {
    pub status: Option<RegistrationStatus>,
    pub category: Option<String>,
    pub session_id: Option<Uuid>,
    /// Matched against name, e-mail and organization, case-insensitively.
    pub search: Option<String>,
}

/// Registrations of an event matching `filter`, in registration order, after `after`.
pub async fn list<C: ConnectionTrait>(
    db: &C,
    event_id: Uuid,
    filter: &RegistrationFilter,
    after: Option<Uuid>,
    limit: Option<u64>,
) -> Result<Vec<RegistrationRow>, AppError> {
    let mut query = registrations::Entity::find()
        .filter(registrations::Column::EventId.eq(event_id))
        .order_by_asc(registrations::Column::Id);
    if let Some(status) = filter.status {
        query = query.filter(registrations::Column::Status.eq(status.as_str()));
    }
    if let Some(category) = &filter.category {
        query = query.filter(registrations::Column::Category.eq(category.as_str()));
    }
    if let Some(search) = &filter.search {
        query = query.filter(registrations::Column::SearchText.contains(search.to_lowercase()));
    }
    if let Some(session) = filter.session_id {
        let subquery = sea_orm::sea_query::Query::select()
            .column(registration_sessions::Column::RegistrationId)
            .from(registration_sessions::Entity)
            .and_where(registration_sessions::Column::SessionId.eq(session))
            .to_owned();
        query = query.filter(registrations::Column::Id.in_subquery(subquery));
    }
    if let Some(after) = after {
        query = query.filter(registrations::Column::Id.gt(after));
    }
    if let Some(limit) = limit {
        query = query.limit(limit);
    }
    let models = query.all(db).await?;
    let ids: Vec<Uuid> = models.iter().map(|m| m.id).collect();
    let mut choices: HashMap<Uuid, Vec<registration_sessions::Model>> = HashMap::new();
    for chunk in ids.chunks(500) {
        for choice in registration_sessions::Entity::find()
            .filter(registration_sessions::Column::RegistrationId.is_in(chunk.iter().copied()))
            .order_by_asc(registration_sessions::Column::SessionId)
            .all(db)
            .await?
        {
            choices
                .entry(choice.registration_id)
                .or_default()
                .push(choice);
        }
    }
    Ok(models
        .into_iter()
        .map(|registration| RegistrationRow {
            choices: choices.remove(&registration.id).unwrap_or_default(),
            registration,
        })
        .collect())
}

/// Attendees of an event whose name or organization contains `query` (for check-in staff).
pub async fn lookup_by_name<C: ConnectionTrait>(
    db: &C,
    event_id: Uuid,
    query: &str,
    limit: u64,
) -> Result<Vec<registrations::Model>, AppError> {
    Ok(registrations::Entity::find()
        .filter(registrations::Column::EventId.eq(event_id))
        .filter(registrations::Column::NameSearch.contains(query.trim().to_lowercase()))
        .order_by_asc(registrations::Column::FullName)
        .limit(limit)
        .all(db)
        .await?)
}

/// Registrations of an event revoked (cancelled or rejected) at or after `since`.
pub async fn revoked_since<C: ConnectionTrait>(
    db: &C,
    event_id: Uuid,
    since: Option<DateTime<Utc>>,
) -> Result<Vec<registrations::Model>, AppError> {
    let mut query = registrations::Entity::find()
        .filter(registrations::Column::EventId.eq(event_id))
        .filter(registrations::Column::Status.is_in([
            RegistrationStatus::Cancelled.as_str(),
            RegistrationStatus::Rejected.as_str(),
        ]))
        .order_by_asc(registrations::Column::UpdatedAt);
    if let Some(since) = since {
        query = query.filter(registrations::Column::UpdatedAt.gte(since));
    }
    Ok(query.all(db).await?)
}

/// How many registrations of an event are confirmed.
pub async fn confirmed_count<C: ConnectionTrait>(db: &C, event_id: Uuid) -> Result<u64, AppError> {
    use sea_orm::PaginatorTrait;
    Ok(registrations::Entity::find()
        .filter(registrations::Column::EventId.eq(event_id))
        .filter(registrations::Column::Status.eq(RegistrationStatus::Confirmed.as_str()))
        .count(db)
        .await?)
}

/// Locks the event and reads it and the registration afresh inside the transaction; the
/// caller decides from these rows, not from what it read before.
async fn locked(
    txn: &DatabaseTransaction,
    event: &events::Model,
    registration_id: Uuid,
) -> Result<(events::Model, RegistrationRow), AppError> {
    let event = seats::lock_event_row(txn, event.id).await?;
    let row = find(txn, registration_id)
        .await?
        .filter(|row| row.registration.event_id == event.id)
        .ok_or(AppError::NotFound("registration"))?;
    Ok((event, row))
}

/// Cancels a registration: frees its seats and promotes waiting delegates, atomically.
pub async fn cancel(
    db: &DatabaseConnection,
    event: &events::Model,
    registration_id: Uuid,
) -> Result<(RegistrationRow, Vec<Happened>), AppError> {
    end(db, event, registration_id, RegistrationStatus::Cancelled).await
}

/// Rejects a registration (organizer): frees its seats and promotes waiting delegates.
pub async fn reject(
    db: &DatabaseConnection,
    event: &events::Model,
    registration_id: Uuid,
) -> Result<(RegistrationRow, Vec<Happened>), AppError> {
    end(db, event, registration_id, RegistrationStatus::Rejected).await
}

async fn end(
    db: &DatabaseConnection,
    event: &events::Model,
    registration_id: Uuid,
    to: RegistrationStatus,
) -> Result<(RegistrationRow, Vec<Happened>), AppError> {
    let now = Utc::now();
    let txn = db.begin().await?;
    let (event, row) = locked(&txn, event, registration_id).await?;
    let from = row.status()?;
    match to {
        RegistrationStatus::Rejected => {
            can_reject(from).map_err(|e| AppError::conflict(e.to_string()))?
        }
        _ if matches!(
            from,
            RegistrationStatus::Cancelled | RegistrationStatus::Rejected
        ) =>
        {
            return Err(AppError::conflict(format!(
                "the registration is already {from}"
            )));
        }
        _ => {}
    }
    seats::set_status_if(&txn, registration_id, from, to, now).await?;
    let mut happened = vec![match to {
        RegistrationStatus::Rejected => Happened::Rejected {
            registration: registration_id,
        },
        _ => Happened::Cancelled {
            registration: registration_id,
        },
    }];
    seats::release_all(
        &txn,
        &event,
        registration_id,
        from == RegistrationStatus::Confirmed,
        now,
        &mut happened,
    )
    .await?;
    let row = find(&txn, registration_id)
        .await?
        .ok_or(AppError::NotFound("registration"))?;
    journal::record(&txn, event.id, &happened).await?;
    txn.commit().await?;
    Ok((row, happened))
}

/// Approves a pending registration: a seat if one is free, else the waiting list (409 when
/// the event is full and keeps none).
pub async fn approve(
    db: &DatabaseConnection,
    event: &events::Model,
    registration_id: Uuid,
) -> Result<(RegistrationRow, Vec<Happened>), AppError> {
    let now = Utc::now();
    let txn = db.begin().await?;
    let (event, row) = locked(&txn, event, registration_id).await?;
    let from = row.status()?;
    can_approve(from).map_err(|e| AppError::conflict(e.to_string()))?;
    let status = if seats::take_event_seat(&txn, event.id).await? {
        seats::set_status_if(
            &txn,
            registration_id,
            from,
            RegistrationStatus::Confirmed,
            now,
        )
        .await?;
        let chosen: Vec<Uuid> = row.choices.iter().map(|c| c.session_id).collect();
        let claimed = seats::claim_sessions(&txn, &chosen, event.waitlist_enabled).await?;
        seats::record_claims(&txn, registration_id, &claimed, now).await?;
        RegistrationStatus::Confirmed
    } else if event.waitlist_enabled {
        seats::set_status_if(
            &txn,
            registration_id,
            from,
            RegistrationStatus::Waitlisted,
            now,
        )
        .await?;
        RegistrationStatus::Waitlisted
    } else {
        return Err(AppError::conflict(
            "the event is full and keeps no waiting list",
        ));
    };
    let row = find(&txn, registration_id)
        .await?
        .ok_or(AppError::NotFound("registration"))?;
    let happened = vec![Happened::Approved {
        registration: registration_id,
        status,
    }];
    journal::record(&txn, event.id, &happened).await?;
    txn.commit().await?;
    Ok((row, happened))
}

/// Replaces a registration's session choices atomically: new seats are taken before old ones
/// are released. When a newly chosen session is full while another is given up, nothing
/// changes (409); a full session only added joins its waiting list.
pub async fn change_sessions(
    db: &DatabaseConnection,
    event: &events::Model,
    registration_id: Uuid,
    wanted: &[Uuid],
) -> Result<(RegistrationRow, Vec<Happened>), AppError> {
    let now = Utc::now();
    let txn = db.begin().await?;
    let (event, row) = locked(&txn, event, registration_id).await?;
    let status = row.status()?;
    if matches!(
        status,
        RegistrationStatus::Cancelled | RegistrationStatus::Rejected
    ) {
        return Err(AppError::conflict(format!(
            "the registration is {status}; register again instead"
        )));
    }
    check_choices(&txn, event.id, wanted).await?;
    let current: Vec<Uuid> = row.choices.iter().map(|c| c.session_id).collect();
    let added: Vec<Uuid> = wanted
        .iter()
        .copied()
        .filter(|id| !current.contains(id))
        .collect();
    let removed: Vec<&registration_sessions::Model> = row
        .choices
        .iter()
        .filter(|c| !wanted.contains(&c.session_id))
        .collect();
    let new_choices: Claimed = if status == RegistrationStatus::Confirmed {
        let claimed = seats::claim_sessions(&txn, &added, event.waitlist_enabled).await?;
        if let Some((full, _)) = claimed.iter().find(|(_, s)| *s == ChoiceStatus::Waitlisted)
            && !removed.is_empty()
        {
            return Err(AppError::conflict(format!(
                "session {full} is full; nothing was changed (keep your current sessions, or \
                 add it without giving one up to join its waiting list)"
            )));
        }
        claimed
    } else {
        added
            .iter()
            .map(|id| (*id, ChoiceStatus::Pending))
            .collect()
    };
    seats::insert_choices(&txn, registration_id, &new_choices, now).await?;
    let mut happened = Vec::new();
    for choice in &removed {
        registration_sessions::Entity::delete_many()
            .filter(registration_sessions::Column::RegistrationId.eq(registration_id))
            .filter(registration_sessions::Column::SessionId.eq(choice.session_id))
            .exec(&txn)
            .await?;
        if choice.status == ChoiceStatus::Confirmed.as_str() {
            seats::release_session_seat(&txn, choice.session_id).await?;
            seats::promote_session(&txn, choice.session_id, &mut happened).await?;
        }
    }
    seats::touch_registration(&txn, registration_id).await?;
    let row = find(&txn, registration_id)
        .await?
        .ok_or(AppError::NotFound("registration"))?;
    journal::record(&txn, event.id, &happened).await?;
    txn.commit().await?;
    Ok((row, happened))
}

/// Bumps the calendar link's generation, so the old link stops working.
pub async fn rotate_calendar(
    db: &DatabaseConnection,
    registration_id: Uuid,
) -> Result<RegistrationRow, AppError> {
    let txn = db.begin().await?;
    // One atomic increment: two rotations at once give two generations.
    let result = registrations::Entity::update_many()
        .col_expr(
            registrations::Column::CalendarGeneration,
            Expr::col(registrations::Column::CalendarGeneration).add(1),
        )
        .col_expr(registrations::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(registrations::Column::Id.eq(registration_id))
        .exec(&txn)
        .await?;
    if result.rows_affected == 0 {
        return Err(AppError::NotFound("registration"));
    }
    let row = find(&txn, registration_id)
        .await?
        .ok_or(AppError::NotFound("registration"))?;
    txn.commit().await?;
    Ok(row)
}

/// Every broken seat invariant, described: for each event and session, seats taken must equal
/// confirmed registrations (choices), never exceed capacity, and nobody may wait while a seat
/// is free. Used by the tests after concurrent runs.
pub async fn invariant_violations<C: ConnectionTrait>(db: &C) -> Result<Vec<String>, AppError> {
    let backend = db.get_database_backend();
    let checks = [
        (
            "event seats_taken differs from confirmed registrations",
            "SELECT e.id AS id FROM events e WHERE e.seats_taken <> \
             (SELECT COUNT(*) FROM registrations r WHERE r.event_id = e.id AND r.status = 'confirmed')",
        ),
        (
            "event over capacity",
            "SELECT e.id AS id FROM events e WHERE e.capacity IS NOT NULL AND e.seats_taken > e.capacity",
        ),
        (
            "delegates wait while an event seat is free",
            "SELECT e.id AS id FROM events e WHERE (e.capacity IS NULL OR e.seats_taken < e.capacity) \
             AND EXISTS (SELECT 1 FROM registrations r WHERE r.event_id = e.id AND r.status = 'waitlisted')",
        ),
        (
            "session seats_taken differs from confirmed choices",
            "SELECT s.id AS id FROM sessions s WHERE s.seats_taken <> \
             (SELECT COUNT(*) FROM registration_sessions c WHERE c.session_id = s.id AND c.status = 'confirmed')",
        ),
        (
            "session over capacity",
            "SELECT s.id AS id FROM sessions s WHERE s.capacity IS NOT NULL AND s.seats_taken > s.capacity",
        ),
        (
            "delegates wait while a session seat is free",
            "SELECT s.id AS id FROM sessions s WHERE (s.capacity IS NULL OR s.seats_taken < s.capacity) \
             AND EXISTS (SELECT 1 FROM registration_sessions c WHERE c.session_id = s.id AND c.status = 'waitlisted')",
        ),
        (
            "a confirmed choice of a registration that holds no seat",
            "SELECT c.registration_id AS id FROM registration_sessions c JOIN registrations r \
             ON r.id = c.registration_id WHERE r.status <> 'confirmed' AND c.status <> 'pending'",
        ),
    ];
    let mut violations = Vec::new();
    for (what, sql) in checks {
        let rows = db
            .query_all_raw(Statement::from_string(backend, sql))
            .await?;
        for row in rows {
            let id: Uuid = row.try_get("", "id").unwrap_or_default();
            violations.push(format!("{what}: {id}"));
        }
    }
    Ok(violations)
}
