//! The schedule that conference apps read (Giggity, ConfClerk, EventFahrplan, the c3voc
//! tools), independent of its two formats: an event's published sessions grouped by local day
//! and by room, rooms in one order on every day, and the rules these apps need: integer ids
//! that never change, `guid` equal to the session's UUID (the calendar feeds' UIDs), ASCII
//! slugs, durations as `HH:MM` below 24 hours, times with their offsets. [`frab_xml`] writes
//! `schedule.xml`, [`c3voc_json`] writes `schedule.json`.

pub mod c3voc_json;
pub mod frab_xml;

use chrono::{DateTime, FixedOffset, NaiveDate};
use uuid::Uuid;

/// The name the exports give as their generator.
pub const GENERATOR: &str = "Dialogue";

/// The grid step apps draw with (frab `timeslot_duration`).
pub const TIMESLOT: &str = "00:05";

/// The longest duration written: apps read `24:00` and more as a day or break on it
/// (Giggity); longer sessions say their real end in `end` (JSON).
const LONGEST_MINUTES: i64 = 23 * 60 + 59;

/// Longest ASCII title part of a slug.
const SLUG_TITLE_CHARS: usize = 48;

/// A whole schedule.
#[derive(Debug, Clone)]
pub struct Schedule {
    /// Changes whenever the programme changes (the event's agenda version).
    pub version: String,
    /// The address of this `schedule.xml` (or `.json`).
    pub url: String,
    /// The service's public address, ending in `/`.
    pub base_url: String,
    pub conference: Conference,
    /// Every room a session uses, in the order every day lists them.
    pub rooms: Vec<Room>,
    pub tracks: Vec<Track>,
    pub days: Vec<Day>,
}

/// The event.
#[derive(Debug, Clone)]
pub struct Conference {
    /// ASCII, lower case, at least four characters, no hyphen (valid in both schemas).
    pub acronym: String,
    pub title: String,
    pub description: Option<String>,
    pub start: NaiveDate,
    pub end: NaiveDate,
    /// IANA name, e.g. `Asia/Ashgabat`.
    pub time_zone: String,
    /// The event's page.
    pub url: String,
}

/// A room (or the whole venue, for sessions without a room).
#[derive(Debug, Clone)]
pub struct Room {
    pub guid: Uuid,
    /// Unique within the schedule (apps key rooms by name).
    pub name: String,
    pub capacity: Option<i32>,
    pub description: Option<String>,
}

/// A track.
#[derive(Debug, Clone)]
pub struct Track {
    pub name: String,
    /// `#rrggbb`.
    pub color: Option<String>,
}

/// One local day of the event.
#[derive(Debug, Clone)]
pub struct Day {
    /// From 1.
    pub index: usize,
    pub date: NaiveDate,
    /// Local midnight.
    pub start: DateTime<FixedOffset>,
    /// The next local midnight, or the end of the day's last session if later.
    pub end: DateTime<FixedOffset>,
    /// The day's sessions per room, in the order of [`Schedule::rooms`] (empty rooms too).
    pub rooms: Vec<Vec<Talk>>,
}

/// A session as the apps see it.
#[derive(Debug, Clone)]
pub struct Talk {
    /// Allocated once per session, never reused.
    pub id: i32,
    /// The session's UUID.
    pub guid: Uuid,
    pub start: DateTime<FixedOffset>,
    pub end: DateTime<FixedOffset>,
    pub room: String,
    pub slug: String,
    pub title: String,
    pub track: Option<String>,
    /// The session kind (`talk`, `workshop`, `training`, …).
    pub kind: String,
    /// BCP 47.
    pub language: String,
    pub abstract_text: String,
    pub persons: Vec<Person>,
    /// The session's page.
    pub url: String,
}

/// A speaker: public fields only.
#[derive(Debug, Clone)]
pub struct Person {
    pub guid: Uuid,
    /// A positive integer derived from the UUID's random bits, the same in every export
    /// (ConfClerk keys persons by it).
    pub id: i64,
    pub name: String,
    pub biography: Option<String>,
    /// The speaker's page.
    pub url: String,
}

impl Talk {
    /// Local start as `HH:MM`.
    pub fn start_hhmm(&self) -> String {
        self.start.format("%H:%M").to_string()
    }

    /// Length as `HH:MM`, at most `23:59` (see [`LONGEST_MINUTES`]).
    pub fn duration(&self) -> String {
        let minutes = (self.end - self.start)
            .num_minutes()
            .clamp(0, LONGEST_MINUTES);
        format!("{:02}:{:02}", minutes / 60, minutes % 60)
    }
}

