//! Registrations in the console: the list with the API's filters (status, category, session,
//! search) and paging, decisions on one or many at once (approve, reject), the CSV export,
//! one delegate's page with their badge and sessions, and erasure after a confirmation step.

use askama::Template;
use poem::http::StatusCode;
use poem::web::{CsrfToken, CsrfVerifier, Data, Path};
use poem::{Request, Response, handler};
use uuid::Uuid;

use entities::events;

use super::sign_in::refused_form;
use super::{ConsoleChrome, Desk, done, query_value};
use crate::app::registrations as registrations_app;
use crate::app::sessions::{self as sessions_app, SessionQuery};
use crate::application::AppState;
use crate::domain::enums::{Category, RegistrationStatus};
use crate::domain::language::Texts;
use crate::error::AppError;
use crate::store::registrations::{RegistrationFilter, RegistrationRow};
use crate::web::chrome::{encode, query_string};
use crate::web::forms::{Posted, SelectOption};
use crate::web::i18n::Messages;
use crate::web::public::zone;

/// How many registrations one page of the list shows.
const PAGE: u64 = 50;

/// A registration in the list.
pub struct Row {
    pub id: String,
    pub href: String,
    pub name: String,
    pub organization: String,
    pub email: String,
    pub category: String,
    pub status: &'static str,
    pub status_text: String,
    pub registered: String,
}

#[derive(Template)]
#[template(path = "console/registrations.html")]
struct ListPage {
    c: ConsoleChrome,
    m: Messages,
    action: String,
    statuses: Vec<SelectOption>,
    categories: Vec<SelectOption>,
    sessions: Vec<SelectOption>,
    q: String,
    rows: Vec<Row>,
    next_href: Option<String>,
    csv_href: String,
    badges_href: String,
    notice: Option<String>,
}

/// A session a delegate chose.
pub struct Chosen {
    pub title: String,
    pub status: String,
}

#[derive(Template)]
#[template(path = "console/registration.html")]
struct DelegatePage {
    c: ConsoleChrome,
    m: Messages,
    r: Row,
    position: String,
    country: String,
    locale: String,
    erased: bool,
    can_approve: bool,
    can_reject: bool,
    badge_svg: Option<String>,
    badge_pdf: String,
    chosen: Vec<Chosen>,
    action: String,
    erase_href: String,
    notice: Option<String>,
}

#[derive(Template)]
#[template(path = "console/erase.html")]
struct ErasePage {
    c: ConsoleChrome,
    m: Messages,
    name: String,
    action: String,
    back: String,
    missing_confirmation: bool,
}

fn status_text(m: &Messages, status: RegistrationStatus) -> String {
    m.t(&format!("console-reg-{}", status.as_str()))
}

fn row(m: &Messages, event: &events::Model, r: &RegistrationRow) -> Row {
    let reg = &r.registration;
    Row {
        id: reg.id.to_string(),
        href: format!("/admin/events/{}/registrations/{}", event.slug, reg.id),
        name: reg.full_name.clone(),
        organization: reg.organization.clone().unwrap_or_default(),
        email: reg.email.clone(),
        category: m.t(&format!("category-{}", reg.category.as_str())),
        status: reg.status.as_str(),
        status_text: status_text(m, reg.status),
        registered: reg
            .created_at
            .with_timezone(&zone(event))
            .format("%Y-%m-%d %H:%M")
            .to_string(),
    }
}

/// The filters of the list from the query string.
fn filter_of(req: &Request) -> RegistrationFilter {
    RegistrationFilter {
        status: query_value(req, "status").and_then(|s| s.parse().ok()),
        category: query_value(req, "category")
            .and_then(|c| c.parse::<Category>().ok())
            .map(|c| c.as_str().to_owned()),
        session_id: query_value(req, "session").and_then(|s| s.parse().ok()),
        search: query_value(req, "q").filter(|q| !q.trim().is_empty()),
    }
}

/// The query string of `filter` (to keep it across pages and exports).
fn filter_query(filter: &RegistrationFilter) -> Vec<(String, String)> {
    let mut pairs = Vec::new();
    if let Some(status) = filter.status {
        pairs.push(("status".into(), status.as_str().to_owned()));
    }
    if let Some(category) = &filter.category {
        pairs.push(("category".into(), category.clone()));
    }
    if let Some(session) = filter.session_id {
        pairs.push(("session".into(), session.to_string()));
    }
    if let Some(q) = &filter.search {
        pairs.push(("q".into(), q.clone()));
    }
    pairs
}

