//! Use cases of registrations. Delegates register (seats decided in the database, grouped
//! commits, idempotent retries), read their own registration, change their sessions, cancel,
//! and replace their calendar link; organizers list, read, approve and reject.

use std::sync::Arc;

use chrono::Utc;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use entities::events;

use super::Outcome;
use super::events::{visible, visible_cached};
use super::principal::Audience;
use super::work::Work;
use crate::app::registration_queue::PendingRegistration;
use crate::application::AppState;
use crate::domain::refusal::Reason;
use crate::domain::registration::{RegistrationRequest, check_open};
use crate::domain::token::{self, TokenKind};
use crate::domain::validation::ValidationErrors;
use crate::domain::values::IdempotencyKey;
use crate::error::AppError;
use crate::store;
use crate::store::idempotency::{Idempotency, Registered};
use crate::store::registrations::{RegistrationFilter, RegistrationRow};

pub use crate::store::idempotency::{RecordedAnswer, RecordedChoice};

/// The answer to a registration request.
pub enum Registration {
    /// Made now; `manage_token` is shown this once.
    Created {
        event: Arc<events::Model>,
        row: Box<RegistrationRow>,
        manage_token: String,
    },
    /// A retry with the same key and request: the first request's decision.
    Replayed {
        event: Arc<events::Model>,
        registration_id: Uuid,
        first: RecordedAnswer,
        manage_token: String,
    },
}

/// Registers a delegate at the published event named by `event`. With `idempotency_key`, a
/// retry of the same request is answered with the first decision (even after registration
/// closed), and the same key with another request is refused. The public (`by`) may choose
/// only the event's public categories; organizers any.
pub async fn register(
    state: &AppState,
    by: Audience,
    event: &str,
    request: RegistrationRequest,
    idempotency_key: Option<&str>,
) -> Result<Registration, AppError> {
    let event = visible_cached(state, event, Audience::Public).await?;
    let idempotency = match idempotency_key {
        Some(key) => Some(Idempotency {
            key: IdempotencyKey::parse(key)
                .map_err(|message| ValidationErrors::single("Idempotency-Key", message))?
                .into_string(),
            request_hash: fingerprint(&request),
            keep: state.config.retention.idempotency,
        }),
        None => None,
    };
    if let Some(idempotency) = &idempotency
        && let Some(replayed) = store::idempotency::replay(&state.db, event.id, idempotency).await?
    {
        return Ok(answer(state, event, replayed));
    }
    // Early refusals, from the event and sessions as this request saw them. The transaction
    // that takes the seats checks all of it again under the event's lock.
    check_open(
        event.status,
        event.registration_mode,
        event.registration_opens_at,
        event.registration_closes_at,
        Utc::now(),
    )
    .map_err(|closed| AppError::refused_because(Reason::RegistrationClosed, closed.to_string()))?;
    let request = request.validate()?;
    super::categories::check_choice(state, event.id, request.category, by).await?;
    store::registering::check_choices(&state.db, event.id, &request.session_ids).await?;
    let outcome = state
        .registrations
        .register(PendingRegistration {
            id: Uuid::now_v7(),
            event_id: event.id,
            request,
            idempotency,
            by,
        })
        .await?;
    Ok(answer(state, event, outcome))
}

fn answer(state: &AppState, event: Arc<events::Model>, outcome: Registered) -> Registration {
    match outcome {
        Registered::Created(row) => {
            let manage_token = manage_token(state, row.registration.id);
            Registration::Created {
                event,
                row,
                manage_token,
            }
        }
        Registered::Replayed {
            registration_id,
            first,
        } => Registration::Replayed {
            event,
            registration_id,
            first,
            manage_token: manage_token(state, registration_id),
        },
    }
}

fn manage_token(state: &AppState, registration_id: Uuid) -> String {
    token::derive(&state.token_secret, TokenKind::Manage, registration_id, 0)
}

/// What makes two requests the same request, whichever front end sent them.
fn fingerprint(request: &RegistrationRequest) -> String {
    hex::encode(Sha256::digest(format!("{request:?}").as_bytes()))
}

/// Registrations of an event for its organizers: a page after `after`, or all of them when
/// `limit` is `None` (exports).
pub async fn list(
    state: &AppState,
    event: &str,
    filter: &RegistrationFilter,
    after: Option<Uuid>,
    limit: Option<u64>,
) -> Result<(events::Model, Vec<RegistrationRow>), AppError> {
    let event = visible(state, event, Audience::Organizers).await?;
    let rows = store::registrations::list(&state.db, event.id, filter, after, limit).await?;
    Ok((event, rows))
}

/// One registration of an event, for its organizers.
pub async fn find(
    state: &AppState,
    event: &str,
    id: Uuid,
) -> Result<(events::Model, RegistrationRow), AppError> {
    let event = visible(state, event, Audience::Organizers).await?;
    let row = store::registrations::find(&state.db, id)
        .await?
        .filter(|row| row.registration.event_id == event.id)
        .ok_or(AppError::NotFound("registration"))?;
    Ok((event, row))
}

/// Accredits a pending registration: a seat, or the waiting list when none is left.
pub async fn approve(
    state: &AppState,
    event: &str,
    id: Uuid,
) -> Result<Outcome<(events::Model, RegistrationRow)>, AppError> {
    decide(state, event, id, Decision::Approve).await
}

/// Ends a pending, waitlisted or confirmed registration; a freed seat goes to the next
/// delegate on the waiting list in the same transaction.
pub async fn reject(
    state: &AppState,
    event: &str,
    id: Uuid,
) -> Result<Outcome<(events::Model, RegistrationRow)>, AppError> {
    decide(state, event, id, Decision::Reject).await
}

