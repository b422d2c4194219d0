//! Schedule exports for conference apps: the frab `schedule.xml` and the c3voc
//! `schedule.json` of an event's published sessions, kept per agenda version and language in
//! the render cache, with `ETag`/`304`, a `Last-Modified` that never goes backwards (the
//! feeds' rule), and gzip when the client accepts it.

use poem_openapi::param::{Header, Path, Query};
use poem_openapi::payload::{Binary, Json};
use poem_openapi::{ApiResponse, OpenApi};

use super::ApiTags;
use super::auth::OptionalAuth;
use super::common::cached_visible_event;
use crate::api_errors;
use crate::app::events::reader_language;
use crate::app::feeds;
use crate::app::schedule::{self as schedule_app, Format};
use crate::application::AppState;
use crate::cache::{Rendered, http_date};

#[derive(ApiResponse)]
enum ScheduleXml {
    /// The frab/pentabarf `schedule.xml`, valid against the c3voc `schedule.xml.xsd`.
    #[oai(status = 200, content_type = "application/xml; charset=utf-8")]
    Ok(
        Binary<bytes::Bytes>,
        /// Strong validator over the bytes.
        #[oai(header = "ETag")]
        String,
        /// The last change to the programme; never goes backwards.
        #[oai(header = "Last-Modified")]
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
    /// Unchanged since the `If-None-Match` or `If-Modified-Since` sent.
    #[oai(status = 304)]
    NotModified(
        #[oai(header = "ETag")] String,
        #[oai(header = "Last-Modified")] String,
    ),
}

#[derive(ApiResponse)]
enum ScheduleJson {
    /// The c3voc `schedule.json`, valid against its JSON schema
    /// (<https://c3voc.de/schedule/schema.json>).
    #[oai(status = 200, actual_type = "Json<serde_json::Value>")]
    Ok(
        Binary<bytes::Bytes>,
        /// Strong validator over the bytes.
        #[oai(header = "ETag")]
        String,
        /// The last change to the programme; never goes backwards.
        #[oai(header = "Last-Modified")]
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
    /// Unchanged since the `If-None-Match` or `If-Modified-Since` sent.
    #[oai(status = 304)]
    NotModified(
        #[oai(header = "ETag")] String,
        #[oai(header = "Last-Modified")] String,
    ),
}

api_errors!(
    enum ScheduleError {
        /// No such event, or a draft.
        NotFound = 404,
    }
);

/// The validators and preferences a client sent.
struct Request {
    lang: Option<String>,
    accept_language: Option<String>,
    accept_encoding: Option<String>,
    if_none_match: Option<String>,
    if_modified_since: Option<String>,
}

/// What one of the two operations answers.
enum Answer {
    Body {
        body: bytes::Bytes,
        etag: String,
        last_modified: String,
        gzip: bool,
        language: String,
    },
    NotModified {
        etag: String,
        last_modified: String,
    },
}

/// Schedule export operations.
pub struct ScheduleApi {
    pub state: AppState,
}

const CACHE_CONTROL: &str = "public, no-cache";
const VARY: &str = "Accept-Encoding, Accept-Language";

#[OpenApi(prefix_path = "/api/v1", tag = "ApiTags::Exports")]
impl ScheduleApi {
    /// The schedule for conference apps (frab XML)
    ///
    /// Every published session, by local day and room, in the frab/pentabarf format that
    /// Giggity, ConfClerk, EventFahrplan and the c3voc tools read. Cancelled sessions are left
    /// out (the format has no tombstones). Each session keeps its integer `id` for good and
    /// its `guid` is the session's id (the calendar feeds' UID). `?lang=` chooses the texts.
    #[oai(
        path = "/events/:event/schedule.xml",
        method = "get",
        operation_id = "schedule_xml"
    )]
    #[allow(clippy::too_many_arguments)]
    async fn xml(
        &self,
        auth: OptionalAuth,
        /// The event's id or slug.
        event: Path<String>,
        /// The language of the texts: `tk`, `ru` or `en` (default: `Accept-Language`, then
        /// the event's default language).
        lang: Query<Option<String>>,
        #[oai(name = "Accept-Language")] accept_language: Header<Option<String>>,
        #[oai(name = "Accept-Encoding")] accept_encoding: Header<Option<String>>,
        #[oai(name = "If-None-Match")] if_none_match: Header<Option<String>>,
        #[oai(name = "If-Modified-Since")] if_modified_since: Header<Option<String>>,
    ) -> Result<ScheduleXml, ScheduleError> {
        let request = Request {
            lang: lang.0,
            accept_language: accept_language.0,
            accept_encoding: accept_encoding.0,
            if_none_match: if_none_match.0,
            if_modified_since: if_modified_since.0,
        };
        Ok(
            match self
                .answer(&event.0, auth, Format::FrabXml, request)
                .await?
            {
                Answer::Body {
                    body,
                    etag,
                    last_modified,
                    gzip,
                    language,
                } => ScheduleXml::Ok(
                    Binary(body),
                    etag,
                    last_modified,
                    CACHE_CONTROL.into(),
                    gzip.then(|| "gzip".into()),
                    VARY.into(),
                    language,
                ),
                Answer::NotModified {
                    etag,
                    last_modified,
                } => ScheduleXml::NotModified(etag, last_modified),
            },
        )
    }

