//! Badges and check-in: every result code, forged codes, days and doors, exits, nonces,
//! offline batches, the offline kit, attendance, look-up, and the badge's QR code.

use poem::http::Method;
use serde_json::{Value, json};

use crate::db_test;
use crate::helpers::{Reply, TestApp};
use crate::registrations::{delegate, register};

/// A published event (two days) and a check-in token for it.
async fn venue(app: &TestApp, overrides: Value) -> (String, String) {
    let event = app.published_event(overrides).await;
    let id = event["id"].as_str().unwrap().to_owned();
    let scanner = app.checkin_token(&id).await;
    (id, scanner)
}

/// Registers a delegate; returns (registration id, manage token, badge code if confirmed).
async fn attendee(
    app: &TestApp,
    event: &str,
    email: &str,
    sessions: &[&str],
) -> (String, String, Option<String>) {
    let reply = register(app, event, delegate(email, sessions)).await;
    reply.expect(201);
    let id = reply.id();
    let token = reply.body["manage_token"].as_str().unwrap().to_owned();
    let me = app.get_as("/api/v1/registrations/me", &token).await;
    let code = me.body["badge_code"].as_str().map(str::to_owned);
    (id, token, code)
}

async fn scan(app: &TestApp, event: &str, token: &str, body: Value) -> Reply {
    app.call(
        Method::POST,
        &format!("/api/v1/events/{event}/checkins"),
        Some(token),
        Some(&body),
    )
    .await
}

fn at(day: u32, time: &str) -> String {
    format!("2026-11-{day:02}T{time}+05:00")
}

db_test!(venue_admits_once_per_local_day, |app| async move {
    let (event, scanner) = venue(&app, json!({})).await;
    let (id, _, code) = attendee(&app, &event, "a@example.org", &[]).await;
    let code = code.unwrap();
    let first = scan(
        &app,
        &event,
        &scanner,
        json!({"code": code, "device": "door-1", "scanned_at": at(18, "08:30:00")}),
    )
    .await;
    first.expect(200);
    assert_eq!(
        first.header("content-type"),
        Some("application/json; charset=utf-8")
    );
    assert_eq!(first.body["result"], "ok");
    assert_eq!(first.body["registration"]["id"], id.as_str());
    assert_eq!(first.body["registration"]["full_name"], "Aýna Berdiýewa");
    assert!(first.body["registration"].get("email").is_none());
    let again = scan(
        &app,
        &event,
        &scanner,
        json!({"code": code, "device": "door-2", "scanned_at": at(18, "12:00:00")}),
    )
    .await;
    again.expect(409);
    assert_eq!(again.body["result"], "already_checked_in");
    assert_eq!(again.body["first_checked_in_at"], at(18, "08:30:00"));
    // The next local day admits again, even just after local midnight (19:10 UTC on the 18th).
    let next_day = scan(
        &app,
        &event,
        &scanner,
        json!({"code": code, "device": "door-1", "scanned_at": "2026-11-18T19:10:00Z"}),
    )
    .await;
    next_day.expect(200);
    assert_eq!(app.count_rows("scans").await, 3, "every scan is logged");
});

db_test!(exit_allows_re_entry, |app| async move {
    let (event, scanner) = venue(&app, json!({})).await;
    let (_, _, code) = attendee(&app, &event, "a@example.org", &[]).await;
    let code = code.unwrap();
    let go = |direction: &'static str| {
        let body = json!({"code": code, "device": "door", "direction": direction});
        let (app, event, scanner) = (&app, &event, &scanner);
        async move { scan(app, event, scanner, body).await }
    };
    go("entry").await.expect(200);
    go("entry").await.expect(409);
    let out = go("exit").await;
    out.expect(200);
    assert_eq!(out.body["result"], "ok");
    go("entry").await.expect(200);
    go("entry").await.expect(409);
});

