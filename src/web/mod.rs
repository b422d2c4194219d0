//! The web pages, a front end beside the JSON API: server-rendered HTML (askama templates in
//! `templates/`) in Turkmen, Russian and English (Fluent messages in `locales/`), with the
//! static files embedded (`static/`). Pages call the use cases of `app` and nothing else.
//!
//! - [`i18n`]: the messages, the page's language, dates in that language.
//! - [`chrome`]: what every page shares: layout, language switch, headers, the language cookie.
//! - [`assets`]: embedded static files at content-hashed URLs.
//! - [`index_page`], [`event_page`], [`agenda_page`]: the events, an event, its agenda.
//! - [`public`]: what those pages share (dates, registration state, not found, rendering).

pub mod agenda_page;
pub mod assets;
pub mod chrome;
pub mod event_page;
pub mod i18n;
pub mod index_page;
pub mod public;

use poem::http::StatusCode;
use poem::{Endpoint, IntoResponse, Request, Response, Route, get};

use crate::application::AppState;

/// The pages' routes.
pub fn routes() -> Route {
    Route::new()
        .at("/", get(index_page::index_page))
        .at("/events/:slug", get(event_page::event_page))
        .at("/events/:slug/agenda", get(agenda_page::agenda_page))
        .at("/static/:hash/:name", get(assets::serve))
}

/// Sends the API's paths (`/api/…`, `/docs`, `/healthz`, `/readyz`) to the API and every
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
        || matches!(path, "/api" | "/docs" | "/healthz" | "/readyz")
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
