//! Organizers' console sign-ins: opened with a secret whose hash is kept, found only while the
//! organizer token they were opened with is live and their time has not run out, ended by
//! signing out, by revoking the token, or by the clock (and then purged).

use chrono::{DateTime, SubsecRound, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    QueryFilter,
};
use uuid::Uuid;

use entities::{api_tokens, console_sessions};

use crate::domain::enums::TokenRole;

/// Opens a sign-in for the organizer token `token_id` until `expires_at`.
pub async fn open<C: ConnectionTrait>(
    db: &C,
    secret_hash: &str,
    token_id: Uuid,
    expires_at: DateTime<Utc>,
) -> Result<console_sessions::Model, DbErr> {
    console_sessions::ActiveModel {
        id: Set(Uuid::now_v7()),
        secret_hash: Set(secret_hash.to_owned()),
        token_id: Set(token_id),
        created_at: Set(Utc::now().trunc_subsecs(6)),
        expires_at: Set(expires_at.trunc_subsecs(6)),
    }
    .insert(db)
    .await
}

/// The sign-in with this secret hash, if it has not expired and its token is a live organizer
/// token (read on every request, so a revocation anywhere ends it at once).
pub async fn find_live<C: ConnectionTrait>(
    db: &C,
    secret_hash: &str,
    now: DateTime<Utc>,
) -> Result<Option<console_sessions::Model>, DbErr> {
    console_sessions::Entity::find()
        .filter(console_sessions::Column::SecretHash.eq(secret_hash))
        .filter(console_sessions::Column::ExpiresAt.gt(now))
        .filter(
            console_sessions::Column::TokenId.in_subquery(
                Query::select()
                    .column(api_tokens::Column::Id)
                    .from(api_tokens::Entity)
                    .and_where(Expr::col(api_tokens::Column::RevokedAt).is_null())
                    .and_where(
                        Expr::col(api_tokens::Column::Role).eq(TokenRole::Organizer.as_str()),
                    )
                    .to_owned(),
            ),
        )
        .one(db)
        .await
}

/// Ends the sign-in with this secret hash (nothing when there is none).
pub async fn close<C: ConnectionTrait>(db: &C, secret_hash: &str) -> Result<u64, DbErr> {
    Ok(console_sessions::Entity::delete_many()
        .filter(console_sessions::Column::SecretHash.eq(secret_hash))
        .exec(db)
        .await?
        .rows_affected)
}

/// Ends every sign-in of a token (it was revoked).
pub async fn close_all_of<C: ConnectionTrait>(db: &C, token_id: Uuid) -> Result<u64, DbErr> {
    Ok(console_sessions::Entity::delete_many()
        .filter(console_sessions::Column::TokenId.eq(token_id))
        .exec(db)
        .await?
        .rows_affected)
}

/// Deletes sign-ins that ran out before `now`.
pub async fn purge_expired<C: ConnectionTrait>(db: &C, now: DateTime<Utc>) -> Result<u64, DbErr> {
    Ok(console_sessions::Entity::delete_many()
        .filter(console_sessions::Column::ExpiresAt.lte(now))
        .exec(db)
        .await?
        .rows_affected)
}
