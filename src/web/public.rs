//! What the public pages share: dates and registration state in words, the not-found page,
//! rendering a template into a page, and failures.

use askama::Template;
use chrono::{NaiveDate, Utc};
use chrono_tz::Tz;
use poem::Response;
use poem::http::StatusCode;

use entities::events;

use super::chrome::{Chrome, page};
use super::i18n::{Asked, Messages};
use crate::application::AppState;
use crate::domain::enums::RegistrationMode;
use crate::domain::registration::{RegistrationClosed, check_open};
use crate::error::AppError;

#[derive(Template)]
#[template(path = "not_found.html")]
struct NotFoundPage {
    chrome: Chrome,
    heading: String,
    text: String,
    back: String,
}

/// An event's dates: one day, or the first and the last ("5–8 December 2025").
pub(super) fn dates(messages: &Messages, starts: NaiveDate, ends: NaiveDate) -> String {
    messages.date_range(starts, ends)
}

/// Whether delegates can register now, in words.
pub(super) fn registration_state(messages: &Messages, event: &events::Model, tz: Tz) -> String {
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
pub(super) fn failure(
    state: &AppState,
    asked: &Asked,
    messages: &Messages,
    err: AppError,
) -> Response {
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

pub(super) fn render(
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

/// A page with every header pages carry (see [`page`]).
pub(super) fn page_for(
    state: &AppState,
    asked: &Asked,
    status: StatusCode,
    html: String,
) -> Response {
    page(status, html, asked, secure(state))
}

/// Whether cookies must be `Secure` (the public URL is https).
pub(super) fn secure(state: &AppState) -> bool {
    state.config.behind_https()
}

/// A published event and the messages of the page's language for it; for anything else the
/// page to answer instead ("not found" in the visitor's language, or a failure).
pub(super) async fn public_event(
    state: &AppState,
    asked: &Asked,
    slug: &str,
) -> Result<(std::sync::Arc<events::Model>, Messages), Response> {
    let found =
        crate::app::events::visible_cached(state, slug, crate::app::principal::Audience::Public)
            .await;
    match found {
        Ok(event) => {
            let messages =
                Messages::new(&asked.choose(Some(&event.languages), &event.default_language));
            Ok((event, messages))
        }
        Err(err) => {
            let messages = Messages::new(&asked.choose(None, "tk"));
            Err(failure(state, asked, &messages, err))
        }
    }
}

/// The event's title in the page's language.
pub(super) fn event_title(event: &events::Model, language: &str) -> String {
    crate::domain::language::Texts::new(&event.translations, language)
        .text("title", &event.title)
        .to_owned()
}

/// The event's time zone (UTC if it were ever unreadable).
pub(super) fn zone(event: &events::Model) -> Tz {
    crate::domain::event::parse_timezone(&event.timezone).unwrap_or(chrono_tz::UTC)
}
