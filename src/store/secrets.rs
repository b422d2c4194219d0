//! Server secrets shared by every instance: created once (the first instance to start wins)
//! and read by all, sealed with the master key (`crate::sealing`); a value kept in plain hex
//! by an earlier release is sealed in place when first read.

use chrono::Utc;
use rand::RngCore;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
};

use entities::server_secrets;

use super::is_unique_violation;
use crate::error::AppError;
use crate::sealing::MasterKey;

/// The secret named `name`, creating 32 random bytes the first time.
pub async fn get_or_create<C: ConnectionTrait>(
    db: &C,
    name: &str,
    master: &MasterKey,
) -> Result<Vec<u8>, AppError> {
    if let Some(found) = server_secrets::Entity::find_by_id(name.to_owned())
        .one(db)
        .await?
    {
        return open(db, name, &found.value, master).await;
    }
    let mut secret = [0u8; 32];
    rand::rng().fill_bytes(&mut secret);
    let inserted = server_secrets::ActiveModel {
        name: Set(name.to_owned()),
        value: Set(master.seal(name, &secret)),
        created_at: Set(Utc::now()),
    }
    .insert(db)
    .await;
    match inserted {
        Ok(_) => Ok(secret.to_vec()),
        // Another instance created it at the same moment: use theirs.
        Err(err) if is_unique_violation(&err) => {
            let found = server_secrets::Entity::find_by_id(name.to_owned())
                .one(db)
                .await?
                .ok_or_else(|| AppError::unexpected(format!("secret {name} vanished")))?;
            open(db, name, &found.value, master).await
        }
        Err(err) => Err(err.into()),
    }
}

/// Opens a stored secret; one kept in plain hex is sealed in place (only if still plain,
/// so two instances starting together seal it once).
async fn open<C: ConnectionTrait>(
    db: &C,
    name: &str,
    stored: &str,
    master: &MasterKey,
) -> Result<Vec<u8>, AppError> {
    let secret = master
        .open(name, stored)
        .map_err(|err| AppError::unexpected(err.to_string()))?;
    if !MasterKey::is_sealed(stored) {
        server_secrets::Entity::update_many()
            .col_expr(
                server_secrets::Column::Value,
                Expr::value(master.seal(name, &secret)),
            )
            .filter(server_secrets::Column::Name.eq(name))
            .filter(server_secrets::Column::Value.eq(stored))
            .exec(db)
            .await?;
    }
    Ok(secret)
}