db_test!(every_refusal_has_its_result_code, |app| async move {
    let (event, scanner) = venue(&app, json!({"capacity": 1})).await;
    let (other_event, _) = venue(&app, json!({})).await;
    let workshop = app
        .create_session(&event, json!({"capacity": 5}))
        .await
        .id();
    let plenary = app
        .create_session(
            &event,
            json!({"starts_at": at(18, "11:00:00"), "ends_at": at(18, "12:00:00")}),
        )
        .await
        .id();
    let (_, token, confirmed) = attendee(&app, &event, "a@example.org", &[&plenary]).await;
    let confirmed = confirmed.unwrap();
    let (waiting_id, _, _) = attendee(&app, &event, "b@example.org", &[]).await;
    let (_, _, foreign) = attendee(&app, &other_event, "c@example.org", &[]).await;
    let check = |body: Value, status: u16, result: &'static str| {
        let (app, event, scanner) = (&app, &event, &scanner);
        async move {
            let reply = scan(app, event, scanner, body.clone()).await;
            reply.expect(status);
            assert_eq!(reply.body["result"], result, "{body}: {}", reply.text);
            reply
        }
    };
    // Not confirmed: the second delegate waits.
    let waiting_code = dialogue::api::badges::code_for(
        &app.state,
        event.parse().unwrap(),
        waiting_id.parse().unwrap(),
    );
    check(
        json!({"code": waiting_code, "device": "d"}),
        422,
        "not_confirmed",
    )
    .await;
    // Another event's badge.
    let wrong = check(
        json!({"code": foreign.unwrap(), "device": "d"}),
        422,
        "wrong_event",
    )
    .await;
    assert!(
        wrong.body["registration"].is_null(),
        "another event's delegate is not shown: {}",
        wrong.text
    );
    // A room door with a capacity: only delegates confirmed for that session.
    check(
        json!({"code": confirmed, "device": "d", "session_id": workshop}),
        422,
        "not_registered_for_session",
    )
    .await;
    // A session without capacity admits any confirmed delegate, once per session.
    check(
        json!({"code": confirmed, "device": "d", "session_id": plenary}),
        200,
        "ok",
    )
    .await;
    check(
        json!({"code": confirmed, "device": "d", "session_id": plenary}),
        409,
        "already_checked_in",
    )
    .await;
    // Cancelled: revoked.
    app.call(
        Method::DELETE,
        "/api/v1/registrations/me",
        Some(&token),
        None,
    )
    .await
    .expect(200);
    check(json!({"code": confirmed, "device": "d"}), 422, "revoked").await;
    // Forgeries and garbage are invalid, never a 500, and carry no registration.
    let mut changed: Vec<char> = confirmed.chars().collect();
    changed[40] = if changed[40] == 'A' { 'B' } else { 'A' };
    let other_key = ed25519_dalek::SigningKey::from_bytes(&[9u8; 32]);
    let forged = dialogue::domain::badge_code::issue(
        &other_key,
        1,
        event.parse().unwrap(),
        uuid::Uuid::now_v7(),
    );
    for code in [
        changed.into_iter().collect::<String>(),
        forged,
        "garbage".into(),
        String::new(),
        "D".repeat(10_000),
    ] {
        let reply = check(json!({"code": code, "device": "d"}), 404, "invalid").await;
        assert!(reply.body.get("registration").is_none());
    }
    // Every scan, refused ones too, is in the audit log.
    assert_eq!(app.count_rows("scans").await, 11);
});

