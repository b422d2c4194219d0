//! The demo programme, loaded once and idempotently on `serve --demo`, through the same use
//! cases as every front end.

use chrono::{DateTime, Days, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;
use uuid::Uuid;

use crate::app;
use crate::application::AppState;
use crate::bootstrap_texts::TEXTS;
use crate::domain::enums::{EventKind, RegistrationMode, SessionKind, SessionStatus};
use crate::domain::event::EventFields;
use crate::domain::language::{Translations, all_languages};
use crate::domain::session::SessionFields;
use crate::domain::speaker::{RoomFields, SpeakerFields, TrackFields};
use crate::error::AppError;
use crate::store;

/// The slug of the demo Dialogue.
pub const DEMO_DIALOGUE: &str = "dialogue-2026";
/// The slug of the demo training course series.
pub const DEMO_TRAINING: &str = "cyber-ai-training";

/// Loads the demo programme unless it is there already. Returns whether it loaded anything.
pub async fn load_demo(state: &AppState, today: NaiveDate) -> Result<bool, AppError> {
    if store::events::find(&state.writer, DEMO_DIALOGUE)
        .await?
        .is_some()
    {
        return Ok(false);
    }
    let tz: Tz = chrono_tz::Asia::Ashgabat;
    let dialogue_day1 = today.checked_add_days(Days::new(30)).unwrap_or(today);
    load_dialogue(state, tz, dialogue_day1).await?;
    let training_day1 = dialogue_day1
        .checked_add_days(Days::new(3))
        .unwrap_or(today);
    load_training(state, tz, training_day1).await?;
    state.agenda_changed();
    Ok(true)
}

fn at(tz: Tz, day: NaiveDate, hour: u32, minute: u32) -> DateTime<Utc> {
    let naive = day.and_hms_opt(hour, minute, 0).unwrap_or_default();
    tz.from_local_datetime(&naive)
        .earliest()
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_else(|| Utc.from_utc_datetime(&naive))
}

/// The Turkmen and Russian texts of these English fields, where the demo has them.
fn translated(fields: &[(&str, &str)]) -> Translations {
    let mut translations = Translations::default();
    for (field, english) in fields {
        let Some((_, tk, ru)) = TEXTS.iter().find(|(en, _, _)| en == english) else {
            continue;
        };
        for (language, text) in [("tk", tk), ("ru", ru)] {
            translations
                .0
                .entry(language.to_owned())
                .or_default()
                .insert((*field).to_owned(), (*text).to_owned());
        }
    }
    translations
}

fn text(value: &str) -> Option<String> {
    Some(value.to_owned())
}

async fn create_published_event(
    state: &AppState,
    fields: EventFields,
) -> Result<entities::events::Model, AppError> {
    let mut fields = fields;
    fields.translations = translated(&[
        ("title", &fields.title),
        ("description", fields.description.as_deref().unwrap_or("")),
        ("venue", fields.venue.as_deref().unwrap_or("")),
        ("city", fields.city.as_deref().unwrap_or("")),
    ]);
    let event = app::events::create(state, fields).await?;
    app::events::publish(state, &event.id.to_string()).await
}

struct DemoSession<'a> {
    day: NaiveDate,
    start: (u32, u32),
    end: (u32, u32),
    title: &'a str,
    summary: &'a str,
    kind: SessionKind,
    track: Option<usize>,
    room: usize,
    language: &'a str,
    capacity: Option<i32>,
    speakers: &'a [usize],
}

