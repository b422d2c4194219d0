//! The public agenda: published sessions grouped by the event's local days, each with its
//! track, room and speakers' public fields. Rendered JSON is cached per agenda version and
//! answered with a strong ETag (304 on `If-None-Match`).

use std::collections::HashMap;

use chrono::{DateTime, FixedOffset, NaiveDate};
use poem_openapi::param::{Header, Path, Query};
use poem_openapi::payload::{Binary, Json};
use poem_openapi::{ApiResponse, Object, OpenApi};
use uuid::Uuid;

use entities::events;

use super::ApiTags;
use super::auth::OptionalAuth;
use super::common::{cached_visible_event, event_tz, local};
use super::enums::{SessionKind, SessionStatus};
use super::events::Event;
use super::rooms::Room;
use super::tracks::Track;
use crate::api_errors;
use crate::app::agenda::{self as agenda_app, AgendaQuery};
use crate::app::events::reader_language;
use crate::application::AppState;
use crate::cache::Rendered;
use crate::domain::agenda::group_by_local_day;
use crate::domain::language::Texts;
use crate::error::AppError;

/// The published programme of an event.
#[derive(Object, Debug)]
pub struct Agenda {
    pub event: Event,
    /// Local days in order; days without sessions are left out.
    pub days: Vec<AgendaDay>,
}

/// The sessions of one local day, by start time.
#[derive(Object, Debug)]
pub struct AgendaDay {
    /// The local date in the event's time zone.
    pub date: NaiveDate,
    pub sessions: Vec<AgendaSession>,
}

/// A session with its track, room and speakers embedded.
#[derive(Object, Debug)]
pub struct AgendaSession {
    pub id: Uuid,
    pub title: String,
    pub r#abstract: Option<String>,
    pub kind: SessionKind,
    pub starts_at: DateTime<FixedOffset>,
    pub ends_at: DateTime<FixedOffset>,
    pub language: String,
    pub capacity: Option<i32>,
    pub status: SessionStatus,
    pub sequence: i32,
    pub track: Option<Track>,
    pub room: Option<Room>,
    pub speakers: Vec<PublicSpeaker>,
}

/// A speaker's public fields (never an e-mail address).
#[derive(Object, Debug, Clone)]
pub struct PublicSpeaker {
    pub id: Uuid,
    pub full_name: String,
    pub position: Option<String>,
    pub organization: Option<String>,
    /// ISO 3166-1 alpha-2 country code (e.g. `TM`); a value stored before codes that names no
    /// country of the list is returned as it was written.
    pub country: Option<String>,
    pub photo_url: Option<String>,
}

#[derive(ApiResponse)]
enum AgendaResponse {
    /// The agenda.
    #[oai(status = 200, actual_type = "Json<Agenda>")]
    Ok(
        Binary<bytes::Bytes>,
        /// Strong validator of this body.
        #[oai(header = "ETag")]
        String,
        #[oai(header = "Cache-Control")] String,
        /// `gzip` when the client accepts it.
        #[oai(header = "Content-Encoding")]
        Option<String>,
        #[oai(header = "Vary")] String,
        /// The language of the texts.
        #[oai(header = "Content-Language")]
        String,
    ),
    /// The agenda has not changed since the ETag sent in `If-None-Match`.
    #[oai(status = 304)]
    NotModified(
        #[oai(header = "ETag")] String,
        #[oai(header = "Content-Language")] String,
    ),
}

api_errors!(
    enum AgendaError {
        /// No such event, or a draft.
        NotFound = 404,
    }
);

/// The agenda operation.
pub struct AgendaApi {
    pub state: AppState,
}

