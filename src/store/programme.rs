//! Tracks and rooms of an event (rooms in the order of their position). Every write bumps the event's agenda version first; a track
//! or room still used by a session cannot be deleted.

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait,
    ActiveValue::{NotSet, Set},
    ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, PaginatorTrait, QueryFilter,
    QuerySelect,
};
use uuid::Uuid;

use entities::{rooms, sessions, tracks};

use super::events::touch_agenda;
use crate::domain::speaker::{RoomFields, TrackFields};
use crate::error::AppError;

/// A page size that means "all of them" (SQLite binds limits as signed integers).
pub const NO_LIMIT: u64 = i64::MAX as u64;

/// A track of `event_id`.
pub async fn find_track<C: ConnectionTrait>(
    db: &C,
    event_id: Uuid,
    id: Uuid,
) -> Result<Option<tracks::Model>, AppError> {
    super::scoped::find::<tracks::Entity, C>(
        db,
        tracks::Column::EventId,
        tracks::Column::Id,
        event_id,
        id,
    )
    .await
}

/// One page of an event's tracks, in creation order.
pub async fn list_tracks<C: ConnectionTrait>(
    db: &C,
    event_id: Uuid,
    after: Option<Uuid>,
    limit: u64,
) -> Result<Vec<tracks::Model>, AppError> {
    super::scoped::list::<tracks::Entity, C>(
        db,
        tracks::Column::EventId,
        tracks::Column::Id,
        event_id,
        after,
        limit,
    )
    .await
}

/// Creates or replaces a track (`id` None creates).
pub async fn save_track(
    txn: &DatabaseTransaction,
    event_id: Uuid,
    id: Option<Uuid>,
    fields: &TrackFields,
) -> Result<tracks::Model, AppError> {
    touch_agenda(txn, event_id, Utc::now()).await?;
    let model = tracks::ActiveModel {
        id: Set(id.unwrap_or_else(Uuid::now_v7)),
        event_id: Set(event_id),
        name: Set(fields.name.clone()),
        color: Set(fields.color.clone()),
        description: Set(fields.description.clone()),
        translations: Set(fields.translations.clone()),
    };
    let saved = if id.is_some() {
        model.update(txn).await?
    } else {
        model.insert(txn).await?
    };
    Ok(saved)
}

/// Deletes a track no session uses.
pub async fn delete_track(
    txn: &DatabaseTransaction,
    event_id: Uuid,
    id: Uuid,
) -> Result<(), AppError> {
    touch_agenda(txn, event_id, Utc::now()).await?;
    let users = sessions::Entity::find()
        .filter(sessions::Column::TrackId.eq(id))
        .count(txn)
        .await?;
    if users > 0 {
        return Err(AppError::refused(format!(
            "the track is used by {users} session(s); move or delete them first"
        )));
    }
    tracks::Entity::delete_by_id(id)
        .filter(tracks::Column::EventId.eq(event_id))
        .exec(txn)
        .await?;
    Ok(())
}

/// A room of `event_id`.
pub async fn find_room<C: ConnectionTrait>(
    db: &C,
    event_id: Uuid,
    id: Uuid,
) -> Result<Option<rooms::Model>, AppError> {
    super::scoped::find::<rooms::Entity, C>(
        db,
        rooms::Column::EventId,
        rooms::Column::Id,
        event_id,
        id,
    )
    .await
}

/// One page of an event's rooms, in creation order.
pub async fn list_rooms<C: ConnectionTrait>(
    db: &C,
    event_id: Uuid,
    after: Option<Uuid>,
    limit: u64,
) -> Result<Vec<rooms::Model>, AppError> {
    super::scoped::list::<rooms::Entity, C>(
        db,
        rooms::Column::EventId,
        rooms::Column::Id,
        event_id,
        after,
        limit,
    )
    .await
}

/// Creates or replaces a room (`id` None creates).
pub async fn save_room(
    txn: &DatabaseTransaction,
    event_id: Uuid,
    id: Option<Uuid>,
    fields: &RoomFields,
) -> Result<rooms::Model, AppError> {
    touch_agenda(txn, event_id, Utc::now()).await?;
    let position = match (fields.position, id) {
        (Some(position), _) => Set(position),
        (None, Some(_)) => NotSet,
        (None, None) => Set(next_room_position(txn, event_id).await?),
    };
    let model = rooms::ActiveModel {
        id: Set(id.unwrap_or_else(Uuid::now_v7)),
        event_id: Set(event_id),
        name: Set(fields.name.clone()),
        capacity: Set(fields.capacity),
        description: Set(fields.description.clone()),
        position,
        translations: Set(fields.translations.clone()),
    };
    let saved = if id.is_some() {
        model.update(txn).await?
    } else {
        model.insert(txn).await?
    };
    Ok(saved)
}

/// The position after the event's last room (read under the agenda lock `touch_agenda` takes).
async fn next_room_position(txn: &DatabaseTransaction, event_id: Uuid) -> Result<i32, AppError> {
    let last: Option<Option<i32>> = rooms::Entity::find()
        .select_only()
        .column_as(rooms::Column::Position.max(), "last")
        .filter(rooms::Column::EventId.eq(event_id))
        .into_tuple()
        .one(txn)
        .await?;
    Ok(last.flatten().map_or(0, |last| {
        (last + 1).min(crate::domain::speaker::MAX_ROOM_POSITION)
    }))
}

/// Deletes a room no session uses.
pub async fn delete_room(
    txn: &DatabaseTransaction,
    event_id: Uuid,
    id: Uuid,
) -> Result<(), AppError> {
    touch_agenda(txn, event_id, Utc::now()).await?;
    let users = sessions::Entity::find()
        .filter(sessions::Column::RoomId.eq(id))
        .count(txn)
        .await?;
    if users > 0 {
        return Err(AppError::refused(format!(
            "the room is used by {users} session(s); move or delete them first"
        )));
    }
    rooms::Entity::delete_by_id(id)
        .filter(rooms::Column::EventId.eq(event_id))
        .exec(txn)
        .await?;
    Ok(())
}
