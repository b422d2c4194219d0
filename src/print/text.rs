//! The agenda's fonts (DejaVu Sans, regular and bold, embedded in the binary): krilla fonts for
//! drawing, skrifa metrics for measuring, and line wrapping by measured glyph advances.

use krilla::text::Font;
use skrifa::instance::{LocationRef, Size};
use skrifa::metrics::GlyphMetrics;
use skrifa::{FontRef, MetadataProvider};

use super::PrintError;

static REGULAR: &[u8] = crate::badge::DEJAVU_SANS;
static BOLD: &[u8] = crate::badge::DEJAVU_SANS_BOLD;

/// One font face: what krilla draws with and what the layout measures with.
pub(super) struct Face {
    pub(super) font: Font,
    charmap: skrifa::charmap::Charmap<'static>,
    metrics: GlyphMetrics<'static>,
    units_per_em: f32,
}

impl Face {
    fn load(data: &'static [u8], name: &'static str) -> Result<Self, PrintError> {
        let font_ref = FontRef::new(data).map_err(|_| PrintError::Font(name))?;
        let font = Font::new(data.into(), 0).ok_or(PrintError::Font(name))?;
        let units_per_em = f32::from(
            font_ref
                .metrics(Size::unscaled(), LocationRef::default())
                .units_per_em,
        );
        if units_per_em <= 0.0 {
            return Err(PrintError::Font(name));
        }
        Ok(Self {
            font,
            charmap: font_ref.charmap(),
            metrics: font_ref.glyph_metrics(Size::unscaled(), LocationRef::default()),
            units_per_em,
        })
    }

    /// The advance width of `text` at `size` points (kerning ignored, so a little generous).
    pub(super) fn width(&self, text: &str, size: f32) -> f32 {
        let units: f32 = text.chars().map(|c| self.advance(c)).sum();
        units * size / self.units_per_em
    }

    /// The advance of one character in font units (that of the missing glyph if unmapped).
    fn advance(&self, c: char) -> f32 {
        let glyph = self.charmap.map(c).unwrap_or_default();
        self.metrics.advance_width(glyph).unwrap_or(0.0)
    }

    /// Splits `text` into lines no wider than `max_width` at `size` points: breaks at white
    /// space (runs collapse to one space, `\n` forces a break) and hard-breaks words that are
    /// longer than a line.
    pub(super) fn wrap(&self, text: &str, size: f32, max_width: f32) -> Vec<String> {
        let mut lines = Vec::new();
        for paragraph in text.split('\n') {
            self.wrap_paragraph(paragraph, size, max_width, &mut lines);
        }
        while lines.last().is_some_and(String::is_empty) {
            lines.pop();
        }
        lines
    }

    fn wrap_paragraph(&self, text: &str, size: f32, max_width: f32, lines: &mut Vec<String>) {
        let space = self.width(" ", size);
        let mut line = String::new();
        let mut line_width = 0.0;
        for word in text.split_whitespace() {
            let word_width = self.width(word, size);
            if !line.is_empty() && line_width + space + word_width <= max_width {
                line.push(' ');
                line.push_str(word);
                line_width += space + word_width;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            if word_width <= max_width {
                line.push_str(word);
                line_width = word_width;
            } else {
                let (pieces, rest) = self.hard_break(word, size, max_width);
                lines.extend(pieces);
                line_width = self.width(&rest, size);
                line = rest;
            }
        }
        if !line.is_empty() || lines.is_empty() {
            lines.push(line);
        }
    }

    /// Cuts a word that is too long for one line into full lines and a remainder
    /// (each piece has at least one character, so this always progresses).
    fn hard_break(&self, word: &str, size: f32, max_width: f32) -> (Vec<String>, String) {
        let mut pieces = Vec::new();
        let mut piece = String::new();
        let mut width = 0.0;
        for c in word.chars() {
            let advance = self.advance(c) * size / self.units_per_em;
            if !piece.is_empty() && width + advance > max_width {
                pieces.push(std::mem::take(&mut piece));
                width = 0.0;
            }
            piece.push(c);
            width += advance;
        }
        (pieces, piece)
    }
}

/// The regular and bold faces.
pub(super) struct Fonts {
    pub(super) regular: Face,
    pub(super) bold: Face,
}

impl Fonts {
    pub(super) fn load() -> Result<Self, PrintError> {
        Ok(Self {
            regular: Face::load(REGULAR, "DejaVuSans.ttf")?,
            bold: Face::load(BOLD, "DejaVuSans-Bold.ttf")?,
        })
    }

    pub(super) fn face(&self, bold: bool) -> &Face {
        if bold { &self.bold } else { &self.regular }
    }
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

    #[test]
    fn lines_fit_and_keep_every_word() {
        let fonts = fonts();
        let text = "Ýazmyrat Çaryýew and Gülşat Ňazowa discuss žurnalistika, şäher we ösüş";
        let lines = fonts.regular.wrap(text, 10.0, 80.0);
        assert!(lines.len() > 2);
        assert!(lines.iter().all(|l| fonts.regular.width(l, 10.0) <= 80.0));
        assert_eq!(lines.join(" "), text);
    }

    #[test]
    fn long_words_are_hard_broken() {
        let fonts = fonts();
        let word = "D1.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
        let lines = fonts.bold.wrap(word, 12.0, 60.0);
        assert!(lines.len() > 3);
        assert!(lines.iter().all(|l| fonts.bold.width(l, 12.0) <= 60.0));
        assert_eq!(lines.concat(), word);
    }

    #[test]
    fn empty_text_has_no_lines_and_newlines_break() {
        let fonts = fonts();
        assert!(fonts.regular.wrap("  ", 10.0, 100.0).is_empty());
        assert_eq!(fonts.regular.wrap("a\nb", 10.0, 100.0), vec!["a", "b"]);
    }
}
