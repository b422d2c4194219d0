//! Sessions' integer numbers for the schedule exports: allocated once, in the transaction that
//! creates the session, from a sequence the database keeps; never changed and never reused.

use std::collections::HashMap;

use sea_orm::sea_query::Query;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect,
};
use uuid::Uuid;

use entities::{session_numbers, sessions};

use crate::error::AppError;

/// Gives a new session its number.
pub async fn allocate<C: ConnectionTrait>(db: &C, session_id: Uuid) -> Result<i32, AppError> {
    let inserted = session_numbers::Entity::insert(session_numbers::ActiveModel {
        session_id: Set(session_id),
        ..Default::default()
    })
    .exec(db)
    .await?;
    Ok(inserted.last_insert_id)
}

/// The numbers of an event's sessions, by session id.
pub async fn of_event<C: ConnectionTrait>(
    db: &C,
    event_id: Uuid,
) -> Result<HashMap<Uuid, i32>, AppError> {
    let rows: Vec<(Uuid, i32)> = session_numbers::Entity::find()
        .select_only()
        .column(session_numbers::Column::SessionId)
        .column(session_numbers::Column::Number)
        .filter(
            session_numbers::Column::SessionId.in_subquery(
                Query::select()
                    .column(sessions::Column::Id)
                    .from(sessions::Entity)
                    .and_where(sessions::Column::EventId.eq(event_id))
                    .to_owned(),
            ),
        )
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows.into_iter().collect())
}
