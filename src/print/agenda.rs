//! The printable agenda: A4 portrait pages with the title, the days and their sessions (time
//! column and wrapped text), page numbers "n / N" and a footer on every page. Laid out first
//! (pages of positioned lines, so the page count is known), then drawn with krilla.

use krilla::Document;
use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point};
use krilla::metadata::Metadata;
use krilla::paint::{Fill, Stroke};
use krilla::surface::Surface;
use krilla::text::TextDirection;

use super::text::Fonts;
use super::{A4, PrintError, finish, mm, page_settings};

/// The agenda as printed.
pub struct AgendaDocument {
    /// "tk", "ru" or "en": the PDF's language.
    pub language: String,
    pub title: String,
    /// Dates and "Times in Asia/Ashgabat".
    pub subtitle: String,
    pub days: Vec<AgendaDay>,
    /// E.g. the URL of the online agenda and a "generated at" line (`\n` separates lines).
    pub footer: String,
}

/// One day of the agenda.
pub struct AgendaDay {
    /// "Tuesday, 2 December 2026", already in the language.
    pub heading: String,
    pub items: Vec<AgendaItem>,
}

/// One session.
pub struct AgendaItem {
    /// "09:30–11:00".
    pub time: String,
    pub title: String,
    /// Room, track, kind, speakers...; may be empty.
    pub details: Vec<String>,
    /// E.g. "Cancelled", shown emphasised.
    pub note: Option<String>,
}

/// The printable agenda as a PDF.
pub fn agenda(doc: &AgendaDocument) -> Result<Vec<u8>, PrintError> {
    let fonts = Fonts::load()?;
    let footer = footer_lines(&fonts, &doc.footer);
    let pages = layout(doc, &fonts, body_bottom(footer.len()));
    let mut document = Document::new();
    let total = pages.len();
    for (number, page_lines) in pages.iter().enumerate() {
        let mut page = document.start_page_with(page_settings(A4)?);
        let mut surface = page.surface();
        for line in page_lines {
            draw_line(&mut surface, &fonts, line);
        }
        draw_footer(&mut surface, &fonts, &footer, number + 1, total);
        surface.finish();
        page.finish();
    }
    document.set_metadata(
        Metadata::new()
            .title(doc.title.clone())
            .language(doc.language.clone())
            .creator("Dialogue".into()),
    );
    finish(document)
}

// Geometry, in points.
const MARGIN: f32 = mm(19.0);
const LEFT: f32 = MARGIN;
const RIGHT: f32 = A4.0 - MARGIN;
const TOP: f32 = MARGIN;
const TIME_WIDTH: f32 = mm(30.0);
const TEXT_LEFT: f32 = LEFT + TIME_WIDTH;
const TEXT_WIDTH: f32 = RIGHT - TEXT_LEFT;
/// Baseline of the footer's last line.
const FOOTER_BASELINE: f32 = A4.1 - mm(11.0);
const FOOTER_MAX_LINES: usize = 4;
/// Room kept for "n / N" beside the footer text.
const PAGE_NUMBER_WIDTH: f32 = mm(22.0);
const ITEM_GAP: f32 = mm(2.4);
const DAY_GAP: f32 = mm(5.0);

/// How a line of text looks.
#[derive(Clone, Copy)]
struct Style {
    size: f32,
    bold: bool,
    color: (u8, u8, u8),
}

impl Style {
    /// Distance from one baseline to the next.
    fn leading(self) -> f32 {
        self.size * 1.28
    }
}

const TITLE: Style = Style {
    size: 20.0,
    bold: true,
    color: (17, 17, 17),
};
const SUBTITLE: Style = Style {
    size: 11.0,
    bold: false,
    color: (85, 85, 85),
};
const DAY: Style = Style {
    size: 13.5,
    bold: true,
    color: (20, 50, 90),
};
const DAY_CONTINUED: Style = Style {
    size: 9.0,
    bold: true,
    color: (110, 110, 110),
};
const TIME: Style = Style {
    size: 10.0,
    bold: false,
    color: (17, 17, 17),
};
const ITEM_TITLE: Style = Style {
    size: 10.5,
    bold: true,
    color: (17, 17, 17),
};
const DETAIL: Style = Style {
    size: 8.5,
    bold: false,
    color: (100, 100, 100),
};
const NOTE: Style = Style {
    size: 9.5,
    bold: true,
    color: (176, 0, 32),
};
const FOOTER: Style = Style {
    size: 8.0,
    bold: false,
    color: (110, 110, 110),
};

