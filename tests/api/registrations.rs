//! Registration: capacity, waiting lists, accreditation, idempotency, self-service and the
//! organizers' list; every refusal is checked to change nothing.

use poem::http::Method;
use serde_json::{Value, json};

use crate::db_test;
use crate::helpers::TestApp;

/// A registration body for `email` choosing `sessions`.
pub fn delegate(email: &str, sessions: &[&str]) -> Value {
    json!({
        "full_name": "Aýna Berdiýewa",
        "email": email,
        "organization": "Ministry of Digital Development",
        "country": "Turkmenistan",
        "category": "delegate",
        "session_ids": sessions,
        "locale": "tk",
        "consent": true
    })
}

/// POSTs a registration without a token.
pub async fn register(app: &TestApp, event: &str, body: Value) -> crate::helpers::Reply {
    app.call(
        Method::POST,
        &format!("/api/v1/events/{event}/registrations"),
        None,
        Some(&body),
    )
    .await
}

/// Asserts the seat invariants straight from the database.
pub async fn assert_invariants(app: &TestApp) {
    let violations = dialogue::store::invariants::invariant_violations(&app.state.db)
        .await
        .expect("invariant query");
    assert!(
        violations.is_empty(),
        "seat invariants broken: {violations:?}"
    );
}

async fn event_with(app: &TestApp, overrides: Value) -> String {
    app.published_event(overrides).await["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn session_with(app: &TestApp, event: &str, overrides: Value) -> String {
    let reply = app.create_session(event, overrides).await;
    reply.expect(201);
    reply.id()
}

db_test!(
    registration_returns_tokens_links_and_statuses,
    |app| async move {
        let event = event_with(&app, json!({"capacity": 10})).await;
        let workshop = session_with(&app, &event, json!({"capacity": 5})).await;
        let reply = register(&app, &event, delegate("Aygul@Example.TM", &[&workshop])).await;
        reply.expect(201);
        assert_eq!(reply.body["status"], "confirmed");
        assert_eq!(reply.body["sessions"][0]["session_id"], workshop.as_str());
        assert_eq!(reply.body["sessions"][0]["status"], "confirmed");
        let token = reply.body["manage_token"].as_str().unwrap().to_owned();
        assert!(token.starts_with("dlg_reg_"));
        assert!(
            reply.body["badge_url"]
                .as_str()
                .unwrap()
                .ends_with("/api/v1/registrations/me/badge.svg")
        );
        let calendar = reply.body["calendar_url"].as_str().unwrap();
        assert!(calendar.contains(&format!(
            "/api/v1/registrations/{}/calendar.ics?token=dlg_cal_",
            reply.id()
        )));
        assert!(reply.header("location").unwrap().ends_with(&reply.id()));
        // The manage token reads the registration.
        let me = app.get_as("/api/v1/registrations/me", &token).await;
        me.expect(200);
        assert_eq!(me.body["email"], "Aygul@Example.TM");
        assert_eq!(me.body["status"], "confirmed");
        // The token is stored hashed only.
        let rows = app
            .get_as(
                &format!("/api/v1/events/{event}/registrations"),
                &app.organizer,
            )
            .await;
        assert!(!rows.text.contains(&token));
        assert_invariants(&app).await;
    }
);

db_test!(
    bad_requests_are_refused_and_store_nothing,
    |app| async move {
        let event = event_with(&app, json!({})).await;
        let other_event = event_with(&app, json!({})).await;
        let foreign = session_with(&app, &other_event, json!({})).await;
        let draft = session_with(&app, &event, json!({"status": "draft", "starts_at": "2026-11-18T11:00:00+05:00", "ends_at": "2026-11-18T12:00:00+05:00"})).await;
        let a = session_with(&app, &event, json!({"title": "A", "starts_at": "2026-11-18T09:00:00+05:00", "ends_at": "2026-11-18T10:00:00+05:00"})).await;
        let b = session_with(&app, &event, json!({"title": "B", "starts_at": "2026-11-18T09:30:00+05:00", "ends_at": "2026-11-18T10:30:00+05:00"})).await;
        let mut no_consent = delegate("x@example.org", &[]);
        no_consent["consent"] = json!(false);
        let cases = [
            (no_consent, "consent"),
            (delegate("not-an-email", &[]), "email"),
            (
                json!({"full_name": "", "email": "y@example.org", "consent": true}),
                "full_name",
            ),
            (delegate("z@example.org", &[&foreign]), "session_ids"),
            (delegate("z@example.org", &[&draft]), "session_ids"),
            (delegate("z@example.org", &[&a, &a]), "session_ids"),
        ];
        for (body, field) in cases {
            let reply = register(&app, &event, body.clone()).await;
            reply.expect_problem(422);
            assert!(
                reply.error_fields().contains(&field.to_owned()),
                "{body}: {}",
                reply.text
            );
        }
        let overlap = register(&app, &event, delegate("z@example.org", &[&a, &b])).await;
        overlap.expect_problem(422);
        assert!(
            overlap.text.contains(&a) && overlap.text.contains(&b),
            "names the pair: {}",
            overlap.text
        );
        // Missing consent entirely is a parse error.
        register(
            &app,
            &event,
            json!({"full_name": "N", "email": "n@example.org"}),
        )
        .await
        .expect_problem(400);
        assert_eq!(app.count_rows("registrations").await, 0);
        assert_eq!(app.count_rows("registration_sessions").await, 0);
    }
);

db_test!(
    same_email_twice_is_409_case_insensitively,
    |app| async move {
        let event = event_with(&app, json!({})).await;
        register(&app, &event, delegate("Delegate@Example.org", &[]))
            .await
            .expect(201);
        register(&app, &event, delegate("delegate@example.ORG", &[]))
            .await
            .expect_problem(409);
        register(&app, &event, delegate(" delegate@example.org ", &[]))
            .await
            .expect_problem(409);
        assert_eq!(app.count_rows("registrations").await, 1);
        // Another event accepts the same address.
        let other = event_with(&app, json!({})).await;
        register(&app, &other, delegate("delegate@example.org", &[]))
            .await
            .expect(201);
        assert_invariants(&app).await;
    }
);

db_test!(idempotency_key_replays_the_first_answer, |app| async move {
    let event = event_with(&app, json!({"capacity": 1})).await;
    let path = format!("/api/v1/events/{event}/registrations");
    let send = |body: Value, key: &'static str| {
        let app = &app;
        let path = path.clone();
        async move {
            let request = app
                .client
                .post(path)
                .header("Idempotency-Key", key)
                .body_json(&body);
            let response = request.send().await.0;
            let status = response.status();
            let replayed = response.headers().get("idempotent-replayed").is_some();
            let body: Value = response
                .into_body()
                .into_json()
                .await
                .unwrap_or(Value::Null);
            (status.as_u16(), body, replayed)
        }
    };
    let (status, first, replayed) =
        send(delegate("one@example.org", &[]), "key-1-0123456789abcdef").await;
    assert_eq!((status, replayed), (201, false));
    let (status, again, replayed) =
        send(delegate("one@example.org", &[]), "key-1-0123456789abcdef").await;
    assert_eq!((status, replayed), (201, true));
    assert_eq!(
        first, again,
        "a retry returns the first answer, token included"
    );
    assert_eq!(app.count_rows("registrations").await, 1);
    // The same key with another body is refused and creates nothing.
    let (status, problem, _) =
        send(delegate("two@example.org", &[]), "key-1-0123456789abcdef").await;
    assert_eq!(status, 422, "{problem}");
    assert_eq!(app.count_rows("registrations").await, 1);
    // The replayed manage token works.
    let token = again["manage_token"].as_str().unwrap();
    app.get_as("/api/v1/registrations/me", token)
        .await
        .expect(200);
});

