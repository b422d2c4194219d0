//! Calendar feeds for subscription in Google, Outlook, Apple Calendar and Thunderbird: the
//! event's published agenda, one session, one speaker's sessions, and a delegate's personal
//! agenda behind a secret link. Strong ETags over the bytes, a Last-Modified that only moves
//! forward (the event's agenda change time, bumped by deletions too), 304 answers, HEAD.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use poem_openapi::param::{Header, Path, Query};
use poem_openapi::payload::Binary;
use poem_openapi::{ApiResponse, OpenApi};
use uuid::Uuid;

use entities::{events, rooms, session_tombstones, speakers, tracks};

use super::ApiTags;
use super::common::{cached_visible_event, path_id, visible_event};
use crate::api_errors;
use crate::application::AppState;
use crate::cache::Rendered;
use crate::calendar::{self, CalendarEvent, CalendarMeta, EventStatus};
use crate::domain::enums::{ChoiceStatus, RegistrationStatus, SessionStatus};
use crate::domain::token::{self, TokenKind};
use crate::error::AppError;
use crate::store;
use crate::store::sessions::{SessionFilter, SessionRow};

#[derive(ApiResponse)]
enum Feed {
    /// An iCalendar document (RFC 5545).
    #[oai(
        status = 200,
        content_type = "text/calendar; charset=utf-8; method=PUBLISH"
    )]
    Ok(
        Binary<bytes::Bytes>,
        /// Strong validator over the bytes.
        #[oai(header = "ETag")]
        String,
        /// Never goes backwards, also when sessions are deleted.
        #[oai(header = "Last-Modified")]
        String,
        #[oai(header = "Cache-Control")] String,
        #[oai(header = "Content-Disposition")] String,
    ),
    /// Unchanged since the `If-None-Match` or `If-Modified-Since` sent.
    #[oai(status = 304)]
    NotModified(
        #[oai(header = "ETag")] String,
        #[oai(header = "Last-Modified")] String,
    ),
}

api_errors!(
    enum FeedError {
        /// No such event, session, speaker or registration; a draft; or a wrong calendar token.
        NotFound = 404,
    }
);

/// Calendar feed operations.
pub struct CalendarApi {
    pub state: AppState,
}

/// The validators a client sent.
struct Conditions {
    if_none_match: Option<String>,
    if_modified_since: Option<String>,
}

