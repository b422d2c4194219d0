//! Use cases of API tokens: organizers' and scanners' tokens are created (their text shown
//! once, only its hash stored), listed and revoked; the first start makes sure an organizer can
//! get in. The JSON API and the command line both call these.

use uuid::Uuid;

use entities::{api_tokens, events};

use super::events::visible;
use super::principal::Audience;
use super::work::Work;
use crate::application::AppState;
use crate::domain::enums::TokenRole;
use crate::domain::token::{self, TokenKind};
use crate::domain::validation::ValidationErrors;
use crate::domain::values::Label;
use crate::error::AppError;
use crate::store;
use crate::store::tokens::{IssuedToken, TokenScope};

/// What a new token is for.
pub struct NewToken<'a> {
    pub role: TokenRole,
    /// The event a check-in token is bound to (id or slug); organizer tokens have none.
    pub event: Option<&'a str>,
    /// Who or what the token is for: one line, trimmed.
    pub label: &'a str,
}

/// A created token: the only time its text exists.
pub struct CreatedToken {
    pub issued: IssuedToken,
    pub label: String,
    /// The event a check-in token is bound to.
    pub event: Option<events::Model>,
}

/// Creates a token. A check-in token needs an event; an organizer token takes none. The
/// event is looked up before the label is checked, so an unknown event is "not found".
pub async fn create(state: &AppState, new: NewToken<'_>) -> Result<CreatedToken, AppError> {
    match (new.role, new.event) {
        (TokenRole::Organizer, Some(_)) => {
            return Err(ValidationErrors::single(
                "event",
                "organizer tokens are not bound to an event",
            )
            .into());
        }
        (TokenRole::Checkin, None) => {
            return Err(
                ValidationErrors::single("event", "a check-in token needs an event").into(),
            );
        }
        _ => {}
    }
    let event = match new.event {
        Some(reference) => Some(visible(state, reference, Audience::Organizers).await?),
        None => None,
    };
    let label =
        Label::parse(new.label).map_err(|message| ValidationErrors::single("label", message))?;
    let event_id = event.as_ref().map(|e| e.id);
    let issued = store::tokens::create(&state.writer, new.role, event_id, label.as_str()).await?;
    Ok(CreatedToken {
        issued,
        label: label.into_string(),
        event,
    })
}

/// The tokens in `scope`, oldest first (callers show neither text nor hash).
pub async fn list(state: &AppState, scope: TokenScope) -> Result<Vec<api_tokens::Model>, AppError> {
    Ok(store::tokens::list(&state.db, scope).await?)
}

/// Revokes a token of `scope`; it stops working at the next request on every instance. The
/// last live organizer token is kept (a conflict).
pub async fn revoke(
    state: &AppState,
    scope: TokenScope,
    id: Uuid,
) -> Result<api_tokens::Model, AppError> {
    let work = Work::begin(&state.writer).await?;
    let revoked = store::tokens::revoke(work.db(), scope, id)
        .await?
        .ok_or(AppError::NotFound("token"))?;
    store::console_sessions::close_all_of(work.db(), revoked.id).await?;
    work.commit_quietly().await?;
    Ok(revoked)
}

/// Makes sure an organizer token exists. With `seed` (from `DIALOGUE_ORGANIZER_TOKEN`) that
/// token is stored if it is not yet; otherwise, when no live organizer token exists (none yet,
/// or every one revoked outside `dialogue token revoke`, which keeps the last), one is
/// created and returned so the caller can print it once.
pub async fn ensure_organizer_token(
    state: &AppState,
    seed: Option<&str>,
) -> Result<Option<String>, AppError> {
    if let Some(seed) = seed {
        if token::kind_of(seed) != Some(TokenKind::Organizer) || !looks_random(seed) {
            return Err(ValidationErrors::single(
                "DIALOGUE_ORGANIZER_TOKEN",
                "must be dlg_org_ followed by at least 32 random characters (letters, digits, \
                 - or _), for example from `openssl rand -hex 20`",
            )
            .into());
        }
        let hash = token::hash(seed);
        if !store::tokens::exists(&state.writer, &hash).await? {
            let label = "seeded from DIALOGUE_ORGANIZER_TOKEN";
            let inserted =
                store::tokens::insert(&state.writer, &hash, TokenRole::Organizer, None, label)
                    .await;
            // Another instance starting at the same moment may have stored it first.
            if let Err(err) = inserted
                && !store::is_unique_violation(&err)
            {
                return Err(err.into());
            }
        }
        return Ok(None);
    }
    if store::tokens::count_organizer_tokens(&state.writer).await? > 0 {
        return Ok(None);
    }
    let issued =
        store::tokens::create(&state.writer, TokenRole::Organizer, None, "first start").await?;
    Ok(Some(issued.token))
}

/// Whether the part of a seeded token after its prefix could be random: at least 32
/// characters of the token alphabet, not a short pattern repeated.
fn looks_random(seed: &str) -> bool {
    let Some((_, secret)) = seed.split_once("dlg_org_") else {
        return false;
    };
    let distinct: std::collections::HashSet<char> = secret.chars().collect();
    secret.chars().count() >= 32
        && secret
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        && distinct.len() >= 10
}