db_test!(a_full_event_waitlists_or_refuses, |app| async move {
    let event = event_with(&app, json!({"capacity": 2, "waitlist_enabled": true})).await;
    for n in 0..2 {
        let reply = register(&app, &event, delegate(&format!("d{n}@example.org"), &[])).await;
        assert_eq!(reply.body["status"], "confirmed");
    }
    let third = register(&app, &event, delegate("d2@example.org", &[])).await;
    third.expect(201);
    assert_eq!(third.body["status"], "waitlisted");
    let closed = event_with(&app, json!({"capacity": 1, "waitlist_enabled": false})).await;
    register(&app, &closed, delegate("a@example.org", &[]))
        .await
        .expect(201);
    let refused = register(&app, &closed, delegate("b@example.org", &[])).await;
    refused.expect_problem(409);
    assert!(refused.body["detail"].as_str().unwrap().contains("full"));
    assert_eq!(app.count_rows("registrations").await, 4);
    assert_invariants(&app).await;
});

db_test!(
    a_full_session_waitlists_only_that_choice,
    |app| async move {
        let event = event_with(&app, json!({"capacity": 100})).await;
        let workshop = session_with(&app, &event, json!({"capacity": 1})).await;
        let plenary = session_with(&app, &event, json!({"starts_at": "2026-11-18T11:00:00+05:00", "ends_at": "2026-11-18T12:00:00+05:00"})).await;
        register(&app, &event, delegate("first@example.org", &[&workshop]))
            .await
            .expect(201);
        let second = register(
            &app,
            &event,
            delegate("second@example.org", &[&workshop, &plenary]),
        )
        .await;
        second.expect(201);
        assert_eq!(second.body["status"], "confirmed");
        let statuses: Vec<(String, String)> = second.body["sessions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| {
                (
                    s["session_id"].as_str().unwrap().to_owned(),
                    s["status"].as_str().unwrap().to_owned(),
                )
            })
            .collect();
        assert!(statuses.contains(&(workshop.clone(), "waitlisted".into())));
        assert!(statuses.contains(&(plenary.clone(), "confirmed".into())));
        assert_invariants(&app).await;
    }
);

