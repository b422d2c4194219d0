//! Categories of an event: which the public may choose when registering, the badge colour and
//! the name in each language. Organizers may give any category; the public only the public
//! ones. An event that never set its categories has the defaults: `delegate` and `observer`
//! public, the others given by organizers only.

use std::collections::BTreeMap;

use super::enums::Category;
use super::language::is_supported;
use super::validation::{ValidationErrors, hex_color};

/// The longest name of a category in one language.
const MAX_NAME: usize = 40;

/// One category as an event has it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CategorySetting {
    pub key: Category,
    /// Whether the public may choose it.
    pub public: bool,
    /// The badge colour (`#rrggbb`, lowercase); none: the category's standard colour.
    pub color: Option<String>,
    /// The name by language; a language without one uses the standard name.
    pub translations: BTreeMap<String, String>,
}

impl CategorySetting {
    fn standard(key: Category) -> Self {
        CategorySetting {
            key,
            public: matches!(key, Category::Delegate | Category::Observer),
            color: None,
            translations: BTreeMap::new(),
        }
    }

    /// The event's own name of this category in `language`, if it gave one.
    pub fn name_in(&self, language: &str) -> Option<&str> {
        self.translations.get(language).map(String::as_str)
    }
}

/// Every category of one event, in the order its organizers chose.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Categories(pub Vec<CategorySetting>);

impl Default for Categories {
    fn default() -> Self {
        Categories(
            Category::ALL
                .iter()
                .map(|key| CategorySetting::standard(*key))
                .collect(),
        )
    }
}

impl Categories {
    /// The settings an event stored (in order), completed with the categories it did not
    /// name: those keep their standard colour and name and are not public.
    pub fn from_stored(stored: Vec<CategorySetting>) -> Self {
        if stored.is_empty() {
            return Categories::default();
        }
        let mut all = stored;
        for key in Category::ALL {
            if !all.iter().any(|c| c.key == *key) {
                all.push(CategorySetting {
                    public: false,
                    ..CategorySetting::standard(*key)
                });
            }
        }
        Categories(all)
    }

    /// The setting of `key`.
    pub fn get(&self, key: Category) -> CategorySetting {
        self.0
            .iter()
            .find(|c| c.key == key)
            .cloned()
            .unwrap_or_else(|| CategorySetting::standard(key))
    }

    /// Whether the public may register with `key`.
    pub fn is_public(&self, key: Category) -> bool {
        self.0.iter().any(|c| c.key == key && c.public)
    }

    /// The categories the public may choose, in order.
    pub fn public(&self) -> impl Iterator<Item = &CategorySetting> {
        self.0.iter().filter(|c| c.public)
    }

    /// Refuses a category the public may not choose (422 naming `category`).
    pub fn check_public(&self, key: Category) -> Result<(), ValidationErrors> {
        if self.is_public(key) {
            return Ok(());
        }
        let allowed: Vec<&str> = self.public().map(|c| c.key.as_str()).collect();
        Err(ValidationErrors::single(
            "category",
            if allowed.is_empty() {
                "this event takes no registrations by the public in any category".to_owned()
            } else {
                format!(
                    "is given by the organizers; choose one of: {}",
                    allowed.join(", ")
                )
            },
        ))
    }
}

/// One category as an organizer sends it.
#[derive(Debug, Clone)]
pub struct CategoryInput {
    pub key: String,
    pub public: bool,
    pub color: Option<String>,
    pub translations: BTreeMap<String, String>,
}

/// Checks what an organizer sent: known keys, each once, colours, names in Dialogue's
/// languages. Names are trimmed; a blank name is left out.
pub fn parse(input: Vec<CategoryInput>) -> Result<Categories, ValidationErrors> {
    let mut errors = ValidationErrors::new();
    let mut settings: Vec<CategorySetting> = Vec::with_capacity(input.len());
    for (index, item) in input.into_iter().enumerate() {
        let field = |name: &str| format!("[{index}].{name}");
        let Some(key) = errors.check(
            &field("key"),
            item.key
                .trim()
                .parse::<Category>()
                .map_err(|e| e.to_string()),
        ) else {
            continue;
        };
        if settings.iter().any(|c| c.key == key) {
            errors.add(&field("key"), "is named twice");
            continue;
        }
        let color = item
            .color
            .map(|c| c.trim().to_ascii_lowercase())
            .filter(|c| !c.is_empty());
        if let Some(color) = &color {
            errors.check(&field("color"), hex_color(color));
        }
        let mut translations = BTreeMap::new();
        for (language, name) in item.translations {
            let name = name.trim().to_owned();
            if !is_supported(&language) {
                errors.add(
                    &field(&format!("translations.{language}")),
                    "must be one of the languages tk, ru, en",
                );
            } else if !name.is_empty() {
                errors.shown_line(
                    &field(&format!("translations.{language}")),
                    Some(&name),
                    MAX_NAME,
                    true,
                );
                translations.insert(language, name);
            }
        }
        settings.push(CategorySetting {
            key,
            public: item.public,
            color,
            translations,
        });
    }
    errors.into_result(Categories::from_stored(settings))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(key: &str, public: bool) -> CategoryInput {
        CategoryInput {
            key: key.into(),
            public,
            color: None,
            translations: BTreeMap::new(),
        }
    }

    #[test]
    fn defaults_open_delegate_and_observer_only() {
        let categories = Categories::default();
        let public: Vec<Category> = categories.public().map(|c| c.key).collect();
        assert_eq!(public, vec![Category::Delegate, Category::Observer]);
        assert!(categories.check_public(Category::Speaker).is_err());
        assert!(categories.check_public(Category::Organizer).is_err());
        assert!(categories.check_public(Category::Delegate).is_ok());
    }

    #[test]
    fn categories_not_named_are_not_public() {
        let categories = parse(vec![input("press", true)]).unwrap();
        assert_eq!(categories.0.len(), Category::ALL.len());
        assert_eq!(categories.0[0].key, Category::Press);
        assert!(categories.is_public(Category::Press));
        assert!(!categories.is_public(Category::Delegate));
        let refused = categories.check_public(Category::Delegate).unwrap_err();
        assert_eq!(refused.errors[0].field, "category");
        assert!(refused.errors[0].message.contains("press"));
    }

    #[test]
    fn bad_input_names_each_field() {
        let mut bad = input("delegate", true);
        bad.color = Some("red".into());
        bad.translations.insert("de".into(), "Teilnehmer".into());
        let errors = parse(vec![bad, input("delegate", false), input("vip", true)]).unwrap_err();
        let fields: Vec<&str> = errors.errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            vec!["[0].color", "[0].translations.de", "[1].key", "[2].key"]
        );
    }

    #[test]
    fn colours_are_kept_lowercase_and_names_trimmed() {
        let mut item = input("speaker", false);
        item.color = Some(" #1F6FEB ".into());
        item.translations.insert("ru".into(), "  Докладчик ".into());
        item.translations.insert("en".into(), "   ".into());
        let categories = parse(vec![item]).unwrap();
        let speaker = categories.get(Category::Speaker);
        assert_eq!(speaker.color.as_deref(), Some("#1f6feb"));
        assert_eq!(speaker.name_in("ru"), Some("Докладчик"));
        assert_eq!(speaker.name_in("en"), None);
    }
}
