//! Hardening of registrations: an address is unique among live registrations only, a delegate
//! replaces a leaked manage token, organizers erase a delegate's personal data, and
//! idempotency keys are long enough, expire and are purged.

use poem::http::Method;
use serde_json::{Value, json};

use crate::db_test;
use crate::helpers::TestApp;
use crate::registrations::{assert_invariants, delegate, register};

/// Makes idempotency records (all, or the one of `key`) a day and an hour old.
async fn age_idempotency_records(app: &TestApp, key: Option<&str>) {
    use entities::idempotency_keys::{Column, Entity};
    use sea_orm::sea_query::Expr;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let old = chrono::Utc::now() - chrono::Duration::hours(25);
    let mut update = Entity::update_many().col_expr(Column::CreatedAt, Expr::value(old));
    if let Some(key) = key {
        update = update.filter(Column::Key.eq(key));
    }
    update.exec(&app.state.writer).await.expect("aged");
}

async fn me(app: &TestApp, token: &str) -> crate::helpers::Reply {
    app.get_as("/api/v1/registrations/me", token).await
}

db_test!(a_cancelled_address_can_register_again, |app| async move {
    let event = app.published_event(json!({})).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let first = register(&app, &event, delegate("victim@example.org", &[])).await;
    first.expect(201);
    let token = first.body["manage_token"].as_str().unwrap().to_owned();
    // While it is live the address is taken, in any letter case.
    register(&app, &event, delegate("Victim@Example.org", &[]))
        .await
        .expect_problem(409);
    app.call(
        Method::DELETE,
        "/api/v1/registrations/me",
        Some(&token),
        None,
    )
    .await
    .expect(200);
    // Cancelled: the owner of the address registers again, and is then taken again.
    let again = register(&app, &event, delegate("victim@example.org", &[])).await;
    again.expect(201);
    assert_ne!(again.id(), first.id());
    register(&app, &event, delegate("victim@example.org", &[]))
        .await
        .expect_problem(409);
    // A rejected address too.
    app.post(
        &format!("/api/v1/events/{event}/registrations/{}/reject", again.id()),
        Value::Null,
    )
    .await
    .expect(200);
    register(&app, &event, delegate("victim@example.org", &[]))
        .await
        .expect(201);
    assert_eq!(app.count_rows("registrations").await, 3);
    assert_invariants(&app).await;
});

