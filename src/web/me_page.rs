//! The delegate's page. `GET /r/{manage_token}` (the link in their e-mails) keeps the token in
//! a cookie and redirects to `GET /me` at once, so the token leaves the address bar. `/me`
//! shows the registration: status and place in the waiting list, the badge (image, PNG, SVG,
//! print), the sessions and a form to change them, the e-mail language, the calendar link
//! and replacing it, and cancelling with a confirmation step. Without the cookie it says how
//! to get back in. Every answer here is `no-store` and `no-referrer`.

use askama::Template;
use poem::http::StatusCode;
use poem::web::{CsrfToken, CsrfVerifier, Data};
use poem::{Request, Response, handler};
use uuid::Uuid;

use entities::events;

use super::chrome::{Chrome, asked, query_pairs};
use super::delegate_cookie::{self, forget, private, see_other};
use super::forms::{CSRF_FIELD, FormErrors, Posted, SelectOption, language_options, session_ids};
use super::i18n::{Asked, Messages};
use super::manage_link::{self, Offer};
use super::public::{event_title, failure, not_found, render, secure, zone};
use super::session_view::SessionView;
use crate::app::agenda::References;
use crate::app::registrations as registrations_app;
use crate::app::sessions::{self as sessions_app, SessionQuery};
use crate::application::AppState;
use crate::domain::enums::{ChoiceStatus, RegistrationStatus, SessionStatus};
use crate::error::AppError;
use crate::store::registrations::RegistrationRow;
use crate::store::waiting_places::WaitingPlaces;

/// A session on the delegate's page: chosen or not, and where they stand.
struct MySession {
    session: SessionView,
    chosen: bool,
    /// "Confirmed", "Waiting list: place 3", in words.
    status: Option<String>,
}

#[derive(Template)]
#[template(path = "me.html")]
struct MePage {
    chrome: Chrome,
    m: Messages,
    event_title: String,
    event_href: String,
    zone_note: String,
    done: Option<String>,
    status_class: &'static str,
    status_text: String,
    full_name: String,
    email: String,
    organization: Option<String>,
    category: String,
    active: bool,
    badge: bool,
    sessions: Vec<MySession>,
    errors: FormErrors,
    csrf_field: &'static str,
    csrf: String,
    locales: Vec<SelectOption>,
    webcal: String,
    calendar: String,
    print_js: String,
    /// The certificate of attendance, when one was issued (and not revoked): its line.
    certificate: Option<String>,
}

#[derive(Template)]
#[template(path = "me_help.html")]
struct HelpPage {
    chrome: Chrome,
    m: Messages,
}

#[derive(Template)]
#[template(path = "me_cancel.html")]
struct CancelPage {
    chrome: Chrome,
    m: Messages,
    event_title: String,
    errors: FormErrors,
    csrf_field: &'static str,
    csrf: String,
}

/// The registration this browser's cookie stands for, if it stands for one.
async fn delegate(state: &AppState, req: &Request) -> Option<Uuid> {
    let token = delegate_cookie::token(req)?;
    manage_link::registration_of(state, &token).await
}

/// The messages for a delegate's page: the page's language among the event's.
fn messages_for(asked: &Asked, event: &events::Model) -> Messages {
    Messages::new(&asked.choose(Some(&event.languages), &event.default_language))
}

/// `GET /me`: the delegate's registration, or how to get back to it.
#[handler]
pub async fn me_page(req: &Request, state: Data<&AppState>, csrf: &CsrfToken) -> Response {
    let asked = asked(req);
    if let Offer::Ask(question) = manage_link::settle(&state, req, csrf).await {
        return question;
    }
    let Some(id) = delegate(&state, req).await else {
        return help(&state, req, &asked);
    };
    let done = req
        .uri()
        .query()
        .map(query_pairs)
        .unwrap_or_default()
        .into_iter()
        .find(|(name, _)| name == "done")
        .map(|(_, value)| value)
        .filter(|value| {
            matches!(
                value.as_str(),
                "sessions" | "language" | "calendar" | "cancelled"
            )
        });
    show(&state, &asked, id, done, FormErrors::none(), csrf).await
}

