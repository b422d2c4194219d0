//! `GET /events/{slug}/sessions/{id}`: one public session: time, room, track, language,
//! speakers, abstract, seats left when it has a capacity, and "add to calendar".

use askama::Template;
use poem::http::StatusCode;
use poem::web::{Data, Path};
use poem::{Request, Response, handler};

use super::chrome::{Chrome, asked};
use super::i18n::Messages;
use super::public::{event_title, failure, not_found, public_event, render, zone};
use super::session_view::SessionView;
use crate::app::agenda::References;
use crate::app::principal::Audience;
use crate::app::sessions as sessions_app;
use crate::application::AppState;

#[derive(Template)]
#[template(path = "session.html")]
struct SessionPage {
    chrome: Chrome,
    m: Messages,
    event_title: String,
    event_href: String,
    agenda_href: String,
    zone_note: String,
    session: SessionView,
    ics: String,
}

/// `GET /events/{slug}/sessions/{id}`.
#[handler]
pub async fn session_page(
    req: &Request,
    state: Data<&AppState>,
    Path((slug, id)): Path<(String, String)>,
) -> Response {
    let asked = asked(req);
    let (event, messages) = match public_event(&state, &asked, &slug).await {
        Ok(found) => found,
        Err(page) => return page,
    };
    let Ok(id) = id.parse() else {
        return not_found(&state, &asked, &messages);
    };
    let found = sessions_app::find(&state, &event.slug, Audience::Public, id).await;
    let (_, row) = match found {
        Ok(found) => found,
        Err(err) => return failure(&state, &asked, &messages, err),
    };
    let refs = match References::load(&state, event.id).await {
        Ok(refs) => refs,
        Err(err) => return failure(&state, &asked, &messages, err),
    };
    let language = messages.language.clone();
    let tz = zone(&event);
    let session = SessionView::new(
        &messages,
        &event.slug,
        tz,
        &row.session,
        &row.speaker_ids,
        &refs,
    );
    let path = format!("/events/{}/sessions/{}", event.slug, row.session.id);
    let template = SessionPage {
        chrome: Chrome::new(&messages, &path, &[]),
        event_title: event_title(&event, &language),
        event_href: format!("/events/{}?lang={language}", event.slug),
        agenda_href: format!("/events/{}/agenda?lang={language}", event.slug),
        zone_note: messages.zone_note(&event.timezone, event.starts_on),
        ics: format!(
            "/api/v1/events/{}/sessions/{}/calendar.ics?lang={language}",
            event.slug, row.session.id
        ),
        session,
        m: messages,
    };
    render(&state, &asked, StatusCode::OK, template.render())
}
