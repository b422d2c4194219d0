//! Printing from the console: the print page (badge sheets by category, the agenda in each
//! language), the badge sheets PDF and one delegate's badge PDF, with the sign-in cookie
//! rather than a bearer token.

use askama::Template;
use poem::http::StatusCode;
use poem::web::{CsrfToken, Data, Path};
use poem::{Request, Response, handler};
use uuid::Uuid;

use super::{ConsoleChrome, Desk, query_value};
use crate::app::print::{self as print_app, BadgeSelection};
use crate::application::AppState;
use crate::domain::enums::Category;
use crate::domain::language::SUPPORTED;
use crate::error::AppError;
use crate::web::delegate_cookie::private;
use crate::web::forms::SelectOption;
use crate::web::i18n::Messages;

#[derive(Template)]
#[template(path = "console/print.html")]
struct PrintPage {
    c: ConsoleChrome,
    m: Messages,
    badges_action: String,
    categories: Vec<SelectOption>,
    agendas: Vec<SelectOption>,
}

/// A PDF answer, private, downloaded under `filename`.
pub fn pdf(bytes: impl Into<poem::Body>, filename: &str) -> Response {
    private(
        Response::builder()
            .content_type("application/pdf")
            .header(
                "Content-Disposition",
                format!("inline; filename=\"{filename}\""),
            )
            .body(bytes),
    )
}

/// `GET /admin/events/{event}/print`.
#[handler]
pub async fn print_page(
    req: &Request,
    state: Data<&AppState>,
    csrf: &CsrfToken,
    Path(reference): Path<String>,
) -> Response {
    let (desk, event) = match Desk::with_event(&state, req, csrf, &reference).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let m = &desk.m;
    let page = PrintPage {
        c: desk.event_chrome(req, &event, "print"),
        m: m.clone(),
        badges_action: format!("/admin/events/{}/badges.pdf", event.slug),
        categories: std::iter::once(SelectOption {
            value: String::new(),
            label: m.t("console-all"),
            selected: true,
        })
        .chain(Category::ALL.iter().map(|c| SelectOption {
            value: c.as_str().to_owned(),
            label: m.t(&format!("category-{}", c.as_str())),
            selected: false,
        }))
        .collect(),
        agendas: SUPPORTED
            .iter()
            .map(|lang| SelectOption {
                value: format!("/api/v1/events/{}/agenda.pdf?lang={lang}", event.slug),
                label: m.language_name(lang),
                selected: false,
            })
            .collect(),
    };
    desk.page(&state, StatusCode::OK, page.render())
}

/// The badges a query picks: `?category=` and `?ids=` (comma-separated).
pub fn selection(category: Option<&str>, ids: Option<&str>) -> Result<BadgeSelection, AppError> {
    use crate::domain::validation::ValidationErrors;
    let category = match category.filter(|c| !c.is_empty()) {
        Some(c) => Some(
            c.parse::<Category>()
                .map_err(|e| ValidationErrors::single("category", e.to_string()))?,
        ),
        None => None,
    };
    let ids = match ids.filter(|i| !i.is_empty()) {
        Some(ids) => Some(BadgeSelection::parse_ids(ids)?),
        None => None,
    };
    Ok(BadgeSelection { category, ids })
}

/// `GET /admin/events/{event}/badges.pdf?category=&ids=`.
#[handler]
pub async fn badge_sheets(
    req: &Request,
    state: Data<&AppState>,
    csrf: &CsrfToken,
    Path(reference): Path<String>,
) -> Response {
    let desk = match Desk::of(&state, req, csrf).await {
        Ok(desk) => desk,
        Err(response) => return response,
    };
    let category = query_value(req, "category");
    let ids = query_value(req, "ids");
    let result = match selection(category.as_deref(), ids.as_deref()) {
        Ok(selection) => print_app::badge_sheets(&state, &reference, &selection).await,
        Err(err) => Err(err),
    };
    match result {
        Ok((event, bytes)) => pdf(bytes, &format!("badges-{}.pdf", event.slug)),
        Err(err @ (AppError::Refused(_) | AppError::Invalid(_))) => {
            let status = if matches!(err, AppError::Refused(_)) {
                StatusCode::CONFLICT
            } else {
                StatusCode::UNPROCESSABLE_ENTITY
            };
            let back = format!("/admin/events/{reference}/print");
            desk.not_done(&state, req, status, err.to_string(), back)
        }
        Err(err) => desk.failed(&state, err),
    }
}

/// `GET /admin/events/{event}/registrations/{id}/badge.pdf`.
#[handler]
pub async fn one_badge(
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
    let result = async {
        let (event, row) = crate::app::registrations::find(&state, &reference, id).await?;
        print_app::badge(&state, &row, &event).await
    }
    .await;
    match result {
        Ok(bytes) => pdf(bytes, &format!("badge-{id}.pdf")),
        Err(err) => desk.failed(&state, err),
    }
}
