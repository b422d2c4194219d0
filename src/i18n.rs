//! The interface's words in Turkmen, Russian and English (Fluent messages in `locales/`,
//! compiled in) for pages, badges and feeds, the page's language (`?lang=`, then the `lang` cookie, then
//! `Accept-Language`, then the event's default language), dates and date ranges in that
//! language, and time zones named in it ("Aşgabat wagty (UTC+5)").
//!
//! Counts reach Fluent as numbers (never as text), so plural selectors (`[one]`, `[few]`,
//! `[many]`) and exact-number variants (the Turkmen ordinal day) match.

use std::borrow::Cow;
use std::collections::HashMap;

use chrono::{Datelike, NaiveDate, Offset, TimeZone};
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

/// Arguments that are numbers wherever they occur: passed to Fluent as numbers when their
/// text parses as one, so that plural and exact-number selectors match.
const NUMERIC_ARGS: &[&str] = &["count", "day", "place", "sessions", "hours_n", "from", "to"];

/// One argument of a message: a text, or a number that selectors can match.
#[derive(Debug, Clone, PartialEq)]
pub enum Arg {
    Text(String),
    Number(f64),
}

impl Arg {
    fn value(&self) -> FluentValue<'static> {
        match self {
            Arg::Text(text) => FluentValue::from(text.clone()),
            Arg::Number(n) => FluentValue::from(*n),
        }
    }
}

impl From<String> for Arg {
    fn from(text: String) -> Self {
        Arg::Text(text)
    }
}

impl From<&str> for Arg {
    fn from(text: &str) -> Self {
        Arg::Text(text.to_owned())
    }
}

