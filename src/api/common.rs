//! Pieces every area shares: paging parameters, the event a path names (and whether this
//! caller may see it), and rendering instants in an event's time zone.

use chrono::{DateTime, FixedOffset, Utc};
use chrono_tz::Tz;
use uuid::Uuid;

use entities::events;

use crate::app::principal::Audience;
use crate::application::AppState;
use crate::domain::event::parse_timezone;
use crate::domain::validation::ValidationErrors;
use crate::error::AppError;
use crate::store::pagination;

/// The event named by `reference` (id or slug). Drafts exist only for organizers: anyone
/// else gets 404, never 403.
pub async fn visible_event(
    state: &AppState,
    reference: &str,
    organizer: bool,
) -> Result<events::Model, AppError> {
    crate::app::events::visible(state, reference, Audience::of(organizer)).await
}

/// Like [`visible_event`], from the event cache (for the hot paths).
pub async fn cached_visible_event(
    state: &AppState,
    reference: &str,
    organizer: bool,
) -> Result<std::sync::Arc<events::Model>, AppError> {
    crate::app::events::visible_cached(state, reference, Audience::of(organizer)).await
}

/// The event's time zone.
pub fn event_tz(event: &events::Model) -> Result<Tz, AppError> {
    parse_timezone(&event.timezone).map_err(AppError::unexpected)
}

/// An incoming instant in UTC, to the microsecond (what PostgreSQL keeps; SQLite then stores
/// the same value, so both compare and page alike).
pub fn to_utc(at: DateTime<FixedOffset>) -> DateTime<Utc> {
    use chrono::SubsecRound;
    at.with_timezone(&Utc).trunc_subsecs(6)
}

/// An instant as the event's local time with its offset.
pub fn local(at: DateTime<Utc>, tz: Tz) -> DateTime<FixedOffset> {
    at.with_timezone(&tz).fixed_offset()
}

/// The page size and starting point from `?limit=` and `?cursor=`.
pub fn page_params(
    limit: Option<u32>,
    cursor: Option<&str>,
) -> Result<(u64, Option<pagination::After>), AppError> {
    let mut errors = ValidationErrors::new();
    let size = errors.check("limit", pagination::page_size(limit));
    let after = match cursor {
        Some(text) => errors.check("cursor", pagination::decode(text)),
        None => None,
    };
    match size {
        Some(size) if errors.is_empty() => Ok((size, after)),
        _ => Err(errors.into()),
    }
}

/// The id a cursor names, for lists in id order.
pub fn after_id(after: Option<pagination::After>) -> Result<Option<Uuid>, AppError> {
    match after {
        None => Ok(None),
        Some(pagination::After::Id(id)) => Ok(Some(id)),
        Some(_) => Err(ValidationErrors::single("cursor", "is not a cursor of this list").into()),
    }
}

/// The next page's cursor: present when the page is full.
pub fn next_cursor<T>(
    items: &[T],
    limit: u64,
    position: impl Fn(&T) -> pagination::After,
) -> Option<String> {
    if items.len() as u64 == limit {
        items.last().map(|last| pagination::encode(position(last)))
    } else {
        None
    }
}

/// Parses a path id; an unparseable id names nothing, so it is 404.
pub fn path_id(text: &str, what: &'static str) -> Result<Uuid, AppError> {
    Uuid::parse_str(text).map_err(|_| AppError::NotFound(what))
}
