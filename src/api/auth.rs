//! Who is calling: the bearer-token security scheme and the rights each kind of token has.
//! Missing or unknown tokens are 401; a valid token without the right is 403.

use poem::Request;
use poem_openapi::{SecurityScheme, auth::Bearer};
use uuid::Uuid;

use super::guard::VerifiedToken;
pub use crate::app::principal::{Principal, principal_of};
use crate::application::AppState;
use crate::error::AppError;

/// `Authorization: Bearer <token>`: an organizer, check-in or manage token.
#[derive(SecurityScheme)]
#[oai(ty = "bearer", rename = "Token", checker = "resolve_token")]
pub struct TokenAuth(pub Principal);

/// An organizer token, checked before the request body is read: 401 without a valid token,
/// 403 for a valid token of another kind.
#[derive(SecurityScheme)]
#[oai(
    ty = "bearer",
    rename = "OrganizerToken",
    checker = "resolve_organizer"
)]
pub struct OrganizerAuth(pub Principal);

/// A delegate's manage token (handed out at registration): the registration it reaches.
#[derive(SecurityScheme)]
#[oai(ty = "bearer", rename = "ManageToken", checker = "resolve_delegate")]
pub struct DelegateAuth(pub Uuid);

/// The same token, optional: public operations show more to organizers.
#[derive(SecurityScheme)]
pub enum OptionalAuth {
    Token(TokenAuth),
    #[oai(fallback)]
    Anonymous,
}

impl OptionalAuth {
    /// Whether the caller holds an organizer token.
    pub fn is_organizer(&self) -> bool {
        matches!(
            self,
            OptionalAuth::Token(TokenAuth(Principal::Organizer { .. }))
        )
    }
}

async fn resolve_token(req: &Request, bearer: Bearer) -> poem::Result<Principal> {
    if let Some(verified) = req.data::<VerifiedToken>()
        && verified.token == bearer.token
    {
        return Ok(verified
            .principal
            .clone()
            .ok_or_else(AppError::unauthenticated)?);
    }
    let state = req
        .data::<AppState>()
        .ok_or_else(|| AppError::unexpected("application state missing"))?;
    Ok(principal_of(state, &bearer.token).await?)
}

async fn resolve_organizer(req: &Request, bearer: Bearer) -> poem::Result<Principal> {
    let principal = resolve_token(req, bearer).await?;
    principal.require_organizer()?;
    Ok(principal)
}

async fn resolve_delegate(req: &Request, bearer: Bearer) -> poem::Result<Uuid> {
    let principal = resolve_token(req, bearer).await?;
    Ok(principal.require_delegate()?)
}
