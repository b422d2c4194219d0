//! `GET /events/{slug}/agenda`: the published sessions by local day, filtered by day,
//! track, room and language (the options come from the whole programme). The rendered page
//! is kept in the same per-version cache as the JSON agenda and answered with `ETag`/304 and
//! gzip.

use std::collections::BTreeSet;

use askama::Template;
use chrono::NaiveDate;
use poem::http::StatusCode;
use poem::web::{Data, Path};
use poem::{Request, Response, handler};
use uuid::Uuid;

use entities::events;

use super::chrome::{Chrome, asked, query_pairs};
use super::i18n::{Asked, Messages};
use super::public::{event_title, failure, public_event, zone};
use super::session_view::SessionView;
use crate::app::agenda::{self as agenda_app, AgendaQuery};
use crate::application::AppState;
use crate::cache::Rendered;
use crate::domain::agenda::group_by_local_day;
use crate::domain::language::Texts;
use crate::error::AppError;

struct FilterOption {
    value: String,
    label: String,
    selected: bool,
}

struct Filter {
    name: &'static str,
    label: String,
    options: Vec<FilterOption>,
}

struct DayItem {
    date: NaiveDate,
    heading: String,
    sessions: Vec<SessionView>,
}

#[derive(Template)]
#[template(path = "agenda.html")]
struct AgendaPage {
    chrome: Chrome,
    m: Messages,
    event_title: String,
    event_href: String,
    zone_note: String,
    action: String,
    filters: Vec<Filter>,
    count: String,
    days: Vec<DayItem>,
}

/// The filters of the page, as typed in its query (unparseable ones are ignored, as a reader
/// would expect from a form).
fn filters_of(pairs: &[(String, String)]) -> AgendaQuery {
    let param = |name: &str| {
        pairs
            .iter()
            .find(|(key, value)| key == name && !value.is_empty())
            .map(|(_, value)| value.clone())
    };
    AgendaQuery {
        day: param("day").and_then(|d| d.parse().ok()),
        track: param("track").and_then(|t| t.parse().ok()),
        room: param("room").and_then(|r| r.parse().ok()),
        language: param("language"),
        speaker: None,
    }
}

/// The filters as query pairs, in one order (the cache key and the language switch).
fn pairs_of(query: &AgendaQuery) -> Vec<(String, String)> {
    let mut pairs = Vec::new();
    if let Some(day) = query.day {
        pairs.push(("day".to_owned(), day.to_string()));
    }
    if let Some(track) = query.track {
        pairs.push(("track".to_owned(), track.to_string()));
    }
    if let Some(room) = query.room {
        pairs.push(("room".to_owned(), room.to_string()));
    }
    if let Some(language) = &query.language {
        pairs.push(("language".to_owned(), language.clone()));
    }
    pairs
}

/// `GET /events/{slug}/agenda`: published sessions by local day, with filters.
#[handler]
pub async fn agenda_page(
    req: &Request,
    state: Data<&AppState>,
    Path(slug): Path<String>,
) -> Response {
    let asked = asked(req);
    let (event, messages) = match public_event(&state, &asked, &slug).await {
        Ok(found) => found,
        Err(page) => return page,
    };
    let query = filters_of(&req.uri().query().map(query_pairs).unwrap_or_default());
    let pairs = pairs_of(&query);
    let variant = format!(
        "page|{}|{}",
        messages.language,
        super::chrome::query_string(&pairs)
    );
    let rendered = match state
        .render_cache
        .get(event.id, &variant, event.agenda_version)
    {
        Some(hit) => hit,
        None => match build(&state, &event, &messages, &query, &pairs).await {
            Ok(html) => state.render_cache.put(
                event.id,
                variant,
                Rendered::new(event.agenda_version, html.into_bytes()),
            ),
            Err(err) => return failure(&state, &asked, &messages, err),
        },
    };
    cached_page(req, &state, &asked, &rendered)
}