/// The page for a browser without the way back: where to find the link.
fn help(state: &AppState, req: &Request, asked: &Asked) -> Response {
    if delegate_cookie::token(req).is_some() {
        // A cookie that stands for nothing (a replaced or erased token): drop it.
        forget(req.cookie(), secure(state));
    }
    let messages = Messages::new(&asked.choose(None, "tk"));
    let template = HelpPage {
        chrome: Chrome::new(&messages, "/me", &[]),
        m: messages,
    };
    private(render(state, asked, StatusCode::OK, template.render()))
}

/// The delegate's page with `errors` (from a refused change) and the status they call for.
async fn show(
    state: &AppState,
    asked: &Asked,
    id: Uuid,
    done: Option<String>,
    errors: FormErrors,
    csrf: &CsrfToken,
) -> Response {
    let (row, event) = match registrations_app::mine(state, id).await {
        Ok(found) => found,
        Err(err) => {
            let messages = Messages::new(&asked.choose(None, "tk"));
            return private(failure(state, asked, &messages, err));
        }
    };
    let messages = messages_for(asked, &event);
    match build(state, &row, &event, &messages, done, errors, csrf).await {
        Ok(template) => {
            let status = template.errors.status;
            private(render(state, asked, status, template.render()))
        }
        Err(err) => private(failure(state, asked, &messages, err)),
    }
}

async fn build(
    state: &AppState,
    row: &RegistrationRow,
    event: &events::Model,
    messages: &Messages,
    done: Option<String>,
    errors: FormErrors,
    csrf: &CsrfToken,
) -> Result<MePage, AppError> {
    let places = registrations_app::waiting_places(state, row).await?;
    let certificate = crate::app::certificates::mine(state, row.registration.id)
        .await?
        .map(|c| {
            messages.t_with(
                "me-certificate-text",
                &[
                    ("number", c.number.clone()),
                    (
                        "hours",
                        crate::app::certificates::hours_text(c.minutes, &messages.language),
                    ),
                    ("hours_n", (f64::from(c.minutes) / 60.0).to_string()),
                ],
            )
        });
    let sessions = my_sessions(state, row, event, messages, &places).await?;
    let r = &row.registration;
    let language = messages.language.clone();
    let calendar = registrations_app::calendar_url(state, r.id, r.calendar_generation);
    let webcal = calendar
        .split_once("://")
        .map(|(_, rest)| format!("webcal://{rest}"))
        .unwrap_or_else(|| calendar.clone());
    let (status_class, status_text) = match r.status {
        RegistrationStatus::Confirmed => ("confirmed", messages.t("me-status-confirmed")),
        RegistrationStatus::Waitlisted => (
            "waitlisted",
            messages.t_with(
                "me-status-waitlisted",
                &[("place", places.event.unwrap_or(1).to_string())],
            ),
        ),
        RegistrationStatus::Pending => ("pending", messages.t("me-status-pending")),
        RegistrationStatus::Rejected => ("ended", messages.t("me-status-rejected")),
        RegistrationStatus::Cancelled => ("ended", messages.t("me-status-cancelled")),
    };
    let active = !matches!(
        r.status,
        RegistrationStatus::Cancelled | RegistrationStatus::Rejected
    );
    Ok(MePage {
        certificate,
        chrome: Chrome::new(messages, "/me", &[]),
        event_title: event_title(event, &language),
        event_href: format!("/events/{}?lang={language}", event.slug),
        zone_note: messages.zone_note(&event.timezone, event.starts_on),
        done: done.map(|done| messages.t(&format!("me-done-{done}"))),
        status_class,
        status_text,
        full_name: r.full_name.clone(),
        email: r.email.clone(),
        organization: r.organization.clone(),
        category: messages.t(&format!("category-{}", r.category.as_str())),
        active,
        badge: r.status == RegistrationStatus::Confirmed,
        sessions,
        errors,
        csrf_field: CSRF_FIELD,
        csrf: csrf.0.clone(),
        locales: language_options(messages, &r.locale),
        webcal,
        calendar,
        print_js: super::assets::url("print.js"),
        m: messages.clone(),
    })
}

