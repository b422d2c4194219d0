//! The public pages: the events (`/`), an event (`/events/{slug}`) and its agenda
//! (`/events/{slug}/agenda`, filtered by day, track, room and language). Built from the use
//! cases of `app` only, in the page's language; no personal data on any of them.

use std::collections::BTreeMap;

use askama::Template;
use chrono::{NaiveDate, Utc};
use chrono_tz::Tz;
use poem::http::StatusCode;
use poem::web::{Data, Path};
use poem::{Request, Response, handler};

use entities::events;

use super::chrome::{Chrome, asked, page, query_pairs};
use super::i18n::{Asked, Messages};
use crate::app::agenda::{self as agenda_app, AgendaQuery};
use crate::app::events as events_app;
use crate::app::principal::Audience;
use crate::application::AppState;
use crate::domain::agenda::group_by_local_day;
use crate::domain::enums::{EventStatus, RegistrationMode, SessionStatus};
use crate::domain::event::parse_timezone;
use crate::domain::language::Texts;
use crate::domain::registration::{RegistrationClosed, check_open};
use crate::error::AppError;

/// An event as a card on the list.
struct EventCard {
    href: String,
    title: String,
    dates: String,
    place: Option<String>,
    cancelled: bool,
    cancelled_text: String,
}

struct EventGroup {
    heading: String,
    events: Vec<EventCard>,
}

#[derive(Template)]
#[template(path = "index.html")]
struct IndexPage {
    chrome: Chrome,
    heading: String,
    lead: String,
    empty: String,
    groups: Vec<EventGroup>,
}

/// The words of the event page.
struct EventWords {
    cancelled: String,
    dates: String,
    venue: String,
    languages: String,
    registration: String,
    agenda: String,
    agenda_link: String,
    subscribe: String,
    webcal: String,
    google: String,
    copy: String,
}

#[derive(Template)]
#[template(path = "event.html")]
struct EventPage {
    chrome: Chrome,
    t: EventWords,
    title: String,
    cancelled: bool,
    dates: String,
    place: Option<String>,
    languages: String,
    description: Option<String>,
    registration: String,
    agenda_href: String,
    zone_note: String,
    webcal: String,
    google: String,
    feed: String,
}

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

#[derive(Template)]
#[template(path = "not_found.html")]
struct NotFoundPage {
    chrome: Chrome,
    heading: String,
    text: String,
    back: String,
}

/// `GET /`: published events, upcoming first, then past ones.
#[handler]
pub async fn index_page(req: &Request, state: Data<&AppState>) -> Response {
    let asked = asked(req);
    let messages = Messages::new(&asked.choose(None, "tk"));
    let result = events_app::list(&state, Audience::Public, None, None, 500).await;
    let events = match result {
        Ok(events) => events,
        Err(err) => return failure(&state, &asked, &messages, err),
    };
    let today = Utc::now().date_naive();
    let (mut upcoming, mut past): (Vec<_>, Vec<_>) =
        events.into_iter().partition(|e| e.ends_on >= today);
    upcoming.sort_by_key(|e| e.starts_on);
    past.sort_by_key(|e| std::cmp::Reverse(e.starts_on));
    let card = |event: &events::Model| {
        let texts = Texts::new(&event.translations, &messages.language);
        EventCard {
            href: format!("/events/{}", event.slug),
            title: texts.text("title", &event.title).to_owned(),
            dates: dates(&messages, event.starts_on, event.ends_on),
            place: texts
                .optional("city", event.city.as_deref())
                .map(str::to_owned),
            cancelled: event.status == EventStatus::Cancelled,
            cancelled_text: messages.t("event-status-cancelled"),
        }
    };
    let mut groups = Vec::new();
    for (key, list) in [("index-upcoming", upcoming), ("index-past", past)] {
        if !list.is_empty() {
            groups.push(EventGroup {
                heading: messages.t(key),
                events: list.iter().map(card).collect(),
            });
        }
    }
    let template = IndexPage {
        chrome: Chrome::new(&messages, "/", &[]),
        heading: messages.t("index-title"),
        lead: messages.t("index-lead"),
        empty: messages.t("index-empty"),
        groups,
    };
    render(&state, &asked, StatusCode::OK, template.render())
}

