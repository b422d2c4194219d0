//! The organizers' console under `/admin`: server-rendered pages that call the same use cases
//! as the JSON API. A signed-in organizer ([`Desk`]) is found from the `dlg_admin` cookie on
//! every request; anyone else is sent to the sign-in form. Every form carries a CSRF token,
//! every answer is `no-store` and `no-referrer`.
//!
//! - [`sign_in`]: the sign-in form, signing in and out, the list of events.
//! - [`event_pages`]: an event: create, edit (texts in three languages side by side), publish,
//!   cancel.
//! - [`programme_pages`]: tracks, rooms and speakers.
//! - [`session_pages`]: the day view of rooms against time with clashes, the session form.
//! - [`registration_pages`]: the list with filters, decisions one or many at once, the CSV
//!   export, one delegate's page, erasure.
//! - [`door_pages`]: scanner tokens with their pairing QR, live attendance.
//! - [`outbox_pages`]: the e-mails sent and failed, sending again.
//! - [`category_pages`]: which categories the public may choose, their colours and names.
//! - [`certificate_pages`]: certificates of attendance: rules, who qualifies, issuing, revoking, counts.
//! - [`print_pages`]: badge sheets, one badge and the agenda as PDF.
//! - [`texts`]: reading and showing texts in the three languages side by side.

pub mod category_pages;
pub mod certificate_pages;
pub mod door_pages;
pub mod event_pages;
pub mod outbox_pages;
pub mod print_pages;
pub mod programme_pages;
pub mod registration_pages;
pub mod session_pages;
pub mod sign_in;
pub mod texts;

use askama::Template;
use poem::http::StatusCode;
use poem::web::CsrfToken;
use poem::web::cookie::{Cookie, CookieJar, SameSite};
use poem::{EndpointExt, Request, Response, Route, get, post};

use entities::events;

use super::chrome::{Chrome, asked, query_pairs};
use super::delegate_cookie::{private, see_other};
use super::i18n::{Asked, Messages};
use super::public::{render, secure};
use crate::app::principal::{Audience, Principal};
use crate::application::AppState;
use crate::error::AppError;

/// The cookie that carries a console sign-in's secret.
pub const SIGN_IN_COOKIE: &str = "dlg_admin";
/// The path the sign-in cookie is sent to.
const COOKIE_PATH: &str = "/admin";

/// A signed-in organizer on a console page: who, in which language, and the form token.
pub struct Desk {
    pub principal: Principal,
    pub asked: Asked,
    pub m: Messages,
    pub csrf: String,
}

impl Desk {
    /// The organizer signed in on this request, or the answer that sends them to sign in.
    pub async fn of(state: &AppState, req: &Request, csrf: &CsrfToken) -> Result<Desk, Response> {
        let asked = asked(req);
        let m = Messages::new(&asked.choose(None, "tk"));
        let secret = sign_in_secret(req).unwrap_or_default();
        match crate::app::console::signed_in(state, &secret).await {
            Ok(Some(principal)) => Ok(Desk {
                principal,
                asked,
                m,
                csrf: csrf.0.clone(),
            }),
            Ok(None) => {
                let next = req
                    .uri()
                    .path_and_query()
                    .map(|p| p.as_str().to_owned())
                    .unwrap_or_default();
                let mut to = format!("/admin?next={}", super::chrome::encode(&next));
                if let Some(lang) = asked.to_remember() {
                    to.push_str(&format!("&lang={lang}"));
                }
                Err(see_other(&to))
            }
            Err(err) => Err(failed(state, &asked, &m, err)),
        }
    }

    /// The layout of a console page at `path` (the language switch keeps `query`).
    pub fn chrome(&self, req: &Request) -> ConsoleChrome {
        let query = req.uri().query().map(query_pairs).unwrap_or_default();
        let done = query_value(req, "done")
            .filter(|done| DONE.contains(&done.as_str()))
            .map(|done| self.m.t(&format!("console-done-{done}")));
        ConsoleChrome {
            chrome: Chrome::new(&self.m, req.uri().path(), &query),
            csrf: self.csrf.clone(),
            event: None,
            done,
        }
    }

    /// The layout of a page of one event, with the event's menu, `current` marked.
    pub fn event_chrome(
        &self,
        req: &Request,
        event: &events::Model,
        current: &'static str,
    ) -> ConsoleChrome {
        let mut chrome = self.chrome(req);
        chrome.event = Some(EventMenu::new(&self.m, event, current));
        chrome
    }

    /// Renders a console page (private).
    pub fn page(
        &self,
        state: &AppState,
        status: StatusCode,
        html: Result<String, askama::Error>,
    ) -> Response {
        private(render(state, &self.asked, status, html))
    }

    /// The answer to a failure of the application layer: "not found" for what does not exist,
    /// the error page otherwise.
    pub fn failed(&self, state: &AppState, err: AppError) -> Response {
        failed(state, &self.asked, &self.m, err)
    }

