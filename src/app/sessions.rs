//! Use cases of sessions: create and change (within the event's local dates; a busy room or
//! speaker is a clash unless the organizer keeps the overlap on purpose), delete (a session
//! that was ever public stays in feeds as cancelled), read and list (drafts for organizers
//! only). Every change empties the event cache after its commit.

use chrono::NaiveDate;
use uuid::Uuid;

use entities::events;

use super::Outcome;
use super::events::visible;
use super::principal::Audience;
use super::work::Work;
use crate::application::AppState;
use crate::domain::enums::SessionStatus;

use crate::domain::event::{local_dates_window, local_day_span, parse_timezone};
use crate::domain::session::SessionFields;
use crate::error::AppError;
use crate::store;
use crate::store::sessions::{SessionFilter, SessionRow};

/// Which sessions a list shows.
#[derive(Debug, Default)]
pub struct SessionQuery {
    /// Only this status; without it the public sees published sessions and organizers all.
    pub status: Option<SessionStatus>,
    pub track: Option<Uuid>,
    pub room: Option<Uuid>,
    pub speaker: Option<Uuid>,
    pub language: Option<String>,
    /// Only sessions starting on this local date of the event.
    pub day: Option<NaiveDate>,
}

/// Creates a session of the event named by `event` (id or slug).
pub async fn create(
    state: &AppState,
    event: &str,
    fields: SessionFields,
    allow_overlap: bool,
) -> Result<Outcome<(events::Model, SessionRow)>, AppError> {
    let event = visible(state, event, Audience::Organizers).await?;
    validate(&fields, &event)?;
    let work = Work::begin(&state.writer).await?;
    let (row, happened) =
        store::session_changes::save(work.db(), event.id, None, &fields, allow_overlap).await?;
    work.commit(event.id, &happened).await?;
    state.agenda_changed();
    Ok(Outcome::new(((event, row), happened)))
}

/// Changes a session: `change` turns its current fields into the new ones; the rules of
/// create apply to the result.
pub async fn update(
    state: &AppState,
    event: &str,
    id: Uuid,
    change: impl FnOnce(SessionFields) -> SessionFields,
    allow_overlap: bool,
) -> Result<Outcome<(events::Model, SessionRow)>, AppError> {
    let event = visible(state, event, Audience::Organizers).await?;
    let current = find_in(state, &event, id).await?;
    let fields = change(store::sessions::row_fields(&current)?);
    validate(&fields, &event)?;
    let work = Work::begin(&state.writer).await?;
    let (row, happened) =
        store::session_changes::save(work.db(), event.id, Some(&current), &fields, allow_overlap)
            .await?;
    work.commit(event.id, &happened).await?;
    state.agenda_changed();
    Ok(Outcome::new(((event, row), happened)))
}

/// Deletes a session.
pub async fn delete(state: &AppState, event: &str, id: Uuid) -> Result<Outcome<()>, AppError> {
    let event = visible(state, event, Audience::Organizers).await?;
    let current = find_in(state, &event, id).await?;
    let work = Work::begin(&state.writer).await?;
    let happened = store::session_changes::delete(work.db(), event.id, &current).await?;
    work.commit(event.id, &happened).await?;
    state.agenda_changed();
    Ok(Outcome::new(((), happened)))
}

/// One session, if `audience` may see it (drafts are not found by the public).
pub async fn find(
    state: &AppState,
    event: &str,
    audience: Audience,
    id: Uuid,
) -> Result<(events::Model, SessionRow), AppError> {
    let event = visible(state, event, audience).await?;
    let row = find_in(state, &event, id).await?;
    if !audience.sees_drafts() && row.session.status == SessionStatus::Draft {
        return Err(AppError::NotFound("session"));
    }
    Ok((event, row))
}

/// A page of sessions by start time, after the session `after` (its start and id).
pub async fn list(
    state: &AppState,
    event: &str,
    audience: Audience,
    query: SessionQuery,
    after: Option<(chrono::DateTime<chrono::Utc>, Uuid)>,
    limit: u64,
) -> Result<(events::Model, Vec<SessionRow>), AppError> {
    let event = visible(state, event, audience).await?;
    let organizer = audience.sees_drafts();
    let statuses = match (query.status, organizer) {
        (Some(SessionStatus::Draft), false) => return Ok((event, Vec::new())),
        (Some(status), _) => vec![status],
        (None, true) => Vec::new(),
        (None, false) => vec![SessionStatus::Published],
    };
    let mut filter = SessionFilter {
        statuses,
        track_id: query.track,
        room_id: query.room,
        speaker_id: query.speaker,
        language: query.language,
        ..Default::default()
    };
    if let Some(day) = query.day {
        let tz = parse_timezone(&event.timezone).map_err(AppError::unexpected)?;
        let (from, before) = local_day_span(tz, day);
        filter.starts_from = Some(from);
        filter.starts_before = before;
    }
    let rows = store::sessions::list(&state.db, event.id, &filter, after, limit).await?;
    Ok((event, rows))
}

async fn find_in(
    state: &AppState,
    event: &events::Model,
    id: Uuid,
) -> Result<SessionRow, AppError> {
    store::sessions::find(&state.db, event.id, id)
        .await?
        .ok_or(AppError::NotFound("session"))
}

fn validate(fields: &SessionFields, event: &events::Model) -> Result<(), AppError> {
    let tz = parse_timezone(&event.timezone).map_err(AppError::unexpected)?;
    fields.validate(local_dates_window(tz, event.starts_on, event.ends_on))?;
    Ok(())
}