#[OpenApi(prefix_path = "/api/v1", tag = "ApiTags::Agenda")]
impl AgendaApi {
    /// Read the agenda
    ///
    /// Published sessions grouped by the event's local day (a session at 23:30 local time is
    /// on its local day), each with its track, room and speakers. Filters combine.
    #[oai(
        path = "/events/:event/agenda",
        method = "get",
        operation_id = "get_agenda"
    )]
    #[allow(clippy::too_many_arguments)]
    async fn agenda(
        &self,
        auth: OptionalAuth,
        /// The event's id or slug.
        event: Path<String>,
        /// Only this local date.
        day: Query<Option<NaiveDate>>,
        /// Only this track.
        track: Query<Option<Uuid>>,
        /// Only sessions in this language (BCP 47).
        language: Query<Option<String>>,
        /// Only sessions with this speaker.
        speaker: Query<Option<Uuid>>,
        /// The language of the texts: `tk`, `ru` or `en` (default: `Accept-Language`, then
        /// the event's default language; named by `Content-Language`).
        lang: Query<Option<String>>,
        #[oai(name = "Accept-Language")] accept_language: Header<Option<String>>,
        #[oai(name = "If-None-Match")] if_none_match: Header<Option<String>>,
        #[oai(name = "Accept-Encoding")] accept_encoding: Header<Option<String>>,
    ) -> Result<AgendaResponse, AgendaError> {
        let head = cached_visible_event(&self.state, &event.0, auth.is_organizer()).await?;
        let reader = reader_language(&head, lang.0.as_deref(), accept_language.0.as_deref());
        let filter = AgendaFilter {
            day: day.0,
            track: track.0,
            language: language.0,
            speaker: speaker.0,
            reader,
        };
        let variant = filter.cache_key();
        let rendered = match self
            .state
            .render_cache
            .get(head.id, &variant, head.agenda_version)
        {
            Some(hit) => hit,
            None => {
                let event = &head;
                let agenda = build(&self.state, event, &filter).await?;
                let body = poem_openapi::types::ToJSON::to_json_string(&agenda).into_bytes();
                self.state.render_cache.put(
                    event.id,
                    variant,
                    Rendered::new(event.agenda_version, body),
                )
            }
        };
        let answer = rendered.answer(accept_encoding.0.as_deref(), if_none_match.0.as_deref());
        let Some(body) = answer.body else {
            return Ok(AgendaResponse::NotModified(answer.etag, filter.reader));
        };
        let encoding = answer.gzip.then(|| "gzip".to_owned());
        Ok(AgendaResponse::Ok(
            Binary(body),
            answer.etag,
            "public, no-cache".into(),
            encoding,
            "Accept-Encoding, Accept-Language".into(),
            filter.reader,
        ))
    }
}

struct AgendaFilter {
    day: Option<NaiveDate>,
    track: Option<Uuid>,
    language: Option<String>,
    speaker: Option<Uuid>,
    /// The language the texts are shown in.
    reader: String,
}

impl AgendaFilter {
    fn cache_key(&self) -> String {
        format!(
            "agenda|{:?}|{:?}|{:?}|{:?}|{}",
            self.day, self.track, self.language, self.speaker, self.reader
        )
    }
}

async fn build(
    state: &AppState,
    event: &events::Model,
    filter: &AgendaFilter,
) -> Result<Agenda, AppError> {
    let tz = event_tz(event)?;
    let query = AgendaQuery {
        day: filter.day,
        track: filter.track,
        room: None,
        language: filter.language.clone(),
        speaker: filter.speaker,
    };
    let (rows, refs) = agenda_app::programme(state, event, &query).await?;
    let reader = filter.reader.as_str();
    let tracks: HashMap<Uuid, Track> = refs
        .tracks
        .values()
        .map(|t| {
            let mut track = Track::localized(t, reader);
            track.translations.clear();
            (t.id, track)
        })
        .collect();
    let rooms: HashMap<Uuid, Room> = refs
        .rooms
        .values()
        .map(|r| {
            let mut room = Room::localized(r, reader);
            room.translations.clear();
            (r.id, room)
        })
        .collect();
    let speakers: HashMap<Uuid, PublicSpeaker> = refs
        .speakers
        .values()
        .map(|s| {
            let texts = Texts::new(&s.translations, reader);
            let optional = |field, plain: &Option<String>| {
                texts.optional(field, plain.as_deref()).map(str::to_owned)
            };
            let speaker = PublicSpeaker {
                id: s.id,
                full_name: s.full_name.clone(),
                position: optional("position", &s.position),
                organization: optional("organization", &s.organization),
                country: s.country.clone(),
                photo_url: s.photo_url.clone(),
            };
            (s.id, speaker)
        })
        .collect();
    let mut days = Vec::new();
    for (date, day_rows) in group_by_local_day(rows, tz, |row| row.session.starts_at) {
        let mut sessions = Vec::with_capacity(day_rows.len());
        for row in day_rows {
            let s = row.session;
            let texts = Texts::new(&s.translations, reader);
            sessions.push(AgendaSession {
                id: s.id,
                title: texts.text("title", &s.title).to_owned(),
                r#abstract: texts
                    .optional("abstract", s.r#abstract.as_deref())
                    .map(str::to_owned),
                kind: s.kind.into(),
                starts_at: local(s.starts_at, tz),
                ends_at: local(s.ends_at, tz),
                language: s.language,
                capacity: s.capacity,
                status: s.status.into(),
                sequence: s.sequence,
                track: s.track_id.and_then(|id| tracks.get(&id).cloned()),
                room: s.room_id.and_then(|id| rooms.get(&id).cloned()),
                speakers: row
                    .speaker_ids
                    .iter()
                    .filter_map(|id| speakers.get(id).cloned())
                    .collect(),
            });
        }
        days.push(AgendaDay { date, sessions });
    }
    let mut shown = Event::localized(event, reader)?;
    shown.translations.clear();
    Ok(Agenda { event: shown, days })
}
