//! Texts in other languages on the JSON API: each resource's `translations` object (language
//! → its text fields, each optional), turned into the domain's `Translations` and back, and
//! a PATCH that replaces the languages it names.

use std::collections::BTreeMap;

use poem_openapi::Object;

use crate::domain::language::Translations;

/// Declares the API object holding one language's texts of a resource, and its conversions.
macro_rules! texts_object {
    ($(#[$doc:meta])* $name:ident { $($field:ident : $json:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Object, Debug, Clone, Default, PartialEq, Eq)]
        #[oai(deny_unknown_fields)]
        pub struct $name {
            $(
                #[oai(rename = $json, skip_serializing_if_is_none)]
                pub $field: Option<String>,
            )+
        }

        impl $name {
            /// Every resource's translations in this shape.
            pub fn all_of(translations: &Translations) -> BTreeMap<String, $name> {
                translations
                    .0
                    .iter()
                    .map(|(language, texts)| {
                        let object = $name {
                            $($field: texts.get($json).cloned(),)+
                        };
                        (language.clone(), object)
                    })
                    .collect()
            }

            /// The domain's translations of these objects (fields left out are not kept).
            pub fn domain(objects: BTreeMap<String, $name>) -> Translations {
                Translations(
                    objects
                        .into_iter()
                        .map(|(language, object)| {
                            let mut texts = BTreeMap::new();
                            $(
                                if let Some(text) = object.$field {
                                    texts.insert($json.to_owned(), text);
                                }
                            )+
                            (language, texts)
                        })
                        .collect(),
                )
            }
        }
    };
}

texts_object!(
    /// An event's texts in one language.
    EventTexts { title: "title", description: "description", venue: "venue", city: "city" }
);
texts_object!(
    /// A track's or a room's texts in one language.
    PlaceTexts { name: "name", description: "description" }
);
texts_object!(
    /// A speaker's texts in one language (names stay as written).
    SpeakerTexts { position: "position", organization: "organization", bio: "bio" }
);
texts_object!(
    /// A session's texts in one language.
    SessionTexts { title: "title", r#abstract: "abstract" }
);

/// A PATCH's `translations`: the languages it names replace those of `current` (an empty
/// object removes that language); the others stay.
pub fn patched(current: Translations, patch: Option<Translations>) -> Translations {
    match patch {
        None => current,
        Some(patch) => {
            let mut merged = current;
            merged.merge(patch);
            merged
        }
    }
}

/// A read in the reader's language: the body, and that language in `Content-Language`.
#[derive(poem_openapi::ApiResponse)]
pub enum Localized<T: poem_openapi::types::ToJSON + Send + Sync> {
    /// The resource, its texts in the language named by `Content-Language`.
    #[oai(status = 200)]
    Ok(
        poem_openapi::payload::Json<T>,
        #[oai(header = "Content-Language")] String,
    ),
}

impl<T: poem_openapi::types::ToJSON + Send + Sync> Localized<T> {
    pub fn new(body: T, language: String) -> Self {
        Localized::Ok(poem_openapi::payload::Json(body), language)
    }
}
