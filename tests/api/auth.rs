//! Who may do what. Every management operation answers 401 to anonymous callers, unknown
//! tokens and malformed `Authorization` headers, 403 to check-in tokens, and changes nothing
//! when it refuses; the organizer succeeds. Public reads need no token, and a check-in token
//! sees no more than the public.

use dialogue::domain::enums::TokenRole;
use dialogue::store;
use poem::http::Method;
use sea_orm::{ConnectionTrait, Statement};
use serde_json::{Value, json};

use crate::db_test;
use crate::helpers::{Reply, TestApp};

/// Bearer tokens that stand for nothing: shaped like each kind of token, or not at all.
const UNKNOWN_TOKENS: [&str; 5] = [
    "dlg_org_notavalidtoken",
    "xyz",
    "dlg_chk_notavalidtoken",
    "dlg_reg_notavalidtoken",
    "dlg_cal_notavalidtoken",
];

/// `Authorization` header values that are not a bearer token at all.
fn malformed_headers(organizer: &str) -> Vec<String> {
    vec![
        "Basic abc".to_owned(),
        "Bearer".to_owned(),
        "Bearer ".to_owned(),
        // The organizer's token without its scheme, or with another one.
        organizer.to_owned(),
        format!("Token {organizer}"),
        format!("Basic {organizer}"),
    ]
}

/// Sends a request with this exact `Authorization` header value (or none) and a JSON body.
async fn send(
    app: &TestApp,
    method: Method,
    path: &str,
    authorization: Option<&str>,
    body: Option<&Value>,
) -> Reply {
    let mut request = app.client.request(method, path.to_owned());
    if let Some(value) = authorization {
        request = request.header("Authorization", value);
    }
    if let Some(body) = body {
        request = request.body_json(body);
    }
    crate::helpers::read(request.send().await.0).await
}

/// An event (draft) with one track, room and speaker, and a session.
struct Fixture {
    event: String,
    track: String,
    room: String,
    speaker: String,
    session: String,
}

async fn fixture(app: &TestApp) -> Fixture {
    let event = app.create_event(json!({"slug": "auth-event"})).await;
    let event = event["id"].as_str().unwrap().to_owned();
    let base = format!("/api/v1/events/{event}");
    let track = app
        .post(
            &format!("{base}/tracks"),
            json!({"name": "Digital economy", "color": "#1F6FEB"}),
        )
        .await;
    track.expect(201);
    let room = app
        .post(
            &format!("{base}/rooms"),
            json!({"name": "Hall A", "capacity": 120}),
        )
        .await;
    room.expect(201);
    let speaker = app
        .post(
            &format!("{base}/speakers"),
            json!({"full_name": "Aýna Berdiýewa", "email": "ayna@example.tm"}),
        )
        .await;
    speaker.expect(201);
    let session = app.create_session(&event, json!({})).await;
    session.expect(201);
    Fixture {
        event,
        track: track.id(),
        room: room.id(),
        speaker: speaker.id(),
        session: session.id(),
    }
}

/// Everything an organizer can see of the store, for telling whether a call changed anything.
async fn snapshot(app: &TestApp) -> Value {
    let mut counts = serde_json::Map::new();
    for table in [
        "events",
        "tracks",
        "rooms",
        "speakers",
        "sessions",
        "session_speakers",
        "session_tombstones",
        "api_tokens",
    ] {
        counts.insert(table.to_owned(), json!(app.count_rows(table).await));
    }
    let org = &app.organizer;
    let events = app.get_as("/api/v1/events?limit=500", org).await;
    events.expect(200);
    let mut programme = serde_json::Map::new();
    for event in events.body["items"].as_array().unwrap() {
        let id = event["id"].as_str().unwrap();
        let mut parts = serde_json::Map::new();
        for part in ["tracks", "rooms", "speakers", "sessions"] {
            let reply = app
                .get_as(&format!("/api/v1/events/{id}/{part}?limit=500"), org)
                .await;
            reply.expect(200);
            parts.insert(part.to_owned(), reply.body["items"].clone());
        }
        programme.insert(id.to_owned(), Value::Object(parts));
    }
    json!({"counts": counts, "events": events.body["items"], "programme": programme})
}