/// Something placed on a page: text at a baseline, or a horizontal rule.
enum Line {
    Text {
        x: f32,
        baseline: f32,
        style: Style,
        text: String,
    },
    Rule {
        y: f32,
    },
}

/// A row of a block before placement: its height and what it draws, relative to its top.
struct Row {
    height: f32,
    texts: Vec<(f32, Style, String)>,
    rule_below: bool,
}

impl Row {
    fn text(x: f32, style: Style, text: String) -> Self {
        Self {
            height: style.leading(),
            texts: vec![(x, style, text)],
            rule_below: false,
        }
    }

    fn gap(height: f32) -> Self {
        Self {
            height,
            texts: Vec::new(),
            rule_below: false,
        }
    }
}

fn height(rows: &[Row]) -> f32 {
    rows.iter().map(|r| r.height).sum()
}

/// Fills pages top to bottom.
struct Pages {
    pages: Vec<Vec<Line>>,
    y: f32,
    bottom: f32,
    /// The heading repeated (small) at the top of a page that continues a day.
    continued: Option<String>,
}

impl Pages {
    fn new(bottom: f32) -> Self {
        Self {
            pages: vec![Vec::new()],
            y: TOP,
            bottom,
            continued: None,
        }
    }

    fn at_top(&self) -> bool {
        self.y <= TOP
    }

    fn room(&self) -> f32 {
        self.bottom - self.y
    }

    fn break_page(&mut self) {
        self.pages.push(Vec::new());
        self.y = TOP;
        if let Some(heading) = self.continued.clone() {
            let rows = [Row::text(LEFT, DAY_CONTINUED, heading), Row::gap(mm(1.5))];
            self.place_rows(&rows);
        }
    }

    /// Places a block, on the next page if it (plus `keep_with_next` points of what follows)
    /// does not fit here; a block taller than a page is split between rows.
    fn place_block(&mut self, rows: &[Row], keep_with_next: f32) {
        if height(rows) + keep_with_next > self.room() && !self.at_top() {
            self.break_page();
        }
        self.place_rows(rows);
    }

    fn place_rows(&mut self, rows: &[Row]) {
        for row in rows {
            if row.height > self.room() && !self.at_top() {
                self.break_page();
            }
            self.place_row(row);
        }
    }

    fn place_row(&mut self, row: &Row) {
        let page = self.pages.len() - 1;
        for (x, style, text) in &row.texts {
            let baseline = self.y + style.size * 0.95;
            self.pages[page].push(Line::Text {
                x: *x,
                baseline,
                style: *style,
                text: text.clone(),
            });
        }
        self.y += row.height;
        if row.rule_below {
            self.pages[page].push(Line::Rule { y: self.y });
        }
    }
}

/// The pages of the agenda (without footers).
fn layout(doc: &AgendaDocument, fonts: &Fonts, bottom: f32) -> Vec<Vec<Line>> {
    let mut pages = Pages::new(bottom);
    pages.place_rows(&title_rows(doc, fonts));
    for day in &doc.days {
        pages.continued = None;
        if !pages.at_top() {
            pages.y += DAY_GAP;
        }
        let items: Vec<Vec<Row>> = day.items.iter().map(|i| item_rows(i, fonts)).collect();
        let first = items
            .first()
            .map_or(0.0, |rows| first_part(rows, pages.bottom - TOP));
        pages.place_block(&heading_rows(&day.heading, fonts), first);
        pages.continued = Some(day.heading.clone());
        for rows in &items {
            pages.place_block(rows, 0.0);
        }
    }
    pages.pages
}

/// The height of an item that must follow its day's heading on the same page: all of it, or
/// its first row if it is taller than a page.
fn first_part(rows: &[Row], page_height: f32) -> f32 {
    let all = height(rows);
    if all <= page_height * 0.5 {
        all
    } else {
        rows.first().map_or(0.0, |r| r.height)
    }
}