db_test!(
    a_delegate_replaces_a_leaked_manage_token,
    |app| async move {
        let event = app.published_event(json!({})).await["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let reply = register(&app, &event, delegate("leak@example.org", &[])).await;
        let old = reply.body["manage_token"].as_str().unwrap().to_owned();
        let path = "/api/v1/registrations/me/manage-token";
        // Only with the manage token itself.
        app.call(Method::POST, path, None, None)
            .await
            .expect_problem(401);
        app.call(Method::POST, path, Some(&app.organizer), None)
            .await
            .expect_problem(403);
        let replaced = app.call(Method::POST, path, Some(&old), None).await;
        replaced.expect(200);
        let new = replaced.body["manage_token"].as_str().unwrap().to_owned();
        assert_ne!(new, old);
        assert!(new.starts_with("dlg_reg_"));
        assert!(
            replaced.body["manage_url"]
                .as_str()
                .unwrap()
                .ends_with(&format!("/r/{new}"))
        );
        me(&app, &old).await.expect_problem(401);
        me(&app, &new).await.expect(200);
        // The link in e-mails carries the new token: the /r/ link of the old one is gone.
        let old_link = app.get(&format!("/r/{old}")).await;
        assert_eq!(old_link.status.as_u16(), 404);
        let new_link = app.get(&format!("/r/{new}")).await;
        assert_eq!(new_link.status.as_u16(), 303);
        // Replacing again retires the second token as well.
        let third = app.call(Method::POST, path, Some(&new), None).await;
        third.expect(200);
        me(&app, &new).await.expect_problem(401);
        me(&app, third.body["manage_token"].as_str().unwrap())
            .await
            .expect(200);
    }
);

db_test!(
    organizers_erase_a_delegates_personal_data,
    |app| async move {
        let event = app
            .published_event(json!({"capacity": 1, "waitlist_enabled": true}))
            .await["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let mut body = delegate("erase.me@example.org", &[]);
        body["full_name"] = json!("Döwlet Erasable");
        body["organization"] = json!("Secret Agency");
        let erased = register(&app, &event, body).await;
        erased.expect(201);
        let id = erased.id();
        let token = erased.body["manage_token"].as_str().unwrap().to_owned();
        let code = me(&app, &token).await.body["badge_code"]
            .as_str()
            .unwrap()
            .to_owned();
        let waiting = register(&app, &event, delegate("next@example.org", &[])).await;
        assert_eq!(waiting.body["status"], "waitlisted");
        let scanner = app.checkin_token(&event).await;
        let scan = |code: String| {
            let (app, event, scanner) = (&app, &event, &scanner);
            async move {
                app.call(
                    Method::POST,
                    &format!("/api/v1/events/{event}/checkins"),
                    Some(scanner),
                    Some(&json!({"code": code, "device": "door",
                                 "scanned_at": "2026-11-18T09:00:00+05:00"})),
                )
                .await
            }
        };
        scan(code.clone()).await.expect(200);
        let path = format!("/api/v1/events/{event}/registrations/{id}");
        // Only organizers erase.
        app.call(Method::DELETE, &path, None, None)
            .await
            .expect_problem(401);
        app.call(Method::DELETE, &path, Some(&scanner), None)
            .await
            .expect_problem(403);
        app.call(Method::DELETE, &path, Some(&token), None)
            .await
            .expect_problem(403);
        let outbox_before = app.count_rows("outbox").await;
        let registrations_before = app.count_rows("registrations").await;
        app.delete(&path).await.expect(204);
        // Erasing again changes nothing.
        app.delete(&path).await.expect(204);
        app.delete(&format!(
            "/api/v1/events/{event}/registrations/{}",
            uuid::Uuid::new_v4()
        ))
        .await
        .expect_problem(404);

        // The seat went to the delegate waiting, who is told; the erased one is told nothing.
        let next = app
            .get(&format!(
                "/api/v1/events/{event}/registrations/{}",
                waiting.id()
            ))
            .await;
        assert_eq!(next.status.as_u16(), 401, "organizer only");
        let next = app
            .get_as(
                &format!("/api/v1/events/{event}/registrations/{}", waiting.id()),
                &app.organizer,
            )
            .await;
        assert_eq!(next.body["status"], "confirmed");
        assert_eq!(app.count_rows("outbox").await, outbox_before + 1);
        // Counts stay; the name, e-mail and organization are gone from every answer.
        assert_eq!(app.count_rows("registrations").await, registrations_before);
        let row = app.get_as(&path, &app.organizer).await;
        row.expect(200);
        assert_eq!(row.body["status"], "cancelled");
        let everything = format!(
            "{}{}{}",
            row.text,
            app.get_as(
                &format!("/api/v1/events/{event}/registrations"),
                &app.organizer
            )
            .await
            .text,
            app.get_with(
                &format!("/api/v1/events/{event}/registrations"),
                &[
                    ("Accept", "text/csv"),
                    ("Authorization", &format!("Bearer {}", app.organizer))
                ]
            )
            .await
            .text
        );
        for personal in ["Döwlet", "Erasable", "erase.me", "Secret Agency"] {
            assert!(!everything.contains(personal), "{personal} still shown");
        }
        let found = app
            .get_as(
                &format!("/api/v1/events/{event}/registrations?q=erasable"),
                &app.organizer,
            )
            .await;
        assert_eq!(found.body["items"], json!([]));
        // The manage token and the badge stop working; the scan log keeps the admission.
        me(&app, &token).await.expect_problem(401);
        let refused = scan(code).await;
        refused.expect(422);
        assert_eq!(refused.body["result"], "revoked");
        assert!(!refused.text.contains("Döwlet"));
        let stats = app
            .get_as(&format!("/api/v1/events/{event}/checkins/stats"), &scanner)
            .await;
        assert_eq!(stats.body["days"][0]["checked_in"], 1, "{}", stats.text);
        // The messages written to the erased address were not sent and forgot it.
        let outbox = app
            .get_as(&format!("/api/v1/events/{event}/outbox"), &app.organizer)
            .await;
        let theirs: Vec<&Value> = outbox.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|m| m["registration_id"] == id.as_str())
            .collect();
        assert!(!theirs.is_empty());
        for message in theirs {
            assert_eq!(message["status"], "failed", "{message}");
            assert_eq!(message["last_error"], "the registration no longer exists");
            assert!(!message.to_string().contains("erase.me"), "{message}");
        }
        // The address may register again.
        register(&app, &event, delegate("erase.me@example.org", &[]))
            .await
            .expect(201);
        assert_invariants(&app).await;
    }
);

db_test!(
    idempotency_keys_are_long_expire_and_are_purged,
    |app| async move {
        let event = app.published_event(json!({})).await["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let send = |key: &'static str, email: &'static str| {
            let (app, event) = (&app, &event);
            async move {
                let response = app
                    .client
                    .post(format!("/api/v1/events/{event}/registrations"))
                    .header("Idempotency-Key", key)
                    .body_json(&delegate(email, &[]))
                    .send()
                    .await
                    .0;
                crate::helpers::read(response).await
            }
        };
        let short = send("retry-1", "short@example.org").await;
        short.expect_problem(422);
        assert_eq!(short.error_fields(), ["Idempotency-Key"]);
        assert_eq!(app.count_rows("registrations").await, 0);

        let key = "9b2f0c55-retry-4e1a";
        send(key, "first@example.org").await.expect(201);
        // Within the day the key is bound to its first request.
        send(key, "second@example.org").await.expect_problem(422);
        // A day and an hour later it has expired: the same key is a new request.
        age_idempotency_records(&app, None).await;
        send(key, "second@example.org").await.expect(201);
        assert_eq!(app.count_rows("registrations").await, 2);
        assert_eq!(app.count_rows("idempotency_keys").await, 1);
        // The purge removes expired records and keeps fresh ones.
        send("0c7d1e2f-purge-5a6b", "third@example.org")
            .await
            .expect(201);
        age_idempotency_records(&app, Some(key)).await;
        let purged = dialogue::app::retention::purge(&app.state).await.unwrap();
        assert_eq!(purged.idempotency_keys, 1);
        assert_eq!(app.count_rows("idempotency_keys").await, 1);
    }
);

db_test!(
    a_group_commit_whose_answer_was_lost_is_read_back_not_redone,
    |app| async move {
        let event = app.published_event(json!({"capacity": null})).await["id"]
            .as_str()
            .unwrap()
            .to_owned();
        // Registrations: the group commits, its answer is lost; each delegate still gets
        // their registration (not a 409 for their own address), made once.
        app.state.registrations.lose_next_commit_answer();
        let mut answered = Vec::new();
        for round in 0..20 {
            let replies = futures::future::join_all((0..8).map(|n| {
                register(
                    &app,
                    &event,
                    delegate(&format!("lost{round}-{n}@example.org"), &[]),
                )
            }))
            .await;
            answered.extend(replies);
            if !app.state.registrations.commit_answer_still_to_lose() {
                break;
            }
        }
        assert!(
            !app.state.registrations.commit_answer_still_to_lose(),
            "no group of registrations formed"
        );
        for reply in &answered {
            reply.expect(201);
            me(&app, reply.body["manage_token"].as_str().unwrap())
                .await
                .expect(200);
        }
        assert_eq!(app.count_rows("registrations").await, answered.len() as i64);

        // Scans: the same; each badge is admitted once and answered `ok`, one row each.
        let scanner = app.checkin_token(&event).await;
        let mut codes = Vec::new();
        for reply in &answered {
            let token = reply.body["manage_token"].as_str().unwrap();
            codes.push(
                me(&app, token).await.body["badge_code"]
                    .as_str()
                    .unwrap()
                    .to_owned(),
            );
        }
        app.state.scans.lose_next_commit_answer();
        // One upload is one group.
        let scans: Vec<Value> = codes
            .iter()
            .map(|code| {
                json!({"code": code, "device": "door",
                       "scanned_at": "2026-11-18T09:00:00+05:00"})
            })
            .collect();
        let batch = app
            .call(
                Method::POST,
                &format!("/api/v1/events/{event}/checkins/batch"),
                Some(&scanner),
                Some(&json!({ "scans": scans })),
            )
            .await;
        batch.expect(200);
        let results = batch.body["results"].as_array().unwrap();
        assert_eq!(results.len(), codes.len());
        for item in results {
            assert_eq!(item["status"], 200, "{item}");
            assert_eq!(item["answer"]["result"], "ok", "{item}");
        }
        let scanned = codes.len() as i64;
        assert!(
            !app.state.scans.commit_answer_still_to_lose(),
            "the upload was decided as a group"
        );
        assert_eq!(app.count_rows("scans").await, scanned);
        assert_eq!(app.count_rows("presence").await, scanned);
    }
);