db_test!(cancellation_promotes_the_first_in_line, |app| async move {
    let event = event_with(&app, json!({"capacity": 1})).await;
    let workshop = session_with(&app, &event, json!({"capacity": 1})).await;
    let a = register(&app, &event, delegate("a@example.org", &[&workshop])).await;
    let b = register(&app, &event, delegate("b@example.org", &[&workshop])).await;
    let c = register(&app, &event, delegate("c@example.org", &[&workshop])).await;
    assert_eq!(b.body["status"], "waitlisted");
    assert_eq!(b.body["sessions"][0]["status"], "waitlisted");
    assert_eq!(c.body["status"], "waitlisted");
    let token_a = a.body["manage_token"].as_str().unwrap();
    let cancelled = app
        .call(
            Method::DELETE,
            "/api/v1/registrations/me",
            Some(token_a),
            None,
        )
        .await;
    cancelled.expect(200);
    assert_eq!(cancelled.body["status"], "cancelled");
    // B was first in line: confirmed, with the workshop seat A held.
    let b_now = app
        .get_as(
            "/api/v1/registrations/me",
            b.body["manage_token"].as_str().unwrap(),
        )
        .await;
    assert_eq!(b_now.body["status"], "confirmed");
    assert_eq!(b_now.body["sessions"][0]["status"], "confirmed");
    let c_now = app
        .get_as(
            "/api/v1/registrations/me",
            c.body["manage_token"].as_str().unwrap(),
        )
        .await;
    assert_eq!(c_now.body["status"], "waitlisted");
    // Cancelling twice is refused.
    app.call(
        Method::DELETE,
        "/api/v1/registrations/me",
        Some(token_a),
        None,
    )
    .await
    .expect_problem(409);
    assert_invariants(&app).await;
});

db_test!(accreditation_approves_and_rejects, |app| async move {
    let event = event_with(
        &app,
        json!({"capacity": 1, "registration_mode": "approval"}),
    )
    .await;
    let a = register(&app, &event, delegate("a@example.org", &[])).await;
    let b = register(&app, &event, delegate("b@example.org", &[])).await;
    assert_eq!(a.body["status"], "pending");
    assert_eq!(b.body["status"], "pending");
    let approve = |id: String| format!("/api/v1/events/{event}/registrations/{id}/approve");
    let reject = |id: String| format!("/api/v1/events/{event}/registrations/{id}/reject");
    let approved = app.post(&approve(a.id()), Value::Null).await;
    approved.expect(200);
    assert_eq!(approved.body["status"], "confirmed");
    // No seat left: approval waitlists.
    let waitlisted = app.post(&approve(b.id()), Value::Null).await;
    assert_eq!(waitlisted.body["status"], "waitlisted");
    // Approving twice is refused.
    app.post(&approve(a.id()), Value::Null)
        .await
        .expect_problem(409);
    // Rejecting the confirmed one frees its seat for the waiting one.
    let rejected = app.post(&reject(a.id()), Value::Null).await;
    assert_eq!(rejected.body["status"], "rejected");
    let b_now = app
        .get_as(
            &format!("/api/v1/events/{event}/registrations/{}", b.id()),
            &app.organizer,
        )
        .await;
    assert_eq!(b_now.body["status"], "confirmed");
    app.post(&reject(a.id()), Value::Null)
        .await
        .expect_problem(409);
    // A delegate's token cannot approve.
    let c = register(&app, &event, delegate("c@example.org", &[])).await;
    let token = c.body["manage_token"].as_str().unwrap();
    app.call(Method::POST, &approve(c.id()), Some(token), None)
        .await
        .expect_problem(403);
    app.call(Method::POST, &approve(c.id()), None, None)
        .await
        .expect_problem(401);
    assert_invariants(&app).await;
});

