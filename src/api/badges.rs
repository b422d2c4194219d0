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
use crate::application::AppState;
use crate::error::AppError;
use crate::store::registrations::RegistrationRow;

pub use crate::app::badges::code_for;

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
        Ok(SvgBadge::Svg(
            PlainText(self.svg(&row, &event).await?),
            private(),
        ))
    }

    /// My badge (PNG)
    #[oai(
        path = "/registrations/me/badge.png",
        method = "get",
        operation_id = "my_badge_png"
    )]
    async fn my_png(&self, auth: DelegateAuth) -> Result<PngBadge, BadgeError> {
        let (row, event) = self.mine(&auth).await?;
        Ok(PngBadge::Png(
            Binary(self.png(&row, &event).await?),
            private(),
        ))
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
        Ok(SvgBadge::Svg(
            PlainText(self.svg(&row, &event).await?),
            private(),
        ))
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
        Ok(PngBadge::Png(
            Binary(self.png(&row, &event).await?),
            private(),
        ))
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

    async fn svg(&self, row: &RegistrationRow, event: &events::Model) -> Result<String, AppError> {
        crate::app::badges::svg(&self.state, row, event).await
    }

    async fn png(&self, row: &RegistrationRow, event: &events::Model) -> Result<Vec<u8>, AppError> {
        Ok(crate::app::badges::png(&self.state, row, event)
            .await?
            .to_vec())
    }
}
