//! Use cases of an event's tracks, rooms and speakers: create, read, list, change, delete.
//! They follow one pattern, so each kind says once how it is stored ([`Item`]) and the use
//! cases are written once. Every change empties the event cache after its commit.

use std::future::Future;

use sea_orm::{DatabaseConnection, DatabaseTransaction};
use uuid::Uuid;

use entities::{rooms, speakers, tracks};

use super::events;
use super::principal::Audience;
use super::work::Work;
use crate::application::AppState;
use crate::domain::speaker::{RoomFields, SpeakerFields, TrackFields};
use crate::domain::validation::ValidationErrors;
use crate::error::AppError;
use crate::store;

/// A kind of programme item: its fields, its stored model and its repository.
pub trait Item: Sized + Send {
    type Model: Send + Sync;
    /// How the item is named in "not found".
    const NAME: &'static str;
    fn validate(&self) -> Result<(), ValidationErrors>;
    /// Checks a change of the stored item's fields `before` (by default as new fields).
    fn validate_change(&self, _before: &Self) -> Result<(), ValidationErrors> {
        self.validate()
    }
    /// The fields of a stored item.
    fn of(model: &Self::Model) -> Self;
    fn id(model: &Self::Model) -> Uuid;
    fn find(
        db: &DatabaseConnection,
        event_id: Uuid,
        id: Uuid,
    ) -> impl Future<Output = Result<Option<Self::Model>, AppError>> + Send;
    fn list(
        db: &DatabaseConnection,
        event_id: Uuid,
        after: Option<Uuid>,
        limit: u64,
    ) -> impl Future<Output = Result<Vec<Self::Model>, AppError>> + Send;
    fn save(
        &self,
        txn: &DatabaseTransaction,
        event_id: Uuid,
        id: Option<Uuid>,
    ) -> impl Future<Output = Result<Self::Model, AppError>> + Send;
    /// Deletes the item; refused (conflict) while a session uses it.
    fn delete(
        txn: &DatabaseTransaction,
        event_id: Uuid,
        id: Uuid,
    ) -> impl Future<Output = Result<(), AppError>> + Send;
}

/// Creates an item of the event named by `event` (id or slug).
pub async fn create<I: Item>(
    state: &AppState,
    event: &str,
    fields: I,
) -> Result<(entities::events::Model, I::Model), AppError> {
    let event = events::visible(state, event, Audience::Organizers).await?;
    fields.validate()?;
    let work = Work::begin(&state.writer).await?;
    let model = fields.save(work.db(), event.id, None).await?;
    work.commit_quietly().await?;
    state.agenda_changed();
    Ok((event, model))
}

/// One item and its event, if `audience` may see the event.
pub async fn find<I: Item>(
    state: &AppState,
    event: &str,
    audience: Audience,
    id: Uuid,
) -> Result<(entities::events::Model, I::Model), AppError> {
    let event = events::visible(state, event, audience).await?;
    let item = I::find(&state.db, event.id, id)
        .await?
        .ok_or(AppError::NotFound(I::NAME))?;
    Ok((event, item))
}

/// The event and a page of its items, oldest first.
pub async fn list<I: Item>(
    state: &AppState,
    event: &str,
    audience: Audience,
    after: Option<Uuid>,
    limit: u64,
) -> Result<(entities::events::Model, Vec<I::Model>), AppError> {
    let event = events::visible(state, event, audience).await?;
    let items = I::list(&state.db, event.id, after, limit).await?;
    Ok((event, items))
}

/// Changes an item: `change` turns its current fields into the new ones.
pub async fn update<I: Item>(
    state: &AppState,
    event: &str,
    id: Uuid,
    change: impl FnOnce(I) -> I,
) -> Result<I::Model, AppError> {
    let event = events::visible(state, event, Audience::Organizers).await?;
    let current = I::find(&state.db, event.id, id)
        .await?
        .ok_or(AppError::NotFound(I::NAME))?;
    let fields = change(I::of(&current));
    fields.validate_change(&I::of(&current))?;
    let work = Work::begin(&state.writer).await?;
    let model = fields
        .save(work.db(), event.id, Some(I::id(&current)))
        .await?;
    work.commit_quietly().await?;
    state.agenda_changed();
    Ok(model)
}

/// Deletes an item; refused while a session uses it.
pub async fn delete<I: Item>(state: &AppState, event: &str, id: Uuid) -> Result<(), AppError> {
    let event = events::visible(state, event, Audience::Organizers).await?;
    let current = I::find(&state.db, event.id, id)
        .await?
        .ok_or(AppError::NotFound(I::NAME))?;
    let work = Work::begin(&state.writer).await?;
    I::delete(work.db(), event.id, I::id(&current)).await?;
    work.commit_quietly().await?;
    state.agenda_changed();
    Ok(())
}

