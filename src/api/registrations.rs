//! Registrations of an event: delegates register (anyone, while registration is open);
//! organizers list (JSON, or CSV from `registration_export`), read, approve and reject.
//! What they answer with is `registration_views`.

use poem_openapi::param::{Header, Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, Object, OpenApi};
use uuid::Uuid;

use super::ApiTags;
use super::auth::{OptionalAuth, OrganizerAuth};
use super::common::{after_id, next_cursor, page_params, path_id};
use super::enums::{Category, RegistrationStatus};
use super::errors::ManageError;
use super::registration_export::{ListResponse, to_csv};
use super::registration_views::{
    Registration, RegistrationCreated, RegistrationPage, created_body,
};
use crate::api_errors;
use crate::app::principal::Audience;
use crate::app::registrations::{self as registrations_app, RecordedAnswer};
use crate::application::AppState;
use crate::domain::enums as domain;
use crate::domain::registration::RegistrationRequest;
use crate::store::pagination::After;
use crate::store::registrations::RegistrationFilter;

/// A delegate's registration request; `category` defaults to `delegate`.
#[derive(Object, Debug, Clone)]
pub struct NewRegistration {
    pub full_name: String,
    /// Compared case-insensitively: one registration per address and event.
    pub email: String,
    pub organization: Option<String>,
    pub position: Option<String>,
    /// ISO 3166-1 alpha-2 country code (e.g. `TM`, any case) or, for older clients, the
    /// country's English name; stored as the code. Anything else is a 422 naming `country`.
    pub country: Option<String>,
    pub category: Option<Category>,
    /// Published sessions of the event that do not overlap each other.
    #[oai(default)]
    pub session_ids: Vec<Uuid>,
    /// BCP 47 tag for messages and the badge; default `en`.
    pub locale: Option<String>,
    /// Must be true: consent to the processing of these data.
    pub consent: bool,
}

#[derive(ApiResponse)]
enum Created {
    /// Registered: `status` says whether a seat is held. A retry with the same
    /// `Idempotency-Key` and body answers the same.
    #[oai(status = 201)]
    Created(
        Json<RegistrationCreated>,
        #[oai(header = "Location")] String,
        /// `true` when this is the stored answer to an earlier identical request.
        #[oai(header = "Idempotent-Replayed")]
        Option<String>,
    ),
}

api_errors!(
    enum RegisterError {
        /// No such event, or a draft.
        NotFound = 404,
        /// Already registered, registration closed, or the event is full without a waiting list.
        Conflict = 409,
        /// A field breaks a rule (consent, e-mail, sessions…); see `errors`.
        Unprocessable = 422,
    }
);

api_errors!(
    enum OrganizerListError {
        /// No or an unknown token.
        Unauthorized = 401,
        /// The token is not an organizer's.
        Forbidden = 403,
        /// No such event.
        NotFound = 404,
        /// Bad `limit` or `cursor`.
        Unprocessable = 422,
    }
);

api_errors!(
    enum OrganizerReadError {
        /// No or an unknown token.
        Unauthorized = 401,
        /// The token is not an organizer's.
        Forbidden = 403,
        /// No such event or registration.
        NotFound = 404,
    }
);

/// Registration operations of an event.
pub struct RegistrationsApi {
    pub state: AppState,
}