async fn add_sessions(
    state: &AppState,
    event_id: Uuid,
    tz: Tz,
    tracks: &[Uuid],
    rooms: &[Uuid],
    speakers: &[Uuid],
    sessions: &[DemoSession<'_>],
) -> Result<(), AppError> {
    for s in sessions {
        let fields = SessionFields {
            title: s.title.to_owned(),
            r#abstract: text(s.summary),
            kind: s.kind,
            track_id: s.track.map(|i| tracks[i]),
            room_id: Some(rooms[s.room]),
            starts_at: at(tz, s.day, s.start.0, s.start.1),
            ends_at: at(tz, s.day, s.end.0, s.end.1),
            language: s.language.to_owned(),
            capacity: s.capacity,
            speaker_ids: s.speakers.iter().map(|i| speakers[*i]).collect(),
            status: SessionStatus::Published,
            translations: translated(&[("title", s.title), ("abstract", s.summary)]),
        };
        app::sessions::create(state, &event_id.to_string(), fields, false).await?;
    }
    Ok(())
}

async fn add_tracks(
    state: &AppState,
    event_id: Uuid,
    tracks: &[(&str, &str, Option<&str>)],
) -> Result<Vec<Uuid>, AppError> {
    let mut ids = Vec::new();
    for (name, color, description) in tracks {
        let fields = TrackFields {
            name: (*name).to_owned(),
            color: text(color),
            description: description.map(str::to_owned),
            translations: translated(&[("name", name), ("description", description.unwrap_or(""))]),
        };
        ids.push(
            app::programme::create(state, &event_id.to_string(), fields)
                .await?
                .1
                .id,
        );
    }
    Ok(ids)
}

async fn add_rooms(
    state: &AppState,
    event_id: Uuid,
    rooms: &[(&str, i32)],
) -> Result<Vec<Uuid>, AppError> {
    let mut ids = Vec::new();
    for (name, capacity) in rooms {
        let fields = RoomFields {
            name: (*name).to_owned(),
            capacity: Some(*capacity),
            description: None,
            position: None,
            translations: translated(&[("name", name)]),
        };
        ids.push(
            app::programme::create(state, &event_id.to_string(), fields)
                .await?
                .1
                .id,
        );
    }
    Ok(ids)
}

async fn add_speakers(
    state: &AppState,
    event_id: Uuid,
    people: &[(&str, &str, &str, &str)],
) -> Result<Vec<Uuid>, AppError> {
    let mut ids = Vec::new();
    for (name, position, organization, country) in people {
        let fields = SpeakerFields {
            full_name: (*name).to_owned(),
            position: text(position),
            organization: text(organization),
            country: text(country),
            bio: None,
            photo_url: None,
            email: None,
            translations: translated(&[("position", position), ("organization", organization)]),
        };
        ids.push(
            app::programme::create(state, &event_id.to_string(), fields)
                .await?
                .1
                .id,
        );
    }
    Ok(ids)
}

async fn load_dialogue(state: &AppState, tz: Tz, day1: NaiveDate) -> Result<(), AppError> {
    let day2 = day1.checked_add_days(Days::new(1)).unwrap_or(day1);
    let event = create_published_event(
        state,
        EventFields {
            slug: DEMO_DIALOGUE.into(),
            title: "Interregional Dialogue on Digital Cooperation".into(),
            kind: EventKind::Dialogue,
            description: text(
                "Two days of plenaries, panels and workshops for government offices, \
                 international partners and IT specialists: cybersecurity, digital public and \
                 banking services, digital legislation and AI in public administration. \
                 Interpretation: Turkmen, Russian, English.",
            ),
            venue: text("Congress Centre, Hall of Dialogue"),
            city: text("Ashgabat"),
            country: text("Turkmenistan"),
            timezone: "Asia/Ashgabat".into(),
            starts_on: day1,
            ends_on: day2,
            capacity: Some(400),
            registration_mode: RegistrationMode::Open,
            registration_opens_at: None,
            registration_closes_at: Some(at(tz, day1, 9, 0)),
            waitlist_enabled: true,
            // The demo's texts are written in English and translated (bootstrap_texts).
            default_language: "en".into(),
            languages: all_languages(),
            translations: Translations::default(),
        },
    )
    .await?;
    let tracks = add_tracks(
        state,
        event.id,
        &[
            (
                "Cybersecurity and critical infrastructure",
                "#C0392B",
                Some("Protecting energy, transport, finance and government networks."),
            ),
            (
                "Digital public and banking services",
                "#2E86C1",
                Some("E-government portals, digital identity, payments and inclusion."),
            ),
            (
                "Legislation and international digital conventions",
                "#8E44AD",
                Some("Data protection, cybercrime conventions, cross-border data."),
            ),
            (
                "AI in public administration",
                "#16A085",
                Some("Responsible use of AI in ministries and public services."),
            ),
        ],
    )
    .await?;
    let rooms = add_rooms(
        state,
        event.id,
        &[
            ("Plenary Hall", 600),
            ("Hall A", 150),
            ("Hall B", 90),
            ("Workshop Room 1", 25),
        ],
    )
    .await?;
    let speakers = add_speakers(
        state,
        event.id,
        &[
            (
                "Maýsa Annaýewa",
                "Deputy Director, Digital Services",
                "State Centre for E-Government",
                "Turkmenistan",
            ),
            (
                "Dmitri Volkonsky",
                "Senior Cybersecurity Adviser",
                "OSCE Programme Office",
                "Austria",
            ),
            (
                "Amelia Hart",
                "Digital Governance Specialist",
                "UNDP Regional Hub",
                "United Kingdom",
            ),
            (
                "Kristjan Mägi",
                "Programme Director",
                "e-Governance Academy",
                "Estonia",
            ),
            (
                "Serdar Orazow",
                "Head of Information Security",
                "Central Bank Digital Office",
                "Turkmenistan",
            ),
            (
                "Aigerim Sultanova",
                "Legal Counsel, ICT Law",
                "UN Regional Commission",
                "Kazakhstan",
            ),
            (
                "Bahrom Nazarov",
                "AI Lead",
                "Ministry of Digital Development",
                "Uzbekistan",
            ),
            (
                "Gülşat Meredowa",
                "Lecturer, Information Systems",
                "Institute of Telecommunications",
                "Turkmenistan",
            ),
        ],
    )
    .await?;
    use SessionKind::*;
    let sessions = [
        DemoSession {
            day: day1,
            start: (9, 0),
            end: (9, 45),
            title: "Opening ceremony",
            summary: "Welcome addresses by the hosts and international partners.",
            kind: Ceremony,
            track: None,
            room: 0,
            language: "tk",
            capacity: None,
            speakers: &[0],
        },
        DemoSession {
            day: day1,
            start: (9, 45),
            end: (10, 30),
            title: "Keynote: Trust as the infrastructure of digital cooperation",
            summary: "Why shared security baselines make cross-border services possible.",
            kind: Keynote,
            track: Some(0),
            room: 0,
            language: "en",
            capacity: None,
            speakers: &[3],
        },
        DemoSession {
            day: day1,
            start: (10, 30),
            end: (11, 0),
            title: "Coffee break",
            summary: "Foyer, ground floor.",
            kind: Break,
            track: None,
            room: 0,
            language: "en",
            capacity: None,
            speakers: &[],
        },
        DemoSession {
            day: day1,
            start: (11, 0),
            end: (12, 30),
            title: "Panel: Protecting critical information infrastructure",
            summary: "Incident response, national CERTs and regional information sharing.",
            kind: Panel,
            track: Some(0),
            room: 1,
            language: "ru",
            capacity: None,
            speakers: &[1, 4],
        },
        DemoSession {
            day: day1,
            start: (11, 0),
            end: (12, 30),
            title: "Digital identity for public and banking services",
            summary: "One login for citizens: from pilots to nationwide services.",
            kind: Talk,
            track: Some(1),
            room: 2,
            language: "en",
            capacity: None,
            speakers: &[2],
        },
        DemoSession {
            day: day1,
            start: (14, 0),
            end: (15, 30),
            title: "Digital services: access for every citizen",
            summary: "Making digital public services accessible to every citizen.",
            kind: Talk,
            track: Some(1),
            room: 1,
            language: "tk",
            capacity: None,
            speakers: &[0, 7],
        },
        DemoSession {
            day: day1,
            start: (14, 0),
            end: (17, 0),
            title: "Workshop: Tabletop exercise on a ransomware attack",
            summary: "Hands-on exercise for CERT and ministry staff. Limited seats.",
            kind: Workshop,
            track: Some(0),
            room: 3,
            language: "ru",
            capacity: Some(25),
            speakers: &[1],
        },
        DemoSession {
            day: day1,
            start: (18, 30),
            end: (21, 0),
            title: "Reception",
            summary: "Evening reception for delegates.",
            kind: Networking,
            track: None,
            room: 0,
            language: "en",
            capacity: None,
            speakers: &[],
        },
        DemoSession {
            day: day2,
            start: (9, 30),
            end: (10, 15),
            title: "Keynote: AI in public administration — benefits and safeguards",
            summary: "Lessons from ministries that put AI assistants into service.",
            kind: Keynote,
            track: Some(3),
            room: 0,
            language: "en",
            capacity: None,
            speakers: &[6],
        },
        DemoSession {
            day: day2,
            start: (10, 30),
            end: (12, 0),
            title: "International conventions in the digital sphere",
            summary: "Conventions on cybercrime and cross-border data transfer: the region's \
                      experience.",
            kind: Panel,
            track: Some(2),
            room: 1,
            language: "ru",
            capacity: None,
            speakers: &[5, 3],
        },
        DemoSession {
            day: day2,
            start: (10, 30),
            end: (12, 0),
            title: "Data protection law for digital services",
            summary: "Drafting proportionate rules for personal data in e-government.",
            kind: Talk,
            track: Some(2),
            room: 2,
            language: "en",
            capacity: None,
            speakers: &[2],
        },
        DemoSession {
            day: day2,
            start: (13, 30),
            end: (15, 0),
            title: "AI in public administration",
            summary: "Responsible use of AI in government bodies.",
            kind: Talk,
            track: Some(3),
            room: 1,
            language: "tk",
            capacity: None,
            speakers: &[7, 6],
        },
        DemoSession {
            day: day2,
            start: (13, 30),
            end: (16, 30),
            title: "Workshop: Writing an AI use policy for your ministry",
            summary: "Small-group drafting session with templates. Limited seats.",
            kind: Workshop,
            track: Some(3),
            room: 3,
            language: "en",
            capacity: Some(25),
            speakers: &[2],
        },
        DemoSession {
            day: day2,
            start: (16, 30),
            end: (17, 30),
            title: "Closing plenary and Ashgabat communiqué",
            summary: "Conclusions of the tracks and next steps for regional cooperation.",
            kind: Ceremony,
            track: None,
            room: 0,
            language: "tk",
            capacity: None,
            speakers: &[0, 2],
        },
    ];
    add_sessions(state, event.id, tz, &tracks, &rooms, &speakers, &sessions).await
}

async fn load_training(state: &AppState, tz: Tz, day1: NaiveDate) -> Result<(), AppError> {
    let day = |n: u64| day1.checked_add_days(Days::new(n)).unwrap_or(day1);
    let event = create_published_event(
        state,
        EventFields {
            slug: DEMO_TRAINING.into(),
            title: "Training course: Cybersecurity in Digital Government and AI in Public Administration".into(),
            kind: EventKind::Training,
            description: text(
                "A four-day course for civil servants and IT specialists: two days on securing \
                 digital government systems, two days on using AI in public administration.",
            ),
            venue: text("Training Centre, Institute of Telecommunications"),
            city: text("Ashgabat"),
            country: text("Turkmenistan"),
            timezone: "Asia/Ashgabat".into(),
            starts_on: day1,
            ends_on: day(3),
            capacity: Some(80),
            registration_mode: RegistrationMode::Approval,
            registration_opens_at: None,
            registration_closes_at: Some(at(tz, day1, 9, 0)),
            waitlist_enabled: true,
            // The demo's texts are written in English and translated (bootstrap_texts).
            default_language: "en".into(),
            languages: all_languages(),
            translations: Translations::default(),
        },
    )
    .await?;
    let tracks = add_tracks(
        state,
        event.id,
        &[
            ("Cybersecurity in digital government", "#C0392B", None),
            ("AI in public administration", "#16A085", None),
        ],
    )
    .await?;
    let rooms = add_rooms(
        state,
        event.id,
        &[("Classroom 1", 80), ("Computer Lab", 40)],
    )
    .await?;
    let speakers = add_speakers(
        state,
        event.id,
        &[
            (
                "Kristjan Mägi",
                "Programme Director",
                "e-Governance Academy",
                "Estonia",
            ),
            (
                "Jemal Hojamuradowa",
                "Security Architect",
                "State Centre for E-Government",
                "Turkmenistan",
            ),
            (
                "Elena Petrenko",
                "AI Policy Researcher",
                "UNDP Regional Hub",
                "Moldova",
            ),
        ],
    )
    .await?;
    use SessionKind::*;
    let sessions = [
        DemoSession {
            day: day(0),
            start: (9, 30),
            end: (12, 30),
            title: "Threat landscape for digital government",
            summary: "Actors, techniques and the systems they target.",
            kind: Training,
            track: Some(0),
            room: 0,
            language: "en",
            capacity: Some(80),
            speakers: &[0],
        },
        DemoSession {
            day: day(0),
            start: (14, 0),
            end: (17, 0),
            title: "Lab: Hardening a citizen portal",
            summary: "Hands-on configuration of web servers and identity providers.",
            kind: Workshop,
            track: Some(0),
            room: 1,
            language: "ru",
            capacity: Some(40),
            speakers: &[1],
        },
        DemoSession {
            day: day(1),
            start: (9, 30),
            end: (12, 30),
            title: "Incident handling and reporting",
            summary: "Playbooks, escalation and cooperation with the national CERT.",
            kind: Training,
            track: Some(0),
            room: 0,
            language: "ru",
            capacity: Some(80),
            speakers: &[1],
        },
        DemoSession {
            day: day(1),
            start: (14, 0),
            end: (17, 0),
            title: "Lab: Detecting intrusions in logs",
            summary: "Finding an attacker's traces in real logs.",
            kind: Workshop,
            track: Some(0),
            room: 1,
            language: "en",
            capacity: Some(40),
            speakers: &[0],
        },
        DemoSession {
            day: day(2),
            start: (9, 30),
            end: (12, 30),
            title: "AI fundamentals for public servants",
            summary: "What AI can and cannot do in administration.",
            kind: Training,
            track: Some(1),
            room: 0,
            language: "en",
            capacity: Some(80),
            speakers: &[2],
        },
        DemoSession {
            day: day(2),
            start: (14, 0),
            end: (17, 0),
            title: "Lab: Document assistants in Turkmen and Russian",
            summary: "Building and evaluating a multilingual assistant for correspondence.",
            kind: Workshop,
            track: Some(1),
            room: 1,
            language: "tk",
            capacity: Some(40),
            speakers: &[2, 1],
        },
        DemoSession {
            day: day(3),
            start: (9, 30),
            end: (12, 30),
            title: "Governance, ethics and procurement of AI",
            summary: "Risk assessment, transparency and buying AI responsibly.",
            kind: Training,
            track: Some(1),
            room: 0,
            language: "ru",
            capacity: Some(80),
            speakers: &[2],
        },
        DemoSession {
            day: day(3),
            start: (14, 0),
            end: (15, 30),
            title: "Certificates and closing",
            summary: "Presentation of course certificates.",
            kind: Ceremony,
            track: None,
            room: 0,
            language: "tk",
            capacity: None,
            speakers: &[0],
        },
    ];
    add_sessions(state, event.id, tz, &tracks, &rooms, &speakers, &sessions).await
}
