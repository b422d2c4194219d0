//! Sessions: create, read, list, change, delete; validation against the event's local dates
//! and references; room and speaker clashes; `sequence`; visibility; filters and paging;
//! tombstones of deleted public sessions.

use poem::http::Method;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::db_test;
use crate::helpers::{Reply, TestApp};

/// Creates a track in `event`; returns its id.
pub(crate) async fn track(app: &TestApp, event: &str, name: &str) -> String {
    let reply = app
        .post(
            &format!("/api/v1/events/{event}/tracks"),
            json!({"name": name, "color": "#1F6FEB", "description": format!("{name} track")}),
        )
        .await;
    reply.expect(201);
    reply.id()
}

/// Creates a room in `event`; returns its id.
pub(crate) async fn room(app: &TestApp, event: &str, name: &str) -> String {
    let reply = app
        .post(
            &format!("/api/v1/events/{event}/rooms"),
            json!({"name": name, "capacity": 120}),
        )
        .await;
    reply.expect(201);
    reply.id()
}

/// Creates a speaker in `event`; returns its id.
pub(crate) async fn speaker(app: &TestApp, event: &str, name: &str) -> String {
    let reply = app
        .post(
            &format!("/api/v1/events/{event}/speakers"),
            json!({
                "full_name": name,
                "organization": "Ministry of Digital Development",
                "email": format!("{}@example.tm", name.to_lowercase().replace(' ', ".")),
            }),
        )
        .await;
    reply.expect(201);
    reply.id()
}

/// A published event with the default dates (2026-11-18..19, Asia/Ashgabat); returns its id.
async fn event_id(app: &TestApp) -> String {
    let event = app.published_event(json!({})).await;
    event["id"].as_str().unwrap().to_owned()
}

/// Creates a session that must succeed; returns its id.
async fn session(app: &TestApp, event: &str, overrides: Value) -> String {
    let reply = app.create_session(event, overrides).await;
    reply.expect(201);
    reply.id()
}

/// The ids of a list page, in order.
fn ids(reply: &Reply) -> Vec<String> {
    reply.body["items"]
        .as_array()
        .unwrap_or_else(|| panic!("items in {}", reply.text))
        .iter()
        .map(|s| s["id"].as_str().unwrap().to_owned())
        .collect()
}

fn sessions_path(event: &str) -> String {
    format!("/api/v1/events/{event}/sessions")
}

fn session_path(event: &str, id: &str) -> String {
    format!("/api/v1/events/{event}/sessions/{id}")
}

db_test!(create_echoes_fields_in_the_event_zone, |app| async move {
    let event = app
        .published_event(json!({"slug": "dialogue-sessions"}))
        .await;
    let event = event["id"].as_str().unwrap().to_owned();
    let track = track(&app, &event, "Connectivity").await;
    let room = room(&app, &event, "Hall A").await;
    let first = speaker(&app, &event, "Aman Orazov").await;
    let second = speaker(&app, &event, "Maya Berdiyeva").await;
    let reply = app
        .post(
            &sessions_path(&event),
            json!({
                "title": "Digital corridors",
                "abstract": "Fibre along the Caspian.",
                "kind": "panel",
                "track_id": track,
                "room_id": room,
                // Sent in UTC; rendered in the event's zone.
                "starts_at": "2026-11-18T04:30:00Z",
                "ends_at": "2026-11-18T06:00:00+00:00",
                "language": "ru",
                "capacity": 80,
                "speaker_ids": [second, first],
                "status": "published"
            }),
        )
        .await;
    reply.expect(201);
    let id = reply.id();
    assert_eq!(
        reply.header("location"),
        Some(format!("/api/v1/events/{event}/sessions/{id}").as_str())
    );
    let body = &reply.body;
    assert_eq!(body["title"], "Digital corridors");
    assert_eq!(body["abstract"], "Fibre along the Caspian.");
    assert_eq!(body["kind"], "panel");
    assert_eq!(body["track_id"], track.as_str());
    assert_eq!(body["room_id"], room.as_str());
    assert_eq!(body["starts_at"], "2026-11-18T09:30:00+05:00");
    assert_eq!(body["ends_at"], "2026-11-18T11:00:00+05:00");
    assert_eq!(body["language"], "ru");
    assert_eq!(body["capacity"], 80);
    assert_eq!(body["speaker_ids"], json!([second, first]));
    assert_eq!(body["status"], "published");
    assert_eq!(body["sequence"], 0);
    assert!(body["updated_at"].as_str().unwrap().ends_with("+05:00"));
    assert_eq!(app.count_rows("sessions").await, 1);
    assert_eq!(app.count_rows("session_speakers").await, 2);

    // Read back: the same document, publicly, by event id and by slug.
    for path in [
        session_path(&event, &id),
        session_path("dialogue-sessions", &id),
    ] {
        let read = app.get(&path).await;
        read.expect(200);
        assert_eq!(read.body, reply.body, "{path}");
    }
    let listed = app.get(&sessions_path("dialogue-sessions")).await;
    listed.expect(200);
    assert_eq!(listed.body["items"], json!([reply.body.clone()]));
    assert_eq!(listed.body["next_cursor"], Value::Null);
});

db_test!(create_applies_defaults, |app| async move {
    let event = event_id(&app).await;
    let reply = app
        .post(
            &sessions_path(&event),
            json!({
                "title": "Coffee",
                "starts_at": "2026-11-19T10:00:00+05:00",
                "ends_at": "2026-11-19T10:30:00+05:00"
            }),
        )
        .await;
    reply.expect(201);
    assert_eq!(reply.body["kind"], "talk");
    assert_eq!(reply.body["language"], "en");
    assert_eq!(reply.body["status"], "draft");
    assert_eq!(reply.body["capacity"], Value::Null);
    assert_eq!(reply.body["track_id"], Value::Null);
    assert_eq!(reply.body["room_id"], Value::Null);
    assert_eq!(reply.body["speaker_ids"], json!([]));
    assert_eq!(reply.body["sequence"], 0);
});

