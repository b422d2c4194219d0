//! The use case behind the schedule exports (`schedule.xml`, `schedule.json`): reads an
//! event's published sessions (drafts and cancelled ones never appear: these formats have no
//! tombstones), their rooms, tracks and speakers and the sessions' numbers, and builds the
//! format-neutral [`Schedule`] in the reader's language.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Days, FixedOffset, NaiveDate, Utc};
use chrono_tz::Tz;
use uuid::Uuid;

use entities::{events, rooms};

use super::agenda::{AgendaQuery, References};
use crate::application::AppState;
use crate::domain::event::{parse_timezone, start_of_local_day};
use crate::domain::language::{Texts, Translations};
use crate::error::AppError;
use crate::schedule::{
    self, Conference, Day, Person, Room, Schedule, Talk, Track, is_hex_color, unique_names,
};
use crate::store;

/// The two formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    FrabXml,
    C3vocJson,
}

impl Format {
    pub fn file_name(self) -> &'static str {
        match self {
            Format::FrabXml => "schedule.xml",
            Format::C3vocJson => "schedule.json",
        }
    }
}

/// The schedule of a visible event in `format`, texts in `language`.
pub async fn render(
    state: &AppState,
    event: &events::Model,
    format: Format,
    language: &str,
) -> Result<Vec<u8>, AppError> {
    let schedule = build(state, event, format, language).await?;
    match format {
        Format::FrabXml => schedule::frab_xml::render(&schedule).map_err(|e| e.to_string()),
        Format::C3vocJson => schedule::c3voc_json::render(&schedule).map_err(|e| e.to_string()),
    }
    .map_err(AppError::unexpected)
}

