//! Organizer and check-in tokens: creation (returns the token once) and look-up by hash.

use std::collections::HashMap;

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    PaginatorTrait, QueryFilter,
};
use uuid::Uuid;

use entities::api_tokens;

use crate::domain::enums::TokenRole;
use crate::domain::token::{self, TokenKind};

/// A token that was just created: the only time its text exists.
pub struct IssuedToken {
    pub id: Uuid,
    pub token: String,
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
    api_tokens::ActiveModel {
        id: Set(id),
        token_hash: Set(token::hash(&text)),
        role: Set(role.as_str().to_owned()),
        event_id: Set(event_id),
        label: Set(label.to_owned()),
        created_at: Set(Utc::now()),
        revoked_at: Set(None),
    }
    .insert(db)
    .await?;
    Ok(IssuedToken { id, token: text })
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