db_test!(closed_registration_is_409_with_a_reason, |app| async move {
    let closed = event_with(&app, json!({"registration_mode": "closed"})).await;
    let reply = register(&app, &closed, delegate("a@example.org", &[])).await;
    reply.expect_problem(409);
    assert!(reply.body["detail"].as_str().unwrap().contains("closed"));
    let ended = event_with(
        &app,
        json!({"registration_closes_at": "2020-01-01T00:00:00+05:00"}),
    )
    .await;
    register(&app, &ended, delegate("a@example.org", &[]))
        .await
        .expect_problem(409);
    let future = event_with(
        &app,
        json!({"registration_opens_at": "2099-01-01T00:00:00+05:00"}),
    )
    .await;
    let early = register(&app, &future, delegate("a@example.org", &[])).await;
    early.expect_problem(409);
    assert!(early.body["detail"].as_str().unwrap().contains("opens"));
    let cancelled = event_with(&app, json!({})).await;
    app.post(&format!("/api/v1/events/{cancelled}/cancel"), Value::Null)
        .await
        .expect(200);
    register(&app, &cancelled, delegate("a@example.org", &[]))
        .await
        .expect_problem(409);
    let draft = app.create_event(json!({})).await;
    register(
        &app,
        draft["id"].as_str().unwrap(),
        delegate("a@example.org", &[]),
    )
    .await
    .expect_problem(404);
    assert_eq!(app.count_rows("registrations").await, 0);
});

db_test!(
    raising_capacity_promotes_and_lowering_below_taken_is_refused,
    |app| async move {
        let event = event_with(&app, json!({"capacity": 1})).await;
        let workshop = session_with(&app, &event, json!({"capacity": 1})).await;
        register(&app, &event, delegate("a@example.org", &[&workshop])).await;
        let b = register(&app, &event, delegate("b@example.org", &[&workshop])).await;
        let c = register(&app, &event, delegate("c@example.org", &[])).await;
        assert_eq!(c.body["status"], "waitlisted");
        app.patch(&format!("/api/v1/events/{event}"), json!({"capacity": 3}))
            .await
            .expect(200);
        let b_now = app
            .get_as(
                "/api/v1/registrations/me",
                b.body["manage_token"].as_str().unwrap(),
            )
            .await;
        assert_eq!(b_now.body["status"], "confirmed");
        assert_eq!(
            b_now.body["sessions"][0]["status"], "waitlisted",
            "the workshop is still full"
        );
        let c_now = app
            .get_as(
                "/api/v1/registrations/me",
                c.body["manage_token"].as_str().unwrap(),
            )
            .await;
        assert_eq!(c_now.body["status"], "confirmed");
        // The workshop grows: B gets its seat.
        app.patch(
            &format!("/api/v1/events/{event}/sessions/{workshop}"),
            json!({"capacity": 2}),
        )
        .await
        .expect(200);
        let b_now = app
            .get_as(
                "/api/v1/registrations/me",
                b.body["manage_token"].as_str().unwrap(),
            )
            .await;
        assert_eq!(b_now.body["sessions"][0]["status"], "confirmed");
        // Capacities cannot drop below the seats taken.
        app.patch(&format!("/api/v1/events/{event}"), json!({"capacity": 2}))
            .await
            .expect_problem(409);
        app.patch(
            &format!("/api/v1/events/{event}/sessions/{workshop}"),
            json!({"capacity": 1}),
        )
        .await
        .expect_problem(409);
        assert_invariants(&app).await;
    }
);

