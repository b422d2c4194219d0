//! Printable PDFs: sheets of badges for organizers (A4, four A6 badges a page with crop
//! marks), one badge (for the delegate with the manage token, or for organizers), and the
//! printable agenda for anyone (`ETag`/`304` like the feeds, kept per agenda version).

use poem_openapi::param::{Header, Path, Query};
use poem_openapi::payload::Binary;
use poem_openapi::{ApiResponse, OpenApi};

use super::ApiTags;
use super::auth::{DelegateAuth, OptionalAuth, OrganizerAuth};
use super::common::{cached_visible_event, path_id};
use super::enums::Category;
use crate::api_errors;
use crate::app::events::reader_language;
use crate::app::principal::Audience;
use crate::app::print::{self as print_app, BadgeSelection};
use crate::application::AppState;
use crate::domain::enums as domain;
use crate::pdf_cache::Fingerprint;

#[derive(ApiResponse)]
enum PrivatePdf {
    /// The PDF (fonts embedded, text searchable).
    #[oai(status = 200, content_type = "application/pdf")]
    Pdf(
        Binary<bytes::Bytes>,
        #[oai(header = "Cache-Control")] String,
        #[oai(header = "Content-Disposition")] String,
    ),
}

#[derive(ApiResponse)]
enum AgendaPdf {
    /// The printable agenda.
    #[oai(status = 200, content_type = "application/pdf")]
    Pdf(
        Binary<bytes::Bytes>,
        #[oai(header = "ETag")] String,
        #[oai(header = "Cache-Control")] String,
        #[oai(header = "Content-Language")] String,
        #[oai(header = "Vary")] String,
    ),
    /// Not modified since the `ETag` given in `If-None-Match`.
    #[oai(status = 304)]
    NotModified(#[oai(header = "ETag")] String),
}

api_errors!(
    enum PrintError {
        /// No or an unknown token.
        Unauthorized = 401,
        /// The token may not print this.
        Forbidden = 403,
        /// No such event or registration.
        NotFound = 404,
        /// Nothing to print: no confirmed registration matches, or it has no badge.
        Conflict = 409,
        /// A filter does not parse (`ids`).
        UnprocessableEntity = 422,
    }
);

api_errors!(
    enum AgendaPdfError {
        /// No such published event.
        NotFound = 404,
    }
);

/// Print operations.
pub struct PrintApi {
    pub state: AppState,
}

fn private() -> String {
    "private, no-store".into()
}

fn inline(name: &str) -> String {
    format!("inline; filename=\"{name}\"")
}

#[OpenApi(prefix_path = "/api/v1", tag = "ApiTags::Print")]
impl PrintApi {
    /// Badge sheets (PDF)
    ///
    /// A4 pages of four A6 badges with crop marks, of the event's confirmed registrations in
    /// registration order. Organizer token required.
    #[oai(
        path = "/events/:event/badges.pdf",
        method = "get",
        operation_id = "badge_sheets_pdf"
    )]
    async fn sheets(
        &self,
        _auth: OrganizerAuth,
        /// The event's id or slug.
        event: Path<String>,
        /// Only this category.
        category: Query<Option<Category>>,
        /// Only these registrations: ids separated by commas.
        ids: Query<Option<String>>,
    ) -> Result<PrivatePdf, PrintError> {
        let ids = match ids.0.filter(|i| !i.trim().is_empty()) {
            Some(ids) => Some(BadgeSelection::parse_ids(&ids)?),
            None => None,
        };
        let selection = BadgeSelection {
            category: category.0.map(domain::Category::from),
            ids,
        };
        let (event, pdf) = print_app::badge_sheets(&self.state, &event.0, &selection).await?;
        Ok(PrivatePdf::Pdf(
            Binary(pdf),
            private(),
            inline(&format!("badges-{}.pdf", event.slug)),
        ))
    }

    /// My badge (PDF)
    #[oai(
        path = "/registrations/me/badge.pdf",
        method = "get",
        operation_id = "my_badge_pdf"
    )]
    async fn mine(&self, auth: DelegateAuth) -> Result<PrivatePdf, PrintError> {
        let (row, event) = crate::app::registrations::mine(&self.state, auth.0).await?;
        let pdf = print_app::badge(&self.state, &row, &event).await?;
        Ok(PrivatePdf::Pdf(Binary(pdf), private(), inline("badge.pdf")))
    }

    /// A delegate's badge (PDF)
    #[oai(
        path = "/events/:event/registrations/:id/badge.pdf",
        method = "get",
        operation_id = "badge_pdf"
    )]
    async fn one(
        &self,
        _auth: OrganizerAuth,
        /// The event's id or slug.
        event: Path<String>,
        /// The registration's id.
        id: Path<String>,
    ) -> Result<PrivatePdf, PrintError> {
        let id = path_id(&id.0, "registration")?;
        let (event, row) = crate::app::registrations::find(&self.state, &event.0, id).await?;
        let pdf = print_app::badge(&self.state, &row, &event).await?;
        Ok(PrivatePdf::Pdf(
            Binary(pdf),
            private(),
            inline(&format!("badge-{id}.pdf")),
        ))
    }

    /// The printable agenda (PDF)
    ///
    /// A4, one local day after another, published sessions (and cancelled ones, marked),
    /// in the language of `?lang=` (then `Accept-Language`, then the event's default).
    #[oai(
        path = "/events/:event/agenda.pdf",
        method = "get",
        operation_id = "agenda_pdf"
    )]
    async fn agenda(
        &self,
        auth: OptionalAuth,
        /// The event's id or slug.
        event: Path<String>,
        /// The language of the texts: `tk`, `ru` or `en`.
        lang: Query<Option<String>>,
        #[oai(name = "Accept-Language")] accept_language: Header<Option<String>>,
        #[oai(name = "If-None-Match")] if_none_match: Header<Option<String>>,
    ) -> Result<AgendaPdf, AgendaPdfError> {
        let organizer = auth.is_organizer();
        let head = cached_visible_event(&self.state, &event.0, organizer).await?;
        let reader = reader_language(&head, lang.0.as_deref(), accept_language.0.as_deref());
        let variant = format!("agenda.pdf:{reader}");
        let mut version = Fingerprint::default();
        version.add(&head.agenda_version).add(&reader);
        let (body, etag) =
            print_app::kept_or_drawn(&self.state, head.id, variant, version.finish(), || async {
                print_app::agenda(
                    &self.state,
                    &head.id.to_string(),
                    Audience::of(organizer),
                    &reader,
                )
                .await
                .map(|(_, pdf)| pdf)
            })
            .await?;
        if crate::cache::names(if_none_match.0.as_deref(), &etag) {
            return Ok(AgendaPdf::NotModified(etag));
        }
        Ok(AgendaPdf::Pdf(
            Binary(body),
            etag,
            "public, no-cache".into(),
            reader,
            "Accept-Language".into(),
        ))
    }
}
