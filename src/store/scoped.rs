//! Reads of the items that belong to one event (tracks, rooms, speakers): one by id, or a
//! page in creation order (ids are UUIDv7). Written once for every such table.

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

use crate::error::AppError;

/// The item `id` of `event_id`, if it belongs to that event.
pub async fn find<E, C>(
    db: &C,
    event_column: E::Column,
    id_column: E::Column,
    event_id: Uuid,
    id: Uuid,
) -> Result<Option<E::Model>, AppError>
where
    E: EntityTrait,
    C: ConnectionTrait,
{
    Ok(E::find()
        .filter(id_column.eq(id))
        .filter(event_column.eq(event_id))
        .one(db)
        .await?)
}

/// A page of the event's items after `after`, in creation order.
pub async fn list<E, C>(
    db: &C,
    event_column: E::Column,
    id_column: E::Column,
    event_id: Uuid,
    after: Option<Uuid>,
    limit: u64,
) -> Result<Vec<E::Model>, AppError>
where
    E: EntityTrait,
    C: ConnectionTrait,
{
    let mut query = E::find()
        .filter(event_column.eq(event_id))
        .order_by_asc(id_column)
        .limit(limit);
    if let Some(after) = after {
        query = query.filter(id_column.gt(after));
    }
    Ok(query.all(db).await?)
}