db_test!(
    a_repeated_nonce_returns_the_first_answer,
    |app| async move {
        let (event, scanner) = venue(&app, json!({})).await;
        let (_, _, code) = attendee(&app, &event, "a@example.org", &[]).await;
        let body = json!({"code": code.unwrap(), "device": "door-1", "nonce": "scan-0001"});
        let first = scan(&app, &event, &scanner, body.clone()).await;
        first.expect(200);
        let retry = scan(&app, &event, &scanner, body.clone()).await;
        retry.expect(200);
        assert_eq!(first.body, retry.body);
        assert_eq!(
            app.count_rows("scans").await,
            1,
            "a retry records nothing new"
        );
        // The same nonce for another scan (another device, another badge) is refused as a
        // scanner's fault, decides nothing, and is still kept in the log.
        let (_, _, code_b) = attendee(&app, &event, "b@example.org", &[]).await;
        let mut other_device = body.clone();
        other_device["device"] = json!("door-2");
        let mut other_badge = body.clone();
        other_badge["code"] = json!(code_b.clone().unwrap());
        for (n, reused) in [other_device, other_badge].into_iter().enumerate() {
            let refused = scan(&app, &event, &scanner, reused).await;
            refused.expect_problem(422);
            assert_eq!(refused.error_fields(), ["nonce"]);
            assert!(refused.body.get("registration").is_none());
            assert_eq!(app.count_rows("scans").await, 2 + n as i64);
        }
        // The first answer still replays, word for word.
        let retry = scan(&app, &event, &scanner, body.clone()).await;
        assert_eq!(first.body, retry.body);
        // Badge b was not admitted by the refused scan; another token's nonces are its own.
        let second_scanner = app.checkin_token(&event).await;
        let mut b_elsewhere = body.clone();
        b_elsewhere["code"] = json!(code_b.unwrap());
        let admitted = scan(&app, &event, &second_scanner, b_elsewhere).await;
        admitted.expect(200);
        assert_eq!(admitted.body["result"], "ok");
        let a_elsewhere = scan(&app, &event, &second_scanner, {
            let mut again = body.clone();
            again["nonce"] = json!("scan-0002");
            again
        })
        .await;
        a_elsewhere.expect(409);
        assert_eq!(app.count_rows("scans").await, 5);
    }
);

db_test!(
    offline_scans_must_fall_within_the_event_days,
    |app| async move {
        // The event runs 18-19 November (Asia/Ashgabat): no day of slack either side, since
        // an offline time credits attendance towards certificates.
        let (event, scanner) = venue(&app, json!({})).await;
        let (_, _, code) = attendee(&app, &event, "a@example.org", &[]).await;
        let code = code.unwrap();
        for (when, status) in [
            (at(16, "23:00:00"), 422),
            ("2026-11-17T23:30:00+05:00".to_owned(), 422),
            ("2026-11-18T00:30:00+05:00".to_owned(), 200),
            (at(19, "23:30:00"), 200),
            ("2026-11-20T00:10:00+05:00".to_owned(), 422),
            ("2025-11-18T09:00:00+05:00".to_owned(), 422),
        ] {
            let reply = scan(
                &app,
                &event,
                &scanner,
                json!({"code": code, "device": "d", "scanned_at": when}),
            )
            .await;
            assert_eq!(reply.status.as_u16(), status, "{when}: {}", reply.text);
            if status == 422 {
                reply.expect_problem(422);
                assert_eq!(reply.error_fields(), ["scanned_at"]);
            }
        }
        assert_eq!(
            app.count_rows("scans").await,
            2,
            "refused fields record nothing"
        );
    }
);

db_test!(
    offline_scans_at_a_door_fall_on_its_session_day,
    |app| async move {
        // A session on the first day (09:00–10:00): its door cannot have admitted anyone on
        // the second day, nor can a scan there be dated to it.
        let (event, scanner) = venue(&app, json!({})).await;
        let session = app.create_session(&event, json!({})).await.id();
        let (_, _, code) = attendee(&app, &event, "a@example.org", &[]).await;
        let code = code.unwrap();
        let door = |when: String| json!({"code": code, "device": "d", "session_id": session, "scanned_at": when});
        let reply = scan(&app, &event, &scanner, door(at(19, "09:30:00"))).await;
        reply.expect_problem(422);
        assert_eq!(reply.error_fields(), ["scanned_at"]);
        assert_eq!(app.count_rows("scans").await, 0);
        scan(&app, &event, &scanner, door(at(18, "08:55:00")))
            .await
            .expect(200);
        assert_eq!(app.count_rows("scans").await, 1);
    }
);

