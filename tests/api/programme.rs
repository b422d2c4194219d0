//! Tracks, rooms and speakers: create, list, change, delete; validation; who sees a
//! speaker's e-mail; drafts hidden; items in use kept; items of other events unreachable;
//! paging.

use poem::http::Method;
use serde_json::{Value, json};

use crate::db_test;
use crate::helpers::{Reply, TestApp};

/// The ids of a list reply's items.
fn ids(reply: &Reply) -> Vec<String> {
    reply.body["items"]
        .as_array()
        .unwrap_or_else(|| panic!("a list: {}", reply.text))
        .iter()
        .map(|item| item["id"].as_str().unwrap().to_owned())
        .collect()
}

/// Creates a draft event; returns its id.
async fn event(app: &TestApp, slug: &str) -> String {
    let event = app.create_event(json!({"slug": slug})).await;
    event["id"].as_str().unwrap().to_owned()
}

/// Creates an item (`tracks`, `rooms`, `speakers`) of `event`; returns its id.
async fn item(app: &TestApp, event: &str, kind: &str, body: Value) -> String {
    let reply = app
        .post(&format!("/api/v1/events/{event}/{kind}"), body)
        .await;
    reply.expect(201);
    reply.id()
}

/// The tracks, rooms and speakers of `event`, as the organizer sees them.
async fn items_of(app: &TestApp, event: &str) -> Vec<Value> {
    let mut all = Vec::new();
    for kind in ["tracks", "rooms", "speakers"] {
        let reply = app
            .get_as(&format!("/api/v1/events/{event}/{kind}"), &app.organizer)
            .await;
        reply.expect(200);
        all.push(reply.body);
    }
    all
}

/// Row counts of the programme tables.
async fn counts(app: &TestApp) -> Vec<i64> {
    let mut counts = Vec::new();
    for table in [
        "tracks",
        "rooms",
        "speakers",
        "sessions",
        "session_speakers",
    ] {
        counts.push(app.count_rows(table).await);
    }
    counts
}

db_test!(
    tracks_are_created_listed_changed_and_deleted,
    |app| async move {
        let id = event(&app, "track-crud").await;
        let base = format!("/api/v1/events/{id}/tracks");
        let created = app
        .post(
            &base,
            json!({"name": "Digital economy", "color": "#1F6FEB", "description": "Trade and data"}),
        )
        .await;
        created.expect(201);
        let track = created.id();
        assert_eq!(
            created.header("location"),
            Some(format!("{base}/{track}").as_str())
        );
        assert_eq!(created.body["name"], "Digital economy");
        assert_eq!(created.body["color"], "#1F6FEB");
        assert_eq!(created.body["description"], "Trade and data");
        // Optional fields may be left out; lowercase colours are fine.
        let second = app
            .post(
                "/api/v1/events/track-crud/tracks",
                json!({"name": "Cyber", "color": "#00aa55"}),
            )
            .await;
        second.expect(201);
        assert_eq!(second.body["description"], Value::Null);
        // Listed by id or slug, as created.
        let listed = app.get_as(&base, &app.organizer).await;
        listed.expect(200);
        assert_eq!(ids(&listed), [track.clone(), second.id()]);
        assert_eq!(listed.body["next_cursor"], Value::Null);
        assert_eq!(listed.body["items"][0], created.body);
        let by_slug = app
            .get_as("/api/v1/events/track-crud/tracks", &app.organizer)
            .await;
        assert_eq!(by_slug.body, listed.body);

        // A partial change keeps what is not sent; null clears an optional field.
        let item = format!("{base}/{track}");
        let patched = app.patch(&item, json!({"description": "Data flows"})).await;
        patched.expect(200);
        assert_eq!(patched.body["name"], "Digital economy");
        assert_eq!(patched.body["color"], "#1F6FEB");
        assert_eq!(patched.body["description"], "Data flows");
        let cleared = app.patch(&item, json!({"color": null})).await;
        cleared.expect(200);
        assert_eq!(cleared.body["color"], Value::Null);
        assert_eq!(cleared.body["description"], "Data flows");
        assert_eq!(cleared.body["name"], "Digital economy");
        let unchanged = app.patch(&item, json!({})).await;
        unchanged.expect(200);
        assert_eq!(unchanged.body, cleared.body);
        let renamed = app
            .patch(
                &format!("/api/v1/events/track-crud/tracks/{track}"),
                json!({"name": "Economy", "description": null}),
            )
            .await;
        renamed.expect(200);
        assert_eq!(renamed.body["name"], "Economy");
        assert_eq!(renamed.body["description"], Value::Null);
        let listed = app.get_as(&base, &app.organizer).await;
        assert_eq!(listed.body["items"][0], renamed.body);

        // Deleted: 204 with no body, gone from the list, and 404 from then on.
        let deleted = app.delete(&item).await;
        deleted.expect(204);
        assert!(deleted.text.is_empty());
        assert_eq!(ids(&app.get_as(&base, &app.organizer).await), [second.id()]);
        assert_eq!(app.count_rows("tracks").await, 1);
        app.delete(&item).await.expect_problem(404);
        app.patch(&item, json!({"name": "Back"}))
            .await
            .expect_problem(404);
    }
);

