//! Texts in several languages, stored as JSON: a resource's `translations` (language → field
//! → text) and an event's offered `languages`.

use std::collections::BTreeMap;

use sea_orm::FromJsonQueryResult;
use serde::{Deserialize, Serialize};

/// A resource's texts in languages other than its event's default: language → field → text.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, FromJsonQueryResult)]
pub struct Translations(pub BTreeMap<String, BTreeMap<String, String>>);

impl Translations {
    /// The text of `field` in `language`, if there is one.
    pub fn get(&self, language: &str, field: &str) -> Option<&str> {
        self.0.get(language)?.get(field).map(String::as_str)
    }

    /// Replaces the languages `other` names, keeping the others (a PATCH).
    pub fn merge(&mut self, other: Translations) {
        for (language, texts) in other.0 {
            if texts.is_empty() {
                self.0.remove(&language);
            } else {
                self.0.insert(language, texts);
            }
        }
    }
}

/// The languages an event is offered in, in the order they are shown.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, FromJsonQueryResult)]
pub struct Languages(pub Vec<String>);