db_test!(revocations_after_a_cursor_miss_nothing, |app| async move {
    let (event, scanner) = venue(&app, json!({})).await;
    let path = format!("/api/v1/events/{event}/checkins/revocations");
    let mut tokens = Vec::new();
    for n in 0..3 {
        let (id, token, _) = attendee(&app, &event, &format!("r{n}@example.org"), &[]).await;
        tokens.push((id, token));
    }
    let first = app.get_as(&path, &scanner).await;
    first.expect(200);
    assert_eq!(first.body["revoked"], json!([]));
    let mut cursor = first.body["cursor"].as_i64().unwrap();
    for (id, token) in &tokens {
        app.call(
            Method::DELETE,
            "/api/v1/registrations/me",
            Some(token),
            None,
        )
        .await
        .expect(200);
        let next = app
            .get_as(&format!("{path}?after={cursor}"), &scanner)
            .await;
        next.expect(200);
        let revoked: Vec<&str> = next.body["revoked"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["registration_id"].as_str().unwrap())
            .collect();
        assert_eq!(revoked, [id.as_str()], "exactly the one revoked since");
        let new_cursor = next.body["cursor"].as_i64().unwrap();
        assert!(new_cursor > cursor);
        cursor = new_cursor;
    }
    let nothing_new = app
        .get_as(&format!("{path}?after={cursor}"), &scanner)
        .await;
    assert_eq!(nothing_new.body["revoked"], json!([]));
    assert_eq!(nothing_new.body["cursor"].as_i64(), Some(cursor));
    let all = app.get_as(&path, &scanner).await;
    assert_eq!(all.body["revoked"].as_array().unwrap().len(), 3);
});

db_test!(
    offline_batches_keep_the_earliest_admission,
    |app| async move {
        let (event, scanner) = venue(&app, json!({})).await;
        let (_, _, code) = attendee(&app, &event, "a@example.org", &[]).await;
        let (_, _, code2) = attendee(&app, &event, "b@example.org", &[]).await;
        let (code, code2) = (code.unwrap(), code2.unwrap());
        let batch = |scans: Value| {
            let (app, event, scanner) = (&app, &event, &scanner);
            async move {
                app.call(
                    Method::POST,
                    &format!("/api/v1/events/{event}/checkins/batch"),
                    Some(scanner),
                    Some(&json!({"scans": scans})),
                )
                .await
            }
        };
        // Device B uploads first: its 10:05 scan admits.
        let b =
            batch(json!([{"code": code, "device": "B", "scanned_at": at(18, "10:05:00")}])).await;
        b.expect(200);
        assert_eq!(b.body["results"][0]["status"], 200);
        // Device A made an earlier scan (10:01) and one of another badge, listed out of order.
        let a = batch(json!([
            {"code": code2, "device": "A", "scanned_at": at(18, "10:30:00")},
            {"code": code, "device": "A", "scanned_at": at(18, "10:01:00")},
            {"code": "garbage", "device": "A", "scanned_at": at(18, "10:02:00")}
        ]))
        .await;
        a.expect(200);
        let results = a.body["results"].as_array().unwrap();
        assert_eq!(results.len(), 3);
        assert_eq!(results[0]["answer"]["result"], "ok");
        assert_eq!(results[1]["answer"]["result"], "ok");
        assert_eq!(
            results[1]["answer"]["first_checked_in_at"],
            at(18, "10:01:00")
        );
        assert_eq!(results[2]["status"], 404);
        // The later scan of device B is now recorded as a duplicate.
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
        let scans = entities::scans::Entity::find()
            .filter(entities::scans::Column::Device.eq("B"))
            .all(&app.state.db)
            .await
            .unwrap();
        assert_eq!(scans[0].result.as_str(), "already_checked_in");
        assert!(!scans[0].admission);
        let admissions = entities::scans::Entity::find()
            .filter(entities::scans::Column::Admission.eq(true))
            .all(&app.state.db)
            .await
            .unwrap();
        assert_eq!(admissions.len(), 2, "one admission per badge");
        // A later online-style scan that day is a duplicate naming the earliest time.
        let later = scan(
            &app,
            &event,
            &scanner,
            json!({"code": code, "device": "C", "scanned_at": at(18, "11:00:00")}),
        )
        .await;
        later.expect(409);
        assert_eq!(later.body["first_checked_in_at"], at(18, "10:01:00"));
        // Too many scans in one batch are refused whole.
        let many: Vec<Value> = (0..1001)
            .map(|_| json!({"code": "x", "device": "A"}))
            .collect();
        batch(Value::Array(many)).await.expect_problem(422);
    }
);

