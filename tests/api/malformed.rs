//! Requests the service cannot or must not accept: unparseable or mistyped JSON, unknown
//! enumeration values, missing fields, bad dates, bodies over the size limit, wrong content
//! types, unknown routes and methods, unparseable ids. Every one is a 4xx problem+json
//! (never a 500, never SQL or a stack trace), and none stores anything.

use poem::http::Method;
use serde_json::{Value, json};

use crate::db_test;
use crate::helpers::{Reply, TestApp};

/// Text that must never reach a client.
const LEAKS: [&str; 12] = [
    "SELECT",
    "INSERT INTO",
    "sqlx",
    "sea_orm",
    "SqlxError",
    "DbErr",
    "panicked",
    "stack backtrace",
    "RUST_BACKTRACE",
    ".rs:",
    "src/",
    "thread '",
];

/// Asserts that a body leaks no SQL, driver names or panic traces.
#[track_caller]
fn assert_clean(reply: &Reply) {
    for leak in LEAKS {
        assert!(
            !reply.text.contains(leak),
            "the body leaks {leak:?}: {}",
            reply.text
        );
    }
}

/// Asserts a client error (one of `allowed`) as an RFC 9457 problem, with nothing leaked.
#[track_caller]
fn refused(reply: &Reply, allowed: &[u16], what: &str) {
    let status = reply.status.as_u16();
    assert!(
        allowed.contains(&status),
        "{what}: expected one of {allowed:?}, got {status}: {}",
        reply.text
    );
    reply.expect_problem(status);
    assert!(
        reply.body["type"].as_str().is_some_and(|t| !t.is_empty()),
        "{what}: problem type"
    );
    assert!(
        reply.body["title"].as_str().is_some_and(|t| !t.is_empty()),
        "{what}: problem title"
    );
    assert_clean(reply);
}

/// 400 or 422: the request could not be parsed, or breaks a rule.
const BAD_INPUT: &[u16] = &[400, 422];

/// Sends raw bytes as the organizer.
async fn raw(app: &TestApp, method: Method, path: &str, content_type: &str, body: &[u8]) -> Reply {
    app.call_raw(
        method,
        path,
        Some(&app.organizer),
        content_type,
        body.to_vec(),
    )
    .await
}

/// Sends a body without any `Content-Type` header, as the organizer.
async fn without_content_type(app: &TestApp, method: Method, path: &str, body: &[u8]) -> Reply {
    let response = app
        .client
        .request(method, path.to_owned())
        .header("Authorization", format!("Bearer {}", app.organizer))
        .body(body.to_vec())
        .send()
        .await
        .0;
    crate::helpers::read(response).await
}

/// A resource as the organizer sees it.
async fn read(app: &TestApp, path: &str) -> Value {
    let reply = app.get_as(path, &app.organizer).await;
    reply.expect(200);
    reply.body
}

/// `base` with `key` set to `value` (or removed when `value` is `None`).
fn with(base: &Value, key: &str, value: Option<Value>) -> Value {
    let mut body = base.clone();
    let object = body.as_object_mut().unwrap();
    match value {
        Some(value) => object.insert(key.to_owned(), value),
        None => object.remove(key),
    };
    body
}

fn valid_event() -> Value {
    json!({
        "slug": "malformed-test",
        "title": "Dialogue",
        "kind": "dialogue",
        "timezone": "Asia/Ashgabat",
        "starts_on": "2026-11-18",
        "ends_on": "2026-11-19",
        "capacity": 300,
        "registration_mode": "open",
        "registration_opens_at": "2026-10-01T09:00:00+05:00",
        "registration_closes_at": "2026-11-15T18:00:00+05:00",
        "waitlist_enabled": true
    })
}

fn valid_session() -> Value {
    json!({
        "title": "Session",
        "kind": "talk",
        "starts_at": "2026-11-18T09:00:00+05:00",
        "ends_at": "2026-11-18T10:00:00+05:00",
        "language": "en",
        "capacity": 50,
        "speaker_ids": [],
        "status": "published"
    })
}