#[OpenApi(prefix_path = "/api/v1", tag = "ApiTags::Registrations")]
impl RegistrationsApi {
    /// Register a delegate
    ///
    /// Open to anyone while the event is published and its registration window is open.
    /// Seats are decided in the database: `confirmed` holds a seat, `waitlisted` waits in
    /// order, `pending` awaits accreditation (`registration_mode = approval`). A full session
    /// puts that choice on its waiting list while the rest stands. Send an `Idempotency-Key`
    /// to make retries safe. The public may choose only the event's public categories (see
    /// `GET …/categories`; 422 naming `category` otherwise); with an organizer token any.
    #[oai(
        path = "/events/:event/registrations",
        method = "post",
        operation_id = "register"
    )]
    async fn register(
        &self,
        auth: OptionalAuth,
        /// The event's id or slug.
        event: Path<String>,
        /// Makes retries safe: the same key and body return the first answer.
        #[oai(name = "Idempotency-Key")]
        idempotency_key: Header<Option<String>>,
        body: Json<NewRegistration>,
    ) -> Result<Created, RegisterError> {
        let body = body.0;
        let request = RegistrationRequest {
            full_name: body.full_name,
            email: body.email,
            organization: body.organization,
            position: body.position,
            country: body.country,
            category: body
                .category
                .map(Into::into)
                .unwrap_or(domain::Category::Delegate),
            session_ids: body.session_ids,
            locale: body.locale.unwrap_or_else(|| "en".into()),
            consent: body.consent,
        };
        let outcome = registrations_app::register(
            &self.state,
            Audience::of(auth.is_organizer()),
            &event.0,
            request,
            idempotency_key.0.as_deref(),
        )
        .await?;
        let (event_id, registration_id, body, replayed) = match outcome {
            registrations_app::Registration::Created {
                event,
                row,
                manage_token,
            } => (
                event.id,
                row.registration.id,
                created_body(
                    &self.state,
                    &RecordedAnswer::of(&row),
                    row.registration.id,
                    manage_token,
                )?,
                None,
            ),
            registrations_app::Registration::Replayed {
                event,
                registration_id,
                first,
                manage_token,
            } => (
                event.id,
                registration_id,
                created_body(&self.state, &first, registration_id, manage_token)?,
                Some("true".to_owned()),
            ),
        };
        let location = format!("/api/v1/events/{event_id}/registrations/{registration_id}");
        Ok(Created::Created(Json(body), location, replayed))
    }

    /// List registrations
    ///
    /// Filters combine; `q` searches name, e-mail and organization. With `Accept: text/csv`
    /// every match is returned as CSV (UTF-8 with a byte order mark, so spreadsheets show
    /// Turkmen and Cyrillic letters correctly). Organizer token required.
    #[oai(
        path = "/events/:event/registrations",
        method = "get",
        operation_id = "list_registrations"
    )]
    #[allow(clippy::too_many_arguments)]
    async fn list(
        &self,
        _auth: OrganizerAuth,
        /// The event's id or slug.
        event: Path<String>,
        /// Only registrations with this status.
        status: Query<Option<RegistrationStatus>>,
        /// Only this category.
        category: Query<Option<Category>>,
        /// Only registrations that chose this session.
        session: Query<Option<Uuid>>,
        /// Search in name, e-mail and organization (case-insensitive).
        q: Query<Option<String>>,
        /// Page size, 1–500 (default 50); JSON only.
        limit: Query<Option<u32>>,
        /// Opaque cursor from the previous page; JSON only.
        cursor: Query<Option<String>>,
        #[oai(name = "Accept")] accept: Header<Option<String>>,
    ) -> Result<ListResponse, OrganizerListError> {
        let filter = RegistrationFilter {
            status: status.0.map(Into::into),
            category: category
                .0
                .map(|c| domain::Category::from(c).as_str().to_owned()),
            session_id: session.0,
            search: q.0.filter(|q| !q.trim().is_empty()),
        };
        let wants_csv = accept.0.is_some_and(|a| a.contains("text/csv"));
        if wants_csv {
            let (event, rows) =
                registrations_app::list(&self.state, &event.0, &filter, None, None).await?;
            return Ok(ListResponse::Csv(to_csv(&rows, &event)?));
        }
        let (limit, after) = page_params(limit.0, cursor.0.as_deref())?;
        let (event, rows) = registrations_app::list(
            &self.state,
            &event.0,
            &filter,
            after_id(after)?,
            Some(limit),
        )
        .await?;
        Ok(ListResponse::Json(RegistrationPage {
            next_cursor: next_cursor(&rows, limit, |r| After::Id(r.registration.id)),
            items: rows
                .iter()
                .map(|row| Registration::view(&self.state, row, &event))
                .collect::<Result<_, _>>()?,
        }))
    }

    /// Read a registration
    #[oai(
        path = "/events/:event/registrations/:id",
        method = "get",
        operation_id = "get_registration"
    )]
    async fn read(
        &self,
        _auth: OrganizerAuth,
        /// The event's id or slug.
        event: Path<String>,
        /// The registration's id.
        id: Path<String>,
    ) -> Result<Json<Registration>, OrganizerReadError> {
        let id = path_id(&id.0, "registration")?;
        let (event, row) = registrations_app::find(&self.state, &event.0, id).await?;
        Ok(Json(Registration::view(&self.state, &row, &event)?))
    }

    /// Approve a registration
    ///
    /// Accredits a pending registration: it takes a seat, or joins the waiting list when
    /// none is left (409 when the event keeps no waiting list).
    #[oai(
        path = "/events/:event/registrations/:id/approve",
        method = "post",
        operation_id = "approve_registration"
    )]
    async fn approve(
        &self,
        _auth: OrganizerAuth,
        /// The event's id or slug.
        event: Path<String>,
        /// The registration's id.
        id: Path<String>,
    ) -> Result<Json<Registration>, ManageError> {
        let id = path_id(&id.0, "registration")?;
        let (event, row) = registrations_app::approve(&self.state, &event.0, id)
            .await?
            .value;
        Ok(Json(Registration::view(&self.state, &row, &event)?))
    }

    /// Reject a registration
    ///
    /// Ends a pending, waitlisted or confirmed registration; a freed seat goes to the next
    /// delegate on the waiting list in the same transaction.
    #[oai(
        path = "/events/:event/registrations/:id/reject",
        method = "post",
        operation_id = "reject_registration"
    )]
    async fn reject(
        &self,
        _auth: OrganizerAuth,
        /// The event's id or slug.
        event: Path<String>,
        /// The registration's id.
        id: Path<String>,
    ) -> Result<Json<Registration>, ManageError> {
        let id = path_id(&id.0, "registration")?;
        let (event, row) = registrations_app::reject(&self.state, &event.0, id)
            .await?
            .value;
        Ok(Json(Registration::view(&self.state, &row, &event)?))
    }

    /// Erase a delegate's personal data
    ///
    /// For a data-protection request. A live registration is cancelled first (its seat goes
    /// to the next delegate waiting); then name, e-mail, organization, position and country
    /// are erased. The registration stays as an anonymous, cancelled row, so seat counts,
    /// attendance figures and the scan log stay right without naming anyone. E-mails not yet
    /// sent fail; the manage token, calendar link and badge stop working. Erasing again
    /// answers 204 and changes nothing.
    #[oai(
        path = "/events/:event/registrations/:id",
        method = "delete",
        operation_id = "erase_registration"
    )]
    async fn erase(
        &self,
        _auth: OrganizerAuth,
        /// The event's id or slug.
        event: Path<String>,
        /// The registration's id.
        id: Path<String>,
    ) -> Result<Erased, ManageError> {
        let id = path_id(&id.0, "registration")?;
        registrations_app::erase(&self.state, &event.0, id).await?;
        Ok(Erased::Erased)
    }
}

/// The answer to an erasure.
#[derive(ApiResponse)]
pub enum Erased {
    /// The delegate's personal data is gone.
    #[oai(status = 204)]
    Erased,
}