impl Item for TrackFields {
    type Model = tracks::Model;
    const NAME: &'static str = "track";
    fn validate(&self) -> Result<(), ValidationErrors> {
        TrackFields::validate(self)
    }
    fn of(model: &tracks::Model) -> Self {
        TrackFields {
            name: model.name.clone(),
            color: model.color.clone(),
            description: model.description.clone(),
            translations: model.translations.clone(),
        }
    }
    fn id(model: &tracks::Model) -> Uuid {
        model.id
    }
    async fn find(
        db: &DatabaseConnection,
        event_id: Uuid,
        id: Uuid,
    ) -> Result<Option<tracks::Model>, AppError> {
        store::programme::find_track(db, event_id, id).await
    }
    async fn list(
        db: &DatabaseConnection,
        event_id: Uuid,
        after: Option<Uuid>,
        limit: u64,
    ) -> Result<Vec<tracks::Model>, AppError> {
        store::programme::list_tracks(db, event_id, after, limit).await
    }
    async fn save(
        &self,
        db: &DatabaseTransaction,
        event_id: Uuid,
        id: Option<Uuid>,
    ) -> Result<tracks::Model, AppError> {
        store::programme::save_track(db, event_id, id, self).await
    }
    async fn delete(db: &DatabaseTransaction, event_id: Uuid, id: Uuid) -> Result<(), AppError> {
        store::programme::delete_track(db, event_id, id).await
    }
}

impl Item for RoomFields {
    type Model = rooms::Model;
    const NAME: &'static str = "room";
    fn validate(&self) -> Result<(), ValidationErrors> {
        RoomFields::validate(self)
    }
    fn of(model: &rooms::Model) -> Self {
        RoomFields {
            name: model.name.clone(),
            capacity: model.capacity,
            description: model.description.clone(),
            position: Some(model.position),
            translations: model.translations.clone(),
        }
    }
    fn id(model: &rooms::Model) -> Uuid {
        model.id
    }
    async fn find(
        db: &DatabaseConnection,
        event_id: Uuid,
        id: Uuid,
    ) -> Result<Option<rooms::Model>, AppError> {
        store::programme::find_room(db, event_id, id).await
    }
    async fn list(
        db: &DatabaseConnection,
        event_id: Uuid,
        after: Option<Uuid>,
        limit: u64,
    ) -> Result<Vec<rooms::Model>, AppError> {
        store::programme::list_rooms(db, event_id, after, limit).await
    }
    async fn save(
        &self,
        db: &DatabaseTransaction,
        event_id: Uuid,
        id: Option<Uuid>,
    ) -> Result<rooms::Model, AppError> {
        store::programme::save_room(db, event_id, id, self).await
    }
    async fn delete(db: &DatabaseTransaction, event_id: Uuid, id: Uuid) -> Result<(), AppError> {
        store::programme::delete_room(db, event_id, id).await
    }
}

impl Item for SpeakerFields {
    type Model = speakers::Model;
    const NAME: &'static str = "speaker";
    fn validate(&self) -> Result<(), ValidationErrors> {
        SpeakerFields::validate(self)
    }
    fn validate_change(&self, before: &Self) -> Result<(), ValidationErrors> {
        SpeakerFields::validate_change(self, before)
    }
    fn of(model: &speakers::Model) -> Self {
        SpeakerFields {
            full_name: model.full_name.clone(),
            position: model.position.clone(),
            organization: model.organization.clone(),
            country: model.country.clone(),
            bio: model.bio.clone(),
            photo_url: model.photo_url.clone(),
            email: model.email.clone(),
            translations: model.translations.clone(),
        }
    }
    fn id(model: &speakers::Model) -> Uuid {
        model.id
    }
    async fn find(
        db: &DatabaseConnection,
        event_id: Uuid,
        id: Uuid,
    ) -> Result<Option<speakers::Model>, AppError> {
        store::speakers::find(db, event_id, id).await
    }
    async fn list(
        db: &DatabaseConnection,
        event_id: Uuid,
        after: Option<Uuid>,
        limit: u64,
    ) -> Result<Vec<speakers::Model>, AppError> {
        store::speakers::list(db, event_id, after, limit).await
    }
    async fn save(
        &self,
        db: &DatabaseTransaction,
        event_id: Uuid,
        id: Option<Uuid>,
    ) -> Result<speakers::Model, AppError> {
        store::speakers::save(db, event_id, id, self).await
    }
    async fn delete(db: &DatabaseTransaction, event_id: Uuid, id: Uuid) -> Result<(), AppError> {
        store::speakers::delete(db, event_id, id).await
    }
}
