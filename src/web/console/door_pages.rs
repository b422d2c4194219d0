//! The doors in the console: scanner tokens (create one with the QR code of its pairing link,
//! shown once; list; revoke) and live attendance per day at the venue, per session at its
//! door, and per scanner device today, refreshed by `static/console.js` while the page is open.

use askama::Template;
use chrono::Utc;
use poem::http::StatusCode;
use poem::web::{CsrfToken, CsrfVerifier, Data, Path};
use poem::{Request, Response, handler};
use qrcode::render::svg;
use qrcode::{EcLevel, QrCode};
use uuid::Uuid;

use entities::events;

use super::sign_in::refused_form;
use super::{ConsoleChrome, Desk, done, fragment};
use crate::app::checkin as checkin_app;
use crate::app::tokens::{self as tokens_app, NewToken};
use crate::application::AppState;
use crate::domain::enums::TokenRole;
use crate::domain::language::Texts;
use crate::error::AppError;
use crate::store::tokens::TokenScope;
use crate::web::assets;
use crate::web::chrome::encode;
use crate::web::forms::{FormError, FormErrors, Posted};
use crate::web::i18n::Messages;
use crate::web::public::zone;

/// A scanner token in the list.
pub struct TokenRow {
    pub label: String,
    pub created: String,
    pub revoked: Option<String>,
    pub revoke_action: String,
}

/// One line of the attendance tables.
pub struct Figure {
    pub name: String,
    pub checked_in: i64,
    pub inside: i64,
    pub expected: i64,
}

/// A scanner device's work today.
pub struct Device {
    pub name: String,
    pub scans: i64,
    pub admissions: i64,
    pub door: String,
    pub last: String,
}

#[derive(Template)]
#[template(path = "console/attendance.html")]
struct AttendanceFragment {
    m: Messages,
    updated: String,
    days: Vec<Figure>,
    sessions: Vec<Figure>,
    devices: Vec<Device>,
}

/// A token just created: its pairing link and QR code, shown once.
pub struct Paired {
    pub label: String,
    pub link: String,
    pub qr_svg: String,
}

#[derive(Template)]
#[template(path = "console/doors.html")]
struct DoorsPage {
    c: ConsoleChrome,
    m: Messages,
    action: String,
    tokens: Vec<TokenRow>,
    paired: Option<Paired>,
    errors: FormErrors,
    label: String,
    attendance: String,
    attendance_href: String,
    console_js: String,
}

async fn attendance_html(
    state: &AppState,
    desk: &Desk,
    event: &events::Model,
) -> Result<String, AppError> {
    let m = &desk.m;
    let reference = event.id.to_string();
    let figures = checkin_app::attendance(state, &desk.principal, &reference).await?;
    let devices = checkin_app::doors_today(state, &desk.principal, &reference).await?;
    let tz = zone(event);
    let session_titles: std::collections::HashMap<Uuid, String> = {
        let (_, rows) = crate::app::sessions::list(
            state,
            &reference,
            super::ORGANIZERS,
            Default::default(),
            None,
            2000,
        )
        .await?;
        rows.into_iter()
            .map(|r| {
                let title = Texts::new(&r.session.translations, &m.language)
                    .text("title", &r.session.title)
                    .to_owned();
                (r.session.id, title)
            })
            .collect()
    };
    let door_name = |scope: Option<&str>| match scope {
        Some(scope) if scope.starts_with("day:") => m.t("console-venue-entrance"),
        Some(scope) => scope
            .strip_prefix("session:")
            .and_then(|id| id.parse::<Uuid>().ok())
            .and_then(|id| session_titles.get(&id).cloned())
            .unwrap_or_default(),
        None => String::new(),
    };
    let fragment = AttendanceFragment {
        m: m.clone(),
        updated: Utc::now().with_timezone(&tz).format("%H:%M:%S").to_string(),
        days: figures
            .days
            .iter()
            .map(|(day, f)| Figure {
                name: m.date_long(*day),
                checked_in: f.checked_in,
                inside: f.inside,
                expected: f.confirmed,
            })
            .collect(),
        sessions: figures
            .sessions
            .iter()
            .map(|(id, title, f)| Figure {
                name: session_titles
                    .get(id)
                    .cloned()
                    .unwrap_or_else(|| title.clone()),
                checked_in: f.checked_in,
                inside: f.inside,
                expected: f.confirmed,
            })
            .collect(),
        devices: devices
            .iter()
            .map(|d| Device {
                name: d.device.clone(),
                scans: d.scans,
                admissions: d.admissions,
                door: door_name(d.last_scope.as_deref()),
                last: d.last_at.with_timezone(&tz).format("%H:%M:%S").to_string(),
            })
            .collect(),
    };
    fragment
        .render()
        .map_err(|e| AppError::unexpected(e.to_string()))
}

async fn show(
    state: &AppState,
    req: &Request,
    desk: &Desk,
    event: &events::Model,
    paired: Option<Paired>,
    errors: FormErrors,
    label: String,
) -> Response {
    let status = errors.status;
    let found = async {
        let tokens = tokens_app::list(state, TokenScope::CheckinOf(event.id)).await?;
        let attendance = attendance_html(state, desk, event).await?;
        Ok::<_, AppError>((tokens, attendance))
    }
    .await;
    let (tokens, attendance) = match found {
        Ok(found) => found,
        Err(err) => return desk.failed(state, err),
    };
    let tz = zone(event);
    let base = format!("/admin/events/{}/doors", event.slug);
    let page = DoorsPage {
        c: desk.event_chrome(req, event, "doors"),
        m: desk.m.clone(),
        action: base.clone(),
        tokens: tokens
            .iter()
            .map(|t| TokenRow {
                label: t.label.clone(),
                created: t
                    .created_at
                    .with_timezone(&tz)
                    .format("%Y-%m-%d %H:%M")
                    .to_string(),
                revoked: t
                    .revoked_at
                    .map(|at| at.with_timezone(&tz).format("%Y-%m-%d %H:%M").to_string()),
                revoke_action: format!("{base}/{}/revoke", t.id),
            })
            .collect(),
        paired,
        errors,
        label,
        attendance,
        attendance_href: format!("{base}/attendance"),
        console_js: assets::url("console.js"),
    };
    desk.page(state, status, page.render())
}

