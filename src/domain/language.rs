//! Languages: the three Dialogue speaks (Turkmen, Russian, English), which one a reader gets
//! (`?lang=`, then `Accept-Language`, then the event's default language), what valid
//! translations are, and a resource's texts in the chosen language.

pub use entities::texts::{Languages, Translations};

use super::validation::ValidationErrors;

/// The languages content and pages can be in, in the order Dialogue shows them.
pub const SUPPORTED: [&str; 3] = ["tk", "ru", "en"];

/// The default of an event's default language.
pub const DEFAULT: &str = "tk";

/// The languages an event is offered in unless the organizer says otherwise.
pub fn all_languages() -> Languages {
    Languages(SUPPORTED.iter().map(|l| (*l).to_owned()).collect())
}

/// Whether Dialogue speaks `tag` (exactly `tk`, `ru` or `en`).
pub fn is_supported(tag: &str) -> bool {
    SUPPORTED.contains(&tag)
}

/// The language a reader of an event gets: the one asked for with `?lang=` when the event is
/// offered in it, else the first of `Accept-Language` (by preference) the event is offered in,
/// else the event's default. An unknown language is never an error.
pub fn choose(
    asked: Option<&str>,
    accept_language: Option<&str>,
    offered: &Languages,
    default: &str,
) -> String {
    let offered = |tag: &str| offered.0.iter().any(|l| l == tag) || tag == default;
    if let Some(asked) = asked.map(primary_subtag)
        && offered(&asked)
    {
        return asked;
    }
    accept_language
        .map(preferences)
        .unwrap_or_default()
        .into_iter()
        .find(|tag| offered(tag))
        .unwrap_or_else(|| default.to_owned())
}

/// The primary subtag of a language tag, lowercase (`ru-RU` → `ru`).
fn primary_subtag(tag: &str) -> String {
    tag.trim()
        .split(['-', '_'])
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase()
}

/// The languages of an `Accept-Language` header, most preferred first (RFC 9110 §12.5.4;
/// `q=0` means "not this one").
fn preferences(header: &str) -> Vec<String> {
    let mut ranked: Vec<(u16, usize, String)> = header
        .split(',')
        .enumerate()
        .filter_map(|(position, item)| {
            let mut parts = item.split(';');
            let tag = primary_subtag(parts.next()?);
            if tag.is_empty() || tag == "*" {
                return None;
            }
            let quality = parts
                .find_map(|p| p.trim().strip_prefix("q="))
                .and_then(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            let quality = (quality.clamp(0.0, 1.0) * 1000.0) as u16;
            (quality > 0).then_some((quality, position, tag))
        })
        .collect();
    ranked.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    ranked.into_iter().map(|(_, _, tag)| tag).collect()
}

/// Checks an event's default language and the languages it is offered in.
pub fn check_languages(errors: &mut ValidationErrors, default: &str, languages: &Languages) {
    let expected = SUPPORTED.join(", ");
    if !is_supported(default) {
        errors.add("default_language", format!("must be one of: {expected}"));
    }
    if languages.0.is_empty() {
        errors.add("languages", "must name at least one language");
    }
    for (index, language) in languages.0.iter().enumerate() {
        if !is_supported(language) {
            errors.add("languages", format!("must hold only: {expected}"));
            break;
        }
        if languages.0[..index].contains(language) {
            errors.add("languages", "must not name a language twice");
            break;
        }
    }
    if is_supported(default) && !languages.0.iter().any(|l| l == default) {
        errors.add("languages", "must include the default language");
    }
}

/// Checks translations: each language one Dialogue speaks, each field one of `fields` (with
/// its longest length), no empty text.
pub fn check_translations(
    errors: &mut ValidationErrors,
    translations: &Translations,
    fields: &[(&str, usize)],
) {
    for (language, texts) in &translations.0 {
        if !is_supported(language) {
            errors.add(
                "translations",
                format!(
                    "{language:?} is not a language of Dialogue; use {}",
                    SUPPORTED.join(", ")
                ),
            );
            continue;
        }
        for (field, text) in texts {
            let name = format!("translations.{language}.{field}");
            match fields.iter().find(|(known, _)| known == field) {
                None => errors.add(
                    &name,
                    format!(
                        "is not a translatable field; use {}",
                        fields
                            .iter()
                            .map(|(f, _)| *f)
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                ),
                Some((_, max)) => errors.required_text(&name, text, *max),
            }
        }
    }
}

/// A resource's texts as a reader in `language` sees them: the translation of each field
/// where there is one, its plain text (the event's default language) otherwise.
#[derive(Debug, Clone, Copy)]
pub struct Texts<'a, 'l> {
    translations: &'a Translations,
    language: &'l str,
}

impl<'a, 'l> Texts<'a, 'l> {
    pub fn new(translations: &'a Translations, language: &'l str) -> Self {
        Texts {
            translations,
            language,
        }
    }

    /// A required field.
    pub fn text(&self, field: &str, plain: &'a str) -> &'a str {
        self.translations.get(self.language, field).unwrap_or(plain)
    }

    /// An optional field: a translation shows even where the default language has none.
    pub fn optional(&self, field: &str, plain: Option<&'a str>) -> Option<&'a str> {
        self.translations.get(self.language, field).or(plain)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reader_gets_what_they_ask_for_when_it_is_offered() {
        let all = all_languages();
        assert_eq!(choose(Some("ru"), Some("en"), &all, "tk"), "ru");
        assert_eq!(choose(Some("RU-ru"), None, &all, "tk"), "ru");
        assert_eq!(choose(Some("de"), Some("en;q=0.5, ru"), &all, "tk"), "ru");
        assert_eq!(choose(None, Some("de, en-GB;q=0.8"), &all, "tk"), "en");
        assert_eq!(choose(None, Some("en;q=0, de"), &all, "tk"), "tk");
        assert_eq!(choose(None, None, &all, "ru"), "ru");
        let only_tk = Languages(vec!["tk".into()]);
        assert_eq!(choose(Some("en"), Some("ru"), &only_tk, "tk"), "tk");
    }

    #[test]
    fn translations_name_known_languages_and_fields() {
        let mut t = Translations::default();
        t.0.insert("ru".into(), [("title".into(), "Диалог".into())].into());
        t.0.insert("de".into(), [("title".into(), "Dialog".into())].into());
        t.0.insert("en".into(), [("venue".into(), "".into())].into());
        let mut errors = ValidationErrors::new();
        check_translations(&mut errors, &t, &[("title", 200)]);
        let fields: Vec<_> = errors.errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["translations", "translations.en.venue"]);
        let texts = Texts::new(&t, "ru");
        assert_eq!(texts.text("title", "Dialog"), "Диалог");
        assert_eq!(Texts::new(&t, "tk").text("title", "Dialog"), "Dialog");
    }

    #[test]
    fn languages_include_the_default() {
        let mut errors = ValidationErrors::new();
        check_languages(
            &mut errors,
            "ru",
            &Languages(vec!["tk".into(), "tk".into()]),
        );
        assert_eq!(errors.errors.len(), 2);
    }
}