fn notice(m: &Messages, req: &Request) -> Option<String> {
    let done = query_value(req, "done")?;
    let count = query_value(req, "count").unwrap_or_else(|| "1".into());
    let failed = query_value(req, "failed").unwrap_or_else(|| "0".into());
    let key = match done.as_str() {
        "approved" | "rejected" | "erased" => format!("console-done-{done}"),
        _ => return None,
    };
    let mut text = m.t_with(&key, &[("count", count)]);
    if failed != "0" {
        text.push(' ');
        text.push_str(&m.t_with("console-done-failed", &[("count", failed)]));
    }
    Some(text)
}

/// `GET /admin/events/{event}/registrations`: the list.
#[handler]
pub async fn list(
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
    let filter = filter_of(req);
    let after = query_value(req, "after").and_then(|a| a.parse::<Uuid>().ok());
    let found = async {
        let (event, rows) =
            registrations_app::list(&state, &reference, &filter, after, Some(PAGE + 1)).await?;
        let (_, sessions) = sessions_app::list(
            &state,
            &event.id.to_string(),
            super::ORGANIZERS,
            SessionQuery::default(),
            None,
            1000,
        )
        .await?;
        Ok::<_, AppError>((event, rows, sessions))
    }
    .await;
    let (event, mut rows, sessions) = match found {
        Ok(found) => found,
        Err(err) => return desk.failed(&state, err),
    };
    let more = rows.len() as u64 > PAGE;
    rows.truncate(PAGE as usize);
    let base = format!("/admin/events/{}/registrations", event.slug);
    let query = filter_query(&filter);
    let next_href = more
        .then(|| rows.last().map(|r| r.registration.id))
        .flatten()
        .map(|last| {
            let mut pairs = query.clone();
            pairs.push(("after".into(), last.to_string()));
            format!("{base}?{}", query_string(&pairs))
        });
    let page = ListPage {
        c: desk.event_chrome(req, &event, "registrations"),
        m: m.clone(),
        action: format!("{base}?{}", query_string(&query)),
        statuses: std::iter::once(SelectOption {
            value: String::new(),
            label: m.t("console-all"),
            selected: filter.status.is_none(),
        })
        .chain(RegistrationStatus::ALL.iter().map(|s| SelectOption {
            value: s.as_str().to_owned(),
            label: status_text(m, *s),
            selected: filter.status == Some(*s),
        }))
        .collect(),
        categories: std::iter::once(SelectOption {
            value: String::new(),
            label: m.t("console-all"),
            selected: filter.category.is_none(),
        })
        .chain(Category::ALL.iter().map(|c| SelectOption {
            value: c.as_str().to_owned(),
            label: m.t(&format!("category-{}", c.as_str())),
            selected: filter.category.as_deref() == Some(c.as_str()),
        }))
        .collect(),
        sessions: std::iter::once(SelectOption {
            value: String::new(),
            label: m.t("console-all"),
            selected: filter.session_id.is_none(),
        })
        .chain(sessions.iter().map(|s| {
            SelectOption {
                value: s.session.id.to_string(),
                label: Texts::new(&s.session.translations, &m.language)
                    .text("title", &s.session.title)
                    .to_owned(),
                selected: filter.session_id == Some(s.session.id),
            }
        }))
        .collect(),
        q: filter.search.clone().unwrap_or_default(),
        rows: rows.iter().map(|r| row(m, &event, r)).collect(),
        next_href,
        csv_href: format!("{base}.csv?{}", query_string(&query)),
        badges_href: format!(
            "/admin/events/{}/badges.pdf{}",
            event.slug,
            filter
                .category
                .as_ref()
                .map(|c| format!("?category={}", encode(c)))
                .unwrap_or_default()
        ),
        notice: notice(m, req),
    };
    desk.page(&state, StatusCode::OK, page.render())
}

/// An organizer's decision, from the form's `action`.
#[derive(Clone, Copy)]
enum Decision {
    Approve,
    Reject,
}

impl Decision {
    fn parse(text: &str) -> Option<Decision> {
        match text {
            "approve" => Some(Decision::Approve),
            "reject" => Some(Decision::Reject),
            _ => None,
        }
    }

    fn done(self) -> &'static str {
        match self {
            Decision::Approve => "approved",
            Decision::Reject => "rejected",
        }
    }
}