/// The cached page with its validator: 304 when the client has it, gzip when it takes it.
fn cached_page(req: &Request, state: &AppState, asked: &Asked, rendered: &Rendered) -> Response {
    let header = |name: &str| req.headers().get(name).and_then(|v| v.to_str().ok());
    let answer = rendered.answer(header("accept-encoding"), header("if-none-match"));
    let (status, body) = match answer.body {
        Some(body) => (StatusCode::OK, body),
        None => (StatusCode::NOT_MODIFIED, bytes::Bytes::new()),
    };
    let (etag, gzip) = (answer.etag, answer.gzip);
    let mut response = super::public::page_for(state, asked, status, String::new());
    response.set_body(body);
    let headers = response.headers_mut();
    if let Ok(value) = etag.parse() {
        headers.insert("ETag", value);
    }
    if gzip && status == StatusCode::OK {
        headers.insert(
            "Content-Encoding",
            poem::http::HeaderValue::from_static("gzip"),
        );
    }
    headers.insert(
        "Vary",
        poem::http::HeaderValue::from_static("Accept-Encoding, Accept-Language, Cookie"),
    );
    response
}

/// Renders the agenda page from the programme (one read: the filter options and the
/// sessions shown come from the same rows).
async fn build(
    state: &AppState,
    event: &events::Model,
    messages: &Messages,
    query: &AgendaQuery,
    pairs: &[(String, String)],
) -> Result<String, AppError> {
    let (rows, refs) = agenda_app::programme(state, event, &AgendaQuery::default()).await?;
    let language = messages.language.as_str();
    let tz = zone(event);
    let local_day = |row: &crate::store::sessions::SessionRow| {
        row.session.starts_at.with_timezone(&tz).date_naive()
    };
    let days: BTreeSet<NaiveDate> = rows.iter().map(local_day).collect();
    let languages: BTreeSet<&str> = rows.iter().map(|r| r.session.language.as_str()).collect();
    let named = |translations, name: &str| {
        Texts::new(translations, language)
            .text("name", name)
            .to_owned()
    };
    let mut tracks: Vec<(Uuid, String)> = refs
        .tracks
        .values()
        .map(|t| (t.id, named(&t.translations, &t.name)))
        .collect();
    tracks.sort_by(|a, b| a.1.cmp(&b.1));
    let mut rooms: Vec<(Uuid, String)> = refs
        .rooms
        .values()
        .map(|r| (r.id, named(&r.translations, &r.name)))
        .collect();
    rooms.sort_by(|a, b| a.1.cmp(&b.1));
    let options = |items: Vec<(Uuid, String)>, chosen: Option<Uuid>| {
        items
            .into_iter()
            .map(|(id, label)| FilterOption {
                value: id.to_string(),
                label,
                selected: chosen == Some(id),
            })
            .collect()
    };
    let filters = vec![
        Filter {
            name: "day",
            label: messages.t("filter-day"),
            options: days
                .iter()
                .map(|d| FilterOption {
                    value: d.to_string(),
                    label: messages.date_long(*d),
                    selected: query.day == Some(*d),
                })
                .collect(),
        },
        Filter {
            name: "track",
            label: messages.t("filter-track"),
            options: options(tracks, query.track),
        },
        Filter {
            name: "room",
            label: messages.t("filter-room"),
            options: options(rooms, query.room),
        },
        Filter {
            name: "language",
            label: messages.t("filter-language"),
            options: languages
                .iter()
                .map(|code| FilterOption {
                    value: (*code).to_owned(),
                    label: messages.language_name(code),
                    selected: query.language.as_deref() == Some(*code),
                })
                .collect(),
        },
    ];
    let shown: Vec<_> = rows
        .iter()
        .filter(|row| {
            let s = &row.session;
            query.day.is_none_or(|day| local_day(row) == day)
                && query.track.is_none_or(|t| s.track_id == Some(t))
                && query.room.is_none_or(|r| s.room_id == Some(r))
                && query.language.as_deref().is_none_or(|l| s.language == l)
        })
        .collect();
    let count = messages.count("agenda-session-count", shown.len());
    let days = group_by_local_day(shown, tz, |row| row.session.starts_at)
        .into_iter()
        .map(|(date, rows)| DayItem {
            date,
            heading: messages.date_long(date),
            sessions: rows
                .into_iter()
                .map(|row| {
                    SessionView::new(
                        messages,
                        &event.slug,
                        tz,
                        &row.session,
                        &row.speaker_ids,
                        &refs,
                    )
                })
                .collect(),
        })
        .collect();
    let path = format!("/events/{}/agenda", event.slug);
    let template = AgendaPage {
        chrome: Chrome::new(messages, &path, pairs),
        m: messages.clone(),
        event_title: event_title(event, language),
        event_href: format!("/events/{}?lang={language}", event.slug),
        zone_note: messages.zone_note(&event.timezone, event.starts_on),
        action: path,
        filters,
        count,
        days,
    };
    template
        .render()
        .map_err(|e| AppError::unexpected(e.to_string()))
}
