//! Use cases of the organizers' console sign-in: an organizer token opens a sign-in that lasts
//! [`SIGN_IN_LASTS`]; the browser keeps only a random secret (its hash is stored), every
//! request finds the sign-in again (so revoking the token, on any instance, ends it at once),
//! and signing out ends it.

use chrono::{DateTime, Duration, Utc};
use rand::RngCore;
use sha2::{Digest, Sha256};

use super::principal::{Principal, principal_of};
use crate::application::AppState;
use crate::error::AppError;
use crate::store;

/// How long a console sign-in lasts, however busy.
pub const SIGN_IN_LASTS: Duration = Duration::hours(12);

/// A sign-in just opened: the secret for the browser's cookie, and when it ends.
pub struct SignedIn {
    pub secret: String,
    pub expires_at: DateTime<Utc>,
}

/// Opens a sign-in with an organizer token; any other token, or none, is refused as
/// "unauthenticated" (a check-in token is "forbidden").
pub async fn sign_in(state: &AppState, presented: &str) -> Result<SignedIn, AppError> {
    let principal = principal_of(state, presented.trim()).await?;
    principal.require_organizer()?;
    let Principal::Organizer { token } = principal else {
        return Err(AppError::unauthenticated());
    };
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let secret = data_encoding::BASE64URL_NOPAD.encode(&bytes);
    let expires_at = Utc::now() + SIGN_IN_LASTS;
    store::console_sessions::open(&state.writer, &hash(&secret), token, expires_at).await?;
    Ok(SignedIn { secret, expires_at })
}

/// The organizer a sign-in secret stands for, if it still stands for one.
pub async fn signed_in(state: &AppState, secret: &str) -> Result<Option<Principal>, AppError> {
    if secret.is_empty() || secret.len() > 100 {
        return Ok(None);
    }
    let found = store::console_sessions::find_live(&state.db, &hash(secret), Utc::now()).await?;
    Ok(found.map(|session| Principal::Organizer {
        token: session.token_id,
    }))
}

/// Ends the sign-in of this secret (signing out twice is fine).
pub async fn sign_out(state: &AppState, secret: &str) -> Result<(), AppError> {
    store::console_sessions::close(&state.writer, &hash(secret)).await?;
    Ok(())
}

fn hash(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}
