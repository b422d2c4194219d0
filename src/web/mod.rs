//! The web pages, a front end beside the JSON API: server-rendered HTML (askama templates in
//! `templates/`) in Turkmen, Russian and English (Fluent messages in `locales/`), with the
//! static files embedded (`static/`). Pages call the use cases of `app` and nothing else.
//!
//! - [`i18n`] (shared with badges and feeds): the messages, the page's language, dates.
//! - [`chrome`]: what every page shares: layout, language switch, headers, the language cookie.
//! - [`assets`]: embedded static files at content-hashed URLs.
//! - [`index_page`], [`event_page`], [`agenda_page`], [`session_page`], [`speaker_pages`]:
//!   the public pages; [`session_view`] is a session as they show it.
//! - [`register_page`]: the registration form; [`me_page`]: the delegate's page and the
//!   e-mailed link to it; [`delegate_cookie`]: the cookie that keeps the way back.
//! - [`console`]: the organizers' console under `/admin`.
//! - [`scan_page`]: the scanner for check-in staff (its script is `static/scan.js`).
//! - [`forms`]: posted forms, CSRF, errors in the reader's language.
//! - [`public`]: what the pages share (dates, registration state, not found, rendering).

pub use crate::i18n;

pub mod agenda_page;
pub mod assets;
pub mod chrome;
pub mod console;
pub mod delegate_cookie;
pub mod event_page;
pub mod forms;
pub mod index_page;
pub mod manage_link;
pub mod me_page;
pub mod public;
pub mod register_page;
pub mod scan_page;
pub mod session_page;
pub mod session_view;
pub mod speaker_pages;
pub mod verify_page;

use poem::http::StatusCode;
use poem::middleware::{CookieJarManager, Csrf};
use poem::web::cookie::SameSite;
use poem::{Endpoint, EndpointExt, IntoResponse, Request, Response, Route, get, post};
use sha2::{Digest, Sha256};

use crate::application::AppState;

/// The pages' routes. The forms' routes carry CSRF protection, its key derived from the
/// shared secret so that every instance accepts every other's tokens.
pub fn routes(state: &AppState) -> impl Endpoint<Output = Response> + use<> {
    let key: [u8; 32] = Sha256::new()
        .chain_update(b"dialogue csrf key\0")
        .chain_update(state.token_secret.as_slice())
        .finalize()
        .into();
    let secure = public::secure(state);
    let csrf = move || {
        Csrf::new()
            .key(key)
            // `__Host-`: only this host over https with `Path=/` may set it, so a sibling
            // subdomain cannot plant a token of its own.
            .cookie_name(if secure {
                "__Host-dlg_csrf"
            } else {
                "dlg_csrf"
            })
            .same_site(SameSite::Lax)
            .secure(secure)
            .http_only(true)
    };
    let route = Route::new()
        .at("/", get(index_page::index_page))
        .at("/events/:slug", get(event_page::event_page))
        .at("/events/:slug/agenda", get(agenda_page::agenda_page))
        .at(
            "/events/:slug/sessions/:id",
            get(session_page::session_page),
        )
        .at("/events/:slug/speakers", get(speaker_pages::speakers_page))
        .at(
            "/events/:slug/speakers/:id",
            get(speaker_pages::speaker_page),
        )
        .at(
            "/events/:slug/register",
            get(register_page::register_form)
                .post(register_page::register_submit)
                .with(csrf()),
        )
        .at("/r/:token", get(manage_link::manage_link))
        .at("/me/switch", post(manage_link::switch).with(csrf()))
        .at("/me", get(me_page::me_page).with(csrf()))
        .at("/me/sessions", post(me_page::change_sessions).with(csrf()))
        .at("/me/language", post(me_page::change_language).with(csrf()))
        .at("/me/calendar", post(me_page::replace_calendar).with(csrf()))
        .at(
            "/me/cancel",
            get(me_page::cancel_form).post(me_page::cancel).with(csrf()),
        )
        .at("/me/forget", post(me_page::forget_device).with(csrf()))
        .at("/verify/:code", get(verify_page::verify_page))
        .at("/scan", get(scan_page::scan_page))
        .at("/scan-sw.js", get(scan_page::service_worker))
        .at("/me/badge.svg", get(me_page::badge))
        .at("/me/badge.png", get(me_page::badge))
        .at("/me/certificate.pdf", get(me_page::certificate_pdf))
        .at("/static/:hash/:name", get(assets::serve));
    console::add_routes(route, csrf).with(CookieJarManager::new())
}

/// Sends the API's paths (`/api/…`, `/docs`, `/healthz`, `/readyz`, `/metrics`) to the API and every
/// other path to the pages, whose unknown paths get the page "not found" in the visitor's
/// language rather than a problem document.
pub struct Split<A, P> {
    api: A,
    pages: P,
    state: AppState,
}

impl<A, P> Split<A, P> {
    pub fn new(api: A, pages: P, state: AppState) -> Self {
        Split { api, pages, state }
    }
}

/// Whether a path belongs to the JSON API.
fn is_api(path: &str) -> bool {
    path.starts_with("/api/")
        || matches!(path, "/api" | "/docs" | "/healthz" | "/readyz" | "/metrics")
        || path.starts_with("/docs/")
}

impl<A: Endpoint, P: Endpoint> Endpoint for Split<A, P> {
    type Output = Response;

    async fn call(&self, req: Request) -> poem::Result<Response> {
        if is_api(req.uri().path()) {
            return self.api.call(req).await.map(IntoResponse::into_response);
        }
        let asked = chrome::asked(&req);
        match self.pages.call(req).await {
            Ok(response) => Ok(response.into_response()),
            Err(err) if err.status() == StatusCode::NOT_FOUND => {
                let messages = i18n::Messages::new(&asked.choose(None, "tk"));
                Ok(public::not_found(&self.state, &asked, &messages))
            }
            Err(err) => Err(err),
        }
    }
}
