//! Tracks of an event: create, list, change, delete.

use std::collections::BTreeMap;

use poem_openapi::param::{Header, Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::types::MaybeUndefined;
use poem_openapi::{ApiResponse, Object, OpenApi};
use uuid::Uuid;

use entities::tracks;

use super::ApiTags;
use super::auth::{OptionalAuth, OrganizerAuth};
use super::common::{after_id, next_cursor, page_params, path_id};
use super::errors::{DeleteError, ListError, ManageError, ReadError};
use super::patch_value;
use super::translations::{Localized, PlaceTexts, patched};
use crate::app::events::reader_language;
use crate::app::principal::Audience;
use crate::app::programme;
use crate::application::AppState;
use crate::domain::language::Texts;
use crate::domain::speaker::TrackFields;
use crate::store::pagination::After;

/// A thematic strand of the programme.
#[derive(Object, Debug, Clone)]
pub struct Track {
    pub id: Uuid,
    pub name: String,
    /// `#RRGGBB`.
    pub color: Option<String>,
    pub description: Option<String>,
    /// Texts in other languages, by language (left out where the texts above are already
    /// in the reader's language, as in the agenda).
    #[oai(default, skip_serializing_if_is_empty)]
    pub translations: BTreeMap<String, PlaceTexts>,
}

impl From<&tracks::Model> for Track {
    fn from(model: &tracks::Model) -> Self {
        Track {
            id: model.id,
            name: model.name.clone(),
            color: model.color.clone(),
            description: model.description.clone(),
            translations: PlaceTexts::all_of(&model.translations),
        }
    }
}

impl Track {
    /// The track as a reader in `language` sees it (with every translation).
    pub fn localized(model: &tracks::Model, language: &str) -> Self {
        let texts = Texts::new(&model.translations, language);
        Track {
            name: texts.text("name", &model.name).to_owned(),
            description: texts
                .optional("description", model.description.as_deref())
                .map(str::to_owned),
            ..Track::from(model)
        }
    }
}

/// A new track.
#[derive(Object, Debug)]
pub struct NewTrack {
    pub name: String,
    pub color: Option<String>,
    pub description: Option<String>,
    /// Texts in other languages, by language.
    pub translations: Option<BTreeMap<String, PlaceTexts>>,
}

/// Changes to a track.
#[derive(Object, Debug)]
pub struct TrackPatch {
    pub name: Option<String>,
    pub color: MaybeUndefined<String>,
    pub description: MaybeUndefined<String>,
    /// Replaces the languages it names; `{}` for a language removes it.
    pub translations: Option<BTreeMap<String, PlaceTexts>>,
}

/// A page of tracks.
#[derive(Object, Debug)]
pub struct TrackPage {
    pub items: Vec<Track>,
    pub next_cursor: Option<String>,
}

#[derive(ApiResponse)]
enum Created {
    /// The track was created.
    #[oai(status = 201)]
    Created(Json<Track>, #[oai(header = "Location")] String),
}

#[derive(ApiResponse)]
enum Deleted {
    /// The track was deleted.
    #[oai(status = 204)]
    Deleted,
}

/// Track operations.
pub struct TracksApi {
    pub state: AppState,
}

#[OpenApi(prefix_path = "/api/v1", tag = "ApiTags::Tracks")]
impl TracksApi {
    /// Create a track
    #[oai(
        path = "/events/:event/tracks",
        method = "post",
        operation_id = "create_track"
    )]
    async fn create(
        &self,
        _auth: OrganizerAuth,
        /// The event's id or slug.
        event: Path<String>,
        body: Json<NewTrack>,
    ) -> Result<Created, ManageError> {
        let fields = TrackFields {
            name: body.0.name,
            color: body.0.color,
            description: body.0.description,
            translations: body
                .0
                .translations
                .map(PlaceTexts::domain)
                .unwrap_or_default(),
        };
        let (event, model) = programme::create(&self.state, &event.0, fields).await?;
        let location = format!("/api/v1/events/{}/tracks/{}", event.id, model.id);
        Ok(Created::Created(Json(Track::from(&model)), location))
    }

    /// List tracks
    #[oai(
        path = "/events/:event/tracks",
        method = "get",
        operation_id = "list_tracks"
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
    ) -> Result<Localized<TrackPage>, ListError> {
        let (limit, after) = page_params(limit.0, cursor.0.as_deref())?;
        let (event, models) = programme::list::<TrackFields>(
            &self.state,
            &event.0,
            Audience::of(auth.is_organizer()),
            after_id(after)?,
            limit,
        )
        .await?;
        let language = reader_language(&event, lang.0.as_deref(), accept_language.0.as_deref());
        let page = TrackPage {
            next_cursor: next_cursor(&models, limit, |m| After::Id(m.id)),
            items: models
                .iter()
                .map(|m| Track::localized(m, &language))
                .collect(),
        };
        Ok(Localized::new(page, language))
    }

    /// Read a track
    #[oai(
        path = "/events/:event/tracks/:id",
        method = "get",
        operation_id = "get_track"
    )]
    async fn read(
        &self,
        auth: OptionalAuth,
        /// The event's id or slug.
        event: Path<String>,
        /// The track's id.
        id: Path<String>,
        /// The language of the texts: `tk`, `ru` or `en` (named by `Content-Language`).
        lang: Query<Option<String>>,
        /// Used when `lang` is absent.
        #[oai(name = "Accept-Language")]
        accept_language: Header<Option<String>>,
    ) -> Result<Localized<Track>, ReadError> {
        let id = path_id(&id.0, "track")?;
        let (event, model) = programme::find::<TrackFields>(
            &self.state,
            &event.0,
            Audience::of(auth.is_organizer()),
            id,
        )
        .await?;
        let language = reader_language(&event, lang.0.as_deref(), accept_language.0.as_deref());
        Ok(Localized::new(
            Track::localized(&model, &language),
            language,
        ))
    }

    /// Change a track
    #[oai(
        path = "/events/:event/tracks/:id",
        method = "patch",
        operation_id = "update_track"
    )]
    async fn update(
        &self,
        _auth: OrganizerAuth,
        /// The event's id or slug.
        event: Path<String>,
        /// The track's id.
        id: Path<String>,
        body: Json<TrackPatch>,
    ) -> Result<Json<Track>, ManageError> {
        let id = path_id(&id.0, "track")?;
        let model = programme::update(&self.state, &event.0, id, |current: TrackFields| {
            TrackFields {
                name: body.0.name.unwrap_or(current.name),
                color: patch_value(current.color, body.0.color),
                description: patch_value(current.description, body.0.description),
                translations: patched(
                    current.translations,
                    body.0.translations.map(PlaceTexts::domain),
                ),
            }
        })
        .await?;
        Ok(Json(Track::from(&model)))
    }

    /// Delete a track
    ///
    /// Refused (409) while a session belongs to the track.
    #[oai(
        path = "/events/:event/tracks/:id",
        method = "delete",
        operation_id = "delete_track"
    )]
    async fn delete(
        &self,
        _auth: OrganizerAuth,
        /// The event's id or slug.
        event: Path<String>,
        /// The track's id.
        id: Path<String>,
    ) -> Result<Deleted, DeleteError> {
        programme::delete::<TrackFields>(&self.state, &event.0, path_id(&id.0, "track")?).await?;
        Ok(Deleted::Deleted)
    }
}
