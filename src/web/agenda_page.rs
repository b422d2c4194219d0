//! `GET /events/{slug}/agenda`: the published sessions by local day, filtered by day,
//! track, room and language (the options come from the whole programme).

use std::collections::BTreeMap;

use askama::Template;
use chrono::NaiveDate;
use poem::http::StatusCode;
use poem::web::{Data, Path};
use poem::{Request, Response, handler};

use super::chrome::{Chrome, asked, query_pairs};
use super::public::{failure, language_name, public_event, render};
use crate::app::agenda::{self as agenda_app, AgendaQuery};
use crate::application::AppState;
use crate::domain::agenda::group_by_local_day;
use crate::domain::enums::SessionStatus;
use crate::domain::event::parse_timezone;
use crate::domain::language::Texts;

struct AgendaWords {
    filters: String,
    any: String,
    apply: String,
    reset: String,
    empty: String,
    cancelled: String,
    room: String,
    track: String,
    language: String,
    speakers: String,
}

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

struct SessionItem {
    title: String,
    starts: String,
    ends: String,
    starts_iso: String,
    ends_iso: String,
    room: Option<String>,
    track: Option<String>,
    language: String,
    speakers: String,
    summary: Option<String>,
    cancelled: bool,
}

struct DayItem {
    date: NaiveDate,
    heading: String,
    sessions: Vec<SessionItem>,
}

#[derive(Template)]
#[template(path = "agenda.html")]
struct AgendaPage {
    chrome: Chrome,
    t: AgendaWords,
    heading: String,
    event_title: String,
    event_href: String,
    zone_note: String,
    action: String,
    filters: Vec<Filter>,
    count: String,
    days: Vec<DayItem>,
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
    let language = messages.language.clone();
    let pairs = req.uri().query().map(query_pairs).unwrap_or_default();
    let param = |name: &str| {
        pairs
            .iter()
            .find(|(key, value)| key == name && !value.is_empty())
            .map(|(_, value)| value.clone())
    };
    // Filters that do not parse are ignored, as a reader would expect from a form.
    let query = AgendaQuery {
        day: param("day").and_then(|d| d.parse().ok()),
        track: param("track").and_then(|t| t.parse().ok()),
        room: param("room").and_then(|r| r.parse().ok()),
        language: param("language"),
        speaker: None,
    };
    let everything = AgendaQuery::default();
    let (all_rows, refs) = match agenda_app::programme(&state, &event, &everything).await {
        Ok(found) => found,
        Err(err) => return failure(&state, &asked, &messages, err),
    };
    let tz = parse_timezone(&event.timezone).unwrap_or(chrono_tz::UTC);
    let event_texts = Texts::new(&event.translations, &language);
    // Options come from the whole programme, so a filter never hides its own alternatives.
    let mut day_options: BTreeMap<NaiveDate, ()> = BTreeMap::new();
    let mut languages: BTreeMap<String, ()> = BTreeMap::new();
    for row in &all_rows {
        day_options.insert(row.session.starts_at.with_timezone(&tz).date_naive(), ());
        languages.insert(row.session.language.clone(), ());
    }
    let selected = |value: &str, chosen: Option<String>| chosen.as_deref() == Some(value);
    let mut tracks: Vec<_> = refs.tracks.values().collect();
    tracks.sort_by(|a, b| a.name.cmp(&b.name));
    let mut rooms: Vec<_> = refs.rooms.values().collect();
    rooms.sort_by(|a, b| a.name.cmp(&b.name));
    let filters = vec![
        Filter {
            name: "day",
            label: messages.t("filter-day"),
            options: day_options
                .keys()
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
            options: tracks
                .iter()
                .map(|t| FilterOption {
                    value: t.id.to_string(),
                    label: Texts::new(&t.translations, &language)
                        .text("name", &t.name)
                        .to_owned(),
                    selected: query.track == Some(t.id),
                })
                .collect(),
        },
        Filter {
            name: "room",
            label: messages.t("filter-room"),
            options: rooms
                .iter()
                .map(|r| FilterOption {
                    value: r.id.to_string(),
                    label: Texts::new(&r.translations, &language)
                        .text("name", &r.name)
                        .to_owned(),
                    selected: query.room == Some(r.id),
                })
                .collect(),
        },
        Filter {
            name: "language",
            label: messages.t("filter-language"),
            options: languages
                .keys()
                .map(|code| FilterOption {
                    value: code.clone(),
                    label: language_name(&messages, code),
                    selected: selected(code, query.language.clone()),
                })
                .collect(),
        },
    ];
    let rows = match agenda_app::programme(&state, &event, &query).await {
        Ok((rows, _)) => rows,
        Err(err) => return failure(&state, &asked, &messages, err),
    };
    let count = messages.count("agenda-session-count", rows.len());
    let days = group_by_local_day(rows, tz, |row| row.session.starts_at)
        .into_iter()
        .map(|(date, rows)| DayItem {
            date,
            heading: messages.date_long(date),
            sessions: rows
                .into_iter()
                .map(|row| {
                    let s = &row.session;
                    let texts = Texts::new(&s.translations, &language);
                    let starts = s.starts_at.with_timezone(&tz);
                    let ends = s.ends_at.with_timezone(&tz);
                    SessionItem {
                        title: texts.text("title", &s.title).to_owned(),
                        starts: starts.format("%H:%M").to_string(),
                        ends: ends.format("%H:%M").to_string(),
                        starts_iso: starts.to_rfc3339(),
                        ends_iso: ends.to_rfc3339(),
                        room: s.room_id.and_then(|id| refs.rooms.get(&id)).map(|r| {
                            Texts::new(&r.translations, &language)
                                .text("name", &r.name)
                                .to_owned()
                        }),
                        track: s.track_id.and_then(|id| refs.tracks.get(&id)).map(|t| {
                            Texts::new(&t.translations, &language)
                                .text("name", &t.name)
                                .to_owned()
                        }),
                        language: language_name(&messages, &s.language),
                        speakers: row
                            .speaker_ids
                            .iter()
                            .filter_map(|id| refs.speakers.get(id))
                            .map(|sp| sp.full_name.clone())
                            .collect::<Vec<_>>()
                            .join(", "),
                        summary: texts
                            .optional("abstract", s.r#abstract.as_deref())
                            .map(str::to_owned),
                        cancelled: s.status == SessionStatus::Cancelled,
                    }
                })
                .collect(),
        })
        .collect();
    let path = format!("/events/{}/agenda", event.slug);
    let template = AgendaPage {
        chrome: Chrome::new(&messages, &path, &pairs),
        t: AgendaWords {
            filters: messages.t("agenda-filters"),
            any: messages.t("filter-any"),
            apply: messages.t("filter-apply"),
            reset: messages.t("filter-reset"),
            empty: messages.t("agenda-empty"),
            cancelled: messages.t("session-cancelled"),
            room: messages.t("session-room"),
            track: messages.t("session-track"),
            language: messages.t("session-language"),
            speakers: messages.t("session-speakers"),
        },
        heading: messages.t("agenda-title"),
        event_title: event_texts.text("title", &event.title).to_owned(),
        event_href: format!("/events/{}?lang={language}", event.slug),
        zone_note: messages.t_with("times-in-zone", &[("zone", event.timezone.clone())]),
        action: path,
        filters,
        count,
        days,
    };
    render(&state, &asked, StatusCode::OK, template.render())
}
