//! Badges as PDF: sheets of four A6 badges on A4 with crop marks, and a single A6 badge.
//! The badge SVGs are parsed with krilla-svg's usvg and drawn with their text embedded as
//! real (searchable, copyable) text.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};

use krilla::Document;
use krilla::color::rgb;
use krilla::geom::{PathBuilder, Size, Transform};
use krilla::metadata::Metadata;
use krilla::paint::Stroke;
use krilla::surface::Surface;
use krilla_svg::{SurfaceExt, SvgSettings};
use resvg::usvg;
use usvg_krilla::fontdb as krilla_fontdb;

use super::{A4, A6, PrintError, finish, mm, page_settings, pages};

/// Badges per sheet, column-major within a row: (column, row) of slot `i` is `(i % 2, i / 2)`.
const PER_SHEET: usize = 4;
/// The 1 mm that two A6 heights leave on A4 is the gap between the two rows.
const ROW_GAP: f32 = mm(297.0 - 2.0 * 148.0);
/// Crop marks: hairline width, and how far the marks along the row gap reach into the page.
const MARK_WIDTH: f32 = 0.25;
const MARK_LENGTH: f32 = mm(6.0);

/// Text as text (not outlines), so that names are searchable and copyable.
const SETTINGS: SvgSettings = SvgSettings {
    embed_text: true,
    filter_scale: 4.0,
};

/// A4 portrait pages of four A6 badges each (2 x 2, the two rows 1 mm apart), with crop marks
/// in the gap between the rows. `badge(i)` is the SVG document of badge `i` of `count`, as
/// drawn by `badge::svg`; it is called on every core, a few sheets ahead of the drawing, so
/// only those sheets are held at a time.
pub fn badge_sheets(
    count: usize,
    badge: impl Fn(usize) -> Result<String, PrintError> + Sync,
    fonts: Arc<usvg::fontdb::Database>,
) -> Result<Vec<u8>, PrintError> {
    if count == 0 {
        return Err(PrintError::NoBadges);
    }
    let options = svg_options(&fonts);
    let settings = page_settings(A4)?;
    let mut document = Document::new();
    let sheets = count.div_ceil(PER_SHEET);
    pages::in_order(
        sheets,
        |sheet| {
            let first = sheet * PER_SHEET;
            (first..(first + PER_SHEET).min(count))
                .map(|index| parse(&badge(index)?, index, &options))
                .collect::<Result<Vec<_>, PrintError>>()
        },
        |sheet, trees| {
            let mut page = document.start_page_with(settings.clone());
            let mut surface = page.surface();
            for (slot, tree) in trees.iter().enumerate() {
                let (x, y) = slot_origin(slot);
                draw_badge(&mut surface, tree, x, y, sheet * PER_SHEET + slot)?;
            }
            draw_crop_marks(&mut surface);
            surface.finish();
            page.finish();
            Ok(())
        },
    )?;
    let title = format!("Badges ({count})");
    document.set_metadata(Metadata::new().title(title).creator("Dialogue".into()));
    finish(document)
}

/// One badge on one A6 page.
pub fn single_badge(svg: &str, fonts: Arc<usvg::fontdb::Database>) -> Result<Vec<u8>, PrintError> {
    let tree = parse(svg, 0, &svg_options(&fonts))?;
    let mut document = Document::new();
    let mut page = document.start_page_with(page_settings(A6)?);
    let mut surface = page.surface();
    draw_badge(&mut surface, &tree, 0.0, 0.0, 0)?;
    surface.finish();
    page.finish();
    document.set_metadata(
        Metadata::new()
            .title("Badge".into())
            .creator("Dialogue".into()),
    );
    finish(document)
}

/// Certificates of attendance, one A4 landscape page each: `page(i)` is the SVG document of
/// page `i` of `count`, as `certificate::svg` draws it; it is called on every core, a few
/// pages ahead of the drawing, so only those pages are held at a time.
pub fn certificates(
    count: usize,
    page: impl Fn(usize) -> Result<String, PrintError> + Sync,
    fonts: Arc<usvg::fontdb::Database>,
) -> Result<Vec<u8>, PrintError> {
    if count == 0 {
        return Err(PrintError::NoBadges);
    }
    let options = svg_options(&fonts);
    let landscape = (A4.1, A4.0);
    let size = Size::from_wh(landscape.0, landscape.1).ok_or(PrintError::Geometry("A4"))?;
    let settings = page_settings(landscape)?;
    let mut document = Document::new();
    pages::in_order(
        count,
        |index| parse(&page(index)?, index, &options),
        |index, tree| {
            let mut page = document.start_page_with(settings.clone());
            let mut surface = page.surface();
            let drawn = surface.draw_svg(&tree, size, SETTINGS);
            surface.finish();
            page.finish();
            drawn.ok_or(PrintError::Draw { index })
        },
    )?;
    document.set_metadata(
        Metadata::new()
            .title(format!("Certificates of attendance ({count})"))
            .creator("Dialogue".into()),
    );
    finish(document)
}

/// The top-left corner of badge slot 0..4 on a sheet, in points.
fn slot_origin(slot: usize) -> (f32, f32) {
    let column = (slot % 2) as f32;
    let row = (slot / 2) as f32;
    (column * A6.0, row * (A6.1 + ROW_GAP))
}

fn draw_badge(
    surface: &mut Surface<'_>,
    tree: &usvg_krilla::Tree,
    x: f32,
    y: f32,
    index: usize,
) -> Result<(), PrintError> {
    let size = Size::from_wh(A6.0, A6.1).ok_or(PrintError::Geometry("badge size"))?;
    surface.push_transform(&Transform::from_translate(x, y));
    let drawn = surface.draw_svg(tree, size, SETTINGS);
    surface.pop();
    drawn.ok_or(PrintError::Draw { index })
}

