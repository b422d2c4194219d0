//! The schedule exports for conference apps (`schedule.xml`, `schedule.json`), checked by the
//! published schemas with independent validators (`xmllint --schema` against the c3voc
//! `schedule.xml.xsd`, `check-jsonschema` with format checking against its `schema.json`, both
//! vendored in `vendor/voc-schedule/`, the tools installed by `.ci/ensure-schedule-validators`):
//! the demo programme and an event with sessions after midnight across the end of daylight
//! saving time in Europe/Berlin, in tk, ru and en. A round trip parses the XML: every published
//! session once with its time, room and speakers, rooms in their positions' order on every day,
//! ids kept when sessions are added and removed and never given again.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::Command;

use serde_json::{Value, json};

use crate::db_test;
use crate::helpers::{Reply, TestApp};

const LANGUAGES: [&str; 3] = ["tk", "ru", "en"];

/// The two validators, or `None` (skip) outside CI when they are missing.
struct Validators {
    check_jsonschema: PathBuf,
}

fn schemas() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("vendor/voc-schedule")
}

fn validators() -> Option<Validators> {
    let check_jsonschema = std::env::var_os("SCHEDULE_JSON_VALIDATOR")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("target/schedule-venv/bin/check-jsonschema")
        });
    let present = Command::new("xmllint").arg("--version").output().is_ok()
        && Command::new(&check_jsonschema)
            .arg("--version")
            .output()
            .is_ok();
    if !present && std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("the schedule validators are missing: run `bash .ci/ensure-schedule-validators`");
    }
    if !present {
        eprintln!("skipping schema validation: run `bash .ci/ensure-schedule-validators`");
        return None;
    }
    Some(Validators { check_jsonschema })
}