async fn decide(
    state: &AppState,
    event: &str,
    id: Uuid,
    decision: Decision,
) -> Result<(), AppError> {
    match decision {
        Decision::Approve => registrations_app::approve(state, event, id).await.map(drop),
        Decision::Reject => registrations_app::reject(state, event, id).await.map(drop),
    }
}

/// `POST /admin/events/{event}/registrations`: approves or rejects the ticked registrations,
/// one by one (one that cannot be decided is counted, the others still are).
#[handler]
pub async fn decide_many(
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
    let base = format!("/admin/events/{}/registrations", event.slug);
    let posted = Posted::parse(&body);
    if !posted.csrf_ok(verifier) {
        return refused_form(&state, req, &desk, &base);
    }
    let Some(decision) = Decision::parse(&posted.value("action")) else {
        return done(&base);
    };
    let reference = event.id.to_string();
    let (mut decided, mut failed) = (0, 0);
    for id in posted.values("ids") {
        let Ok(id) = id.parse::<Uuid>() else {
            failed += 1;
            continue;
        };
        match decide(&state, &reference, id, decision).await {
            Ok(()) => decided += 1,
            Err(AppError::Refused(_) | AppError::NotFound(_) | AppError::Invalid(_)) => failed += 1,
            Err(err) => return desk.failed(&state, err),
        }
    }
    let mut query = filter_query(&filter_of(req));
    query.push(("done".into(), decision.done().into()));
    query.push(("count".into(), decided.to_string()));
    query.push(("failed".into(), failed.to_string()));
    done(&format!("{base}?{}", query_string(&query)))
}

/// `GET /admin/events/{event}/registrations.csv`: every match of the filters as CSV.
#[handler]
pub async fn export(
    req: &Request,
    state: Data<&AppState>,
    csrf: &CsrfToken,
    Path(reference): Path<String>,
) -> Response {
    let desk = match Desk::of(&state, req, csrf).await {
        Ok(desk) => desk,
        Err(response) => return response,
    };
    let reference = reference.trim_end_matches(".csv");
    let filter = filter_of(req);
    let csv = async {
        let (event, rows) = registrations_app::list(&state, reference, &filter, None, None).await?;
        crate::api::registration_export::to_csv(&rows, &event).map(|csv| (event, csv))
    }
    .await;
    match csv {
        Ok((event, csv)) => crate::web::delegate_cookie::private(
            Response::builder()
                .content_type("text/csv; charset=utf-8")
                .header(
                    "Content-Disposition",
                    format!("attachment; filename=\"registrations-{}.csv\"", event.slug),
                )
                .body(csv),
        ),
        Err(err) => desk.failed(&state, err),
    }
}

/// `GET /admin/events/{event}/registrations/{id}`: one delegate.
#[handler]
pub async fn delegate(
    req: &Request,
    state: Data<&AppState>,
    csrf: &CsrfToken,
    Path((reference, id)): Path<(String, String)>,
) -> Response {
    let desk = match Desk::of(&state, req, csrf).await {
        Ok(desk) => desk,
        Err(response) => return response,
    };
    let Ok(id) = id.parse::<Uuid>() else {
        return desk.failed(&state, AppError::NotFound("registration"));
    };
    let m = &desk.m;
    let found = async {
        let (event, r) = registrations_app::find(&state, &reference, id).await?;
        let (_, sessions) = sessions_app::list(
            &state,
            &event.id.to_string(),
            super::ORGANIZERS,
            SessionQuery::default(),
            None,
            1000,
        )
        .await?;
        Ok::<_, AppError>((event, r, sessions))
    }
    .await;
    let (event, r, sessions) = match found {
        Ok(found) => found,
        Err(err) => return desk.failed(&state, err),
    };
    let reg = &r.registration;
    let erased = reg.erased_at.is_some();
    let badge_svg = if reg.status == RegistrationStatus::Confirmed && !erased {
        crate::app::badges::svg(&state, &r, &event).await.ok()
    } else {
        None
    };
    let badge_svg = badge_svg.map(|svg| {
        svg.replacen(
            "<svg ",
            "<svg role=\"img\" aria-label=\"badge\" class=\"badge-preview\" ",
            1,
        )
    });
    let chosen = r
        .choices
        .iter()
        .map(|choice| Chosen {
            title: sessions
                .iter()
                .find(|s| s.session.id == choice.session_id)
                .map(|s| {
                    Texts::new(&s.session.translations, &m.language)
                        .text("title", &s.session.title)
                        .to_owned()
                })
                .unwrap_or_default(),
            status: m.t(&format!("console-reg-{}", choice.status.as_str())),
        })
        .collect();
    let base = format!("/admin/events/{}/registrations/{}", event.slug, reg.id);
    let page = DelegatePage {
        c: desk.event_chrome(req, &event, "registrations"),
        m: m.clone(),
        r: row(m, &event, &r),
        position: reg.position.clone().unwrap_or_default(),
        country: reg
            .country
            .as_deref()
            .map(|c| crate::domain::country::display(c, &m.language))
            .unwrap_or_default(),
        locale: m.language_name(&reg.locale),
        erased,
        can_approve: reg.status == RegistrationStatus::Pending,
        can_reject: matches!(
            reg.status,
            RegistrationStatus::Pending
                | RegistrationStatus::Waitlisted
                | RegistrationStatus::Confirmed
        ) && !erased,
        badge_svg,
        badge_pdf: format!("{base}/badge.pdf"),
        chosen,
        action: base.clone(),
        erase_href: format!("{base}/erase"),
        notice: notice(m, req),
    };
    desk.page(&state, StatusCode::OK, page.render())
}

