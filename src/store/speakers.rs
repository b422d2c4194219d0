//! Speakers of an event. Every write bumps the event's agenda version first; a speaker who
//! still speaks in a session cannot be deleted.

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseTransaction,
    EntityTrait, PaginatorTrait, QueryFilter,
};
use uuid::Uuid;

use entities::{session_speakers, speakers};

use super::events::touch_agenda;
use crate::domain::speaker::SpeakerFields;
use crate::error::AppError;

/// A speaker of `event_id`.
pub async fn find<C: ConnectionTrait>(
    db: &C,
    event_id: Uuid,
    id: Uuid,
) -> Result<Option<speakers::Model>, AppError> {
    super::scoped::find::<speakers::Entity, C>(
        db,
        speakers::Column::EventId,
        speakers::Column::Id,
        event_id,
        id,
    )
    .await
}

/// One page of an event's speakers, in creation order.
pub async fn list<C: ConnectionTrait>(
    db: &C,
    event_id: Uuid,
    after: Option<Uuid>,
    limit: u64,
) -> Result<Vec<speakers::Model>, AppError> {
    super::scoped::list::<speakers::Entity, C>(
        db,
        speakers::Column::EventId,
        speakers::Column::Id,
        event_id,
        after,
        limit,
    )
    .await
}

/// Every speaker of an event (for the agenda and feeds).
pub async fn all_of_event<C: ConnectionTrait>(
    db: &C,
    event_id: Uuid,
) -> Result<Vec<speakers::Model>, AppError> {
    Ok(speakers::Entity::find()
        .filter(speakers::Column::EventId.eq(event_id))
        .all(db)
        .await?)
}

/// Creates or replaces a speaker (`id` None creates).
pub async fn save(
    txn: &DatabaseTransaction,
    event_id: Uuid,
    id: Option<Uuid>,
    fields: &SpeakerFields,
) -> Result<speakers::Model, AppError> {
    touch_agenda(txn, event_id, Utc::now()).await?;
    let model = speakers::ActiveModel {
        id: Set(id.unwrap_or_else(Uuid::now_v7)),
        event_id: Set(event_id),
        full_name: Set(fields.full_name.clone()),
        position: Set(fields.position.clone()),
        organization: Set(fields.organization.clone()),
        country: Set(crate::domain::country::stored(fields.country.as_deref())),
        bio: Set(fields.bio.clone()),
        photo_url: Set(fields.photo_url.clone()),
        email: Set(fields.email.clone()),
        translations: Set(fields.translations.clone()),
    };
    let saved = if id.is_some() {
        model.update(txn).await?
    } else {
        model.insert(txn).await?
    };
    Ok(saved)
}

/// Deletes a speaker who is in no session.
pub async fn delete(txn: &DatabaseTransaction, event_id: Uuid, id: Uuid) -> Result<(), AppError> {
    touch_agenda(txn, event_id, Utc::now()).await?;
    let sessions = session_speakers::Entity::find()
        .filter(session_speakers::Column::SpeakerId.eq(id))
        .count(txn)
        .await?;
    if sessions > 0 {
        return Err(AppError::refused(format!(
            "the speaker is in {sessions} session(s); remove them from those first"
        )));
    }
    speakers::Entity::delete_by_id(id)
        .filter(speakers::Column::EventId.eq(event_id))
        .exec(txn)
        .await?;
    Ok(())
}
