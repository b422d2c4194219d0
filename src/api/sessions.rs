//! Sessions of an event: create, list, read, change, delete. Drafts are organizers' only;
//! room and speaker clashes are refused unless `?allow_overlap=true`.

use chrono::{DateTime, FixedOffset, NaiveDate};
use std::collections::BTreeMap;

use poem_openapi::param::{Header, Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::types::MaybeUndefined;
use poem_openapi::{ApiResponse, Object, OpenApi};
use uuid::Uuid;

use entities::events;

use super::ApiTags;
use super::auth::{OptionalAuth, OrganizerAuth};
use super::common::{event_tz, local, next_cursor, page_params, path_id, to_utc};
use super::enums::{SessionKind, SessionStatus};
use super::errors::{DeleteError, ListError, ManageError, ReadError};
use super::patch_value;
use super::translations::{Localized, SessionTexts, patched};
use crate::app::events::reader_language;
use crate::app::principal::Audience;
use crate::app::sessions::{self as sessions_app, SessionQuery};
use crate::application::AppState;
use crate::domain::enums as domain;
use crate::domain::language::Texts;
use crate::domain::session::SessionFields;
use crate::domain::validation::ValidationErrors;
use crate::error::AppError;
use crate::store::pagination::After;
use crate::store::sessions::SessionRow;
use crate::store::{self};

/// A session of the programme.
#[derive(Object, Debug, Clone)]
pub struct Session {
    pub id: Uuid,
    pub title: String,
    pub r#abstract: Option<String>,
    pub kind: SessionKind,
    pub track_id: Option<Uuid>,
    pub room_id: Option<Uuid>,
    /// In the event's time zone.
    pub starts_at: DateTime<FixedOffset>,
    pub ends_at: DateTime<FixedOffset>,
    /// BCP 47 tag: `tk`, `ru`, `en`…
    pub language: String,
    /// Seats for sign-up; null means no sign-up needed.
    pub capacity: Option<i32>,
    /// Speakers in billing order.
    pub speaker_ids: Vec<Uuid>,
    pub status: SessionStatus,
    /// Grows with every change a calendar user would see (read-only).
    pub sequence: i32,
    pub updated_at: DateTime<FixedOffset>,
    /// `title` and `abstract` in other languages, by language.
    pub translations: BTreeMap<String, SessionTexts>,
}

impl Session {
    /// The session with its plain texts in the event's default language.
    pub fn from_row(row: &SessionRow, event: &events::Model) -> Result<Self, AppError> {
        Session::localized(row, event, &event.default_language)
    }

    /// The session with its plain texts in `language` where it has a translation.
    pub fn localized(
        row: &SessionRow,
        event: &events::Model,
        language: &str,
    ) -> Result<Self, AppError> {
        let tz = event_tz(event)?;
        let s = &row.session;
        let texts = Texts::new(&s.translations, language);
        Ok(Session {
            id: s.id,
            title: texts.text("title", &s.title).to_owned(),
            r#abstract: texts
                .optional("abstract", s.r#abstract.as_deref())
                .map(str::to_owned),
            kind: s.kind.into(),
            track_id: s.track_id,
            room_id: s.room_id,
            starts_at: local(s.starts_at, tz),
            ends_at: local(s.ends_at, tz),
            language: s.language.clone(),
            capacity: s.capacity,
            speaker_ids: row.speaker_ids.clone(),
            status: s.status.into(),
            sequence: s.sequence,
            updated_at: local(s.updated_at, tz),
            translations: SessionTexts::all_of(&s.translations),
        })
    }
}

/// A new session; it starts as a draft unless `status` says otherwise. `kind` defaults to
/// `talk`.
#[derive(Object, Debug)]
pub struct NewSession {
    pub title: String,
    pub r#abstract: Option<String>,
    pub kind: Option<SessionKind>,
    pub track_id: Option<Uuid>,
    pub room_id: Option<Uuid>,
    /// With an offset, e.g. `2026-11-18T09:30:00+05:00`.
    pub starts_at: DateTime<FixedOffset>,
    pub ends_at: DateTime<FixedOffset>,
    /// BCP 47 tag; default `en`.
    pub language: Option<String>,
    pub capacity: Option<i32>,
    #[oai(default)]
    pub speaker_ids: Vec<Uuid>,
    pub status: Option<SessionStatus>,
    /// Texts in other languages, by language.
    pub translations: Option<BTreeMap<String, SessionTexts>>,
}

/// Changes to a session: absent fields stay, `null` clears an optional field.
#[derive(Object, Debug)]
pub struct SessionPatch {
    pub title: Option<String>,
    pub r#abstract: MaybeUndefined<String>,
    pub kind: Option<SessionKind>,
    pub track_id: MaybeUndefined<Uuid>,
    pub room_id: MaybeUndefined<Uuid>,
    pub starts_at: Option<DateTime<FixedOffset>>,
    pub ends_at: Option<DateTime<FixedOffset>>,
    pub language: Option<String>,
    pub capacity: MaybeUndefined<i32>,
    pub speaker_ids: Option<Vec<Uuid>>,
    pub status: Option<SessionStatus>,
    /// Replaces the languages it names; `{}` for a language removes it.
    pub translations: Option<BTreeMap<String, SessionTexts>>,
}

/// A page of sessions.
#[derive(Object, Debug)]
pub struct SessionPage {
    pub items: Vec<Session>,
    pub next_cursor: Option<String>,
}

#[derive(ApiResponse)]
enum Created {
    /// The session was created.
    #[oai(status = 201)]
    Created(Json<Session>, #[oai(header = "Location")] String),
}

#[derive(ApiResponse)]
enum Deleted {
    /// The session was deleted; if it had been public, calendar feeds now show it cancelled.
    #[oai(status = 204)]
    Deleted,
}

/// Session operations.
pub struct SessionsApi {
    pub state: AppState,
}

#[OpenApi(prefix_path = "/api/v1", tag = "ApiTags::Sessions")]
impl SessionsApi {
    /// Create a session
    ///
    /// The session must lie within the event's local dates; track, room and speakers must
    /// belong to the event. A room or speaker already busy at that time is 409 naming the
    /// clashing session, unless `?allow_overlap=true`.
    #[oai(
        path = "/events/:event/sessions",
        method = "post",
        operation_id = "create_session"
    )]
    async fn create(
        &self,
        _auth: OrganizerAuth,
        /// The event's id or slug.
        event: Path<String>,
        /// Keep the session even if its room or a speaker is busy.
        allow_overlap: Query<Option<bool>>,
        body: Json<NewSession>,
    ) -> Result<Created, ManageError> {
        let body = body.0;
        let fields = SessionFields {
            title: body.title,
            r#abstract: body.r#abstract,
            kind: body
                .kind
                .map(Into::into)
                .unwrap_or(domain::SessionKind::Talk),
            track_id: body.track_id,
            room_id: body.room_id,
            starts_at: to_utc(body.starts_at),
            ends_at: to_utc(body.ends_at),
            language: body.language.unwrap_or_else(|| "en".into()),
            capacity: body.capacity,
            speaker_ids: body.speaker_ids,
            status: body
                .status
                .map(Into::into)
                .unwrap_or(domain::SessionStatus::Draft),
            translations: body
                .translations
                .map(SessionTexts::domain)
                .unwrap_or_default(),
        };
        let (event, row) = sessions_app::create(
            &self.state,
            &event.0,
            fields,
            allow_overlap.0.unwrap_or(false),
        )
        .await?
        .value;
        let location = format!("/api/v1/events/{}/sessions/{}", event.id, row.session.id);
        Ok(Created::Created(
            Json(Session::from_row(&row, &event)?),
            location,
        ))
    }

    /// List sessions
    ///
    /// By start time. The public sees published sessions (and cancelled ones with
    /// `?status=cancelled`); organizers may list any status.
    #[oai(
        path = "/events/:event/sessions",
        method = "get",
        operation_id = "list_sessions"
    )]
    #[allow(clippy::too_many_arguments)]
    async fn list(
        &self,
        auth: OptionalAuth,
        /// The event's id or slug.
        event: Path<String>,
        /// Only sessions with this status.
        status: Query<Option<SessionStatus>>,
        /// Only sessions of this track.
        track: Query<Option<Uuid>>,
        /// Only sessions in this room.
        room: Query<Option<Uuid>>,
        /// Only sessions with this speaker.
        speaker: Query<Option<Uuid>>,
        /// Only sessions in this language.
        language: Query<Option<String>>,
        /// Only sessions starting on this local date.
        day: Query<Option<NaiveDate>>,
        /// Page size, 1–500 (default 50).
        limit: Query<Option<u32>>,
        /// Opaque cursor from the previous page.
        cursor: Query<Option<String>>,
        /// The language of the texts: `tk`, `ru` or `en` (named by `Content-Language`).
        lang: Query<Option<String>>,
        /// Used when `lang` is absent.
        #[oai(name = "Accept-Language")]
        accept_language: Header<Option<String>>,
    ) -> Result<Localized<SessionPage>, ListError> {
        let (limit, after) = page_params(limit.0, cursor.0.as_deref())?;
        let query = SessionQuery {
            status: status.0.map(Into::into),
            track: track.0,
            room: room.0,
            speaker: speaker.0,
            language: language.0,
            day: day.0,
        };
        let after = match after {
            None => None,
            Some(After::Time(at, id)) => Some((at, id)),
            Some(After::Id(_)) => {
                return Err(
                    ValidationErrors::single("cursor", "is not a cursor of this list").into(),
                );
            }
        };
        let audience = Audience::of(auth.is_organizer());
        let (event, rows) =
            sessions_app::list(&self.state, &event.0, audience, query, after, limit).await?;
        let language = reader_language(&event, lang.0.as_deref(), accept_language.0.as_deref());
        let page = SessionPage {
            next_cursor: next_cursor(&rows, limit, store::sessions::cursor_of),
            items: rows
                .iter()
                .map(|row| Session::localized(row, &event, &language))
                .collect::<Result<_, _>>()?,
        };
        Ok(Localized::new(page, language))
    }

    /// Read a session
    ///
    /// Drafts are 404 except for organizers.
    #[oai(
        path = "/events/:event/sessions/:id",
        method = "get",
        operation_id = "get_session"
    )]
    async fn read(
        &self,
        auth: OptionalAuth,
        /// The event's id or slug.
        event: Path<String>,
        /// The session's id.
        id: Path<String>,
        /// The language of the texts: `tk`, `ru` or `en` (named by `Content-Language`).
        lang: Query<Option<String>>,
        /// Used when `lang` is absent.
        #[oai(name = "Accept-Language")]
        accept_language: Header<Option<String>>,
    ) -> Result<Localized<Session>, ReadError> {
        let audience = Audience::of(auth.is_organizer());
        let id = path_id(&id.0, "session")?;
        let (event, row) = sessions_app::find(&self.state, &event.0, audience, id).await?;
        let language = reader_language(&event, lang.0.as_deref(), accept_language.0.as_deref());
        let session = Session::localized(&row, &event, &language)?;
        Ok(Localized::new(session, language))
    }

    /// Change a session
    ///
    /// Absent fields stay; `null` clears an optional field. The same rules as on create
    /// apply to the result. `sequence` grows when the change is visible in calendars.
    #[oai(
        path = "/events/:event/sessions/:id",
        method = "patch",
        operation_id = "update_session"
    )]
    async fn update(
        &self,
        _auth: OrganizerAuth,
        /// The event's id or slug.
        event: Path<String>,
        /// The session's id.
        id: Path<String>,
        /// Keep the session even if its room or a speaker is busy.
        allow_overlap: Query<Option<bool>>,
        body: Json<SessionPatch>,
    ) -> Result<Json<Session>, ManageError> {
        let id = path_id(&id.0, "session")?;
        let patch = body.0;
        let change = |before: SessionFields| SessionFields {
            title: patch.title.unwrap_or(before.title),
            r#abstract: patch_value(before.r#abstract, patch.r#abstract),
            kind: patch.kind.map(Into::into).unwrap_or(before.kind),
            track_id: patch_value(before.track_id, patch.track_id),
            room_id: patch_value(before.room_id, patch.room_id),
            starts_at: patch.starts_at.map(to_utc).unwrap_or(before.starts_at),
            ends_at: patch.ends_at.map(to_utc).unwrap_or(before.ends_at),
            language: patch.language.unwrap_or(before.language),
            capacity: patch_value(before.capacity, patch.capacity),
            speaker_ids: patch.speaker_ids.unwrap_or(before.speaker_ids),
            status: patch.status.map(Into::into).unwrap_or(before.status),
            translations: patched(
                before.translations,
                patch.translations.map(SessionTexts::domain),
            ),
        };
        let (event, row) = sessions_app::update(
            &self.state,
            &event.0,
            id,
            change,
            allow_overlap.0.unwrap_or(false),
        )
        .await?
        .value;
        Ok(Json(Session::from_row(&row, &event)?))
    }

    /// Delete a session
    ///
    /// A session that was ever public stays in calendar feeds as cancelled.
    #[oai(
        path = "/events/:event/sessions/:id",
        method = "delete",
        operation_id = "delete_session"
    )]
    async fn delete(
        &self,
        _auth: OrganizerAuth,
        /// The event's id or slug.
        event: Path<String>,
        /// The session's id.
        id: Path<String>,
    ) -> Result<Deleted, DeleteError> {
        sessions_app::delete(&self.state, &event.0, path_id(&id.0, "session")?).await?;
        Ok(Deleted::Deleted)
    }
}