/// `GET /admin/events/{event}/doors`.
#[handler]
pub async fn doors(
    req: &Request,
    state: Data<&AppState>,
    csrf: &CsrfToken,
    Path(reference): Path<String>,
) -> Response {
    match Desk::with_event(&state, req, csrf, &reference).await {
        Ok((desk, event)) => {
            show(
                &state,
                req,
                &desk,
                &event,
                None,
                FormErrors::none(),
                String::new(),
            )
            .await
        }
        Err(response) => response,
    }
}

/// The QR code of a pairing link, as SVG markup.
fn qr_svg(link: &str, label: &str) -> Result<String, AppError> {
    let code = QrCode::with_error_correction_level(link.as_bytes(), EcLevel::M)
        .map_err(|e| AppError::unexpected(e.to_string()))?;
    let image = code
        .render::<svg::Color<'_>>()
        .min_dimensions(240, 240)
        .quiet_zone(true)
        .build();
    // Drop the XML declaration; name the image for screen readers.
    let image = image
        .split_once("<svg")
        .map(|(_, rest)| {
            format!(
                "<svg role=\"img\" aria-label=\"{}\" class=\"pairing-qr\"{rest}",
                crate::badge::escape(label)
            )
        })
        .unwrap_or(image);
    Ok(image)
}

/// `POST /admin/events/{event}/doors`: creates a scanner token and shows its pairing QR once.
#[handler]
pub async fn create_token(
    req: &Request,
    state: Data<&AppState>,
    csrf: &CsrfToken,
    verifier: &CsrfVerifier,
    Path(reference): Path<String>,
    body: String,
) -> Response {
    let (desk, event) = match Desk::with_event(&state, req, csrf, &reference).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let posted = Posted::parse(&body);
    if !posted.csrf_ok(verifier) {
        return refused_form(
            &state,
            req,
            &desk,
            &format!("/admin/events/{}/doors", event.slug),
        );
    }
    let label = posted.value("label");
    let created = tokens_app::create(
        &state,
        NewToken {
            role: TokenRole::Checkin,
            event: Some(&event.id.to_string()),
            label: &label,
        },
    )
    .await;
    match created {
        Ok(created) => {
            let link = format!(
                "{}/scan#token={}&event={}",
                state.config.public_url.trim_end_matches('/'),
                encode(&created.issued.token),
                encode(&event.slug)
            );
            let qr = match qr_svg(&link, &desk.m.t("console-pairing-qr")) {
                Ok(qr) => qr,
                Err(err) => return desk.failed(&state, err),
            };
            let paired = Paired {
                label: created.label,
                link,
                qr_svg: qr,
            };
            show(
                &state,
                req,
                &desk,
                &event,
                Some(paired),
                FormErrors::none(),
                String::new(),
            )
            .await
        }
        Err(err) => match FormErrors::of(&desk.m, &err) {
            Some(mut errors) => {
                for item in &mut errors.items {
                    if item.field.as_deref() == Some("label") {
                        *item = FormError {
                            field: Some("label".into()),
                            message: desk.m.t("console-label-wrong"),
                        };
                    }
                }
                show(&state, req, &desk, &event, None, errors, label).await
            }
            None => desk.failed(&state, err),
        },
    }
}

/// `POST /admin/events/{event}/doors/{id}/revoke`: the token stops working at once.
#[handler]
pub async fn revoke_token(
    req: &Request,
    state: Data<&AppState>,
    csrf: &CsrfToken,
    verifier: &CsrfVerifier,
    Path((reference, id)): Path<(String, String)>,
    body: String,
) -> Response {
    let (desk, event) = match Desk::with_event(&state, req, csrf, &reference).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let back = format!("/admin/events/{}/doors", event.slug);
    if !Posted::parse(&body).csrf_ok(verifier) {
        return refused_form(&state, req, &desk, &back);
    }
    let Ok(id) = id.parse::<Uuid>() else {
        return desk.failed(&state, AppError::NotFound("token"));
    };
    match tokens_app::revoke(&state, TokenScope::CheckinOf(event.id), id).await {
        Ok(_) => done(&format!("{back}?done=revoked")),
        Err(err) => desk.failed(&state, err),
    }
}

/// `GET /admin/events/{event}/doors/attendance`: the attendance tables alone (for refreshing).
#[handler]
pub async fn attendance_fragment(
    req: &Request,
    state: Data<&AppState>,
    csrf: &CsrfToken,
    Path(reference): Path<String>,
) -> Response {
    let (desk, event) = match Desk::with_event(&state, req, csrf, &reference).await {
        Ok(found) => found,
        Err(_) => {
            return Response::builder()
                .status(StatusCode::UNAUTHORIZED)
                .finish();
        }
    };
    match attendance_html(&state, &desk, &event).await {
        Ok(html) => fragment(Ok(html)),
        Err(err) => desk.failed(&state, err),
    }
}