db_test!(
    rooms_are_created_listed_changed_and_deleted,
    |app| async move {
        let id = event(&app, "room-crud").await;
        let base = format!("/api/v1/events/{id}/rooms");
        let created = app
            .post(
                &base,
                json!({"name": "Hall A", "capacity": 120, "description": "Ground floor"}),
            )
            .await;
        created.expect(201);
        let room = created.id();
        assert_eq!(
            created.header("location"),
            Some(format!("{base}/{room}").as_str())
        );
        assert_eq!(created.body["capacity"], 120);
        let small = app
            .post(&base, json!({"name": "Meeting room", "capacity": 0}))
            .await;
        small.expect(201);
        assert_eq!(small.body["capacity"], 0);
        let listed = app.get_as(&base, &app.organizer).await;
        listed.expect(200);
        assert_eq!(ids(&listed), [room.clone(), small.id()]);
        assert_eq!(listed.body["items"][0], created.body);

        let item = format!("{base}/{room}");
        let patched = app.patch(&item, json!({"capacity": 150})).await;
        patched.expect(200);
        assert_eq!(patched.body["capacity"], 150);
        assert_eq!(patched.body["name"], "Hall A");
        assert_eq!(patched.body["description"], "Ground floor");
        let cleared = app.patch(&item, json!({"capacity": null})).await;
        cleared.expect(200);
        assert_eq!(cleared.body["capacity"], Value::Null);
        assert_eq!(cleared.body["description"], "Ground floor");
        let cleared = app.patch(&item, json!({"description": null})).await;
        assert_eq!(cleared.body["description"], Value::Null);
        assert_eq!(cleared.body["name"], "Hall A");
        assert_eq!(
            app.get_as(&base, &app.organizer).await.body["items"][0],
            cleared.body
        );

        app.delete(&item).await.expect(204);
        assert_eq!(ids(&app.get_as(&base, &app.organizer).await), [small.id()]);
        app.delete(&item).await.expect_problem(404);
        app.delete(&format!("/api/v1/events/room-crud/rooms/{}", small.id()))
            .await
            .expect(204);
        assert_eq!(app.count_rows("rooms").await, 0);
    }
);