impl Validators {
    /// Validates a document; answers the validator's complaint when it refuses it.
    fn check(&self, xml: bool, document: &[u8]) -> Result<(), String> {
        let dir = std::env::temp_dir().join(format!(
            "dialogue-schedule-{}",
            uuid::Uuid::new_v4().simple()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join(if xml { "schedule.xml" } else { "schedule.json" });
        std::fs::write(&file, document).unwrap();
        let output = if xml {
            Command::new("xmllint")
                .arg("--noout")
                .arg("--schema")
                .arg(schemas().join("schedule.xml.xsd"))
                .arg(&file)
                .output()
        } else {
            Command::new(&self.check_jsonschema)
                .arg("--schemafile")
                .arg(schemas().join("schema.json"))
                .arg(&file)
                .output()
        }
        .expect("the validator runs");
        std::fs::remove_dir_all(&dir).ok();
        if output.status.success() {
            Ok(())
        } else {
            Err(format!(
                "{}{}",
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr)
            ))
        }
    }

    #[track_caller]
    fn valid(&self, xml: bool, document: &[u8]) {
        if let Err(complaint) = self.check(xml, document) {
            panic!(
                "the {} export is not valid: {complaint}\n{}",
                if xml { "XML" } else { "JSON" },
                String::from_utf8_lossy(document)
            );
        }
    }
}

async fn export(app: &TestApp, event: &str, file: &str, lang: &str) -> Reply {
    let reply = app
        .get(&format!("/api/v1/events/{event}/{file}?lang={lang}"))
        .await;
    reply.expect(200);
    assert_eq!(reply.header("content-language"), Some(lang));
    reply
}

/// An event's `schedule.xml` and `schedule.json` in every language are valid.
async fn validate_all(app: &TestApp, validators: &Validators, event: &str) {
    for lang in LANGUAGES {
        let xml = export(app, event, "schedule.xml", lang).await;
        assert!(
            xml.header("content-type")
                .is_some_and(|t| t.starts_with("application/xml"))
        );
        validators.valid(true, &xml.raw);
        let json = export(app, event, "schedule.json", lang).await;
        validators.valid(false, &json.raw);
    }
}

db_test!(
    the_demo_programme_exports_valid_schedules,
    |app| async move {
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
        dialogue::bootstrap::load_demo(&app.state, today)
            .await
            .unwrap();
        let Some(validators) = validators() else {
            return;
        };
        // The validators can fail: a three-part duration and a date without a time are refused.
        let xml = export(&app, "dialogue-2026", "schedule.xml", "en").await;
        let text = xml.text.clone();
        let start = text.find("<duration>").unwrap();
        let end = start + text[start..].find("</duration>").unwrap();
        let broken = format!("{}<duration>1:00:00:00{}", &text[..start], &text[end..]);
        assert!(validators.check(true, broken.as_bytes()).is_err());
        let mut json: Value = export(&app, "dialogue-2026", "schedule.json", "en")
            .await
            .body
            .clone();
        json["schedule"]["conference"]["days"][0]["day_start"] = json!("in the morning");
        assert!(
            validators
                .check(false, json.to_string().as_bytes())
                .unwrap_err()
                .contains("date-time"),
            "formats are checked"
        );
        for event in ["dialogue-2026", "cyber-ai-training"] {
            validate_all(&app, &validators, event).await;
        }
        // Every published session of the demo is in the export once.
        let agenda = app.get("/api/v1/events/dialogue-2026/agenda").await;
        let published: usize = agenda.body["days"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["sessions"].as_array().unwrap().len())
            .sum();
        let parsed = Parsed::of(
            &export(&app, "dialogue-2026", "schedule.xml", "ru")
                .await
                .text,
        );
        assert_eq!(parsed.events.len(), published);
    }
);

/// What a round trip reads back from `schedule.xml`.
struct Parsed {
    /// By guid.
    events: BTreeMap<String, ParsedEvent>,
    /// Each day's date, start, end and rooms in order.
    days: Vec<(String, String, String, Vec<String>)>,
}

#[derive(Debug, Clone)]
struct ParsedEvent {
    id: u32,
    day: usize,
    date: String,
    start: String,
    duration: String,
    room: String,
    title: String,
    persons: Vec<String>,
    slug: String,
}

impl Parsed {
    fn of(xml: &str) -> Parsed {
        let doc = roxmltree::Document::parse(xml).expect("well-formed XML");
        let child = |node: roxmltree::Node, name: &str| -> String {
            node.children()
                .find(|c| c.has_tag_name(name))
                .and_then(|c| c.text())
                .unwrap_or_default()
                .to_owned()
        };
        let mut events = BTreeMap::new();
        let mut days = Vec::new();
        for day in doc
            .root_element()
            .children()
            .filter(|n| n.has_tag_name("day"))
        {
            let index: usize = day.attribute("index").unwrap().parse().unwrap();
            let mut rooms = Vec::new();
            for room in day.children().filter(|n| n.has_tag_name("room")) {
                let name = room.attribute("name").unwrap().to_owned();
                for event in room.children().filter(|n| n.has_tag_name("event")) {
                    let parsed = ParsedEvent {
                        id: event.attribute("id").unwrap().parse().unwrap(),
                        day: index,
                        date: child(event, "date"),
                        start: child(event, "start"),
                        duration: child(event, "duration"),
                        room: child(event, "room"),
                        title: child(event, "title"),
                        persons: event
                            .descendants()
                            .filter(|n| n.has_tag_name("person"))
                            .map(|p| p.text().unwrap_or_default().to_owned())
                            .collect(),
                        slug: child(event, "slug"),
                    };
                    assert_eq!(parsed.room, name, "an event names the room it is in");
                    let guid = event.attribute("guid").unwrap().to_owned();
                    assert!(
                        events.insert(guid.clone(), parsed).is_none(),
                        "{guid} appears twice"
                    );
                }
                rooms.push(name);
            }
            days.push((
                day.attribute("date").unwrap().to_owned(),
                day.attribute("start").unwrap().to_owned(),
                day.attribute("end").unwrap().to_owned(),
                rooms,
            ));
        }
        Parsed { events, days }
    }