db_test!(patch_and_delete_round_trip, |app| async move {
    let event = event_id(&app).await;
    let room_a = room(&app, &event, "Hall A").await;
    let room_b = room(&app, &event, "Hall B").await;
    let id = session(
        &app,
        &event,
        json!({"room_id": room_a, "abstract": "Old", "capacity": 40}),
    )
    .await;

    let patched = app
        .patch(
            &session_path(&event, &id),
            json!({"title": "Renamed", "room_id": room_b, "abstract": null}),
        )
        .await;
    patched.expect(200);
    assert_eq!(patched.body["title"], "Renamed");
    assert_eq!(patched.body["room_id"], room_b.as_str());
    assert_eq!(patched.body["abstract"], Value::Null);
    // Absent fields stay.
    assert_eq!(patched.body["capacity"], 40);
    assert_eq!(patched.body["starts_at"], "2026-11-18T09:00:00+05:00");
    assert_eq!(patched.body["kind"], "talk");
    let read = app.get(&session_path(&event, &id)).await;
    assert_eq!(read.body, patched.body);

    // Null clears the room and the capacity.
    let cleared = app
        .patch(
            &session_path(&event, &id),
            json!({"room_id": null, "capacity": null}),
        )
        .await;
    cleared.expect(200);
    assert_eq!(cleared.body["room_id"], Value::Null);
    assert_eq!(cleared.body["capacity"], Value::Null);

    app.delete(&session_path(&event, &id)).await.expect(204);
    assert_eq!(app.count_rows("sessions").await, 0);
    app.get(&session_path(&event, &id))
        .await
        .expect_problem(404);
    app.get_as(&session_path(&event, &id), &app.organizer)
        .await
        .expect_problem(404);
    app.delete(&session_path(&event, &id))
        .await
        .expect_problem(404);
    app.patch(&session_path(&event, &id), json!({"title": "Ghost"}))
        .await
        .expect_problem(404);
    assert_eq!(
        ids(&app.get(&sessions_path(&event)).await),
        Vec::<String>::new()
    );
});

db_test!(speakers_are_kept_in_billing_order, |app| async move {
    let event = event_id(&app).await;
    let a = speaker(&app, &event, "Speaker A").await;
    let b = speaker(&app, &event, "Speaker B").await;
    let c = speaker(&app, &event, "Speaker C").await;
    let id = session(&app, &event, json!({"speaker_ids": [c, a, b]})).await;
    let read = app.get(&session_path(&event, &id)).await;
    assert_eq!(read.body["speaker_ids"], json!([c, a, b]));
    let patched = app
        .patch(&session_path(&event, &id), json!({"speaker_ids": [b, c]}))
        .await;
    patched.expect(200);
    assert_eq!(patched.body["speaker_ids"], json!([b, c]));
    let read = app.get(&session_path(&event, &id)).await;
    assert_eq!(read.body["speaker_ids"], json!([b, c]));
    assert_eq!(app.count_rows("session_speakers").await, 2);
    // Removing every speaker.
    let emptied = app
        .patch(&session_path(&event, &id), json!({"speaker_ids": []}))
        .await;
    assert_eq!(emptied.body["speaker_ids"], json!([]));
    assert_eq!(app.count_rows("session_speakers").await, 0);
});

db_test!(
    every_validation_rule_rejects_and_stores_nothing,
    |app| async move {
        let event = event_id(&app).await;
        let other = event_id(&app).await;
        let foreign_track = track(&app, &other, "Elsewhere").await;
        let foreign_room = room(&app, &other, "Elsewhere").await;
        let foreign_speaker = speaker(&app, &other, "Someone Else").await;
        let own_speaker = speaker(&app, &event, "Own Speaker").await;
        let unknown = Uuid::now_v7().to_string();
        let cases = [
            (json!({"ends_at": "2026-11-18T09:00:00+05:00"}), "ends_at"),
            (json!({"ends_at": "2026-11-18T08:00:00+05:00"}), "ends_at"),
            (
                json!({"starts_at": "2026-11-17T23:30:00+05:00", "ends_at": "2026-11-18T00:30:00+05:00"}),
                "starts_at",
            ),
            (
                json!({"starts_at": "2026-11-20T00:00:00+05:00", "ends_at": "2026-11-20T01:00:00+05:00"}),
                "starts_at",
            ),
            (
                json!({"starts_at": "2026-11-19T23:30:00+05:00", "ends_at": "2026-11-20T00:30:00+05:00"}),
                "ends_at",
            ),
            (
                json!({"starts_at": "2026-11-18T00:30:00+05:00", "ends_at": "2026-11-19T00:31:00+05:00"}),
                "ends_at",
            ),
            (json!({"language": "english"}), "language"),
            (json!({"language": "e"}), "language"),
            (json!({"language": "en_GB"}), "language"),
            (json!({"language": ""}), "language"),
            (json!({"title": "x".repeat(201)}), "title"),
            (json!({"title": "   "}), "title"),
            (json!({"abstract": "x".repeat(10_001)}), "abstract"),
            (json!({"capacity": -1}), "capacity"),
            (json!({"track_id": foreign_track}), "track_id"),
            (json!({"track_id": unknown}), "track_id"),
            (json!({"room_id": foreign_room}), "room_id"),
            (json!({"room_id": unknown}), "room_id"),
            (json!({"speaker_ids": [foreign_speaker]}), "speaker_ids"),
            (
                json!({"speaker_ids": [own_speaker, unknown]}),
                "speaker_ids",
            ),
            (
                json!({"speaker_ids": [own_speaker, own_speaker]}),
                "speaker_ids",
            ),
        ];
        for (overrides, field) in cases {
            let reply = app.create_session(&event, overrides.clone()).await;
            reply.expect_problem(422);
            assert!(
                reply.error_fields().contains(&field.to_owned()),
                "{overrides} should name {field}: {}",
                reply.text
            );
        }
        assert_eq!(app.count_rows("sessions").await, 0);
        assert_eq!(app.count_rows("session_speakers").await, 0);
        // A title of exactly 200 characters (not bytes) is fine.
        session(&app, &event, json!({"title": "ş".repeat(200)})).await;
        assert_eq!(app.count_rows("sessions").await, 1);
    }
);

db_test!(sessions_must_lie_within_the_local_dates, |app| async move {
    let event = event_id(&app).await;
    // The evening before the first local day (18:30 UTC on the 17th).
    let before = app
        .create_session(
            &event,
            json!({"starts_at": "2026-11-17T23:30:00+05:00", "ends_at": "2026-11-17T23:59:00+05:00"}),
        )
        .await;
    before.expect_problem(422);
    assert_eq!(before.error_fields(), ["starts_at"]);
    assert_eq!(app.count_rows("sessions").await, 0);

    // Just after local midnight of the first day: inside, although its UTC date is the 17th.
    let early = app
        .create_session(
            &event,
            json!({"starts_at": "2026-11-18T00:30:00+05:00", "ends_at": "2026-11-18T01:00:00+05:00"}),
        )
        .await;
    early.expect(201);
    assert_eq!(early.body["starts_at"], "2026-11-18T00:30:00+05:00");
    // Late on the last day: inside.
    let late = app
        .create_session(
            &event,
            json!({"starts_at": "2026-11-19T23:00:00+05:00", "ends_at": "2026-11-19T23:59:00+05:00"}),
        )
        .await;
    late.expect(201);
    // Ending exactly at the end of the last local day is inside too.
    app.create_session(
        &event,
        json!({"starts_at": "2026-11-19T22:00:00+05:00", "ends_at": "2026-11-20T00:00:00+05:00"}),
    )
    .await
    .expect(201);
    // Times sent in another offset are judged by the instant: 19:30 UTC on the 19th is
    // 00:30 on the 20th in Ashgabat, after the event.
    let after = app
        .create_session(
            &event,
            json!({"starts_at": "2026-11-19T19:30:00Z", "ends_at": "2026-11-19T20:00:00Z"}),
        )
        .await;
    after.expect_problem(422);
    assert_eq!(after.error_fields(), ["starts_at"]);
    assert_eq!(app.count_rows("sessions").await, 3);
});

