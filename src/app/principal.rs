//! Who is calling: the holder of a valid token ([`Principal`]) and who reads
//! ([`Audience`]), and why a caller is turned away ([`Denied`]). Every front end resolves its
//! caller here.

use uuid::Uuid;

use crate::application::AppState;
use crate::domain::enums::TokenRole;
use crate::domain::token::{self, TokenKind};
use crate::error::AppError;
use crate::store;

/// Why a caller may not do what it asked.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Denied {
    /// No token, or a token that is unknown or revoked.
    #[error("a valid bearer token is required")]
    Unauthenticated,
    /// A valid token without the right for this operation.
    #[error("{0}")]
    Forbidden(String),
}

/// Who reads: drafts exist only for organizers; anyone else gets "not found", never
/// "forbidden".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    Public,
    Organizers,
}

impl Audience {
    /// Organizers for an organizer's token, the public otherwise.
    pub fn of(organizer: bool) -> Self {
        if organizer {
            Audience::Organizers
        } else {
            Audience::Public
        }
    }

    pub fn sees_drafts(self) -> bool {
        self == Audience::Organizers
    }
}

/// The holder of a valid token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Principal {
    /// May run every management operation (`token`: the token's id).
    Organizer { token: Uuid },
    /// May scan badges and look up attendees of one event.
    Checkin { event_id: Uuid, token: Uuid },
    /// A delegate holding the manage token of one registration.
    Delegate { registration_id: Uuid },
}

impl Principal {
    /// Passes organizers; 403 for everyone else.
    pub fn require_organizer(&self) -> Result<(), AppError> {
        match self {
            Principal::Organizer { .. } => Ok(()),
            _ => Err(AppError::forbidden(
                "this operation needs an organizer token",
            )),
        }
    }

    /// The id of the organizer or check-in token presented (scan nonces are scoped to it).
    pub fn token_id(&self) -> Option<Uuid> {
        match self {
            Principal::Organizer { token } | Principal::Checkin { token, .. } => Some(*token),
            Principal::Delegate { .. } => None,
        }
    }

    /// The registration of a manage token; 403 for other tokens.
    pub fn require_delegate(&self) -> Result<Uuid, AppError> {
        match self {
            Principal::Delegate { registration_id } => Ok(*registration_id),
            _ => Err(AppError::forbidden(
                "this operation needs the delegate's manage token",
            )),
        }
    }
}

/// The principal a presented token stands for; 401 when it stands for nothing.
pub async fn principal_of(state: &AppState, presented: &str) -> Result<Principal, AppError> {
    match token::kind_of(presented) {
        Some(TokenKind::Organizer | TokenKind::Checkin) => {
            let Some(found) = state.tokens.find_live(presented).await? else {
                return Err(AppError::unauthenticated());
            };
            match found.role {
                TokenRole::Organizer => Ok(Principal::Organizer { token: found.id }),
                TokenRole::Checkin => match found.event_id {
                    Some(event_id) => Ok(Principal::Checkin {
                        event_id,
                        token: found.id,
                    }),
                    None => Err(AppError::unauthenticated()),
                },
            }
        }
        Some(TokenKind::Manage) => {
            match store::registrations::find_by_manage_token(&state.db, presented).await? {
                Some(registration) => Ok(Principal::Delegate {
                    registration_id: registration.id,
                }),
                None => Err(AppError::unauthenticated()),
            }
        }
        _ => Err(AppError::unauthenticated()),
    }
}
