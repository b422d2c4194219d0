//! Every operation answers only the statuses its OpenAPI entry declares. The operations are
//! enumerated from the served document (a new operation is covered without touching this
//! test), and each is sent the requests that provoke every kind of error a use case can give
//! before its own rules: no token, a token of each other kind, a garbage token, an unknown or
//! draft event, an unknown id, a body that is empty, malformed, of the wrong media type or too
//! large, and query parameters out of range. Each answer's status must be declared, and an
//! error must be problem+json. (The rules' own refusals, 409 and 422, are asserted by the
//! tests of each area; an undeclared one there fails too: `api_errors!` asserts it.)

use std::collections::BTreeSet;

use poem::http::Method;
use serde_json::{Value, json};

use crate::db_test;
use crate::helpers::TestApp;
use crate::registrations::{delegate, register};

/// One request to send: url, who sends it (for the report), token, media type, body.
type Probe<'a> = (String, &'a str, Option<&'a str>, &'a str, Vec<u8>);

/// What stands in for a path's parameters.
struct Fixture {
    event: String,
    draft_event: String,
    ids: Vec<(&'static str, String)>,
    tokens: Vec<(&'static str, Option<String>)>,
}

async fn fixture(app: &TestApp) -> Fixture {
    let event = app.published_event(json!({})).await;
    let event = event["id"].as_str().unwrap().to_owned();
    let draft = app.create_event(json!({"slug": "draft-one"})).await;
    let draft_event = draft["id"].as_str().unwrap().to_owned();
    let made = |path: &str, body: Value| {
        let path = format!("/api/v1/events/{event}/{path}");
        async move {
            let reply = app.post(&path, body).await;
            reply.expect(201);
            reply.id()
        }
    };
    let track = made("tracks", json!({"name": "Track"})).await;
    let room = made("rooms", json!({"name": "Room", "capacity": 10})).await;
    let speaker = made("speakers", json!({"full_name": "Speaker"})).await;
    let session = app.create_session(&event, json!({})).await;
    session.expect(201);
    let registered = register(app, &event, delegate("a@example.org", &[])).await;
    registered.expect(201);
    let manage = registered.body["manage_token"].as_str().unwrap().to_owned();
    let scanner = app.checkin_token(&event).await;
    let other_scanner = app.checkin_token(&draft_event).await;
    let token_id = app
        .get(&format!("/api/v1/events/{event}/checkin-tokens"))
        .await
        .body["items"][0]["id"]
        .as_str()
        .map(str::to_owned)
        .unwrap_or_default();
    Fixture {
        event,
        draft_event,
        ids: vec![
            ("tracks", track),
            ("rooms", room),
            ("speakers", speaker),
            ("sessions", session.id()),
            ("registrations", registered.id()),
            ("checkin-tokens", token_id),
        ],
        tokens: vec![
            ("none", None),
            ("organizer", Some(app.organizer.clone())),
            ("scanner", Some(scanner)),
            ("scanner of another event", Some(other_scanner)),
            ("manage", Some(manage)),
            ("garbage", Some("dlg_o_0000000000000000".into())),
        ],
    }
}

/// The paths to try for a templated path: known ids, an unknown id, a draft event.
fn paths(template: &str, fixture: &Fixture) -> Vec<String> {
    let unknown = uuid::Uuid::now_v7().to_string();
    let mut events = vec![fixture.event.clone(), fixture.draft_event.clone()];
    events.push(unknown.clone());
    let mut found = Vec::new();
    for event in &events {
        let with_event = template.replace("{event}", event);
        if !with_event.contains("{id}") {
            found.push(with_event);
            continue;
        }
        let known = fixture
            .ids
            .iter()
            .find(|(kind, _)| template.contains(&format!("/{kind}/{{id}}")))
            .map(|(_, id)| id.clone());
        for id in known
            .into_iter()
            .chain([unknown.clone(), "not-a-uuid".into()])
        {
            found.push(with_event.replace("{id}", &id));
        }
    }
    found
}

/// Query strings that break each kind of parameter an operation has.
fn queries(operation: &Value) -> Vec<String> {
    let mut found = vec![String::new()];
    for parameter in operation["parameters"].as_array().into_iter().flatten() {
        if parameter["in"] != "query" {
            continue;
        }
        let name = parameter["name"].as_str().unwrap_or_default();
        for bad in ["", "0", "-1", "zzz", "%00", "2026-13-45", "99999999999"] {
            found.push(format!("?{name}={bad}"));
        }
    }
    found
}

db_test!(
    every_operation_answers_only_declared_statuses,
    |app| async move {
        let fixture = fixture(&app).await;
        let document = app.get("/api/v1/openapi.json").await.body;
        let mut undeclared = BTreeSet::new();
        let mut tried = 0;
        // Changes go last, so reads see the fixture whole; deletions last of all.
        let mut operations: Vec<(String, String, Value)> = Vec::new();
        for (template, item) in document["paths"].as_object().unwrap() {
            for (method, operation) in item.as_object().unwrap() {
                operations.push((method.to_uppercase(), template.clone(), operation.clone()));
            }
        }
        let rank = |method: &str| match method {
            "GET" => 0,
            "DELETE" => 2,
            _ => 1,
        };
        operations.sort_by_key(|(method, _, _)| rank(method));
        for (method, template, operation) in &operations {
            let declared: BTreeSet<u16> = operation["responses"]
                .as_object()
                .unwrap()
                .keys()
                .filter_map(|status| status.parse().ok())
                .collect();
            let method = Method::from_bytes(method.as_bytes()).unwrap();
            let has_body = operation.get("requestBody").is_some();
            let bodies: Vec<(&str, Vec<u8>)> = if has_body {
                vec![
                    ("application/json", b"{}".to_vec()),
                    ("application/json", b"{\"title\":".to_vec()),
                    ("application/json", b"[]".to_vec()),
                    ("text/plain", b"hello".to_vec()),
                ]
            } else {
                vec![("", Vec::new())]
            };
            // Every path with every token and body; query parameters out of range with the
            // first body; a body over the limit once.
            let mut requests: Vec<Probe> = Vec::new();
            for path in paths(template, &fixture) {
                for (who, token) in &fixture.tokens {
                    for (index, (content_type, body)) in bodies.iter().enumerate() {
                        for query in queries(operation) {
                            if !query.is_empty() && index > 0 {
                                continue;
                            }
                            requests.push((
                                format!("{path}{query}"),
                                who,
                                token.as_deref(),
                                content_type,
                                body.clone(),
                            ));
                        }
                    }
                }
                if has_body {
                    requests.push((
                        path.clone(),
                        "organizer",
                        Some(app.organizer.as_str()),
                        "application/json",
                        vec![b' '; 3 * 1024 * 1024],
                    ));
                }
            }
            for (url, who, token, content_type, body) in requests {
                let reply = if content_type.is_empty() {
                    app.call(method.clone(), &url, token, None).await
                } else {
                    app.call_raw(method.clone(), &url, token, content_type, body.clone())
                        .await
                };
                tried += 1;
                let status = reply.status.as_u16();
                if !declared.contains(&status) {
                    undeclared.insert(format!(
                        "{method} {template} answered {status} (token: {who}, url: {url}, \
                         body: {content_type} {} bytes): {}",
                        body.len(),
                        reply.text.chars().take(200).collect::<String>()
                    ));
                }
                let plain_json = reply
                    .header("content-type")
                    .is_some_and(|ct| ct.starts_with("application/json"));
                // A scan's refusals are decisions (JSON); every other error is a problem.
                if status >= 400 && plain_json && !template.ends_with("/checkins") {
                    undeclared.insert(format!(
                        "{method} {template} answered {status} as plain JSON: {url}"
                    ));
                }
            }
        }
        assert!(tried > 1000, "only {tried} requests were tried");
        assert!(
            undeclared.is_empty(),
            "{} undeclared answers of {tried}:\n{}",
            undeclared.len(),
            undeclared.into_iter().collect::<Vec<_>>().join("\n")
        );
    }
);
