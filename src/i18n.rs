//! The interface's words in Turkmen, Russian and English (Fluent messages in `locales/`,
//! compiled in) for pages, badges and feeds, the page's language (`?lang=`, then the `lang` cookie, then
//! `Accept-Language`, then the event's default language) and dates in that language.

use std::borrow::Cow;
use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};
use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{LanguageIdentifier, Loader};

use crate::domain::language::{self, Languages, SUPPORTED};

fluent_templates::static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "en",
        // No Unicode isolation marks around arguments: pages mark languages with `lang`.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

/// The name of the cookie that keeps the language a visitor chose.
pub const LANGUAGE_COOKIE: &str = "lang";

/// The messages of one page language.
#[derive(Debug, Clone)]
pub struct Messages {
    /// `tk`, `ru` or `en`.
    pub language: String,
    id: LanguageIdentifier,
}

impl Messages {
    pub fn new(language: &str) -> Self {
        let language = if language::is_supported(language) {
            language
        } else {
            "en"
        };
        Messages {
            language: language.to_owned(),
            id: language.parse().unwrap_or_default(),
        }
    }

    /// The message `key` in this language.
    pub fn t(&self, key: &str) -> String {
        LOCALES.lookup(&self.id, key)
    }

    /// The message `key` with its arguments.
    pub fn t_with(&self, key: &str, args: &[(&'static str, String)]) -> String {
        let args: HashMap<Cow<'static, str>, FluentValue<'_>> = args
            .iter()
            .map(|(name, value)| (Cow::Borrowed(*name), FluentValue::from(value.clone())))
            .collect();
        LOCALES.lookup_with_args(&self.id, key, &args)
    }

    /// A language's name in this language (its code when Dialogue does not name it).
    pub fn language_name(&self, code: &str) -> String {
        if language::is_supported(code) {
            self.t(&format!("lang-{code}"))
        } else {
            code.to_owned()
        }
    }

    /// A count with its noun in this language's plural rules.
    pub fn count(&self, key: &str, count: usize) -> String {
        let mut args = HashMap::new();
        args.insert(Cow::Borrowed("count"), FluentValue::from(count));
        LOCALES.lookup_with_args(&self.id, key, &args)
    }

    /// A date with its weekday, e.g. "Tuesday, 30 December 2026".
    pub fn date_long(&self, date: NaiveDate) -> String {
        self.t_with(
            "date-long",
            &[
                (
                    "weekday",
                    self.t(&format!("weekday-{}", date.weekday().number_from_monday())),
                ),
                ("day", date.day().to_string()),
                ("month", self.t(&format!("month-{}", date.month()))),
                ("year", date.year().to_string()),
            ],
        )
    }

    /// A date, e.g. "30 December 2026".
    pub fn date_short(&self, date: NaiveDate) -> String {
        self.t_with(
            "date-short",
            &[
                ("day", date.day().to_string()),
                ("month", self.t(&format!("month-{}", date.month()))),
                ("year", date.year().to_string()),
            ],
        )
    }

    /// Whether every language has `key` of its own (no fallback): for the tests.
    pub fn has_own(language: &str, key: &str) -> bool {
        let id: LanguageIdentifier = language.parse().unwrap_or_default();
        // Every argument a message may use, so that formatting succeeds.
        let args: HashMap<&str, FluentValue<'_>> = [
            "zone", "date", "count", "weekday", "day", "month", "year", "place", "event",
            "session", "name", "time", "speaker", "label", "hours", "sessions", "number", "keys",
        ]
        .into_iter()
        .map(|name| (name, FluentValue::from("1")))
        .collect();
        LOCALES
            .lookup_no_default_fallback(&id, key, Some(&args))
            .is_some()
    }
}

/// What the request says about the language: `?lang=`, the cookie, `Accept-Language`.
#[derive(Debug, Clone, Default)]
pub struct Asked {
    pub query: Option<String>,
    pub cookie: Option<String>,
    pub accept_language: Option<String>,
}

impl Asked {
    /// The page's language: `?lang=`, then the cookie, then `Accept-Language`, among the
    /// `offered` languages (all three where no event limits them), else `default`.
    pub fn choose(&self, offered: Option<&Languages>, default: &str) -> String {
        let all = language::all_languages();
        let offered = offered.unwrap_or(&all);
        let explicit = self
            .query
            .as_deref()
            .filter(|l| SUPPORTED.contains(l))
            .or(self.cookie.as_deref().filter(|l| SUPPORTED.contains(l)));
        language::choose(explicit, self.accept_language.as_deref(), offered, default)
    }

    /// The language to remember in the cookie: the one asked for with `?lang=`, if valid.
    pub fn to_remember(&self) -> Option<&str> {
        self.query.as_deref().filter(|l| SUPPORTED.contains(l))
    }
}