db_test!(delegates_change_sessions_atomically, |app| async move {
    let event = event_with(&app, json!({"capacity": 10})).await;
    let a = session_with(&app, &event, json!({"title": "A", "capacity": 1, "starts_at": "2026-11-18T09:00:00+05:00", "ends_at": "2026-11-18T10:00:00+05:00"})).await;
    let b = session_with(&app, &event, json!({"title": "B", "capacity": 1, "starts_at": "2026-11-18T11:00:00+05:00", "ends_at": "2026-11-18T12:00:00+05:00"})).await;
    let c = session_with(&app, &event, json!({"title": "C", "capacity": 1, "starts_at": "2026-11-18T13:00:00+05:00", "ends_at": "2026-11-18T14:00:00+05:00"})).await;
    let me = register(&app, &event, delegate("me@example.org", &[&a])).await;
    let token = me.body["manage_token"].as_str().unwrap().to_owned();
    register(&app, &event, delegate("other@example.org", &[&c])).await;
    let change = |sessions: Value| {
        let app = &app;
        let token = token.clone();
        async move {
            app.call(
                Method::PATCH,
                "/api/v1/registrations/me",
                Some(&token),
                Some(&json!({"session_ids": sessions})),
            )
            .await
        }
    };
    // Swap A for B: B's seat is taken, A's is freed.
    let swapped = change(json!([b])).await;
    swapped.expect(200);
    assert_eq!(swapped.body["sessions"].as_array().unwrap().len(), 1);
    assert_eq!(swapped.body["sessions"][0]["session_id"], b.as_str());
    assert_eq!(swapped.body["sessions"][0]["status"], "confirmed");
    // Swapping B for the full C changes nothing.
    change(json!([c])).await.expect_problem(409);
    let still = app.get_as("/api/v1/registrations/me", &token).await;
    assert_eq!(still.body["sessions"][0]["session_id"], b.as_str());
    assert_eq!(still.body["sessions"][0]["status"], "confirmed");
    // Adding the full C while keeping B joins C's waiting list.
    let added = change(json!([b, c])).await;
    added.expect(200);
    let c_status = added.body["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["session_id"] == c.as_str())
        .unwrap()["status"]
        .clone();
    assert_eq!(c_status, "waitlisted");
    // Overlapping or unknown sessions are 422.
    change(json!([a, "01900000-0000-7000-8000-000000000000"]))
        .await
        .expect_problem(422);
    // A freed seat in A is available again to others.
    let taker = register(&app, &event, delegate("taker@example.org", &[&a])).await;
    assert_eq!(taker.body["sessions"][0]["status"], "confirmed");
    assert_invariants(&app).await;
});

db_test!(calendar_link_rotates, |app| async move {
    let event = event_with(&app, json!({})).await;
    let me = register(&app, &event, delegate("me@example.org", &[])).await;
    let token = me.body["manage_token"].as_str().unwrap();
    let before = me.body["calendar_url"].as_str().unwrap().to_owned();
    let rotated = app
        .call(
            Method::POST,
            "/api/v1/registrations/me/calendar-token",
            Some(token),
            None,
        )
        .await;
    rotated.expect(200);
    let after = rotated.body["calendar_url"].as_str().unwrap();
    assert_ne!(before, after);
    assert_eq!(
        app.get_as("/api/v1/registrations/me", token).await.body["calendar_url"],
        after
    );
});

db_test!(
    manage_tokens_reach_only_their_registration,
    |app| async move {
        let event = event_with(&app, json!({})).await;
        let me = register(&app, &event, delegate("me@example.org", &[])).await;
        let token = me.body["manage_token"].as_str().unwrap();
        // Not organizer operations.
        app.get_as(&format!("/api/v1/events/{event}/registrations"), token)
            .await
            .expect_problem(403);
        app.call(
            Method::POST,
            "/api/v1/events",
            Some(token),
            Some(&json!({})),
        )
        .await
        .expect_problem(403);
        // The organizer token is not a manage token.
        app.get_as("/api/v1/registrations/me", &app.organizer)
            .await
            .expect_problem(403);
        // Unknown and missing tokens.
        app.get_as("/api/v1/registrations/me", "dlg_reg_unknown")
            .await
            .expect_problem(401);
        app.get("/api/v1/registrations/me")
            .await
            .expect_problem(401);
        // A check-in token cannot read registrations.
        let scanner = app.checkin_token(&event).await;
        app.get_as(&format!("/api/v1/events/{event}/registrations"), &scanner)
            .await
            .expect_problem(403);
        app.get_as(
            &format!("/api/v1/events/{event}/registrations/{}", me.id()),
            &scanner,
        )
        .await
        .expect_problem(403);
    }
);

db_test!(
    organizers_list_filter_search_and_export_csv,
    |app| async move {
        let event = event_with(&app, json!({"capacity": 2})).await;
        let workshop = session_with(&app, &event, json!({})).await;
        let people = [
            (
                "Aýna Berdiýewa",
                "ayna@example.tm",
                "Ministry of Finance",
                "delegate",
            ),
            ("Дмитрий Волков", "dmitry@example.ru", "ОБСЕ", "press"),
            ("Amelia Hart", "amelia@example.org", "UNDP", "observer"),
        ];
        for (name, email, organization, category) in people {
            let mut body = delegate(email, &[&workshop]);
            body["full_name"] = json!(name);
            body["organization"] = json!(organization);
            body["category"] = json!(category);
            // The press is accredited by the organizers (not a public category).
            let by = (category == "press").then_some(app.organizer.as_str());
            app.call(
                Method::POST,
                &format!("/api/v1/events/{event}/registrations"),
                by,
                Some(&body),
            )
            .await
            .expect(201);
        }
        let path = format!("/api/v1/events/{event}/registrations");
        let all = app.get_as(&path, &app.organizer).await;
        all.expect(200);
        assert_eq!(all.body["items"].as_array().unwrap().len(), 3);
        let count = |reply: &crate::helpers::Reply| reply.body["items"].as_array().unwrap().len();
        assert_eq!(
            count(
                &app.get_as(&format!("{path}?status=waitlisted"), &app.organizer)
                    .await
            ),
            1
        );
        assert_eq!(
            count(
                &app.get_as(&format!("{path}?category=press"), &app.organizer)
                    .await
            ),
            1
        );
        assert_eq!(
            count(
                &app.get_as(&format!("{path}?session={workshop}"), &app.organizer)
                    .await
            ),
            3
        );
        // Search is case-insensitive, also for Cyrillic and Turkmen letters.
        let found = app
            .get_as(
                &format!("{path}?q=%D0%B4%D0%BC%D0%B8%D1%82%D1%80%D0%B8%D0%B9"),
                &app.organizer,
            )
            .await;
        assert_eq!(count(&found), 1, "{}", found.text);
        assert_eq!(
            count(&app.get_as(&format!("{path}?q=UNDP"), &app.organizer).await),
            1
        );
        assert_eq!(
            count(&app.get_as(&format!("{path}?q=AÝNA"), &app.organizer).await),
            1
        );
        // Pages.
        let first = app.get_as(&format!("{path}?limit=2"), &app.organizer).await;
        assert_eq!(count(&first), 2);
        let next = first.body["next_cursor"].as_str().unwrap();
        assert_eq!(
            count(
                &app.get_as(&format!("{path}?limit=2&cursor={next}"), &app.organizer)
                    .await
            ),
            1
        );
        // CSV with a byte order mark.
        let csv = app
            .get_with(
                &path,
                &[
                    ("Authorization", &format!("Bearer {}", app.organizer)),
                    ("Accept", "text/csv"),
                ],
            )
            .await;
        csv.expect(200);
        assert!(csv.header("content-type").unwrap().starts_with("text/csv"));
        assert!(csv.text.starts_with('\u{feff}'), "CSV starts with a BOM");
        assert!(csv.text.contains("Дмитрий Волков") && csv.text.contains("Aýna Berdiýewa"));
        assert_eq!(csv.text.lines().count(), 4);
        let one = app
            .get_as(
                &format!("{path}/{}", all.body["items"][0]["id"].as_str().unwrap()),
                &app.organizer,
            )
            .await;
        one.expect(200);
        app.get_as(
            &format!("{path}/01900000-0000-7000-8000-000000000000"),
            &app.organizer,
        )
        .await
        .expect_problem(404);
    }
);

db_test!(
    personal_data_never_reaches_public_endpoints,
    |app| async move {
        let event = event_with(&app, json!({})).await;
        session_with(&app, &event, json!({})).await;
        register(&app, &event, delegate("private.person@example.org", &[]))
            .await
            .expect(201);
        for path in [
            format!("/api/v1/events/{event}"),
            format!("/api/v1/events/{event}/agenda"),
            format!("/api/v1/events/{event}/sessions"),
            "/api/v1/events".to_owned(),
        ] {
            let reply = app.get(&path).await;
            assert!(
                !reply.text.contains("private.person"),
                "{path} leaks personal data"
            );
        }
    }
);

/// Sets one column of an event straight in the database: no request, so on SQLite nothing
/// empties the application's event cache, and on PostgreSQL no change is announced.
async fn set_event_column(
    app: &TestApp,
    event: &str,
    column: entities::events::Column,
    value: sea_orm::Value,
) {
    use sea_orm::sea_query::Expr;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let id: uuid::Uuid = event.parse().expect("event id");
    entities::events::Entity::update_many()
        .col_expr(column, Expr::value(value))
        .filter(entities::events::Column::Id.eq(id))
        .exec(&app.state.writer)
        .await
        .expect("update the event");
}

db_test!(
    registration_decides_from_the_event_row_of_its_transaction,
    |app| async move {
        use entities::events::Column;
        let event = event_with(&app, json!({"capacity": 1, "waitlist_enabled": true})).await;
        register(&app, &event, delegate("first@example.org", &[]))
            .await
            .expect(201);
        // The application must hold the event in its cache (on PostgreSQL only once it
        // listens for changes): the request then sees the old row.
        for _ in 0..50 {
            if app.state.heads.get(&event).is_some() {
                break;
            }
            app.get(&format!("/api/v1/events/{event}/agenda")).await;
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        assert!(
            app.state.heads.get(&event).is_some(),
            "precondition: a cached event"
        );

        set_event_column(&app, &event, Column::WaitlistEnabled, false.into()).await;
        register(&app, &event, delegate("wait@example.org", &[]))
            .await
            .expect_problem(409);

        set_event_column(&app, &event, Column::Capacity, sea_orm::Value::Int(None)).await;
        set_event_column(&app, &event, Column::RegistrationMode, "approval".into()).await;
        let reply = register(&app, &event, delegate("pending@example.org", &[])).await;
        reply.expect(201);
        assert_eq!(reply.body["status"], "pending", "{}", reply.text);

        set_event_column(&app, &event, Column::Status, "cancelled".into()).await;
        let reply = register(&app, &event, delegate("late@example.org", &[])).await;
        reply.expect_problem(409);
        assert!(
            reply.body["detail"]
                .as_str()
                .is_some_and(|d| d.contains("cancelled")),
            "{}",
            reply.text
        );

        assert!(
            app.state.heads.get(&event).is_some(),
            "the requests really saw the old event"
        );
        assert_eq!(app.count_rows("registrations").await, 2);
        assert_invariants(&app).await;
    }
);

db_test!(
    a_change_made_while_a_registration_waits_is_respected,
    |app| async move {
        use sea_orm::sea_query::Expr;
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, TransactionTrait};
        let event = event_with(&app, json!({})).await;
        let event_id: uuid::Uuid = event.parse().unwrap();
        let session = session_with(&app, &event, json!({"capacity": 5})).await;
        let session_id: uuid::Uuid = session.parse().unwrap();
        let other = app.other_connection().await;

        // An organizer cancels the session while the registration waits for the event's lock.
        let held = other.begin().await.unwrap();
        dialogue::store::seats::lock_event(&held, event_id)
            .await
            .unwrap();
        entities::sessions::Entity::update_many()
            .col_expr(entities::sessions::Column::Status, Expr::value("cancelled"))
            .filter(entities::sessions::Column::Id.eq(session_id))
            .exec(&held)
            .await
            .unwrap();
        let reply = crate::helpers::while_held(
            held,
            register(&app, &event, delegate("late@example.org", &[&session])),
        )
        .await;
        reply.expect_problem(422);
        assert_eq!(reply.error_fields(), ["session_ids"]);

        // An organizer cancels the event while the registration waits for its lock.
        let held = other.begin().await.unwrap();
        dialogue::store::seats::lock_event(&held, event_id)
            .await
            .unwrap();
        entities::events::Entity::update_many()
            .col_expr(entities::events::Column::Status, Expr::value("cancelled"))
            .filter(entities::events::Column::Id.eq(event_id))
            .exec(&held)
            .await
            .unwrap();
        let reply = crate::helpers::while_held(
            held,
            register(&app, &event, delegate("later@example.org", &[])),
        )
        .await;
        reply.expect_problem(409);

        assert_eq!(app.count_rows("registrations").await, 0);
        assert_invariants(&app).await;
    }
);

db_test!(
    a_failed_registration_group_is_logged_with_its_cause,
    |app| async move {
        use sea_orm::TransactionTrait;
        let logs = crate::helpers::logs();
        let event = event_with(&app, json!({"capacity": 10})).await;
        // While another connection holds the event's lock, the queue's first registration
        // waits alone for it and the others gather into the next group, which holds a
        // repeated e-mail address whichever went first: that group fails.
        let other = app.other_connection().await;
        let held = other.begin().await.unwrap();
        dialogue::store::seats::lock_event(&held, event.parse().unwrap())
            .await
            .unwrap();
        // The first one alone, the others together a moment later (while it waits), so they
        // gather into one group however busy the machine is.
        let bodies = [
            "a@example.org",
            "b@example.org",
            "twice@example.org",
            "twice@example.org",
        ]
        .map(|email| delegate(email, &[]));
        let replies = crate::helpers::while_held(held, async {
            let first = register(&app, &event, bodies[0].clone());
            let rest = async {
                tokio::time::sleep(std::time::Duration::from_millis(150)).await;
                futures::future::join_all(
                    bodies[1..]
                        .iter()
                        .map(|b| register(&app, &event, b.clone())),
                )
                .await
            };
            let (first, mut rest) = tokio::join!(first, rest);
            rest.insert(0, first);
            rest
        })
        .await;
        let mut statuses: Vec<u16> = replies.iter().map(|r| r.status.as_u16()).collect();
        statuses.sort_unstable();
        assert_eq!(statuses, [201, 201, 201, 409], "each answered as if alone");
        let text = logs.text();
        assert!(
            text.lines()
                .any(|line| line.contains("registration group refused")
                    && line.contains(&event)
                    && line.contains("already registered")),
            "the group's failure and its cause are logged:\n{text}"
        );
        assert_invariants(&app).await;
    }
);

db_test!(
    typed_text_is_trimmed_and_a_formula_behind_spaces_is_still_text,
    |app| async move {
        let event = event_with(&app, json!({})).await;
        let mut body = delegate("spaces@example.org", &[]);
        body["organization"] = json!("   =HYPERLINK(\"http://evil.example\",\"x\")");
        body["position"] = json!(" \u{a0}Head of unit  ");
        let made = register(&app, &event, body).await;
        made.expect(201);
        let id = made.body["id"].as_str().unwrap().to_owned();
        let path = format!("/api/v1/events/{event}/registrations");
        let read = app.get_as(&format!("{path}/{id}"), &app.organizer).await;
        assert_eq!(
            read.body["organization"],
            "=HYPERLINK(\"http://evil.example\",\"x\")"
        );
        assert_eq!(read.body["position"], "Head of unit");
        // A value stored untrimmed by an earlier release is guarded too.
        {
            use entities::registrations;
            use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};
            registrations::Entity::update_many()
                .col_expr(registrations::Column::Position, Expr::value("  +cmd|calc"))
                .filter(registrations::Column::Id.eq(id.parse::<uuid::Uuid>().unwrap()))
                .exec(&app.state.writer)
                .await
                .unwrap();
        }
        let csv = app
            .get_with(
                &path,
                &[
                    ("Authorization", &format!("Bearer {}", app.organizer)),
                    ("Accept", "text/csv"),
                ],
            )
            .await;
        csv.expect(200);
        assert!(csv.text.contains("'=HYPERLINK("), "{}", csv.text);
        assert!(csv.text.contains("'  +cmd|calc"), "{}", csv.text);
    }
);

