//! Scanner tokens of an event, handed out by its organizers at the venue: create one per
//! device (the token is shown once), list them (never their text), revoke a lost device's
//! token. A revoked token is refused (401) from the next request on, on every instance.

use chrono::{DateTime, FixedOffset};
use poem_openapi::param::Path;
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, Object, OpenApi};
use uuid::Uuid;

use entities::api_tokens;

use super::ApiTags;
use super::auth::OrganizerAuth;
use super::common::{event_tz, local, path_id, visible_event};
use crate::api_errors;
use crate::app::tokens::{self, NewToken};
use crate::application::AppState;
use crate::domain::enums::TokenRole;
use crate::error::AppError;
use crate::store::tokens::TokenScope;

/// A scanner's token, without its secret text.
#[derive(Object, Debug)]
pub struct CheckinToken {
    pub id: Uuid,
    /// Who or which device holds it, e.g. "Main entrance, scanner 2".
    pub label: String,
    pub created_at: DateTime<FixedOffset>,
    /// When it was revoked; absent while it works.
    pub revoked_at: Option<DateTime<FixedOffset>>,
}

/// A token just created: the only answer that carries its text.
#[derive(Object, Debug)]
pub struct IssuedCheckinToken {
    pub id: Uuid,
    pub label: String,
    pub created_at: DateTime<FixedOffset>,
    /// The bearer token for the scanner. Shown this once; only its hash is stored.
    pub token: String,
}

/// A new scanner token.
#[derive(Object, Debug)]
pub struct NewCheckinToken {
    /// Who or which device will hold it (one line, 1–100 characters).
    pub label: String,
}

/// The scanner tokens of an event, oldest first.
#[derive(Object, Debug)]
pub struct CheckinTokenList {
    pub items: Vec<CheckinToken>,
}

#[derive(ApiResponse)]
enum Created {
    /// The token was created; keep its text now, it is not shown again.
    #[oai(status = 201)]
    Created(Json<IssuedCheckinToken>),
}

#[derive(ApiResponse)]
enum Revoked {
    /// The token is revoked (or already was).
    #[oai(status = 204)]
    Revoked,
}

api_errors!(
    enum CreateError {
        /// No or an unknown token.
        Unauthorized = 401,
        /// The token is not an organizer's.
        Forbidden = 403,
        /// No such event.
        NotFound = 404,
        /// The label is empty or longer than 100 characters.
        Unprocessable = 422,
    }
);

api_errors!(
    enum OrganizerError {
        /// No or an unknown token.
        Unauthorized = 401,
        /// The token is not an organizer's.
        Forbidden = 403,
        /// No such event, or no such check-in token of it.
        NotFound = 404,
    }
);

/// Scanner token operations.
pub struct CheckinTokensApi {
    pub state: AppState,
}

#[OpenApi(prefix_path = "/api/v1", tag = "ApiTags::CheckinTokens")]
impl CheckinTokensApi {
    /// Create a scanner token
    ///
    /// A check-in token bound to this event: it may scan badges, upload offline scans, read
    /// the offline kit, attendance and the attendee look-up of this event, nothing else.
    #[oai(
        path = "/events/:event/checkin-tokens",
        method = "post",
        operation_id = "create_checkin_token"
    )]
    async fn create(
        &self,
        _auth: OrganizerAuth,
        /// The event's id or slug.
        event: Path<String>,
        body: Json<NewCheckinToken>,
    ) -> Result<Created, CreateError> {
        let created = tokens::create(
            &self.state,
            NewToken {
                role: TokenRole::Checkin,
                event: Some(&event.0),
                label: &body.0.label,
            },
        )
        .await?;
        let event = created
            .event
            .as_ref()
            .ok_or_else(|| AppError::unexpected("a check-in token without its event"))?;
        let tz = event_tz(event)?;
        Ok(Created::Created(Json(IssuedCheckinToken {
            id: created.issued.id,
            label: created.label,
            created_at: local(created.issued.created_at, tz),
            token: created.issued.token,
        })))
    }

    /// List scanner tokens
    ///
    /// Every check-in token of the event, revoked ones too; never their text.
    #[oai(
        path = "/events/:event/checkin-tokens",
        method = "get",
        operation_id = "list_checkin_tokens"
    )]
    async fn list(
        &self,
        _auth: OrganizerAuth,
        /// The event's id or slug.
        event: Path<String>,
    ) -> Result<Json<CheckinTokenList>, OrganizerError> {
        let event = visible_event(&self.state, &event.0, true).await?;
        let tz = event_tz(&event)?;
        let items = tokens::list(&self.state, TokenScope::CheckinOf(event.id))
            .await?
            .iter()
            .map(|t| shown(t, tz))
            .collect();
        Ok(Json(CheckinTokenList { items }))
    }

    /// Revoke a scanner token
    ///
    /// For a lost or retired device. Takes effect at once on every instance; revoking twice
    /// keeps the first time.
    #[oai(
        path = "/events/:event/checkin-tokens/:id",
        method = "delete",
        operation_id = "revoke_checkin_token"
    )]
    async fn revoke(
        &self,
        _auth: OrganizerAuth,
        /// The event's id or slug.
        event: Path<String>,
        /// The token's id (not its text).
        id: Path<String>,
    ) -> Result<Revoked, OrganizerError> {
        let event = visible_event(&self.state, &event.0, true).await?;
        let id = path_id(&id.0, "check-in token")?;
        tokens::revoke(&self.state, TokenScope::CheckinOf(event.id), id)
            .await
            .map_err(|err| match err {
                AppError::NotFound(_) => AppError::NotFound("check-in token"),
                other => other,
            })?;
        Ok(Revoked::Revoked)
    }
}

fn shown(token: &api_tokens::Model, tz: chrono_tz::Tz) -> CheckinToken {
    CheckinToken {
        id: token.id,
        label: token.label.clone(),
        created_at: local(token.created_at, tz),
        revoked_at: token.revoked_at.map(|at| local(at, tz)),
    }
}
