//! Making a registration: checking the chosen sessions, and registering a delegate inside a
//! transaction that holds the event's lock (seats, choices, journal and idempotency record).

use crate::domain::refusal::Reason;
use chrono::Utc;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
};
use uuid::Uuid;

use entities::{events, idempotency_keys, registration_sessions, registrations, sessions};

use super::idempotency::{Idempotency, RecordedAnswer, Registered, replay};
use super::is_unique_violation;
use super::registrations::RegistrationRow;
use super::seats::{self, Claimed};
use crate::domain::categories::Categories;
use crate::domain::enums::{
    ChoiceStatus, EventStatus, RegistrationMode, RegistrationStatus, SessionStatus,
};
use crate::domain::happened::Happened;
use crate::domain::registration::{
    Choice, EventSeats, RegistrationClosed, ValidRegistration, check_open, initial_status,
    overlapping_pair,
};
use crate::domain::token::{self, TokenKind};
use crate::domain::validation::ValidationErrors;
use crate::error::AppError;

/// Checks chosen sessions: they exist in the event, are published, and do not overlap.
pub async fn check_choices<C: ConnectionTrait>(
    db: &C,
    event_id: Uuid,
    session_ids: &[Uuid],
) -> Result<(), AppError> {
    if session_ids.is_empty() {
        return Ok(());
    }
    let found = sessions_among(db, session_ids).await?;
    check_chosen(&found, event_id, session_ids)
}

/// The sessions with these ids, of any event (one query for a whole group of registrations).
pub async fn sessions_among<C: ConnectionTrait>(
    db: &C,
    session_ids: &[Uuid],
) -> Result<Vec<sessions::Model>, AppError> {
    if session_ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(sessions::Entity::find()
        .filter(sessions::Column::Id.is_in(session_ids.iter().copied()))
        .order_by_asc(sessions::Column::StartsAt)
        .all(db)
        .await?)
}

