//! The public agenda: published sessions grouped by the event's local day, with their track,
//! room and speakers' public fields; filters; visibility; ETag, 304 and cache invalidation;
//! daylight-saving days.

use serde_json::{Value, json};
use uuid::Uuid;

use crate::db_test;
use crate::helpers::{Reply, TestApp};
use crate::sessions::{room, speaker, track};

fn agenda_path(event: &str) -> String {
    format!("/api/v1/events/{event}/agenda")
}

/// A published event with the default dates (2026-11-18..19, Asia/Ashgabat); returns its id.
async fn event_id(app: &TestApp, overrides: Value) -> String {
    let event = app.published_event(overrides).await;
    event["id"].as_str().unwrap().to_owned()
}

/// Creates a session that must succeed; returns its id.
async fn session(app: &TestApp, event: &str, overrides: Value) -> String {
    let reply = app.create_session(event, overrides).await;
    reply.expect(201);
    reply.id()
}

/// A session from `start` to `end`, local times on the event's offset +05:00.
fn at(start: &str, end: &str) -> Value {
    json!({"starts_at": format!("{start}+05:00"), "ends_at": format!("{end}+05:00")})
}

fn with(mut base: Value, extra: Value) -> Value {
    crate::helpers::merge(&mut base, extra);
    base
}

/// The agenda as (date, [session ids]) pairs.
fn days(reply: &Reply) -> Vec<(String, Vec<String>)> {
    reply.body["days"]
        .as_array()
        .unwrap_or_else(|| panic!("days in {}", reply.text))
        .iter()
        .map(|day| {
            (
                day["date"].as_str().unwrap().to_owned(),
                day["sessions"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|s| s["id"].as_str().unwrap().to_owned())
                    .collect(),
            )
        })
        .collect()
}

fn day(date: &str, ids: &[&str]) -> (String, Vec<String>) {
    (
        date.to_owned(),
        ids.iter().map(|id| (*id).to_owned()).collect(),
    )
}

/// Every session of the agenda, in order.
fn sessions(reply: &Reply) -> Vec<Value> {
    reply.body["days"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|day| day["sessions"].as_array().unwrap().clone())
        .collect()
}

async fn agenda(app: &TestApp, path: &str) -> Reply {
    let reply = app.get(path).await;
    reply.expect(200);
    reply
}

fn etag(reply: &Reply) -> String {
    reply.header("etag").expect("ETag header").to_owned()
}

db_test!(sessions_are_grouped_by_local_day, |app| async move {
    let event = app
        .published_event(json!({"slug": "dialogue-agenda", "title": "Dialogue 2026"}))
        .await;
    let id = event["id"].as_str().unwrap().to_owned();
    // Created out of time order on purpose.
    let d = session(&app, &id, at("2026-11-19T10:00:00", "2026-11-19T11:00:00")).await;
    // 23:30 local on the 18th is 18:30 UTC on the 18th.
    let b = session(&app, &id, at("2026-11-18T23:30:00", "2026-11-18T23:50:00")).await;
    let e = session(&app, &id, at("2026-11-18T14:00:00", "2026-11-18T15:00:00")).await;
    // 00:30 local on the 19th is 19:30 UTC on the 18th.
    let c = session(
        &app,
        &id,
        json!({"starts_at": "2026-11-18T19:30:00Z", "ends_at": "2026-11-18T20:00:00Z"}),
    )
    .await;
    let a = session(&app, &id, at("2026-11-18T09:00:00", "2026-11-18T10:00:00")).await;

    let reply = agenda(&app, &agenda_path(&id)).await;
    assert!(
        reply
            .header("content-type")
            .is_some_and(|ct| ct.starts_with("application/json")),
        "{:?}",
        reply.header("content-type")
    );
    assert_eq!(
        days(&reply),
        [
            day("2026-11-18", &[&a, &e, &b]),
            day("2026-11-19", &[&c, &d])
        ]
    );
    let all = sessions(&reply);
    let starts: Vec<&str> = all
        .iter()
        .map(|s| s["starts_at"].as_str().unwrap())
        .collect();
    assert_eq!(
        starts,
        [
            "2026-11-18T09:00:00+05:00",
            "2026-11-18T14:00:00+05:00",
            "2026-11-18T23:30:00+05:00",
            "2026-11-19T00:30:00+05:00",
            "2026-11-19T10:00:00+05:00",
        ]
    );
    assert_eq!(all[3]["ends_at"], "2026-11-19T01:00:00+05:00");
    // The event is embedded.
    assert_eq!(reply.body["event"]["id"], id.as_str());
    assert_eq!(reply.body["event"]["slug"], "dialogue-agenda");
    assert_eq!(reply.body["event"]["title"], "Dialogue 2026");
    assert_eq!(reply.body["event"]["timezone"], "Asia/Ashgabat");
});