db_test!(
    exports_and_searches_treat_typed_text_as_text,
    |app| async move {
        let event = event_with(&app, json!({})).await;
        let mut body = delegate("formula@example.org", &[]);
        body["full_name"] = json!("=1+2");
        body["organization"] = json!("@SUM(A1)");
        body["position"] = json!("-Head");
        let made = register(&app, &event, body).await;
        made.expect(201);
        register(&app, &event, delegate("plain@example.org", &[]))
            .await
            .expect(201);
        let path = format!("/api/v1/events/{event}/registrations");
        // The CSV shows what was typed, never a formula for the spreadsheet to run.
        let csv = app
            .get_with(
                &path,
                &[
                    ("Authorization", &format!("Bearer {}", app.organizer)),
                    ("Accept", "text/csv"),
                ],
            )
            .await;
        csv.expect(200);
        assert!(csv.text.contains(",'=1+2,"), "{}", csv.text);
        assert!(csv.text.contains(",'@SUM(A1),'-Head,"), "{}", csv.text);
        assert!(!csv.text.contains(",=1+2,"));
        // LIKE wildcards in a search match themselves, not everyone.
        let count = |reply: &crate::helpers::Reply| reply.body["items"].as_array().unwrap().len();
        assert_eq!(
            count(
                &app.get_as(&format!("{path}?q=%25%25"), &app.organizer)
                    .await
            ),
            0
        );
        assert_eq!(
            count(&app.get_as(&format!("{path}?q=_"), &app.organizer).await),
            0
        );
        assert_eq!(
            count(
                &app.get_as(&format!("{path}?q=%3D1%2B2"), &app.organizer)
                    .await
            ),
            1
        );
        let scanner = app.checkin_token(&event).await;
        let found = app
            .get_as(
                &format!("/api/v1/events/{event}/checkins/attendees?q=%25%25"),
                &scanner,
            )
            .await;
        found.expect(200);
        assert_eq!(count(&found), 0, "q=%% finds nobody");
        // A delegate's own calendar is for no shared cache.
        let calendar = made.body["calendar_url"].as_str().unwrap();
        let calendar = &calendar[calendar.find("/api/v1/").unwrap()..];
        let feed = app.get(calendar).await;
        feed.expect(200);
        assert_eq!(feed.header("cache-control"), Some("private, no-cache"));
    }
);