/// Crop marks, all inside the 1 mm gap between the rows so that none touches a badge: short
/// horizontal lines along the middle of the gap at both page edges and across the centre
/// (the two row cuts are the gap's edges), and a vertical tick at the centre on the column cut.
/// The page edges are the badges' outer edges; A4 leaves no margin for marks there.
fn draw_crop_marks(surface: &mut Surface<'_>) {
    let middle = A6.1 + ROW_GAP / 2.0;
    let centre = A6.0;
    let mut builder = PathBuilder::new();
    for (from, to) in [
        (0.0, MARK_LENGTH),
        (centre - MARK_LENGTH, centre + MARK_LENGTH),
        (A4.0 - MARK_LENGTH, A4.0),
    ] {
        builder.move_to(from, middle);
        builder.line_to(to, middle);
    }
    let inset = MARK_WIDTH;
    builder.move_to(centre, A6.1 + inset);
    builder.line_to(centre, A6.1 + ROW_GAP - inset);
    let Some(path) = builder.finish() else {
        return;
    };
    surface.set_fill(None);
    surface.set_stroke(Some(Stroke {
        paint: rgb::Color::black().into(),
        width: MARK_WIDTH,
        ..Default::default()
    }));
    surface.draw_path(&path);
    surface.set_stroke(None);
}

fn parse(
    svg: &str,
    index: usize,
    options: &usvg_krilla::Options<'_>,
) -> Result<usvg_krilla::Tree, PrintError> {
    usvg_krilla::Tree::from_str(svg, options).map_err(|e| PrintError::Svg {
        index,
        message: e.to_string(),
    })
}

/// The options last made by [`svg_options`] and the font database they were made from.
type MadeOptions = (
    Arc<usvg::fontdb::Database>,
    Arc<usvg_krilla::Options<'static>>,
);
static LAST_OPTIONS: Mutex<Option<MadeOptions>> = Mutex::new(None);

/// usvg options for krilla-svg's usvg, with the application's fonts: converted once for
/// the process's font database (`badge::fonts`), not on every drawing.
fn svg_options(fonts: &Arc<usvg::fontdb::Database>) -> Arc<usvg_krilla::Options<'static>> {
    if let Ok(last) = LAST_OPTIONS.lock()
        && let Some((made_from, options)) = last.as_ref()
        && Arc::ptr_eq(made_from, fonts)
    {
        return options.clone();
    }
    let fontdb = convert_fonts(fonts);
    let options = Arc::new(usvg_krilla::Options {
        font_family: fontdb
            .family_name(&krilla_fontdb::Family::SansSerif)
            .to_owned(),
        fontdb: Arc::new(fontdb),
        ..Default::default()
    });
    if let Ok(mut last) = LAST_OPTIONS.lock() {
        *last = Some((fonts.clone(), options.clone()));
    }
    options
}

/// The application's font database (resvg's fontdb) as a database of krilla-svg's fontdb
/// version. Font data in memory is shared, not copied.
fn convert_fonts(fonts: &usvg::fontdb::Database) -> krilla_fontdb::Database {
    use usvg::fontdb::Family;
    let mut converted = krilla_fontdb::Database::new();
    let mut seen = HashSet::new();
    for face in fonts.faces() {
        match &face.source {
            usvg::fontdb::Source::Binary(data) => {
                if seen.insert(Arc::as_ptr(data).cast::<u8>() as usize) {
                    converted.load_font_source(krilla_fontdb::Source::Binary(data.clone()));
                }
            }
            #[allow(unreachable_patterns)]
            _ => {
                if let Some(data) = fonts.with_face_data(face.id, |data, _| data.to_vec()) {
                    converted.load_font_data(data);
                }
            }
        }
    }
    converted.set_serif_family(fonts.family_name(&Family::Serif));
    converted.set_sans_serif_family(fonts.family_name(&Family::SansSerif));
    converted.set_monospace_family(fonts.family_name(&Family::Monospace));
    converted.set_cursive_family(fonts.family_name(&Family::Cursive));
    converted.set_fantasy_family(fonts.family_name(&Family::Fantasy));
    converted
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn four_slots_fill_a4_with_the_gap_between_the_rows() {
        let origins: Vec<_> = (0..PER_SHEET).map(slot_origin).collect();
        assert_eq!(origins[0], (0.0, 0.0));
        assert!((origins[3].0 + A6.0 - A4.0).abs() < 0.01);
        assert!((origins[3].1 + A6.1 - A4.1).abs() < 0.01);
        assert!((origins[2].1 - A6.1 - mm(1.0)).abs() < 0.01);
    }

    #[test]
    fn fonts_and_families_carry_over() {
        let mut fonts = usvg::fontdb::Database::new();
        fonts.load_font_data(crate::badge::DEJAVU_SANS.to_vec());
        fonts.load_font_data(crate::badge::DEJAVU_SANS_BOLD.to_vec());
        fonts.set_sans_serif_family("DejaVu Sans");
        let converted = convert_fonts(&fonts);
        assert_eq!(converted.len(), 2);
        assert_eq!(
            converted.family_name(&krilla_fontdb::Family::SansSerif),
            "DejaVu Sans"
        );
    }

    #[test]
    fn invalid_svg_and_empty_list_are_errors() {
        let fonts = Arc::new(usvg::fontdb::Database::new());
        assert!(matches!(
            badge_sheets(0, |_| Ok(String::new()), fonts.clone()),
            Err(PrintError::NoBadges)
        ));
        let bad = badge_sheets(1, |_| Ok("<svg".into()), fonts);
        assert!(matches!(bad, Err(PrintError::Svg { index: 0, .. })));
    }
}