db_test!(an_empty_programme_has_no_days, |app| async move {
    let id = event_id(&app, json!({})).await;
    let reply = agenda(&app, &agenda_path(&id)).await;
    assert_eq!(reply.body["days"], json!([]));
    assert_eq!(reply.body["event"]["id"], id.as_str());
});

db_test!(
    sessions_embed_track_room_and_public_speaker_fields,
    |app| async move {
        let id = event_id(&app, json!({})).await;
        let track_reply = app
            .post(
                &format!("/api/v1/events/{id}/tracks"),
                json!({"name": "Connectivity", "color": "#1F6FEB", "description": "Cables and corridors"}),
            )
            .await;
        track_reply.expect(201);
        let room_reply = app
            .post(
                &format!("/api/v1/events/{id}/rooms"),
                json!({"name": "Hall A", "capacity": 250}),
            )
            .await;
        room_reply.expect(201);
        let lead = app
            .post(
                &format!("/api/v1/events/{id}/speakers"),
                json!({
                    "full_name": "Aman Orazov",
                    "position": "Deputy Minister",
                    "organization": "Ministry of Digital Development",
                    "country": "Turkmenistan",
                    "bio": "Leads the national fibre programme.",
                    "photo_url": "https://example.org/aman.jpg",
                    "email": "aman.orazov@secret-mail.tm"
                }),
            )
            .await;
        lead.expect(201);
        let second = app
            .post(
                &format!("/api/v1/events/{id}/speakers"),
                json!({"full_name": "Maya Berdiyeva", "organization": "UNDP", "email": "maya@hidden-inbox.org"}),
            )
            .await;
        second.expect(201);
        let with_all = session(
            &app,
            &id,
            json!({
                "title": "Digital corridors",
                "abstract": "Fibre along the Caspian.",
                "kind": "panel",
                "track_id": track_reply.id(),
                "room_id": room_reply.id(),
                "language": "ru",
                "capacity": 80,
                "speaker_ids": [second.id(), lead.id()]
            }),
        )
        .await;
        let bare = session(
            &app,
            &id,
            with(
                at("2026-11-18T12:00:00", "2026-11-18T13:00:00"),
                json!({"title": "Lunch", "kind": "break"}),
            ),
        )
        .await;

        for reply in [
            agenda(&app, &agenda_path(&id)).await,
            // Organizers read the same public document.
            {
                let r = app.get_as(&agenda_path(&id), &app.organizer).await;
                r.expect(200);
                r
            },
        ] {
            for address in ["aman.orazov@secret-mail.tm", "maya@hidden-inbox.org"] {
                assert!(
                    !reply.text.contains(address),
                    "e-mail leaked: {}",
                    reply.text
                );
            }
            assert!(!reply.text.contains("\"email\""), "{}", reply.text);
            let all = sessions(&reply);
            assert_eq!(all.len(), 2);
            let s = &all[0];
            assert_eq!(s["id"], with_all.as_str());
            assert_eq!(s["title"], "Digital corridors");
            assert_eq!(s["abstract"], "Fibre along the Caspian.");
            assert_eq!(s["kind"], "panel");
            assert_eq!(s["language"], "ru");
            assert_eq!(s["capacity"], 80);
            assert_eq!(s["status"], "published");
            assert_eq!(s["sequence"], 0);
            assert_eq!(s["starts_at"], "2026-11-18T09:00:00+05:00");
            assert_eq!(s["ends_at"], "2026-11-18T10:00:00+05:00");
            assert_eq!(s["track"]["id"], track_reply.id().as_str());
            assert_eq!(s["track"]["name"], "Connectivity");
            assert_eq!(s["track"]["color"], "#1F6FEB");
            assert_eq!(s["track"]["description"], "Cables and corridors");
            assert_eq!(s["room"]["id"], room_reply.id().as_str());
            assert_eq!(s["room"]["name"], "Hall A");
            assert_eq!(s["room"]["capacity"], 250);
            // Speakers in billing order, public fields only.
            let speakers = s["speakers"].as_array().unwrap();
            assert_eq!(speakers.len(), 2);
            assert_eq!(speakers[0]["id"], second.id().as_str());
            assert_eq!(speakers[0]["full_name"], "Maya Berdiyeva");
            assert_eq!(speakers[0]["organization"], "UNDP");
            assert_eq!(speakers[1]["id"], lead.id().as_str());
            assert_eq!(speakers[1]["full_name"], "Aman Orazov");
            assert_eq!(speakers[1]["position"], "Deputy Minister");
            assert_eq!(
                speakers[1]["organization"],
                "Ministry of Digital Development"
            );
            assert_eq!(
                speakers[1]["country"], "TM",
                "stored and answered as its code"
            );
            assert_eq!(speakers[1]["photo_url"], "https://example.org/aman.jpg");
            for speaker in speakers {
                assert!(speaker.get("email").is_none(), "{speaker}");
            }
            let b = &all[1];
            assert_eq!(b["id"], bare.as_str());
            assert_eq!(b["kind"], "break");
            assert_eq!(b["track"], Value::Null);
            assert_eq!(b["room"], Value::Null);
            assert_eq!(b["speakers"], json!([]));
        }
    }
);

