//! The keyring that signs badge codes: Ed25519 keys kept in the database so every instance
//! signs and verifies alike. The first start creates key 1; `rotate` adds the next one.

use std::collections::HashMap;

use chrono::Utc;
use ed25519_dalek::{SigningKey, VerifyingKey};
use rand::RngCore;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseTransaction,
    EntityTrait, QueryFilter, QueryOrder,
};

use entities::signing_keys;

use super::is_unique_violation;
use crate::error::{AppError, Failure};

/// The keys an instance knows: the active one signs, all verify.
#[derive(Clone)]
pub struct Keyring {
    pub active_kid: u8,
    pub active: SigningKey,
    pub public: HashMap<u8, VerifyingKey>,
}

impl std::fmt::Debug for Keyring {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Keyring")
            .field("active_kid", &self.active_kid)
            .field("kids", &self.public.keys().collect::<Vec<_>>())
            .finish_non_exhaustive()
    }
}

impl Keyring {
    /// A throwaway keyring for processes that never sign (printing the OpenAPI document).
    pub fn ephemeral() -> Self {
        let key = SigningKey::from_bytes(&random_seed());
        let mut public = HashMap::new();
        public.insert(0, key.verifying_key());
        Keyring {
            active_kid: 0,
            active: key,
            public,
        }
    }
}

fn random_seed() -> [u8; 32] {
    let mut seed = [0u8; 32];
    rand::rng().fill_bytes(&mut seed);
    seed
}

/// Loads the keyring, creating the first key when there is none.
pub async fn load_or_create<C: ConnectionTrait>(db: &C) -> Result<Keyring, AppError> {
    if signing_keys::Entity::find().one(db).await?.is_none() {
        let inserted = insert_key(db, 1).await;
        if let Err(err) = inserted
            && !matches!(&err, AppError::Failed(Failure::Database(db_err)) if is_unique_violation(db_err))
        {
            return Err(err);
        }
    }
    load(db).await
}

async fn insert_key<C: ConnectionTrait>(db: &C, kid: i32) -> Result<(), AppError> {
    let key = SigningKey::from_bytes(&random_seed());
    signing_keys::ActiveModel {
        kid: Set(kid),
        secret_key: Set(hex::encode(key.to_bytes())),
        public_key: Set(hex::encode(key.verifying_key().to_bytes())),
        active: Set(true),
        created_at: Set(Utc::now()),
    }
    .insert(db)
    .await?;
    Ok(())
}

/// Reads every key; the newest active key signs.
pub async fn load<C: ConnectionTrait>(db: &C) -> Result<Keyring, AppError> {
    let rows = signing_keys::Entity::find()
        .order_by_asc(signing_keys::Column::Kid)
        .all(db)
        .await?;
    let broken = || AppError::unexpected("a stored signing key is malformed");
    let mut public = HashMap::new();
    let mut active = None;
    for row in rows {
        let kid = u8::try_from(row.kid).map_err(|_| broken())?;
        let secret: [u8; 32] = hex::decode(&row.secret_key)
            .ok()
            .and_then(|b| b.try_into().ok())
            .ok_or_else(broken)?;
        let key = SigningKey::from_bytes(&secret);
        public.insert(kid, key.verifying_key());
        if row.active {
            active = Some((kid, key));
        }
    }
    let (active_kid, active) =
        active.ok_or_else(|| AppError::unexpected("no active signing key"))?;
    Ok(Keyring {
        active_kid,
        active,
        public,
    })
}

/// Adds a new key and makes it the one that signs; older keys still verify. Atomic: a
/// failure (or a crash) leaves the old key active, readers never see no active key, and
/// rotations at the same moment (two processes, two hosts) run one after the other, each
/// adding a key.
pub async fn rotate(txn: &DatabaseTransaction) -> Result<Keyring, AppError> {
    // A no-op update first locks every key row (PostgreSQL) or takes the write lock
    // (SQLite) before anything is read, so the newest kid read below cannot be stale: a
    // rotation at the same moment waits here until this one commits.
    signing_keys::Entity::update_many()
        .col_expr(
            signing_keys::Column::Active,
            Expr::col(signing_keys::Column::Active),
        )
        .exec(txn)
        .await?;
    let newest = signing_keys::Entity::find()
        .order_by_desc(signing_keys::Column::Kid)
        .one(txn)
        .await?
        .map(|k| k.kid)
        .unwrap_or(0);
    if newest >= 255 {
        return Err(AppError::refused("the key id space (1..=255) is used up"));
    }
    signing_keys::Entity::update_many()
        .col_expr(signing_keys::Column::Active, Expr::value(false))
        .filter(signing_keys::Column::Active.eq(true))
        .exec(txn)
        .await?;
    insert_key(txn, newest + 1).await?;
    let keys = load(txn).await?;
    Ok(keys)
}