db_test!(an_invalid_patch_changes_nothing, |app| async move {
    let event = event_id(&app).await;
    let other = event_id(&app).await;
    let foreign_room = room(&app, &other, "Elsewhere").await;
    let own = speaker(&app, &event, "Own Speaker").await;
    let id = session(&app, &event, json!({"title": "Original", "capacity": 10})).await;
    let before = app.get(&session_path(&event, &id)).await;
    let cases = [
        (
            json!({"title": "Changed", "ends_at": "2026-11-18T08:00:00+05:00"}),
            "ends_at",
        ),
        (
            json!({"title": "Changed", "starts_at": "2026-11-18T11:00:00+05:00"}),
            "ends_at",
        ),
        (
            json!({"starts_at": "2026-11-17T23:30:00+05:00", "ends_at": "2026-11-17T23:45:00+05:00"}),
            "starts_at",
        ),
        (json!({"title": "x".repeat(201)}), "title"),
        (json!({"language": "not a tag"}), "language"),
        (json!({"capacity": -5, "title": "Changed"}), "capacity"),
        (json!({"room_id": foreign_room}), "room_id"),
        (json!({"speaker_ids": [own, own]}), "speaker_ids"),
    ];
    for (patch, field) in cases {
        let reply = app.patch(&session_path(&event, &id), patch.clone()).await;
        reply.expect_problem(422);
        assert!(
            reply.error_fields().contains(&field.to_owned()),
            "{patch} should name {field}: {}",
            reply.text
        );
    }
    let after = app.get(&session_path(&event, &id)).await;
    assert_eq!(after.body, before.body);
    assert_eq!(app.count_rows("session_speakers").await, 0);
});

db_test!(same_room_at_overlapping_times_is_409, |app| async move {
    let event = event_id(&app).await;
    let hall = room(&app, &event, "Hall A").await;
    let other_hall = room(&app, &event, "Hall B").await;
    let first = session(&app, &event, json!({"title": "First", "room_id": hall})).await;

    let clash = app
        .create_session(
            &event,
            json!({"title": "Clash", "room_id": hall, "starts_at": "2026-11-18T09:30:00+05:00", "ends_at": "2026-11-18T10:30:00+05:00"}),
        )
        .await;
    clash.expect_problem(409);
    let conflicts = clash.body["conflicts"].as_array().expect("conflicts");
    assert_eq!(conflicts.len(), 1, "{}", clash.text);
    assert_eq!(conflicts[0]["session_id"], first.as_str());
    assert_eq!(conflicts[0]["reason"], "room");
    assert_eq!(conflicts[0]["title"], "First");
    assert!(conflicts[0]["speaker_id"].is_null());
    assert!(clash.body["detail"].as_str().unwrap().contains(&first));
    assert_eq!(app.count_rows("sessions").await, 1);

    // A session inside another one clashes too.
    app.create_session(
        &event,
        json!({"room_id": hall, "starts_at": "2026-11-18T09:15:00+05:00", "ends_at": "2026-11-18T09:45:00+05:00"}),
    )
    .await
    .expect_problem(409);
    // Touching times are fine, before and after.
    session(
        &app,
        &event,
        json!({"room_id": hall, "starts_at": "2026-11-18T10:00:00+05:00", "ends_at": "2026-11-18T11:00:00+05:00"}),
    )
    .await;
    session(
        &app,
        &event,
        json!({"room_id": hall, "starts_at": "2026-11-18T08:00:00+05:00", "ends_at": "2026-11-18T09:00:00+05:00"}),
    )
    .await;
    // Another room at the same time is fine, and so is no room.
    session(&app, &event, json!({"room_id": other_hall})).await;
    session(&app, &event, json!({})).await;
    assert_eq!(app.count_rows("sessions").await, 5);

    // Overlap on purpose.
    let forced = app
        .post(
            &format!("{}?allow_overlap=true", sessions_path(&event)),
            json!({"title": "Forced", "kind": "talk", "room_id": hall, "status": "published",
                   "starts_at": "2026-11-18T09:30:00+05:00", "ends_at": "2026-11-18T10:30:00+05:00"}),
        )
        .await;
    forced.expect(201);
    assert_eq!(app.count_rows("sessions").await, 6);
    // `allow_overlap=false` is the default.
    app.post(
        &format!("{}?allow_overlap=false", sessions_path(&event)),
        json!({"title": "Again", "room_id": hall,
               "starts_at": "2026-11-18T09:30:00+05:00", "ends_at": "2026-11-18T10:30:00+05:00"}),
    )
    .await
    .expect_problem(409);
    assert_eq!(app.count_rows("sessions").await, 6);
});

db_test!(same_speaker_at_overlapping_times_is_409, |app| async move {
    let event = event_id(&app).await;
    let hall_a = room(&app, &event, "Hall A").await;
    let hall_b = room(&app, &event, "Hall B").await;
    let busy = speaker(&app, &event, "Busy Speaker").await;
    let free = speaker(&app, &event, "Free Speaker").await;
    let first = session(
        &app,
        &event,
        json!({"title": "Keynote", "room_id": hall_a, "speaker_ids": [busy]}),
    )
    .await;

    let clash = app
        .create_session(
            &event,
            json!({"room_id": hall_b, "speaker_ids": [free, busy],
                   "starts_at": "2026-11-18T09:45:00+05:00", "ends_at": "2026-11-18T10:15:00+05:00"}),
        )
        .await;
    clash.expect_problem(409);
    let conflicts = clash.body["conflicts"].as_array().expect("conflicts");
    assert_eq!(conflicts.len(), 1, "{}", clash.text);
    assert_eq!(conflicts[0]["session_id"], first.as_str());
    assert_eq!(conflicts[0]["reason"], "speaker");
    assert_eq!(conflicts[0]["speaker_id"], busy.as_str());
    assert_eq!(app.count_rows("sessions").await, 1);
    assert_eq!(app.count_rows("session_speakers").await, 1);

    // Same room and same speaker: both reasons are named.
    let both = app
        .create_session(&event, json!({"room_id": hall_a, "speaker_ids": [busy]}))
        .await;
    both.expect_problem(409);
    let mut reasons: Vec<String> = both.body["conflicts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            assert_eq!(c["session_id"], first.as_str());
            c["reason"].as_str().unwrap().to_owned()
        })
        .collect();
    reasons.sort();
    assert_eq!(reasons, ["room", "speaker"]);

    // The other speaker is free then; the busy one is free right after.
    session(
        &app,
        &event,
        json!({"room_id": hall_b, "speaker_ids": [free]}),
    )
    .await;
    session(
        &app,
        &event,
        json!({"speaker_ids": [busy], "starts_at": "2026-11-18T10:00:00+05:00", "ends_at": "2026-11-18T11:00:00+05:00"}),
    )
    .await;
    // On purpose.
    app.call(
        Method::POST,
        &format!("{}?allow_overlap=true", sessions_path(&event)),
        Some(&app.organizer),
        Some(&json!({"title": "Double booked", "speaker_ids": [busy],
                     "starts_at": "2026-11-18T09:00:00+05:00", "ends_at": "2026-11-18T10:00:00+05:00"})),
    )
    .await
    .expect(201);
    assert_eq!(app.count_rows("sessions").await, 4);
});

