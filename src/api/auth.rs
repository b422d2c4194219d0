//! Who is calling: the bearer-token security scheme and the rights each kind of token has.
//! Missing or unknown tokens are 401; a valid token without the right is 403.

use poem::Request;
use poem_openapi::{SecurityScheme, auth::Bearer};
use uuid::Uuid;

use crate::application::AppState;
use crate::domain::enums::TokenRole;
use crate::domain::token::{self, TokenKind};
use crate::error::AppError;
use crate::store;

/// The holder of a valid token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Principal {
    /// May run every management operation.
    Organizer,
    /// May scan badges and look up attendees of one event.
    Checkin { event_id: Uuid },
    /// A delegate holding the manage token of one registration.
    Delegate { registration_id: Uuid },
}

impl Principal {
    /// Passes organizers; 403 for everyone else.
    pub fn require_organizer(&self) -> Result<(), AppError> {
        match self {
            Principal::Organizer => Ok(()),
            _ => Err(AppError::Forbidden(
                "this operation needs an organizer token".into(),
            )),
        }
    }

    /// The registration of a manage token; 403 for other tokens.
    pub fn require_delegate(&self) -> Result<Uuid, AppError> {
        match self {
            Principal::Delegate { registration_id } => Ok(*registration_id),
            _ => Err(AppError::Forbidden(
                "this operation needs the delegate's manage token".into(),
            )),
        }
    }
}

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
        matches!(self, OptionalAuth::Token(TokenAuth(Principal::Organizer)))
    }
}

async fn resolve_token(req: &Request, bearer: Bearer) -> poem::Result<Principal> {
    let state = req
        .data::<AppState>()
        .ok_or_else(|| AppError::Internal("application state missing".into()))?;
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

/// The principal a presented token stands for; 401 when it stands for nothing.
pub async fn principal_of(state: &AppState, presented: &str) -> Result<Principal, AppError> {
    match token::kind_of(presented) {
        Some(TokenKind::Organizer | TokenKind::Checkin) => {
            let Some(found) = state.tokens.find_live(presented).await? else {
                return Err(AppError::Unauthorized);
            };
            match found.role.parse::<TokenRole>() {
                Ok(TokenRole::Organizer) => Ok(Principal::Organizer),
                Ok(TokenRole::Checkin) => match found.event_id {
                    Some(event_id) => Ok(Principal::Checkin { event_id }),
                    None => Err(AppError::Unauthorized),
                },
                Err(err) => Err(AppError::Internal(err.to_string())),
            }
        }
        Some(TokenKind::Manage) => {
            match store::registrations::find_by_manage_token(&state.db, presented).await? {
                Some(registration) => Ok(Principal::Delegate {
                    registration_id: registration.id,
                }),
                None => Err(AppError::Unauthorized),
            }
        }
        _ => Err(AppError::Unauthorized),
    }
}