db_test!(
    offline_kit_verifies_codes_and_lists_revocations,
    |app| async move {
        let (event, scanner) = venue(&app, json!({})).await;
        let (_, token, code) = attendee(&app, &event, "a@example.org", &[]).await;
        let code = code.unwrap();
        let kit = app
            .get_as(&format!("/api/v1/events/{event}/checkins/keys"), &scanner)
            .await;
        kit.expect(200);
        let key = &kit.body["keys"][0];
        assert_eq!(key["algorithm"], "Ed25519");
        assert_eq!(key["active"], true);
        // Verify the code offline with nothing but the published key and format.
        let public: [u8; 32] = hex::decode(key["public_key"].as_str().unwrap())
            .unwrap()
            .try_into()
            .unwrap();
        let public = ed25519_dalek::VerifyingKey::from_bytes(&public).unwrap();
        let kid = key["kid"].as_u64().unwrap() as u8;
        let claims =
            dialogue::domain::badge_code::verify(&code, |k| (k == kid).then_some(public)).unwrap();
        assert_eq!(
            hex::encode(claims.event_tag),
            kit.body["event_tag"].as_str().unwrap()
        );
        // Revocations: none, then the cancelled badge.
        let path = format!("/api/v1/events/{event}/checkins/revocations");
        let before = app.get_as(&path, &scanner).await;
        before.expect(200);
        assert_eq!(before.body["revoked"].as_array().unwrap().len(), 0);
        let as_of = before.body["as_of"].as_str().unwrap().to_owned();
        app.call(
            Method::DELETE,
            "/api/v1/registrations/me",
            Some(&token),
            None,
        )
        .await
        .expect(200);
        let after = app
            .get_as(
                &format!("{path}?since={}", as_of.replace('+', "%2B")),
                &scanner,
            )
            .await;
        after.expect(200);
        assert_eq!(
            after.body["revoked"][0]["registration_id"],
            claims.registration_id.to_string()
        );
        assert_eq!(after.body["revoked"][0]["status"], "cancelled");
        let later = app
            .get_as(
                &format!("{path}?since=2099-01-01T00:00:00%2B05:00"),
                &scanner,
            )
            .await;
        assert_eq!(later.body["revoked"].as_array().unwrap().len(), 0);
    }
);

db_test!(attendance_and_look_up_by_name, |app| async move {
    let (event, scanner) = venue(&app, json!({})).await;
    let session = app
        .create_session(&event, json!({"capacity": 10}))
        .await
        .id();
    let (_, _, a) = attendee(&app, &event, "aygul@example.org", &[&session]).await;
    let (_, _, b) = attendee(&app, &event, "merdan@example.org", &[]).await;
    let (a, b) = (a.unwrap(), b.unwrap());
    scan(
        &app,
        &event,
        &scanner,
        json!({"code": a, "device": "d", "scanned_at": at(18, "09:00:00")}),
    )
    .await
    .expect(200);
    scan(
        &app,
        &event,
        &scanner,
        json!({"code": b, "device": "d", "scanned_at": at(18, "09:01:00")}),
    )
    .await
    .expect(200);
    scan(
        &app,
        &event,
        &scanner,
        json!({"code": b, "device": "d", "direction": "exit", "scanned_at": at(18, "12:00:00")}),
    )
    .await
    .expect(200);
    scan(
        &app,
        &event,
        &scanner,
        json!({"code": a, "device": "d", "session_id": session, "scanned_at": at(18, "09:05:00")}),
    )
    .await
    .expect(200);
    let stats = app
        .get_as(&format!("/api/v1/events/{event}/checkins/stats"), &scanner)
        .await;
    stats.expect(200);
    let day = &stats.body["days"][0];
    assert_eq!(day["date"], "2026-11-18");
    assert_eq!(
        (
            day["confirmed"].as_i64(),
            day["checked_in"].as_i64(),
            day["inside"].as_i64()
        ),
        (Some(2), Some(2), Some(1))
    );
    assert_eq!(stats.body["days"][1]["checked_in"], 0);
    let door = &stats.body["sessions"][0];
    assert_eq!(
        (
            door["confirmed"].as_i64(),
            door["checked_in"].as_i64(),
            door["inside"].as_i64()
        ),
        (Some(1), Some(1), Some(1))
    );
    // Look-up by name: no e-mail in the answer, and e-mail is not searchable.
    let found = app
        .get_as(
            &format!("/api/v1/events/{event}/checkins/attendees?q=berdi"),
            &scanner,
        )
        .await;
    found.expect(200);
    assert_eq!(found.body["items"].as_array().unwrap().len(), 2);
    assert!(!found.text.contains("@example.org"));
    let by_email = app
        .get_as(
            &format!("/api/v1/events/{event}/checkins/attendees?q=aygul%40"),
            &scanner,
        )
        .await;
    assert_eq!(by_email.body["items"].as_array().unwrap().len(), 0);
    app.get_as(
        &format!("/api/v1/events/{event}/checkins/attendees?q=a"),
        &scanner,
    )
    .await
    .expect_problem(422);
});

