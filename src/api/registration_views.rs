//! How a registration is shown: the response objects (a registration, its session choices,
//! a page of them, the answer to registering) and the links a delegate is handed.

use chrono::{DateTime, FixedOffset};
use poem_openapi::Object;
use uuid::Uuid;

use entities::events;

use super::common::{event_tz, local};
use super::enums::{Category, ChoiceStatus, RegistrationStatus};
use crate::app::registrations::RecordedAnswer;
use crate::application::AppState;
use crate::domain::enums as domain;
use crate::error::AppError;
use crate::store::registrations::RegistrationRow;

/// The state of one chosen session.
#[derive(Object, Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct SessionChoice {
    pub session_id: Uuid,
    /// `confirmed`, `waitlisted`, or `pending` while the registration holds no seat.
    pub status: ChoiceStatus,
}

/// The answer to a registration: keep `manage_token`, it is shown only here.
#[derive(Object, Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct RegistrationCreated {
    pub id: Uuid,
    /// `confirmed`, `waitlisted` or `pending`.
    pub status: RegistrationStatus,
    pub sessions: Vec<SessionChoice>,
    /// Bearer token for `/api/v1/registrations/me`; shown once.
    #[serde(default)]
    pub manage_token: String,
    pub badge_url: String,
    pub calendar_url: String,
}

/// A registration as its delegate and the organizers see it.
#[derive(Object, Debug, Clone)]
pub struct Registration {
    pub id: Uuid,
    pub event_id: Uuid,
    pub full_name: String,
    pub email: String,
    pub organization: Option<String>,
    pub position: Option<String>,
    /// ISO 3166-1 alpha-2 country code (e.g. `TM`); a value stored before codes that names no
    /// country of the list is returned as it was written.
    pub country: Option<String>,
    pub category: Category,
    pub locale: String,
    pub status: RegistrationStatus,
    pub sessions: Vec<SessionChoice>,
    pub badge_url: String,
    /// The signed text of the badge's QR code (confirmed registrations only; no personal data).
    pub badge_code: Option<String>,
    /// The personal calendar feed (a secret link; rotate it to revoke).
    pub calendar_url: String,
    pub created_at: DateTime<FixedOffset>,
    pub updated_at: DateTime<FixedOffset>,
}

/// A page of registrations.
#[derive(Object, Debug)]
pub struct RegistrationPage {
    pub items: Vec<Registration>,
    pub next_cursor: Option<String>,
}

/// The choices of a registration, as shown to people: a choice that waits for its
/// registration's seat shows `waitlisted` while the registration is on the waiting list.
pub fn choices(row: &RegistrationRow) -> Result<Vec<SessionChoice>, AppError> {
    shown_choices(&RecordedAnswer::of(row))
}

/// [`choices`] of a recorded decision.
fn shown_choices(answer: &RecordedAnswer) -> Result<Vec<SessionChoice>, AppError> {
    let registration: domain::RegistrationStatus = answer.status;
    answer
        .sessions
        .iter()
        .map(|c| {
            let status: domain::ChoiceStatus = c.status;
            let shown = match (status, registration) {
                (domain::ChoiceStatus::Pending, domain::RegistrationStatus::Waitlisted) => {
                    domain::ChoiceStatus::Waitlisted
                }
                (status, _) => status,
            };
            Ok(SessionChoice {
                session_id: c.session_id,
                status: shown.into(),
            })
        })
        .collect()
}

/// Links a delegate is handed.
pub fn badge_url(state: &AppState) -> String {
    format!(
        "{}/api/v1/registrations/me/badge.svg",
        state.config.public_url
    )
}

pub use crate::app::registrations::calendar_url;

impl Registration {
    pub fn view(
        state: &AppState,
        row: &RegistrationRow,
        event: &events::Model,
    ) -> Result<Self, AppError> {
        let tz = event_tz(event)?;
        let r = &row.registration;
        Ok(Registration {
            id: r.id,
            event_id: r.event_id,
            full_name: r.full_name.clone(),
            email: r.email.clone(),
            organization: r.organization.clone(),
            position: r.position.clone(),
            country: r.country.clone(),
            category: r.category.into(),
            locale: r.locale.clone(),
            status: r.status.into(),
            sessions: choices(row)?,
            badge_url: badge_url(state),
            badge_code: (r.status == domain::RegistrationStatus::Confirmed)
                .then(|| super::badges::code_for(state, r.event_id, r.id)),
            calendar_url: calendar_url(state, r.id, r.calendar_generation),
            created_at: local(r.created_at, tz),
            updated_at: local(r.updated_at, tz),
        })
    }
}

pub(super) fn created_body(
    state: &AppState,
    decision: &RecordedAnswer,
    registration_id: Uuid,
    manage_token: String,
) -> Result<RegistrationCreated, AppError> {
    Ok(RegistrationCreated {
        id: registration_id,
        status: decision.status.into(),
        sessions: shown_choices(decision)?,
        manage_token,
        badge_url: badge_url(state),
        // The link as it was when the registration was made (generation 0).
        calendar_url: calendar_url(state, registration_id, 0),
    })
}