/// [`check_choices`] over sessions already read (in start order).
pub fn check_chosen(
    read: &[sessions::Model],
    event_id: Uuid,
    session_ids: &[Uuid],
) -> Result<(), AppError> {
    let found: Vec<&sessions::Model> = read
        .iter()
        .filter(|s| s.event_id == event_id && session_ids.contains(&s.id))
        .collect();
    let mut errors = ValidationErrors::new();
    for id in session_ids {
        match found.iter().find(|s| s.id == *id) {
            None => errors.add("session_ids", format!("no session {id} in this event")),
            Some(s) if s.status != SessionStatus::Published => errors.add(
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
            title: s.title.clone(),
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

/// A registration to make: its id (chosen before the transaction, so a commit whose outcome
/// was lost can be looked up), the request, and its idempotency key.
pub struct ToRegister<'a> {
    pub id: Uuid,
    pub request: &'a ValidRegistration,
    pub idempotency: Option<&'a Idempotency>,
    /// The event's categories when the public registers (it may choose the public ones
    /// only), read under the event's lock.
    pub public_categories: Option<&'a Categories>,
}

/// Registers a delegate inside the caller's transaction, which holds the event's lock and
/// read `event` under it: seat, registration, session seats and the idempotency record.
/// Whether the event accepts registrations now (status, mode, window), what status the
/// registration starts in, whether it may wait, and whether the chosen sessions are open are
/// all decided here, from `event` and `sessions` (the chosen ones, read under that lock). The decision
/// is recorded with the idempotency key, for retries; what happened is added to `happened`
/// for the caller to journal in the same transaction.
pub async fn register_in<C: ConnectionTrait>(
    txn: &C,
    event: &events::Model,
    to_register: ToRegister<'_>,
    secret: &[u8],
    sessions: &[sessions::Model],
    group: &mut GroupWrites,
) -> Result<Registered, AppError> {
    let ToRegister {
        id,
        request,
        idempotency,
        public_categories,
    } = to_register;
    let now = Utc::now();
    if let Some(idempotency) = idempotency
        && let Some(replayed) = replay(txn, event.id, idempotency).await?
    {
        return Ok(replayed);
    }
    let mode: RegistrationMode = event.registration_mode;
    let event_status: EventStatus = event.status;
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
        Err(closed) => {
            return Err(AppError::refused_because(
                Reason::RegistrationClosed,
                closed.to_string(),
            ));
        }
    }
    if let Some(categories) = public_categories {
        categories.check_public(request.category)?;
    }
    check_chosen(sessions, event.id, &request.session_ids)?;
    let status = match initial_status(mode) {
        RegistrationStatus::Confirmed => {
            if group.event_seats(event).take() {
                RegistrationStatus::Confirmed
            } else if event.waitlist_enabled {
                RegistrationStatus::Waitlisted
            } else {
                return Err(AppError::refused_because(
                    Reason::EventFull,
                    "the event is full and keeps no waiting list",
                ));
            }
        }
        other => other,
    };
    let email = request.email.as_str().to_owned();
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
        full_name: request.full_name.clone(),
        email_normalized: request.email.normalized(),
        email,
        organization: request.organization.clone(),
        position: request.position.clone(),
        country: request.country.clone(),
        category: request.category,
        locale: request.locale.as_str().to_owned(),
        search_text,
        name_search: format!(
            "{} {}",
            request.full_name,
            request.organization.as_deref().unwrap_or("")
        )
        .to_lowercase(),
        status,
        manage_token_hash: token::hash(&manage_token),
        calendar_generation: 0,
        queued_at: now,
        created_at: now,
        updated_at: now,
        manage_generation: 0,
        erased_at: None,
        revoked_seq: None,
    };
    group
        .registrations
        .push(registrations::ActiveModel::from(registration.clone()));
    let choices: Claimed = if status == RegistrationStatus::Confirmed {
        seats::claim_sessions(txn, &request.session_ids, event.waitlist_enabled).await?
    } else {
        request
            .session_ids
            .iter()
            .map(|id| (*id, ChoiceStatus::Pending))
            .collect()
    };
    group.choices.extend(seats::choice_rows(id, &choices, now));
    let mut chosen: Vec<registration_sessions::Model> = choices
        .iter()
        .map(|(session_id, status)| registration_sessions::Model {
            registration_id: id,
            session_id: *session_id,
            status: *status,
            queued_at: now,
        })
        .collect();
    chosen.sort_by_key(|c| c.session_id);
    let row = RegistrationRow {
        choices: chosen,
        registration,
    };
    group.happened.push((
        event.id,
        Happened::Registered {
            registration: id,
            status,
        },
    ));
    if let Some(idempotency) = idempotency {
        let body = serde_json::to_string(&RecordedAnswer::of(&row))
            .map_err(|err| AppError::unexpected(err.to_string()))?;
        group.idempotency.push(idempotency_keys::ActiveModel {
            event_id: Set(event.id),
            key: Set(idempotency.key.clone()),
            request_hash: Set(idempotency.request_hash.clone()),
            registration_id: Set(id),
            status: Set(201),
            response: Set(body),
            created_at: Set(now),
        });
    }
    Ok(Registered::Created(Box::new(row)))
}

/// What a group of registrations writes, gathered by [`register_in`] and written by
/// [`write_group`] in a few statements instead of several per registration.
#[derive(Default)]
pub struct GroupWrites {
    registrations: Vec<registrations::ActiveModel>,
    choices: Vec<registration_sessions::ActiveModel>,
    idempotency: Vec<idempotency_keys::ActiveModel>,
    /// The seats of each event of the group, as read under its lock.
    seats: Vec<(Uuid, EventSeats)>,
    /// What happened, for the caller to journal in the same transaction.
    pub happened: Vec<(Uuid, Happened)>,
}

impl GroupWrites {
    fn event_seats(&mut self, event: &events::Model) -> &mut EventSeats {
        let at = match self.seats.iter().position(|(id, _)| *id == event.id) {
            Some(at) => at,
            None => {
                self.seats
                    .push((event.id, EventSeats::new(event.capacity, event.seats_taken)));
                self.seats.len() - 1
            }
        };
        &mut self.seats[at].1
    }
}

/// Writes what [`register_in`] gathered: the registrations, their choices and idempotency
/// records (a statement each) and the seats each event gave (a statement per event). A
/// repeated e-mail anywhere in the group refuses the group (its registrations are then made
/// one by one, each with its own answer).
pub async fn write_group<C: ConnectionTrait>(txn: &C, group: GroupWrites) -> Result<(), AppError> {
    let GroupWrites {
        registrations: rows,
        choices,
        idempotency,
        seats: event_seats,
        happened: _,
    } = group;
    if !rows.is_empty() {
        match registrations::Entity::insert_many(rows)
            .exec_without_returning(txn)
            .await
        {
            Ok(_) => {}
            Err(err) if is_unique_violation(&err) => {
                return Err(AppError::refused_because(
                    Reason::EmailTaken,
                    "this e-mail address is already registered for this event",
                ));
            }
            Err(err) => return Err(err.into()),
        }
    }
    if !choices.is_empty() {
        registration_sessions::Entity::insert_many(choices)
            .exec_without_returning(txn)
            .await?;
    }
    if !idempotency.is_empty() {
        idempotency_keys::Entity::insert_many(idempotency)
            .exec_without_returning(txn)
            .await?;
    }
    for (event_id, event_seats) in event_seats {
        seats::add_event_seats(txn, event_id, event_seats.taken_now()).await?;
    }
    Ok(())
}
