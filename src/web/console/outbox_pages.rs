//! The e-mail outbox in the console: how many messages are queued, sent and failed, the
//! messages (newest first, optionally of one state) with their recipient, attempts and last
//! error, and sending one again.

use askama::Template;
use poem::http::StatusCode;
use poem::web::{CsrfToken, CsrfVerifier, Data, Path};
use poem::{Request, Response, handler};
use uuid::Uuid;

use super::sign_in::refused_form;
use super::{ConsoleChrome, Desk, done, query_value};
use crate::app::outbox as outbox_app;
use crate::application::AppState;
use crate::domain::enums::MailStatus;
use crate::error::AppError;
use crate::web::forms::Posted;
use crate::web::forms::SelectOption;
use crate::web::i18n::Messages;
use crate::web::public::zone;

/// How many messages the page shows.
const SHOWN: u64 = 200;

/// A message in the list.
pub struct MailRow {
    pub recipient: String,
    pub kind: String,
    pub status: &'static str,
    pub status_text: String,
    pub attempts: i32,
    pub error: String,
    pub when: String,
    pub resend_action: String,
}

#[derive(Template)]
#[template(path = "console/outbox.html")]
struct OutboxPage {
    c: ConsoleChrome,
    m: Messages,
    counts: Vec<(String, u64)>,
    filters: Vec<SelectOption>,
    rows: Vec<MailRow>,
    notice: Option<String>,
}

/// `GET /admin/events/{event}/outbox?status=`.
#[handler]
pub async fn outbox(
    req: &Request,
    state: Data<&AppState>,
    csrf: &CsrfToken,
    Path(reference): Path<String>,
) -> Response {
    let desk = match Desk::of(&state, req, csrf).await {
        Ok(desk) => desk,
        Err(response) => return response,
    };
    let m = &desk.m;
    let status = query_value(req, "status").and_then(|s| s.parse::<MailStatus>().ok());
    let (event, mails, counts) = match outbox_app::list(&state, &reference, status, SHOWN).await {
        Ok(found) => found,
        Err(err) => return desk.failed(&state, err),
    };
    let tz = zone(&event);
    let base = format!("/admin/events/{}/outbox", event.slug);
    let label = |s: MailStatus| m.t(&format!("console-mail-{}", s.as_str()));
    let page = OutboxPage {
        c: desk.event_chrome(req, &event, "outbox"),
        m: m.clone(),
        counts: MailStatus::ALL
            .iter()
            .map(|s| (label(*s), counts.get(s).copied().unwrap_or(0)))
            .collect(),
        filters: std::iter::once(SelectOption {
            value: base.clone(),
            label: m.t("console-all"),
            selected: status.is_none(),
        })
        .chain(MailStatus::ALL.iter().map(|s| SelectOption {
            value: format!("{base}?status={}", s.as_str()),
            label: label(*s),
            selected: status == Some(*s),
        }))
        .collect(),
        rows: mails
            .iter()
            .map(|mail| MailRow {
                recipient: mail
                    .recipient
                    .clone()
                    .unwrap_or_else(|| m.t("console-recipient-erased")),
                kind: m.t(&format!(
                    "console-mail-kind-{}",
                    mail.row.kind.as_str().replace('_', "-")
                )),
                status: mail.row.status.as_str(),
                status_text: label(mail.row.status),
                attempts: mail.row.attempts,
                error: mail.row.last_error.clone().unwrap_or_default(),
                when: mail
                    .row
                    .sent_at
                    .unwrap_or(mail.row.created_at)
                    .with_timezone(&tz)
                    .format("%Y-%m-%d %H:%M")
                    .to_string(),
                resend_action: format!("{base}/{}/resend", mail.row.id),
            })
            .collect(),
        notice: (query_value(req, "done").as_deref() == Some("resent"))
            .then(|| m.t("console-done-resent")),
    };
    desk.page(&state, StatusCode::OK, page.render())
}

/// `POST /admin/events/{event}/outbox/{id}/resend`: queues the message again.
#[handler]
pub async fn resend(
    req: &Request,
    state: Data<&AppState>,
    csrf: &CsrfToken,
    verifier: &CsrfVerifier,
    Path((reference, id)): Path<(String, String)>,
    body: String,
) -> Response {
    let desk = match Desk::of(&state, req, csrf).await {
        Ok(desk) => desk,
        Err(response) => return response,
    };
    let back = format!("/admin/events/{reference}/outbox");
    if !Posted::parse(&body).csrf_ok(verifier) {
        return refused_form(&state, req, &desk, &back);
    }
    let Ok(id) = id.parse::<Uuid>() else {
        return desk.failed(&state, AppError::NotFound("message"));
    };
    match outbox_app::resend(&state, &reference, id).await {
        Ok((event, _)) => done(&format!("/admin/events/{}/outbox?done=resent", event.slug)),
        Err(err) => desk.failed(&state, err),
    }
}