#[OpenApi(prefix_path = "/api/v1", tag = "ApiTags::Calendar")]
impl CalendarApi {
    /// The event's calendar
    ///
    /// Every published session (cancelled and deleted ones as `STATUS:CANCELLED`, so clients
    /// remove them). Subscribe with `webcal://…/calendar.ics`. `?track=` narrows it.
    #[oai(
        path = "/events/:event/calendar.ics",
        method = "get",
        operation_id = "event_calendar"
    )]
    async fn event_feed(
        &self,
        /// The event's id or slug.
        event: Path<String>,
        /// Only this track.
        track: Query<Option<Uuid>>,
        #[oai(name = "If-None-Match")] if_none_match: Header<Option<String>>,
        #[oai(name = "If-Modified-Since")] if_modified_since: Header<Option<String>>,
    ) -> Result<Feed, FeedError> {
        let conditions = Conditions {
            if_none_match: if_none_match.0,
            if_modified_since: if_modified_since.0,
        };
        let head = cached_visible_event(&self.state, &event.0, false).await?;
        let variant = format!("ics|{:?}", track.0);
        let rendered = match self
            .state
            .render_cache
            .get(head.id, &variant, head.agenda_version)
        {
            Some(hit) => hit,
            None => {
                let event: &events::Model = &head;
                let filter = SessionFilter {
                    statuses: vec![SessionStatus::Published, SessionStatus::Cancelled],
                    track_id: track.0,
                    ..Default::default()
                };
                let rows = store::sessions::all(&self.state.db, event.id, &filter).await?;
                let tombstones: Vec<session_tombstones::Model> =
                    store::sessions::tombstones(&self.state.db, event.id)
                        .await?
                        .into_iter()
                        .filter(|t| track.0.is_none() || t.track_id == track.0)
                        .collect();
                let context = Context::load(&self.state, event).await?;
                let mut entries: Vec<CalendarEvent> =
                    rows.iter().map(|row| context.entry(row, None)).collect();
                entries.extend(tombstones.iter().map(tombstone_entry));
                entries.sort_by_key(|e| (e.starts_at, e.session_id));
                let body = calendar::render(
                    &CalendarMeta {
                        name: &event.title,
                        description: event.description.as_deref(),
                        refresh_minutes: 60,
                    },
                    &self.state.config.uid_host,
                    &entries,
                );
                self.state.render_cache.put(
                    head.id,
                    variant,
                    Rendered::new(head.agenda_version, body.into_bytes()),
                )
            }
        };
        Ok(answer(
            &rendered,
            head.agenda_updated_at.max(head.updated_at),
            &format!("{}.ics", head.slug),
            &conditions,
        ))
    }

    /// One session's calendar
    #[oai(
        path = "/events/:event/sessions/:id/calendar.ics",
        method = "get",
        operation_id = "session_calendar"
    )]
    async fn session_feed(
        &self,
        /// The event's id or slug.
        event: Path<String>,
        /// The session's id.
        id: Path<String>,
        #[oai(name = "If-None-Match")] if_none_match: Header<Option<String>>,
        #[oai(name = "If-Modified-Since")] if_modified_since: Header<Option<String>>,
    ) -> Result<Feed, FeedError> {
        let event = visible_event(&self.state, &event.0, false).await?;
        let id = path_id(&id.0, "session")?;
        let context = Context::load(&self.state, &event).await?;
        let entries = match store::sessions::find(&self.state.db, event.id, id).await? {
            Some(row) if row.session.status != SessionStatus::Draft.as_str() => {
                vec![context.entry(&row, None)]
            }
            Some(_) => return Err(AppError::NotFound("session").into()),
            None => store::sessions::tombstones(&self.state.db, event.id)
                .await?
                .iter()
                .filter(|t| t.id == id)
                .map(tombstone_entry)
                .collect(),
        };
        let Some(first) = entries.first() else {
            return Err(AppError::NotFound("session").into());
        };
        let name = first.title.clone();
        let conditions = Conditions {
            if_none_match: if_none_match.0,
            if_modified_since: if_modified_since.0,
        };
        let body = self.render(&name, 60, &entries);
        Ok(answer(
            &body,
            last_modified(&event, None),
            &format!("session-{id}.ics"),
            &conditions,
        ))
    }

    /// One speaker's calendar
    #[oai(
        path = "/events/:event/speakers/:id/calendar.ics",
        method = "get",
        operation_id = "speaker_calendar"
    )]
    async fn speaker_feed(
        &self,
        /// The event's id or slug.
        event: Path<String>,
        /// The speaker's id.
        id: Path<String>,
        #[oai(name = "If-None-Match")] if_none_match: Header<Option<String>>,
        #[oai(name = "If-Modified-Since")] if_modified_since: Header<Option<String>>,
    ) -> Result<Feed, FeedError> {
        let event = visible_event(&self.state, &event.0, false).await?;
        let speaker = store::speakers::find(&self.state.db, event.id, path_id(&id.0, "speaker")?)
            .await?
            .ok_or(AppError::NotFound("speaker"))?;
        let filter = SessionFilter {
            statuses: vec![SessionStatus::Published, SessionStatus::Cancelled],
            speaker_id: Some(speaker.id),
            ..Default::default()
        };
        let rows = store::sessions::all(&self.state.db, event.id, &filter).await?;
        let context = Context::load(&self.state, &event).await?;
        let entries: Vec<CalendarEvent> = rows.iter().map(|row| context.entry(row, None)).collect();
        let name = format!("{} — {}", speaker.full_name, event.title);
        let conditions = Conditions {
            if_none_match: if_none_match.0,
            if_modified_since: if_modified_since.0,
        };
        let body = self.render(&name, 60, &entries);
        Ok(answer(
            &body,
            last_modified(&event, None),
            &format!("speaker-{}.ics", speaker.id),
            &conditions,
        ))
    }

    /// A delegate's personal calendar
    ///
    /// The sessions the delegate chose: `CONFIRMED` with a seat, `TENTATIVE` while waiting,
    /// `CANCELLED` when the session or the registration is. The `token` is the calendar token
    /// from the registration's `calendar_url` (not the manage token); rotating it through
    /// `POST /api/v1/registrations/me/calendar-token` stops the old link.
    #[oai(
        path = "/registrations/:id/calendar.ics",
        method = "get",
        operation_id = "personal_calendar"
    )]
    async fn personal_feed(
        &self,
        /// The registration's id.
        id: Path<String>,
        /// The calendar token.
        token: Query<Option<String>>,
        #[oai(name = "If-None-Match")] if_none_match: Header<Option<String>>,
        #[oai(name = "If-Modified-Since")] if_modified_since: Header<Option<String>>,
    ) -> Result<Feed, FeedError> {
        let id = path_id(&id.0, "registration")?;
        let row = store::registrations::find(&self.state.db, id)
            .await?
            .ok_or(AppError::NotFound("registration"))?;
        let expected = token::derive(
            &self.state.token_secret,
            TokenKind::Calendar,
            id,
            row.registration.calendar_generation,
        );
        if !token
            .0
            .as_deref()
            .is_some_and(|t| token::same(t, &expected))
        {
            return Err(AppError::NotFound("registration").into());
        }
        let event = store::events::find(&self.state.db, &row.registration.event_id.to_string())
            .await?
            .ok_or(AppError::NotFound("event"))?;
        let registration_status: RegistrationStatus =
            super::enums::stored(&row.registration.status)?;
        let filter = SessionFilter {
            statuses: vec![SessionStatus::Published, SessionStatus::Cancelled],
            ids: Some(row.choices.iter().map(|c| c.session_id).collect()),
            ..Default::default()
        };
        let sessions = store::sessions::all(&self.state.db, event.id, &filter).await?;
        let context = Context::load(&self.state, &event).await?;
        let entries: Vec<CalendarEvent> = sessions
            .iter()
            .map(|session| {
                let choice = row
                    .choices
                    .iter()
                    .find(|c| c.session_id == session.session.id);
                let status = match registration_status {
                    RegistrationStatus::Cancelled | RegistrationStatus::Rejected => {
                        EventStatus::Cancelled
                    }
                    RegistrationStatus::Confirmed
                        if choice.is_some_and(|c| c.status == ChoiceStatus::Confirmed.as_str()) =>
                    {
                        EventStatus::Confirmed
                    }
                    _ => EventStatus::Tentative,
                };
                context.entry(session, Some(status))
            })
            .collect();
        let name = format!("{} — my agenda", event.title);
        let conditions = Conditions {
            if_none_match: if_none_match.0,
            if_modified_since: if_modified_since.0,
        };
        let body = self.render(&name, 30, &entries);
        Ok(answer(
            &body,
            last_modified(&event, Some(row.registration.updated_at)),
            "my-agenda.ics",
            &conditions,
        ))
    }
}

