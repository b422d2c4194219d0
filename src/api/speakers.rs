//! Speakers of an event. Everyone sees their public fields; e-mail is for organizers only.

use std::collections::BTreeMap;

use poem_openapi::param::{Header, Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::types::MaybeUndefined;
use poem_openapi::{ApiResponse, Object, OpenApi};
use uuid::Uuid;

use entities::speakers;

use super::ApiTags;
use super::auth::{OptionalAuth, OrganizerAuth};
use super::common::{after_id, next_cursor, page_params, path_id};
use super::errors::{DeleteError, ListError, ManageError, ReadError};
use super::patch_value;
use super::translations::{Localized, SpeakerTexts, patched};
use crate::app::events::reader_language;
use crate::app::principal::Audience;
use crate::app::programme;
use crate::application::AppState;
use crate::domain::language::Texts;
use crate::domain::speaker::SpeakerFields;
use crate::store::pagination::After;

/// A speaker. `email` appears only in answers to organizers.
#[derive(Object, Debug, Clone)]
pub struct Speaker {
    pub id: Uuid,
    pub full_name: String,
    pub position: Option<String>,
    pub organization: Option<String>,
    /// ISO 3166-1 alpha-2 country code (e.g. `TM`); a value stored before codes that names no
    /// country of the list is returned as it was written.
    pub country: Option<String>,
    pub bio: Option<String>,
    pub photo_url: Option<String>,
    /// Organizers only.
    #[oai(skip_serializing_if_is_none)]
    pub email: Option<String>,
    /// `position`, `organization` and `bio` in other languages, by language.
    pub translations: BTreeMap<String, SpeakerTexts>,
}

impl Speaker {
    /// The speaker as `organizer` or as the public may see them.
    pub fn view(model: &speakers::Model, organizer: bool) -> Self {
        Speaker {
            id: model.id,
            full_name: model.full_name.clone(),
            position: model.position.clone(),
            organization: model.organization.clone(),
            country: model.country.clone(),
            bio: model.bio.clone(),
            photo_url: model.photo_url.clone(),
            email: if organizer { model.email.clone() } else { None },
            translations: SpeakerTexts::all_of(&model.translations),
        }
    }
}

impl Speaker {
    /// The speaker's texts in `language` where they have a translation.
    pub fn localized(mut self, model: &speakers::Model, language: &str) -> Self {
        let texts = Texts::new(&model.translations, language);
        let optional = |field, plain: &Option<String>| {
            texts.optional(field, plain.as_deref()).map(str::to_owned)
        };
        self.position = optional("position", &model.position);
        self.organization = optional("organization", &model.organization);
        self.bio = optional("bio", &model.bio);
        self
    }
}

/// A new speaker.
#[derive(Object, Debug)]
pub struct NewSpeaker {
    pub full_name: String,
    pub position: Option<String>,
    pub organization: Option<String>,
    /// ISO 3166-1 alpha-2 country code (e.g. `TM`, any case) or, for older clients, the
    /// country's English name; stored as the code. Anything else is a 422 naming `country`.
    pub country: Option<String>,
    pub bio: Option<String>,
    pub photo_url: Option<String>,
    /// Never shown publicly.
    pub email: Option<String>,
    /// Texts in other languages, by language.
    pub translations: Option<BTreeMap<String, SpeakerTexts>>,
}

/// Changes to a speaker.
#[derive(Object, Debug)]
pub struct SpeakerPatch {
    pub full_name: Option<String>,
    pub position: MaybeUndefined<String>,
    pub organization: MaybeUndefined<String>,
    /// ISO 3166-1 alpha-2 country code (e.g. `TM`, any case) or, for older clients, the
    /// country's English name; stored as the code. Anything else is a 422 naming `country`.
    pub country: MaybeUndefined<String>,
    pub bio: MaybeUndefined<String>,
    pub photo_url: MaybeUndefined<String>,
    pub email: MaybeUndefined<String>,
    /// Replaces the languages it names; `{}` for a language removes it.
    pub translations: Option<BTreeMap<String, SpeakerTexts>>,
}

/// A page of speakers.
#[derive(Object, Debug)]
pub struct SpeakerPage {
    pub items: Vec<Speaker>,
    pub next_cursor: Option<String>,
}

#[derive(ApiResponse)]
enum Created {
    /// The speaker was created.
    #[oai(status = 201)]
    Created(Json<Speaker>, #[oai(header = "Location")] String),
}

#[derive(ApiResponse)]
enum Deleted {
    /// The speaker was deleted.
    #[oai(status = 204)]
    Deleted,
}

/// Speaker operations.
pub struct SpeakersApi {
    pub state: AppState,
}

#[OpenApi(prefix_path = "/api/v1", tag = "ApiTags::Speakers")]
impl SpeakersApi {
    /// Create a speaker
    #[oai(
        path = "/events/:event/speakers",
        method = "post",
        operation_id = "create_speaker"
    )]
    async fn create(
        &self,
        _auth: OrganizerAuth,
        /// The event's id or slug.
        event: Path<String>,
        body: Json<NewSpeaker>,
    ) -> Result<Created, ManageError> {
        let body = body.0;
        let fields = SpeakerFields {
            full_name: body.full_name,
            position: body.position,
            organization: body.organization,
            country: body.country,
            bio: body.bio,
            photo_url: body.photo_url,
            email: body.email,
            translations: body
                .translations
                .map(SpeakerTexts::domain)
                .unwrap_or_default(),
        };
        let (event, model) = programme::create(&self.state, &event.0, fields).await?;
        let location = format!("/api/v1/events/{}/speakers/{}", event.id, model.id);
        Ok(Created::Created(
            Json(Speaker::view(&model, true)),
            location,
        ))
    }

    /// List speakers
    ///
    /// Public fields for everyone; organizers also see e-mail addresses.
    #[oai(
        path = "/events/:event/speakers",
        method = "get",
        operation_id = "list_speakers"
    )]
    async fn list(
        &self,
        auth: OptionalAuth,
        /// The event's id or slug.
        event: Path<String>,
        /// Page size, 1–500 (default 50).
        limit: Query<Option<u32>>,
        /// Opaque cursor from the previous page.
        cursor: Query<Option<String>>,
        /// The language of the texts: `tk`, `ru` or `en` (named by `Content-Language`).
        lang: Query<Option<String>>,
        /// Used when `lang` is absent.
        #[oai(name = "Accept-Language")]
        accept_language: Header<Option<String>>,
    ) -> Result<Localized<SpeakerPage>, ListError> {
        let (limit, after) = page_params(limit.0, cursor.0.as_deref())?;
        let organizer = auth.is_organizer();
        let (event, models) = programme::list::<SpeakerFields>(
            &self.state,
            &event.0,
            Audience::of(organizer),
            after_id(after)?,
            limit,
        )
        .await?;
        let language = reader_language(&event, lang.0.as_deref(), accept_language.0.as_deref());
        let page = SpeakerPage {
            next_cursor: next_cursor(&models, limit, |m| After::Id(m.id)),
            items: models
                .iter()
                .map(|m| Speaker::view(m, organizer).localized(m, &language))
                .collect(),
        };
        Ok(Localized::new(page, language))
    }

    /// Read a speaker
    #[oai(
        path = "/events/:event/speakers/:id",
        method = "get",
        operation_id = "get_speaker"
    )]
    async fn read(
        &self,
        auth: OptionalAuth,
        /// The event's id or slug.
        event: Path<String>,
        /// The speaker's id.
        id: Path<String>,
        /// The language of the texts: `tk`, `ru` or `en` (named by `Content-Language`).
        lang: Query<Option<String>>,
        /// Used when `lang` is absent.
        #[oai(name = "Accept-Language")]
        accept_language: Header<Option<String>>,
    ) -> Result<Localized<Speaker>, ReadError> {
        let organizer = auth.is_organizer();
        let id = path_id(&id.0, "speaker")?;
        let (event, model) =
            programme::find::<SpeakerFields>(&self.state, &event.0, Audience::of(organizer), id)
                .await?;
        let language = reader_language(&event, lang.0.as_deref(), accept_language.0.as_deref());
        let speaker = Speaker::view(&model, organizer).localized(&model, &language);
        Ok(Localized::new(speaker, language))
    }

    /// Change a speaker
    #[oai(
        path = "/events/:event/speakers/:id",
        method = "patch",
        operation_id = "update_speaker"
    )]
    async fn update(
        &self,
        _auth: OrganizerAuth,
        /// The event's id or slug.
        event: Path<String>,
        /// The speaker's id.
        id: Path<String>,
        body: Json<SpeakerPatch>,
    ) -> Result<Json<Speaker>, ManageError> {
        let patch = body.0;
        let id = path_id(&id.0, "speaker")?;
        let model = programme::update(&self.state, &event.0, id, |current: SpeakerFields| {
            SpeakerFields {
                full_name: patch.full_name.unwrap_or(current.full_name),
                position: patch_value(current.position, patch.position),
                organization: patch_value(current.organization, patch.organization),
                country: patch_value(current.country, patch.country),
                bio: patch_value(current.bio, patch.bio),
                photo_url: patch_value(current.photo_url, patch.photo_url),
                email: patch_value(current.email, patch.email),
                translations: patched(
                    current.translations,
                    patch.translations.map(SpeakerTexts::domain),
                ),
            }
        })
        .await?;
        Ok(Json(Speaker::view(&model, true)))
    }

    /// Delete a speaker
    ///
    /// Refused (409) while the speaker is listed in a session.
    #[oai(
        path = "/events/:event/speakers/:id",
        method = "delete",
        operation_id = "delete_speaker"
    )]
    async fn delete(
        &self,
        _auth: OrganizerAuth,
        /// The event's id or slug.
        event: Path<String>,
        /// The speaker's id.
        id: Path<String>,
    ) -> Result<Deleted, DeleteError> {
        programme::delete::<SpeakerFields>(&self.state, &event.0, path_id(&id.0, "speaker")?)
            .await?;
        Ok(Deleted::Deleted)
    }
}
