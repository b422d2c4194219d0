//! The e-mailed way back to a delegate's page (`GET /r/{manage_token}`) and the question it
//! may raise. A link only offers its registration to this browser (a short-lived cookie that
//! only `/me` receives); `/me` takes the offer at once when the browser holds no live
//! registration or the same one, and otherwise asks (`POST /me/switch`, CSRF-protected)
//! before replacing the registration it holds, so a link planted by someone else cannot
//! silently swap a delegate's page for theirs.

use askama::Template;
use poem::http::StatusCode;
use poem::web::cookie::CookieJar;
use poem::web::{CsrfToken, CsrfVerifier, Data, Path};
use poem::{Request, Response, handler};
use uuid::Uuid;

use super::chrome::{Chrome, asked};
use super::delegate_cookie::{self, private, remember, see_other, set_for_me};
use super::forms::{CSRF_FIELD, Posted};
use super::i18n::{Asked, Messages};
use super::public::{event_title, not_found, render, secure};
use crate::app::principal::{Principal, principal_of};
use crate::app::registrations as registrations_app;
use crate::application::AppState;

/// The cookie that holds a link's token until `/me` takes it or the delegate decides.
const OFFER_COOKIE: &str = "dlg_offer";
/// How long an offer waits for a decision.
const OFFER_KEPT_FOR: std::time::Duration = std::time::Duration::from_secs(600);

/// `GET /r/{manage_token}`: offers the registration to this browser and leaves for `/me`; a
/// wrong token is "not found" and sets nothing.
#[handler]
pub async fn manage_link(
    req: &Request,
    state: Data<&AppState>,
    Path(token): Path<String>,
) -> Response {
    let asked = asked(req);
    match principal_of(&state, &token).await {
        Ok(Principal::Delegate { .. }) => {
            offer(req.cookie(), Some(&token), secure(&state));
            see_other(&format!("/me{}", lang_query(&asked)))
        }
        _ => {
            let messages = Messages::new(&asked.choose(None, "tk"));
            private(not_found(&state, &asked, &messages))
        }
    }
}

fn lang_query(asked: &Asked) -> String {
    asked
        .to_remember()
        .map(|l| format!("?lang={l}"))
        .unwrap_or_default()
}

/// Keeps (`Some`) or drops (`None`) the offered token.
fn offer(jar: &CookieJar, token: Option<&str>, secure: bool) {
    let kept_for = match token {
        Some(_) => OFFER_KEPT_FOR,
        None => std::time::Duration::ZERO,
    };
    set_for_me(
        jar,
        OFFER_COOKIE,
        token.unwrap_or_default(),
        kept_for,
        secure,
    );
}

/// The registration a live manage token stands for.
pub(super) async fn registration_of(state: &AppState, token: &str) -> Option<Uuid> {
    match principal_of(state, token).await {
        Ok(Principal::Delegate { registration_id }) => Some(registration_id),
        _ => None,
    }
}

/// What `/me` does with an offer.
pub enum Offer {
    /// None, or taken: show the page of the registration the browser now holds.
    Settled,
    /// This answer asks the delegate which registration to keep.
    Ask(Response),
}

/// Settles a pending offer on `/me`: taken when the browser holds no live registration (or
/// the same one), dropped when it no longer stands for anything, else a question.
pub async fn settle(state: &AppState, req: &Request, csrf: &CsrfToken) -> Offer {
    let Some(offered) = req
        .cookie()
        .get(OFFER_COOKIE)
        .map(|c| c.value_str().to_owned())
        .filter(|t| !t.is_empty())
    else {
        return Offer::Settled;
    };
    let secure = secure(state);
    let Some(offered_id) = registration_of(state, &offered).await else {
        offer(req.cookie(), None, secure);
        return Offer::Settled;
    };
    let current = match delegate_cookie::token(req) {
        Some(token) => registration_of(state, &token).await,
        None => None,
    };
    match current {
        Some(current_id) if current_id != offered_id => {
            Offer::Ask(question(state, req, current_id, offered_id, csrf).await)
        }
        _ => {
            remember(req.cookie(), &offered, secure);
            offer(req.cookie(), None, secure);
            Offer::Settled
        }
    }
}

#[derive(Template)]
#[template(path = "me_switch.html")]
struct SwitchPage {
    chrome: Chrome,
    m: Messages,
    current_event: String,
    current_name: String,
    offered_event: String,
    offered_name: String,
    csrf_field: &'static str,
    csrf: String,
}

/// The question: keep the registration this browser holds, or open the linked one.
async fn question(
    state: &AppState,
    req: &Request,
    current: Uuid,
    offered: Uuid,
    csrf: &CsrfToken,
) -> Response {
    let asked = asked(req);
    let messages = Messages::new(&asked.choose(None, "tk"));
    let (Ok((current_row, current_event)), Ok((offered_row, offered_event))) = (
        registrations_app::mine(state, current).await,
        registrations_app::mine(state, offered).await,
    ) else {
        return private(not_found(state, &asked, &messages));
    };
    let template = SwitchPage {
        chrome: Chrome::new(&messages, "/me", &[]),
        current_event: event_title(&current_event, &messages.language),
        current_name: current_row.registration.full_name.clone(),
        offered_event: event_title(&offered_event, &messages.language),
        // Whoever holds the link may open that registration anyway: its name tells the two
        // apart when both are for the same event.
        offered_name: offered_row.registration.full_name.clone(),
        csrf_field: CSRF_FIELD,
        csrf: csrf.0.clone(),
        m: messages,
    };
    private(render(state, &asked, StatusCode::OK, template.render()))
}

/// `POST /me/switch`: `choice=linked` opens the linked registration, anything else keeps the
/// one this browser holds; the offer is dropped either way.
#[handler]
pub async fn switch(
    req: &Request,
    state: Data<&AppState>,
    verifier: &CsrfVerifier,
    body: String,
) -> Response {
    let posted = Posted::parse(&body);
    let secure = secure(&state);
    if posted.csrf_ok(verifier) {
        if posted.value("choice") == "linked"
            && let Some(offered) = req.cookie().get(OFFER_COOKIE)
            && registration_of(&state, offered.value_str()).await.is_some()
        {
            remember(req.cookie(), offered.value_str(), secure);
        }
        offer(req.cookie(), None, secure);
    }
    see_other(&format!("/me{}", lang_query(&asked(req))))
}