/// The format-neutral schedule.
pub async fn build(
    state: &AppState,
    event: &events::Model,
    format: Format,
    language: &str,
) -> Result<Schedule, AppError> {
    let tz = parse_timezone(&event.timezone).map_err(AppError::unexpected)?;
    let (rows, refs) = super::agenda::programme(state, event, &AgendaQuery::default()).await?;
    let numbers = store::session_numbers::of_event(&state.db, event.id).await?;
    let public = state.config.public_url.trim_end_matches('/');
    let event_url = format!("{public}/events/{}", event.slug);
    let acronym = schedule::acronym(&event.slug);
    let texts = |translations: &Translations, field: &str, plain: &str| {
        Texts::new(translations, language)
            .text(field, plain)
            .to_owned()
    };

    let rooms = ordered_rooms(&refs, rows.iter().map(|r| r.session.room_id));
    // Sessions without a room are in the whole venue (named by the venue, else the event).
    let venue_room =
        rows.iter()
            .any(|r| r.session.room_id.is_none())
            .then(|| match event.venue.as_deref() {
                Some(venue) => texts(&event.translations, "venue", venue),
                None => texts(&event.translations, "title", &event.title),
            });
    let mut names: Vec<String> = rooms
        .iter()
        .map(|r| texts(&r.translations, "name", &r.name))
        .collect();
    names.extend(venue_room.clone());
    let names = unique_names(names);
    let mut room_list: Vec<Room> = rooms
        .iter()
        .zip(&names)
        .map(|(r, name)| Room {
            guid: r.id,
            name: name.clone(),
            capacity: r.capacity,
            description: Texts::new(&r.translations, language)
                .optional("description", r.description.as_deref())
                .map(str::to_owned),
        })
        .collect();
    if venue_room.is_some() {
        room_list.push(Room {
            // The whole venue has no room row; the event's id stands for it.
            guid: event.id,
            name: names.last().cloned().unwrap_or_default(),
            capacity: None,
            description: None,
        });
    }
    let slot_of: HashMap<Option<Uuid>, usize> = rooms
        .iter()
        .enumerate()
        .map(|(i, r)| (Some(r.id), i))
        .chain(venue_room.map(|_| (None, rooms.len())))
        .collect();

    let mut days: BTreeMap<NaiveDate, Vec<Vec<Talk>>> = event_dates(event)
        .map(|date| (date, vec![Vec::new(); room_list.len()]))
        .collect();
    for row in &rows {
        let s = &row.session;
        let Some(&slot) = slot_of.get(&s.room_id) else {
            continue;
        };
        let Some(&id) = numbers.get(&s.id) else {
            // A session is numbered in the transaction that creates it; none can lack one.
            return Err(AppError::unexpected(format!(
                "session {} has no number",
                s.id
            )));
        };
        let start = local(s.starts_at, tz);
        let title = texts(&s.translations, "title", &s.title);
        let talk = Talk {
            id,
            guid: s.id,
            start,
            end: local(s.ends_at, tz),
            room: room_list[slot].name.clone(),
            slug: schedule::talk_slug(&acronym, id, &title),
            title,
            track: s
                .track_id
                .and_then(|t| refs.tracks.get(&t))
                .map(|t| texts(&t.translations, "name", &t.name)),
            kind: s.kind.as_str().to_owned(),
            language: s.language.clone(),
            abstract_text: Texts::new(&s.translations, language)
                .optional("abstract", s.r#abstract.as_deref())
                .unwrap_or_default()
                .to_owned(),
            persons: row
                .speaker_ids
                .iter()
                .filter_map(|id| refs.speakers.get(id))
                .map(|sp| Person {
                    guid: sp.id,
                    id: schedule::person_id(sp.id),
                    name: sp.full_name.clone(),
                    biography: Texts::new(&sp.translations, language)
                        .optional("bio", sp.bio.as_deref())
                        .map(str::to_owned),
                    url: format!("{event_url}/speakers/{}?lang={language}", sp.id),
                })
                .collect(),
            url: format!("{event_url}/sessions/{}?lang={language}", s.id),
        };
        days.entry(start.date_naive())
            .or_insert_with(|| vec![Vec::new(); room_list.len()])[slot]
            .push(talk);
    }

    let mut tracks: Vec<Track> = refs
        .tracks
        .values()
        .map(|t| Track {
            name: texts(&t.translations, "name", &t.name),
            color: t.color.clone().filter(|c| is_hex_color(c)),
        })
        .collect();
    tracks.sort_by(|a, b| a.name.cmp(&b.name));

    let file = format.file_name();
    Ok(Schedule {
        version: event.agenda_version.to_string(),
        url: format!(
            "{public}/api/v1/events/{}/{file}?lang={language}",
            event.slug
        ),
        base_url: format!("{public}/"),
        conference: Conference {
            acronym,
            title: texts(&event.translations, "title", &event.title),
            description: Texts::new(&event.translations, language)
                .optional("description", event.description.as_deref())
                .map(str::to_owned),
            start: event.starts_on,
            end: event.ends_on,
            time_zone: event.timezone.clone(),
            url: format!("{event_url}?lang={language}"),
        },
        rooms: room_list,
        tracks,
        days: days
            .into_iter()
            .enumerate()
            .map(|(i, (date, mut rooms))| {
                for talks in &mut rooms {
                    talks.sort_by_key(|t| (t.start, t.id));
                }
                let start = local(start_of_local_day(tz, date), tz);
                let next_midnight = date
                    .checked_add_days(Days::new(1))
                    .map(|next| local(start_of_local_day(tz, next), tz))
                    .unwrap_or(start);
                let last_end = rooms.iter().flatten().map(|t| t.end).max();
                Day {
                    index: i + 1,
                    date,
                    start,
                    end: last_end.map_or(next_midnight, |end| end.max(next_midnight)),
                    rooms,
                }
            })
            .collect(),
    })
}

/// The rooms the sessions use, by position (then name, then id): the same order every day.
fn ordered_rooms(
    refs: &References,
    used: impl Iterator<Item = Option<Uuid>>,
) -> Vec<&rooms::Model> {
    let mut seen: Vec<Uuid> = used.flatten().collect();
    seen.sort();
    seen.dedup();
    let mut rooms: Vec<&rooms::Model> = seen.iter().filter_map(|id| refs.rooms.get(id)).collect();
    rooms.sort_by(|a, b| (a.position, &a.name, a.id).cmp(&(b.position, &b.name, b.id)));
    rooms
}

/// Every local date of the event.
fn event_dates(event: &events::Model) -> impl Iterator<Item = NaiveDate> {
    event
        .starts_on
        .iter_days()
        .take_while(move |d| *d <= event.ends_on)
        .take(366)
}

fn local(at: DateTime<Utc>, tz: Tz) -> DateTime<FixedOffset> {
    at.with_timezone(&tz).fixed_offset()
}