/// The sessions a delegate can choose (published, with a capacity) and the ones they chose,
/// in time order.
async fn my_sessions(
    state: &AppState,
    row: &RegistrationRow,
    event: &events::Model,
    messages: &Messages,
    places: &WaitingPlaces,
) -> Result<Vec<MySession>, AppError> {
    let query = SessionQuery {
        status: Some(SessionStatus::Published),
        ..Default::default()
    };
    let (_, mut rows) = sessions_app::list(
        state,
        &event.slug,
        crate::app::principal::Audience::Public,
        query,
        None,
        1000,
    )
    .await?;
    // Chosen sessions stay listed even if they were cancelled since.
    let listed: Vec<Uuid> = rows.iter().map(|r| r.session.id).collect();
    for choice in &row.choices {
        if !listed.contains(&choice.session_id)
            && let Ok((_, found)) = sessions_app::find(
                state,
                &event.slug,
                crate::app::principal::Audience::Public,
                choice.session_id,
            )
            .await
        {
            rows.push(found);
        }
    }
    rows.sort_by_key(|r| (r.session.starts_at, r.session.id));
    let refs = References::load(state, event.id).await?;
    let tz = zone(event);
    Ok(rows
        .iter()
        .filter_map(|session_row| {
            let choice = row
                .choices
                .iter()
                .find(|c| c.session_id == session_row.session.id);
            if choice.is_none() && session_row.session.capacity.is_none() {
                return None;
            }
            let status = choice.map(|c| match c.status {
                ChoiceStatus::Confirmed => messages.t("me-session-confirmed"),
                ChoiceStatus::Waitlisted => messages.t_with(
                    "me-session-waitlisted",
                    &[(
                        "place",
                        places
                            .sessions
                            .get(&c.session_id)
                            .copied()
                            .unwrap_or(1)
                            .to_string(),
                    )],
                ),
                ChoiceStatus::Pending => messages.t("me-session-pending"),
            });
            Some(MySession {
                session: SessionView::new(
                    messages,
                    &event.slug,
                    tz,
                    &session_row.session,
                    &session_row.speaker_ids,
                    &refs,
                ),
                chosen: choice.is_some(),
                status,
            })
        })
        .collect())
}

/// What a form on the delegate's page asks for.
enum Change {
    Sessions(Vec<Uuid>),
    Language(String),
    Calendar,
}

/// Runs a change for the browser's delegate: a redirect to `/me` saying it was done, the
/// page again with the errors, or the help page without a delegate.
async fn change(
    state: &AppState,
    req: &Request,
    csrf: &CsrfToken,
    verifier: &CsrfVerifier,
    body: &str,
    read: impl FnOnce(&Posted) -> Result<Change, AppError>,
) -> Response {
    let asked = asked(req);
    let Some(id) = delegate(state, req).await else {
        return help(state, req, &asked);
    };
    let posted = Posted::parse(body);
    if !posted.csrf_ok(verifier) {
        let messages = delegate_messages(state, &asked, id).await;
        return show(state, &asked, id, None, FormErrors::csrf(&messages), csrf).await;
    }
    let result = match read(&posted) {
        Ok(Change::Sessions(ids)) => registrations_app::change_sessions(state, id, &ids)
            .await
            .map(|_| "sessions"),
        Ok(Change::Language(locale)) => registrations_app::set_locale(state, id, &locale)
            .await
            .map(|_| "language"),
        Ok(Change::Calendar) => registrations_app::rotate_calendar(state, id)
            .await
            .map(|_| "calendar"),
        Err(err) => Err(err),
    };
    let err = match result {
        Ok(done) => return see_other(&format!("/me?done={done}")),
        Err(err) => err,
    };
    // Only a refused change needs the page's words (its event's languages).
    let messages = delegate_messages(state, &asked, id).await;
    match FormErrors::of(&messages, &err) {
        Some(errors) => show(state, &asked, id, None, errors, csrf).await,
        None => private(failure(state, &asked, &messages, err)),
    }
}

