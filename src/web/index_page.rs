//! `GET /`: the published events, upcoming first, then past ones, in the page's language.

use askama::Template;
use chrono::Utc;
use poem::http::StatusCode;
use poem::web::Data;
use poem::{Request, Response, handler};

use entities::events;

use super::chrome::{Chrome, asked};
use super::i18n::Messages;
use super::public::{dates, failure, render};
use crate::app::events as events_app;
use crate::app::principal::Audience;
use crate::application::AppState;
use crate::domain::enums::EventStatus;
use crate::domain::language::Texts;

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
