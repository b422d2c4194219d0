//! Use cases of an event's categories: anyone reads them (a draft's only its organizers),
//! organizers replace them, and registration asks whether the public may choose one.

use std::sync::Arc;

use uuid::Uuid;

use super::events::{visible, visible_cached};
use super::principal::{Audience, Principal};
use crate::application::AppState;
use crate::domain::categories::{self, Categories, CategoryInput};
use crate::domain::enums::Category;
use crate::error::AppError;
use crate::store;

/// The categories of the event named by `event`.
pub async fn list(
    state: &AppState,
    event: &str,
    audience: Audience,
) -> Result<Arc<Categories>, AppError> {
    let event = visible_cached(state, event, audience).await?;
    of_event(state, event.id).await
}

/// The categories of an event by id, from this instance's cache when it may be trusted.
pub async fn of_event(state: &AppState, event_id: Uuid) -> Result<Arc<Categories>, AppError> {
    if let Some(categories) = state.heads.categories(event_id) {
        return Ok(categories);
    }
    let generation = state.heads.generation();
    let stored = store::categories::of_event(&state.db, event_id).await?;
    let categories = Arc::new(Categories::from_stored(stored));
    state
        .heads
        .put_categories_if(event_id, categories.clone(), generation);
    Ok(categories)
}

/// Replaces the categories of an event (organizers only); every instance forgets what it
/// cached of them.
pub async fn replace(
    state: &AppState,
    caller: &Principal,
    event: &str,
    input: Vec<CategoryInput>,
) -> Result<Arc<Categories>, AppError> {
    caller.require_organizer()?;
    let event = visible(state, event, Audience::Organizers).await?;
    let categories = categories::parse(input)?;
    let work = super::work::Work::begin(&state.writer).await?;
    // Like every write of an event: under its lock, so two replacements follow each other.
    store::seats::lock_event(work.db(), event.id).await?;
    store::categories::replace(work.db(), event.id, &categories.0).await?;
    store::events::notify_change(work.db()).await?;
    work.commit_quietly().await?;
    state.agenda_changed();
    Ok(Arc::new(categories))
}

/// Refuses a category the public may not choose at this event (422 naming `category`);
/// organizers may give any.
pub async fn check_choice(
    state: &AppState,
    event_id: Uuid,
    category: Category,
    audience: Audience,
) -> Result<(), AppError> {
    if audience == Audience::Organizers {
        return Ok(());
    }
    of_event(state, event_id)
        .await?
        .check_public(category)
        .map_err(AppError::from)
}
