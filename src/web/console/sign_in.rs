//! Signing in to the console with an organizer token (`GET`/`POST /admin`), signing out
//! (`POST /admin/logout`), and the first page a signed-in organizer sees: the events.

use askama::Template;
use poem::http::StatusCode;
use poem::web::{CsrfToken, CsrfVerifier, Data};
use poem::{Request, Response, handler};

use super::{ConsoleChrome, Desk, forget_sign_in, keep_sign_in, query_value, secure_cookies};
use crate::app::console::{self as console_app, SIGN_IN_LASTS};
use crate::app::events as events_app;
use crate::application::AppState;
use crate::domain::enums::EventStatus;
use crate::error::AppError;
use crate::web::chrome::{Chrome, asked};
use crate::web::delegate_cookie::{private, see_other};
use crate::web::forms::{FormError, FormErrors, Posted};
use crate::web::i18n::Messages;
use crate::web::public::{dates, render};

#[derive(Template)]
#[template(path = "console/sign_in.html")]
struct SignInPage {
    chrome: Chrome,
    m: Messages,
    errors: FormErrors,
    csrf: String,
    next: String,
}

/// An event in the console's list.
struct EventRow {
    slug: String,
    title: String,
    dates: String,
    status: String,
    status_class: &'static str,
}

#[derive(Template)]
#[template(path = "console/events.html")]
struct EventsPage {
    c: ConsoleChrome,
    m: Messages,
    events: Vec<EventRow>,
}

/// A short page that says something went wrong, with the way back.
#[derive(Template)]
#[template(path = "console/message.html")]
pub struct MessagePage {
    pub c: ConsoleChrome,
    pub m: Messages,
    pub heading: String,
    pub text: String,
    pub back: String,
}

/// `GET /admin`: the events for a signed-in organizer, the sign-in form for anyone else.
#[handler]
pub async fn home(req: &Request, state: Data<&AppState>, csrf: &CsrfToken) -> Response {
    let secret = super::sign_in_secret(req).unwrap_or_default();
    match console_app::signed_in(&state, &secret).await {
        Ok(Some(_)) => {}
        Ok(None) => {
            let next = query_value(req, "next").unwrap_or_default();
            return form(&state, req, csrf, &next, FormErrors::none());
        }
        Err(err) => {
            let asked = asked(req);
            let m = Messages::new(&asked.choose(None, "tk"));
            return private(crate::web::public::failure(&state, &asked, &m, err));
        }
    }
    let desk = match Desk::of(&state, req, csrf).await {
        Ok(desk) => desk,
        Err(response) => return response,
    };
    let events = match events_app::list(&state, super::ORGANIZERS, None, None, 500).await {
        Ok(events) => events,
        Err(err) => return desk.failed(&state, err),
    };
    let m = &desk.m;
    let rows = events
        .iter()
        .map(|event| EventRow {
            slug: event.slug.clone(),
            title: crate::web::public::event_title(event, &m.language),
            dates: dates(m, event.starts_on, event.ends_on),
            status: m.t(&format!("console-status-{}", event.status.as_str())),
            status_class: status_class(event.status),
        })
        .collect();
    let page = EventsPage {
        c: desk.chrome(req),
        m: desk.m.clone(),
        events: rows,
    };
    desk.page(&state, StatusCode::OK, page.render())
}

/// The class that colours an event's status.
pub fn status_class(status: EventStatus) -> &'static str {
    match status {
        EventStatus::Draft => "draft",
        EventStatus::Published => "published",
        EventStatus::Cancelled => "cancelled",
    }
}

fn form(
    state: &AppState,
    req: &Request,
    csrf: &CsrfToken,
    next: &str,
    errors: FormErrors,
) -> Response {
    let asked = asked(req);
    let m = Messages::new(&asked.choose(None, "tk"));
    let status = errors.status;
    let query = [("next".to_owned(), next.to_owned())];
    let page = SignInPage {
        chrome: Chrome::new(&m, "/admin", if next.is_empty() { &[] } else { &query }),
        m,
        errors,
        csrf: csrf.0.clone(),
        next: next.to_owned(),
    };
    private(render(state, &asked, status, page.render()))
}

/// Where to go after signing in: a console page asked for, or the events.
fn after_sign_in(next: &str) -> &str {
    let inside = (next == "/admin" || next.starts_with("/admin/") || next.starts_with("/admin?"))
        && !next.contains("//")
        && !next.contains('\\');
    if inside { next } else { "/admin" }
}

/// `POST /admin`: signs in with the token in the form's `token` field.
#[handler]
pub async fn sign_in(
    req: &Request,
    state: Data<&AppState>,
    csrf: &CsrfToken,
    verifier: &CsrfVerifier,
    body: String,
) -> Response {
    let posted = Posted::parse(&body);
    let next = posted.value("next");
    let asked = asked(req);
    let m = Messages::new(&asked.choose(None, "tk"));
    if !posted.csrf_ok(verifier) {
        return form(&state, req, csrf, &next, FormErrors::csrf(&m));
    }
    match console_app::sign_in(&state, &posted.value("token")).await {
        Ok(signed_in) => {
            let lasts = SIGN_IN_LASTS.to_std().unwrap_or_default();
            keep_sign_in(
                req.cookie(),
                &signed_in.secret,
                lasts,
                secure_cookies(&state),
            );
            see_other(after_sign_in(&next))
        }
        Err(AppError::Denied(_)) => {
            let errors = FormErrors {
                status: StatusCode::UNAUTHORIZED,
                items: vec![FormError {
                    field: Some("token".into()),
                    message: m.t("console-token-wrong"),
                }],
            };
            form(&state, req, csrf, &next, errors)
        }
        Err(err) => private(crate::web::public::failure(&state, &asked, &m, err)),
    }
}

/// `POST /admin/logout`: ends this browser's sign-in.
#[handler]
pub async fn sign_out(
    req: &Request,
    state: Data<&AppState>,
    csrf: &CsrfToken,
    verifier: &CsrfVerifier,
    body: String,
) -> Response {
    let desk = match Desk::of(&state, req, csrf).await {
        Ok(desk) => desk,
        Err(response) => return response,
    };
    if !Posted::parse(&body).csrf_ok(verifier) {
        return refused_form(&state, req, &desk, "/admin");
    }
    let secret = super::sign_in_secret(req).unwrap_or_default();
    if let Err(err) = console_app::sign_out(&state, &secret).await {
        return desk.failed(&state, err);
    }
    forget_sign_in(req.cookie(), secure_cookies(&state));
    see_other("/admin")
}

/// The answer to a console form without a valid CSRF token: `403` and nothing done.
pub fn refused_form(state: &AppState, req: &Request, desk: &Desk, back: &str) -> Response {
    desk.message(
        state,
        req,
        StatusCode::FORBIDDEN,
        "console-form-refused",
        desk.m.t("error-csrf"),
        back.to_owned(),
    )
}

#[cfg(test)]
mod tests {
    use super::after_sign_in;

    #[test]
    fn only_console_pages_are_followed_after_signing_in() {
        assert_eq!(after_sign_in("/admin/events/x"), "/admin/events/x");
        assert_eq!(after_sign_in("https://evil.example/"), "/admin");
        assert_eq!(after_sign_in("//evil.example/admin"), "/admin");
        assert_eq!(after_sign_in("/administrator"), "/admin");
        assert_eq!(after_sign_in("/admin/\\\\evil"), "/admin");
    }
}
