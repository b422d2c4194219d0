//! Printable PDFs: badge sheets (four A6 badges on A4 with crop marks), single A6 badges,
//! and the agenda. Written with krilla; badge SVGs are converted by krilla-svg with their
//! text kept as real, searchable text.

mod agenda;
mod pages;
mod sheet;
mod text;

use krilla::Document;
use krilla::geom::Size;
use krilla::page::PageSettings;

pub use agenda::{AgendaDay, AgendaDocument, AgendaItem, agenda};
pub use sheet::{badge_sheets, certificates, single_badge};

/// Why a PDF could not be produced.
#[derive(Debug, thiserror::Error)]
pub enum PrintError {
    #[error("there is nothing to print")]
    NoBadges,
    #[error("badge {index} is not a valid SVG document: {message}")]
    Svg { index: usize, message: String },
    #[error("badge {index} could not be drawn")]
    Draw { index: usize },
    #[error("the font {0} could not be read")]
    Font(&'static str),
    #[error("invalid page geometry: {0}")]
    Geometry(&'static str),
    #[error("the PDF could not be written: {0}")]
    Pdf(String),
    #[error("page {index} could not be laid out: {message}")]
    Page { index: usize, message: String },
}

/// PDF points per millimetre.
const PT_PER_MM: f32 = 72.0 / 25.4;

/// A length in millimetres as PDF points.
const fn mm(value: f32) -> f32 {
    value * PT_PER_MM
}

/// A4 portrait, in points.
const A4: (f32, f32) = (mm(210.0), mm(297.0));
/// A6 portrait (one badge), in points.
const A6: (f32, f32) = (mm(105.0), mm(148.0));

/// Page settings for a page of `size` points.
fn page_settings(size: (f32, f32)) -> Result<PageSettings, PrintError> {
    Size::from_wh(size.0, size.1)
        .map(PageSettings::new)
        .ok_or(PrintError::Geometry("page size"))
}

/// Serializes a finished document.
fn finish(document: Document) -> Result<Vec<u8>, PrintError> {
    document
        .finish()
        .map_err(|e| PrintError::Pdf(e.to_string()))
}
