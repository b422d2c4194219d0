//! The certificate of attendance as an SVG page (A4 landscape, millimetre units): the title,
//! the holder, the event with its dates and place, the partner organizations, the hours and
//! topics, the number, and a QR code of the verification link. Printed to PDF by
//! [`crate::print::certificates`] with its text kept as real text; the words come in the
//! delegate's language from the caller.

use qrcode::{Color, EcLevel, QrCode};

use crate::badge::{escape, wrap};

const WIDTH_MM: f32 = 297.0;
const HEIGHT_MM: f32 = 210.0;
const QR_SIZE_MM: f32 = 38.0;
const CENTRE: f32 = WIDTH_MM / 2.0;

/// What a certificate shows, in its language.
pub struct CertificateContent<'a> {
    /// "Certificate of attendance".
    pub heading: &'a str,
    /// "This certifies that".
    pub certifies: &'a str,
    pub full_name: &'a str,
    /// "attended the training course".
    pub attended: &'a str,
    pub event_title: &'a str,
    /// Dates and place, one line.
    pub when_where: &'a str,
    /// "28 hours of training: …" (the hours and the topics).
    pub hours_line: &'a str,
    pub topics: &'a [String],
    /// "With the partners:" and their names.
    pub partners_label: &'a str,
    pub partners: &'a [String],
    /// "No. DIALOGUE-2026-0001".
    pub number_line: &'a str,
    /// "Verify at" and the link the QR code carries.
    pub verify_label: &'a str,
    pub verify_url: &'a str,
}

/// Why a certificate could not be laid out.
#[derive(Debug, thiserror::Error)]
#[error("the verification link does not fit a QR code: {0}")]
pub struct LayoutError(String);

/// The page as an SVG document.
pub fn svg(c: &CertificateContent<'_>) -> Result<String, LayoutError> {
    let qr = QrCode::with_error_correction_level(c.verify_url.as_bytes(), EcLevel::M)
        .map_err(|e| LayoutError(e.to_string()))?;
    let mut out = String::with_capacity(32 * 1024);
    out.push_str(&format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH_MM}mm" height="{HEIGHT_MM}mm" viewBox="0 0 {WIDTH_MM} {HEIGHT_MM}" font-family="DejaVu Sans">"#
    ));
    out.push_str(&format!(
        r##"<rect width="{WIDTH_MM}" height="{HEIGHT_MM}" fill="white"/><rect x="8" y="8" width="{}" height="{}" fill="none" stroke="#1F4E79" stroke-width="1.2"/><rect x="11" y="11" width="{}" height="{}" fill="none" stroke="#1F4E79" stroke-width="0.4"/>"##,
        WIDTH_MM - 16.0,
        HEIGHT_MM - 16.0,
        WIDTH_MM - 22.0,
        HEIGHT_MM - 22.0
    ));
    let mut y = 36.0;
    out.push_str(&line(c.heading, CENTRE, y, 11.0, true, "#1F4E79"));
    y += 13.0;
    out.push_str(&line(c.certifies, CENTRE, y, 5.0, false, "#333333"));
    y += 14.0;
    for text in wrap(c.full_name, 40, 2) {
        out.push_str(&line(&text, CENTRE, y, 11.0, true, "#111111"));
        y += 12.0;
    }
    y += 1.0;
    out.push_str(&line(c.attended, CENTRE, y, 5.0, false, "#333333"));
    y += 9.0;
    for text in wrap(c.event_title, 60, 2) {
        out.push_str(&line(&text, CENTRE, y, 7.0, true, "#1F4E79"));
        y += 8.5;
    }
    out.push_str(&line(c.when_where, CENTRE, y, 4.6, false, "#333333"));
    y += 10.0;
    out.push_str(&line(c.hours_line, CENTRE, y, 5.2, true, "#222222"));
    y += 6.5;
    let topics = c.topics.join(" · ");
    for text in wrap(&topics, 110, 3) {
        out.push_str(&line(&text, CENTRE, y, 3.8, false, "#444444"));
        y += 5.0;
    }
    if !c.partners.is_empty() {
        y += 3.0;
        let partners = format!("{} {}", c.partners_label, c.partners.join(" · "));
        for text in wrap(&partners, 110, 2) {
            out.push_str(&line(&text, CENTRE, y, 3.8, false, "#444444"));
            y += 5.0;
        }
    }
    // The number and the link at the bottom left, the QR code at the bottom right.
    let bottom = HEIGHT_MM - 22.0;
    out.push_str(&left_line(c.number_line, 20.0, bottom - 8.0, 4.4, true));
    out.push_str(&left_line(c.verify_label, 20.0, bottom - 2.0, 3.4, false));
    for (i, part) in split_url(c.verify_url, 90).iter().enumerate() {
        out.push_str(&left_line(
            part,
            20.0,
            bottom + 3.5 + i as f32 * 4.0,
            3.0,
            false,
        ));
    }
    out.push_str(&qr_path(
        &qr,
        WIDTH_MM - 20.0 - QR_SIZE_MM,
        HEIGHT_MM - 16.0 - QR_SIZE_MM,
    ));
    out.push_str("</svg>");
    Ok(out)
}

fn line(text: &str, x: f32, y: f32, size: f32, bold: bool, fill: &str) -> String {
    let weight = if bold { r#" font-weight="bold""# } else { "" };
    format!(
        r#"<text x="{x:.1}" y="{y:.1}" font-size="{size}"{weight} fill="{fill}" text-anchor="middle">{}</text>"#,
        escape(text)
    )
}

fn left_line(text: &str, x: f32, y: f32, size: f32, bold: bool) -> String {
    let weight = if bold { r#" font-weight="bold""# } else { "" };
    format!(
        r##"<text x="{x:.1}" y="{y:.1}" font-size="{size}"{weight} fill="#222222">{}</text>"##,
        escape(text)
    )
}

/// A long link in pieces of at most `width` characters.
fn split_url(url: &str, width: usize) -> Vec<String> {
    url.chars()
        .collect::<Vec<_>>()
        .chunks(width)
        .map(|c| c.iter().collect())
        .collect()
}

/// The QR modules as one path with a quiet zone of 4 modules, its top-left at (`left`, `top`).
fn qr_path(qr: &QrCode, left: f32, top: f32) -> String {
    let width = qr.width();
    let module = QR_SIZE_MM / (width + 8) as f32;
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