/// One management operation and what the organizer gets for it.
struct Op {
    method: Method,
    path: String,
    body: Option<Value>,
    success: u16,
}

fn op(method: Method, path: String, body: Option<Value>, success: u16) -> Op {
    Op {
        method,
        path,
        body,
        success,
    }
}

/// Runs `op` with every kind of wrong credential, checking each answer and that nothing
/// changed; then as the organizer, checking that it succeeds and changes something.
/// `checkin` holds check-in tokens (of this event and of another one).
async fn check_op(app: &TestApp, op: &Op, checkin: &[String]) -> Reply {
    let name = format!("{} {}", op.method, op.path);
    let before = snapshot(app).await;
    let body = op.body.as_ref();

    let anonymous = send(app, op.method.clone(), &op.path, None, body).await;
    anonymous.expect_problem(401);
    assert_eq!(anonymous.body["type"], "/problems/unauthorized", "{name}");

    for token in UNKNOWN_TOKENS {
        let reply = app
            .call(op.method.clone(), &op.path, Some(token), body)
            .await;
        assert_eq!(
            reply.status.as_u16(),
            401,
            "{name} with {token}: {}",
            reply.text
        );
        reply.expect_problem(401);
        assert!(
            !reply.text.contains(token),
            "{name}: a presented token is echoed: {}",
            reply.text
        );
    }

    for header in malformed_headers(&app.organizer) {
        let reply = send(app, op.method.clone(), &op.path, Some(&header), body).await;
        assert_eq!(
            reply.status.as_u16(),
            401,
            "{name} with Authorization: {header:?}: {}",
            reply.text
        );
        reply.expect_problem(401);
    }

    for token in checkin {
        let reply = app
            .call(op.method.clone(), &op.path, Some(token), body)
            .await;
        assert_eq!(
            reply.status.as_u16(),
            403,
            "{name} with a check-in token: {}",
            reply.text
        );
        reply.expect_problem(403);
        assert_eq!(reply.body["type"], "/problems/forbidden", "{name}");
    }

    assert_eq!(
        snapshot(app).await,
        before,
        "{name}: a refused call changed something"
    );

    let done = app
        .call(op.method.clone(), &op.path, Some(&app.organizer), body)
        .await;
    assert_eq!(
        done.status.as_u16(),
        op.success,
        "{name} as the organizer: {}",
        done.text
    );
    assert_ne!(
        snapshot(app).await,
        before,
        "{name}: the organizer's call changed nothing"
    );
    done
}

/// Check-in tokens of `event` and of another event.
async fn checkin_tokens(app: &TestApp, event: &str) -> Vec<String> {
    let other = app.create_event(json!({"slug": "other-event"})).await;
    vec![
        app.checkin_token(event).await,
        app.checkin_token(other["id"].as_str().unwrap()).await,
    ]
}

db_test!(event_operations_need_an_organizer, |app| async move {
    let f = fixture(&app).await;
    let checkin = checkin_tokens(&app, &f.event).await;
    let base = format!("/api/v1/events/{}", f.event);
    let ops = [
        op(
            Method::POST,
            "/api/v1/events".into(),
            Some(
                json!({"slug": "new-event", "title": "New", "starts_on": "2026-11-18", "ends_on": "2026-11-19"}),
            ),
            201,
        ),
        op(
            Method::PATCH,
            base.clone(),
            Some(json!({"title": "Changed title"})),
            200,
        ),
        op(Method::POST, format!("{base}/publish"), None, 200),
        op(Method::POST, format!("{base}/cancel"), None, 200),
    ];
    for op in &ops {
        check_op(&app, op, &checkin).await;
    }
    // The same operations by slug are guarded the same way.
    let by_slug = op(
        Method::PATCH,
        "/api/v1/events/new-event".into(),
        Some(json!({"title": "Renamed by slug"})),
        200,
    );
    check_op(&app, &by_slug, &checkin).await;
    let publish = op(
        Method::POST,
        "/api/v1/events/new-event/publish".into(),
        None,
        200,
    );
    check_op(&app, &publish, &checkin).await;
    let event = app.get(&base).await;
    event.expect(200);
    assert_eq!(event.body["status"], "cancelled");
    assert_eq!(event.body["title"], "Changed title");
});