    /// The schedule for conference apps (c3voc JSON)
    ///
    /// The same schedule as `schedule.xml`, as the c3voc `schedule.json` (its JSON schema):
    /// for the c3voc tracker, info-beamer and apps that read JSON.
    #[oai(
        path = "/events/:event/schedule.json",
        method = "get",
        operation_id = "schedule_json"
    )]
    #[allow(clippy::too_many_arguments)]
    async fn json(
        &self,
        auth: OptionalAuth,
        /// The event's id or slug.
        event: Path<String>,
        /// The language of the texts: `tk`, `ru` or `en` (default: `Accept-Language`, then
        /// the event's default language).
        lang: Query<Option<String>>,
        #[oai(name = "Accept-Language")] accept_language: Header<Option<String>>,
        #[oai(name = "Accept-Encoding")] accept_encoding: Header<Option<String>>,
        #[oai(name = "If-None-Match")] if_none_match: Header<Option<String>>,
        #[oai(name = "If-Modified-Since")] if_modified_since: Header<Option<String>>,
    ) -> Result<ScheduleJson, ScheduleError> {
        let request = Request {
            lang: lang.0,
            accept_language: accept_language.0,
            accept_encoding: accept_encoding.0,
            if_none_match: if_none_match.0,
            if_modified_since: if_modified_since.0,
        };
        Ok(
            match self
                .answer(&event.0, auth, Format::C3vocJson, request)
                .await?
            {
                Answer::Body {
                    body,
                    etag,
                    last_modified,
                    gzip,
                    language,
                } => ScheduleJson::Ok(
                    Binary(body),
                    etag,
                    last_modified,
                    CACHE_CONTROL.into(),
                    gzip.then(|| "gzip".into()),
                    VARY.into(),
                    language,
                ),
                Answer::NotModified {
                    etag,
                    last_modified,
                } => ScheduleJson::NotModified(etag, last_modified),
            },
        )
    }
}

impl ScheduleApi {
    async fn answer(
        &self,
        event: &str,
        auth: OptionalAuth,
        format: Format,
        request: Request,
    ) -> Result<Answer, crate::error::AppError> {
        let head = cached_visible_event(&self.state, event, auth.is_organizer()).await?;
        let language = reader_language(
            &head,
            request.lang.as_deref(),
            request.accept_language.as_deref(),
        );
        let variant = format!("{}:{language}", format.file_name());
        let rendered = match self
            .state
            .render_cache
            .get(head.id, &variant, head.agenda_version)
        {
            Some(hit) => hit,
            None => {
                let body = schedule_app::render(&self.state, &head, format, &language).await?;
                self.state.render_cache.put(
                    head.id,
                    variant,
                    Rendered::new(head.agenda_version, body),
                )
            }
        };
        let modified = feeds::last_modified(&head, None);
        let last_modified = http_date(modified);
        let unchanged = rendered.unchanged_for(
            modified,
            request.if_none_match.as_deref(),
            request.if_modified_since.as_deref(),
        );
        let answer = rendered.answer(request.accept_encoding.as_deref(), None);
        if unchanged {
            return Ok(Answer::NotModified {
                etag: answer.etag,
                last_modified,
            });
        }
        Ok(Answer::Body {
            body: answer.body.unwrap_or_default(),
            etag: answer.etag,
            last_modified,
            gzip: answer.gzip,
            language,
        })
    }
}