/// The messages of the delegate's page: the page's language among their event's.
async fn delegate_messages(state: &AppState, asked: &Asked, id: Uuid) -> Messages {
    match registrations_app::mine(state, id).await {
        Ok((_, event)) => messages_for(asked, &event),
        Err(_) => Messages::new(&asked.choose(None, "tk")),
    }
}

/// `POST /me/sessions`: replaces the chosen sessions.
#[handler]
pub async fn change_sessions(
    req: &Request,
    state: Data<&AppState>,
    csrf: &CsrfToken,
    verifier: &CsrfVerifier,
    body: String,
) -> Response {
    change(&state, req, csrf, verifier, &body, |posted| {
        let mut invalid = crate::domain::validation::ValidationErrors::new();
        let ids = session_ids(&posted.values("session_ids"), &mut invalid);
        invalid
            .into_result(Change::Sessions(ids))
            .map_err(AppError::from)
    })
    .await
}

/// `POST /me/language`: the language of the delegate's e-mails.
#[handler]
pub async fn change_language(
    req: &Request,
    state: Data<&AppState>,
    csrf: &CsrfToken,
    verifier: &CsrfVerifier,
    body: String,
) -> Response {
    change(&state, req, csrf, verifier, &body, |posted| {
        Ok(Change::Language(posted.value("locale")))
    })
    .await
}

/// `POST /me/calendar`: a new personal calendar link; the old one stops working.
#[handler]
pub async fn replace_calendar(
    req: &Request,
    state: Data<&AppState>,
    csrf: &CsrfToken,
    verifier: &CsrfVerifier,
    body: String,
) -> Response {
    change(&state, req, csrf, verifier, &body, |_| Ok(Change::Calendar)).await
}

/// `GET /me/cancel`: asks the delegate to confirm.
#[handler]
pub async fn cancel_form(req: &Request, state: Data<&AppState>, csrf: &CsrfToken) -> Response {
    let asked = asked(req);
    let Some(id) = delegate(&state, req).await else {
        return help(&state, req, &asked);
    };
    cancel_page(&state, &asked, id, FormErrors::none(), csrf).await
}

async fn cancel_page(
    state: &AppState,
    asked: &Asked,
    id: Uuid,
    errors: FormErrors,
    csrf: &CsrfToken,
) -> Response {
    let (_, event) = match registrations_app::mine(state, id).await {
        Ok(found) => found,
        Err(err) => {
            let messages = Messages::new(&asked.choose(None, "tk"));
            return private(failure(state, asked, &messages, err));
        }
    };
    let messages = messages_for(asked, &event);
    let template = CancelPage {
        chrome: Chrome::new(&messages, "/me/cancel", &[]),
        event_title: event_title(&event, &messages.language),
        csrf_field: CSRF_FIELD,
        csrf: csrf.0.clone(),
        m: messages,
        errors,
    };
    let status = template.errors.status;
    private(render(state, asked, status, template.render()))
}

/// `POST /me/cancel`: cancels the registration (the confirmed form only).
#[handler]
pub async fn cancel(
    req: &Request,
    state: Data<&AppState>,
    csrf: &CsrfToken,
    verifier: &CsrfVerifier,
    body: String,
) -> Response {
    let asked = asked(req);
    let Some(id) = delegate(&state, req).await else {
        return help(&state, req, &asked);
    };
    let posted = Posted::parse(&body);
    let messages = Messages::new(&asked.choose(None, "tk"));
    if !posted.csrf_ok(verifier) {
        return cancel_page(&state, &asked, id, FormErrors::csrf(&messages), csrf).await;
    }
    if !posted.ticked("confirm") {
        return see_other("/me/cancel");
    }
    match registrations_app::cancel(&state, id).await {
        Ok(_) => see_other("/me?done=cancelled"),
        Err(err) => match FormErrors::of(&messages, &err) {
            Some(errors) => cancel_page(&state, &asked, id, errors, csrf).await,
            None => private(failure(&state, &asked, &messages, err)),
        },
    }
}