db_test!(scanner_tokens_work_only_for_their_event, |app| async move {
    let (event, scanner) = venue(&app, json!({})).await;
    let (other, other_scanner) = venue(&app, json!({})).await;
    let (_, manage, code) = attendee(&app, &event, "a@example.org", &[]).await;
    let body = json!({"code": code.unwrap(), "device": "d"});
    scan(&app, &event, &other_scanner, body.clone())
        .await
        .expect_problem(403);
    scan(&app, &event, &manage, body.clone())
        .await
        .expect_problem(403);
    app.call(
        Method::POST,
        &format!("/api/v1/events/{event}/checkins"),
        None,
        Some(&body),
    )
    .await
    .expect_problem(401);
    for path in ["keys", "revocations", "stats", "attendees?q=ay"] {
        app.get_as(
            &format!("/api/v1/events/{event}/checkins/{path}"),
            &other_scanner,
        )
        .await
        .expect_problem(403);
        app.get(&format!("/api/v1/events/{event}/checkins/{path}"))
            .await
            .expect_problem(401);
    }
    // Organizers may scan anywhere; the event's own token works.
    scan(
        &app,
        &other,
        &app.organizer,
        json!({"code": "garbage", "device": "d"}),
    )
    .await
    .expect(404);
    scan(&app, &event, &scanner, body).await.expect(200);
    assert_eq!(
        app.count_rows("scans").await,
        2,
        "refused tokens log nothing"
    );
});

db_test!(badge_png_qr_decodes_to_the_code, |app| async move {
    let (event, _) = venue(&app, json!({"title": "Sanly hyzmatdaşlyk boýunça Dialog"})).await;
    let (id, token, code) = attendee(&app, &event, "a@example.org", &[]).await;
    let code = code.unwrap();
    let png = app
        .client
        .get("/api/v1/registrations/me/badge.png")
        .header("Authorization", format!("Bearer {token}"))
        .send()
        .await
        .0;
    assert_eq!(png.status().as_u16(), 200);
    assert_eq!(png.content_type(), Some("image/png"));
    let bytes = png.into_body().into_bytes().await.unwrap();
    let image = image::load_from_memory(&bytes).unwrap().to_luma8();
    let mut prepared = rqrr::PreparedImage::prepare(image);
    let grids = prepared.detect_grids();
    assert_eq!(grids.len(), 1, "one QR code on the badge");
    let (meta, content) = grids[0].decode().unwrap();
    assert_eq!(content, code, "the QR holds exactly the badge code");
    assert!(
        meta.version.0 <= 6,
        "QR version {} is at most 6",
        meta.version.0
    );
    assert_eq!(meta.ecc_level, 0, "error correction M");
    // The SVG shows the name and no e-mail; organizers get the same badge.
    let svg = app
        .get_as("/api/v1/registrations/me/badge.svg", &token)
        .await;
    svg.expect(200);
    assert!(svg.text.contains("Aýna Berdiýewa") && !svg.text.contains("a@example.org"));
    let organizer = app
        .get_as(
            &format!("/api/v1/events/{event}/registrations/{id}/badge.svg"),
            &app.organizer,
        )
        .await;
    organizer.expect(200);
    // Only confirmed registrations have a badge.
    let (_, _, _) = attendee(&app, &event, "b@example.org", &[]).await;
    app.call(
        Method::DELETE,
        "/api/v1/registrations/me",
        Some(&token),
        None,
    )
    .await
    .expect(200);
    app.get_as("/api/v1/registrations/me/badge.png", &token)
        .await
        .expect_problem(409);
    app.get_as(
        &format!("/api/v1/events/{event}/registrations/{id}/badge.png"),
        &app.organizer,
    )
    .await
    .expect_problem(409);
});