db_test!(cancelled_sessions_free_their_room, |app| async move {
    let event = event_id(&app).await;
    let hall = room(&app, &event, "Hall A").await;
    let host = speaker(&app, &event, "Host").await;
    let cancelled = session(
        &app,
        &event,
        json!({"room_id": hall, "speaker_ids": [host], "status": "cancelled"}),
    )
    .await;
    let replacement = session(
        &app,
        &event,
        json!({"room_id": hall, "speaker_ids": [host]}),
    )
    .await;
    // Reinstating the cancelled one now clashes with its replacement, and changes nothing.
    let reinstated = app
        .patch(
            &session_path(&event, &cancelled),
            json!({"status": "published"}),
        )
        .await;
    reinstated.expect_problem(409);
    let named: Vec<&str> = reinstated.body["conflicts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["session_id"].as_str().unwrap())
        .collect();
    assert!(named.iter().all(|id| *id == replacement), "{named:?}");
    let read = app.get(&session_path(&event, &cancelled)).await;
    assert_eq!(read.body["status"], "cancelled");
    assert_eq!(read.body["sequence"], 0);
    // Cancelling the replacement makes room again.
    app.patch(
        &session_path(&event, &replacement),
        json!({"status": "cancelled"}),
    )
    .await
    .expect(200);
    let back = app
        .patch(
            &session_path(&event, &cancelled),
            json!({"status": "published"}),
        )
        .await;
    back.expect(200);
    assert_eq!(back.body["status"], "published");
});

db_test!(
    moving_into_a_clash_is_409_and_changes_nothing,
    |app| async move {
        let event = event_id(&app).await;
        let hall = room(&app, &event, "Hall A").await;
        let other_hall = room(&app, &event, "Hall B").await;
        let morning = session(&app, &event, json!({"title": "Morning", "room_id": hall})).await;
        let later = session(
        &app,
        &event,
        json!({"title": "Later", "room_id": hall, "starts_at": "2026-11-18T11:00:00+05:00", "ends_at": "2026-11-18T12:00:00+05:00"}),
    )
    .await;
        let elsewhere = session(
            &app,
            &event,
            json!({"title": "Elsewhere", "room_id": other_hall}),
        )
        .await;
        let before = app.get(&session_path(&event, &later)).await;

        let moved = app
        .patch(
            &session_path(&event, &later),
            json!({"title": "Moved", "starts_at": "2026-11-18T09:30:00+05:00", "ends_at": "2026-11-18T10:30:00+05:00"}),
        )
        .await;
        moved.expect_problem(409);
        assert_eq!(moved.body["conflicts"][0]["session_id"], morning.as_str());
        assert_eq!(moved.body["conflicts"][0]["reason"], "room");
        // Changing the room into a clash is refused the same way.
        let relocated = app
            .patch(&session_path(&event, &elsewhere), json!({"room_id": hall}))
            .await;
        relocated.expect_problem(409);
        assert_eq!(
            relocated.body["conflicts"][0]["session_id"],
            morning.as_str()
        );
        assert_eq!(
            app.get(&session_path(&event, &later)).await.body,
            before.body
        );
        assert_eq!(
            app.get(&session_path(&event, &elsewhere)).await.body["room_id"],
            other_hall.as_str()
        );

        // A session never clashes with itself: changing the title or extending it in place is fine.
        let renamed = app
            .patch(
                &session_path(&event, &morning),
                json!({"title": "Morning plenary"}),
            )
            .await;
        renamed.expect(200);
        app.patch(
            &session_path(&event, &morning),
            json!({"starts_at": "2026-11-18T08:30:00+05:00"}),
        )
        .await
        .expect(200);
        // With allow_overlap the move is kept.
        let forced = app
        .call(
            Method::PATCH,
            &format!("{}?allow_overlap=true", session_path(&event, &later)),
            Some(&app.organizer),
            Some(&json!({"starts_at": "2026-11-18T09:30:00+05:00", "ends_at": "2026-11-18T10:30:00+05:00"})),
        )
        .await;
        forced.expect(200);
        assert_eq!(forced.body["starts_at"], "2026-11-18T09:30:00+05:00");
    }
);

db_test!(sequence_grows_with_visible_changes_only, |app| async move {
    let event = event_id(&app).await;
    let hall_a = room(&app, &event, "Hall A").await;
    let hall_b = room(&app, &event, "Hall B").await;
    let track_id = track(&app, &event, "Connectivity").await;
    let host = speaker(&app, &event, "Host").await;
    let id = session(&app, &event, json!({"room_id": hall_a})).await;
    let path = session_path(&event, &id);
    let steps = [
        (json!({"capacity": 25}), 0),
        (json!({"capacity": 30}), 0),
        (json!({"title": "New title"}), 1),
        (
            json!({"starts_at": "2026-11-18T13:00:00+05:00", "ends_at": "2026-11-18T14:00:00+05:00"}),
            2,
        ),
        (json!({"ends_at": "2026-11-18T14:30:00+05:00"}), 3),
        (json!({"room_id": hall_b}), 4),
        (json!({"status": "cancelled"}), 5),
        (json!({"capacity": null}), 5),
        // Sending the current values is no change.
        (json!({"title": "New title", "room_id": hall_b}), 5),
        (json!({"status": "published", "capacity": 12}), 6),
        (json!({"abstract": "Now with an abstract"}), 7),
        (json!({"kind": "panel"}), 8),
        (json!({"language": "tk"}), 9),
        (json!({"track_id": track_id}), 10),
        (json!({"speaker_ids": [host]}), 11),
        (json!({"speaker_ids": [host], "capacity": 13}), 11),
    ];
    for (patch, sequence) in steps {
        let reply = app.patch(&path, patch.clone()).await;
        reply.expect(200);
        assert_eq!(reply.body["sequence"], sequence, "after {patch}");
        assert_eq!(
            app.get(&path).await.body["sequence"],
            sequence,
            "stored after {patch}"
        );
    }
    // Sequence is read-only: sending it does not set it.
    let reply = app.patch(&path, json!({"sequence": 99})).await;
    if reply.status.is_success() {
        assert_eq!(reply.body["sequence"], 11);
    }
    assert_eq!(app.get(&path).await.body["sequence"], 11);
});

db_test!(drafts_are_for_organizers_only, |app| async move {
    let event = event_id(&app).await;
    let public = session(&app, &event, json!({"title": "Public"})).await;
    let draft = session(
        &app,
        &event,
        json!({"title": "Draft", "status": "draft", "starts_at": "2026-11-18T11:00:00+05:00", "ends_at": "2026-11-18T12:00:00+05:00"}),
    )
    .await;
    app.get(&session_path(&event, &draft))
        .await
        .expect_problem(404);
    let organizer_view = app
        .get_as(&session_path(&event, &draft), &app.organizer)
        .await;
    organizer_view.expect(200);
    assert_eq!(organizer_view.body["status"], "draft");

    assert_eq!(
        ids(&app.get(&sessions_path(&event)).await),
        [public.as_str()]
    );
    let asked = app
        .get(&format!("{}?status=draft", sessions_path(&event)))
        .await;
    asked.expect(200);
    assert_eq!(ids(&asked), Vec::<String>::new());
    assert_eq!(
        ids(&app.get_as(&sessions_path(&event), &app.organizer).await),
        [public.as_str(), draft.as_str()]
    );
    assert_eq!(
        ids(&app
            .get_as(
                &format!("{}?status=draft", sessions_path(&event)),
                &app.organizer
            )
            .await),
        [draft.as_str()]
    );
    // A check-in token is no organizer.
    let scanner = app.checkin_token(&event).await;
    app.get_as(&session_path(&event, &draft), &scanner)
        .await
        .expect_problem(404);
    assert_eq!(
        ids(&app.get_as(&sessions_path(&event), &scanner).await),
        [public.as_str()]
    );

    // Publishing the draft makes it public.
    app.patch(
        &session_path(&event, &draft),
        json!({"status": "published"}),
    )
    .await
    .expect(200);
    app.get(&session_path(&event, &draft)).await.expect(200);
    assert_eq!(ids(&app.get(&sessions_path(&event)).await), [public, draft]);
});

db_test!(cancelled_sessions_stay_readable, |app| async move {
    let event = event_id(&app).await;
    let kept = session(&app, &event, json!({"title": "Kept"})).await;
    let dropped = session(
        &app,
        &event,
        json!({"title": "Dropped", "starts_at": "2026-11-18T11:00:00+05:00", "ends_at": "2026-11-18T12:00:00+05:00"}),
    )
    .await;
    let cancelled = app
        .patch(
            &session_path(&event, &dropped),
            json!({"status": "cancelled"}),
        )
        .await;
    cancelled.expect(200);
    assert_eq!(cancelled.body["status"], "cancelled");
    let read = app.get(&session_path(&event, &dropped)).await;
    read.expect(200);
    assert_eq!(read.body["status"], "cancelled");
    assert_eq!(read.body["title"], "Dropped");
    let listed = app
        .get(&format!("{}?status=cancelled", sessions_path(&event)))
        .await;
    listed.expect(200);
    assert_eq!(ids(&listed), [dropped]);
    let published = app
        .get(&format!("{}?status=published", sessions_path(&event)))
        .await;
    assert_eq!(ids(&published), [kept]);
});

db_test!(sessions_of_a_draft_event_are_hidden, |app| async move {
    let event = app.create_event(json!({"slug": "still-draft"})).await;
    let event = event["id"].as_str().unwrap().to_owned();
    // Organizers prepare the programme before publishing.
    let id = session(&app, &event, json!({"status": "published"})).await;
    app.get(&sessions_path(&event)).await.expect_problem(404);
    app.get(&sessions_path("still-draft"))
        .await
        .expect_problem(404);
    app.get(&session_path(&event, &id))
        .await
        .expect_problem(404);
    app.get_as(&session_path(&event, &id), &app.organizer)
        .await
        .expect(200);
    assert_eq!(
        ids(&app.get_as(&sessions_path(&event), &app.organizer).await),
        [id]
    );
});

db_test!(writes_need_an_organizer, |app| async move {
    let event = event_id(&app).await;
    let id = session(&app, &event, json!({})).await;
    let body = json!({"title": "T", "starts_at": "2026-11-18T12:00:00+05:00", "ends_at": "2026-11-18T13:00:00+05:00"});
    app.call(Method::POST, &sessions_path(&event), None, Some(&body))
        .await
        .expect_problem(401);
    app.call(
        Method::POST,
        &sessions_path(&event),
        Some("not-a-token"),
        Some(&body),
    )
    .await
    .expect_problem(401);
    let scanner = app.checkin_token(&event).await;
    app.call(
        Method::POST,
        &sessions_path(&event),
        Some(&scanner),
        Some(&body),
    )
    .await
    .expect_problem(403);
    app.call(
        Method::PATCH,
        &session_path(&event, &id),
        Some(&scanner),
        Some(&json!({"title": "Hijacked"})),
    )
    .await
    .expect_problem(403);
    app.call(Method::DELETE, &session_path(&event, &id), None, None)
        .await
        .expect_problem(401);
    app.call(
        Method::DELETE,
        &session_path(&event, &id),
        Some(&scanner),
        None,
    )
    .await
    .expect_problem(403);
    assert_eq!(app.count_rows("sessions").await, 1);
    assert_eq!(
        app.get(&session_path(&event, &id)).await.body["title"],
        "Session"
    );
});

db_test!(sessions_belong_to_their_event, |app| async move {
    let event = event_id(&app).await;
    let other = event_id(&app).await;
    let id = session(&app, &event, json!({})).await;
    app.get(&session_path(&other, &id))
        .await
        .expect_problem(404);
    app.get_as(&session_path(&other, &id), &app.organizer)
        .await
        .expect_problem(404);
    app.patch(&session_path(&other, &id), json!({"title": "Stolen"}))
        .await
        .expect_problem(404);
    app.delete(&session_path(&other, &id))
        .await
        .expect_problem(404);
    app.get(&session_path(&event, "not-a-uuid"))
        .await
        .expect_problem(404);
    app.get(&session_path(&event, &Uuid::now_v7().to_string()))
        .await
        .expect_problem(404);
    app.create_session("no-such-event", json!({}))
        .await
        .expect_problem(404);
    app.get(&sessions_path("no-such-event"))
        .await
        .expect_problem(404);
    assert_eq!(app.count_rows("sessions").await, 1);
    assert_eq!(
        ids(&app.get(&sessions_path(&other)).await),
        Vec::<String>::new()
    );
});

db_test!(list_filters_narrow_the_programme, |app| async move {
    let event = event_id(&app).await;
    let t1 = track(&app, &event, "Connectivity").await;
    let t2 = track(&app, &event, "Skills").await;
    let r1 = room(&app, &event, "Hall A").await;
    let r2 = room(&app, &event, "Hall B").await;
    let s1 = speaker(&app, &event, "First Speaker").await;
    let s2 = speaker(&app, &event, "Second Speaker").await;
    // Created out of time order on purpose.
    let d = session(
        &app,
        &event,
        json!({"title": "d", "room_id": r1, "language": "en",
               "starts_at": "2026-11-19T10:00:00+05:00", "ends_at": "2026-11-19T11:00:00+05:00"}),
    )
    .await;
    let c = session(
        &app,
        &event,
        json!({"title": "c", "track_id": t1, "room_id": r2, "speaker_ids": [s1, s2], "language": "tk",
               "starts_at": "2026-11-19T00:30:00+05:00", "ends_at": "2026-11-19T01:00:00+05:00"}),
    )
    .await;
    let a = session(
        &app,
        &event,
        json!({"title": "a", "track_id": t1, "room_id": r1, "speaker_ids": [s1], "language": "en"}),
    )
    .await;
    let b = session(
        &app,
        &event,
        json!({"title": "b", "track_id": t2, "room_id": r2, "speaker_ids": [s2], "language": "ru",
               "starts_at": "2026-11-18T23:30:00+05:00", "ends_at": "2026-11-18T23:45:00+05:00"}),
    )
    .await;
    // A draft matching every filter is never listed publicly.
    let draft = session(
        &app,
        &event,
        json!({"title": "draft", "track_id": t1, "room_id": r1, "speaker_ids": [s1], "status": "draft",
               "starts_at": "2026-11-18T12:00:00+05:00", "ends_at": "2026-11-18T13:00:00+05:00"}),
    )
    .await;

    let (a, b, c, d) = (a.as_str(), b.as_str(), c.as_str(), d.as_str());
    let list = |query: String| {
        let app = &app;
        let event = event.clone();
        async move {
            let reply = app
                .get(&format!("/api/v1/events/{event}/sessions{query}"))
                .await;
            reply.expect(200);
            ids(&reply)
        }
    };
    assert_eq!(list(String::new()).await, [a, b, c, d]);
    assert_eq!(list(format!("?track={t1}")).await, [a, c]);
    assert_eq!(list(format!("?track={t2}")).await, [b]);
    assert_eq!(list(format!("?room={r2}")).await, [b, c]);
    assert_eq!(list(format!("?room={r1}")).await, [a, d]);
    assert_eq!(list(format!("?speaker={s1}")).await, [a, c]);
    assert_eq!(list(format!("?speaker={s2}")).await, [b, c]);
    assert_eq!(list("?language=en".into()).await, [a, d]);
    assert_eq!(list("?language=tk".into()).await, [c]);
    assert_eq!(list("?language=de".into()).await, Vec::<String>::new());
    // Local days: 23:30 on the 18th is the 18th; 00:30 on the 19th (UTC: the 18th) is the 19th.
    assert_eq!(list("?day=2026-11-18".into()).await, [a, b]);
    assert_eq!(list("?day=2026-11-19".into()).await, [c, d]);
    assert_eq!(list("?day=2026-11-20".into()).await, Vec::<String>::new());
    // Filters combine.
    assert_eq!(list(format!("?day=2026-11-19&speaker={s1}")).await, [c]);
    assert_eq!(list(format!("?track={t1}&language=tk")).await, [c]);
    assert_eq!(list(format!("?room={r1}&day=2026-11-18")).await, [a]);
    assert_eq!(
        list(format!("?track={t2}&speaker={s1}")).await,
        Vec::<String>::new()
    );
    // Unknown ids simply match nothing.
    assert_eq!(
        list(format!("?track={}", Uuid::now_v7())).await,
        Vec::<String>::new()
    );
    // Organizers see the draft through the same filters.
    let organizer = app
        .get_as(
            &format!("{}?track={t1}&day=2026-11-18", sessions_path(&event)),
            &app.organizer,
        )
        .await;
    assert_eq!(ids(&organizer), [a.to_owned(), draft]);
    // Malformed filters are refused, not ignored.
    for query in [
        "?day=2026-13-01",
        "?track=nope",
        "?speaker=42",
        "?status=maybe",
    ] {
        let reply = app.get(&format!("{}{query}", sessions_path(&event))).await;
        assert!(
            reply.status.is_client_error(),
            "{query}: {} {}",
            reply.status,
            reply.text
        );
    }
});

db_test!(
    pages_follow_time_order_without_duplicates,
    |app| async move {
        let event = event_id(&app).await;
        // Several sessions share a start time; created in scrambled order.
        let starts = [
            ("2026-11-19T09:00", "2026-11-19T09:20"),
            ("2026-11-18T09:00", "2026-11-18T09:20"),
            ("2026-11-18T14:00", "2026-11-18T14:20"),
            ("2026-11-18T09:00", "2026-11-18T09:20"),
            ("2026-11-19T00:30", "2026-11-19T00:50"),
            ("2026-11-18T09:00", "2026-11-18T09:20"),
            ("2026-11-18T23:30", "2026-11-18T23:50"),
            ("2026-11-19T09:00", "2026-11-19T09:20"),
            ("2026-11-18T00:30", "2026-11-18T00:50"),
        ];
        for (n, (start, end)) in starts.iter().enumerate() {
            session(
                &app,
                &event,
                json!({"title": format!("Session {n}"), "starts_at": format!("{start}:00+05:00"),
                   "ends_at": format!("{end}:00+05:00")}),
            )
            .await;
        }
        // A draft, never listed publicly.
        session(&app, &event, json!({"status": "draft"})).await;

        let all = app
            .get(&format!("{}?limit=500", sessions_path(&event)))
            .await;
        all.expect(200);
        assert_eq!(all.body["next_cursor"], Value::Null);
        let everything = ids(&all);
        assert_eq!(everything.len(), starts.len());
        let times: Vec<String> = all.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["starts_at"].as_str().unwrap().to_owned())
            .collect();
        let mut sorted = times.clone();
        sorted.sort();
        assert_eq!(times, sorted, "time order");

        for limit in [1, 2, 4] {
            let mut seen = Vec::new();
            let mut cursor: Option<String> = None;
            let mut pages = 0;
            loop {
                let path = match &cursor {
                    None => format!("{}?limit={limit}", sessions_path(&event)),
                    Some(c) => format!("{}?limit={limit}&cursor={c}", sessions_path(&event)),
                };
                let page = app.get(&path).await;
                page.expect(200);
                let page_ids = ids(&page);
                assert!(page_ids.len() <= limit);
                seen.extend(page_ids);
                pages += 1;
                assert!(pages <= starts.len() + 1, "paging does not end");
                match page.body["next_cursor"].as_str() {
                    Some(next) => cursor = Some(next.to_owned()),
                    None => break,
                }
            }
            assert_eq!(seen, everything, "limit {limit}");
        }

        // Paging works together with a filter.
        let mut seen = Vec::new();
        let mut cursor: Option<String> = None;
        loop {
            let path = match &cursor {
                None => format!("{}?day=2026-11-18&limit=2", sessions_path(&event)),
                Some(c) => format!(
                    "{}?day=2026-11-18&limit=2&cursor={c}",
                    sessions_path(&event)
                ),
            };
            let page = app.get(&path).await;
            page.expect(200);
            seen.extend(ids(&page));
            match page.body["next_cursor"].as_str() {
                Some(next) => cursor = Some(next.to_owned()),
                None => break,
            }
        }
        let day_18: Vec<String> = ids(&app
            .get(&format!("{}?day=2026-11-18", sessions_path(&event)))
            .await);
        assert_eq!(day_18.len(), 6);
        assert_eq!(seen, day_18);

        // Bad paging parameters.
        for query in ["?limit=0", "?limit=501", "?cursor=garbage!"] {
            app.get(&format!("{}{query}", sessions_path(&event)))
                .await
                .expect_problem(422);
        }
        // A cursor of another list (events, in id order) is not a cursor of this one.
        app.published_event(json!({})).await;
        let events = app.get("/api/v1/events?limit=1").await;
        let foreign = events.body["next_cursor"].as_str().expect("events cursor");
        let reply = app
            .get(&format!("{}?cursor={foreign}", sessions_path(&event)))
            .await;
        reply.expect_problem(422);
        assert!(reply.error_fields().contains(&"cursor".to_owned()));
    }
);

