//! Organizer and check-in tokens: creation (returns the token once), listing, revocation and
//! look-up by hash. A revoked token stops working at the next request: every request reads
//! the token's row (see `token_lookups`).

use std::collections::HashMap;

use chrono::{DateTime, SubsecRound, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseTransaction, DbErr,
    EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, Select,
};
use uuid::Uuid;

use entities::api_tokens;

use crate::domain::enums::TokenRole;
use crate::domain::token::{self, TokenKind};
use crate::error::AppError;

/// A token that was just created: the only time its text exists.
pub struct IssuedToken {
    pub id: Uuid,
    pub token: String,
    pub created_at: DateTime<Utc>,
}

/// Creates a token for `role`, bound to `event_id` for check-in tokens.
pub async fn create<C: ConnectionTrait>(
    db: &C,
    role: TokenRole,
    event_id: Option<Uuid>,
    label: &str,
) -> Result<IssuedToken, DbErr> {
    let kind = match role {
        TokenRole::Organizer => TokenKind::Organizer,
        TokenRole::Checkin => TokenKind::Checkin,
    };
    let text = token::generate(kind);
    let stored = insert(db, &token::hash(&text), role, event_id, label).await?;
    Ok(IssuedToken {
        id: stored.id,
        token: text,
        created_at: stored.created_at,
    })
}

/// Stores a token by its hash (the text itself is never stored).
pub async fn insert<C: ConnectionTrait>(
    db: &C,
    hash: &str,
    role: TokenRole,
    event_id: Option<Uuid>,
    label: &str,
) -> Result<api_tokens::Model, DbErr> {
    // Microseconds, as both databases keep them: the time shown at creation is the stored one.
    api_tokens::ActiveModel {
        id: Set(Uuid::now_v7()),
        token_hash: Set(hash.to_owned()),
        role: Set(role),
        event_id: Set(event_id),
        label: Set(label.to_owned()),
        created_at: Set(Utc::now().trunc_subsecs(6)),
        revoked_at: Set(None),
    }
    .insert(db)
    .await
}

/// Whether a token with this hash is stored (live or revoked).
pub async fn exists<C: ConnectionTrait>(db: &C, hash: &str) -> Result<bool, DbErr> {
    Ok(api_tokens::Entity::find()
        .filter(api_tokens::Column::TokenHash.eq(hash))
        .one(db)
        .await?
        .is_some())
}

/// How many live organizer tokens exist.
pub async fn count_organizer_tokens<C: ConnectionTrait>(db: &C) -> Result<u64, DbErr> {
    api_tokens::Entity::find()
        .filter(api_tokens::Column::Role.eq(TokenRole::Organizer.as_str()))
        .filter(api_tokens::Column::RevokedAt.is_null())
        .count(db)
        .await
}

/// The live tokens among these hashes, by hash.
pub async fn find_live_by_hashes<C: ConnectionTrait>(
    db: &C,
    hashes: &[String],
) -> Result<HashMap<String, api_tokens::Model>, DbErr> {
    Ok(api_tokens::Entity::find()
        .filter(api_tokens::Column::TokenHash.is_in(hashes.iter().cloned()))
        .filter(api_tokens::Column::RevokedAt.is_null())
        .all(db)
        .await?
        .into_iter()
        .map(|t| (t.token_hash.clone(), t))
        .collect())
}

/// Which tokens an operation reaches: every token (the command line, run by whoever runs the
/// server) or the check-in tokens of one event (its organizers, over HTTP).
#[derive(Debug, Clone, Copy)]
pub enum TokenScope {
    All,
    CheckinOf(Uuid),
}

impl TokenScope {
    fn select(self) -> Select<api_tokens::Entity> {
        let all = api_tokens::Entity::find();
        match self {
            TokenScope::All => all,
            TokenScope::CheckinOf(event_id) => all
                .filter(api_tokens::Column::Role.eq(TokenRole::Checkin.as_str()))
                .filter(api_tokens::Column::EventId.eq(event_id)),
        }
    }
}

/// The tokens in `scope`, oldest first (hashes included: callers must not show them).
pub async fn list<C: ConnectionTrait>(
    db: &C,
    scope: TokenScope,
) -> Result<Vec<api_tokens::Model>, DbErr> {
    scope
        .select()
        .order_by_asc(api_tokens::Column::CreatedAt)
        .order_by_asc(api_tokens::Column::Id)
        .all(db)
        .await
}

/// Revokes the token `id` in `scope` unless it already is; the first revocation time stays.
/// None when `scope` holds no such token. The last live organizer token is never revoked
/// (409): without one nobody could manage anything. The live organizer tokens are locked
/// first, so two revocations at once cannot each leave the other's token as the last.
pub async fn revoke(
    txn: &DatabaseTransaction,
    scope: TokenScope,
    id: Uuid,
) -> Result<Option<api_tokens::Model>, AppError> {
    // A no-op update locks the rows (PostgreSQL) or the database (SQLite) and counts them.
    let live_organizers = api_tokens::Entity::update_many()
        .col_expr(
            api_tokens::Column::RevokedAt,
            Expr::col(api_tokens::Column::RevokedAt),
        )
        .filter(api_tokens::Column::Role.eq(TokenRole::Organizer.as_str()))
        .filter(api_tokens::Column::RevokedAt.is_null())
        .exec(txn)
        .await?
        .rows_affected;
    let Some(token) = scope
        .select()
        .filter(api_tokens::Column::Id.eq(id))
        .one(txn)
        .await?
    else {
        return Ok(None);
    };
    let live_organizer = token.role == TokenRole::Organizer && token.revoked_at.is_none();
    if live_organizer && live_organizers <= 1 {
        return Err(AppError::refused(
            "this is the last organizer token; create another one first",
        ));
    }
    api_tokens::Entity::update_many()
        .col_expr(api_tokens::Column::RevokedAt, Expr::value(Utc::now()))
        .filter(api_tokens::Column::Id.eq(token.id))
        .filter(api_tokens::Column::RevokedAt.is_null())
        .exec(txn)
        .await?;
    let revoked = api_tokens::Entity::find_by_id(token.id).one(txn).await?;
    Ok(revoked)
}