db_test!(
    one_group_decides_mixed_scans_like_single_ones,
    |app| async move {
        // Scans uploaded together are decided in one transaction: first admissions,
        // re-entries, leaves, doors, refusals, a badge twice and a nonce twice.
        let (event, scanner) = venue(&app, json!({})).await;
        let workshop = app
            .create_session(&event, json!({"capacity": 5}))
            .await
            .id();
        let (a, _, code_a) = attendee(&app, &event, "a@example.org", &[&workshop]).await;
        let (_, _, code_b) = attendee(&app, &event, "b@example.org", &[]).await;
        let (_, _, code_c) = attendee(&app, &event, "c@example.org", &[]).await;
        let (code_a, code_b, code_c) = (code_a.unwrap(), code_b.unwrap(), code_c.unwrap());
        // Before the group: a is in, c came and left.
        for (code, direction) in [(&code_a, "entry"), (&code_c, "entry"), (&code_c, "exit")] {
            let body = json!({"code": code, "device": "d", "direction": direction});
            scan(&app, &event, &scanner, body).await.expect(200);
        }
        let reply = app
            .call(
                Method::POST,
                &format!("/api/v1/events/{event}/checkins/batch"),
                Some(&scanner),
                Some(&json!({"scans": [
                    {"code": code_a, "device": "g"},
                    {"code": code_b, "device": "g", "nonce": "n1"},
                    {"code": code_b, "device": "g"},
                    {"code": code_c, "device": "g"},
                    {"code": code_a, "device": "g", "direction": "exit"},
                    {"code": code_a, "device": "g", "session_id": workshop},
                    {"code": code_b, "device": "g", "session_id": workshop},
                    {"code": "D1\u{0}\u{7}garbage", "device": "g"},
                    {"code": code_b, "device": "g", "nonce": "n1"},
                    {"code": code_b, "device": "", "nonce": "n2"}
                ]})),
            )
            .await;
        reply.expect(200);
        let results: Vec<(u64, String)> = reply.body["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                let result = r["answer"]["result"].as_str().unwrap_or("problem");
                (r["status"].as_u64().unwrap(), result.to_owned())
            })
            .collect();
        let expected = [
            (409, "already_checked_in"),
            (200, "ok"),
            (409, "already_checked_in"),
            (200, "ok"),
            (200, "ok"),
            (200, "ok"),
            (422, "not_registered_for_session"),
            (404, "invalid"),
            (200, "ok"),
            (422, "problem"),
        ];
        let expected: Vec<(u64, String)> = expected
            .iter()
            .map(|(s, r)| (*s, (*r).to_owned()))
            .collect();
        assert_eq!(results, expected, "{}", reply.text);
        let answers = reply.body["results"].as_array().unwrap();
        // The repeated nonce got the first answer, word for word, and was not recorded again.
        assert_eq!(answers[8]["answer"], answers[1]["answer"]);
        assert_eq!(answers[0]["answer"]["registration"]["id"], a.as_str());
        assert!(answers[7]["answer"].get("registration").is_none());
        // 3 single scans, and 8 of the group (the repeated nonce and the bad field are not).
        assert_eq!(app.count_rows("scans").await, 11);
        // The venue scope is today's date (outside the event's days, so not in the stats).
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
        let venue_rows = entities::presence::Entity::find()
            .filter(entities::presence::Column::Scope.starts_with("day:"))
            .all(&app.state.db)
            .await
            .unwrap();
        let inside = venue_rows.iter().filter(|p| p.inside).count();
        // Three admitted at the venue; a left, c came back, b is in.
        assert_eq!((venue_rows.len(), inside), (3, 2));
        let stats = app
            .get_as(&format!("/api/v1/events/{event}/checkins/stats"), &scanner)
            .await;
        stats.expect(200);
        let door = stats.body["sessions"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["session_id"] == workshop.as_str())
            .unwrap()
            .clone();
        assert_eq!(
            (door["checked_in"].as_i64(), door["inside"].as_i64()),
            (Some(1), Some(1))
        );
    }
);
