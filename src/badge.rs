//! Printable badges: an A6 portrait card with the event title, the delegate's name,
//! organization and country, a band coloured by category, and the QR code of the badge code.
//! Rendered as SVG, and as PNG through resvg with embedded DejaVu Sans (which covers Turkmen
//! and Cyrillic letters), so the result does not depend on the fonts of the machine.

use std::sync::{Arc, OnceLock};

use qrcode::{Color, EcLevel, QrCode, Version};

use crate::domain::enums::Category;

/// The largest QR version a badge may need (small versions scan fast).
pub const MAX_QR_VERSION: i16 = 6;
/// PNG resolution.
pub const PNG_DPI: f32 = 200.0;

const WIDTH_MM: f32 = 105.0;
const HEIGHT_MM: f32 = 148.0;
const QR_SIZE_MM: f32 = 56.0;

/// What a badge shows.
pub struct BadgeContent<'a> {
    pub event_title: &'a str,
    pub full_name: &'a str,
    pub organization: Option<&'a str>,
    pub country: Option<&'a str>,
    pub category: Category,
    /// The category's name in the delegate's language (the band's text).
    pub category_label: &'a str,
    /// The band's colour the event chose for the category (`#rrggbb`); none: the standard.
    pub band_color: Option<&'a str>,
    pub code: &'a str,
}

/// Why a badge could not be drawn.
#[derive(Debug, thiserror::Error)]
pub enum BadgeError {
    #[error("the badge code does not fit a QR code: {0}")]
    Qr(String),
    #[error("the badge code needs QR version {0}, more than {MAX_QR_VERSION}")]
    TooLarge(i16),
    #[error("the badge could not be rasterized: {0}")]
    Raster(String),
}

/// The standard band colour of a category (an event may set its own).
pub fn standard_color(category: Category) -> &'static str {
    band(category)
}

/// The band colour of a category.
fn band(category: Category) -> &'static str {
    match category {
        Category::Delegate => "#1F6FEB",
        Category::Speaker => "#C0392B",
        Category::Press => "#F39C12",
        Category::Observer => "#7F8C8D",
        Category::Organizer => "#16A085",
        Category::Staff => "#2C3E50",
    }
}

/// The QR code of a badge code, at error correction M; refused above [`MAX_QR_VERSION`].
pub fn qr(code: &str) -> Result<QrCode, BadgeError> {
    let qr = QrCode::with_error_correction_level(code.as_bytes(), EcLevel::M)
        .map_err(|e| BadgeError::Qr(e.to_string()))?;
    match qr.version() {
        Version::Normal(v) if v <= MAX_QR_VERSION => Ok(qr),
        Version::Normal(v) | Version::Micro(v) => Err(BadgeError::TooLarge(v)),
    }
}

/// The badge as an SVG document (A6, millimetre units).
pub fn svg(content: &BadgeContent<'_>) -> Result<String, BadgeError> {
    let qr = qr(content.code)?;
    let color = content.band_color.unwrap_or(band(content.category));
    let label = escape(&content.category_label.to_uppercase());
    let mut out = String::with_capacity(16 * 1024);
    out.push_str(&format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH_MM}mm" height="{HEIGHT_MM}mm" viewBox="0 0 {WIDTH_MM} {HEIGHT_MM}" font-family="DejaVu Sans">"#
    ));
    out.push_str(&format!(
        r#"<rect width="{WIDTH_MM}" height="{HEIGHT_MM}" fill="white"/><rect width="{WIDTH_MM}" height="20" fill="{color}"/>"#
    ));
    out.push_str(&format!(
        r#"<text x="52.5" y="13" font-size="7" font-weight="bold" fill="white" text-anchor="middle">{label}</text>"#
    ));
    let mut y = 30.0;
    for line in wrap(content.event_title, 34, 2) {
        out.push_str(&text_line(&line, y, 4.6, false, "#444444"));
        y += 5.6;
    }
    y += 6.0;
    for line in wrap(content.full_name, 20, 2) {
        out.push_str(&text_line(&line, y, 8.0, true, "#111111"));
        y += 9.5;
    }
    if let Some(organization) = content.organization.filter(|o| !o.trim().is_empty()) {
        for line in wrap(organization, 30, 2) {
            out.push_str(&text_line(&line, y, 5.0, false, "#222222"));
            y += 6.0;
        }
    }
    if let Some(country) = content.country.filter(|c| !c.trim().is_empty()) {
        out.push_str(&text_line(country, y, 4.6, false, "#555555"));
    }
    out.push_str(&qr_path(&qr));
    out.push_str("</svg>");
    Ok(out)
}