db_test!(
    speakers_are_created_read_changed_and_deleted,
    |app| async move {
        let id = event(&app, "speaker-crud").await;
        let base = format!("/api/v1/events/{id}/speakers");
        let created = app
            .post(
                &base,
                json!({
                    "full_name": "Aýna Berdiýewa",
                    "position": "Head of department",
                    "organization": "Ministry of Digital Development",
                    "country": "Turkmenistan",
                    "bio": "Twenty years in public service.",
                    "photo_url": "https://example.org/ayna.jpg",
                    "email": "ayna@example.tm"
                }),
            )
            .await;
        created.expect(201);
        let speaker = created.id();
        let location = created.header("location").unwrap().to_owned();
        assert_eq!(location, format!("{base}/{speaker}"));
        assert_eq!(created.body["full_name"], "Aýna Berdiýewa");
        assert_eq!(created.body["email"], "ayna@example.tm");
        // The Location can be read.
        let read = app.get_as(&location, &app.organizer).await;
        read.expect(200);
        assert_eq!(read.body, created.body);
        let minimal = app.post(&base, json!({"full_name": "Merdan Ataýew"})).await;
        minimal.expect(201);
        assert_eq!(minimal.body["bio"], Value::Null);
        let listed = app.get_as(&base, &app.organizer).await;
        assert_eq!(ids(&listed), [speaker.clone(), minimal.id()]);
        assert_eq!(listed.body["items"][0], created.body);

        let patched = app
            .patch(
                &location,
                json!({"position": "Deputy minister", "photo_url": null}),
            )
            .await;
        patched.expect(200);
        assert_eq!(patched.body["position"], "Deputy minister");
        assert_eq!(patched.body["photo_url"], Value::Null);
        assert_eq!(
            patched.body["organization"],
            "Ministry of Digital Development"
        );
        assert_eq!(patched.body["bio"], "Twenty years in public service.");
        assert_eq!(patched.body["email"], "ayna@example.tm");
        let cleared = app
            .patch(&location, json!({"email": null, "bio": null}))
            .await;
        cleared.expect(200);
        assert!(cleared.body["email"].is_null());
        assert_eq!(cleared.body["bio"], Value::Null);
        assert_eq!(cleared.body["full_name"], "Aýna Berdiýewa");
        let read = app.get_as(&location, &app.organizer).await;
        assert_eq!(read.body, cleared.body);

        app.delete(&location).await.expect(204);
        app.get_as(&location, &app.organizer)
            .await
            .expect_problem(404);
        app.delete(&location).await.expect_problem(404);
        assert_eq!(
            ids(&app.get_as(&base, &app.organizer).await),
            [minimal.id()]
        );
    }
);