db_test!(
    drafts_and_cancelled_sessions_are_left_out,
    |app| async move {
        let id = event_id(&app, json!({})).await;
        let shown = session(&app, &id, json!({"title": "Shown"})).await;
        let draft = session(
            &app,
            &id,
            with(
                at("2026-11-19T09:00:00", "2026-11-19T10:00:00"),
                json!({"title": "Secret draft", "status": "draft"}),
            ),
        )
        .await;
        session(
            &app,
            &id,
            with(
                at("2026-11-19T11:00:00", "2026-11-19T12:00:00"),
                json!({"title": "Called off", "status": "cancelled"}),
            ),
        )
        .await;
        let reply = agenda(&app, &agenda_path(&id)).await;
        // The 19th has no published session, so it is not listed.
        assert_eq!(days(&reply), [day("2026-11-18", &[&shown])]);
        assert!(!reply.text.contains("Secret draft"));
        assert!(!reply.text.contains("Called off"));
        // Not for organizers either: the agenda is the published programme.
        let organizer = app.get_as(&agenda_path(&id), &app.organizer).await;
        assert_eq!(days(&organizer), [day("2026-11-18", &[&shown])]);

        // Publishing the draft and cancelling the shown session change the agenda.
        app.patch(
            &format!("/api/v1/events/{id}/sessions/{draft}"),
            json!({"status": "published"}),
        )
        .await
        .expect(200);
        app.patch(
            &format!("/api/v1/events/{id}/sessions/{shown}"),
            json!({"status": "cancelled"}),
        )
        .await
        .expect(200);
        let reply = agenda(&app, &agenda_path(&id)).await;
        assert_eq!(days(&reply), [day("2026-11-19", &[&draft])]);
    }
);