/// Create, change and delete one kind of programme item: each needs an organizer token (the
/// check-in tokens are refused), and each works with one.
struct CrudCase<'a> {
    collection: &'a str,
    existing: &'a str,
    create: Value,
    created: (&'a str, Value),
    patch: Value,
    patched: (&'a str, Value),
    table: &'a str,
}

async fn crud_needs_an_organizer(app: &TestApp, event: &str, case: CrudCase<'_>) {
    let checkin = checkin_tokens(app, event).await;
    let base = format!("/api/v1/events/{event}/{}", case.collection);
    let item = format!("{base}/{}", case.existing);
    let created = check_op(
        app,
        &op(Method::POST, base.clone(), Some(case.create), 201),
        &checkin,
    )
    .await;
    assert_eq!(created.body[case.created.0], case.created.1);
    let patched = check_op(
        app,
        &op(Method::PATCH, item.clone(), Some(case.patch), 200),
        &checkin,
    )
    .await;
    assert_eq!(patched.body[case.patched.0], case.patched.1);
    check_op(app, &op(Method::DELETE, item, None, 204), &checkin).await;
    assert_eq!(app.count_rows(case.table).await, 1);
}

db_test!(track_operations_need_an_organizer, |app| async move {
    let f = fixture(&app).await;
    let case = CrudCase {
        collection: "tracks",
        existing: &f.track,
        create: json!({"name": "Cyber security"}),
        created: ("name", json!("Cyber security")),
        patch: json!({"name": "Renamed track"}),
        patched: ("name", json!("Renamed track")),
        table: "tracks",
    };
    crud_needs_an_organizer(&app, &f.event, case).await;
});

db_test!(room_operations_need_an_organizer, |app| async move {
    let f = fixture(&app).await;
    let case = CrudCase {
        collection: "rooms",
        existing: &f.room,
        create: json!({"name": "Hall B", "capacity": 40}),
        created: ("name", json!("Hall B")),
        patch: json!({"capacity": 200}),
        patched: ("capacity", json!(200)),
        table: "rooms",
    };
    crud_needs_an_organizer(&app, &f.event, case).await;
});

db_test!(speaker_operations_need_an_organizer, |app| async move {
    let f = fixture(&app).await;
    let case = CrudCase {
        collection: "speakers",
        existing: &f.speaker,
        create: json!({"full_name": "Merdan Ataýew", "email": "merdan@example.tm"}),
        created: ("full_name", json!("Merdan Ataýew")),
        patch: json!({"position": "Deputy minister"}),
        patched: ("position", json!("Deputy minister")),
        table: "speakers",
    };
    crud_needs_an_organizer(&app, &f.event, case).await;
});

db_test!(session_operations_need_an_organizer, |app| async move {
    let f = fixture(&app).await;
    let checkin = checkin_tokens(&app, &f.event).await;
    let base = format!("/api/v1/events/{}/sessions", f.event);
    let created = check_op(
        &app,
        &op(
            Method::POST,
            base.clone(),
            Some(json!({
                "title": "Opening panel",
                "kind": "panel",
                "starts_at": "2026-11-18T11:00:00+05:00",
                "ends_at": "2026-11-18T12:00:00+05:00",
                "track_id": f.track,
                "room_id": f.room,
                "speaker_ids": [f.speaker],
                "status": "published"
            })),
            201,
        ),
        &checkin,
    )
    .await;
    assert_eq!(created.body["title"], "Opening panel");
    let patched = check_op(
        &app,
        &op(
            Method::PATCH,
            format!("{base}/{}", f.session),
            Some(json!({"title": "Welcome address"})),
            200,
        ),
        &checkin,
    )
    .await;
    assert_eq!(patched.body["title"], "Welcome address");
    check_op(
        &app,
        &op(Method::DELETE, format!("{base}/{}", f.session), None, 204),
        &checkin,
    )
    .await;
    assert_eq!(app.count_rows("sessions").await, 1);
    // Overlap overrides are management operations too.
    check_op(
        &app,
        &op(
            Method::POST,
            format!("{base}?allow_overlap=true"),
            Some(json!({
                "title": "Parallel panel",
                "starts_at": "2026-11-18T11:30:00+05:00",
                "ends_at": "2026-11-18T12:30:00+05:00",
                "room_id": f.room
            })),
            201,
        ),
        &checkin,
    )
    .await;
});

db_test!(
    refusals_do_not_depend_on_whether_the_target_exists,
    |app| async move {
        // Unknown events and items are 401 without a token and 403 with a check-in token:
        // the check of rights comes first and reveals nothing.
        let event = app.create_event(json!({})).await;
        let id = event["id"].as_str().unwrap();
        let checkin = app.checkin_token(id).await;
        let missing = "01900000-0000-7000-8000-000000000000";
        let paths = [
            (Method::PATCH, "/api/v1/events/no-such-event".to_owned()),
            (Method::POST, "/api/v1/events/no-such-event/publish".into()),
            (Method::POST, "/api/v1/events/no-such-event/tracks".into()),
            (
                Method::PATCH,
                format!("/api/v1/events/{id}/tracks/{missing}"),
            ),
            (
                Method::DELETE,
                format!("/api/v1/events/{id}/rooms/{missing}"),
            ),
            (
                Method::DELETE,
                format!("/api/v1/events/{id}/speakers/{missing}"),
            ),
            (
                Method::PATCH,
                format!("/api/v1/events/{id}/sessions/{missing}"),
            ),
        ];
        let body = json!({"name": "X", "title": "X"});
        for (method, path) in paths {
            let anonymous = send(&app, method.clone(), &path, None, Some(&body)).await;
            anonymous.expect_problem(401);
            let scanner = app
                .call(method.clone(), &path, Some(&checkin), Some(&body))
                .await;
            assert_eq!(scanner.status.as_u16(), 403, "{method} {path}");
            scanner.expect_problem(403);
            let organizer = app
                .call(method.clone(), &path, Some(&app.organizer), Some(&body))
                .await;
            assert_eq!(organizer.status.as_u16(), 404, "{method} {path}");
            organizer.expect_problem(404);
        }
    }
);

db_test!(revoked_tokens_are_401, |app| async move {
    let event = app.create_event(json!({})).await;
    let id = event["id"].as_str().unwrap();
    let uuid = uuid::Uuid::parse_str(id).unwrap();
    let organizer = store::tokens::create(&app.state.db, TokenRole::Organizer, None, "revoked")
        .await
        .unwrap()
        .token;
    let scanner = store::tokens::create(&app.state.db, TokenRole::Checkin, Some(uuid), "revoked")
        .await
        .unwrap()
        .token;
    // Live, they work (and are refused) as usual.
    app.call(
        Method::PATCH,
        &format!("/api/v1/events/{id}"),
        Some(&organizer),
        Some(&json!({"city": "Mary"})),
    )
    .await
    .expect(200);
    app.call(
        Method::PATCH,
        &format!("/api/v1/events/{id}"),
        Some(&scanner),
        Some(&json!({"city": "Dashoguz"})),
    )
    .await
    .expect_problem(403);

    revoke_labelled(&app, "revoked").await;
    for token in [&organizer, &scanner] {
        app.call(
            Method::PATCH,
            &format!("/api/v1/events/{id}"),
            Some(token),
            Some(&json!({"city": "Balkanabat"})),
        )
        .await
        .expect_problem(401);
        app.call(
            Method::POST,
            "/api/v1/events",
            Some(token),
            Some(&json!({"slug": "by-revoked", "title": "T", "starts_on": "2026-11-18", "ends_on": "2026-11-18"})),
        )
        .await
        .expect_problem(401);
    }
    // A revoked organizer token no longer sees drafts.
    app.get_as(&format!("/api/v1/events/{id}"), &organizer)
        .await
        .expect_problem(404);
    let after = app
        .get_as(&format!("/api/v1/events/{id}"), &app.organizer)
        .await;
    assert_eq!(after.body["city"], "Mary");
    assert_eq!(app.count_rows("events").await, 1);
    // The organizer's own token is untouched.
    app.patch(&format!("/api/v1/events/{id}"), json!({"city": "Ashgabat"}))
        .await
        .expect(200);
});

db_test!(malformed_authorization_headers_are_401, |app| async move {
    let body = json!({"slug": "by-header", "title": "T", "starts_on": "2026-11-18", "ends_on": "2026-11-18"});
    let mut headers = malformed_headers(&app.organizer);
    headers.extend([
        "Bearer  ".to_owned(),
        "Bearer dlg_org_".to_owned(),
        format!("Bearer {}x", app.organizer),
        format!("Bearer {}", &app.organizer[..app.organizer.len() - 1]),
        format!("Bearer {}", app.organizer.to_uppercase()),
        "Digest username=\"organizer\"".to_owned(),
    ]);
    for header in &headers {
        let reply = send(
            &app,
            Method::POST,
            "/api/v1/events",
            Some(header),
            Some(&body),
        )
        .await;
        assert_eq!(
            reply.status.as_u16(),
            401,
            "Authorization: {header:?}: {}",
            reply.text
        );
        reply.expect_problem(401);
        assert_eq!(reply.body["title"], "Unauthorized");
    }
    let anonymous = send(&app, Method::POST, "/api/v1/events", None, Some(&body)).await;
    anonymous.expect_problem(401);
    assert_eq!(app.count_rows("events").await, 0);
    // The well-formed header works.
    let ok = send(
        &app,
        Method::POST,
        "/api/v1/events",
        Some(&format!("Bearer {}", app.organizer)),
        Some(&body),
    )
    .await;
    ok.expect(201);
    assert_eq!(app.count_rows("events").await, 1);
});

/// A published event with a published and a draft session, a track, a room and a speaker;
/// and a draft event with the same. Returns (published id, its speaker, its published
/// session, its draft session, draft event id, the draft's speaker).
async fn public_and_draft(app: &TestApp) -> (String, String, String, String, String, String) {
    let mut ids = Vec::new();
    for slug in ["open-event", "secret-event"] {
        let event = app.create_event(json!({"slug": slug})).await;
        let id = event["id"].as_str().unwrap().to_owned();
        let base = format!("/api/v1/events/{id}");
        let track = app
            .post(&format!("{base}/tracks"), json!({"name": "Track"}))
            .await;
        track.expect(201);
        let room = app
            .post(&format!("{base}/rooms"), json!({"name": "Room"}))
            .await;
        room.expect(201);
        let speaker = app
            .post(
                &format!("{base}/speakers"),
                json!({"full_name": "Speaker", "email": format!("{slug}@example.tm")}),
            )
            .await;
        speaker.expect(201);
        let published = app
            .create_session(
                &id,
                json!({"track_id": track.id(), "room_id": room.id(), "speaker_ids": [speaker.id()]}),
            )
            .await;
        published.expect(201);
        let draft = app
            .create_session(
                &id,
                json!({"title": "Hidden", "status": "draft", "starts_at": "2026-11-18T11:00:00+05:00", "ends_at": "2026-11-18T12:00:00+05:00"}),
            )
            .await;
        draft.expect(201);
        ids.push((id, speaker.id(), published.id(), draft.id()));
    }
    let open = &ids[0].0;
    app.post(&format!("/api/v1/events/{open}/publish"), Value::Null)
        .await
        .expect(200);
    (
        ids[0].0.clone(),
        ids[0].1.clone(),
        ids[0].2.clone(),
        ids[0].3.clone(),
        ids[1].0.clone(),
        ids[1].1.clone(),
    )
}

db_test!(public_reads_need_no_token, |app| async move {
    let (event, speaker, session, draft_session, _, _) = public_and_draft(&app).await;
    let base = format!("/api/v1/events/{event}");
    for path in [
        "/healthz".to_owned(),
        "/readyz".to_owned(),
        "/api/v1/openapi.json".to_owned(),
        "/api/v1/events".to_owned(),
        base.clone(),
        "/api/v1/events/open-event".to_owned(),
        format!("{base}/tracks"),
        format!("{base}/rooms"),
        format!("{base}/speakers"),
        format!("{base}/speakers/{speaker}"),
        format!("{base}/sessions"),
        format!("{base}/sessions/{session}"),
        format!("{base}/agenda"),
    ] {
        let reply = app.get(&path).await;
        assert_eq!(reply.status.as_u16(), 200, "GET {path}: {}", reply.text);
    }
    let sessions = app.get(&format!("{base}/sessions")).await;
    let ids: Vec<_> = sessions.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(ids, std::slice::from_ref(&session));
    app.get(&format!("{base}/sessions/{draft_session}"))
        .await
        .expect_problem(404);
    let speakers = app.get(&format!("{base}/speakers")).await;
    assert!(!speakers.text.contains("open-event@example.tm"));
});

db_test!(checkin_tokens_read_like_the_public, |app| async move {
    let (event, speaker, session, draft_session, secret, secret_speaker) =
        public_and_draft(&app).await;
    // Tokens of both events: neither sees drafts.
    for token in [
        app.checkin_token(&event).await,
        app.checkin_token(&secret).await,
    ] {
        let listed = app.get_as("/api/v1/events", &token).await;
        listed.expect(200);
        let slugs: Vec<_> = listed.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["slug"].as_str().unwrap().to_owned())
            .collect();
        assert_eq!(slugs, ["open-event"]);
        let drafts = app.get_as("/api/v1/events?status=draft", &token).await;
        drafts.expect(200);
        assert_eq!(drafts.body["items"].as_array().unwrap().len(), 0);

        let hidden = format!("/api/v1/events/{secret}");
        for path in [
            hidden.clone(),
            "/api/v1/events/secret-event".to_owned(),
            format!("{hidden}/tracks"),
            format!("{hidden}/rooms"),
            format!("{hidden}/speakers"),
            format!("{hidden}/speakers/{secret_speaker}"),
            format!("{hidden}/sessions"),
            format!("{hidden}/agenda"),
        ] {
            let reply = app.get_as(&path, &token).await;
            assert_eq!(reply.status.as_u16(), 404, "GET {path}: {}", reply.text);
            reply.expect_problem(404);
            assert_eq!(app.get(&path).await.status.as_u16(), 404);
        }

        let base = format!("/api/v1/events/{event}");
        let sessions = app.get_as(&format!("{base}/sessions"), &token).await;
        sessions.expect(200);
        let ids: Vec<_> = sessions.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["id"].as_str().unwrap().to_owned())
            .collect();
        assert_eq!(ids, std::slice::from_ref(&session));
        let asked = app
            .get_as(&format!("{base}/sessions?status=draft"), &token)
            .await;
        asked.expect(200);
        assert_eq!(asked.body["items"].as_array().unwrap().len(), 0);
        app.get_as(&format!("{base}/sessions/{draft_session}"), &token)
            .await
            .expect_problem(404);
        // No e-mail addresses either.
        for path in [
            format!("{base}/speakers"),
            format!("{base}/speakers/{speaker}"),
            format!("{base}/agenda"),
        ] {
            let reply = app.get_as(&path, &token).await;
            reply.expect(200);
            assert!(
                !reply.text.contains("open-event@example.tm"),
                "GET {path} shows an e-mail to a check-in token: {}",
                reply.text
            );
        }
        // The same answers the public gets.
        for path in [
            format!("{base}/speakers"),
            format!("{base}/speakers/{speaker}"),
            format!("{base}/sessions"),
            format!("{base}/tracks"),
            format!("{base}/rooms"),
        ] {
            assert_eq!(
                app.get_as(&path, &token).await.body,
                app.get(&path).await.body,
                "GET {path}"
            );
        }
    }
    // The organizer does see the drafts and the e-mail.
    app.get_as(&format!("/api/v1/events/{secret}"), &app.organizer)
        .await
        .expect(200);
    let organizer = app
        .get_as(
            &format!("/api/v1/events/{event}/speakers/{speaker}"),
            &app.organizer,
        )
        .await;
    assert_eq!(organizer.body["email"], "open-event@example.tm");
});

