//! Field-level validation: a collector of field errors and the checks shared by every
//! resource (text lengths, slugs, e-mail addresses, URLs, colours, language tags).

use std::fmt;

/// One rejected field and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

/// Every problem found in one request; empty means valid.
#[derive(Debug, Clone, Default, PartialEq, Eq, thiserror::Error)]
pub struct ValidationErrors {
    pub errors: Vec<FieldError>,
}

impl fmt::Display for ValidationErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = self
            .errors
            .iter()
            .map(|e| format!("{}: {}", e.field, e.message))
            .collect();
        f.write_str(&parts.join("; "))
    }
}

impl ValidationErrors {
    pub fn new() -> Self {
        Self::default()
    }

    /// A single error, for rules that stand alone.
    pub fn single(field: &str, message: impl Into<String>) -> Self {
        let mut errors = Self::new();
        errors.add(field, message);
        errors
    }

    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        self.errors.push(FieldError {
            field: field.to_owned(),
            message: message.into(),
        });
    }

    pub fn is_empty(&self) -> bool {
        self.errors.is_empty()
    }

    /// `Ok(value)` when nothing was found, else every error.
    pub fn into_result<T>(self, value: T) -> Result<T, ValidationErrors> {
        if self.is_empty() {
            Ok(value)
        } else {
            Err(self)
        }
    }

    /// Records a check's error under `field`, passing its value on.
    pub fn check<T>(&mut self, field: &str, result: Result<T, String>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(message) => {
                self.add(field, message);
                None
            }
        }
    }

    /// Checks a required text field: trimmed, non-empty, at most `max` characters.
    pub fn required_text(&mut self, field: &str, value: &str, max: usize) {
        if value.trim().is_empty() {
            self.add(field, "must not be empty");
        } else {
            self.max_chars(field, value, max);
        }
    }

    /// Checks a required one-line text (a label shown in lists): trimmed, non-empty, at most
    /// `max` characters, no line breaks or tabs.
    pub fn required_line(&mut self, field: &str, value: &str, max: usize) {
        let value = value.trim();
        if value.chars().any(char::is_control) && !value.is_empty() {
            self.add(field, "must be one line without tabs or control characters");
        } else {
            self.required_text(field, value, max);
        }
    }

    /// Checks a text a person typed about themselves (a name, an organization) that is shown
    /// on badges, pages and exports: one line, at most `max` characters, no control
    /// characters, and no invisible formatting (bidi overrides and isolates, zero-width
    /// characters) that could make it display as something else. Empty passes unless
    /// `required`.
    pub fn shown_line(&mut self, field: &str, value: Option<&str>, max: usize, required: bool) {
        let value = value.unwrap_or_default();
        if value.trim().is_empty() {
            if required {
                self.add(field, "must not be empty");
            }
        } else if value.chars().any(char::is_control) {
            self.add(field, "must be one line without tabs or control characters");
        } else if value.chars().any(is_invisible_formatting) {
            self.add(
                field,
                "must not contain invisible direction marks or zero-width characters",
            );
        } else {
            self.max_chars(field, value, max);
        }
    }

    /// Checks an optional text field's length.
    pub fn optional_text(&mut self, field: &str, value: Option<&str>, max: usize) {
        if let Some(value) = value {
            self.max_chars(field, value, max);
        }
    }

    fn max_chars(&mut self, field: &str, value: &str, max: usize) {
        let count = value.chars().count();
        if count > max {
            self.add(
                field,
                format!("must be at most {max} characters (got {count})"),
            );
        } else if value
            .chars()
            .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
        {
            self.add(field, "must not contain control characters");
        }
    }

    /// Checks a non-negative capacity with a sane upper bound.
    pub fn capacity(&mut self, field: &str, value: Option<i32>) {
        if let Some(value) = value
            && !(0..=MAX_CAPACITY).contains(&value)
        {
            self.add(field, format!("must be between 0 and {MAX_CAPACITY}"));
        }
    }
}

/// The largest capacity accepted for an event, a room or a session.
pub const MAX_CAPACITY: i32 = 1_000_000;
/// Titles and names.
pub const SHORT_TEXT: usize = 200;
/// Descriptions, abstracts, biographies.
pub const LONG_TEXT: usize = 10_000;
/// Places, organizations, positions, countries.
pub const MEDIUM_TEXT: usize = 300;