/// `POST /admin/events/{event}/registrations/{id}` with `action=approve|reject`.
#[handler]
pub async fn decide_one(
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
    let back = format!("/admin/events/{reference}/registrations/{id}");
    let posted = Posted::parse(&body);
    if !posted.csrf_ok(verifier) {
        return refused_form(&state, req, &desk, &back);
    }
    let (Ok(id), Some(decision)) = (id.parse::<Uuid>(), Decision::parse(&posted.value("action")))
    else {
        return desk.failed(&state, AppError::NotFound("registration"));
    };
    match decide(&state, &reference, id, decision).await {
        Ok(()) => done(&format!("{back}?done={}", decision.done())),
        Err(AppError::Refused(refusal)) => {
            desk.not_done(&state, req, StatusCode::CONFLICT, refusal.detail, back)
        }
        Err(err) => desk.failed(&state, err),
    }
}

async fn erase_page(
    state: &AppState,
    req: &Request,
    desk: &Desk,
    reference: &str,
    id: &str,
    missing_confirmation: bool,
) -> Response {
    let Ok(id) = id.parse::<Uuid>() else {
        return desk.failed(state, AppError::NotFound("registration"));
    };
    match registrations_app::find(state, reference, id).await {
        Ok((event, r)) => {
            let base = format!("/admin/events/{}/registrations/{}", event.slug, id);
            let page = ErasePage {
                c: desk.event_chrome(req, &event, "registrations"),
                m: desk.m.clone(),
                name: r.registration.full_name.clone(),
                action: format!("{base}/erase"),
                back: base,
                missing_confirmation,
            };
            let status = if missing_confirmation {
                StatusCode::UNPROCESSABLE_ENTITY
            } else {
                StatusCode::OK
            };
            desk.page(state, status, page.render())
        }
        Err(err) => desk.failed(state, err),
    }
}

/// `GET /admin/events/{event}/registrations/{id}/erase`: the confirmation step.
#[handler]
pub async fn erase_form(
    req: &Request,
    state: Data<&AppState>,
    csrf: &CsrfToken,
    Path((reference, id)): Path<(String, String)>,
) -> Response {
    match Desk::of(&state, req, csrf).await {
        Ok(desk) => erase_page(&state, req, &desk, &reference, &id, false).await,
        Err(response) => response,
    }
}

/// `POST /admin/events/{event}/registrations/{id}/erase` with `confirm=yes`: erases the
/// delegate's personal data (the seat is freed, counts and the scan log stay).
#[handler]
pub async fn erase(
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
    let posted = Posted::parse(&body);
    if !posted.csrf_ok(verifier) {
        let back = format!("/admin/events/{reference}/registrations/{id}");
        return refused_form(&state, req, &desk, &back);
    }
    if !posted.ticked("confirm") {
        return erase_page(&state, req, &desk, &reference, &id, true).await;
    }
    let Ok(registration) = id.parse::<Uuid>() else {
        return desk.failed(&state, AppError::NotFound("registration"));
    };
    match registrations_app::erase(&state, &reference, registration).await {
        Ok(()) => done(&format!(
            "/admin/events/{reference}/registrations?done=erased&count=1"
        )),
        Err(err) => desk.failed(&state, err),
    }
}
