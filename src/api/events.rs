//! Events: create, list, read, change, publish and cancel.

use poem_openapi::param::{Header, Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, OpenApi};

use super::ApiTags;
use super::auth::{OptionalAuth, OrganizerAuth};
use super::common::{after_id, next_cursor, page_params};
use super::enums::EventStatus;
use super::event_types::apply_patch;
pub use super::event_types::{Event, EventPage, EventPatch, NewEvent};
use crate::api_errors;
use crate::app::events as events_app;
use crate::app::principal::Audience;
use crate::application::AppState;
use crate::store;

#[derive(ApiResponse)]
enum LocalizedEvent {
    /// The event, its texts in the language named by `Content-Language`.
    #[oai(status = 200)]
    Ok(Json<Event>, #[oai(header = "Content-Language")] String),
}

#[derive(ApiResponse)]
enum Created {
    /// The event was created as a draft.
    #[oai(status = 201)]
    Created(Json<Event>, #[oai(header = "Location")] String),
}

api_errors!(
    enum CreateError {
        /// No or an unknown token.
        Unauthorized = 401,
        /// The token is not an organizer's.
        Forbidden = 403,
        /// The slug is taken.
        Conflict = 409,
        /// A field breaks a rule; see `errors`.
        Unprocessable = 422,
    }
);

api_errors!(
    enum ListError {
        /// Bad `limit` or `cursor`.
        Unprocessable = 422,
    }
);

api_errors!(
    enum ReadError {
        /// No such event, or a draft.
        NotFound = 404,
    }
);

api_errors!(
    enum ChangeError {
        /// No or an unknown token.
        Unauthorized = 401,
        /// The token is not an organizer's.
        Forbidden = 403,
        /// No such event.
        NotFound = 404,
        /// The slug is taken, or sessions would fall outside the new dates.
        Conflict = 409,
        /// A field breaks a rule; see `errors`.
        Unprocessable = 422,
    }
);

api_errors!(
    enum StatusError {
        /// No or an unknown token.
        Unauthorized = 401,
        /// The token is not an organizer's.
        Forbidden = 403,
        /// No such event.
        NotFound = 404,
        /// The event's status does not allow this change.
        Conflict = 409,
    }
);

/// Event operations.
pub struct EventsApi {
    pub state: AppState,
}

#[OpenApi(prefix_path = "/api/v1", tag = "ApiTags::Events")]
impl EventsApi {
    /// Create an event
    ///
    /// Creates a draft event; publish it to make it public. Organizer token required.
    #[oai(path = "/events", method = "post", operation_id = "create_event")]
    async fn create(
        &self,
        _auth: OrganizerAuth,
        body: Json<NewEvent>,
    ) -> Result<Created, CreateError> {
        let fields = body.0.into_fields();
        let model = events_app::create(&self.state, fields).await?;
        let location = format!("/api/v1/events/{}", model.id);
        Ok(Created::Created(Json(Event::from_model(&model)?), location))
    }

    /// List events
    ///
    /// Published events for everyone. With `?status=`, cancelled events too; organizers may
    /// also list drafts.
    #[oai(path = "/events", method = "get", operation_id = "list_events")]
    async fn list(
        &self,
        auth: OptionalAuth,
        /// Only events with this status (drafts: organizers only).
        status: Query<Option<EventStatus>>,
        /// Page size, 1–500 (default 50).
        limit: Query<Option<u32>>,
        /// Opaque cursor from the previous page.
        cursor: Query<Option<String>>,
    ) -> Result<Json<EventPage>, ListError> {
        let (limit, after) = page_params(limit.0, cursor.0.as_deref())?;
        let audience = Audience::of(auth.is_organizer());
        let models = events_app::list(
            &self.state,
            audience,
            status.0.map(Into::into),
            after_id(after)?,
            limit,
        )
        .await?;
        let next_cursor = next_cursor(&models, limit, store::events::cursor_of);
        let items = models
            .iter()
            .map(Event::from_model)
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Json(EventPage { items, next_cursor }))
    }

    /// Read an event
    ///
    /// By id or slug. Drafts are 404 except for organizers. The texts are in the language
    /// chosen with `?lang=`, else by `Accept-Language`, else the event's default language
    /// (named by `Content-Language`); an unknown language is no error.
    #[oai(path = "/events/:event", method = "get", operation_id = "get_event")]
    async fn read(
        &self,
        auth: OptionalAuth,
        /// The event's id or slug.
        event: Path<String>,
        /// The language of the texts: `tk`, `ru` or `en`.
        lang: Query<Option<String>>,
        /// Used when `lang` is absent.
        #[oai(name = "Accept-Language")]
        accept_language: Header<Option<String>>,
    ) -> Result<LocalizedEvent, ReadError> {
        let audience = Audience::of(auth.is_organizer());
        let model = events_app::visible(&self.state, &event.0, audience).await?;
        let language =
            events_app::reader_language(&model, lang.0.as_deref(), accept_language.0.as_deref());
        Ok(LocalizedEvent::Ok(
            Json(Event::localized(&model, &language)?),
            language,
        ))
    }

    /// Change an event
    ///
    /// Absent fields stay as they are; `null` clears an optional field. Changing the dates or
    /// time zone is refused (409) while a session would fall outside the new dates.
    #[oai(
        path = "/events/:event",
        method = "patch",
        operation_id = "update_event"
    )]
    async fn update(
        &self,
        _auth: OrganizerAuth,
        /// The event's id or slug.
        event: Path<String>,
        body: Json<EventPatch>,
    ) -> Result<Json<Event>, ChangeError> {
        let patch = body.0;
        let model =
            events_app::update(&self.state, &event.0, |fields| apply_patch(fields, patch)).await?;
        Ok(Json(Event::from_model(&model.value)?))
    }

    /// Publish an event
    ///
    /// Makes a draft public. Publishing a published event changes nothing; a cancelled event
    /// cannot be published again (409).
    #[oai(
        path = "/events/:event/publish",
        method = "post",
        operation_id = "publish_event"
    )]
    async fn publish(
        &self,
        _auth: OrganizerAuth,
        /// The event's id or slug.
        event: Path<String>,
    ) -> Result<Json<Event>, StatusError> {
        let model = events_app::publish(&self.state, &event.0).await?;
        Ok(Json(Event::from_model(&model)?))
    }

    /// Cancel an event
    ///
    /// The event stays visible as cancelled; registration closes.
    #[oai(
        path = "/events/:event/cancel",
        method = "post",
        operation_id = "cancel_event"
    )]
    async fn cancel(
        &self,
        _auth: OrganizerAuth,
        /// The event's id or slug.
        event: Path<String>,
    ) -> Result<Json<Event>, StatusError> {
        let model = events_app::cancel(&self.state, &event.0).await?;
        Ok(Json(Event::from_model(&model)?))
    }
}
