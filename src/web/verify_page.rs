//! `GET /verify/{code}`: anyone checks a certificate of attendance (the link its QR code
//! carries), in Turkmen, Russian or English: genuine, revoked, or unknown (mistyped or
//! forged, answered 404), with only the holder's name, the event, its dates and the hours.

use askama::Template;
use poem::http::StatusCode;
use poem::web::{Data, Path};
use poem::{Request, Response, handler};

use super::chrome::{Chrome, asked};
use super::i18n::Messages;
use super::public::{dates, event_title, failure, render};
use crate::app::certificates::{self as certificates_app, hours_text};
use crate::application::AppState;
use crate::error::AppError;

#[derive(Template)]
#[template(path = "verify.html")]
struct VerifyPage {
    chrome: Chrome,
    m: Messages,
    /// `genuine`, `revoked` or `unknown`.
    state: &'static str,
    verdict: String,
    facts: Vec<(String, String)>,
    offline: String,
}

/// `GET /verify/{code}`.
#[handler]
pub async fn verify_page(
    req: &Request,
    state: Data<&AppState>,
    Path(code): Path<String>,
) -> Response {
    let asked = asked(req);
    let messages = Messages::new(&asked.choose(None, "tk"));
    let language = messages.language.clone();
    let keys = format!(
        "{}/api/v1/certificate-keys",
        state.config.public_url.trim_end_matches('/')
    );
    let offline = messages.t_with("verify-offline", &[("keys", keys)]);
    let path = format!("/verify/{code}");
    let (status, page_state, verdict, facts) = match certificates_app::verify(&state, &code).await {
        Ok(found) => {
            // Nothing of an erased holder is left to show.
            let holder =
                (!found.erased).then(|| (messages.t("verify-holder"), found.full_name.clone()));
            let about = [
                (
                    messages.t("verify-event"),
                    event_title(&found.event, &language),
                ),
                (
                    messages.t("verify-dates"),
                    dates(&messages, found.event.starts_on, found.event.ends_on),
                ),
                (
                    messages.t("verify-hours"),
                    hours_text(found.minutes, &language),
                ),
                (messages.t("verify-number"), found.number.clone()),
            ];
            let facts: Vec<_> = holder.into_iter().chain(about).collect();
            if found.erased {
                // Nothing of the holder is left to show: only that it no longer stands.
                (
                    StatusCode::OK,
                    "revoked",
                    messages.t("verify-erased"),
                    facts,
                )
            } else if found.revoked {
                (
                    StatusCode::OK,
                    "revoked",
                    messages.t("verify-revoked"),
                    facts,
                )
            } else {
                (
                    StatusCode::OK,
                    "genuine",
                    messages.t("verify-genuine"),
                    facts,
                )
            }
        }
        Err(AppError::NotFound(_)) => (
            StatusCode::NOT_FOUND,
            "unknown",
            messages.t("verify-unknown"),
            Vec::new(),
        ),
        Err(err) => return failure(&state, &asked, &messages, err),
    };
    let template = VerifyPage {
        chrome: Chrome::new(&messages, &path, &[]),
        state: page_state,
        verdict,
        facts,
        offline,
        m: messages,
    };
    render(&state, &asked, status, template.render())
}