db_test!(filters_narrow_and_combine, |app| async move {
    let id = event_id(&app, json!({})).await;
    let t1 = track(&app, &id, "Connectivity").await;
    let t2 = track(&app, &id, "Skills").await;
    let hall = room(&app, &id, "Hall A").await;
    let s1 = speaker(&app, &id, "First Speaker").await;
    let s2 = speaker(&app, &id, "Second Speaker").await;
    let a = session(
        &app,
        &id,
        json!({"title": "a", "track_id": t1, "room_id": hall, "speaker_ids": [s1], "language": "en"}),
    )
    .await;
    let b = session(
        &app,
        &id,
        with(
            at("2026-11-18T23:30:00", "2026-11-18T23:45:00"),
            json!({"title": "b", "track_id": t2, "speaker_ids": [s2], "language": "ru"}),
        ),
    )
    .await;
    let c = session(
        &app,
        &id,
        with(
            at("2026-11-19T00:30:00", "2026-11-19T01:00:00"),
            json!({"title": "c", "track_id": t1, "speaker_ids": [s1, s2], "language": "tk"}),
        ),
    )
    .await;
    let d = session(
        &app,
        &id,
        with(
            at("2026-11-19T10:00:00", "2026-11-19T11:00:00"),
            json!({"title": "d", "room_id": hall, "language": "en"}),
        ),
    )
    .await;
    // A draft that matches every filter never shows.
    session(
        &app,
        &id,
        with(
            at("2026-11-19T12:00:00", "2026-11-19T13:00:00"),
            json!({"title": "draft", "track_id": t1, "speaker_ids": [s1], "language": "tk", "status": "draft"}),
        ),
    )
    .await;

    let check = |query: String, expected: Vec<(String, Vec<String>)>| {
        let app = &app;
        let path = format!("{}{query}", agenda_path(&id));
        async move {
            let reply = agenda(app, &path).await;
            assert_eq!(days(&reply), expected, "{path}");
        }
    };
    check(
        String::new(),
        vec![day("2026-11-18", &[&a, &b]), day("2026-11-19", &[&c, &d])],
    )
    .await;
    check("?day=2026-11-18".into(), vec![day("2026-11-18", &[&a, &b])]).await;
    check("?day=2026-11-19".into(), vec![day("2026-11-19", &[&c, &d])]).await;
    check("?day=2026-11-20".into(), vec![]).await;
    check(
        format!("?track={t1}"),
        vec![day("2026-11-18", &[&a]), day("2026-11-19", &[&c])],
    )
    .await;
    check(format!("?track={t2}"), vec![day("2026-11-18", &[&b])]).await;
    check("?language=ru".into(), vec![day("2026-11-18", &[&b])]).await;
    check(
        "?language=en".into(),
        vec![day("2026-11-18", &[&a]), day("2026-11-19", &[&d])],
    )
    .await;
    check("?language=de".into(), vec![]).await;
    check(
        format!("?speaker={s1}"),
        vec![day("2026-11-18", &[&a]), day("2026-11-19", &[&c])],
    )
    .await;
    check(
        format!("?speaker={s2}"),
        vec![day("2026-11-18", &[&b]), day("2026-11-19", &[&c])],
    )
    .await;
    // Combinations.
    check(
        format!("?day=2026-11-19&speaker={s1}"),
        vec![day("2026-11-19", &[&c])],
    )
    .await;
    check(
        format!("?track={t1}&language=tk"),
        vec![day("2026-11-19", &[&c])],
    )
    .await;
    check(
        format!("?day=2026-11-18&track={t1}&language=en&speaker={s1}"),
        vec![day("2026-11-18", &[&a])],
    )
    .await;
    check(format!("?track={t2}&speaker={s1}"), vec![]).await;
    check(format!("?track={}", Uuid::now_v7()), vec![]).await;
    // A filtered agenda still names the event.
    let filtered = agenda(&app, &format!("{}?language=de", agenda_path(&id))).await;
    assert_eq!(filtered.body["event"]["id"], id.as_str());
    // Malformed filters are refused, not ignored.
    for query in ["?day=18.11.2026", "?track=nope", "?speaker=1"] {
        let reply = app.get(&format!("{}{query}", agenda_path(&id))).await;
        assert!(
            reply.status.is_client_error(),
            "{query}: {} {}",
            reply.status,
            reply.text
        );
    }
});

