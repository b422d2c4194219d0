//! Self-service for delegates, with the manage token handed out at registration: read the
//! registration, change session choices, cancel, rotate the calendar link, replace the manage
//! token.

use poem_openapi::payload::Json;
use poem_openapi::{Object, OpenApi};
use uuid::Uuid;

use super::ApiTags;
use super::auth::DelegateAuth;
use super::registration_views::Registration;
use crate::api_errors;
use crate::app::registrations as registrations_app;
use crate::application::AppState;

/// What a delegate changes: the sessions, the language of their e-mails, or both.
#[derive(Object, Debug)]
pub struct ChoicesChange {
    /// The complete list of sessions wanted from now on (omit to keep the current ones).
    pub session_ids: Option<Vec<Uuid>>,
    /// The language of the delegate's e-mails and badge (BCP 47: `tk`, `ru`, `en`…; omit to
    /// keep it).
    pub locale: Option<String>,
}

api_errors!(
    enum MeError {
        /// No or an unknown token.
        Unauthorized = 401,
        /// Not a manage token.
        Forbidden = 403,
        /// The registration no longer exists.
        NotFound = 404,
    }
);

api_errors!(
    enum MeChangeError {
        /// No or an unknown token.
        Unauthorized = 401,
        /// Not a manage token.
        Forbidden = 403,
        /// The registration no longer exists.
        NotFound = 404,
        /// Already cancelled, or a newly chosen session is full; nothing changed.
        Conflict = 409,
        /// The sessions break a rule (unknown, unpublished, overlapping); see `errors`.
        Unprocessable = 422,
    }
);

/// A new manage token, shown this once.
#[derive(Object, Debug)]
pub struct NewManageToken {
    /// The delegate's new manage token; the old one no longer works.
    pub manage_token: String,
    /// The delegate's page link with the new token (`/r/{manage_token}`).
    pub manage_url: String,
}

/// Delegate self-service operations.
pub struct DelegatesApi {
    pub state: AppState,
}

#[OpenApi(prefix_path = "/api/v1", tag = "ApiTags::Delegates")]
impl DelegatesApi {
    /// Read my registration
    #[oai(
        path = "/registrations/me",
        method = "get",
        operation_id = "get_my_registration"
    )]
    async fn read(&self, auth: DelegateAuth) -> Result<Json<Registration>, MeError> {
        let (row, event) = registrations_app::mine(&self.state, auth.0).await?;
        Ok(Json(Registration::view(&self.state, &row, &event)?))
    }

    /// Change my sessions or my e-mail language
    ///
    /// Replaces the chosen sessions atomically: new seats are taken before old ones are
    /// released. If a newly chosen session is full while another is given up, nothing changes
    /// (409); a full session that is only added joins its waiting list. `locale` sets the
    /// language of the delegate's e-mails and badge; a bad `locale` is refused (422) before
    /// anything changes.
    #[oai(
        path = "/registrations/me",
        method = "patch",
        operation_id = "change_my_sessions"
    )]
    async fn change(
        &self,
        auth: DelegateAuth,
        body: Json<ChoicesChange>,
    ) -> Result<Json<Registration>, MeChangeError> {
        let ChoicesChange {
            session_ids,
            locale,
        } = body.0;
        if let Some(locale) = &locale {
            crate::domain::values::Language::parse(locale).map_err(|message| {
                crate::error::AppError::from(crate::domain::validation::ValidationErrors::single(
                    "locale", message,
                ))
            })?;
        }
        let mut changed = None;
        if let Some(session_ids) = &session_ids {
            changed = Some(
                registrations_app::change_sessions(&self.state, auth.0, session_ids)
                    .await?
                    .value,
            );
        }
        if let Some(locale) = &locale {
            changed = Some(registrations_app::set_locale(&self.state, auth.0, locale).await?);
        }
        let (row, event) = match changed {
            Some(changed) => changed,
            None => registrations_app::mine(&self.state, auth.0).await?,
        };
        Ok(Json(Registration::view(&self.state, &row, &event)?))
    }

    /// Cancel my registration
    ///
    /// Frees every seat held; the next delegates on the waiting lists take them at once.
    #[oai(
        path = "/registrations/me",
        method = "delete",
        operation_id = "cancel_my_registration"
    )]
    async fn cancel(&self, auth: DelegateAuth) -> Result<Json<Registration>, MeChangeError> {
        let (row, event) = registrations_app::cancel(&self.state, auth.0).await?.value;
        Ok(Json(Registration::view(&self.state, &row, &event)?))
    }

    /// Rotate my calendar link
    ///
    /// Issues a new personal calendar link; the old one stops working.
    #[oai(
        path = "/registrations/me/calendar-token",
        method = "post",
        operation_id = "rotate_my_calendar_link"
    )]
    async fn rotate_calendar(&self, auth: DelegateAuth) -> Result<Json<Registration>, MeError> {
        let (row, event) = registrations_app::rotate_calendar(&self.state, auth.0).await?;
        Ok(Json(Registration::view(&self.state, &row, &event)?))
    }

    /// Replace my manage token
    ///
    /// For a token that may have leaked (a forwarded e-mail, a shared screen): answers a new
    /// manage token this once; the old one stops working at once, on every instance, and
    /// e-mails sent from now on carry the new link.
    #[oai(
        path = "/registrations/me/manage-token",
        method = "post",
        operation_id = "replace_my_manage_token"
    )]
    async fn replace_manage_token(
        &self,
        auth: DelegateAuth,
    ) -> Result<Json<NewManageToken>, MeError> {
        let manage_token = registrations_app::replace_manage_token(&self.state, auth.0).await?;
        Ok(Json(NewManageToken {
            manage_url: format!("{}/r/{manage_token}", self.state.config.public_url),
            manage_token,
        }))
    }
}