db_test!(invalid_items_are_422_and_store_nothing, |app| async move {
    let id = event(&app, "invalid-items").await;
    let base = format!("/api/v1/events/{id}");
    let cases = [
        ("tracks", json!({"name": "T", "color": "red"}), "color"),
        ("tracks", json!({"name": "T", "color": "#12345"}), "color"),
        ("tracks", json!({"name": "T", "color": "#1234567"}), "color"),
        ("tracks", json!({"name": "T", "color": "#GGGGGG"}), "color"),
        ("tracks", json!({"name": "T", "color": "1F6FEB0"}), "color"),
        ("tracks", json!({"name": "T", "color": ""}), "color"),
        ("tracks", json!({"name": ""}), "name"),
        ("tracks", json!({"name": "   "}), "name"),
        ("tracks", json!({"name": "x".repeat(201)}), "name"),
        (
            "tracks",
            json!({"name": "T", "description": "x".repeat(10_001)}),
            "description",
        ),
        ("rooms", json!({"name": "R", "capacity": -1}), "capacity"),
        (
            "rooms",
            json!({"name": "R", "capacity": 1_000_001}),
            "capacity",
        ),
        ("rooms", json!({"name": ""}), "name"),
        ("rooms", json!({"name": "\t\n"}), "name"),
        (
            "rooms",
            json!({"name": "R", "description": "x".repeat(10_001)}),
            "description",
        ),
        (
            "speakers",
            json!({"full_name": "S", "email": "not-an-email"}),
            "email",
        ),
        (
            "speakers",
            json!({"full_name": "S", "email": "a@b"}),
            "email",
        ),
        (
            "speakers",
            json!({"full_name": "S", "email": "a b@example.org"}),
            "email",
        ),
        (
            "speakers",
            json!({"full_name": "S", "email": "@example.org"}),
            "email",
        ),
        ("speakers", json!({"full_name": "S", "email": ""}), "email"),
        (
            "speakers",
            json!({"full_name": "S", "photo_url": "ftp://example.org/a.jpg"}),
            "photo_url",
        ),
        (
            "speakers",
            json!({"full_name": "S", "photo_url": "javascript:alert(1)"}),
            "photo_url",
        ),
        (
            "speakers",
            json!({"full_name": "S", "photo_url": "example.org/a.jpg"}),
            "photo_url",
        ),
        (
            "speakers",
            json!({"full_name": "S", "photo_url": "https://"}),
            "photo_url",
        ),
        (
            "speakers",
            json!({"full_name": "S", "photo_url": "/photos/a.jpg"}),
            "photo_url",
        ),
        (
            "speakers",
            json!({"full_name": "S", "bio": "x".repeat(10_001)}),
            "bio",
        ),
        ("speakers", json!({"full_name": ""}), "full_name"),
        (
            "speakers",
            json!({"full_name": "x".repeat(201)}),
            "full_name",
        ),
        (
            "speakers",
            json!({"full_name": "S", "organization": "x".repeat(301)}),
            "organization",
        ),
    ];
    for (kind, body, field) in cases {
        let reply = app.post(&format!("{base}/{kind}"), body.clone()).await;
        reply.expect_problem(422);
        assert_eq!(reply.body["type"], "/problems/validation-failed");
        assert!(
            reply.error_fields().contains(&field.to_owned()),
            "{kind} {body} should name {field}: {}",
            reply.text
        );
    }
    // Every offending field is named at once.
    let reply = app
        .post(
            &format!("{base}/speakers"),
            json!({"full_name": " ", "email": "nope", "photo_url": "ftp://x", "bio": "x".repeat(10_001)}),
        )
        .await;
    reply.expect_problem(422);
    let mut fields = reply.error_fields();
    fields.sort();
    assert_eq!(fields, ["bio", "email", "full_name", "photo_url"]);
    for table in ["tracks", "rooms", "speakers"] {
        assert_eq!(app.count_rows(table).await, 0, "{table}");
    }
    // The limits themselves are accepted.
    item(
        &app,
        &id,
        "tracks",
        json!({"name": "x".repeat(200), "description": "x".repeat(10_000)}),
    )
    .await;
    item(
        &app,
        &id,
        "rooms",
        json!({"name": "R", "capacity": 1_000_000}),
    )
    .await;
    item(
        &app,
        &id,
        "speakers",
        json!({"full_name": "S", "bio": "ş".repeat(10_000), "photo_url": "http://example.org/s.png", "email": "s@example.org"}),
    )
    .await;
});

db_test!(
    invalid_changes_are_422_and_change_nothing,
    |app| async move {
        let id = event(&app, "invalid-changes").await;
        let base = format!("/api/v1/events/{id}");
        let track = item(
            &app,
            &id,
            "tracks",
            json!({"name": "Track", "color": "#112233"}),
        )
        .await;
        let room = item(&app, &id, "rooms", json!({"name": "Room", "capacity": 10})).await;
        let speaker = item(
        &app,
        &id,
        "speakers",
        json!({"full_name": "Speaker", "email": "speaker@example.org", "photo_url": "https://example.org/p.jpg"}),
    )
    .await;
        let cases = [
            (
                format!("{base}/tracks/{track}"),
                json!({"color": "blue", "name": "Changed"}),
                "color",
            ),
            (
                format!("{base}/tracks/{track}"),
                json!({"name": ""}),
                "name",
            ),
            (
                format!("{base}/rooms/{room}"),
                json!({"capacity": -5, "name": "Changed"}),
                "capacity",
            ),
            (
                format!("{base}/rooms/{room}"),
                json!({"name": "  "}),
                "name",
            ),
            (
                format!("{base}/speakers/{speaker}"),
                json!({"email": "broken", "full_name": "Changed"}),
                "email",
            ),
            (
                format!("{base}/speakers/{speaker}"),
                json!({"photo_url": "file:///etc/passwd"}),
                "photo_url",
            ),
            (
                format!("{base}/speakers/{speaker}"),
                json!({"bio": "x".repeat(10_001)}),
                "bio",
            ),
            (
                format!("{base}/speakers/{speaker}"),
                json!({"full_name": ""}),
                "full_name",
            ),
        ];
        let before = items_of(&app, &id).await;
        for (path, body, field) in cases {
            let reply = app.patch(&path, body.clone()).await;
            reply.expect_problem(422);
            assert!(
                reply.error_fields().contains(&field.to_owned()),
                "PATCH {path} {body} should name {field}: {}",
                reply.text
            );
        }
        assert_eq!(items_of(&app, &id).await, before);
    }
);

