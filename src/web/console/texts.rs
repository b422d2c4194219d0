//! Texts in Turkmen, Russian and English side by side on the console's forms: the event's
//! default language is the resource's plain field, the two others its translations. A form
//! field is named `{field}_{language}` (`title_ru`).

use std::collections::BTreeMap;

use crate::domain::language::{SUPPORTED, Translations};
use crate::web::forms::{FormErrors, Posted};
use crate::web::i18n::Messages;

/// One translatable field on a form, in every language.
pub struct TextField {
    pub field: &'static str,
    pub label: String,
    /// A textarea rather than one line.
    pub long: bool,
    pub required: bool,
    pub error: Option<String>,
    pub inputs: Vec<TextInput>,
}

/// The field in one language.
pub struct TextInput {
    pub lang: &'static str,
    pub lang_name: String,
    pub name: String,
    /// The element id: `field-{field}` for the default language (where errors point).
    pub id: String,
    pub value: String,
    /// The event's default language (where the required text goes).
    pub default: bool,
}

/// What a form's texts say: the default language's texts, and the translations.
pub struct PostedTexts {
    plain: BTreeMap<&'static str, String>,
    pub translations: Translations,
}

impl PostedTexts {
    /// The text of `field` in the default language (empty when not given).
    pub fn plain(&self, field: &str) -> String {
        self.plain.get(field).cloned().unwrap_or_default()
    }

    /// The text of `field` in the default language, `None` when blank.
    pub fn optional(&self, field: &str) -> Option<String> {
        Some(self.plain(field)).filter(|t| !t.trim().is_empty())
    }
}

/// Reads `fields` of a posted form; blank translations are left out.
pub fn read(posted: &Posted, default_language: &str, fields: &[&'static str]) -> PostedTexts {
    let mut plain = BTreeMap::new();
    let mut translations: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    for field in fields {
        for lang in SUPPORTED {
            let value = posted.value(&format!("{field}_{lang}"));
            if lang == default_language {
                plain.insert(*field, value);
            } else if !value.trim().is_empty() {
                translations
                    .entry((*lang).to_owned())
                    .or_default()
                    .insert((*field).to_owned(), value);
            }
        }
    }
    PostedTexts {
        plain,
        translations: Translations(translations),
    }
}

/// The form fields of `fields` (name, plain value, long, required) filled from a resource.
pub fn fields(
    m: &Messages,
    default_language: &str,
    fields: &[(&'static str, Option<&str>, bool, bool)],
    translations: &Translations,
    errors: &FormErrors,
) -> Vec<TextField> {
    fields
        .iter()
        .map(|(field, plain, long, required)| TextField {
            field,
            label: m.t(&format!("console-field-{}", field.replace('_', "-"))),
            long: *long,
            required: *required,
            error: errors.get(field).map(str::to_owned),
            inputs: SUPPORTED
                .iter()
                .map(|lang| TextInput {
                    lang,
                    lang_name: m.language_name(lang),
                    name: format!("{field}_{lang}"),
                    id: if *lang == default_language {
                        format!("field-{field}")
                    } else {
                        format!("field-{field}_{lang}")
                    },
                    value: if *lang == default_language {
                        plain.unwrap_or_default().to_owned()
                    } else {
                        translations.get(lang, field).unwrap_or_default().to_owned()
                    },
                    default: *lang == default_language,
                })
                .collect(),
        })
        .collect()
}

/// The form fields of `fields` filled again from what was posted (the form shown with errors).
pub fn fields_posted(
    m: &Messages,
    default_language: &str,
    names: &[(&'static str, bool, bool)],
    posted: &PostedTexts,
    errors: &FormErrors,
) -> Vec<TextField> {
    let plain: Vec<(&'static str, String)> = names
        .iter()
        .map(|(field, _, _)| (*field, posted.plain(field)))
        .collect();
    let with_plain: Vec<(&'static str, Option<&str>, bool, bool)> = names
        .iter()
        .zip(plain.iter())
        .map(|((field, long, required), (_, value))| {
            (*field, Some(value.as_str()), *long, *required)
        })
        .collect();
    fields(
        m,
        default_language,
        &with_plain,
        &posted.translations,
        errors,
    )
}

/// The same fields with `prefix` put before their element ids (`field-rooms-name`), for a
/// page with several forms.
pub fn prefixed(mut fields: Vec<TextField>, prefix: &str) -> Vec<TextField> {
    for field in &mut fields {
        for input in &mut field.inputs {
            input.id = input.id.replacen("field-", &format!("field-{prefix}"), 1);
        }
    }
    fields
}
