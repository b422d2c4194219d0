//! Events: create, list, read, change, publish and cancel.

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use std::collections::BTreeMap;

use poem_openapi::param::{Header, Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::types::MaybeUndefined;
use poem_openapi::{ApiResponse, Object, OpenApi};
use uuid::Uuid;

use entities::events;

use super::ApiTags;
use super::auth::{OptionalAuth, OrganizerAuth};
use super::common::{after_id, event_tz, local, next_cursor, page_params, to_utc};
use super::enums::{EventKind, EventStatus, RegistrationMode};
use super::patch_value;
use super::translations::{EventTexts, patched};
use crate::api_errors;
use crate::app::events as events_app;
use crate::app::principal::Audience;
use crate::application::AppState;
use crate::domain::enums as domain;
use crate::domain::event::EventFields;
use crate::domain::language::{self, Languages, Texts};
use crate::error::AppError;
use crate::store;

/// An event as everyone sees it.
#[derive(Object, Debug, Clone)]
pub struct Event {
    pub id: Uuid,
    /// URL name: lowercase letters, digits and hyphens.
    pub slug: String,
    pub title: String,
    pub kind: EventKind,
    pub description: Option<String>,
    pub venue: Option<String>,
    pub city: Option<String>,
    pub country: Option<String>,
    /// IANA time zone; times of this event are rendered in it.
    pub timezone: String,
    /// First local date.
    pub starts_on: NaiveDate,
    /// Last local date (inclusive).
    pub ends_on: NaiveDate,
    /// Seats for delegates; null means unlimited.
    pub capacity: Option<i32>,
    pub registration_mode: RegistrationMode,
    pub registration_opens_at: Option<DateTime<FixedOffset>>,
    pub registration_closes_at: Option<DateTime<FixedOffset>>,
    pub waitlist_enabled: bool,
    pub status: EventStatus,
    pub created_at: DateTime<FixedOffset>,
    pub updated_at: DateTime<FixedOffset>,
    /// The language of the plain text fields when no other is chosen: `tk`, `ru` or `en`.
    pub default_language: String,
    /// The languages the event is offered in.
    pub languages: Vec<String>,
    /// `title`, `description`, `venue` and `city` in other languages, by language (left out
    /// in the agenda, whose texts are already in the reader's language).
    #[oai(default, skip_serializing_if_is_empty)]
    pub translations: BTreeMap<String, EventTexts>,
}

impl Event {
    /// The event with its plain texts in its default language.
    pub fn from_model(model: &events::Model) -> Result<Self, AppError> {
        Event::localized(model, &model.default_language)
    }

    /// The event with its plain texts in `language` where a translation exists.
    pub fn localized(model: &events::Model, language: &str) -> Result<Self, AppError> {
        let tz = event_tz(model)?;
        let texts = Texts::new(&model.translations, language);
        let optional = |field, plain: &Option<String>| {
            texts.optional(field, plain.as_deref()).map(str::to_owned)
        };
        Ok(Event {
            id: model.id,
            slug: model.slug.clone(),
            title: texts.text("title", &model.title).to_owned(),
            kind: model.kind.into(),
            description: optional("description", &model.description),
            venue: optional("venue", &model.venue),
            city: optional("city", &model.city),
            country: model.country.clone(),
            timezone: model.timezone.clone(),
            starts_on: model.starts_on,
            ends_on: model.ends_on,
            capacity: model.capacity,
            registration_mode: model.registration_mode.into(),
            registration_opens_at: model.registration_opens_at.map(|t| local(t, tz)),
            registration_closes_at: model.registration_closes_at.map(|t| local(t, tz)),
            waitlist_enabled: model.waitlist_enabled,
            status: model.status.into(),
            created_at: local(model.created_at, tz),
            updated_at: local(model.updated_at, tz),
            default_language: model.default_language.clone(),
            languages: model.languages.0.clone(),
            translations: EventTexts::all_of(&model.translations),
        })
    }
}

/// A new event; it starts as a draft. `kind` defaults to `conference`, `registration_mode`
/// to `open`.
#[derive(Object, Debug)]
pub struct NewEvent {
    pub slug: String,
    pub title: String,
    pub kind: Option<EventKind>,
    pub description: Option<String>,
    pub venue: Option<String>,
    pub city: Option<String>,
    pub country: Option<String>,
    /// IANA name; default `Asia/Ashgabat`.
    pub timezone: Option<String>,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub capacity: Option<i32>,
    pub registration_mode: Option<RegistrationMode>,
    pub registration_opens_at: Option<DateTime<FixedOffset>>,
    pub registration_closes_at: Option<DateTime<FixedOffset>>,
    /// Default `true`.
    pub waitlist_enabled: Option<bool>,
    /// The language of the plain text fields: `tk` (default), `ru` or `en`.
    pub default_language: Option<String>,
    /// The languages the event is offered in; default all three.
    pub languages: Option<Vec<String>>,
    /// The texts in other languages, by language.
    pub translations: Option<BTreeMap<String, EventTexts>>,
}

/// Changes to an event: absent fields stay, `null` clears an optional field.
#[derive(Object, Debug, Default)]
pub struct EventPatch {
    pub slug: Option<String>,
    pub title: Option<String>,
    pub kind: Option<EventKind>,
    pub description: MaybeUndefined<String>,
    pub venue: MaybeUndefined<String>,
    pub city: MaybeUndefined<String>,
    pub country: MaybeUndefined<String>,
    pub timezone: Option<String>,
    pub starts_on: Option<NaiveDate>,
    pub ends_on: Option<NaiveDate>,
    pub capacity: MaybeUndefined<i32>,
    pub registration_mode: Option<RegistrationMode>,
    pub registration_opens_at: MaybeUndefined<DateTime<FixedOffset>>,
    pub registration_closes_at: MaybeUndefined<DateTime<FixedOffset>>,
    pub waitlist_enabled: Option<bool>,
    pub default_language: Option<String>,
    pub languages: Option<Vec<String>>,
    /// Replaces the languages it names; `{}` for a language removes it.
    pub translations: Option<BTreeMap<String, EventTexts>>,
}

/// A page of events.
#[derive(Object, Debug)]
pub struct EventPage {
    pub items: Vec<Event>,
    /// Pass as `?cursor=` for the next page; null on the last page.
    pub next_cursor: Option<String>,
}

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

fn utc(value: Option<DateTime<FixedOffset>>) -> Option<DateTime<Utc>> {
    value.map(to_utc)
}

fn apply_patch(mut fields: EventFields, patch: EventPatch) -> EventFields {
    if let Some(v) = patch.slug {
        fields.slug = v;
    }
    if let Some(v) = patch.title {
        fields.title = v;
    }
    if let Some(v) = patch.kind {
        fields.kind = v.into();
    }
    fields.description = patch_value(fields.description, patch.description);
    fields.venue = patch_value(fields.venue, patch.venue);
    fields.city = patch_value(fields.city, patch.city);
    fields.country = patch_value(fields.country, patch.country);
    if let Some(v) = patch.timezone {
        fields.timezone = v;
    }
    if let Some(v) = patch.starts_on {
        fields.starts_on = v;
    }
    if let Some(v) = patch.ends_on {
        fields.ends_on = v;
    }
    fields.capacity = patch_value(fields.capacity, patch.capacity);
    if let Some(v) = patch.registration_mode {
        fields.registration_mode = v.into();
    }
    fields.registration_opens_at = patch_value(
        fields.registration_opens_at,
        patch.registration_opens_at.map_value(to_utc),
    );
    fields.registration_closes_at = patch_value(
        fields.registration_closes_at,
        patch.registration_closes_at.map_value(to_utc),
    );
    if let Some(v) = patch.waitlist_enabled {
        fields.waitlist_enabled = v;
    }
    if let Some(v) = patch.default_language {
        fields.default_language = v;
    }
    if let Some(v) = patch.languages {
        fields.languages = Languages(v);
    }
    fields.translations = patched(
        fields.translations,
        patch.translations.map(EventTexts::domain),
    );
    fields
}

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
        let body = body.0;
        let fields = EventFields {
            slug: body.slug,
            title: body.title,
            kind: body
                .kind
                .map(Into::into)
                .unwrap_or(domain::EventKind::Conference),
            description: body.description,
            venue: body.venue,
            city: body.city,
            country: body.country,
            timezone: body.timezone.unwrap_or_else(|| "Asia/Ashgabat".into()),
            starts_on: body.starts_on,
            ends_on: body.ends_on,
            capacity: body.capacity,
            registration_mode: body
                .registration_mode
                .map(Into::into)
                .unwrap_or(domain::RegistrationMode::Open),
            registration_opens_at: utc(body.registration_opens_at),
            registration_closes_at: utc(body.registration_closes_at),
            waitlist_enabled: body.waitlist_enabled.unwrap_or(true),
            default_language: body
                .default_language
                .unwrap_or_else(|| language::DEFAULT.to_owned()),
            languages: body
                .languages
                .map(Languages)
                .unwrap_or_else(language::all_languages),
            translations: body
                .translations
                .map(EventTexts::domain)
                .unwrap_or_default(),
        };
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