db_test!(
    deleting_a_public_session_leaves_a_tombstone,
    |app| async move {
        let event = event_id(&app).await;
        let published = session(&app, &event, json!({"title": "Published"})).await;
        app.patch(
            &session_path(&event, &published),
            json!({"title": "Published, renamed"}),
        )
        .await
        .expect(200);
        let draft = session(
        &app,
        &event,
        json!({"title": "Draft", "status": "draft", "starts_at": "2026-11-18T11:00:00+05:00", "ends_at": "2026-11-18T12:00:00+05:00"}),
    )
    .await;
        let cancelled = session(
        &app,
        &event,
        json!({"title": "Cancelled", "status": "cancelled", "starts_at": "2026-11-19T11:00:00+05:00", "ends_at": "2026-11-19T12:00:00+05:00"}),
    )
    .await;

        app.delete(&session_path(&event, &draft)).await.expect(204);
        assert_eq!(app.count_rows("session_tombstones").await, 0);
        assert_eq!(app.count_rows("sessions").await, 2);

        app.delete(&session_path(&event, &published))
            .await
            .expect(204);
        assert_eq!(app.count_rows("session_tombstones").await, 1);
        let tombstone =
            entities::session_tombstones::Entity::find_by_id(Uuid::parse_str(&published).unwrap())
                .one(&app.state.db)
                .await
                .unwrap()
                .expect("tombstone of the published session");
        assert_eq!(tombstone.sequence, 2, "one more than the session's 1");
        assert_eq!(tombstone.title, "Published, renamed");
        assert_eq!(tombstone.event_id.to_string(), event);
        assert_eq!(
            tombstone.starts_at.to_rfc3339(),
            "2026-11-18T04:00:00+00:00"
        );

        // A cancelled session had been public too.
        app.delete(&session_path(&event, &cancelled))
            .await
            .expect(204);
        assert_eq!(app.count_rows("session_tombstones").await, 2);
        let of_event = entities::session_tombstones::Entity::find()
            .filter(
                entities::session_tombstones::Column::EventId.eq(Uuid::parse_str(&event).unwrap()),
            )
            .all(&app.state.db)
            .await
            .unwrap();
        assert_eq!(of_event.len(), 2);
        let of_cancelled = of_event
            .iter()
            .find(|t| t.id.to_string() == cancelled)
            .expect("tombstone of the cancelled session");
        assert_eq!(of_cancelled.sequence, 1);
        assert_eq!(app.count_rows("sessions").await, 0);
        // The deleted sessions are gone from every list.
        assert_eq!(
            ids(&app.get_as(&sessions_path(&event), &app.organizer).await),
            Vec::<String>::new()
        );
    }
);

