//! `schedule.json` in the c3voc format, valid against its JSON schema
//! (`vendor/voc-schedule/schema.json`): the same days, rooms and events as `schedule.xml`.
//! Persons carry `name` (and the older `public_name`) but no integer `id`: the schema's
//! `oneOf` would then match both its frab and its pretalx person and refuse the document.

use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};

use super::{GENERATOR, Schedule, TIMESLOT, Talk};

/// The schema the document follows.
pub const SCHEMA: &str = "https://c3voc.de/schedule/schema.json";

/// The document, UTF-8.
pub fn render(schedule: &Schedule) -> Result<Vec<u8>, serde_json::Error> {
    serde_json::to_vec(&Document::of(schedule))
}

#[derive(Serialize)]
struct Document<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    generator: Generator,
    schedule: Body<'a>,
}

#[derive(Serialize)]
struct Generator {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct Body<'a> {
    url: &'a str,
    version: &'a str,
    base_url: &'a str,
    conference: Conference<'a>,
}

#[derive(Serialize)]
struct Conference<'a> {
    acronym: &'a str,
    title: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
    start: String,
    end: String,
    #[serde(rename = "daysCount")]
    days_count: usize,
    timeslot_duration: &'static str,
    /// Left out when the schema's pattern would refuse the zone's name (`Etc/GMT+5`).
    #[serde(skip_serializing_if = "Option::is_none")]
    time_zone_name: Option<&'a str>,
    url: &'a str,
    tracks: Vec<Track<'a>>,
    rooms: Vec<Room<'a>>,
    days: Vec<Day<'a>>,
}

#[derive(Serialize)]
struct Track<'a> {
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    color: Option<&'a str>,
}

#[derive(Serialize)]
struct Room<'a> {
    name: &'a str,
    guid: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    capacity: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
}

#[derive(Serialize)]
struct Day<'a> {
    index: usize,
    date: String,
    day_start: String,
    day_end: String,
    rooms: DayRooms<'a>,
}

/// A day's rooms by name, in the schedule's room order (an object whose keys keep it).
struct DayRooms<'a> {
    names: Vec<&'a str>,
    talks: &'a [Vec<Talk>],
}

impl Serialize for DayRooms<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.names.len()))?;
        for (name, talks) in self.names.iter().zip(self.talks) {
            let events: Vec<Event<'_>> = talks.iter().map(Event::of).collect();
            map.serialize_entry(name, &events)?;
        }
        map.end()
    }
}

#[derive(Serialize)]
struct Event<'a> {
    guid: String,
    id: i32,
    date: String,
    start: String,
    end: String,
    duration: String,
    room: &'a str,
    slug: &'a str,
    url: &'a str,
    title: &'a str,
    subtitle: &'static str,
    /// Empty rather than `null` when the session has no track (EventFahrplan's event model
    /// has no default for it).
    track: &'a str,
    #[serde(rename = "type")]
    kind: &'a str,
    language: &'a str,
    #[serde(rename = "abstract")]
    abstract_text: &'a str,
    description: &'static str,
    persons: Vec<Person<'a>>,
    links: [(); 0],
}

#[derive(Serialize)]
struct Person<'a> {
    guid: String,
    name: &'a str,
    public_name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    biography: Option<&'a str>,
    url: &'a str,
}

impl<'a> Document<'a> {
    fn of(s: &'a Schedule) -> Self {
        let c = &s.conference;
        Document {
            schema: SCHEMA,
            generator: Generator {
                name: GENERATOR,
                version: env!("CARGO_PKG_VERSION"),
            },
            schedule: Body {
                url: &s.url,
                version: &s.version,
                base_url: &s.base_url,
                conference: Conference {
                    acronym: &c.acronym,
                    title: &c.title,
                    description: c.description.as_deref(),
                    start: c.start.to_string(),
                    end: c.end.to_string(),
                    days_count: s.days.len(),
                    timeslot_duration: TIMESLOT,
                    time_zone_name: schema_accepts_zone(&c.time_zone).then_some(&c.time_zone),
                    url: &c.url,
                    tracks: s
                        .tracks
                        .iter()
                        .map(|t| Track {
                            name: &t.name,
                            color: t.color.as_deref(),
                        })
                        .collect(),
                    rooms: s
                        .rooms
                        .iter()
                        .map(|r| Room {
                            name: &r.name,
                            guid: r.guid.to_string(),
                            capacity: r.capacity,
                            description: r.description.as_deref(),
                        })
                        .collect(),
                    days: s
                        .days
                        .iter()
                        .map(|d| Day {
                            index: d.index,
                            date: d.date.to_string(),
                            day_start: d.start.to_rfc3339(),
                            day_end: d.end.to_rfc3339(),
                            rooms: DayRooms {
                                names: s.rooms.iter().map(|r| r.name.as_str()).collect(),
                                talks: &d.rooms,
                            },
                        })
                        .collect(),
                },
            },
        }
    }
}

impl<'a> Event<'a> {
    fn of(t: &'a Talk) -> Self {
        Event {
            guid: t.guid.to_string(),
            id: t.id,
            date: t.start.to_rfc3339(),
            start: t.start_hhmm(),
            end: t.end.to_rfc3339(),
            duration: t.duration(),
            room: &t.room,
            slug: &t.slug,
            url: &t.url,
            title: &t.title,
            subtitle: "",
            track: t.track.as_deref().unwrap_or_default(),
            kind: &t.kind,
            language: &t.language,
            abstract_text: &t.abstract_text,
            description: "",
            persons: t
                .persons
                .iter()
                .map(|p| Person {
                    guid: p.guid.to_string(),
                    name: &p.name,
                    public_name: &p.name,
                    biography: p.biography.as_deref(),
                    url: &p.url,
                })
                .collect(),
            links: [],
        }
    }
}

/// The schema's `time_zone_name` pattern, `^([A-Z][a-z]+/[A-Z][a-z]+)|UTC$`: an area and a
/// capitalised city at the start, or `UTC` at the end.
fn schema_accepts_zone(zone: &str) -> bool {
    let capitalised = |word: &str| {
        let mut chars = word.chars();
        chars.next().is_some_and(|c| c.is_ascii_uppercase())
            && chars.next().is_some_and(|c| c.is_ascii_lowercase())
    };
    zone.ends_with("UTC")
        || zone.split_once('/').is_some_and(|(area, city)| {
            area.chars().next().is_some_and(|c| c.is_ascii_uppercase())
                && area[1..].chars().all(|c| c.is_ascii_lowercase())
                && area.len() > 1
                && capitalised(city)
        })
}

#[cfg(test)]
mod tests {
    use super::schema_accepts_zone;

    #[test]
    fn zone_names_the_schema_pattern_refuses_are_left_out() {
        assert!(schema_accepts_zone("Asia/Ashgabat"));
        assert!(schema_accepts_zone("Europe/Berlin"));
        assert!(schema_accepts_zone("America/Argentina/Buenos_Aires"));
        assert!(schema_accepts_zone("UTC"));
        assert!(!schema_accepts_zone("Etc/GMT+5"));
    }
}