db_test!(
    speaker_email_is_shown_to_organizers_only,
    |app| async move {
        let id = event(&app, "email-event").await;
        let base = format!("/api/v1/events/{id}");
        let address = "hidden.person@example.tm";
        let created = app
            .post(
                &format!("{base}/speakers"),
                json!({"full_name": "Hidden Person", "organization": "Ministry", "email": address}),
            )
            .await;
        created.expect(201);
        assert_eq!(created.body["email"], address);
        let speaker = created.id();
        let track = item(&app, &id, "tracks", json!({"name": "Track"})).await;
        app.create_session(&id, json!({"speaker_ids": [speaker], "track_id": track}))
            .await
            .expect(201);
        app.post(&format!("{base}/publish"), Value::Null)
            .await
            .expect(200);

        // Organizers see it everywhere they read speakers.
        let one = format!("{base}/speakers/{speaker}");
        let list = format!("{base}/speakers");
        assert_eq!(
            app.get_as(&one, &app.organizer).await.body["email"],
            address
        );
        let listed = app.get_as(&list, &app.organizer).await;
        assert_eq!(listed.body["items"][0]["email"], address);
        let patched = app.patch(&one, json!({"position": "Adviser"})).await;
        assert_eq!(patched.body["email"], address);

        // The public never does: not in the list, not in the item, not in the agenda or sessions.
        for path in [
            list.clone(),
            format!("{list}?limit=1"),
            one.clone(),
            "/api/v1/events/email-event/speakers".to_owned(),
            format!("/api/v1/events/email-event/speakers/{speaker}"),
            format!("{base}/agenda"),
            format!("{base}/sessions"),
            base.clone(),
        ] {
            let reply = app.get(&path).await;
            reply.expect(200);
            assert!(
                !reply.text.contains(address) && !reply.text.contains("hidden.person@"),
                "GET {path} shows the e-mail: {}",
                reply.text
            );
            assert!(
                !reply.text.contains("\"email\""),
                "GET {path}: {}",
                reply.text
            );
        }
        let public = app.get(&one).await;
        assert_eq!(public.body["full_name"], "Hidden Person");
        assert_eq!(public.body["position"], "Adviser");
        assert!(public.body.get("email").is_none());
        // The agenda does list the speaker, by their public fields.
        let agenda = app.get(&format!("{base}/agenda")).await;
        assert!(agenda.text.contains("Hidden Person"), "{}", agenda.text);

        // A changed address stays private too.
        app.patch(&one, json!({"email": "new.address@example.tm"}))
            .await
            .expect(200);
        for path in [list.clone(), one.clone(), format!("{base}/agenda")] {
            let reply = app.get(&path).await;
            assert!(!reply.text.contains("new.address@example.tm"), "GET {path}");
            assert!(!reply.text.contains(address), "GET {path}");
        }
    }
);

