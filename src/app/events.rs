//! Use cases of events: create, read and list (drafts for organizers only), change, publish
//! and cancel. Every change empties the event cache after its commit.

use std::sync::Arc;

use chrono::Utc;
use uuid::Uuid;

use entities::events;

use super::Outcome;
use super::principal::Audience;
use super::work::Work;
use crate::application::AppState;
use crate::domain::enums::EventStatus;
use crate::domain::event::{self as rules, EventFields, local_dates_window};
use crate::error::AppError;
use crate::store;

/// The event named by `reference` (id or slug), if `audience` may see it.
pub async fn visible(
    state: &AppState,
    reference: &str,
    audience: Audience,
) -> Result<events::Model, AppError> {
    match store::events::find(&state.db, reference).await? {
        Some(event) if audience.sees_drafts() || event.status != EventStatus::Draft => Ok(event),
        _ => Err(AppError::NotFound("event")),
    }
}

/// Like [`visible`], from the event cache (for the hot paths).
pub async fn visible_cached(
    state: &AppState,
    reference: &str,
    audience: Audience,
) -> Result<Arc<events::Model>, AppError> {
    match state.cached_event(reference).await? {
        Some(event) if audience.sees_drafts() || event.status != EventStatus::Draft => Ok(event),
        _ => Err(AppError::NotFound("event")),
    }
}

/// A page of events: published ones for the public; with `status`, that status only (drafts
/// for organizers only).
pub async fn list(
    state: &AppState,
    audience: Audience,
    status: Option<EventStatus>,
    after: Option<Uuid>,
    limit: u64,
) -> Result<Vec<events::Model>, AppError> {
    let statuses = match (status, audience.sees_drafts()) {
        (Some(EventStatus::Draft), false) => return Ok(Vec::new()),
        (Some(status), _) => vec![status],
        (None, true) => EventStatus::ALL.to_vec(),
        (None, false) => vec![EventStatus::Published],
    };
    store::events::list(&state.db, &statuses, after, limit).await
}

/// Creates an event; it starts as a draft.
pub async fn create(state: &AppState, fields: EventFields) -> Result<events::Model, AppError> {
    fields.validate()?;
    let model = store::events::insert(&state.writer, &fields, Utc::now()).await?;
    state.agenda_changed();
    Ok(model)
}

/// Changes an event: `change` turns its current fields into the new ones. Changing the dates
/// or the time zone is refused while a session would fall outside them.
pub async fn update(
    state: &AppState,
    reference: &str,
    change: impl FnOnce(EventFields) -> EventFields,
) -> Result<Outcome<events::Model>, AppError> {
    let current = visible(state, reference, Audience::Organizers).await?;
    let before = fields_of(&current)?;
    let after = change(before.clone());
    let tz = after.validate_change(&before)?;
    let new_window = (after.timezone != before.timezone
        || after.starts_on != before.starts_on
        || after.ends_on != before.ends_on)
        .then(|| local_dates_window(tz, after.starts_on, after.ends_on));
    let work = Work::begin(&state.writer).await?;
    let (updated, happened) =
        store::events::update(work.db(), current, &after, new_window, Utc::now()).await?;
    work.commit(updated.id, &happened).await?;
    state.agenda_changed();
    Ok(Outcome::new((updated, happened)))
}

/// Makes a draft public; publishing a published event changes nothing; a cancelled event
/// cannot be published again.
pub async fn publish(state: &AppState, reference: &str) -> Result<events::Model, AppError> {
    change_status(state, reference, rules::publish).await
}

/// Cancels an event: it stays visible as cancelled, and registration closes.
pub async fn cancel(state: &AppState, reference: &str) -> Result<events::Model, AppError> {
    change_status(state, reference, rules::cancel).await
}

async fn change_status(
    state: &AppState,
    reference: &str,
    transition: fn(EventStatus) -> Result<EventStatus, rules::StatusChangeRefused>,
) -> Result<events::Model, AppError> {
    let current = visible(state, reference, Audience::Organizers).await?;
    // Decided in the transaction, from the status the event has under its lock.
    let work = Work::begin(&state.writer).await?;
    let model = store::events::set_status(
        work.db(),
        current.id,
        |from| transition(from).map_err(|refused| AppError::refused(refused.to_string())),
        Utc::now(),
    )
    .await?;
    work.commit_quietly().await?;
    state.agenda_changed();
    Ok(model)
}

/// The language a reader of `event` gets: `asked` (`?lang=`) when the event is offered in
/// it, else the first of `accept_language` it is offered in, else its default language.
pub fn reader_language(
    event: &events::Model,
    asked: Option<&str>,
    accept_language: Option<&str>,
) -> String {
    crate::domain::language::choose(
        asked,
        accept_language,
        &event.languages,
        &event.default_language,
    )
}

/// The fields of a stored event.
pub fn fields_of(model: &events::Model) -> Result<EventFields, AppError> {
    Ok(EventFields {
        slug: model.slug.clone(),
        title: model.title.clone(),
        kind: model.kind,
        description: model.description.clone(),
        venue: model.venue.clone(),
        city: model.city.clone(),
        country: model.country.clone(),
        timezone: model.timezone.clone(),
        starts_on: model.starts_on,
        ends_on: model.ends_on,
        capacity: model.capacity,
        registration_mode: model.registration_mode,
        registration_opens_at: model.registration_opens_at,
        registration_closes_at: model.registration_closes_at,
        waitlist_enabled: model.waitlist_enabled,
        default_language: model.default_language.clone(),
        languages: model.languages.clone(),
        translations: model.translations.clone(),
    })
}