/// A slug: 3–64 lowercase letters, digits and single hyphens, not shaped like a UUID.
pub fn slug(value: &str) -> Result<(), String> {
    let shape_ok = (3..=64).contains(&value.len())
        && value
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !value.starts_with('-')
        && !value.ends_with('-')
        && !value.contains("--");
    if !shape_ok {
        return Err(
            "must be 3 to 64 characters of lowercase letters, digits and single hyphens, \
             not starting or ending with a hyphen"
                .into(),
        );
    }
    if uuid::Uuid::parse_str(value).is_ok() {
        return Err("must not look like a UUID (ids and slugs share the URL)".into());
    }
    Ok(())
}

/// A plausible e-mail address: one `@`, a non-empty local part, a dotted domain, no spaces.
pub fn email(value: &str) -> Result<(), String> {
    let invalid = || Err("must be an e-mail address such as name@example.org".to_owned());
    if value.len() > 254 || value.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return invalid();
    }
    let Some((local, domain)) = value.split_once('@') else {
        return invalid();
    };
    let domain_ok = domain.contains('.')
        && !domain.contains('@')
        && domain
            .split('.')
            .all(|label| !label.is_empty() && !label.starts_with('-') && !label.ends_with('-'));
    if local.is_empty() || local.len() > 64 || !domain_ok {
        return invalid();
    }
    Ok(())
}

/// An absolute `http` or `https` URL of reasonable length.
pub fn http_url(value: &str) -> Result<(), String> {
    let rest = value
        .strip_prefix("https://")
        .or_else(|| value.strip_prefix("http://"));
    match rest {
        Some(rest)
            if value.len() <= 2048
                && !rest.is_empty()
                && !rest.starts_with('/')
                && !value.chars().any(|c| c.is_whitespace() || c.is_control()) =>
        {
            Ok(())
        }
        _ => Err("must be an absolute http(s) URL of at most 2048 characters".into()),
    }
}

/// A colour as `#RRGGBB`.
pub fn hex_color(value: &str) -> Result<(), String> {
    let ok = value.len() == 7
        && value.starts_with('#')
        && value[1..].bytes().all(|b| b.is_ascii_hexdigit());
    if ok {
        Ok(())
    } else {
        Err("must be a colour such as #1F6FEB".into())
    }
}

/// A BCP 47 language tag such as `tk`, `ru`, `en-GB` or `uz-Latn`.
pub fn language_tag(value: &str) -> Result<(), String> {
    let mut parts = value.split('-');
    let primary_ok = parts
        .next()
        .is_some_and(|p| (2..=3).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphabetic()));
    let rest_ok =
        parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()));
    if primary_ok && rest_ok && value.len() <= 35 {
        Ok(())
    } else {
        Err("must be a BCP 47 language tag such as tk, ru, en or en-GB".into())
    }
}

/// Characters that change how text around them is displayed without being seen: the bidi
/// embeddings, overrides, isolates and marks, and the zero-width characters.
pub fn is_invisible_formatting(c: char) -> bool {
    matches!(
        c,
        '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{2069}'
            | '\u{061C}'
            | '\u{FEFF}'
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert!(slug("dialogue-2026").is_ok());
        for bad in [
            "ab",
            "Dialogue",
            "a--b",
            "-ab",
            "ab-",
            "ab_c",
            "0190a1b2-0000-7000-8000-000000000000",
        ] {
            assert!(slug(bad).is_err(), "{bad} accepted");
        }
    }

    #[test]
    fn emails() {
        assert!(email("aman.orazov@example.tm").is_ok());
        for bad in [
            "",
            "a",
            "a@b",
            "@example.org",
            "a b@example.org",
            "a@@example.org",
            "a@.org",
        ] {
            assert!(email(bad).is_err(), "{bad} accepted");
        }
    }

    #[test]
    fn languages_and_colours() {
        assert!(language_tag("tk").is_ok());
        assert!(language_tag("en-GB").is_ok());
        assert!(language_tag("english").is_err());
        assert!(hex_color("#00aa55").is_ok());
        assert!(hex_color("red").is_err());
        assert!(http_url("https://example.org/a.jpg").is_ok());
        assert!(http_url("javascript:alert(1)").is_err());
    }

    #[test]
    fn text_lengths_count_characters_not_bytes() {
        let mut errors = ValidationErrors::new();
        errors.required_text("title", &"ş".repeat(200), 200);
        assert!(errors.is_empty());
        errors.required_text("title", &"ş".repeat(201), 200);
        errors.required_text("name", "   ", 10);
        errors.required_text("nul", "a\u{0}b", 10);
        errors.optional_text("abstract", Some("line one\nline two\ttabbed"), 100);
        assert_eq!(errors.errors.len(), 3);
    }
}