    fn by_title(&self, title: &str) -> &ParsedEvent {
        self.events
            .values()
            .find(|e| e.title == title)
            .unwrap_or_else(|| panic!("{title} is not in the export"))
    }
}

/// Creates a room, a speaker or a track; answers its id.
async fn create(app: &TestApp, event: &str, what: &str, body: Value) -> String {
    let reply = app
        .post(&format!("/api/v1/events/{event}/{what}"), body)
        .await;
    reply.expect(201);
    reply.id()
}

async fn session(app: &TestApp, event: &str, body: Value) -> String {
    let reply = app.create_session(event, body).await;
    reply.expect(201);
    reply.id()
}

/// An event in Berlin over the night daylight saving time ends (25 October 2026, 03:00 CEST
/// becomes 02:00 CET), with sessions that cross midnight and the change of offset.
async fn night_event(app: &TestApp) -> (String, BTreeMap<&'static str, String>) {
    let event = app
        .published_event(json!({
            "title": "Nachtschicht",
            "timezone": "Europe/Berlin",
            "starts_on": "2026-10-24",
            "ends_on": "2026-10-26",
            "default_language": "en",
            "languages": ["tk", "ru", "en"],
            "translations": {
                "ru": {"title": "Ночная смена"},
                "tk": {"title": "Gijeki çalşyk"}
            }
        }))
        .await;
    let id = event["id"].as_str().unwrap().to_owned();
    // Created second, listed first: rooms go by position.
    let hall = create(app, &id, "rooms", json!({"name": "Saal 1", "position": 1})).await;
    let studio = create(
        app,
        &id,
        "rooms",
        json!({"name": "Saal 2", "position": 0, "translations": {"ru": {"name": "Зал 2"}}}),
    )
    .await;
    let speaker = create(
        app,
        &id,
        "speakers",
        json!({"full_name": "Gülşat Ňazowa", "email": "gulshat.private@example.org",
               "organization": "Sanly ulgam"}),
    )
    .await;
    let track = create(
        app,
        &id,
        "tracks",
        json!({"name": "Security", "color": "#1a5fb4"}),
    )
    .await;
    let mut ids = BTreeMap::new();
    ids.insert(
        "late",
        session(
            app,
            &id,
            json!({"title": "Late talk", "room_id": hall,
            "starts_at": "2026-10-24T23:30:00+02:00", "ends_at": "2026-10-25T01:00:00+02:00",
            "translations": {"ru": {"title": "Поздний доклад"}, "tk": {"title": "Giçki çykyş"}}}),
        )
        .await,
    );
    ids.insert(
        "after-midnight",
        session(
            app,
            &id,
            json!({"title": "After midnight", "room_id": studio,
            "speaker_ids": [speaker], "track_id": track,
            "starts_at": "2026-10-25T00:30:00+02:00", "ends_at": "2026-10-25T01:15:00+02:00"}),
        )
        .await,
    );
    ids.insert(
        "across-the-change",
        session(
            app,
            &id,
            json!({"title": "Across the change", "room_id": hall,
            "starts_at": "2026-10-25T02:30:00+02:00", "ends_at": "2026-10-25T02:30:00+01:00"}),
        )
        .await,
    );
    ids.insert(
        "whole-day",
        session(
            app,
            &id,
            json!({"title": "Whole day", "kind": "networking",
            "starts_at": "2026-10-25T09:00:00+01:00", "ends_at": "2026-10-26T09:00:00+01:00"}),
        )
        .await,
    );
    ids.insert(
        "monday",
        session(
            app,
            &id,
            json!({"title": "Monday morning", "room_id": studio,
            "speaker_ids": [speaker], "abstract": "A <b>bold</b> & plain abstract",
            "starts_at": "2026-10-26T10:00:00+01:00", "ends_at": "2026-10-26T11:00:00+01:00"}),
        )
        .await,
    );
    // Never exported: a draft and a cancelled session.
    session(
        app,
        &id,
        json!({"title": "Draft idea", "status": "draft", "room_id": hall,
        "starts_at": "2026-10-26T12:00:00+01:00", "ends_at": "2026-10-26T13:00:00+01:00"}),
    )
    .await;
    session(
        app,
        &id,
        json!({"title": "Called off", "status": "cancelled", "room_id": hall,
        "starts_at": "2026-10-26T14:00:00+01:00", "ends_at": "2026-10-26T15:00:00+01:00"}),
    )
    .await;
    (id, ids)
}

db_test!(
    sessions_after_midnight_and_across_daylight_saving_round_trip,
    |app| async move {
        let (event, ids) = night_event(&app).await;
        if let Some(validators) = validators() {
            validate_all(&app, &validators, &event).await;
        }
        let xml = export(&app, &event, "schedule.xml", "en").await;
        let parsed = Parsed::of(&xml.text);
        assert_eq!(
            parsed.events.len(),
            5,
            "drafts and cancelled sessions are left out"
        );
        for guid in ids.values() {
            assert!(parsed.events.contains_key(guid), "guid is the session id");
        }
        // Days: local dates, midnight to midnight with the offset of each instant; a
        // session past midnight stretches its day.
        let dates: Vec<&str> = parsed.days.iter().map(|d| d.0.as_str()).collect();
        assert_eq!(dates, ["2026-10-24", "2026-10-25", "2026-10-26"]);
        assert_eq!(parsed.days[0].1, "2026-10-24T00:00:00+02:00");
        assert_eq!(parsed.days[0].2, "2026-10-25T01:00:00+02:00");
        assert_eq!(parsed.days[1].1, "2026-10-25T00:00:00+02:00");
        assert_eq!(parsed.days[1].2, "2026-10-26T09:00:00+01:00");
        // Rooms by position, the same on every day; sessions without a room are in the venue.
        for day in &parsed.days {
            assert_eq!(day.3, ["Saal 2", "Saal 1", "Nachtschicht"]);
        }
        let late = parsed.by_title("Late talk");
        assert_eq!(
            (late.day, late.start.as_str(), late.duration.as_str()),
            (1, "23:30", "01:30")
        );
        assert_eq!(late.date, "2026-10-24T23:30:00+02:00");
        assert_eq!(late.room, "Saal 1");
        let after = parsed.by_title("After midnight");
        assert_eq!((after.day, after.start.as_str()), (2, "00:30"));
        assert_eq!(after.persons, ["Gülşat Ňazowa"]);
        let change = parsed.by_title("Across the change");
        assert_eq!(change.date, "2026-10-25T02:30:00+02:00");
        assert_eq!(
            change.duration, "01:00",
            "one hour, though the clock shows 02:30 twice"
        );
        let whole = parsed.by_title("Whole day");
        assert_eq!(whole.duration, "23:59", "apps break on 24:00");
        assert_eq!(whole.room, "Nachtschicht");
        let monday = parsed.by_title("Monday morning");
        assert_eq!(monday.date, "2026-10-26T10:00:00+01:00");
        assert!(monday.slug.ends_with("-monday-morning"), "{}", monday.slug);
        assert!(
            xml.text
                .contains("A &lt;b&gt;bold&lt;/b&gt; &amp; plain abstract"),
            "text is escaped"
        );
        // Public fields only: the speaker's e-mail is in neither format.
        let json = export(&app, &event, "schedule.json", "en").await;
        for body in [&xml.text, &json.text] {
            assert!(!body.contains("gulshat.private"));
        }
        // The JSON carries the same ids, and its rooms keep the order on every day.
        let mut json_ids = BTreeMap::new();
        for day in json.body["schedule"]["conference"]["days"]
            .as_array()
            .unwrap()
        {
            for talks in day["rooms"].as_object().unwrap().values() {
                for talk in talks.as_array().unwrap() {
                    json_ids.insert(
                        talk["guid"].as_str().unwrap().to_owned(),
                        talk["id"].as_u64().unwrap() as u32,
                    );
                    for person in talk["persons"].as_array().unwrap() {
                        // An integer id would match both of the schema's person kinds.
                        assert!(person.get("id").is_none(), "{person}");
                        assert_eq!(person["name"], "Gülşat Ňazowa");
                    }
                }
            }
        }
        let xml_ids: BTreeMap<String, u32> = parsed
            .events
            .iter()
            .map(|(guid, e)| (guid.clone(), e.id))
            .collect();
        assert_eq!(json_ids, xml_ids);
        assert_eq!(
            json.text.matches(r#""Saal 2":["#).count(),
            3,
            "every day lists every room"
        );
        for day in json.text.split(r#""day_start""#).skip(1) {
            assert!(day.find(r#""Saal 2":["#) < day.find(r#""Saal 1":["#));
        }
        // Texts in the language asked.
        let ru = Parsed::of(&export(&app, &event, "schedule.xml", "ru").await.text);
        assert_eq!(ru.by_title("Поздний доклад").id, late.id);
        assert_eq!(ru.days[0].3[0], "Зал 2");
        let tk = export(&app, &event, "schedule.xml", "tk").await;
        assert!(tk.text.contains("<title>Gijeki çalşyk</title>"));

        // Ids stay when sessions come and go, and a deleted session's id is never given again:
        // the newest session (the highest number) is deleted, then one is added.
        let newest = session(
            &app,
            &event,
            json!({"title": "Short-lived",
            "starts_at": "2026-10-26T12:00:00+01:00", "ends_at": "2026-10-26T12:30:00+01:00"}),
        )
        .await;
        let with_newest = Parsed::of(&export(&app, &event, "schedule.xml", "en").await.text);
        let newest_id = with_newest.events[&newest].id;
        assert!(parsed.events.values().all(|e| e.id < newest_id));
        for gone in [&newest, &ids["after-midnight"]] {
            app.call(
                poem::http::Method::DELETE,
                &format!("/api/v1/events/{event}/sessions/{gone}"),
                Some(&app.organizer),
                None,
            )
            .await
            .expect(204);
        }
        let added = session(
            &app,
            &event,
            json!({"title": "Added later",
            "starts_at": "2026-10-26T16:00:00+01:00", "ends_at": "2026-10-26T17:00:00+01:00"}),
        )
        .await;
        let again = Parsed::of(&export(&app, &event, "schedule.xml", "en").await.text);
        assert_eq!(again.events.len(), 5);
        assert!(!again.events.contains_key(&ids["after-midnight"]));
        assert!(!again.events.contains_key(&newest));
        for (guid, before) in &parsed.events {
            if let Some(now) = again.events.get(guid) {
                assert_eq!(now.id, before.id, "{} kept its id", now.title);
            }
        }
        assert!(
            again.events[&added].id > newest_id,
            "a new session gets a number never used before, not the deleted newest one's"
        );
    }
);

db_test!(exports_answer_304_and_follow_changes, |app| async move {
    let (event, ids) = night_event(&app).await;
    for file in ["schedule.xml", "schedule.json"] {
        let path = format!("/api/v1/events/{event}/{file}?lang=en");
        let first = app.get(&path).await;
        first.expect(200);
        let etag = first.header("etag").unwrap().to_owned();
        let modified = first.header("last-modified").unwrap().to_owned();
        assert_eq!(first.header("cache-control"), Some("public, no-cache"));
        app.get_with(&path, &[("If-None-Match", &etag)])
            .await
            .expect(304);
        app.get_with(&path, &[("If-Modified-Since", &modified)])
            .await
            .expect(304);
        let zipped = app.get_with(&path, &[("Accept-Encoding", "gzip")]).await;
        zipped.expect(200);
        assert_eq!(zipped.header("content-encoding"), Some("gzip"));
        // A change to the programme is a new document.
        app.patch(
            &format!("/api/v1/events/{event}/sessions/{}", ids["monday"]),
            json!({"title": format!("Monday morning ({file})")}),
        )
        .await
        .expect(200);
        let changed = app.get_with(&path, &[("If-None-Match", &etag)]).await;
        changed.expect(200);
        assert_ne!(changed.header("etag").unwrap(), etag);
        assert!(changed.text.contains(&format!("Monday morning ({file})")));
    }
    // Drafts are not exported; unknown events are 404.
    let draft = app.create_event(json!({})).await;
    let draft = draft["id"].as_str().unwrap();
    app.get(&format!("/api/v1/events/{draft}/schedule.xml"))
        .await
        .expect_problem(404);
    app.get("/api/v1/events/no-such-event/schedule.json")
        .await
        .expect_problem(404);
    // The event page links both.
    let slug = app.get(&format!("/api/v1/events/{event}")).await.body["slug"]
        .as_str()
        .unwrap()
        .to_owned();
    let page = app.get(&format!("/events/{slug}?lang=ru")).await;
    page.expect(200);
    assert!(
        page.text
            .contains(&format!("/api/v1/events/{slug}/schedule.xml?lang=ru"))
    );
    assert!(
        page.text
            .contains(&format!("/api/v1/events/{slug}/schedule.json?lang=ru"))
    );
});