db_test!(
    bad_tokens_on_public_reads_reveal_nothing,
    |app| async move {
        let (event, speaker, _, draft_session, secret, _) = public_and_draft(&app).await;
        let mut headers: Vec<String> = UNKNOWN_TOKENS
            .iter()
            .map(|t| format!("Bearer {t}"))
            .collect();
        headers.extend(["Basic abc".to_owned(), "Bearer".to_owned()]);
        for header in &headers {
            // Drafts stay hidden: never 200, never a server error.
            for path in [
                format!("/api/v1/events/{secret}"),
                format!("/api/v1/events/{secret}/speakers"),
                format!("/api/v1/events/{event}/sessions/{draft_session}"),
            ] {
                let reply = app.get_with(&path, &[("Authorization", header)]).await;
                assert!(
                    matches!(reply.status.as_u16(), 401 | 404),
                    "GET {path} with {header:?}: {} {}",
                    reply.status,
                    reply.text
                );
                reply.expect_problem(reply.status.as_u16());
            }
            let listed = app
                .get_with("/api/v1/events?status=draft", &[("Authorization", header)])
                .await;
            assert!(!listed.text.contains("secret-event"), "{header:?}");
            let speaker = app
                .get_with(
                    &format!("/api/v1/events/{event}/speakers/{speaker}"),
                    &[("Authorization", header)],
                )
                .await;
            assert!(!speaker.text.contains("@example.tm"), "{header:?}");
            assert!(!speaker.status.is_server_error());
        }
    }
);