    /// The signed-in organizer and the event `reference` names (drafts too), or the answer to
    /// give instead (sign in, or "not found").
    pub async fn with_event(
        state: &AppState,
        req: &Request,
        csrf: &CsrfToken,
        reference: &str,
    ) -> Result<(Desk, events::Model), Response> {
        let desk = Desk::of(state, req, csrf).await?;
        match crate::app::events::visible(state, reference, ORGANIZERS).await {
            Ok(event) => Ok((desk, event)),
            Err(err) => Err(desk.failed(state, err)),
        }
    }

    /// A short page with `status`: a heading (`heading_key`), what happened, and the way back.
    pub fn message(
        &self,
        state: &AppState,
        req: &Request,
        status: StatusCode,
        heading_key: &str,
        text: String,
        back: String,
    ) -> Response {
        let page = sign_in::MessagePage {
            c: self.chrome(req),
            m: self.m.clone(),
            heading: self.m.t(heading_key),
            text,
            back,
        };
        self.page(state, status, page.render())
    }

    /// "Nothing was changed": a refusal (`409`) or a missing confirmation (`422`), and why.
    pub fn not_done(
        &self,
        state: &AppState,
        req: &Request,
        status: StatusCode,
        text: String,
        back: String,
    ) -> Response {
        self.message(state, req, status, "console-not-done", text, back)
    }
}

/// Audience of the console: organizers see drafts.
pub const ORGANIZERS: Audience = Audience::Organizers;

fn failed(state: &AppState, asked: &Asked, m: &Messages, err: AppError) -> Response {
    private(super::public::failure(state, asked, m, err))
}

/// The sign-in secret this browser holds.
pub fn sign_in_secret(req: &Request) -> Option<String> {
    req.cookie()
        .get(SIGN_IN_COOKIE)
        .map(|c| c.value_str().to_owned())
        .filter(|s| !s.is_empty())
}

/// Keeps a sign-in's secret in the browser until it ends.
pub fn keep_sign_in(jar: &CookieJar, secret: &str, lasts: std::time::Duration, secure: bool) {
    let mut cookie = Cookie::new_with_str(SIGN_IN_COOKIE, secret);
    cookie.set_path(COOKIE_PATH);
    cookie.set_http_only(true);
    cookie.set_same_site(SameSite::Lax);
    cookie.set_secure(secure);
    cookie.set_max_age(lasts);
    jar.add(cookie);
}

/// Makes the browser forget its sign-in.
pub fn forget_sign_in(jar: &CookieJar, secure: bool) {
    keep_sign_in(jar, "", std::time::Duration::ZERO, secure);
}

/// What every console page shows around its content.
pub struct ConsoleChrome {
    pub chrome: Chrome,
    pub csrf: String,
    pub event: Option<EventMenu>,
    /// What the last form did, in words (after its redirect).
    pub done: Option<String>,
}

/// The outcomes of console forms that the layout announces after their redirect.
const DONE: [&str; 8] = [
    "created",
    "saved",
    "published",
    "cancelled",
    "added",
    "deleted",
    "revoked",
    "signed-in",
];

/// The menu of one event's pages.
pub struct EventMenu {
    pub title: String,
    pub slug: String,
    pub draft: bool,
    pub links: Vec<MenuLink>,
}

/// One entry of a menu.
pub struct MenuLink {
    pub href: String,
    pub label: String,
    pub current: bool,
}

impl EventMenu {
    fn new(m: &Messages, event: &events::Model, current: &'static str) -> Self {
        let base = format!("/admin/events/{}", event.slug);
        let links = [
            ("overview", ""),
            ("programme", "/programme"),
            ("sessions", "/sessions"),
            ("registrations", "/registrations"),
            ("categories", "/categories"),
            ("doors", "/doors"),
            ("outbox", "/outbox"),
            ("print", "/print"),
            ("certificates", "/certificates"),
        ]
        .into_iter()
        .map(|(key, path)| MenuLink {
            href: format!("{base}{path}"),
            label: m.t(&format!("console-menu-{key}")),
            current: key == current,
        })
        .collect();
        EventMenu {
            title: super::public::event_title(event, &m.language),
            slug: event.slug.clone(),
            draft: event.status == crate::domain::enums::EventStatus::Draft,
            links,
        }
    }
}

/// `303` back to `location` after a form did its work.
pub fn done(location: &str) -> Response {
    see_other(location)
}

/// Whether cookies are `Secure` here.
pub fn secure_cookies(state: &AppState) -> bool {
    secure(state)
}

/// A query parameter of the request.
pub fn query_value(req: &Request, name: &str) -> Option<String> {
    req.uri()
        .query()
        .map(query_pairs)
        .unwrap_or_default()
        .into_iter()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value)
        .filter(|value| !value.is_empty())
}