db_test!(
    a_drafts_programme_is_hidden_from_the_public,
    |app| async move {
        let id = event(&app, "draft-programme").await;
        let base = format!("/api/v1/events/{id}");
        item(&app, &id, "tracks", json!({"name": "Track"})).await;
        item(&app, &id, "rooms", json!({"name": "Room"})).await;
        let speaker = item(&app, &id, "speakers", json!({"full_name": "Speaker"})).await;
        let paths = [
            format!("{base}/tracks"),
            format!("{base}/rooms"),
            format!("{base}/speakers"),
            format!("{base}/speakers/{speaker}"),
            "/api/v1/events/draft-programme/tracks".to_owned(),
            "/api/v1/events/draft-programme/rooms".to_owned(),
            "/api/v1/events/draft-programme/speakers".to_owned(),
            format!("/api/v1/events/draft-programme/speakers/{speaker}"),
        ];
        for path in &paths {
            let reply = app.get(path).await;
            reply.expect_problem(404);
            assert!(
                !reply.text.contains("Speaker"),
                "GET {path}: {}",
                reply.text
            );
            // The same answer as for an event that does not exist.
            let missing = app
                .get(
                    &path
                        .replace(&id, "no-such-event")
                        .replace("draft-programme", "no-such-event"),
                )
                .await;
            missing.expect_problem(404);
            assert_eq!(reply.body, missing.body, "GET {path}");
            app.get_as(path, &app.organizer).await.expect(200);
        }
        app.post(&format!("{base}/publish"), Value::Null)
            .await
            .expect(200);
        for path in &paths {
            let reply = app.get(path).await;
            assert_eq!(reply.status.as_u16(), 200, "GET {path}: {}", reply.text);
        }
        let tracks = app.get(&format!("{base}/tracks")).await;
        assert_eq!(tracks.body["items"][0]["name"], "Track");
        // A cancelled event keeps its programme visible.
        app.post(&format!("{base}/cancel"), Value::Null)
            .await
            .expect(200);
        for path in &paths {
            assert_eq!(app.get(path).await.status.as_u16(), 200, "GET {path}");
        }
    }
);

db_test!(items_in_use_cannot_be_deleted, |app| async move {
    let id = event(&app, "in-use").await;
    let base = format!("/api/v1/events/{id}");
    let track = item(&app, &id, "tracks", json!({"name": "Track"})).await;
    let room = item(&app, &id, "rooms", json!({"name": "Room"})).await;
    let speaker = item(&app, &id, "speakers", json!({"full_name": "Speaker"})).await;
    let co_speaker = item(&app, &id, "speakers", json!({"full_name": "Co-speaker"})).await;
    let first = app
        .create_session(
            &id,
            json!({"track_id": track, "room_id": room, "speaker_ids": [speaker, co_speaker]}),
        )
        .await;
    first.expect(201);
    // A draft session is a use too.
    let second = app
        .create_session(
            &id,
            json!({
                "title": "Draft workshop",
                "status": "draft",
                "track_id": track,
                "speaker_ids": [co_speaker],
                "starts_at": "2026-11-19T09:00:00+05:00",
                "ends_at": "2026-11-19T10:00:00+05:00"
            }),
        )
        .await;
    second.expect(201);

    let before = counts(&app).await;
    assert_eq!(before, [1, 1, 2, 2, 3]);
    for path in [
        format!("{base}/tracks/{track}"),
        format!("{base}/rooms/{room}"),
        format!("{base}/speakers/{speaker}"),
        format!("{base}/speakers/{co_speaker}"),
    ] {
        let reply = app.delete(&path).await;
        reply.expect_problem(409);
        assert_eq!(reply.body["type"], "/problems/conflict");
        assert_eq!(counts(&app).await, before, "DELETE {path}");
    }
    let session = app
        .get_as(&format!("{base}/sessions/{}", first.id()), &app.organizer)
        .await;
    assert_eq!(session.body["track_id"], track.as_str());
    assert_eq!(session.body["room_id"], room.as_str());

    // Free the first session of everything: the room and the first speaker can go, while
    // the track and the co-speaker are still used by the second session.
    let freed = app
        .patch(
            &format!("{base}/sessions/{}", first.id()),
            json!({"track_id": null, "room_id": null, "speaker_ids": []}),
        )
        .await;
    freed.expect(200);
    assert_eq!(freed.body["track_id"], Value::Null);
    assert_eq!(freed.body["speaker_ids"], json!([]));
    app.delete(&format!("{base}/rooms/{room}"))
        .await
        .expect(204);
    app.delete(&format!("{base}/speakers/{speaker}"))
        .await
        .expect(204);
    app.delete(&format!("{base}/tracks/{track}"))
        .await
        .expect_problem(409);
    app.delete(&format!("{base}/speakers/{co_speaker}"))
        .await
        .expect_problem(409);
    assert_eq!(app.count_rows("tracks").await, 1);
    assert_eq!(app.count_rows("speakers").await, 1);

    // Deleting the second session frees the rest.
    app.delete(&format!("{base}/sessions/{}", second.id()))
        .await
        .expect(204);
    app.delete(&format!("{base}/tracks/{track}"))
        .await
        .expect(204);
    app.delete(&format!("{base}/speakers/{co_speaker}"))
        .await
        .expect(204);
    assert_eq!(counts(&app).await, [0, 0, 0, 1, 0]);
});