db_test!(draft_and_unknown_events_have_no_agenda, |app| async move {
    let event = app.create_event(json!({"slug": "not-yet"})).await;
    let id = event["id"].as_str().unwrap().to_owned();
    session(&app, &id, json!({"title": "Prepared"})).await;
    app.get(&agenda_path(&id)).await.expect_problem(404);
    app.get(&agenda_path("not-yet")).await.expect_problem(404);
    app.get(&agenda_path("no-such-event"))
        .await
        .expect_problem(404);
    app.get(&agenda_path(&Uuid::now_v7().to_string()))
        .await
        .expect_problem(404);
    let scanner = app.checkin_token(&id).await;
    app.get_as(&agenda_path(&id), &scanner)
        .await
        .expect_problem(404);
    // Once published, it is public.
    app.post(&format!("/api/v1/events/{id}/publish"), json!(null))
        .await
        .expect(200);
    let reply = agenda(&app, &agenda_path("not-yet")).await;
    assert_eq!(sessions(&reply)[0]["title"], "Prepared");
});

db_test!(by_slug_and_by_id_alike, |app| async move {
    let id = event_id(&app, json!({"slug": "by-both"})).await;
    session(&app, &id, json!({})).await;
    let by_id = agenda(&app, &agenda_path(&id)).await;
    let by_slug = agenda(&app, &agenda_path("by-both")).await;
    assert_eq!(by_id.body, by_slug.body);
    assert_eq!(etag(&by_id), etag(&by_slug));
    // A cancelled event keeps its agenda.
    app.post(&format!("/api/v1/events/{id}/cancel"), json!(null))
        .await
        .expect(200);
    let cancelled = agenda(&app, &agenda_path("by-both")).await;
    assert_eq!(cancelled.body["event"]["status"], "cancelled");
    assert_eq!(sessions(&cancelled).len(), 1);
});

db_test!(etag_answers_if_none_match_with_304, |app| async move {
    let id = event_id(&app, json!({})).await;
    session(&app, &id, json!({})).await;
    let path = agenda_path(&id);
    let first = agenda(&app, &path).await;
    let tag = etag(&first);
    assert!(
        tag.starts_with('"') && tag.ends_with('"') && tag.len() > 2,
        "a strong, quoted ETag: {tag}"
    );
    // Stable while nothing changes.
    let again = agenda(&app, &path).await;
    assert_eq!(etag(&again), tag);
    assert_eq!(again.text, first.text);

    let not_modified = app.get_with(&path, &[("if-none-match", &tag)]).await;
    not_modified.expect(304);
    assert!(not_modified.text.is_empty(), "{}", not_modified.text);
    assert_eq!(not_modified.header("etag"), Some(tag.as_str()));
    // One of several tags.
    let listed = format!("\"something-else\", {tag}");
    app.get_with(&path, &[("if-none-match", &listed)])
        .await
        .expect(304);
    app.get_with(&path, &[("if-none-match", "*")])
        .await
        .expect(304);
    // Another tag gets the document.
    let other = app
        .get_with(&path, &[("if-none-match", "\"0000000000000000\"")])
        .await;
    other.expect(200);
    assert_eq!(other.text, first.text);
    assert_eq!(etag(&other), tag);

    // Filtered agendas have their own validators.
    let filtered = agenda(&app, &format!("{path}?language=de")).await;
    assert_ne!(etag(&filtered), tag);
    app.get_with(&format!("{path}?language=de"), &[("if-none-match", &tag)])
        .await
        .expect(200);
    let filtered_tag = etag(&filtered);
    app.get_with(
        &format!("{path}?language=de"),
        &[("if-none-match", &filtered_tag)],
    )
    .await
    .expect(304);
});

/// Asserts that the agenda at `path` changed since `old`: the old ETag no longer gives 304,
/// and the new ETag differs. Returns the new agenda.
async fn changed(app: &TestApp, path: &str, old: &str) -> Reply {
    let reply = app.get_with(path, &[("if-none-match", old)]).await;
    reply.expect(200);
    assert_ne!(etag(&reply), old, "ETag must change with the agenda");
    reply
}

