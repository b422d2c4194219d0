//! `GET /scan`: the scanner for check-in staff, a page whose script does the work
//! (`static/scan.js`): pairing from the URL fragment (never sent to the server), door and
//! direction, badge codes from a keyboard-wedge scanner or typed, each answer shown at once
//! with its colour, words and sound, counters for the door, and the name look-up. Its words
//! come from the page's language, handed to the script as JSON.

use std::collections::BTreeMap;

use askama::Template;
use poem::http::StatusCode;
use poem::web::Data;
use poem::{Request, Response, handler};

use super::assets;
use super::chrome::{Chrome, asked};
use super::i18n::Messages;
use super::public::render;
use crate::application::AppState;
use crate::domain::checkin::Outcome as ScanOutcome;
use crate::domain::enums::{Category, RegistrationStatus};

#[derive(Template)]
#[template(path = "scan.html")]
struct ScanPage {
    chrome: Chrome,
    m: Messages,
    words_json: String,
    script: String,
    badge_script: String,
    reader: String,
    wasm: String,
    decoder: String,
    noble: String,
}

/// The words the script shows, by the names it looks them up with.
fn words(m: &Messages) -> String {
    let mut words: BTreeMap<String, String> = BTreeMap::new();
    for outcome in ScanOutcome::ALL {
        let name = outcome.as_str();
        words.insert(
            format!("result-{name}"),
            m.t(&format!("scan-result-{}", name.replace('_', "-"))),
        );
    }
    for extra in ["queued", "error", "unpaired"] {
        words.insert(
            format!("result-{extra}"),
            m.t(&format!("scan-result-{extra}")),
        );
    }
    for category in Category::ALL {
        words.insert(
            format!("category-{}", category.as_str()),
            m.t(&format!("category-{}", category.as_str())),
        );
    }
    for status in RegistrationStatus::ALL {
        words.insert(
            format!("status-{}", status.as_str()),
            m.t(&format!("scan-status-{}", status.as_str())),
        );
    }
    words.insert(
        "first-in".into(),
        m.t_with("scan-first-in", &[("time", "{time}".into())]),
    );
    words.insert("no-match".into(), m.t("scan-no-match"));
    words.insert("in-today".into(), m.t("scan-in-today"));
    words.insert("never".into(), m.t("scan-never"));
    // Safe inside <script>: no "</" can close the element.
    serde_json::to_string(&words)
        .unwrap_or_else(|_| "{}".into())
        .replace('<', "\\u003c")
}

/// `GET /scan`.
#[handler]
pub async fn scan_page(req: &Request, state: Data<&AppState>) -> Response {
    let asked = asked(req);
    let messages = Messages::new(&asked.choose(None, "tk"));
    let template = ScanPage {
        chrome: Chrome::new(&messages, "/scan", &[]),
        words_json: words(&messages),
        script: assets::url("scan.js"),
        badge_script: assets::url("badge.js"),
        reader: assets::url("zxing-reader.js"),
        wasm: assets::url("zxing_reader.wasm"),
        decoder: assets::url("scan-decoder.js"),
        noble: assets::url("noble-ed25519.js"),
        m: messages,
    };
    let mut response = render(&state, &asked, StatusCode::OK, template.render());
    // The camera's decoder is WebAssembly: compiling it is allowed here, nothing else is eval.
    response.headers_mut().insert(
        "Content-Security-Policy",
        poem::http::HeaderValue::from_static(
            "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; \
             img-src 'self' data:; media-src 'self' blob: mediastream:; object-src 'none'; \
             base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
        ),
    );
    // The page holds a scanner's token in this browser: never cached by others, never named
    // in a Referer.
    response.headers_mut().insert(
        "Referrer-Policy",
        poem::http::HeaderValue::from_static("no-referrer"),
    );
    response
}

/// `GET /scan-sw.js`: the scanner's service worker, at the root so that it may serve `/scan`
/// when the network is down.
#[handler]
pub fn service_worker() -> Response {
    match assets::file("scan-sw.js") {
        Some(body) => Response::builder()
            .content_type("text/javascript; charset=utf-8")
            .header("Cache-Control", "no-cache")
            .header("X-Content-Type-Options", "nosniff")
            .body(body),
        None => Response::builder().status(StatusCode::NOT_FOUND).finish(),
    }
}