/// The conference acronym of an event slug: lower-case ASCII letters, digits and `_`, at
/// least four characters (hyphens become `_`: the JSON schema allows a hyphen only in a
/// `-2026-name` suffix, and the XML slug pattern needs the acronym without one).
pub fn acronym(slug: &str) -> String {
    let mut acronym: String = deunicode::deunicode(slug)
        .to_ascii_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    while acronym.len() < 4 {
        acronym.push('_');
    }
    acronym
}

/// A session's slug: `{acronym}-{id}-{title in ASCII}`, unique through the id, valid for the
/// XML schema (`[a-z0-9_]{4,}-[a-z0-9-_]{4,}`) and the JSON one (ends in a letter or digit).
pub fn talk_slug(acronym: &str, id: i32, title: &str) -> String {
    let mut words = String::new();
    for c in deunicode::deunicode(title).to_ascii_lowercase().chars() {
        if c.is_ascii_alphanumeric() {
            words.push(c);
        } else if !words.ends_with('-') && !words.is_empty() {
            words.push('-');
        }
        if words.len() >= SLUG_TITLE_CHARS {
            break;
        }
    }
    let words = words.trim_matches('-');
    let words = if words.is_empty() { "session" } else { words };
    format!("{acronym}-{id}-{words}")
}

/// A person's integer id: 31 of the UUID's last (random) bits, plus one.
pub fn person_id(guid: Uuid) -> i64 {
    i64::from((guid.as_u128() & 0x7fff_ffff) as u32) + 1
}

/// Whether a colour is `#rrggbb` (the only form both schemas accept).
pub fn is_hex_color(color: &str) -> bool {
    color.len() == 7 && color.starts_with('#') && color[1..].chars().all(|c| c.is_ascii_hexdigit())
}

/// Room names made unique: a second room of the same name gets ` (2)`, and so on.
pub fn unique_names(names: Vec<String>) -> Vec<String> {
    let mut seen: Vec<String> = Vec::with_capacity(names.len());
    for name in names {
        let mut candidate = name.clone();
        let mut n = 2;
        while seen.contains(&candidate) {
            candidate = format!("{name} ({n})");
            n += 1;
        }
        seen.push(candidate);
    }
    seen
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn talk(minutes: i64) -> Talk {
        let start = FixedOffset::east_opt(5 * 3600)
            .and_then(|tz| tz.with_ymd_and_hms(2026, 12, 10, 9, 5, 0).single())
            .expect("a valid time");
        Talk {
            id: 1,
            guid: Uuid::nil(),
            start,
            end: start + chrono::Duration::minutes(minutes),
            room: "Hall".into(),
            slug: "dialogue-1-x".into(),
            title: "x".into(),
            track: None,
            kind: "talk".into(),
            language: "en".into(),
            abstract_text: String::new(),
            persons: Vec::new(),
            url: String::new(),
        }
    }

    #[test]
    fn durations_are_two_parts_below_a_day() {
        assert_eq!(talk(45).duration(), "00:45");
        assert_eq!(talk(90).duration(), "01:30");
        assert_eq!(talk(23 * 60 + 59).duration(), "23:59");
        assert_eq!(talk(24 * 60).duration(), "23:59");
        assert_eq!(talk(45).start_hhmm(), "09:05");
    }

    #[test]
    fn acronyms_have_no_hyphen_and_four_characters() {
        assert_eq!(acronym("dialogue-2026"), "dialogue_2026");
        assert_eq!(acronym("ai"), "ai__");
    }

    #[test]
    fn slugs_are_ascii_and_unique_by_id() {
        assert_eq!(
            talk_slug("dialogue_2026", 7, "Sanly hökümet: täze mümkinçilikler"),
            "dialogue_2026-7-sanly-hokumet-taze-mumkincilikler"
        );
        assert_eq!(
            talk_slug("dialogue_2026", 8, "Кибербезопасность"),
            "dialogue_2026-8-kiberbezopasnost"
        );
        assert_eq!(
            talk_slug("dialogue_2026", 9, "!!!"),
            "dialogue_2026-9-session"
        );
        let long = talk_slug("abcd", 1, &"word ".repeat(40));
        assert!(long.len() <= "abcd-1-".len() + SLUG_TITLE_CHARS);
        assert!(!long.ends_with('-'));
    }

    #[test]
    fn room_names_are_made_unique() {
        assert_eq!(
            unique_names(vec!["Hall".into(), "Hall".into(), "Room".into()]),
            vec!["Hall", "Hall (2)", "Room"]
        );
    }

    #[test]
    fn person_ids_are_positive_and_stable() {
        let guid = Uuid::from_u128(0xffff_ffff_ffff_ffff);
        assert_eq!(person_id(guid), 0x8000_0000);
        assert_eq!(person_id(Uuid::nil()), 1);
    }
}
