//! Organizer and check-in tokens: creation (returns the token once), listing, revocation and
//! look-up by hash. A revoked token stops working at the next request: every request reads
//! the token's row (see `token_lookups`).

use std::collections::HashMap;

use chrono::{DateTime, SubsecRound, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, Select,
};
use uuid::Uuid;

use entities::api_tokens;

use crate::domain::enums::TokenRole;
use crate::domain::token::{self, TokenKind};

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
    let id = Uuid::now_v7();
    // Microseconds, as both databases keep them: the time shown at creation is the stored one.
    let created_at = Utc::now().trunc_subsecs(6);
    api_tokens::ActiveModel {
        id: Set(id),
        token_hash: Set(token::hash(&text)),
        role: Set(role.as_str().to_owned()),
        event_id: Set(event_id),
        label: Set(label.to_owned()),
        created_at: Set(created_at),
        revoked_at: Set(None),
    }
    .insert(db)
    .await?;
    Ok(IssuedToken {
        id,
        token: text,
        created_at,
    })
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
/// None when `scope` holds no such token.
pub async fn revoke<C: ConnectionTrait>(
    db: &C,
    scope: TokenScope,
    id: Uuid,
) -> Result<Option<api_tokens::Model>, DbErr> {
    let Some(token) = scope
        .select()
        .filter(api_tokens::Column::Id.eq(id))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    api_tokens::Entity::update_many()
        .col_expr(api_tokens::Column::RevokedAt, Expr::value(Utc::now()))
        .filter(api_tokens::Column::Id.eq(token.id))
        .filter(api_tokens::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    api_tokens::Entity::find_by_id(token.id).one(db).await
}