/// Renders a template that is not a whole page (a fragment for live updates), private.
pub fn fragment(html: Result<String, askama::Error>) -> Response {
    match html {
        Ok(html) => private(
            Response::builder()
                .content_type("text/html; charset=utf-8")
                .header("X-Content-Type-Options", "nosniff")
                .body(html),
        ),
        Err(err) => {
            tracing::error!(error = %err, "fragment failed");
            Response::builder()
                .status(StatusCode::INTERNAL_SERVER_ERROR)
                .finish()
        }
    }
}

/// A `Template` rendered.
pub fn html<T: Template>(template: &T) -> Result<String, askama::Error> {
    template.render()
}

/// Routes are declared by the caller ([`super::routes`]); these are the paths.
pub fn add_routes(route: Route, csrf: impl Fn() -> poem::middleware::Csrf) -> Route {
    route
        .at(
            "/admin",
            get(sign_in::home).post(sign_in::sign_in).with(csrf()),
        )
        .at("/admin/logout", post(sign_in::sign_out).with(csrf()))
        .at(
            "/admin/events/new",
            get(event_pages::new_form)
                .post(event_pages::create)
                .with(csrf()),
        )
        .at(
            "/admin/events/:event",
            get(event_pages::overview)
                .post(event_pages::save)
                .with(csrf()),
        )
        .at(
            "/admin/events/:event/status",
            post(event_pages::change_status).with(csrf()),
        )
        .at(
            "/admin/events/:event/programme",
            get(programme_pages::programme).with(csrf()),
        )
        .at(
            "/admin/events/:event/programme/:kind",
            post(programme_pages::add).with(csrf()),
        )
        .at(
            "/admin/events/:event/programme/:kind/:id",
            get(programme_pages::edit_form)
                .post(programme_pages::save)
                .with(csrf()),
        )
        .at(
            "/admin/events/:event/programme/:kind/:id/delete",
            post(programme_pages::delete).with(csrf()),
        )
        .at(
            "/admin/events/:event/sessions",
            get(session_pages::day_view).with(csrf()),
        )
        .at(
            "/admin/events/:event/sessions/new",
            get(session_pages::new_form)
                .post(session_pages::create)
                .with(csrf()),
        )
        .at(
            "/admin/events/:event/sessions/:id",
            get(session_pages::edit_form)
                .post(session_pages::save)
                .with(csrf()),
        )
        .at(
            "/admin/events/:event/registrations",
            get(registration_pages::list)
                .post(registration_pages::decide_many)
                .with(csrf()),
        )
        .at(
            "/admin/events/:event/registrations.csv",
            get(registration_pages::export).with(csrf()),
        )
        .at(
            "/admin/events/:event/registrations/:id",
            get(registration_pages::delegate)
                .post(registration_pages::decide_one)
                .with(csrf()),
        )
        .at(
            "/admin/events/:event/registrations/:id/erase",
            get(registration_pages::erase_form)
                .post(registration_pages::erase)
                .with(csrf()),
        )
        .at(
            "/admin/events/:event/registrations/:id/badge.pdf",
            get(print_pages::one_badge).with(csrf()),
        )
        .at(
            "/admin/events/:event/categories",
            get(category_pages::categories_page)
                .post(category_pages::save)
                .with(csrf()),
        )
        .at(
            "/admin/events/:event/doors",
            get(door_pages::doors)
                .post(door_pages::create_token)
                .with(csrf()),
        )
        .at(
            "/admin/events/:event/doors/attendance",
            get(door_pages::attendance_fragment).with(csrf()),
        )
        .at(
            "/admin/events/:event/doors/:id/revoke",
            post(door_pages::revoke_token).with(csrf()),
        )
        .at(
            "/admin/events/:event/outbox",
            get(outbox_pages::outbox).with(csrf()),
        )
        .at(
            "/admin/events/:event/outbox/:id/resend",
            post(outbox_pages::resend).with(csrf()),
        )
        .at(
            "/admin/events/:event/certificates",
            get(certificate_pages::certificates_page).with(csrf()),
        )
        .at(
            "/admin/events/:event/certificates/rules",
            post(certificate_pages::save_rules).with(csrf()),
        )
        .at(
            "/admin/events/:event/certificates/issue",
            post(certificate_pages::issue).with(csrf()),
        )
        .at(
            "/admin/events/:event/certificates/:number/revoke",
            post(certificate_pages::revoke).with(csrf()),
        )
        .at(
            "/admin/events/:event/certificates.pdf",
            get(certificate_pages::all_pdf).with(csrf()),
        )
        .at(
            "/admin/events/:event/print",
            get(print_pages::print_page).with(csrf()),
        )
        .at(
            "/admin/events/:event/badges.pdf",
            get(print_pages::badge_sheets).with(csrf()),
        )
}