impl CalendarApi {
    /// Renders a feed that is not cached (one session, one speaker, one delegate).
    fn render(&self, name: &str, refresh_minutes: u32, entries: &[CalendarEvent]) -> Rendered {
        let meta = CalendarMeta {
            name,
            description: None,
            refresh_minutes,
        };
        let body = calendar::render(&meta, &self.state.config.uid_host, entries);
        Rendered::new(0, body.into_bytes())
    }
}

/// What sessions refer to: tracks, rooms and speakers of the event.
struct Context<'a> {
    state: &'a AppState,
    event: &'a events::Model,
    tracks: HashMap<Uuid, tracks::Model>,
    rooms: HashMap<Uuid, rooms::Model>,
    speakers: HashMap<Uuid, speakers::Model>,
}

impl<'a> Context<'a> {
    async fn load(state: &'a AppState, event: &'a events::Model) -> Result<Self, AppError> {
        let all = store::programme::NO_LIMIT;
        Ok(Context {
            state,
            event,
            tracks: store::programme::list_tracks(&state.db, event.id, None, all)
                .await?
                .into_iter()
                .map(|t| (t.id, t))
                .collect(),
            rooms: store::programme::list_rooms(&state.db, event.id, None, all)
                .await?
                .into_iter()
                .map(|r| (r.id, r))
                .collect(),
            speakers: store::speakers::all_of_event(&state.db, event.id)
                .await?
                .into_iter()
                .map(|s| (s.id, s))
                .collect(),
        })
    }

