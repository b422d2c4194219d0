//! `GET /events/{slug}/speakers` and `/speakers/{id}`: speakers' public fields (never their
//! e-mail) in the page's language, and their public sessions.

use askama::Template;
use poem::http::StatusCode;
use poem::web::{Data, Path};
use poem::{Request, Response, handler};

use entities::speakers;

use super::chrome::{Chrome, asked};
use super::i18n::Messages;
use super::public::{event_title, failure, not_found, public_event, render, zone};
use super::session_view::SessionView;
use crate::app::agenda::References;
use crate::app::principal::Audience;
use crate::app::programme;
use crate::app::sessions::{self as sessions_app, SessionQuery};
use crate::application::AppState;
use crate::domain::language::Texts;
use crate::domain::speaker::SpeakerFields;
use crate::store::programme::NO_LIMIT;

/// A speaker's public fields in the page's language.
struct SpeakerView {
    href: String,
    name: String,
    /// Position and organization, as one line.
    role: Option<String>,
    country: Option<String>,
    bio: Option<String>,
}

impl SpeakerView {
    fn new(slug: &str, language: &str, speaker: &speakers::Model) -> Self {
        let texts = Texts::new(&speaker.translations, language);
        let role: Vec<&str> = [
            texts.optional("position", speaker.position.as_deref()),
            texts.optional("organization", speaker.organization.as_deref()),
        ]
        .into_iter()
        .flatten()
        .collect();
        SpeakerView {
            href: format!("/events/{slug}/speakers/{}?lang={language}", speaker.id),
            name: speaker.full_name.clone(),
            role: (!role.is_empty()).then(|| role.join(", ")),
            country: speaker
                .country
                .as_deref()
                .map(|c| crate::domain::country::display(c, language)),
            bio: texts
                .optional("bio", speaker.bio.as_deref())
                .map(str::to_owned),
        }
    }
}

#[derive(Template)]
#[template(path = "speakers.html")]
struct SpeakersPage {
    chrome: Chrome,
    m: Messages,
    event_title: String,
    event_href: String,
    speakers: Vec<SpeakerView>,
}

#[derive(Template)]
#[template(path = "speaker.html")]
struct SpeakerPage {
    chrome: Chrome,
    m: Messages,
    event_title: String,
    event_href: String,
    speakers_href: String,
    zone_note: String,
    speaker: SpeakerView,
    sessions: Vec<SessionView>,
    ics: String,
}

/// `GET /events/{slug}/speakers`: every speaker of the event, by name.
#[handler]
pub async fn speakers_page(
    req: &Request,
    state: Data<&AppState>,
    Path(slug): Path<String>,
) -> Response {
    let asked = asked(req);
    let (event, messages) = match public_event(&state, &asked, &slug).await {
        Ok(found) => found,
        Err(page) => return page,
    };
    let listed =
        programme::list::<SpeakerFields>(&state, &event.slug, Audience::Public, None, NO_LIMIT)
            .await;
    let mut speakers = match listed {
        Ok((_, speakers)) => speakers,
        Err(err) => return failure(&state, &asked, &messages, err),
    };
    speakers.sort_by(|a, b| a.full_name.cmp(&b.full_name));
    let language = messages.language.clone();
    let template = SpeakersPage {
        chrome: Chrome::new(&messages, &format!("/events/{}/speakers", event.slug), &[]),
        event_title: event_title(&event, &language),
        event_href: format!("/events/{}?lang={language}", event.slug),
        speakers: speakers
            .iter()
            .map(|s| SpeakerView::new(&event.slug, &language, s))
            .collect(),
        m: messages,
    };
    render(&state, &asked, StatusCode::OK, template.render())
}

/// `GET /events/{slug}/speakers/{id}`: one speaker and their public sessions.
#[handler]
pub async fn speaker_page(
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
    let speaker =
        match programme::find::<SpeakerFields>(&state, &event.slug, Audience::Public, id).await {
            Ok((_, speaker)) => speaker,
            Err(err) => return failure(&state, &asked, &messages, err),
        };
    let query = SessionQuery {
        speaker: Some(speaker.id),
        ..Default::default()
    };
    let sessions =
        match sessions_app::list(&state, &event.slug, Audience::Public, query, None, 1000).await {
            Ok((_, rows)) => rows,
            Err(err) => return failure(&state, &asked, &messages, err),
        };
    let refs = match References::load(&state, event.id).await {
        Ok(refs) => refs,
        Err(err) => return failure(&state, &asked, &messages, err),
    };
    let language = messages.language.clone();
    let tz = zone(&event);
    let template = SpeakerPage {
        chrome: Chrome::new(
            &messages,
            &format!("/events/{}/speakers/{}", event.slug, speaker.id),
            &[],
        ),
        event_title: event_title(&event, &language),
        event_href: format!("/events/{}?lang={language}", event.slug),
        speakers_href: format!("/events/{}/speakers?lang={language}", event.slug),
        zone_note: messages.zone_note(&event.timezone, event.starts_on),
        sessions: sessions
            .iter()
            .map(|row| {
                SessionView::new(
                    &messages,
                    &event.slug,
                    tz,
                    &row.session,
                    &row.speaker_ids,
                    &refs,
                )
            })
            .collect(),
        ics: format!(
            "/api/v1/events/{}/speakers/{}/calendar.ics?lang={language}",
            event.slug, speaker.id
        ),
        speaker: SpeakerView::new(&event.slug, &language, &speaker),
        m: messages,
    };
    render(&state, &asked, StatusCode::OK, template.render())
}
