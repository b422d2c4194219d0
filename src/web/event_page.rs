//! `GET /events/{slug}`: an event's dates, place, languages and description, whether
//! delegates can register, the agenda link and the calendar subscription links.

use askama::Template;
use poem::http::StatusCode;
use poem::web::{Data, Path};
use poem::{Request, Response, handler};

use super::chrome::{Chrome, asked, encode};
use super::public::{dates, public_event, registration_state, render};
use crate::application::AppState;
use crate::domain::enums::EventStatus;
use crate::domain::event::parse_timezone;
use crate::domain::language::Texts;

/// The words of the event page.
struct EventWords {
    cancelled: String,
    dates: String,
    venue: String,
    languages: String,
    registration: String,
    agenda: String,
    agenda_link: String,
    register: String,
    speakers: String,
    subscribe: String,
    webcal: String,
    google: String,
    copy: String,
    apps: String,
    apps_note: String,
    schedule_xml: String,
    schedule_json: String,
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
    speakers_href: String,
    registration_open: bool,
    register_href: String,
    zone_note: String,
    webcal: String,
    google: String,
    feed: String,
    /// Absolute addresses: they are copied into conference apps.
    schedule_xml: String,
    schedule_json: String,
}

/// `GET /events/{slug}`: the event, its registration state, the agenda and subscribe links.
#[handler]
pub async fn event_page(
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
    let country = event
        .country
        .as_deref()
        .map(|c| crate::domain::country::display(c, &language));
    let place: Vec<String> = [
        texts.optional("venue", event.venue.as_deref()),
        texts.optional("city", event.city.as_deref()),
        country.as_deref(),
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
            register: messages.t("event-register"),
            speakers: messages.t("event-speakers-link"),
            subscribe: messages.t("subscribe-title"),
            webcal: messages.t("subscribe-webcal"),
            google: messages.t("subscribe-google"),
            copy: messages.t("subscribe-copy"),
            apps: messages.t("apps-title"),
            apps_note: messages.t("apps-note"),
            schedule_xml: messages.t("apps-schedule-xml"),
            schedule_json: messages.t("apps-schedule-json"),
        },
        title: texts.text("title", &event.title).to_owned(),
        cancelled: event.status == EventStatus::Cancelled,
        dates: dates(&messages, event.starts_on, event.ends_on),
        place: (!place.is_empty()).then(|| place.join(", ")),
        languages: event
            .languages
            .0
            .iter()
            .map(|code| messages.language_name(code))
            .collect::<Vec<_>>()
            .join(", "),
        description: texts
            .optional("description", event.description.as_deref())
            .map(str::to_owned),
        registration: registration_state(&messages, &event, tz),
        agenda_href: format!("/events/{}/agenda?lang={language}", event.slug),
        speakers_href: format!("/events/{}/speakers?lang={language}", event.slug),
        registration_open: crate::domain::registration::check_open(
            event.status,
            event.registration_mode,
            event.registration_opens_at,
            event.registration_closes_at,
            chrono::Utc::now(),
        )
        .is_ok(),
        register_href: format!("/events/{}/register?lang={language}", event.slug),
        zone_note: messages.zone_note(&event.timezone, event.starts_on),
        google: format!(
            "https://calendar.google.com/calendar/render?cid={}",
            encode(&webcal)
        ),
        webcal,
        feed,
        schedule_xml: format!(
            "{}/api/v1/events/{}/schedule.xml?lang={language}",
            state.config.public_url, event.slug
        ),
        schedule_json: format!(
            "{}/api/v1/events/{}/schedule.json?lang={language}",
            state.config.public_url, event.slug
        ),
    };
    render(&state, &asked, StatusCode::OK, template.render())
}
