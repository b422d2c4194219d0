//! The event resource on the JSON API: what is answered (`Event`, in a chosen language), what
//! is sent to create one (`NewEvent`) or change one (`EventPatch`), and how they become the
//! domain's `EventFields`.

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use std::collections::BTreeMap;

use poem_openapi::Object;
use poem_openapi::types::MaybeUndefined;
use uuid::Uuid;

use entities::events;

use super::common::{event_tz, local, to_utc};
use super::enums::{EventKind, EventStatus, RegistrationMode};
use super::patch_value;
use super::translations::{EventTexts, patched};
use crate::domain::enums as domain;
use crate::domain::event::EventFields;
use crate::domain::language::{self, Languages, Texts};
use crate::error::AppError;

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
    /// ISO 3166-1 alpha-2 country code (e.g. `TM`); a value stored before codes that names no
    /// country of the list is returned as it was written.
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
    /// ISO 3166-1 alpha-2 country code (e.g. `TM`, any case) or, for older clients, the
    /// country's English name; stored as the code. Anything else is a 422 naming `country`.
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
    /// ISO 3166-1 alpha-2 country code (e.g. `TM`, any case) or, for older clients, the
    /// country's English name; stored as the code. Anything else is a 422 naming `country`.
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

impl NewEvent {
    /// The fields of the new event, with the defaults filled in.
    pub fn into_fields(self) -> EventFields {
        let body = self;
        EventFields {
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
        }
    }
}

pub fn utc(value: Option<DateTime<FixedOffset>>) -> Option<DateTime<Utc>> {
    value.map(to_utc)
}

pub fn apply_patch(mut fields: EventFields, patch: EventPatch) -> EventFields {
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
