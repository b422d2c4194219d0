//! Use cases of API tokens: organizers' and scanners' tokens are created (their text shown
//! once, only its hash stored), listed and revoked; the first start makes sure an organizer can
//! get in. The JSON API and the command line both call these.

use uuid::Uuid;

use entities::api_tokens;

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
    pub event_id: Option<Uuid>,
}

/// Creates a token. A check-in token needs an event; an organizer token takes none.
pub async fn create(state: &AppState, new: NewToken<'_>) -> Result<CreatedToken, AppError> {
    let mut errors = ValidationErrors::new();
    let label = errors.check("label", Label::parse(new.label));
    match (new.role, new.event) {
        (TokenRole::Organizer, Some(_)) => {
            errors.add("event", "organizer tokens are not bound to an event")
        }
        (TokenRole::Checkin, None) => errors.add("event", "a check-in token needs an event"),
        _ => {}
    }
    let label = errors
        .into_result(label)?
        .ok_or_else(|| AppError::Internal("a label that failed its rule left no error".into()))?;
    let event_id = match new.event {
        Some(reference) => Some(
            store::events::find(&state.db, reference)
                .await?
                .ok_or(AppError::NotFound("event"))?
                .id,
        ),
        None => None,
    };
    let issued = store::tokens::create(&state.writer, new.role, event_id, label.as_str()).await?;
    Ok(CreatedToken {
        issued,
        label: label.into_string(),
        event_id,
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
    store::tokens::revoke(&state.writer, scope, id)
        .await?
        .ok_or(AppError::NotFound("token"))
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
        if token::kind_of(seed) != Some(TokenKind::Organizer) || seed.len() < 24 {
            return Err(AppError::BadRequest(
                "DIALOGUE_ORGANIZER_TOKEN must start with dlg_org_ and be at least 24 characters"
                    .into(),
            ));
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