db_test!(items_of_another_event_are_404, |app| async move {
    let mine = event(&app, "my-event").await;
    let theirs = event(&app, "their-event").await;
    let track = item(
        &app,
        &theirs,
        "tracks",
        json!({"name": "Their track", "color": "#111111"}),
    )
    .await;
    let room = item(&app, &theirs, "rooms", json!({"name": "Their room"})).await;
    let speaker = item(
        &app,
        &theirs,
        "speakers",
        json!({"full_name": "Their speaker", "email": "their@example.org"}),
    )
    .await;
    // Mine has items too, so the lists are not simply empty.
    item(&app, &mine, "tracks", json!({"name": "My track"})).await;
    let before = items_of(&app, &theirs).await;
    for reference in [mine.as_str(), "my-event"] {
        let base = format!("/api/v1/events/{reference}");
        for (kind, id, body) in [
            ("tracks", &track, json!({"name": "Hijacked"})),
            ("rooms", &room, json!({"name": "Hijacked"})),
            ("speakers", &speaker, json!({"full_name": "Hijacked"})),
        ] {
            let path = format!("{base}/{kind}/{id}");
            let reply = app.patch(&path, body).await;
            reply.expect_problem(404);
            let reply = app.delete(&path).await;
            reply.expect_problem(404);
        }
        app.get_as(&format!("{base}/speakers/{speaker}"), &app.organizer)
            .await
            .expect_problem(404);
        let listed = app
            .get_as(&format!("{base}/speakers"), &app.organizer)
            .await;
        assert!(!listed.text.contains("Their speaker"));
        let listed = app.get_as(&format!("{base}/tracks"), &app.organizer).await;
        assert_eq!(listed.body["items"].as_array().unwrap().len(), 1);
        assert_eq!(listed.body["items"][0]["name"], "My track");
    }
    assert_eq!(items_of(&app, &theirs).await, before);
    assert_eq!(app.count_rows("tracks").await, 2);
    assert_eq!(app.count_rows("rooms").await, 1);
    assert_eq!(app.count_rows("speakers").await, 1);
    // Nor can a session of mine refer to them.
    let reply = app
        .create_session(
            &mine,
            json!({"track_id": track, "room_id": room, "speaker_ids": [speaker]}),
        )
        .await;
    reply.expect_problem(422);
    let mut fields = reply.error_fields();
    fields.sort();
    fields.dedup();
    assert_eq!(fields, ["room_id", "speaker_ids", "track_id"]);
    assert_eq!(app.count_rows("sessions").await, 0);
    // Through their own event, they work.
    app.patch(
        &format!("/api/v1/events/their-event/tracks/{track}"),
        json!({"name": "Renamed"}),
    )
    .await
    .expect(200);
});