/// An organizer's decision on a registration.
enum Decision {
    Approve,
    Reject,
}

async fn decide(
    state: &AppState,
    event: &str,
    id: Uuid,
    decision: Decision,
) -> Result<Outcome<(events::Model, RegistrationRow)>, AppError> {
    let (event, row) = find(state, event, id).await?;
    let id = row.registration.id;
    let work = Work::begin(&state.writer).await?;
    let (row, happened) = match decision {
        Decision::Approve => store::registration_changes::approve(work.db(), &event, id).await?,
        Decision::Reject => store::registration_changes::reject(work.db(), &event, id).await?,
    };
    work.commit(event.id, &happened).await?;
    Ok(Outcome::new(((event, row), happened)))
}

/// A delegate's own registration and its event.
pub async fn mine(
    state: &AppState,
    registration_id: Uuid,
) -> Result<(RegistrationRow, events::Model), AppError> {
    let row = store::registrations::find(&state.db, registration_id)
        .await?
        .ok_or(AppError::NotFound("registration"))?;
    let event = store::events::find(&state.db, &row.registration.event_id.to_string())
        .await?
        .ok_or(AppError::NotFound("event"))?;
    Ok((row, event))
}

/// Replaces a delegate's chosen sessions atomically: new seats are taken before old ones are
/// released.
pub async fn change_sessions(
    state: &AppState,
    registration_id: Uuid,
    session_ids: &[Uuid],
) -> Result<Outcome<(RegistrationRow, events::Model)>, AppError> {
    let (row, event) = mine(state, registration_id).await?;
    let mut errors = ValidationErrors::new();
    crate::domain::registration::check_choices(&mut errors, session_ids);
    errors.into_result(())?;
    let work = Work::begin(&state.writer).await?;
    let (row, happened) = store::registration_changes::change_sessions(
        work.db(),
        &event,
        row.registration.id,
        session_ids,
    )
    .await?;
    work.commit(event.id, &happened).await?;
    Ok(Outcome::new(((row, event), happened)))
}

/// Cancels a delegate's registration; the next delegates on the waiting lists take the seats.
pub async fn cancel(
    state: &AppState,
    registration_id: Uuid,
) -> Result<Outcome<(RegistrationRow, events::Model)>, AppError> {
    let (row, event) = mine(state, registration_id).await?;
    let work = Work::begin(&state.writer).await?;
    let (row, happened) =
        store::registration_changes::cancel(work.db(), &event, row.registration.id).await?;
    work.commit(event.id, &happened).await?;
    Ok(Outcome::new(((row, event), happened)))
}

/// Sets the language of the delegate's e-mails and badge.
pub async fn set_locale(
    state: &AppState,
    registration_id: Uuid,
    locale: &str,
) -> Result<(RegistrationRow, events::Model), AppError> {
    let locale = crate::domain::values::Language::parse(locale)
        .map_err(|message| ValidationErrors::single("locale", message))?;
    let (row, event) = mine(state, registration_id).await?;
    let work = Work::begin(&state.writer).await?;
    let row =
        store::registration_changes::set_locale(work.db(), row.registration.id, &locale).await?;
    work.commit_quietly().await?;
    Ok((row, event))
}

/// Where a registration waits: its place in the event's waiting list and in each session's.
pub async fn waiting_places(
    state: &AppState,
    row: &RegistrationRow,
) -> Result<store::waiting_places::WaitingPlaces, AppError> {
    store::waiting_places::of(&state.db, row).await
}

/// The personal calendar link of a registration at its current generation.
pub fn calendar_url(state: &AppState, id: Uuid, generation: i32) -> String {
    let token = token::derive(&state.token_secret, TokenKind::Calendar, id, generation);
    format!(
        "{}/api/v1/registrations/{id}/calendar.ics?token={token}",
        state.config.public_url
    )
}

/// Issues a new personal calendar link; the old one stops working.
pub async fn rotate_calendar(
    state: &AppState,
    registration_id: Uuid,
) -> Result<(RegistrationRow, events::Model), AppError> {
    let (row, event) = mine(state, registration_id).await?;
    let work = Work::begin(&state.writer).await?;
    let row = store::registration_changes::rotate_calendar(work.db(), row.registration.id).await?;
    work.commit_quietly().await?;
    Ok((row, event))
}

/// Replaces the delegate's manage token: the new one is answered this once, the old one
/// stops working on every instance at once (its hash is no longer stored).
pub async fn replace_manage_token(
    state: &AppState,
    registration_id: Uuid,
) -> Result<String, AppError> {
    let (row, _) = mine(state, registration_id).await?;
    let id = row.registration.id;
    let work = Work::begin(&state.writer).await?;
    let token = store::registration_changes::replace_manage_token(work.db(), id, |generation| {
        token::derive(&state.token_secret, TokenKind::Manage, id, generation)
    })
    .await?;
    work.commit_quietly().await?;
    Ok(token)
}

/// Erases a delegate's personal data at an organizer's request: the seat is freed (waiting
/// delegates promoted and told), counts and the audit log stay without the name, unsent
/// e-mails fail, the manage token, calendar link and badge stop working. Erasing twice
/// changes nothing more.
pub async fn erase(state: &AppState, event: &str, id: Uuid) -> Result<(), AppError> {
    let (event, row) = find(state, event, id).await?;
    // A hash no token has: the manage token stops working.
    let unusable = token::hash(&format!("erased:{}", Uuid::new_v4()));
    let work = Work::begin(&state.writer).await?;
    let happened =
        store::registration_changes::erase(work.db(), &event, row.registration.id, &unusable)
            .await?;
    work.commit(event.id, &happened).await?;
    Ok(())
}