db_test!(
    tokens_checked_at_the_same_moment_get_their_own_answers,
    |app| async move {
        // Look-ups arriving together share one query; each request must still get its own answer.
        let event = app.published_event(json!({})).await;
        let other = app.published_event(json!({})).await;
        let (event, other) = (event["id"].as_str().unwrap(), other["id"].as_str().unwrap());
        let scanner = app.checkin_token(event).await;
        let foreign = app.checkin_token(other).await;
        let revoked = store::tokens::create(&app.state.db, TokenRole::Checkin, None, "gone")
            .await
            .unwrap()
            .token;
        revoke_labelled(&app, "gone").await;
        // Another last character: never the scanner's own token (a fixed `x` was, by chance).
        let last = if scanner.ends_with('x') { "y" } else { "x" };
        let unknown = format!("{}{last}", &scanner[..scanner.len() - 1]);
        let path = format!("/api/v1/events/{event}/checkins/stats");
        let cases = [
            (app.organizer.clone(), 200),
            (scanner, 200),
            (foreign, 403),
            (revoked, 401),
            (unknown, 401),
        ];
        let calls = (0..50).map(|n| {
            let (token, status) = &cases[n % cases.len()];
            let (app, path) = (&app, &path);
            async move { (app.get_as(path, token).await.status.as_u16(), *status) }
        });
        for (got, expected) in futures::future::join_all(calls).await {
            assert_eq!(got, expected);
        }
    }
);

/// Revokes the tokens with this label straight in the database, as an administrator would.
async fn revoke_labelled(app: &TestApp, label: &str) {
    let backend = app.state.db.get_database_backend();
    app.state
        .db
        .execute_raw(Statement::from_sql_and_values(
            backend,
            match backend {
                sea_orm::DbBackend::Postgres => {
                    "UPDATE api_tokens SET revoked_at = CURRENT_TIMESTAMP WHERE label = $1"
                }
                _ => "UPDATE api_tokens SET revoked_at = CURRENT_TIMESTAMP WHERE label = ?",
            },
            [label.into()],
        ))
        .await
        .expect("revoke");
}