macro_rules! number_arg {
    ($($t:ty),*) => {$(
        impl From<$t> for Arg {
            fn from(n: $t) -> Self {
                Arg::Number(n as f64)
            }
        }
    )*};
}
number_arg!(i32, i64, u32, u64, usize, f64);

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

    /// The message `key` with its arguments, given as text; those named in `NUMERIC_ARGS`
    /// (`count`, `place`, …) go to Fluent as numbers when they parse as one.
    pub fn t_with(&self, key: &str, args: &[(&'static str, String)]) -> String {
        let args: Vec<(&'static str, Arg)> = args
            .iter()
            .map(|(name, value)| {
                let number = NUMERIC_ARGS
                    .contains(name)
                    .then(|| value.trim().parse::<f64>().ok())
                    .flatten()
                    .filter(|n| n.is_finite());
                (
                    *name,
                    number.map_or_else(|| Arg::from(value.clone()), Arg::Number),
                )
            })
            .collect();
        self.t_args(key, &args)
    }

    /// The message `key` with typed arguments (numbers stay numbers).
    pub fn t_args(&self, key: &str, args: &[(&'static str, Arg)]) -> String {
        let args: HashMap<Cow<'static, str>, FluentValue<'_>> = args
            .iter()
            .map(|(name, value)| (Cow::Borrowed(*name), value.value()))
            .collect();
        LOCALES.lookup_with_args(&self.id, key, &args)
    }

    /// The message `key` in this language only if this language has it (no fallback).
    fn own(&self, key: &str, args: &[(&'static str, Arg)]) -> Option<String> {
        let args: HashMap<&str, FluentValue<'_>> = args
            .iter()
            .map(|(name, value)| (*name, value.value()))
            .collect();
        LOCALES.lookup_no_default_fallback(&self.id, key, Some(&args))
    }

    /// A language's name in this language, "Rusça", «Английский» (its code when Dialogue
    /// does not name it); the language switch names each language in itself (`lang-…`).
    pub fn language_name(&self, code: &str) -> String {
        if language::is_supported(code) {
            self.t(&format!("language-{code}"))
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

    /// A date with its weekday, e.g. "Tuesday, 30 December 2026", "5-nji dekabr 2025 ý.,
    /// anna", "Пятница, 5 декабря 2025 г." (a heading starts with a capital).
    pub fn date_long(&self, date: NaiveDate) -> String {
        let text = self.t_args(
            "date-long",
            &[
                (
                    "weekday",
                    self.t(&format!("weekday-{}", date.weekday().number_from_monday()))
                        .into(),
                ),
                ("day", date.day().into()),
                ("month", self.t(&format!("month-{}", date.month())).into()),
                ("year", date.year().to_string().into()),
            ],
        );
        capitalized(&text)
    }

    /// A date, e.g. "30 December 2026", "30-njy dekabr 2026 ý.", "30 декабря 2026 г.".
    pub fn date_short(&self, date: NaiveDate) -> String {
        self.t_args(
            "date-short",
            &[
                ("day", date.day().into()),
                ("month", self.t(&format!("month-{}", date.month())).into()),
                ("year", date.year().to_string().into()),
            ],
        )
    }

    /// An event's dates: one day with its weekday, or the first and the last day, saying the
    /// month and the year once where they are shared: "5–8 December 2025", "28 November –
    /// 3 December 2025", "30 December 2025 – 2 January 2026".
    pub fn date_range(&self, starts: NaiveDate, ends: NaiveDate) -> String {
        if starts >= ends {
            return self.date_long(starts);
        }
        if starts.year() != ends.year() {
            return self.t_args(
                "date-range",
                &[
                    ("from", self.date_short(starts).into()),
                    ("to", self.date_short(ends).into()),
                ],
            );
        }
        let month = |date: NaiveDate| Arg::from(self.t(&format!("month-{}", date.month())));
        let year = Arg::from(ends.year().to_string());
        if starts.month() == ends.month() {
            self.t_args(
                "date-range-days",
                &[
                    ("from", starts.day().into()),
                    ("day", ends.day().into()),
                    ("month", month(ends)),
                    ("year", year),
                ],
            )
        } else {
            self.t_args(
                "date-range-months",
                &[
                    ("from", starts.day().into()),
                    ("from_month", month(starts)),
                    ("day", ends.day().into()),
                    ("month", month(ends)),
                    ("year", year),
                ],
            )
        }
    }

    /// A time zone as readers know it: "Aşgabat wagty (UTC+5)", "Ashgabat time (UTC+5)" for
    /// the zones with a name in `locales/*/main.ftl` (`zone-asia-ashgabat`), else its offset
    /// ("UTC+5:30"), both on `on` (the event's first day); an unknown zone id as written.
    pub fn zone_label(&self, zone: &str, on: NaiveDate) -> String {
        let Ok(tz) = zone.parse::<chrono_tz::Tz>() else {
            return zone.to_owned();
        };
        let noon = on.and_hms_opt(12, 0, 0).unwrap_or_default();
        let seconds = tz
            .from_local_datetime(&noon)
            .earliest()
            .map_or(0, |at| at.offset().fix().local_minus_utc());
        let offset = utc_offset(seconds);
        let key = format!(
            "zone-{}",
            zone.to_ascii_lowercase().replace(['/', '_'], "-")
        );
        match self.own(&key, &[]) {
            Some(name) => format!("{name} ({offset})"),
            None => offset,
        }
    }

    /// "Times are shown in the event's time zone: Ashgabat time (UTC+5)."
    pub fn zone_note(&self, zone: &str, on: NaiveDate) -> String {
        self.t_args(
            "times-in-zone",
            &[("zone", self.zone_label(zone, on).into())],
        )
    }

    /// Whether every language has `key` of its own (no fallback): for the tests.
    pub fn has_own(language: &str, key: &str) -> bool {
        let id: LanguageIdentifier = language.parse().unwrap_or_default();
        // Every argument a message may use, so that formatting succeeds.
        let args: HashMap<&str, FluentValue<'_>> = [
            "zone",
            "date",
            "count",
            "weekday",
            "day",
            "month",
            "year",
            "place",
            "event",
            "session",
            "name",
            "time",
            "speaker",
            "label",
            "hours",
            "sessions",
            "number",
            "keys",
            "from",
            "to",
            "from_month",
            "kind",
            "hours_n",
        ]
        .into_iter()
        .map(|name| (name, FluentValue::from("1")))
        .collect();
        LOCALES
            .lookup_no_default_fallback(&id, key, Some(&args))
            .is_some()
    }
}

/// `text` with its first letter a capital.
fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// "UTC+5", "UTC-3:30", "UTC".
fn utc_offset(seconds: i32) -> String {
    if seconds == 0 {
        return "UTC".to_owned();
    }
    let sign = if seconds < 0 { '-' } else { '+' };
    let minutes = seconds.unsigned_abs() / 60;
    match minutes % 60 {
        0 => format!("UTC{sign}{}", minutes / 60),
        rest => format!("UTC{sign}{}:{rest:02}", minutes / 60),
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