/// Reads a whole list, `limit` at a time; returns the ids and the size of each page.
async fn read_all(
    app: &TestApp,
    path: &str,
    limit: u32,
    token: Option<&str>,
) -> (Vec<String>, Vec<usize>) {
    let mut seen = Vec::new();
    let mut sizes = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let url = match &cursor {
            None => format!("{path}?limit={limit}"),
            Some(next) => format!("{path}?limit={limit}&cursor={next}"),
        };
        let page = app.call(Method::GET, &url, token, None).await;
        page.expect(200);
        let items = ids(&page);
        sizes.push(items.len());
        seen.extend(items);
        cursor = page.body["next_cursor"].as_str().map(str::to_owned);
        if cursor.is_none() {
            break;
        }
        assert!(sizes.len() <= 10, "paging does not end: {sizes:?}");
    }
    (seen, sizes)
}

db_test!(speakers_page_with_a_cursor, |app| async move {
    let id = event(&app, "paged-speakers").await;
    let mut created = Vec::new();
    for n in 0..5 {
        created.push(
            item(
                &app,
                &id,
                "speakers",
                json!({"full_name": format!("Speaker {n}"), "email": format!("s{n}@example.org")}),
            )
            .await,
        );
    }
    let path = format!("/api/v1/events/{id}/speakers");
    let (seen, sizes) = read_all(&app, &path, 2, Some(&app.organizer)).await;
    assert_eq!(sizes, [2, 2, 1]);
    let mut unique = seen.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), 5, "each speaker exactly once: {seen:?}");
    let mut expected = created.clone();
    expected.sort();
    assert_eq!(unique, expected);
    // Pages follow the same order as the whole list.
    let whole = app.get_as(&path, &app.organizer).await;
    assert_eq!(ids(&whole), seen);
    assert_eq!(whole.body["next_cursor"], Value::Null);
    // A limit that divides the list ends with an empty page, never a repeated one.
    let (seen_five, sizes_five) = read_all(&app, &path, 5, Some(&app.organizer)).await;
    assert_eq!(seen_five, seen);
    assert!(sizes_five == [5] || sizes_five == [5, 0], "{sizes_five:?}");
    let (seen_one, _) = read_all(&app, &path, 1, Some(&app.organizer)).await;
    assert_eq!(seen_one, seen);

    // The public pages the same way once the event is published, without e-mails.
    app.post(&format!("/api/v1/events/{id}/publish"), Value::Null)
        .await
        .expect(200);
    let (public, _) = read_all(&app, &path, 2, None).await;
    assert_eq!(public, seen);
    let page = app.get(&format!("{path}?limit=2")).await;
    assert!(!page.text.contains("@example.org"), "{}", page.text);

    // Bad paging parameters.
    app.get(&format!("{path}?limit=0"))
        .await
        .expect_problem(422);
    app.get(&format!("{path}?limit=501"))
        .await
        .expect_problem(422);
    app.get(&format!("{path}?cursor=garbage!"))
        .await
        .expect_problem(422);
    // A speakers cursor means nothing to the sessions list.
    let cursor = app.get(&format!("{path}?limit=2")).await.body["next_cursor"]
        .as_str()
        .unwrap()
        .to_owned();
    app.get(&format!("/api/v1/events/{id}/sessions?cursor={cursor}"))
        .await
        .expect_problem(422);
});

db_test!(tracks_and_rooms_page_with_a_cursor, |app| async move {
    let id = event(&app, "paged-items").await;
    for kind in ["tracks", "rooms"] {
        let mut created = Vec::new();
        for n in 0..3 {
            created.push(item(&app, &id, kind, json!({"name": format!("{kind} {n}")})).await);
        }
        let path = format!("/api/v1/events/{id}/{kind}");
        let (seen, sizes) = read_all(&app, &path, 2, Some(&app.organizer)).await;
        assert_eq!(sizes, [2, 1], "{kind}");
        let mut sorted = seen.clone();
        sorted.sort();
        sorted.dedup();
        created.sort();
        assert_eq!(sorted, created, "{kind}");
    }
});