db_test!(
    deleting_a_session_frees_room_and_speakers,
    |app| async move {
        let event = event_id(&app).await;
        let hall = room(&app, &event, "Hall A").await;
        let host = speaker(&app, &event, "Host").await;
        let first = session(
            &app,
            &event,
            json!({"room_id": hall, "speaker_ids": [host]}),
        )
        .await;
        app.create_session(&event, json!({"room_id": hall, "speaker_ids": [host]}))
            .await
            .expect_problem(409);
        // The speaker and room cannot be deleted while in use.
        app.delete(&format!("/api/v1/events/{event}/speakers/{host}"))
            .await
            .expect_problem(409);
        app.delete(&format!("/api/v1/events/{event}/rooms/{hall}"))
            .await
            .expect_problem(409);
        app.delete(&session_path(&event, &first)).await.expect(204);
        assert_eq!(app.count_rows("session_speakers").await, 0);
        let second = session(
            &app,
            &event,
            json!({"room_id": hall, "speaker_ids": [host]}),
        )
        .await;
        // Once no session uses them, the speaker and the room can go.
        app.delete(&session_path(&event, &second)).await.expect(204);
        app.delete(&format!("/api/v1/events/{event}/speakers/{host}"))
            .await
            .expect(204);
        app.delete(&format!("/api/v1/events/{event}/rooms/{hall}"))
            .await
            .expect(204);
    }
);

