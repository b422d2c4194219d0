//! The one place where what happened ([`Happened`]) is written, inside the transaction that
//! made it happen. The e-mail outbox will add its rows here too.

use chrono::Utc;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
};
use uuid::Uuid;

use entities::journal;

use crate::domain::happened::Happened;
use crate::error::AppError;

/// Writes what happened at one event in the caller's transaction (nothing when nothing
/// happened).
pub async fn record<C: ConnectionTrait>(
    txn: &C,
    event_id: Uuid,
    happened: &[Happened],
) -> Result<(), AppError> {
    let rows: Vec<(Uuid, Happened)> = happened.iter().map(|h| (event_id, *h)).collect();
    record_at(txn, &rows).await
}

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
