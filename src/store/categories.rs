//! An event's categories in the database (`event_categories`): read in order, and replaced
//! whole in one transaction.

use std::collections::BTreeMap;

use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
};
use uuid::Uuid;

use entities::event_categories;

use crate::domain::categories::CategorySetting;
use crate::domain::enums::Category;
use crate::error::AppError;

/// The categories an event stored, in its order (empty: it never set them). A row whose key
/// this release does not know is passed over.
pub async fn of_event<C: ConnectionTrait>(
    db: &C,
    event_id: Uuid,
) -> Result<Vec<CategorySetting>, AppError> {
    let rows = event_categories::Entity::find()
        .filter(event_categories::Column::EventId.eq(event_id))
        .order_by_asc(event_categories::Column::Position)
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|row| {
            let key = row.key.parse::<Category>().ok()?;
            let translations: BTreeMap<String, String> =
                serde_json::from_value(row.translations).unwrap_or_default();
            Some(CategorySetting {
                key,
                public: row.public,
                color: row.color,
                translations,
            })
        })
        .collect())
}

/// Replaces an event's categories with `settings` (in this order).
pub async fn replace<C: ConnectionTrait>(
    db: &C,
    event_id: Uuid,
    settings: &[CategorySetting],
) -> Result<(), AppError> {
    event_categories::Entity::delete_many()
        .filter(event_categories::Column::EventId.eq(event_id))
        .exec(db)
        .await?;
    let rows: Vec<event_categories::ActiveModel> = settings
        .iter()
        .enumerate()
        .map(|(position, c)| event_categories::ActiveModel {
            event_id: Set(event_id),
            key: Set(c.key.as_str().to_owned()),
            public: Set(c.public),
            color: Set(c.color.clone()),
            translations: Set(serde_json::json!(c.translations)),
            position: Set(i32::try_from(position).unwrap_or(i32::MAX)),
        })
        .collect();
    if !rows.is_empty() {
        event_categories::Entity::insert_many(rows).exec(db).await?;
    }
    Ok(())
}