db_test!(times_follow_the_event_zone, |app| async move {
    let event = app
        .published_event(json!({"timezone": "Europe/Berlin", "starts_on": "2026-10-24", "ends_on": "2026-10-26"}))
        .await;
    let event = event["id"].as_str().unwrap().to_owned();
    // Summer time before the switch, winter time after it.
    let summer = app
        .create_session(
            &event,
            json!({"starts_at": "2026-10-24T10:00:00Z", "ends_at": "2026-10-24T11:00:00Z"}),
        )
        .await;
    summer.expect(201);
    assert_eq!(summer.body["starts_at"], "2026-10-24T12:00:00+02:00");
    let winter = app
        .create_session(
            &event,
            json!({"starts_at": "2026-10-26T10:00:00Z", "ends_at": "2026-10-26T11:00:00Z"}),
        )
        .await;
    winter.expect(201);
    assert_eq!(winter.body["starts_at"], "2026-10-26T11:00:00+01:00");
    // A session spanning the switch: starts in summer time, ends in winter time.
    let across = app
        .create_session(
            &event,
            json!({"starts_at": "2026-10-25T01:30:00+02:00", "ends_at": "2026-10-25T03:30:00+01:00"}),
        )
        .await;
    across.expect(201);
    assert_eq!(across.body["starts_at"], "2026-10-25T01:30:00+02:00");
    assert_eq!(across.body["ends_at"], "2026-10-25T03:30:00+01:00");
    // 01:30 local on the 25th (23:30 UTC on the 24th) is on the 25th.
    let day = app
        .get(&format!("{}?day=2026-10-25", sessions_path(&event)))
        .await;
    assert_eq!(ids(&day), [across.id()]);
    // Before the first local day (23:30 on the 23rd, 21:30 UTC) is outside.
    app.create_session(
        &event,
        json!({"starts_at": "2026-10-23T21:30:00Z", "ends_at": "2026-10-23T21:45:00Z"}),
    )
    .await
    .expect_problem(422);
    // 22:30 UTC on the 23rd is 00:30 on the 24th: inside.
    app.create_session(
        &event,
        json!({"starts_at": "2026-10-23T22:30:00Z", "ends_at": "2026-10-23T22:45:00Z"}),
    )
    .await
    .expect(201);
});

