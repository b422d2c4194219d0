//! The CSV export of an event's registrations: the list operation's answer (JSON pages, or
//! every match as CSV when the client asks for `text/csv`) and the CSV it writes.

use poem::Response;
use poem_openapi::ApiResponse;
use poem_openapi::registry::{MetaMediaType, MetaResponse, MetaResponses, Registry};
use poem_openapi::types::{ToJSON, Type};

use entities::events;

use super::common::{event_tz, local};
use super::registration_views::{RegistrationPage, choices};
use crate::domain::enums as domain;
use crate::error::AppError;
use crate::store::registrations::RegistrationRow;

/// The registration list as JSON, or as CSV when the client asks for `text/csv`.
pub enum ListResponse {
    Json(RegistrationPage),
    Csv(String),
}

impl poem::IntoResponse for ListResponse {
    fn into_response(self) -> Response {
        match self {
            ListResponse::Json(page) => Response::builder()
                .content_type("application/json; charset=utf-8")
                .body(page.to_json_string()),
            ListResponse::Csv(text) => Response::builder()
                .content_type("text/csv; charset=utf-8")
                .header(
                    "Content-Disposition",
                    "attachment; filename=\"registrations.csv\"",
                )
                .body(text),
        }
    }
}

impl ApiResponse for ListResponse {
    fn meta() -> MetaResponses {
        MetaResponses {
            responses: vec![MetaResponse {
                description: "The registrations: JSON pages, or every match as CSV (UTF-8 with a \
                              byte order mark) when `Accept: text/csv`.",
                status: Some(200),
                status_range: None,
                content: vec![
                    MetaMediaType {
                        content_type: "application/json; charset=utf-8",
                        schema: RegistrationPage::schema_ref(),
                    },
                    MetaMediaType {
                        content_type: "text/csv; charset=utf-8",
                        schema: String::schema_ref(),
                    },
                ],
                headers: vec![],
            }],
        }
    }

    fn register(registry: &mut Registry) {
        RegistrationPage::register(registry);
    }
}

/// A text a delegate typed, safe in a spreadsheet: a cell whose first character that is not
/// white space would start a formula (`=`, `+`, `-`, `@`), or that starts with a tab or
/// carriage return, gets a leading apostrophe, which spreadsheets show as text and do not run
/// (spreadsheets skip leading spaces before a formula).
fn cell(text: &str) -> String {
    let first_visible = text.trim_start().chars().next();
    if text.starts_with(['\t', '\r']) || matches!(first_visible, Some('=' | '+' | '-' | '@')) {
        format!("'{text}")
    } else {
        text.to_owned()
    }
}

pub fn to_csv(rows: &[RegistrationRow], event: &events::Model) -> Result<String, AppError> {
    let tz = event_tz(event)?;
    let mut writer = csv::Writer::from_writer(Vec::new());
    let header = [
        "id",
        "status",
        "full_name",
        "email",
        "organization",
        "position",
        "country",
        "category",
        "locale",
        "sessions",
        "registered_at",
    ];
    let fail = |e: csv::Error| AppError::unexpected(e.to_string());
    writer.write_record(header).map_err(fail)?;
    for row in rows {
        let r = &row.registration;
        let sessions: Vec<String> = choices(row)?
            .iter()
            .map(|c| format!("{}:{}", c.session_id, domain::ChoiceStatus::from(c.status)))
            .collect();
        writer
            .write_record([
                r.id.to_string(),
                r.status.to_string(),
                cell(&r.full_name),
                cell(&r.email),
                cell(r.organization.as_deref().unwrap_or_default()),
                cell(r.position.as_deref().unwrap_or_default()),
                cell(r.country.as_deref().unwrap_or_default()),
                r.category.to_string(),
                r.locale.clone(),
                sessions.join(" "),
                local(r.created_at, tz).to_rfc3339(),
            ])
            .map_err(fail)?;
    }
    let bytes = writer
        .into_inner()
        .map_err(|e| AppError::unexpected(e.to_string()))?;
    let text = String::from_utf8(bytes).map_err(|e| AppError::unexpected(e.to_string()))?;
    Ok(format!("\u{feff}{text}"))
}