/// `GET /events/{slug}`: the event, its registration state, the agenda and subscribe links.
#[handler]
pub async fn event_page(
    req: &Request,
    state: Data<&AppState>,
    Path(slug): Path<String>,
) -> Response {
    let asked = asked(req);
    let event = match events_app::visible(&state, &slug, Audience::Public).await {
        Ok(event) => event,
        Err(err) => {
            let messages = Messages::new(&asked.choose(None, "tk"));
            return failure(&state, &asked, &messages, err);
        }
    };
    let messages = Messages::new(&asked.choose(Some(&event.languages), &event.default_language));
    let language = messages.language.clone();
    let texts = Texts::new(&event.translations, &language);
    let tz = parse_timezone(&event.timezone).unwrap_or(chrono_tz::UTC);
    let host = state
        .config
        .public_url
        .split_once("://")
        .map(|(_, host)| host.to_owned())
        .unwrap_or_else(|| state.config.public_url.clone());
    let feed = format!(
        "{}/api/v1/events/{}/calendar.ics?lang={language}",
        state.config.public_url, event.slug
    );
    let webcal = format!(
        "webcal://{host}/api/v1/events/{}/calendar.ics?lang={language}",
        event.slug
    );
    let place: Vec<String> = [
        texts.optional("venue", event.venue.as_deref()),
        texts.optional("city", event.city.as_deref()),
        event.country.as_deref(),
    ]
    .into_iter()
    .flatten()
    .map(str::to_owned)
    .collect();
    let template = EventPage {
        chrome: Chrome::new(&messages, &format!("/events/{}", event.slug), &[]),
        t: EventWords {
            cancelled: messages.t("event-status-cancelled"),
            dates: messages.t("event-dates"),
            venue: messages.t("event-venue"),
            languages: messages.t("event-languages"),
            registration: messages.t("event-registration"),
            agenda: messages.t("event-agenda"),
            agenda_link: messages.t("event-agenda-link"),
            subscribe: messages.t("subscribe-title"),
            webcal: messages.t("subscribe-webcal"),
            google: messages.t("subscribe-google"),
            copy: messages.t("subscribe-copy"),
        },
        title: texts.text("title", &event.title).to_owned(),
        cancelled: event.status == EventStatus::Cancelled,
        dates: dates(&messages, event.starts_on, event.ends_on),
        place: (!place.is_empty()).then(|| place.join(", ")),
        languages: event
            .languages
            .0
            .iter()
            .map(|code| messages.t(&format!("lang-{code}")))
            .collect::<Vec<_>>()
            .join(", "),
        description: texts
            .optional("description", event.description.as_deref())
            .map(str::to_owned),
        registration: registration_state(&messages, &event, tz),
        agenda_href: format!("/events/{}/agenda?lang={language}", event.slug),
        zone_note: messages.t_with("times-in-zone", &[("zone", event.timezone.clone())]),
        google: format!(
            "https://calendar.google.com/calendar/render?cid={}",
            webcal
                .replace(':', "%3A")
                .replace('/', "%2F")
                .replace('?', "%3F")
                .replace('=', "%3D")
                .replace('&', "%26")
        ),
        webcal,
        feed,
    };
    render(&state, &asked, StatusCode::OK, template.render())
}

/// `GET /events/{slug}/agenda`: published sessions by local day, with filters.
#[handler]
pub async fn agenda_page(
    req: &Request,
    state: Data<&AppState>,
    Path(slug): Path<String>,
) -> Response {
    let asked = asked(req);
    let event = match events_app::visible(&state, &slug, Audience::Public).await {
        Ok(event) => event,
        Err(err) => {
            let messages = Messages::new(&asked.choose(None, "tk"));
            return failure(&state, &asked, &messages, err);
        }
    };
    let messages = Messages::new(&asked.choose(Some(&event.languages), &event.default_language));
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

/// A language's name in the page's language (its code when Dialogue does not name it).
fn language_name(messages: &Messages, code: &str) -> String {
    if crate::domain::language::is_supported(code) {
        messages.t(&format!("lang-{code}"))
    } else {
        code.to_owned()
    }
}

/// An event's dates: one day, or the first and the last.
fn dates(messages: &Messages, starts: NaiveDate, ends: NaiveDate) -> String {
    if starts == ends {
        messages.date_long(starts)
    } else {
        format!(
            "{} – {}",
            messages.date_short(starts),
            messages.date_short(ends)
        )
    }
}

/// Whether delegates can register now, in words.
fn registration_state(messages: &Messages, event: &events::Model, tz: Tz) -> String {
    let local = |at: chrono::DateTime<Utc>| messages.date_short(at.with_timezone(&tz).date_naive());
    match check_open(
        event.status,
        event.registration_mode,
        event.registration_opens_at,
        event.registration_closes_at,
        Utc::now(),
    ) {
        Ok(()) if event.registration_mode == RegistrationMode::Approval => {
            messages.t("registration-approval")
        }
        Ok(()) => messages.t("registration-open"),
        Err(RegistrationClosed::NotYetOpen(at)) => {
            messages.t_with("registration-not-yet", &[("date", local(at))])
        }
        Err(RegistrationClosed::AlreadyClosed(at)) => {
            messages.t_with("registration-ended", &[("date", local(at))])
        }
        Err(RegistrationClosed::EventCancelled) => messages.t("event-status-cancelled"),
        Err(_) => messages.t("registration-closed"),
    }
}

/// The not-found page for anything a visitor may not see; other failures are logged and
/// answered with a plain 500 page.
fn failure(state: &AppState, asked: &Asked, messages: &Messages, err: AppError) -> Response {
    match err {
        AppError::NotFound(_) => not_found(state, asked, messages),
        other => {
            tracing::error!(error = %other, "page failed");
            page(
                StatusCode::INTERNAL_SERVER_ERROR,
                "<!doctype html><title>500</title><p>The server could not show this page; it \
                 has been logged.</p>"
                    .to_owned(),
                asked,
                secure(state),
            )
        }
    }
}

/// The 404 page in the visitor's language.
pub fn not_found(state: &AppState, asked: &Asked, messages: &Messages) -> Response {
    let template = NotFoundPage {
        chrome: Chrome::new(messages, "/", &[]),
        heading: messages.t("not-found-title"),
        text: messages.t("not-found-text"),
        back: messages.t("back-to-events"),
    };
    render(state, asked, StatusCode::NOT_FOUND, template.render())
}

fn render(
    state: &AppState,
    asked: &Asked,
    status: StatusCode,
    html: Result<String, askama::Error>,
) -> Response {
    match html {
        Ok(html) => page(status, html, asked, secure(state)),
        Err(err) => {
            tracing::error!(error = %err, "template failed");
            page(
                StatusCode::INTERNAL_SERVER_ERROR,
                "<!doctype html><title>500</title><p>The page could not be shown.</p>".to_owned(),
                asked,
                secure(state),
            )
        }
    }
}

/// Whether cookies must be `Secure` (the public URL is https).
fn secure(state: &AppState) -> bool {
    state.config.public_url.starts_with("https://")
}
