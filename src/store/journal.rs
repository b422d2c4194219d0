//! The journal's rows: what happened ([`Happened`]), written by
//! [`Work::commit`](crate::app::work::Work::commit) inside the transaction that made it
//! happen, and read back per event.

use chrono::Utc;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
};
use uuid::Uuid;

use entities::journal;

use crate::domain::happened::Happened;
use crate::error::AppError;

/// Writes what happened at several events in the caller's transaction, in one statement
/// (a group of registrations).
pub async fn record_at<C: ConnectionTrait>(
    txn: &C,
    happened: &[(Uuid, Happened)],
) -> Result<(), AppError> {
    if happened.is_empty() {
        return Ok(());
    }
    let now = Utc::now();
    let rows = happened.iter().map(|(event_id, h)| journal::ActiveModel {
        id: Set(Uuid::now_v7()),
        event_id: Set(*event_id),
        kind: Set(h.kind().to_owned()),
        key: Set(h.key()),
        registration_id: Set(h.registration()),
        session_id: Set(h.session()),
        status: Set(h.status().map(|s| s.as_str().to_owned())),
        occurred_at: Set(now),
    });
    journal::Entity::insert_many(rows).exec(txn).await?;
    Ok(())
}

/// What happened at an event, oldest first.
pub async fn of_event<C: ConnectionTrait>(
    db: &C,
    event_id: Uuid,
) -> Result<Vec<journal::Model>, AppError> {
    Ok(journal::Entity::find()
        .filter(journal::Column::EventId.eq(event_id))
        .order_by_asc(journal::Column::OccurredAt)
        .order_by_asc(journal::Column::Id)
        .all(db)
        .await?)
}
