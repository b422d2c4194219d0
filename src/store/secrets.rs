//! Server secrets shared by every instance: created once (the first instance to start wins)
//! and read by all.

use chrono::Utc;
use rand::RngCore;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ConnectionTrait, EntityTrait};

use entities::server_secrets;

use super::is_unique_violation;
use crate::error::AppError;

/// The secret named `name`, creating 32 random bytes the first time.
pub async fn get_or_create<C: ConnectionTrait>(db: &C, name: &str) -> Result<Vec<u8>, AppError> {
    if let Some(found) = server_secrets::Entity::find_by_id(name.to_owned())
        .one(db)
        .await?
    {
        return decode(&found.value);
    }
    let mut secret = [0u8; 32];
    rand::rng().fill_bytes(&mut secret);
    let inserted = server_secrets::ActiveModel {
        name: Set(name.to_owned()),
        value: Set(hex::encode(secret)),
        created_at: Set(Utc::now()),
    }
    .insert(db)
    .await;
    match inserted {
        Ok(model) => decode(&model.value),
        // Another instance created it at the same moment: use theirs.
        Err(err) if is_unique_violation(&err) => {
            let found = server_secrets::Entity::find_by_id(name.to_owned())
                .one(db)
                .await?
                .ok_or_else(|| AppError::unexpected(format!("secret {name} vanished")))?;
            decode(&found.value)
        }
        Err(err) => Err(err.into()),
    }
}

fn decode(value: &str) -> Result<Vec<u8>, AppError> {
    hex::decode(value).map_err(|_| AppError::unexpected("a stored secret is not hex"))
}