db_test!(changes_invalidate_the_cached_agenda, |app| async move {
    let event = app.published_event(json!({"title": "Before"})).await;
    let id = event["id"].as_str().unwrap().to_owned();
    let t1 = track(&app, &id, "Connectivity").await;
    let hall = room(&app, &id, "Hall A").await;
    let host = speaker(&app, &id, "Aman Orazov").await;
    let opening = session(
        &app,
        &id,
        json!({"title": "Opening", "track_id": t1, "room_id": hall, "speaker_ids": [host]}),
    )
    .await;
    let path = agenda_path(&id);
    let track_path = format!("{path}?track={t1}");
    let reply = agenda(&app, &path).await;
    let mut tag = etag(&reply);
    let mut track_tag = etag(&agenda(&app, &track_path).await);
    app.get_with(&path, &[("if-none-match", &tag)])
        .await
        .expect(304);

    // A session's title.
    app.patch(
        &format!("/api/v1/events/{id}/sessions/{opening}"),
        json!({"title": "Grand opening"}),
    )
    .await
    .expect(200);
    let reply = changed(&app, &path, &tag).await;
    assert_eq!(sessions(&reply)[0]["title"], "Grand opening");
    assert_eq!(sessions(&reply)[0]["sequence"], 1);
    tag = etag(&reply);
    let filtered = changed(&app, &track_path, &track_tag).await;
    assert_eq!(sessions(&filtered)[0]["title"], "Grand opening");
    track_tag = etag(&filtered);

    // A new session.
    let added = session(
        &app,
        &id,
        with(
            at("2026-11-19T09:00:00", "2026-11-19T10:00:00"),
            json!({"title": "Day two", "track_id": t1}),
        ),
    )
    .await;
    let reply = changed(&app, &path, &tag).await;
    assert_eq!(
        days(&reply),
        [day("2026-11-18", &[&opening]), day("2026-11-19", &[&added])]
    );
    tag = etag(&reply);
    let filtered = changed(&app, &track_path, &track_tag).await;
    assert_eq!(sessions(&filtered).len(), 2);

    // A speaker's name.
    app.patch(
        &format!("/api/v1/events/{id}/speakers/{host}"),
        json!({"full_name": "Aman Orazow"}),
    )
    .await
    .expect(200);
    let reply = changed(&app, &path, &tag).await;
    assert_eq!(
        sessions(&reply)[0]["speakers"][0]["full_name"],
        "Aman Orazow"
    );
    tag = etag(&reply);

    // The event's title.
    app.patch(&format!("/api/v1/events/{id}"), json!({"title": "After"}))
        .await
        .expect(200);
    let reply = changed(&app, &path, &tag).await;
    assert_eq!(reply.body["event"]["title"], "After");
    tag = etag(&reply);

    // A track's and a room's name.
    app.patch(
        &format!("/api/v1/events/{id}/tracks/{t1}"),
        json!({"name": "Digital connectivity"}),
    )
    .await
    .expect(200);
    let reply = changed(&app, &path, &tag).await;
    assert_eq!(sessions(&reply)[0]["track"]["name"], "Digital connectivity");
    tag = etag(&reply);
    app.patch(
        &format!("/api/v1/events/{id}/rooms/{hall}"),
        json!({"name": "Main hall"}),
    )
    .await
    .expect(200);
    let reply = changed(&app, &path, &tag).await;
    assert_eq!(sessions(&reply)[0]["room"]["name"], "Main hall");
    tag = etag(&reply);

    // Moving a session to another day.
    app.patch(
        &format!("/api/v1/events/{id}/sessions/{added}"),
        json!({"starts_at": "2026-11-18T14:00:00+05:00", "ends_at": "2026-11-18T15:00:00+05:00"}),
    )
    .await
    .expect(200);
    let reply = changed(&app, &path, &tag).await;
    assert_eq!(days(&reply), [day("2026-11-18", &[&opening, &added])]);
    tag = etag(&reply);

    // Cancelling, then deleting.
    app.patch(
        &format!("/api/v1/events/{id}/sessions/{added}"),
        json!({"status": "cancelled"}),
    )
    .await
    .expect(200);
    let reply = changed(&app, &path, &tag).await;
    assert_eq!(days(&reply), [day("2026-11-18", &[&opening])]);
    tag = etag(&reply);
    app.delete(&format!("/api/v1/events/{id}/sessions/{opening}"))
        .await
        .expect(204);
    let reply = changed(&app, &path, &tag).await;
    assert_eq!(reply.body["days"], json!([]));
    tag = etag(&reply);

    // Still stable afterwards.
    app.get_with(&path, &[("if-none-match", &tag)])
        .await
        .expect(304);
});