db_test!(
    concurrent_bookings_of_one_room_admit_one,
    |app| async move {
        let event = event_id(&app).await;
        let hall = room(&app, &event, "Hall A").await;
        let attempts = (0..6).map(|n| {
            app.create_session(
                &event,
                json!({"title": format!("Attempt {n}"), "room_id": hall,
                   "starts_at": format!("2026-11-18T09:{:02}:00+05:00", n * 5),
                   "ends_at": "2026-11-18T11:00:00+05:00"}),
            )
        });
        let replies = futures::future::join_all(attempts).await;
        let mut statuses: Vec<u16> = replies.iter().map(|r| r.status.as_u16()).collect();
        statuses.sort();
        assert_eq!(statuses, [201, 409, 409, 409, 409, 409], "{replies:#?}");
        assert_eq!(app.count_rows("sessions").await, 1);
    }
);

db_test!(
    sub_microsecond_times_page_without_repeats,
    |app| async move {
        let event = app.create_event(json!({})).await;
        let id = event["id"].as_str().unwrap();
        for (n, start) in ["09:00:00.123456789", "09:00:00.123456999", "10:00:00.5"]
            .iter()
            .enumerate()
        {
            app.create_session(
                id,
                json!({"title": format!("S{n}"), "starts_at": format!("2026-11-18T{start}+05:00"),
                   "ends_at": "2026-11-18T11:30:00+05:00"}),
            )
            .await
            .expect(201);
        }
        let mut seen = Vec::new();
        let mut cursor: Option<String> = None;
        for _ in 0..10 {
            let path = match &cursor {
                Some(c) => format!("/api/v1/events/{id}/sessions?limit=1&cursor={c}"),
                None => format!("/api/v1/events/{id}/sessions?limit=1"),
            };
            let page = app.get_as(&path, &app.organizer).await;
            page.expect(200);
            for item in page.body["items"].as_array().unwrap() {
                seen.push(item["title"].as_str().unwrap().to_owned());
            }
            cursor = page.body["next_cursor"].as_str().map(str::to_owned);
            if cursor.is_none() {
                break;
            }
        }
        seen.sort();
        assert_eq!(seen, ["S0", "S1", "S2"]);
    }
);

/// Opens a transaction on another connection that holds the event's agenda lock and makes
/// "another organizer's" visible change to `session` (title and `sequence`, as a save does).
async fn held_edit(app: &TestApp, event: &str, session: &str) -> sea_orm::DatabaseTransaction {
    use entities::sessions::{Column, Entity};
    use sea_orm::sea_query::Expr;
    use sea_orm::{ExprTrait, TransactionTrait};
    let other = app.other_connection().await;
    let held = other.begin().await.unwrap();
    dialogue::store::events::touch_agenda(&held, event.parse().unwrap(), chrono::Utc::now())
        .await
        .unwrap();
    Entity::update_many()
        .col_expr(Column::Sequence, Expr::col(Column::Sequence).add(1))
        .col_expr(Column::Title, Expr::value("Theirs"))
        .filter(Column::Id.eq(session.parse::<Uuid>().unwrap()))
        .exec(&held)
        .await
        .unwrap();
    held
}

db_test!(
    a_concurrent_edit_is_not_lost_from_sequence,
    |app| async move {
        let event = app.published_event(json!({})).await["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let session = app.create_session(&event, json!({})).await.id();
        let held = held_edit(&app, &event, &session).await;
        let reply = crate::helpers::while_held(
            held,
            app.patch(
                &format!("/api/v1/events/{event}/sessions/{session}"),
                json!({"title": "Mine"}),
            ),
        )
        .await;
        reply.expect(200);
        assert_eq!(reply.body["title"], "Mine");
        assert_eq!(
            reply.body["sequence"], 2,
            "both edits count: {}",
            reply.text
        );
    }
);

db_test!(
    a_deletion_after_a_concurrent_edit_has_the_higher_sequence,
    |app| async move {
        let event = app.published_event(json!({})).await["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let session = app.create_session(&event, json!({})).await.id();
        let held = held_edit(&app, &event, &session).await;
        let reply = crate::helpers::while_held(
            held,
            app.delete(&format!("/api/v1/events/{event}/sessions/{session}")),
        )
        .await;
        reply.expect(204);
        let tombstone =
            entities::session_tombstones::Entity::find_by_id(session.parse::<Uuid>().unwrap())
                .one(&app.state.db)
                .await
                .unwrap()
                .expect("a tombstone");
        assert_eq!(tombstone.sequence, 2, "above the edit's sequence 1");
        assert_eq!(tombstone.title, "Theirs");
    }
);
