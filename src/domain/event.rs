//! What a valid event is, its life cycle, and the span of time its local dates cover.

use chrono::{DateTime, Datelike, Days, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;

use super::enums::{EventKind, EventStatus, RegistrationMode};
use super::language::{Languages, Translations, check_languages, check_translations};
use super::validation::{self, LONG_TEXT, MEDIUM_TEXT, SHORT_TEXT, ValidationErrors};

/// The earliest and latest years an event may take place in.
pub const MIN_YEAR: i32 = 1900;
pub const MAX_YEAR: i32 = 9999;

/// The longest event accepted, in days.
pub const MAX_EVENT_DAYS: u64 = 366;

/// Every field an organizer sets on an event, after create defaults or a patch are applied.
#[derive(Debug, Clone, PartialEq)]
pub struct EventFields {
    pub slug: String,
    pub title: String,
    pub kind: EventKind,
    pub description: Option<String>,
    pub venue: Option<String>,
    pub city: Option<String>,
    pub country: Option<String>,
    pub timezone: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub capacity: Option<i32>,
    pub registration_mode: RegistrationMode,
    pub registration_opens_at: Option<DateTime<Utc>>,
    pub registration_closes_at: Option<DateTime<Utc>>,
    pub waitlist_enabled: bool,
    /// The language of the plain text fields.
    pub default_language: String,
    /// The languages the event is offered in.
    pub languages: Languages,
    pub translations: Translations,
}

/// The text fields of an event that can be translated, with their longest lengths.
pub const TRANSLATABLE: [(&str, usize); 4] = [
    ("title", SHORT_TEXT),
    ("description", LONG_TEXT),
    ("venue", MEDIUM_TEXT),
    ("city", MEDIUM_TEXT),
];

impl EventFields {
    /// Checks every rule; on success returns the parsed time zone.
    pub fn validate(&self) -> Result<Tz, ValidationErrors> {
        self.check(None)
    }

    /// Checks a change of `before`: a country kept as stored passes even when it is not a
    /// code (a row from before codes).
    pub fn validate_change(&self, before: &EventFields) -> Result<Tz, ValidationErrors> {
        self.check(Some(before))
    }

    fn check(&self, before: Option<&EventFields>) -> Result<Tz, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        errors.check("slug", validation::slug(&self.slug));
        errors.required_text("title", &self.title, SHORT_TEXT);
        errors.optional_text("description", self.description.as_deref(), LONG_TEXT);
        errors.optional_text("venue", self.venue.as_deref(), MEDIUM_TEXT);
        errors.optional_text("city", self.city.as_deref(), MEDIUM_TEXT);
        super::country::check(
            &mut errors,
            self.country.as_deref(),
            before.is_some_and(|b| b.country == self.country),
        );
        check_languages(&mut errors, &self.default_language, &self.languages);
        check_translations(&mut errors, &self.translations, &TRANSLATABLE);
        let timezone = errors.check("timezone", parse_timezone(&self.timezone));
        for (field, date) in [("starts_on", self.starts_on), ("ends_on", self.ends_on)] {
            if !(MIN_YEAR..=MAX_YEAR).contains(&date.year()) {
                errors.add(
                    field,
                    format!("must be in the years {MIN_YEAR} to {MAX_YEAR}"),
                );
            }
        }
        for (field, at) in [
            ("registration_opens_at", self.registration_opens_at),
            ("registration_closes_at", self.registration_closes_at),
        ] {
            if let Some(at) = at
                && !(MIN_YEAR..=MAX_YEAR).contains(&at.year())
            {
                errors.add(
                    field,
                    format!("must be in the years {MIN_YEAR} to {MAX_YEAR}"),
                );
            }
        }
        if self.ends_on < self.starts_on {
            errors.add("ends_on", "must be on or after starts_on");
        } else if (self.ends_on - self.starts_on).num_days() as u64 >= MAX_EVENT_DAYS {
            errors.add(
                "ends_on",
                format!("an event lasts at most {MAX_EVENT_DAYS} days"),
            );
        }
        errors.capacity("capacity", self.capacity);
        if let (Some(opens), Some(closes)) =
            (self.registration_opens_at, self.registration_closes_at)
            && closes <= opens
        {
            errors.add(
                "registration_closes_at",
                "must be after registration_opens_at",
            );
        }
        match timezone {
            Some(tz) if errors.is_empty() => Ok(tz),
            _ => Err(errors),
        }
    }
}

