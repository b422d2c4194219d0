//! Printable badges (SVG and PNG) for the delegate (manage token) and for organizers. Only
//! confirmed registrations have a badge; the QR code carries the signed badge code, never
//! personal data.

use poem_openapi::param::Path;
use poem_openapi::payload::{Binary, PlainText};
use poem_openapi::{ApiResponse, OpenApi};

use entities::events;

use super::ApiTags;
use super::auth::{DelegateAuth, OrganizerAuth};
use super::common::path_id;
use crate::api_errors;
use crate::app::events::reader_language;
use crate::application::AppState;
use crate::badge::{self, BadgeContent};
use crate::domain::badge_code;
use crate::domain::enums::RegistrationStatus;
use crate::domain::language::Texts;
use crate::error::AppError;
use crate::store::registrations::RegistrationRow;

/// The badge code of a registration, signed with the active key.
pub fn code_for(state: &AppState, event_id: uuid::Uuid, registration_id: uuid::Uuid) -> String {
    let keyring = state.keyring();
    badge_code::issue(
        &keyring.active,
        keyring.active_kid,
        event_id,
        registration_id,
    )
}

#[derive(ApiResponse)]
enum SvgBadge {
    /// An A6 badge as SVG.
    #[oai(status = 200, content_type = "image/svg+xml")]
    Svg(PlainText<String>, #[oai(header = "Cache-Control")] String),
}

#[derive(ApiResponse)]
enum PngBadge {
    /// An A6 badge as PNG (200 dpi).
    #[oai(status = 200, content_type = "image/png")]
    Png(Binary<Vec<u8>>, #[oai(header = "Cache-Control")] String),
}

api_errors!(
    enum BadgeError {
        /// No or an unknown token.
        Unauthorized = 401,
        /// The token may not read this badge.
        Forbidden = 403,
        /// No such event or registration.
        NotFound = 404,
        /// The registration is not confirmed, so it has no badge.
        Conflict = 409,
    }
);

/// Badge operations.
pub struct BadgesApi {
    pub state: AppState,
}

#[OpenApi(prefix_path = "/api/v1", tag = "ApiTags::Badges")]
impl BadgesApi {
    /// My badge (SVG)
    #[oai(
        path = "/registrations/me/badge.svg",
        method = "get",
        operation_id = "my_badge_svg"
    )]
    async fn my_svg(&self, auth: DelegateAuth) -> Result<SvgBadge, BadgeError> {
        let (row, event) = self.mine(&auth).await?;
        Ok(SvgBadge::Svg(PlainText(self.svg(&row, &event)?), private()))
    }

    /// My badge (PNG)
    #[oai(
        path = "/registrations/me/badge.png",
        method = "get",
        operation_id = "my_badge_png"
    )]
    async fn my_png(&self, auth: DelegateAuth) -> Result<PngBadge, BadgeError> {
        let (row, event) = self.mine(&auth).await?;
        Ok(PngBadge::Png(Binary(self.png(&row, &event)?), private()))
    }

    /// A delegate's badge (SVG)
    #[oai(
        path = "/events/:event/registrations/:id/badge.svg",
        method = "get",
        operation_id = "badge_svg"
    )]
    async fn svg_for(
        &self,
        _auth: OrganizerAuth,
        /// The event's id or slug.
        event: Path<String>,
        /// The registration's id.
        id: Path<String>,
    ) -> Result<SvgBadge, BadgeError> {
        let (row, event) = self.organizers(&event.0, &id.0).await?;
        Ok(SvgBadge::Svg(PlainText(self.svg(&row, &event)?), private()))
    }

    /// A delegate's badge (PNG)
    #[oai(
        path = "/events/:event/registrations/:id/badge.png",
        method = "get",
        operation_id = "badge_png"
    )]
    async fn png_for(
        &self,
        _auth: OrganizerAuth,
        /// The event's id or slug.
        event: Path<String>,
        /// The registration's id.
        id: Path<String>,
    ) -> Result<PngBadge, BadgeError> {
        let (row, event) = self.organizers(&event.0, &id.0).await?;
        Ok(PngBadge::Png(Binary(self.png(&row, &event)?), private()))
    }
}

fn private() -> String {
    "private, no-store".into()
}

impl BadgesApi {
    async fn mine(
        &self,
        auth: &DelegateAuth,
    ) -> Result<(RegistrationRow, events::Model), AppError> {
        crate::app::registrations::mine(&self.state, auth.0).await
    }

    async fn organizers(
        &self,
        event: &str,
        id: &str,
    ) -> Result<(RegistrationRow, events::Model), AppError> {
        let (event, row) =
            crate::app::registrations::find(&self.state, event, path_id(id, "registration")?)
                .await?;
        Ok((row, event))
    }

    fn content<'a>(
        &self,
        row: &'a RegistrationRow,
        event: &'a events::Model,
        code: &'a str,
    ) -> Result<BadgeContent<'a>, AppError> {
        let status: RegistrationStatus = row.registration.status;
        if status != RegistrationStatus::Confirmed {
            return Err(AppError::refused(format!(
                "only confirmed registrations have a badge; this one is {status}"
            )));
        }
        // The event's title in the delegate's language, where the event has it.
        let language = reader_language(event, Some(&row.registration.locale), None);
        Ok(BadgeContent {
            event_title: Texts::new(&event.translations, &language).text("title", &event.title),
            full_name: &row.registration.full_name,
            organization: row.registration.organization.as_deref(),
            country: row.registration.country.as_deref(),
            category: row.registration.category,
            code,
        })
    }

    fn svg(&self, row: &RegistrationRow, event: &events::Model) -> Result<String, AppError> {
        let code = code_for(&self.state, event.id, row.registration.id);
        badge::svg(&self.content(row, event, &code)?)
            .map_err(|e| AppError::unexpected(e.to_string()))
    }

    fn png(&self, row: &RegistrationRow, event: &events::Model) -> Result<Vec<u8>, AppError> {
        let code = code_for(&self.state, event.id, row.registration.id);
        badge::png(&self.content(row, event, &code)?)
            .map_err(|e| AppError::unexpected(e.to_string()))
    }
}
