//! Calendar feeds for subscription in Google, Outlook, Apple Calendar and Thunderbird: the
//! event's published agenda, one session, one speaker's sessions, and a delegate's personal
//! agenda behind a secret link. Strong ETags over the bytes, a Last-Modified that only moves
//! forward (the event's agenda change time, bumped by deletions too), 304 answers, HEAD.

use chrono::{DateTime, Utc};
use poem_openapi::param::{Header, Path, Query};
use poem_openapi::payload::Binary;
use poem_openapi::{ApiResponse, OpenApi};
use uuid::Uuid;

use entities::events;

use super::ApiTags;
use super::common::{cached_visible_event, path_id};
use crate::api_errors;
use crate::app::events::reader_language;
use crate::app::feeds;
use crate::application::AppState;
use crate::cache::{Rendered, http_date};
use crate::calendar::{self, CalendarEvent, CalendarMeta};
use crate::domain::language::Texts;
use crate::error::AppError;

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
        /// The language of the texts: `tk`, `ru` or `en` (default: the event's).
        lang: Query<Option<String>>,
        #[oai(name = "If-None-Match")] if_none_match: Header<Option<String>>,
        #[oai(name = "If-Modified-Since")] if_modified_since: Header<Option<String>>,
    ) -> Result<Feed, FeedError> {
        let conditions = Conditions {
            if_none_match: if_none_match.0,
            if_modified_since: if_modified_since.0,
        };
        let head = cached_visible_event(&self.state, &event.0, false).await?;
        let language = reader_language(&head, lang.0.as_deref(), None);
        let variant = format!("ics|{:?}|{language}", track.0);
        let rendered = match self
            .state
            .render_cache
            .get(head.id, &variant, head.agenda_version)
        {
            Some(hit) => hit,
            None => {
                let event: &events::Model = &head;
                let entries = feeds::event_entries(&self.state, event, track.0, &language).await?;
                let texts = Texts::new(&event.translations, &language);
                let body = calendar::render(
                    &CalendarMeta {
                        name: texts.text("title", &event.title),
                        description: texts.optional("description", event.description.as_deref()),
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
        /// The language of the texts: `tk`, `ru` or `en` (default: the event's).
        lang: Query<Option<String>>,
        #[oai(name = "If-None-Match")] if_none_match: Header<Option<String>>,
        #[oai(name = "If-Modified-Since")] if_modified_since: Header<Option<String>>,
    ) -> Result<Feed, FeedError> {
        let id = path_id(&id.0, "session")?;
        let (event, entries) =
            feeds::session_entries(&self.state, &event.0, id, lang.0.as_deref()).await?;
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
            feeds::last_modified(&event, None),
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
        /// The language of the texts: `tk`, `ru` or `en` (default: the event's).
        lang: Query<Option<String>>,
        #[oai(name = "If-None-Match")] if_none_match: Header<Option<String>>,
        #[oai(name = "If-Modified-Since")] if_modified_since: Header<Option<String>>,
    ) -> Result<Feed, FeedError> {
        let id = path_id(&id.0, "speaker")?;
        let (event, speaker, entries) =
            feeds::speaker_entries(&self.state, &event.0, id, lang.0.as_deref()).await?;
        let name = format!("{} — {}", speaker.full_name, event.title);
        let conditions = Conditions {
            if_none_match: if_none_match.0,
            if_modified_since: if_modified_since.0,
        };
        let body = self.render(&name, 60, &entries);
        Ok(answer(
            &body,
            feeds::last_modified(&event, None),
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
        /// The language of the texts (default: the delegate's).
        lang: Query<Option<String>>,
        #[oai(name = "If-None-Match")] if_none_match: Header<Option<String>>,
        #[oai(name = "If-Modified-Since")] if_modified_since: Header<Option<String>>,
    ) -> Result<Feed, FeedError> {
        let id = path_id(&id.0, "registration")?;
        let (event, row, entries) =
            feeds::personal_entries(&self.state, id, token.0.as_deref(), lang.0.as_deref()).await?;
        let name = format!("{} — my agenda", event.title);
        let conditions = Conditions {
            if_none_match: if_none_match.0,
            if_modified_since: if_modified_since.0,
        };
        let body = self.render(&name, 30, &entries);
        // A delegate's own agenda: no shared cache may keep it.
        Ok(answer_as(
            &body,
            feeds::last_modified(&event, Some(row.registration.updated_at)),
            "my-agenda.ics",
            &conditions,
            "private, no-cache",
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

fn answer(rendered: &Rendered, modified: DateTime<Utc>, filename: &str, when: &Conditions) -> Feed {
    answer_as(rendered, modified, filename, when, "public, no-cache")
}

/// Like [`answer`], with its own `Cache-Control` (a delegate's feed is `private`).
fn answer_as(
    rendered: &Rendered,
    modified: DateTime<Utc>,
    filename: &str,
    when: &Conditions,
    cache_control: &str,
) -> Feed {
    let last_modified = http_date(modified);
    if rendered.unchanged_for(
        modified,
        when.if_none_match.as_deref(),
        when.if_modified_since.as_deref(),
    ) {
        return Feed::NotModified(rendered.etag.clone(), last_modified);
    }
    Feed::Ok(
        Binary(rendered.body.clone()),
        rendered.etag.clone(),
        last_modified,
        cache_control.into(),
        format!("inline; filename=\"{filename}\""),
    )
}