    /// A session as a calendar entry; speakers by public name only.
    fn entry(&self, row: &SessionRow, status: Option<EventStatus>) -> CalendarEvent {
        let s = &row.session;
        let mut description = s.r#abstract.clone().unwrap_or_default();
        let speakers: Vec<String> = row
            .speaker_ids
            .iter()
            .filter_map(|id| self.speakers.get(id))
            .map(|sp| match &sp.organization {
                Some(org) => format!("{} ({org})", sp.full_name),
                None => sp.full_name.clone(),
            })
            .collect();
        if !speakers.is_empty() {
            if !description.is_empty() {
                description.push_str("\n\n");
            }
            description.push_str(&format!("Speakers: {}", speakers.join(", ")));
        }
        if !description.is_empty() {
            description.push('\n');
        }
        description.push_str(&format!("Language: {}", s.language));
        let place: Vec<String> = [
            s.room_id
                .and_then(|id| self.rooms.get(&id))
                .map(|r| r.name.clone()),
            self.event.venue.clone(),
            self.event.city.clone(),
        ]
        .into_iter()
        .flatten()
        .collect();
        let mut categories: Vec<String> = s
            .track_id
            .and_then(|id| self.tracks.get(&id))
            .map(|t| vec![t.name.clone()])
            .unwrap_or_default();
        categories.push(s.kind.clone());
        let cancelled =
            s.status == SessionStatus::Cancelled.as_str() || self.event.status == "cancelled";
        CalendarEvent {
            session_id: s.id,
            title: s.title.clone(),
            description,
            location: (!place.is_empty()).then(|| place.join(", ")),
            categories,
            url: Some(format!(
                "{}/api/v1/events/{}/sessions/{}",
                self.state.config.public_url, self.event.slug, s.id
            )),
            starts_at: s.starts_at,
            ends_at: s.ends_at,
            sequence: s.sequence,
            modified_at: s.updated_at,
            status: if cancelled {
                EventStatus::Cancelled
            } else {
                status.unwrap_or(EventStatus::Confirmed)
            },
        }
    }
}

fn tombstone_entry(t: &session_tombstones::Model) -> CalendarEvent {
    CalendarEvent {
        session_id: t.id,
        title: t.title.clone(),
        description: String::new(),
        location: None,
        categories: Vec::new(),
        url: None,
        starts_at: t.starts_at,
        ends_at: t.ends_at,
        sequence: t.sequence,
        modified_at: t.deleted_at,
        status: EventStatus::Cancelled,
    }
}

/// The feed's Last-Modified: the event's last agenda change (bumped by every session, room,
/// track, speaker and event change, deletions included), or the registration's if later.
fn last_modified(event: &events::Model, registration: Option<DateTime<Utc>>) -> DateTime<Utc> {
    let mut at = event.agenda_updated_at.max(event.updated_at);
    if let Some(registration) = registration {
        at = at.max(registration);
    }
    at
}

fn http_date(at: DateTime<Utc>) -> String {
    at.format("%a, %d %b %Y %H:%M:%S GMT").to_string()
}

fn answer(rendered: &Rendered, modified: DateTime<Utc>, filename: &str, when: &Conditions) -> Feed {
    let last_modified = http_date(modified);
    let not_modified = match (&when.if_none_match, &when.if_modified_since) {
        (Some(tags), _) => rendered.matches(Some(tags)),
        (None, Some(since)) => DateTime::parse_from_rfc2822(since)
            .map(|since| modified.timestamp() <= since.timestamp())
            .unwrap_or(false),
        (None, None) => false,
    };
    if not_modified {
        return Feed::NotModified(rendered.etag.clone(), last_modified);
    }
    Feed::Ok(
        Binary(rendered.body.clone()),
        rendered.etag.clone(),
        last_modified,
        "public, no-cache".into(),
        format!("inline; filename=\"{filename}\""),
    )
}