db_test!(a_refused_change_leaves_the_agenda_alone, |app| async move {
    let id = event_id(&app, json!({})).await;
    let hall = room(&app, &id, "Hall A").await;
    let first = session(&app, &id, json!({"title": "First", "room_id": hall})).await;
    session(
        &app,
        &id,
        with(
            at("2026-11-18T11:00:00", "2026-11-18T12:00:00"),
            json!({"title": "Second", "room_id": hall}),
        ),
    )
    .await;
    let path = agenda_path(&id);
    let before = agenda(&app, &path).await;
    let tag = etag(&before);
    // A clash and a validation failure change nothing.
    app.patch(
        &format!("/api/v1/events/{id}/sessions/{first}"),
        json!({"title": "Moved", "starts_at": "2026-11-18T10:30:00+05:00", "ends_at": "2026-11-18T11:30:00+05:00"}),
    )
    .await
    .expect_problem(409);
    app.patch(
        &format!("/api/v1/events/{id}/sessions/{first}"),
        json!({"title": ""}),
    )
    .await
    .expect_problem(422);
    let after = agenda(&app, &path).await;
    assert_eq!(after.text, before.text);
    assert_eq!(etag(&after), tag);
});

db_test!(daylight_saving_day_in_berlin, |app| async move {
    // On 2026-10-25 Berlin goes from +02:00 back to +01:00 at 03:00 local (01:00 UTC).
    let id = event_id(
        &app,
        json!({"timezone": "Europe/Berlin", "starts_on": "2026-10-24", "ends_on": "2026-10-26"}),
    )
    .await;
    let utc = |start: &str, end: &str| json!({"starts_at": start, "ends_at": end});
    // 23:30 on the 24th (+02:00).
    let x = session(
        &app,
        &id,
        utc("2026-10-24T21:30:00Z", "2026-10-24T22:00:00Z"),
    )
    .await;
    // 00:30 on the 25th (+02:00), still the 24th in UTC.
    let y = session(
        &app,
        &id,
        utc("2026-10-24T22:30:00Z", "2026-10-24T23:00:00Z"),
    )
    .await;
    // 02:30 twice: first in summer time, then again in winter time.
    let summer = session(
        &app,
        &id,
        utc("2026-10-25T00:30:00Z", "2026-10-25T00:45:00Z"),
    )
    .await;
    let winter = session(
        &app,
        &id,
        utc("2026-10-25T01:30:00Z", "2026-10-25T01:45:00Z"),
    )
    .await;
    // 10:00 on the 25th (+01:00).
    let w = session(
        &app,
        &id,
        json!({"starts_at": "2026-10-25T10:00:00+01:00", "ends_at": "2026-10-25T11:00:00+01:00"}),
    )
    .await;
    // 00:30 on the 26th (+01:00), the 25th in UTC.
    let v = session(
        &app,
        &id,
        utc("2026-10-25T23:30:00Z", "2026-10-26T00:00:00Z"),
    )
    .await;

    let reply = agenda(&app, &agenda_path(&id)).await;
    assert_eq!(
        days(&reply),
        [
            day("2026-10-24", &[&x]),
            day("2026-10-25", &[&y, &summer, &winter, &w]),
            day("2026-10-26", &[&v]),
        ]
    );
    let times: Vec<(String, String)> = sessions(&reply)
        .iter()
        .map(|s| {
            (
                s["starts_at"].as_str().unwrap().to_owned(),
                s["ends_at"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let expected = [
        ("2026-10-24T23:30:00+02:00", "2026-10-25T00:00:00+02:00"),
        ("2026-10-25T00:30:00+02:00", "2026-10-25T01:00:00+02:00"),
        ("2026-10-25T02:30:00+02:00", "2026-10-25T02:45:00+02:00"),
        ("2026-10-25T02:30:00+01:00", "2026-10-25T02:45:00+01:00"),
        ("2026-10-25T10:00:00+01:00", "2026-10-25T11:00:00+01:00"),
        ("2026-10-26T00:30:00+01:00", "2026-10-26T01:00:00+01:00"),
    ];
    let expected: Vec<(String, String)> = expected
        .iter()
        .map(|(s, e)| ((*s).to_owned(), (*e).to_owned()))
        .collect();
    assert_eq!(times, expected);
    assert_eq!(reply.body["event"]["timezone"], "Europe/Berlin");

    // The day filter follows the same local days.
    let only = agenda(&app, &format!("{}?day=2026-10-25", agenda_path(&id))).await;
    assert_eq!(
        days(&only),
        [day("2026-10-25", &[&y, &summer, &winter, &w])]
    );
    let first = agenda(&app, &format!("{}?day=2026-10-24", agenda_path(&id))).await;
    assert_eq!(days(&first), [day("2026-10-24", &[&x])]);
});

db_test!(spring_forward_day_in_berlin, |app| async move {
    // On 2026-03-29 Berlin jumps from 02:00 +01:00 to 03:00 +02:00.
    let id = event_id(
        &app,
        json!({"timezone": "Europe/Berlin", "starts_on": "2026-03-29", "ends_on": "2026-03-29"}),
    )
    .await;
    let early = session(
        &app,
        &id,
        json!({"starts_at": "2026-03-29T00:15:00+01:00", "ends_at": "2026-03-29T01:45:00+01:00"}),
    )
    .await;
    let late = session(
        &app,
        &id,
        json!({"starts_at": "2026-03-29T01:00:00Z", "ends_at": "2026-03-29T02:00:00Z"}),
    )
    .await;
    let evening = session(
        &app,
        &id,
        json!({"starts_at": "2026-03-29T23:00:00+02:00", "ends_at": "2026-03-29T23:59:00+02:00"}),
    )
    .await;
    // 23:30 the day before is outside the event.
    app.create_session(
        &id,
        json!({"starts_at": "2026-03-28T23:30:00+01:00", "ends_at": "2026-03-28T23:45:00+01:00"}),
    )
    .await
    .expect_problem(422);
    let reply = agenda(&app, &agenda_path(&id)).await;
    assert_eq!(
        days(&reply),
        [day("2026-03-29", &[&early, &late, &evening])]
    );
    let all = sessions(&reply);
    assert_eq!(all[0]["starts_at"], "2026-03-29T00:15:00+01:00");
    assert_eq!(all[1]["starts_at"], "2026-03-29T03:00:00+02:00");
    assert_eq!(all[2]["ends_at"], "2026-03-29T23:59:00+02:00");
});

db_test!(agenda_is_served_gzip_when_accepted, |app| async move {
    let event = app.published_event(json!({})).await;
    let id = event["id"].as_str().unwrap();
    app.create_session(id, json!({"title": "Sanly hyzmatlar; Цифровые услуги"}))
        .await
        .expect(201);
    let path = format!("/api/v1/events/{id}/agenda");
    let plain = app.get(&path).await;
    plain.expect(200);
    assert!(plain.header("content-encoding").is_none());
    let response = app
        .client
        .get(path.clone())
        .header("Accept-Encoding", "gzip, br")
        .send()
        .await
        .0;
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(response.headers().get("content-encoding").unwrap(), "gzip");
    assert_eq!(
        response.headers().get("vary").unwrap(),
        "Accept-Encoding, Accept-Language"
    );
    let etag = response
        .headers()
        .get("etag")
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    assert_ne!(
        Some(etag.as_str()),
        plain.header("etag"),
        "each representation has its own tag"
    );
    let compressed = response.into_body().into_bytes().await.unwrap();
    let mut text = String::new();
    std::io::Read::read_to_string(
        &mut flate2::read::GzDecoder::new(&compressed[..]),
        &mut text,
    )
    .unwrap();
    assert_eq!(text, plain.text, "the same document, compressed");
    app.get_with(
        &path,
        &[("Accept-Encoding", "gzip"), ("If-None-Match", &etag)],
    )
    .await
    .expect(304);
});