/// Parses an IANA time zone name such as `Asia/Ashgabat`.
pub fn parse_timezone(name: &str) -> Result<Tz, String> {
    name.parse::<Tz>()
        .map_err(|_| format!("{name:?} is not an IANA time zone name such as Asia/Ashgabat"))
}

/// The instant a local date begins in a zone (the first valid instant when midnight is skipped).
pub fn start_of_local_day(tz: Tz, date: NaiveDate) -> DateTime<Utc> {
    let mut local = date.and_hms_opt(0, 0, 0).unwrap_or_default();
    // A daylight-saving jump can skip midnight; walk forward to the first instant that exists.
    for _ in 0..=24 * 4 {
        if let Some(instant) = tz.from_local_datetime(&local).earliest() {
            return instant.with_timezone(&Utc);
        }
        local += chrono::Duration::minutes(15);
    }
    Utc.from_utc_datetime(&date.and_hms_opt(0, 0, 0).unwrap_or_default())
}

/// The instants of one local date: from its start to the next date's start (none at the end
/// of the calendar).
pub fn local_day_span(tz: Tz, date: NaiveDate) -> (DateTime<Utc>, Option<DateTime<Utc>>) {
    let next = date
        .checked_add_days(chrono::Days::new(1))
        .map(|next| start_of_local_day(tz, next));
    (start_of_local_day(tz, date), next)
}

/// The half-open span `[start, end)` of instants covered by the local dates of an event.
pub fn local_dates_window(
    tz: Tz,
    starts_on: NaiveDate,
    ends_on: NaiveDate,
) -> (DateTime<Utc>, DateTime<Utc>) {
    let after_end = ends_on.checked_add_days(Days::new(1)).unwrap_or(ends_on);
    (
        start_of_local_day(tz, starts_on),
        start_of_local_day(tz, after_end),
    )
}

/// A state change that the event's current status does not allow.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a {from} event cannot be {action}")]
pub struct StatusChangeRefused {
    pub from: EventStatus,
    pub action: &'static str,
}

/// The status after `publish`: drafts become published; publishing twice changes nothing.
pub fn publish(from: EventStatus) -> Result<EventStatus, StatusChangeRefused> {
    match from {
        EventStatus::Draft | EventStatus::Published => Ok(EventStatus::Published),
        EventStatus::Cancelled => Err(StatusChangeRefused {
            from,
            action: "published",
        }),
    }
}

/// The status after `cancel`: any event can be cancelled, once.
pub fn cancel(_from: EventStatus) -> Result<EventStatus, StatusChangeRefused> {
    Ok(EventStatus::Cancelled)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields() -> EventFields {
        EventFields {
            slug: "dialogue-2026".into(),
            title: "Dialogue".into(),
            kind: EventKind::Dialogue,
            description: None,
            venue: None,
            city: None,
            country: None,
            timezone: "Asia/Ashgabat".into(),
            starts_on: NaiveDate::from_ymd_opt(2026, 11, 18).unwrap(),
            ends_on: NaiveDate::from_ymd_opt(2026, 11, 19).unwrap(),
            capacity: Some(300),
            registration_mode: RegistrationMode::Open,
            registration_opens_at: None,
            registration_closes_at: None,
            waitlist_enabled: true,
            default_language: "tk".into(),
            languages: crate::domain::language::all_languages(),
            translations: Default::default(),
        }
    }

    #[test]
    fn valid_event_passes() {
        assert_eq!(fields().validate().unwrap(), chrono_tz::Asia::Ashgabat);
    }

    #[test]
    fn every_rule_is_reported() {
        let mut bad = fields();
        bad.slug = "Bad Slug".into();
        bad.timezone = "GMT+5".into();
        bad.ends_on = NaiveDate::from_ymd_opt(2026, 11, 1).unwrap();
        bad.capacity = Some(-1);
        let errors = bad.validate().unwrap_err();
        let fields: Vec<_> = errors.errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["slug", "timezone", "ends_on", "capacity"]);
    }

    #[test]
    fn window_follows_local_midnight() {
        let f = fields();
        let (start, end) = local_dates_window(chrono_tz::Asia::Ashgabat, f.starts_on, f.ends_on);
        assert_eq!(start.to_rfc3339(), "2026-11-17T19:00:00+00:00");
        assert_eq!(end.to_rfc3339(), "2026-11-19T19:00:00+00:00");
    }

    #[test]
    fn cancelled_events_cannot_be_published() {
        assert!(publish(EventStatus::Cancelled).is_err());
        assert_eq!(publish(EventStatus::Draft), Ok(EventStatus::Published));
    }
}