fn wrapped(fonts: &Fonts, text: &str, style: Style, x: f32, width: f32) -> Vec<Row> {
    let face = fonts.face(style.bold);
    face.wrap(text, style.size, width)
        .into_iter()
        .map(|line| Row::text(x, style, line))
        .collect()
}

fn title_rows(doc: &AgendaDocument, fonts: &Fonts) -> Vec<Row> {
    let width = RIGHT - LEFT;
    let mut rows = wrapped(fonts, &doc.title, TITLE, LEFT, width);
    rows.push(Row::gap(mm(1.0)));
    rows.extend(wrapped(fonts, &doc.subtitle, SUBTITLE, LEFT, width));
    rows.push(Row::gap(mm(4.0)));
    rows
}

fn heading_rows(heading: &str, fonts: &Fonts) -> Vec<Row> {
    let mut rows = wrapped(fonts, heading, DAY, LEFT, RIGHT - LEFT);
    if let Some(last) = rows.last_mut() {
        last.height += mm(0.8);
        last.rule_below = true;
    }
    rows.push(Row::gap(mm(2.5)));
    rows
}

/// An item: the time beside the first title line, then the rest of the title, the note and
/// the detail lines in the text column.
fn item_rows(item: &AgendaItem, fonts: &Fonts) -> Vec<Row> {
    let mut rows = wrapped(fonts, &item.title, ITEM_TITLE, TEXT_LEFT, TEXT_WIDTH);
    let time_lines = fonts
        .face(TIME.bold)
        .wrap(&item.time, TIME.size, TIME_WIDTH - mm(3.0));
    for (index, time) in time_lines.into_iter().enumerate() {
        if index >= rows.len() {
            rows.push(Row::gap(TIME.leading()));
        }
        rows[index].texts.push((LEFT, TIME, time));
        rows[index].height = rows[index].height.max(TIME.leading());
    }
    if let Some(note) = item.note.as_deref().filter(|n| !n.trim().is_empty()) {
        rows.extend(wrapped(fonts, note, NOTE, TEXT_LEFT, TEXT_WIDTH));
    }
    for detail in &item.details {
        rows.extend(wrapped(fonts, detail, DETAIL, TEXT_LEFT, TEXT_WIDTH));
    }
    rows.push(Row::gap(ITEM_GAP));
    rows
}

/// The footer's lines (at most [`FOOTER_MAX_LINES`]).
fn footer_lines(fonts: &Fonts, footer: &str) -> Vec<String> {
    let width = RIGHT - LEFT - PAGE_NUMBER_WIDTH;
    let mut lines = fonts.face(FOOTER.bold).wrap(footer, FOOTER.size, width);
    lines.truncate(FOOTER_MAX_LINES);
    lines
}

/// Where the body ends: above the footer (and its rule) and the bottom margin.
fn body_bottom(footer_lines: usize) -> f32 {
    let footer_top = FOOTER_BASELINE - footer_lines.max(1) as f32 * FOOTER.leading();
    (A4.1 - MARGIN).min(footer_top - mm(3.0))
}

fn draw_footer(
    surface: &mut Surface<'_>,
    fonts: &Fonts,
    lines: &[String],
    number: usize,
    total: usize,
) {
    let count = lines.len().max(1) as f32;
    let first_baseline = FOOTER_BASELINE - (count - 1.0) * FOOTER.leading();
    draw_rule(surface, first_baseline - FOOTER.leading() - mm(0.5));
    for (index, text) in lines.iter().enumerate() {
        let baseline = first_baseline + index as f32 * FOOTER.leading();
        draw_text(surface, fonts, LEFT, baseline, FOOTER, text);
    }
    let label = format!("{number} / {total}");
    let width = fonts.face(FOOTER.bold).width(&label, FOOTER.size);
    draw_text(
        surface,
        fonts,
        RIGHT - width,
        FOOTER_BASELINE,
        FOOTER,
        &label,
    );
}

fn draw_line(surface: &mut Surface<'_>, fonts: &Fonts, line: &Line) {
    match line {
        Line::Text {
            x,
            baseline,
            style,
            text,
        } => draw_text(surface, fonts, *x, *baseline, *style, text),
        Line::Rule { y } => draw_rule(surface, *y),
    }
}