/// `POST /me/forget`: this browser forgets the way back (a shared computer).
#[handler]
pub async fn forget_device(
    req: &Request,
    state: Data<&AppState>,
    verifier: &CsrfVerifier,
    body: String,
) -> Response {
    if Posted::parse(&body).csrf_ok(verifier) {
        forget(req.cookie(), secure(&state));
    }
    see_other("/me")
}

/// `GET /me/badge.svg` and `/me/badge.png` (`?download=1` saves it as a file).
#[handler]
pub async fn badge(req: &Request, state: Data<&AppState>) -> Response {
    let file = req
        .uri()
        .path()
        .rsplit('/')
        .next()
        .unwrap_or_default()
        .to_owned();
    let asked = asked(req);
    let messages = Messages::new(&asked.choose(None, "tk"));
    let Some(id) = delegate(&state, req).await else {
        return private(not_found(&state, &asked, &messages));
    };
    let (row, event) = match registrations_app::mine(&state, id).await {
        Ok(found) => found,
        Err(err) => return private(failure(&state, &asked, &messages, err)),
    };
    let drawn = match file.as_str() {
        "badge.svg" => crate::app::badges::svg(&state, &row, &event)
            .await
            .map(|svg| ("image/svg+xml", svg.into_bytes())),
        "badge.png" => crate::app::badges::png(&state, &row, &event)
            .await
            .map(|png| ("image/png", png.to_vec())),
        _ => Err(AppError::NotFound("badge")),
    };
    let (content_type, body) = match drawn {
        Ok(drawn) => drawn,
        Err(AppError::Refused(_)) | Err(AppError::NotFound(_)) => {
            return private(not_found(&state, &asked, &messages));
        }
        Err(err) => return private(failure(&state, &asked, &messages, err)),
    };
    let download = req
        .uri()
        .query()
        .is_some_and(|q| query_pairs(q).iter().any(|(k, _)| k == "download"));
    let mut response = Response::builder()
        .content_type(content_type)
        .header("X-Content-Type-Options", "nosniff")
        .header(
            "Content-Security-Policy",
            "default-src 'none'; style-src 'unsafe-inline'; img-src data:",
        )
        .body(body);
    if download {
        let extension = file.rsplit('.').next().unwrap_or("svg");
        if let Ok(value) = format!("attachment; filename=\"badge.{extension}\"").parse() {
            response.headers_mut().insert("Content-Disposition", value);
        }
    }
    private(response)
}

/// `GET /me/certificate.pdf`: the delegate's certificate of attendance (the cookie's
/// registration); "not found" when none was issued or it was revoked.
#[handler]
pub async fn certificate_pdf(req: &Request, state: Data<&AppState>) -> Response {
    let asked = asked(req);
    let messages = Messages::new(&asked.choose(None, "tk"));
    let Some(id) = delegate(&state, req).await else {
        return private(not_found(&state, &asked, &messages));
    };
    match crate::app::certificates::my_pdf(&state, id).await {
        Ok(pdf) => private(
            Response::builder()
                .content_type("application/pdf")
                .header(
                    "Content-Disposition",
                    "attachment; filename=\"certificate.pdf\"",
                )
                .body(pdf),
        ),
        Err(AppError::Refused(_)) | Err(AppError::NotFound(_)) => {
            private(not_found(&state, &asked, &messages))
        }
        Err(err) => private(failure(&state, &asked, &messages, err)),
    }
}
