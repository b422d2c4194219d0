//! Rooms of an event: create, list, change, delete.

use std::collections::BTreeMap;

use poem_openapi::param::{Header, Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::types::MaybeUndefined;
use poem_openapi::{ApiResponse, Object, OpenApi};
use uuid::Uuid;

use entities::rooms;

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
use crate::domain::speaker::RoomFields;
use crate::store::pagination::After;

/// A room of the venue.
#[derive(Object, Debug, Clone)]
pub struct Room {
    pub id: Uuid,
    pub name: String,
    /// Seats in the room; informational (session capacity is what limits sign-ups).
    pub capacity: Option<i32>,
    pub description: Option<String>,
    /// Where the room is listed (lowest first): the order of the rooms in the schedule
    /// exports and the console's day view.
    pub position: i32,
    /// Texts in other languages, by language (left out where the texts above are already
    /// in the reader's language, as in the agenda).
    #[oai(default, skip_serializing_if_is_empty)]
    pub translations: BTreeMap<String, PlaceTexts>,
}

impl From<&rooms::Model> for Room {
    fn from(model: &rooms::Model) -> Self {
        Room {
            id: model.id,
            name: model.name.clone(),
            capacity: model.capacity,
            description: model.description.clone(),
            position: model.position,
            translations: PlaceTexts::all_of(&model.translations),
        }
    }
}

impl Room {
    /// The room as a reader in `language` sees it (with every translation).
    pub fn localized(model: &rooms::Model, language: &str) -> Self {
        let texts = Texts::new(&model.translations, language);
        Room {
            name: texts.text("name", &model.name).to_owned(),
            description: texts
                .optional("description", model.description.as_deref())
                .map(str::to_owned),
            ..Room::from(model)
        }
    }
}

/// A new room.
#[derive(Object, Debug)]
pub struct NewRoom {
    pub name: String,
    pub capacity: Option<i32>,
    pub description: Option<String>,
    /// Where the room is listed, 0–9999, lowest first (default: after the other rooms).
    pub position: Option<i32>,
    /// Texts in other languages, by language.
    pub translations: Option<BTreeMap<String, PlaceTexts>>,
}

/// Changes to a room.
#[derive(Object, Debug)]
pub struct RoomPatch {
    pub name: Option<String>,
    pub capacity: MaybeUndefined<i32>,
    pub description: MaybeUndefined<String>,
    /// Where the room is listed, 0–9999, lowest first.
    pub position: Option<i32>,
    /// Replaces the languages it names; `{}` for a language removes it.
    pub translations: Option<BTreeMap<String, PlaceTexts>>,
}

/// A page of rooms.
#[derive(Object, Debug)]
pub struct RoomPage {
    pub items: Vec<Room>,
    pub next_cursor: Option<String>,
}

#[derive(ApiResponse)]
enum Created {
    /// The room was created.
    #[oai(status = 201)]
    Created(Json<Room>, #[oai(header = "Location")] String),
}

#[derive(ApiResponse)]
enum Deleted {
    /// The room was deleted.
    #[oai(status = 204)]
    Deleted,
}

/// Room operations.
pub struct RoomsApi {
    pub state: AppState,
}

#[OpenApi(prefix_path = "/api/v1", tag = "ApiTags::Rooms")]
impl RoomsApi {
    /// Create a room
    #[oai(
        path = "/events/:event/rooms",
        method = "post",
        operation_id = "create_room"
    )]
    async fn create(
        &self,
        _auth: OrganizerAuth,
        /// The event's id or slug.
        event: Path<String>,
        body: Json<NewRoom>,
    ) -> Result<Created, ManageError> {
        let fields = RoomFields {
            name: body.0.name,
            capacity: body.0.capacity,
            description: body.0.description,
            position: body.0.position,
            translations: body
                .0
                .translations
                .map(PlaceTexts::domain)
                .unwrap_or_default(),
        };
        let (event, model) = programme::create(&self.state, &event.0, fields).await?;
        let location = format!("/api/v1/events/{}/rooms/{}", event.id, model.id);
        Ok(Created::Created(Json(Room::from(&model)), location))
    }

    /// List rooms
    #[oai(
        path = "/events/:event/rooms",
        method = "get",
        operation_id = "list_rooms"
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
    ) -> Result<Localized<RoomPage>, ListError> {
        let (limit, after) = page_params(limit.0, cursor.0.as_deref())?;
        let (event, models) = programme::list::<RoomFields>(
            &self.state,
            &event.0,
            Audience::of(auth.is_organizer()),
            after_id(after)?,
            limit,
        )
        .await?;
        let language = reader_language(&event, lang.0.as_deref(), accept_language.0.as_deref());
        let page = RoomPage {
            next_cursor: next_cursor(&models, limit, |m| After::Id(m.id)),
            items: models
                .iter()
                .map(|m| Room::localized(m, &language))
                .collect(),
        };
        Ok(Localized::new(page, language))
    }

    /// Read a room
    #[oai(
        path = "/events/:event/rooms/:id",
        method = "get",
        operation_id = "get_room"
    )]
    async fn read(
        &self,
        auth: OptionalAuth,
        /// The event's id or slug.
        event: Path<String>,
        /// The room's id.
        id: Path<String>,
        /// The language of the texts: `tk`, `ru` or `en` (named by `Content-Language`).
        lang: Query<Option<String>>,
        /// Used when `lang` is absent.
        #[oai(name = "Accept-Language")]
        accept_language: Header<Option<String>>,
    ) -> Result<Localized<Room>, ReadError> {
        let id = path_id(&id.0, "room")?;
        let (event, model) = programme::find::<RoomFields>(
            &self.state,
            &event.0,
            Audience::of(auth.is_organizer()),
            id,
        )
        .await?;
        let language = reader_language(&event, lang.0.as_deref(), accept_language.0.as_deref());
        Ok(Localized::new(Room::localized(&model, &language), language))
    }

    /// Change a room
    #[oai(
        path = "/events/:event/rooms/:id",
        method = "patch",
        operation_id = "update_room"
    )]
    async fn update(
        &self,
        _auth: OrganizerAuth,
        /// The event's id or slug.
        event: Path<String>,
        /// The room's id.
        id: Path<String>,
        body: Json<RoomPatch>,
    ) -> Result<Json<Room>, ManageError> {
        let id = path_id(&id.0, "room")?;
        let model = programme::update(&self.state, &event.0, id, |current: RoomFields| {
            RoomFields {
                name: body.0.name.unwrap_or(current.name),
                capacity: patch_value(current.capacity, body.0.capacity),
                description: patch_value(current.description, body.0.description),
                position: body.0.position.or(current.position),
                translations: patched(
                    current.translations,
                    body.0.translations.map(PlaceTexts::domain),
                ),
            }
        })
        .await?;
        Ok(Json(Room::from(&model)))
    }

    /// Delete a room
    ///
    /// Refused (409) while a session takes place in the room.
    #[oai(
        path = "/events/:event/rooms/:id",
        method = "delete",
        operation_id = "delete_room"
    )]
    async fn delete(
        &self,
        _auth: OrganizerAuth,
        /// The event's id or slug.
        event: Path<String>,
        /// The room's id.
        id: Path<String>,
    ) -> Result<Deleted, DeleteError> {
        programme::delete::<RoomFields>(&self.state, &event.0, path_id(&id.0, "room")?).await?;
        Ok(Deleted::Deleted)
    }
}