fn draw_text(
    surface: &mut Surface<'_>,
    fonts: &Fonts,
    x: f32,
    baseline: f32,
    style: Style,
    text: &str,
) {
    if text.is_empty() {
        return;
    }
    let (r, g, b) = style.color;
    surface.set_fill(Some(Fill {
        paint: rgb::Color::new(r, g, b).into(),
        ..Default::default()
    }));
    let font = fonts.face(style.bold).font.clone();
    surface.draw_text(
        Point::from_xy(x, baseline),
        font,
        style.size,
        text,
        false,
        TextDirection::Auto,
    );
}

fn draw_rule(surface: &mut Surface<'_>, y: f32) {
    let mut builder = PathBuilder::new();
    builder.move_to(LEFT, y);
    builder.line_to(RIGHT, y);
    let Some(path) = builder.finish() else {
        return;
    };
    surface.set_fill(None);
    surface.set_stroke(Some(Stroke {
        paint: rgb::Color::new(170, 170, 170).into(),
        width: 0.5,
        ..Default::default()
    }));
    surface.draw_path(&path);
    surface.set_stroke(None);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fonts() -> Fonts {
        match Fonts::load() {
            Ok(fonts) => fonts,
            Err(e) => panic!("{e}"),
        }
    }

    fn item(n: usize) -> AgendaItem {
        AgendaItem {
            time: "09:30–11:00".into(),
            title: format!(
                "Session {n}: Gülşat Ňazowa, Ýazmyrat Çaryýew {}",
                "söz ".repeat(n % 40)
            ),
            details: (0..n % 4)
                .map(|d| format!("Detail {d}: Аннаев Мурат, Zal {n}"))
                .collect(),
            note: n.is_multiple_of(7).then(|| "Cancelled".to_string()),
        }
    }

    fn document(days: usize, items: usize) -> AgendaDocument {
        AgendaDocument {
            language: "tk".into(),
            title: "Agenda".into(),
            subtitle: "2–5 December".into(),
            days: (0..days)
                .map(|d| AgendaDay {
                    heading: format!("Day {d}"),
                    items: (0..items + d).map(item).collect(),
                })
                .collect(),
            footer: "https://example.org/agenda\nGenerated".into(),
        }
    }

    fn is_heading(line: &Line) -> bool {
        matches!(line, Line::Text { style, .. } if style.size == DAY.size && style.bold)
    }

    #[test]
    fn headings_are_never_last_on_a_page_and_text_stays_in_the_body() {
        let fonts = fonts();
        let bottom = body_bottom(2);
        for items in 0..40 {
            let pages = layout(&document(5, items), &fonts, bottom);
            for page in &pages {
                let last_text = page.iter().rev().find(|l| matches!(l, Line::Text { .. }));
                if items > 0 {
                    assert!(
                        !last_text.is_some_and(is_heading),
                        "{items} items: heading alone"
                    );
                }
                for line in page {
                    if let Line::Text {
                        x,
                        baseline,
                        style,
                        text,
                    } = line
                    {
                        let width = fonts.face(style.bold).width(text, style.size);
                        assert!(*x >= LEFT && x + width <= RIGHT + 0.01, "too wide: {text}");
                        assert!(
                            *baseline >= TOP && *baseline <= bottom,
                            "outside the body: {text}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn every_session_is_placed_once() {
        let fonts = fonts();
        let pages = layout(&document(4, 75), &fonts, body_bottom(2));
        assert!(pages.len() > 5);
        let times = pages
            .iter()
            .flatten()
            .filter(|l| matches!(l, Line::Text { text, .. } if text == "09:30–11:00"))
            .count();
        assert_eq!(times, 4 * 75 + 6);
    }

    #[test]
    fn an_item_taller_than_a_page_is_split() {
        let fonts = fonts();
        let mut doc = document(1, 0);
        doc.days[0].items.push(AgendaItem {
            time: "10:00".into(),
            title: "Long".into(),
            details: (0..200).map(|i| format!("Line {i}")).collect(),
            note: None,
        });
        let pages = layout(&doc, &fonts, body_bottom(2));
        assert!(pages.len() >= 2);
    }
}