/// The badge as a PNG image at [`PNG_DPI`].
pub fn png(content: &BadgeContent<'_>) -> Result<Vec<u8>, BadgeError> {
    png_of_svg(&svg(content)?)
}

/// A badge drawn by [`svg`] as a PNG image at [`PNG_DPI`] (milliseconds of CPU: callers on
/// async threads run it on a blocking thread).
pub fn png_of_svg(svg: &str) -> Result<Vec<u8>, BadgeError> {
    let options = resvg::usvg::Options {
        fontdb: fonts(),
        ..Default::default()
    };
    let tree = resvg::usvg::Tree::from_str(svg, &options)
        .map_err(|e| BadgeError::Raster(e.to_string()))?;
    let width = (WIDTH_MM / 25.4 * PNG_DPI).round() as u32;
    let height = (HEIGHT_MM / 25.4 * PNG_DPI).round() as u32;
    let mut pixmap = resvg::tiny_skia::Pixmap::new(width, height)
        .ok_or_else(|| BadgeError::Raster("empty image".into()))?;
    let scale = width as f32 / tree.size().width();
    resvg::render(
        &tree,
        resvg::tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    pixmap
        .encode_png()
        .map_err(|e| BadgeError::Raster(e.to_string()))
}

/// DejaVu Sans (it covers Turkmen and Cyrillic letters), embedded once for badges and PDFs.
pub static DEJAVU_SANS: &[u8] = include_bytes!("../assets/fonts/DejaVuSans.ttf");
/// DejaVu Sans Bold.
pub static DEJAVU_SANS_BOLD: &[u8] = include_bytes!("../assets/fonts/DejaVuSans-Bold.ttf");

/// The fonts badges are drawn with (DejaVu Sans, regular and bold), loaded once.
pub fn fonts() -> Arc<resvg::usvg::fontdb::Database> {
    static FONTS: OnceLock<Arc<resvg::usvg::fontdb::Database>> = OnceLock::new();
    FONTS
        .get_or_init(|| {
            let mut db = resvg::usvg::fontdb::Database::new();
            db.load_font_data(DEJAVU_SANS.to_vec());
            db.load_font_data(DEJAVU_SANS_BOLD.to_vec());
            db.set_sans_serif_family("DejaVu Sans");
            Arc::new(db)
        })
        .clone()
}

fn text_line(text: &str, y: f32, size: f32, bold: bool, fill: &str) -> String {
    let weight = if bold { r#" font-weight="bold""# } else { "" };
    format!(
        r#"<text x="52.5" y="{y:.1}" font-size="{size}"{weight} fill="{fill}" text-anchor="middle">{}</text>"#,
        escape(text)
    )
}

/// The QR modules as one path, centred at the bottom, with a quiet zone of 4 modules.
fn qr_path(qr: &QrCode) -> String {
    let width = qr.width();
    let module = QR_SIZE_MM / (width + 8) as f32;
    let left = (WIDTH_MM - QR_SIZE_MM) / 2.0;
    let top = HEIGHT_MM - QR_SIZE_MM - 6.0;
    let mut path = String::with_capacity(width * width * 8);
    for (index, color) in qr.to_colors().into_iter().enumerate() {
        if color == Color::Dark {
            let x = left + (index % width + 4) as f32 * module;
            let y = top + (index / width + 4) as f32 * module;
            path.push_str(&format!(
                "M{x:.3} {y:.3}h{module:.3}v{module:.3}h-{module:.3}z"
            ));
        }
    }
    format!(
        r#"<rect x="{left}" y="{top}" width="{QR_SIZE_MM}" height="{QR_SIZE_MM}" fill="white"/><path d="{path}" fill="black" shape-rendering="crispEdges"/>"#
    )
}

/// Splits text into at most `max_lines` lines of about `width` characters, by words.
pub fn wrap(text: &str, width: usize, max_lines: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    for word in text.split_whitespace() {
        if !current.is_empty() && current.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut current));
        }
        if !current.is_empty() {
            current.push(' ');
        }
        current.push_str(word);
    }
    if !current.is_empty() {
        lines.push(current);
    }
    if lines.len() > max_lines {
        let rest = lines.split_off(max_lines - 1).join(" ");
        let mut last: String = rest.chars().take(width.saturating_sub(1)).collect();
        last.push('…');
        lines.push(last);
    }
    lines
}

/// Escapes text for SVG/XML content and attributes.
pub fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_names_wrap_and_markup_is_escaped() {
        assert_eq!(
            wrap("Gurbanguly Berdimuhamedowiç Annamuhammedow", 20, 2).len(),
            2
        );
        assert_eq!(escape("A&B <c>"), "A&amp;B &lt;c&gt;");
    }
}