/// Bodies that are not a JSON object at all.
fn unparseable_bodies() -> Vec<(&'static str, Vec<u8>)> {
    let nested = format!("{}{}", "[".repeat(20_000), "]".repeat(20_000));
    vec![
        ("truncated JSON", br#"{"slug":"#.to_vec()),
        ("truncated object", br#"{"slug": "x", "title": "#.to_vec()),
        ("trailing comma", br#"{"slug": "x",}"#.to_vec()),
        ("single quotes", br#"{'slug': 'x'}"#.to_vec()),
        ("trailing garbage", br#"{"slug": "x"} garbage"#.to_vec()),
        ("empty body", Vec::new()),
        ("whitespace", b"   ".to_vec()),
        ("empty array", b"[]".to_vec()),
        (
            "array of objects",
            br#"[{"slug": "x", "title": "y"}]"#.to_vec(),
        ),
        ("string", br#""an event""#.to_vec()),
        ("number", b"42".to_vec()),
        ("null", b"null".to_vec()),
        ("true", b"true".to_vec()),
        ("invalid UTF-8", b"{\"slug\": \"\xff\xfe\"}".to_vec()),
        ("deeply nested", nested.into_bytes()),
        ("NUL bytes", b"\0\0\0\0".to_vec()),
    ]
}

db_test!(create_event_refuses_unparseable_bodies, |app| async move {
    for (what, body) in unparseable_bodies() {
        let reply = raw(
            &app,
            Method::POST,
            "/api/v1/events",
            "application/json",
            &body,
        )
        .await;
        refused(&reply, BAD_INPUT, what);
        assert_eq!(app.count_rows("events").await, 0, "{what}");
    }
});

db_test!(
    create_event_refuses_wrong_types_and_values,
    |app| async move {
        let base = valid_event();
        let cases: Vec<(&str, Option<Value>)> = vec![
            // Wrong types.
            ("capacity", Some(json!("ten"))),
            ("capacity", Some(json!(1.5))),
            ("capacity", Some(json!(99_999_999_999_i64))),
            ("capacity", Some(json!([300]))),
            ("starts_on", Some(json!(5))),
            ("starts_on", Some(json!(null))),
            ("ends_on", Some(json!({"date": "2026-11-19"}))),
            ("title", Some(json!(null))),
            ("title", Some(json!(["Dialogue"]))),
            ("waitlist_enabled", Some(json!("yes"))),
            ("description", Some(json!({"text": "x"}))),
            ("registration_opens_at", Some(json!(1_700_000_000))),
            // Unknown enumeration values.
            ("kind", Some(json!("gala"))),
            ("kind", Some(json!("DIALOGUE"))),
            ("kind", Some(json!(""))),
            ("kind", Some(json!(1))),
            ("registration_mode", Some(json!("whatever"))),
            // Invalid dates and times.
            ("starts_on", Some(json!("2026-13-45"))),
            ("starts_on", Some(json!("2026-02-30"))),
            ("starts_on", Some(json!("18.11.2026"))),
            ("starts_on", Some(json!("2026-11-18T09:00:00+05:00"))),
            ("ends_on", Some(json!("tomorrow"))),
            ("ends_on", Some(json!(""))),
            ("registration_opens_at", Some(json!("2026-11-18T09:00:00"))),
            ("registration_opens_at", Some(json!("2026-11-18 09:00"))),
            ("registration_opens_at", Some(json!("2026-11-18"))),
            (
                "registration_closes_at",
                Some(json!("2026-13-45T09:00:00+05:00")),
            ),
            (
                "registration_closes_at",
                Some(json!("2026-11-18T25:00:00+05:00")),
            ),
            ("registration_closes_at", Some(json!("not a time"))),
            // A NUL character in a slug is a broken rule, not a server error.
            ("slug", Some(json!("bad\u{0}slug"))),
            // Missing required fields.
            ("slug", None),
            ("title", None),
            ("starts_on", None),
            ("ends_on", None),
        ];
        for (key, value) in cases {
            let what = format!("{key} = {value:?}");
            let body = with(&base, key, value);
            let reply = app.post("/api/v1/events", body).await;
            refused(&reply, BAD_INPUT, &what);
            assert_eq!(app.count_rows("events").await, 0, "{what}");
        }
        let reply = app.post("/api/v1/events", json!({})).await;
        refused(&reply, BAD_INPUT, "empty object");
        // The valid body is accepted: the refusals were about the one field.
        app.post("/api/v1/events", base).await.expect(201);
        assert_eq!(app.count_rows("events").await, 1);
    }
);

db_test!(create_session_refuses_malformed_bodies, |app| async move {
    let event = app.create_event(json!({})).await;
    let id = event["id"].as_str().unwrap();
    let path = format!("/api/v1/events/{id}/sessions");
    for (what, body) in unparseable_bodies() {
        let reply = raw(&app, Method::POST, &path, "application/json", &body).await;
        refused(&reply, BAD_INPUT, what);
    }
    let base = valid_session();
    let cases: Vec<(&str, Option<Value>)> = vec![
        ("capacity", Some(json!("ten"))),
        ("capacity", Some(json!(2_147_483_648_i64))),
        ("speaker_ids", Some(json!("abc"))),
        ("speaker_ids", Some(json!(["abc"]))),
        ("speaker_ids", Some(json!([5]))),
        ("speaker_ids", Some(json!({"id": "x"}))),
        ("track_id", Some(json!("not-a-uuid"))),
        ("room_id", Some(json!(12))),
        ("language", Some(json!(["en"]))),
        ("starts_at", Some(json!(5))),
        ("kind", Some(json!("gala"))),
        ("kind", Some(json!("Talk"))),
        ("status", Some(json!("archived"))),
        ("status", Some(json!(""))),
        ("starts_at", Some(json!("2026-11-18T09:00:00"))),
        ("ends_at", Some(json!("2026-11-18T10:00:00"))),
        ("starts_at", Some(json!("2026-13-45T09:00:00+05:00"))),
        ("starts_at", Some(json!("2026-11-18"))),
        ("ends_at", Some(json!("10:00"))),
        ("starts_at", Some(json!(null))),
        ("title", None),
        ("starts_at", None),
        ("ends_at", None),
    ];
    for (key, value) in cases {
        let what = format!("{key} = {value:?}");
        let reply = app.post(&path, with(&base, key, value)).await;
        refused(&reply, BAD_INPUT, &what);
    }
    let reply = app.post(&path, json!({})).await;
    refused(&reply, BAD_INPUT, "empty object");
    assert_eq!(app.count_rows("sessions").await, 0);
    assert_eq!(app.count_rows("session_speakers").await, 0);
    app.post(&path, base).await.expect(201);
    assert_eq!(app.count_rows("sessions").await, 1);
});

db_test!(patches_refuse_malformed_bodies, |app| async move {
    let event = app.create_event(json!({"city": "Ashgabat"})).await;
    let id = event["id"].as_str().unwrap();
    let event_path = format!("/api/v1/events/{id}");
    let session = app.create_session(id, json!({})).await;
    session.expect(201);
    let session_path = format!("{event_path}/sessions/{}", session.id());
    let event_before = read(&app, &event_path).await;
    let session_before = read(&app, &session_path).await;

    for path in [&event_path, &session_path] {
        for (what, body) in unparseable_bodies() {
            let reply = raw(&app, Method::PATCH, path, "application/json", &body).await;
            refused(&reply, BAD_INPUT, &format!("PATCH {path}: {what}"));
        }
    }
    let event_cases = [
        json!({"capacity": "ten"}),
        json!({"capacity": 1.5}),
        json!({"starts_on": 5}),
        json!({"starts_on": "2026-13-45"}),
        json!({"ends_on": "2026-11-31"}),
        json!({"kind": "gala"}),
        json!({"registration_mode": "whatever"}),
        json!({"waitlist_enabled": "no"}),
        json!({"registration_opens_at": "2026-11-18T09:00:00"}),
        json!({"registration_closes_at": "2026-13-45T09:00:00+05:00"}),
        json!({"title": ["x"]}),
        // A bad field spoils the whole patch: the good one is not applied either.
        json!({"city": "Mary", "capacity": "ten"}),
    ];
    for body in event_cases {
        let reply = app.patch(&event_path, body.clone()).await;
        refused(&reply, BAD_INPUT, &format!("PATCH event {body}"));
    }
    let session_cases = [
        json!({"capacity": "ten"}),
        json!({"speaker_ids": "abc"}),
        json!({"speaker_ids": ["abc"]}),
        json!({"track_id": "nope"}),
        json!({"kind": "gala"}),
        json!({"status": "archived"}),
        json!({"starts_at": "2026-11-18T09:00:00"}),
        json!({"ends_at": "2026-13-45T10:00:00+05:00"}),
        json!({"starts_at": 5}),
        json!({"title": "Changed", "status": "archived"}),
    ];
    for body in session_cases {
        let reply = app.patch(&session_path, body.clone()).await;
        refused(&reply, BAD_INPUT, &format!("PATCH session {body}"));
    }
    assert_eq!(read(&app, &event_path).await, event_before);
    assert_eq!(read(&app, &session_path).await, session_before);
    assert_eq!(app.count_rows("events").await, 1);
    assert_eq!(app.count_rows("sessions").await, 1);
});

db_test!(bodies_over_the_limit_are_413, |app| async move {
    let event = app.create_event(json!({})).await;
    let id = event["id"].as_str().unwrap();
    let event_path = format!("/api/v1/events/{id}");
    let session_path = format!("{event_path}/sessions");
    let before = app.get_as(&event_path, &app.organizer).await.body;
    let big = "x".repeat(300 * 1024);

    let event_body = with(&valid_event(), "description", Some(json!(big)));
    let session_body = with(&valid_session(), "abstract", Some(json!(big)));
    let cases = [
        (Method::POST, "/api/v1/events".to_owned(), event_body),
        (
            Method::PATCH,
            event_path.clone(),
            json!({"description": big}),
        ),
        (Method::POST, session_path.clone(), session_body),
        (
            Method::POST,
            format!("{event_path}/speakers"),
            json!({"full_name": "Big", "bio": big}),
        ),
    ];
    for (method, path, body) in cases {
        let bytes = serde_json::to_vec(&body).unwrap();
        assert!(bytes.len() > 256 * 1024);
        let reply = raw(&app, method.clone(), &path, "application/json", &bytes).await;
        refused(&reply, &[413], &format!("{method} {path}"));
        assert_eq!(reply.body["type"], "/problems/payload-too-large");
        // Through the JSON helper as well.
        let reply = app
            .call(method.clone(), &path, Some(&app.organizer), Some(&body))
            .await;
        refused(&reply, &[413], &format!("{method} {path}"));
    }
    // Garbage over the limit is refused for its size, whatever it contains.
    let garbage = vec![b'{'; 400 * 1024];
    let reply = raw(
        &app,
        Method::POST,
        "/api/v1/events",
        "application/json",
        &garbage,
    )
    .await;
    refused(&reply, &[413], "garbage over the limit");
    assert_eq!(app.count_rows("events").await, 1);
    assert_eq!(app.count_rows("sessions").await, 0);
    assert_eq!(app.count_rows("speakers").await, 0);
    assert_eq!(app.get_as(&event_path, &app.organizer).await.body, before);
    // A body just inside the limit is read (and then judged on its fields).
    let inside = with(
        &valid_event(),
        "description",
        Some(json!("x".repeat(200 * 1024))),
    );
    let reply = app.post("/api/v1/events", inside).await;
    reply.expect_problem(422);
    assert_eq!(reply.error_fields(), ["description"]);
});

db_test!(
    long_strings_inside_the_limit_are_422_naming_the_field,
    |app| async move {
        let long = "x".repeat(5000);
        let reply = app
            .post(
                "/api/v1/events",
                with(&valid_event(), "title", Some(json!(long))),
            )
            .await;
        reply.expect_problem(422);
        assert_clean(&reply);
        assert!(
            reply.error_fields().contains(&"title".to_owned()),
            "{}",
            reply.text
        );
        let reply = app
            .post(
                "/api/v1/events",
                with(&valid_event(), "venue", Some(json!(long))),
            )
            .await;
        reply.expect_problem(422);
        assert!(
            reply.error_fields().contains(&"venue".to_owned()),
            "{}",
            reply.text
        );
        assert_eq!(app.count_rows("events").await, 0);

        let event = app.create_event(json!({})).await;
        let id = event["id"].as_str().unwrap();
        let reply = app
            .patch(&format!("/api/v1/events/{id}"), json!({"title": long}))
            .await;
        reply.expect_problem(422);
        assert_eq!(reply.error_fields(), ["title"]);
        let path = format!("/api/v1/events/{id}/sessions");
        let reply = app
            .post(&path, with(&valid_session(), "title", Some(json!(long))))
            .await;
        reply.expect_problem(422);
        assert!(
            reply.error_fields().contains(&"title".to_owned()),
            "{}",
            reply.text
        );
        let reply = app
            .post(
                &path,
                with(
                    &valid_session(),
                    "abstract",
                    Some(json!("y".repeat(20_000))),
                ),
            )
            .await;
        reply.expect_problem(422);
        assert!(
            reply.error_fields().contains(&"abstract".to_owned()),
            "{}",
            reply.text
        );
        let reply = app
            .post(&path, with(&valid_session(), "language", Some(json!(long))))
            .await;
        reply.expect_problem(422);
        assert!(
            reply.error_fields().contains(&"language".to_owned()),
            "{}",
            reply.text
        );
        assert_eq!(app.count_rows("sessions").await, 0);
        let after = app
            .get_as(&format!("/api/v1/events/{id}"), &app.organizer)
            .await;
        assert_eq!(after.body["title"], event["title"]);
    }
);

db_test!(wrong_content_types_are_refused, |app| async move {
    let event = app.create_event(json!({})).await;
    let id = event["id"].as_str().unwrap();
    let event_body =
        serde_json::to_vec(&with(&valid_event(), "slug", Some(json!("typed")))).unwrap();
    let session_body = serde_json::to_vec(&valid_session()).unwrap();
    let cases = [
        (
            Method::POST,
            "/api/v1/events".to_owned(),
            event_body.clone(),
        ),
        (
            Method::PATCH,
            format!("/api/v1/events/{id}"),
            br#"{"title": "Changed"}"#.to_vec(),
        ),
        (
            Method::POST,
            format!("/api/v1/events/{id}/sessions"),
            session_body.clone(),
        ),
    ];
    for (method, path, body) in &cases {
        for content_type in [
            "text/plain",
            "text/plain; charset=utf-8",
            "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=x",
            "application/xml",
            "application/octet-stream",
            "not a media type",
        ] {
            let what = format!("{method} {path} as {content_type}");
            let reply = raw(&app, method.clone(), path, content_type, body).await;
            assert!(
                reply.status.is_client_error(),
                "{what}: {} {}",
                reply.status,
                reply.text
            );
            refused(&reply, &[400, 415, 422], &what);
        }
        let reply = without_content_type(&app, method.clone(), path, body).await;
        assert!(
            reply.status.is_client_error(),
            "{method} {path} without a content type: {}",
            reply.text
        );
        refused(&reply, &[400, 415, 422], "no content type");
    }
    assert_eq!(app.count_rows("events").await, 1);
    assert_eq!(app.count_rows("sessions").await, 0);
    let after = app
        .get_as(&format!("/api/v1/events/{id}"), &app.organizer)
        .await;
    assert_eq!(after.body["title"], event["title"]);
    // With the right type, the same bytes are accepted.
    raw(
        &app,
        Method::POST,
        "/api/v1/events",
        "application/json",
        &event_body,
    )
    .await
    .expect(201);
    raw(
        &app,
        Method::POST,
        &format!("/api/v1/events/{id}/sessions"),
        "application/json; charset=utf-8",
        &session_body,
    )
    .await
    .expect(201);
});

db_test!(unknown_routes_and_methods_are_problems, |app| async move {
    let event = app.create_event(json!({})).await;
    let id = event["id"].as_str().unwrap();
    let session = app.create_session(id, json!({})).await;
    session.expect(201);
    let sid = session.id();
    for (method, path) in [
        (Method::GET, "/api/v1/no-such-route".to_owned()),
        (Method::GET, "/api/v2/events".into()),
        (Method::GET, "/api".into()),
        (Method::POST, format!("/api/v1/events/{id}/nothing")),
        (
            Method::GET,
            format!("/api/v1/events/{id}/sessions/{sid}/nothing"),
        ),
        (Method::DELETE, "/api/v1/events/a/b/c/d/e/f".into()),
    ] {
        let reply = app
            .call(method.clone(), &path, Some(&app.organizer), None)
            .await;
        refused(&reply, &[404], &format!("{method} {path}"));
        // Anonymous callers get the same 404.
        let reply = app.call(method.clone(), &path, None, None).await;
        refused(&reply, &[404], &format!("{method} {path}"));
    }
    // Outside the API, paths belong to the web pages: "not found" is a page, not a problem.
    let page = app.call(Method::GET, "/nothing/here", None, None).await;
    page.expect(404);
    assert!(
        page.header("content-type")
            .unwrap()
            .starts_with("text/html")
    );
    for (method, path) in [
        (Method::PUT, "/api/v1/events".to_owned()),
        (Method::DELETE, "/api/v1/events".into()),
        (Method::PATCH, "/api/v1/events".into()),
        (Method::PUT, format!("/api/v1/events/{id}")),
        (Method::DELETE, format!("/api/v1/events/{id}")),
        (Method::POST, format!("/api/v1/events/{id}")),
        (Method::GET, format!("/api/v1/events/{id}/publish")),
        (Method::PUT, format!("/api/v1/events/{id}/sessions/{sid}")),
        (Method::PUT, format!("/api/v1/events/{id}/sessions")),
        (Method::POST, "/healthz".into()),
    ] {
        let reply = app
            .call(
                method.clone(),
                &path,
                Some(&app.organizer),
                Some(&json!({})),
            )
            .await;
        refused(&reply, &[405], &format!("{method} {path}"));
        assert_eq!(reply.body["type"], "/problems/method-not-allowed");
    }
    assert_eq!(app.count_rows("events").await, 1);
    assert_eq!(app.count_rows("sessions").await, 1);
});

db_test!(unparseable_ids_are_404, |app| async move {
    let event = app.create_event(json!({})).await;
    let id = event["id"].as_str().unwrap();
    let base = format!("/api/v1/events/{id}");
    for bad in [
        "not-a-uuid",
        "123",
        "01900000-0000-7000-8000-00000000000",
        "01900000-0000-7000-8000-0000000000000",
        "01900000-0000-7000-8000-00000000000g",
        "%27%20OR%201%3D1%20--",
        "%00",
        "..",
    ] {
        for kind in ["sessions", "speakers", "tracks", "rooms"] {
            let path = format!("{base}/{kind}/{bad}");
            let mut calls = vec![
                (Method::PATCH, Some(json!({"name": "X", "title": "X"}))),
                (Method::DELETE, None),
            ];
            if matches!(kind, "sessions" | "speakers") {
                calls.push((Method::GET, None));
            }
            for (method, body) in calls {
                let reply = app
                    .call(method.clone(), &path, Some(&app.organizer), body.as_ref())
                    .await;
                // `..` may be normalised away by the router; it must still be a client error.
                // A NUL in the URL is refused outright (400).
                let allowed: &[u16] = match bad {
                    ".." => &[404, 405],
                    "%00" => &[400],
                    _ => &[404],
                };
                refused(&reply, allowed, &format!("{method} {path}"));
            }
        }
    }
    // Unknown event references, however odd, are 404 too.
    for reference in [
        "no-such-event",
        "%27%20OR%201%3D1%20--",
        "x",
        "%E2%98%83",
        "01900000-0000-7000-8000-000000000000",
    ] {
        for suffix in ["", "/sessions", "/speakers", "/tracks", "/rooms", "/agenda"] {
            let path = format!("/api/v1/events/{reference}{suffix}");
            let reply = app.get_as(&path, &app.organizer).await;
            refused(&reply, &[404], &format!("GET {path}"));
        }
    }
    assert_eq!(app.count_rows("events").await, 1);
});

db_test!(bad_query_parameters_are_refused, |app| async move {
    let event = app.published_event(json!({})).await;
    let id = event["id"].as_str().unwrap();
    let base = format!("/api/v1/events/{id}");
    for path in [
        "/api/v1/events?limit=abc".to_owned(),
        "/api/v1/events?limit=-1".into(),
        "/api/v1/events?limit=99999999999".into(),
        "/api/v1/events?status=archived".into(),
        format!("{base}/sessions?status=archived"),
        format!("{base}/sessions?day=2026-13-45"),
        format!("{base}/sessions?track=not-a-uuid"),
        format!("{base}/sessions?limit=ten"),
        format!("{base}/speakers?cursor=%00%01"),
        format!("{base}/tracks?limit=0"),
    ] {
        let reply = app.get(&path).await;
        refused(&reply, BAD_INPUT, &format!("GET {path}"));
    }
    let reply = app
        .call(
            Method::POST,
            &format!("{base}/sessions?allow_overlap=maybe"),
            Some(&app.organizer),
            Some(&valid_session()),
        )
        .await;
    refused(&reply, BAD_INPUT, "allow_overlap=maybe");
    assert_eq!(app.count_rows("sessions").await, 0);
});

db_test!(nul_characters_are_refused_not_500, |app| async move {
    app.post(
        "/api/v1/events",
        json!({"slug": "nul-test", "title": "A\u{0}B", "starts_on": "2026-11-18", "ends_on": "2026-11-18"}),
    )
    .await
    .expect_problem(422);
    let event = app.create_event(json!({})).await;
    let id = event["id"].as_str().unwrap();
    app.patch(&format!("/api/v1/events/{id}"), json!({"city": "\u{0}"}))
        .await
        .expect_problem(422);
    app.post(
        &format!("/api/v1/events/{id}/tracks"),
        json!({"name": "T\u{0}"}),
    )
    .await
    .expect_problem(422);
    app.create_session(id, json!({"title": "S\u{0}"}))
        .await
        .expect_problem(422);
    app.get("/api/v1/events/a%00b").await.expect_problem(400);
    app.get(&format!("/api/v1/events/{id}/sessions?language=%00"))
        .await
        .expect_problem(400);
    assert_eq!(app.count_rows("events").await, 1);
    assert_eq!(app.count_rows("tracks").await, 0);
});
