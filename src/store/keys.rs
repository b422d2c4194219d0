//! The keyring that signs badge codes: Ed25519 keys kept in the database (sealed with the
//! master key) so every instance signs and verifies alike. The first start creates key 1;
//! `rotate` adds the next one; `retire` stops accepting an old one. Or, with
//! `SIGNING_KEYS_FILE`, the keys come from a file given at start and none is in the database.

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
use crate::sealing::MasterKey;

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

/// Loads the keyring, creating the first key when there is none, and sealing keys an
/// earlier release kept in plain hex.
pub async fn load_or_create<C: ConnectionTrait>(
    db: &C,
    master: &MasterKey,
) -> Result<Keyring, AppError> {
    if signing_keys::Entity::find().one(db).await?.is_none() {
        let inserted = insert_key(db, 1, master).await;
        if let Err(err) = inserted
            && !matches!(&err, AppError::Failed(Failure::Database(db_err)) if is_unique_violation(db_err))
        {
            return Err(err);
        }
    }
    for row in signing_keys::Entity::find().all(db).await? {
        if !MasterKey::is_sealed(&row.secret_key) {
            let name = key_name(row.kid);
            let secret = master
                .open(&name, &row.secret_key)
                .map_err(|err| AppError::unexpected(err.to_string()))?;
            signing_keys::Entity::update_many()
                .col_expr(
                    signing_keys::Column::SecretKey,
                    Expr::value(master.seal(&name, &secret)),
                )
                .filter(signing_keys::Column::Kid.eq(row.kid))
                .filter(signing_keys::Column::SecretKey.eq(row.secret_key))
                .exec(db)
                .await?;
        }
    }
    load(db, master).await
}

/// The name a key's seal is bound to.
fn key_name(kid: i32) -> String {
    format!("signing-key-{kid}")
}

async fn insert_key<C: ConnectionTrait>(
    db: &C,
    kid: i32,
    master: &MasterKey,
) -> Result<(), AppError> {
    let key = SigningKey::from_bytes(&random_seed());
    signing_keys::ActiveModel {
        kid: Set(kid),
        secret_key: Set(master.seal(&key_name(kid), &key.to_bytes())),
        public_key: Set(hex::encode(key.verifying_key().to_bytes())),
        active: Set(true),
        created_at: Set(Utc::now()),
        retired_at: Set(None),
    }
    .insert(db)
    .await?;
    Ok(())
}

/// Reads every key; the newest active key signs; retired keys verify nothing.
pub async fn load<C: ConnectionTrait>(db: &C, master: &MasterKey) -> Result<Keyring, AppError> {
    let rows = signing_keys::Entity::find()
        .order_by_asc(signing_keys::Column::Kid)
        .all(db)
        .await?;
    keyring_of(
        master,
        "signing key",
        key_name,
        rows.iter().map(|r| {
            (
                r.kid,
                r.secret_key.as_str(),
                r.active,
                r.retired_at.is_none(),
            )
        }),
    )
}

/// A keyring from stored rows `(kid, sealed secret, active, not retired)` whose seals are
/// bound to `name(kid)`: the active key signs, keys not retired verify.
pub(super) fn keyring_of<'a>(
    master: &MasterKey,
    what: &str,
    name: impl Fn(i32) -> String,
    rows: impl Iterator<Item = (i32, &'a str, bool, bool)>,
) -> Result<Keyring, AppError> {
    let broken = || AppError::unexpected(format!("a stored {what} is malformed"));
    let mut public = HashMap::new();
    let mut active = None;
    for (kid, sealed, is_active, verifies) in rows {
        let secret: [u8; 32] = master
            .open(&name(kid), sealed)
            .map_err(|err| AppError::unexpected(err.to_string()))?
            .try_into()
            .map_err(|_| broken())?;
        let kid = u8::try_from(kid).map_err(|_| broken())?;
        let key = SigningKey::from_bytes(&secret);
        if verifies {
            public.insert(kid, key.verifying_key());
        }
        if is_active {
            active = Some((kid, key));
        }
    }
    let (active_kid, active) =
        active.ok_or_else(|| AppError::unexpected(format!("no active {what}")))?;
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
pub async fn rotate(txn: &DatabaseTransaction, master: &MasterKey) -> Result<Keyring, AppError> {
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
    insert_key(txn, newest + 1, master).await?;
    let keys = load(txn, master).await?;
    Ok(keys)
}

/// Retires key `kid`: codes signed with it are no longer accepted anywhere. The key that
/// signs cannot be retired (rotate first); retiring twice changes nothing.
pub async fn retire(txn: &DatabaseTransaction, kid: u8) -> Result<(), AppError> {
    let key = signing_keys::Entity::find_by_id(i32::from(kid))
        .one(txn)
        .await?
        .ok_or(AppError::NotFound("signing key"))?;
    if key.active {
        return Err(AppError::refused(
            "this key signs new badges: rotate to a new key first (dialogue keys rotate)",
        ));
    }
    signing_keys::Entity::update_many()
        .col_expr(signing_keys::Column::RetiredAt, Expr::value(Utc::now()))
        .filter(signing_keys::Column::Kid.eq(i32::from(kid)))
        .filter(signing_keys::Column::RetiredAt.is_null())
        .exec(txn)
        .await?;
    Ok(())
}

/// The keyring of a `SIGNING_KEYS_FILE`: one key per line, `<kid> <64 hex characters of the
/// seed>`; the highest kid signs, all verify (retire a key by deleting its line). Blank lines
/// and lines starting with `#` are skipped.
pub fn from_file(text: &str) -> Result<Keyring, String> {
    let mut public = HashMap::new();
    let mut newest: Option<(u8, SigningKey)> = None;
    for (number, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let bad = || {
            format!(
                "line {}: expected `<kid 1-255> <64 hex characters>`",
                number + 1
            )
        };
        let (kid, seed) = line.split_once(char::is_whitespace).ok_or_else(bad)?;
        let kid: u8 = kid.parse().ok().filter(|k| *k > 0).ok_or_else(bad)?;
        let seed: [u8; 32] = hex::decode(seed.trim())
            .ok()
            .and_then(|b| b.try_into().ok())
            .ok_or_else(bad)?;
        let key = SigningKey::from_bytes(&seed);
        if public.insert(kid, key.verifying_key()).is_some() {
            return Err(format!("line {}: key {kid} appears twice", number + 1));
        }
        if newest.as_ref().is_none_or(|(n, _)| kid > *n) {
            newest = Some((kid, key));
        }
    }
    let (active_kid, active) = newest.ok_or("the file holds no key")?;
    Ok(Keyring {
        active_kid,
        active,
        public,
    })
}
