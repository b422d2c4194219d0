//! Self-service for delegates, with the manage token handed out at registration: read the
//! registration, change session choices, cancel, rotate the calendar link.

use poem_openapi::payload::Json;
use poem_openapi::{Object, OpenApi};
use uuid::Uuid;

use super::ApiTags;
use super::auth::DelegateAuth;
use super::registration_views::Registration;
use crate::api_errors;
use crate::app::registrations as registrations_app;
use crate::application::AppState;

/// A new set of session choices.
#[derive(Object, Debug)]
pub struct ChoicesChange {
    /// The complete list of sessions wanted from now on.
    pub session_ids: Vec<Uuid>,
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

    /// Change my sessions
    ///
    /// Replaces the chosen sessions atomically: new seats are taken before old ones are
    /// released. If a newly chosen session is full while another is given up, nothing changes
    /// (409); a full session that is only added joins its waiting list.
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
        let (row, event) =
            registrations_app::change_sessions(&self.state, auth.0, &body.0.session_ids)
                .await?
                .value;
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
}
