//! Seats under concurrency: many delegates at once, on PostgreSQL through two application
//! instances (two pools) sharing one database, and on SQLite through one instance.

use std::sync::Arc;

use poem::http::Method;
use serde_json::{Value, json};

use crate::helpers::{Backend, TestApp, run};
use crate::registrations::{assert_invariants, delegate};

/// Application instances on one database: two on PostgreSQL, one on SQLite.
async fn instances(db: &crate::helpers::TestDb) -> Vec<Arc<TestApp>> {
    let count = if db.backend == Backend::Postgres {
        2
    } else {
        1
    };
    let mut apps = Vec::new();
    for _ in 0..count {
        apps.push(Arc::new(db.app().await));
    }
    apps
}

/// Sends `bodies` as registrations all at once, spread over the instances.
async fn register_all(apps: &[Arc<TestApp>], event: &str, bodies: Vec<Value>) -> Vec<(u16, Value)> {
    let mut tasks = Vec::new();
    for (n, body) in bodies.into_iter().enumerate() {
        let app = apps[n % apps.len()].clone();
        let path = format!("/api/v1/events/{event}/registrations");
        tasks.push(tokio::spawn(async move {
            let reply = app.call(Method::POST, &path, None, Some(&body)).await;
            (reply.status.as_u16(), reply.body)
        }));
    }
    let mut replies = Vec::new();
    for task in tasks {
        replies.push(task.await.expect("task"));
    }
    replies
}

fn statuses(replies: &[(u16, Value)]) -> (usize, usize, usize) {
    let count = |s: &str| replies.iter().filter(|(_, b)| b["status"] == s).count();
    let failed = replies.iter().filter(|(status, _)| *status != 201).count();
    (count("confirmed"), count("waitlisted"), failed)
}

async fn two_hundred_delegates_for_fifty_seats(db: crate::helpers::TestDb) {
    let apps = instances(&db).await;
    let event = apps[0].published_event(json!({"capacity": 50})).await;
    let event = event["id"].as_str().unwrap().to_owned();
    let bodies = (0..200)
        .map(|n| delegate(&format!("d{n}@example.org"), &[]))
        .collect();
    let replies = register_all(&apps, &event, bodies).await;
    let failures: Vec<_> = replies.iter().filter(|(s, _)| *s != 201).collect();
    assert!(failures.is_empty(), "no request may fail: {failures:?}");
    assert_eq!(statuses(&replies), (50, 150, 0));
    assert_invariants(&apps[0]).await;
}

async fn sixty_sign_ups_for_ten_session_seats(db: crate::helpers::TestDb) {
    let apps = instances(&db).await;
    let event = apps[0].published_event(json!({"capacity": null})).await;
    let event = event["id"].as_str().unwrap().to_owned();
    let session = apps[0]
        .create_session(&event, json!({"capacity": 10}))
        .await;
    let session = session.id();
    let bodies = (0..60)
        .map(|n| delegate(&format!("s{n}@example.org"), &[&session]))
        .collect();
    let replies = register_all(&apps, &event, bodies).await;
    assert_eq!(statuses(&replies), (60, 0, 0), "every registration stands");
    let seats = |s: &str| {
        replies
            .iter()
            .filter(|(_, b)| b["sessions"][0]["status"] == s)
            .count()
    };
    assert_eq!((seats("confirmed"), seats("waitlisted")), (10, 50));
    assert_invariants(&apps[0]).await;
}

async fn cancellations_and_registrations_race(db: crate::helpers::TestDb) {
    let apps = instances(&db).await;
    let event = apps[0].published_event(json!({"capacity": 30})).await;
    let event = event["id"].as_str().unwrap().to_owned();
    // 30 confirmed, then 20 waiting in a known order.
    let first = register_all(
        &apps,
        &event,
        (0..30)
            .map(|n| delegate(&format!("c{n}@example.org"), &[]))
            .collect(),
    )
    .await;
    let mut waiting = Vec::new();
    for n in 0..20 {
        let reply = apps[n % apps.len()]
            .call(
                Method::POST,
                &format!("/api/v1/events/{event}/registrations"),
                None,
                Some(&delegate(&format!("w{n}@example.org"), &[])),
            )
            .await;
        assert_eq!(reply.body["status"], "waitlisted");
        waiting.push(reply.body["manage_token"].as_str().unwrap().to_owned());
    }
    // Now 15 cancel while 15 newcomers register, all at once.
    let mut tasks = Vec::new();
    for (n, (_, body)) in first.iter().take(15).enumerate() {
        let app = apps[n % apps.len()].clone();
        let token = body["manage_token"].as_str().unwrap().to_owned();
        tasks.push(tokio::spawn(async move {
            app.call(
                Method::DELETE,
                "/api/v1/registrations/me",
                Some(&token),
                None,
            )
            .await
            .status
            .as_u16()
        }));
    }
    for n in 0..15 {
        let app = apps[n % apps.len()].clone();
        let path = format!("/api/v1/events/{event}/registrations");
        tasks.push(tokio::spawn(async move {
            let body = delegate(&format!("new{n}@example.org"), &[]);
            app.call(Method::POST, &path, None, Some(&body))
                .await
                .status
                .as_u16()
        }));
    }
    for task in tasks {
        let status = task.await.expect("task");
        assert!(
            status == 200 || status == 201,
            "request failed with {status}"
        );
    }
    assert_invariants(&apps[0]).await;
    // Freed seats went to the waiting list in order: the first 15 waiting are confirmed.
    for (n, token) in waiting.iter().enumerate() {
        let me = apps[0].get_as("/api/v1/registrations/me", token).await;
        let expected = if n < 15 { "confirmed" } else { "waitlisted" };
        assert_eq!(me.body["status"], expected, "waiting delegate {n}");
    }
}

macro_rules! both_stores {
    ($name:ident) => {
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn sqlite() {
                super::run(super::Backend::Sqlite, super::$name).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn postgres_two_instances() {
                super::run(super::Backend::Postgres, super::$name).await;
            }
        }
    };
}

/// Registrations arriving together are made in one transaction; a refusal among them (here a
/// repeated e-mail) must leave exactly the answers each would have had alone.
async fn refusals_among_simultaneous_registrations(db: crate::helpers::TestDb) {
    let apps = instances(&db).await;
    let event = apps[0].published_event(json!({"capacity": 30})).await;
    let event = event["id"].as_str().unwrap().to_owned();
    let bodies = (0..60)
        .map(|n| {
            let email = if n % 3 == 0 {
                "same@example.org".to_owned()
            } else {
                format!("r{n}@example.org")
            };
            delegate(&email, &[])
        })
        .collect();
    let replies = register_all(&apps, &event, bodies).await;
    let conflicts = replies.iter().filter(|(s, _)| *s == 409).count();
    assert_eq!(
        conflicts, 19,
        "all but one of the 20 repeated e-mails are refused"
    );
    assert_eq!(statuses(&replies), (30, 11, 19));
    assert_eq!(apps[0].count_rows("registrations").await, 41);
    assert_invariants(&apps[0]).await;
    // The same idempotency key sent many times at once makes one registration.
    let path = format!("/api/v1/events/{event}/registrations");
    let mut tasks = Vec::new();
    for n in 0..12 {
        let app = apps[n % apps.len()].clone();
        let path = path.clone();
        tasks.push(tokio::spawn(async move {
            let response = app
                .client
                .post(path)
                .header("Idempotency-Key", "one-key-000000000000")
                .body_json(&delegate("key@example.org", &[]))
                .send()
                .await
                .0;
            let status = response.status().as_u16();
            let body: Value = response.into_body().into_json().await.unwrap_or_default();
            (status, body["id"].clone())
        }));
    }
    let mut ids = Vec::new();
    for task in tasks {
        let (status, id) = task.await.expect("task");
        assert_eq!(status, 201);
        ids.push(id);
    }
    ids.dedup();
    assert_eq!(ids.len(), 1, "every retry names the one registration");
    assert_eq!(apps[0].count_rows("registrations").await, 42);
    assert_invariants(&apps[0]).await;
}

both_stores!(refusals_among_simultaneous_registrations);
both_stores!(two_hundred_delegates_for_fifty_seats);
both_stores!(sixty_sign_ups_for_ten_session_seats);
both_stores!(cancellations_and_registrations_race);

/// A confirmed delegate's badge code, through the organizer's view.
async fn badge_codes(apps: &[Arc<TestApp>], event: &str, count: usize) -> Vec<String> {
    let app = &apps[0];
    let bodies = (0..count)
        .map(|n| delegate(&format!("b{n}@example.org"), &[]))
        .collect();
    let replies = register_all(apps, event, bodies).await;
    assert!(replies.iter().all(|(s, _)| *s == 201));
    let mut codes = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(c) => format!("/api/v1/events/{event}/registrations?limit=500&cursor={c}"),
            None => format!("/api/v1/events/{event}/registrations?limit=500"),
        };
        let page = app.get_as(&path, &app.organizer).await;
        for item in page.body["items"].as_array().unwrap() {
            codes.push(item["badge_code"].as_str().unwrap().to_owned());
        }
        cursor = page.body["next_cursor"].as_str().map(str::to_owned);
        if cursor.is_none() {
            break;
        }
    }
    codes
}

async fn scan_all(
    apps: &[Arc<TestApp>],
    event: &str,
    token: &str,
    codes: Vec<String>,
) -> Vec<(u16, Value)> {
    let mut tasks = Vec::new();
    for (n, code) in codes.into_iter().enumerate() {
        let app = apps[n % apps.len()].clone();
        let path = format!("/api/v1/events/{event}/checkins");
        let token = token.to_owned();
        tasks.push(tokio::spawn(async move {
            let body = json!({"code": code, "device": format!("scanner-{n}")});
            let reply = app
                .call(Method::POST, &path, Some(&token), Some(&body))
                .await;
            (reply.status.as_u16(), reply.body)
        }));
    }
    let mut replies = Vec::new();
    for task in tasks {
        replies.push(task.await.expect("task"));
    }
    replies
}

async fn sixteen_scanners_one_badge(db: crate::helpers::TestDb) {
    let apps = instances(&db).await;
    let event = apps[0].published_event(json!({})).await;
    let event = event["id"].as_str().unwrap().to_owned();
    let scanner = apps[0].checkin_token(&event).await;
    let code = badge_codes(&apps, &event, 1).await.remove(0);
    let replies = scan_all(&apps, &event, &scanner, vec![code; 16]).await;
    let ok = replies
        .iter()
        .filter(|(s, b)| *s == 200 && b["result"] == "ok")
        .count();
    let duplicate = replies
        .iter()
        .filter(|(s, b)| *s == 409 && b["result"] == "already_checked_in")
        .count();
    assert_eq!((ok, duplicate), (1, 15), "{replies:?}");
    assert_eq!(apps[0].count_rows("presence").await, 1);
    assert_eq!(apps[0].count_rows("scans").await, 16);
}

async fn five_hundred_badges_at_once(db: crate::helpers::TestDb) {
    let apps = instances(&db).await;
    let event = apps[0].published_event(json!({"capacity": null})).await;
    let event = event["id"].as_str().unwrap().to_owned();
    let scanner = apps[0].checkin_token(&event).await;
    let codes = badge_codes(&apps, &event, 500).await;
    assert_eq!(codes.len(), 500);
    let replies = scan_all(&apps, &event, &scanner, codes).await;
    let ok = replies
        .iter()
        .filter(|(s, b)| *s == 200 && b["result"] == "ok")
        .count();
    assert_eq!(ok, 500);
    assert_eq!(apps[0].count_rows("presence").await, 500);
}

both_stores!(sixteen_scanners_one_badge);
both_stores!(five_hundred_badges_at_once);

/// Instance B serves the agenda and feed from its caches; a change made through instance A
/// reaches B (through PostgreSQL's change notifications; on SQLite there is one instance).
async fn agenda_changes_reach_every_instance(db: crate::helpers::TestDb) {
    let apps = instances(&db).await;
    let (a, b) = (&apps[0], apps.last().unwrap());
    let event = a.published_event(json!({"slug": "shared-agenda"})).await;
    let id = event["id"].as_str().unwrap().to_owned();
    let session = a.create_session(&id, json!({"title": "Before"})).await.id();
    for path in [
        "/api/v1/events/shared-agenda/agenda",
        "/api/v1/events/shared-agenda/calendar.ics",
    ] {
        assert!(b.get(path).await.text.contains("Before"));
        assert!(
            b.get(path).await.text.contains("Before"),
            "served again from the cache"
        );
    }
    a.patch(
        &format!("/api/v1/events/{id}/sessions/{session}"),
        json!({"title": "After"}),
    )
    .await
    .expect(200);
    for path in [
        "/api/v1/events/shared-agenda/agenda",
        "/api/v1/events/shared-agenda/calendar.ics",
    ] {
        let mut seen = false;
        // Notifications travel asynchronously between instances: allow them up to 5 s.
        for _ in 0..50 {
            if b.get(path).await.text.contains("After") {
                seen = true;
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        assert!(seen, "{path} on the other instance never showed the change");
    }
    // Unpublishing makes the event disappear on the other instance too.
    a.post(&format!("/api/v1/events/{id}/cancel"), Value::Null)
        .await
        .expect(200);
    let mut cancelled = false;
    for _ in 0..50 {
        if b.get("/api/v1/events/shared-agenda/agenda").await.body["event"]["status"] == "cancelled"
        {
            cancelled = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(cancelled);
}

both_stores!(agenda_changes_reach_every_instance);

/// A category closed on instance A is refused on instance B right after A answered, with
/// nothing registered: B's cache is emptied by A's change notice, and the transaction decides
/// again from the categories read under the event's lock (which of the two stops a given
/// request depends on when the notice arrives).
async fn a_closed_category_is_closed_on_every_instance_at_once(db: crate::helpers::TestDb) {
    let apps = instances(&db).await;
    let (a, b) = (&apps[0], apps.last().unwrap());
    let event = a.published_event(json!({"capacity": null})).await;
    let id = event["id"].as_str().unwrap().to_owned();
    let categories = format!("/api/v1/events/{id}/categories");
    let registrations = format!("/api/v1/events/{id}/registrations");
    let speakers_public = |public: bool| {
        json!([
            {"key": "delegate", "public": true},
            {"key": "speaker", "public": public}
        ])
    };
    let speaker = |n: usize| {
        let mut body = delegate(&format!("speaker{n}@example.org"), &[]);
        body["category"] = json!("speaker");
        body
    };
    a.call(
        Method::PUT,
        &categories,
        Some(&a.organizer),
        Some(&speakers_public(true)),
    )
    .await
    .expect(200);
    // B reads the categories once the notice of that change has reached it, and keeps them.
    let mut open_on_b = false;
    for n in 0..50 {
        if b.call(Method::POST, &registrations, None, Some(&speaker(n)))
            .await
            .status
            .as_u16()
            == 201
        {
            open_on_b = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(
        open_on_b,
        "the opened category never reached the other instance"
    );
    a.call(
        Method::PUT,
        &categories,
        Some(&a.organizer),
        Some(&speakers_public(false)),
    )
    .await
    .expect(200);
    // Right after A answered: refused on B too, and nothing registered.
    let before = a.count_rows("registrations").await;
    for n in 100..120 {
        let reply = b
            .call(Method::POST, &registrations, None, Some(&speaker(n)))
            .await;
        reply.expect_problem(422);
        assert_eq!(reply.error_fields(), ["category"]);
    }
    assert_eq!(a.count_rows("registrations").await, before);
}

both_stores!(a_closed_category_is_closed_on_every_instance_at_once);

/// Locks `event_id` in its own transaction, then drops the transaction (rolling it back, so
/// a deadlock's survivor is never left waiting on the victim's locks).
async fn lock_in(
    txn: sea_orm::DatabaseTransaction,
    event_id: uuid::Uuid,
) -> Result<(), dialogue::error::AppError> {
    let locked = dialogue::store::seats::lock_event(&txn, event_id).await;
    drop(txn);
    locked
}

crate::db_test!(
    database_races_are_recognised_by_their_code,
    |app| async move {
        use dialogue::error::AppError;
        use dialogue::store::{self, Race};
        use sea_orm::{ActiveModelTrait, EntityTrait, TransactionTrait};
        let id = |event: Value| -> uuid::Uuid { event["id"].as_str().unwrap().parse().unwrap() };
        let a = id(app.create_event(json!({})).await);
        let b = id(app.create_event(json!({})).await);
        let other = app.other_connection().await;
        if store::is_postgres(&app.state.db) {
            // Two transactions lock a and b, then each wants the other's: one is the victim.
            let (first, second) = (
                other.begin().await.unwrap(),
                app.state.db.begin().await.unwrap(),
            );
            store::seats::lock_event(&first, a).await.unwrap();
            store::seats::lock_event(&second, b).await.unwrap();
            let (r1, r2) = tokio::join!(lock_in(first, b), lock_in(second, a));
            let Some(AppError::Failed(dialogue::error::Failure::Database(err))) =
                [r1, r2].into_iter().find_map(Result::err)
            else {
                panic!("a deadlock victim");
            };
            assert_eq!(
                store::db_error_code(&err).as_deref(),
                Some("40P01"),
                "{err}"
            );
            assert_eq!(store::race(&err), Some(Race::Deadlock), "{err}");
        } else {
            // A transaction that has read writes after another connection's commit:
            // SQLITE_BUSY_SNAPSHOT, at once.
            let reader = other.begin().await.unwrap();
            entities::events::Entity::find().one(&reader).await.unwrap();
            // (A write that changes nothing commits nothing: bump the agenda version.)
            store::events::touch_agenda(&app.state.writer, a, chrono::Utc::now())
                .await
                .unwrap();
            let result = store::seats::lock_event(&reader, a).await;
            let Err(AppError::Failed(dialogue::error::Failure::Database(err))) = result else {
                panic!("the stale transaction's write fails: {result:?}");
            };
            assert_eq!(store::db_error_code(&err).as_deref(), Some("517"), "{err}");
            assert_eq!(store::race(&err), Some(Race::Busy), "{err}");
        }
        // A duplicate key, on either store.
        let key = entities::signing_keys::Entity::find()
            .one(&app.state.db)
            .await
            .unwrap()
            .expect("key 1");
        let err = entities::signing_keys::ActiveModel::from(key)
            .insert(&app.state.db)
            .await
            .expect_err("a duplicate kid");
        assert_eq!(store::race(&err), Some(Race::UniqueViolation), "{err}");
        // Errors that only say so in words are not races.
        let worded = sea_orm::DbErr::Custom("deadlock detected; could not serialize".into());
        assert_eq!(store::race(&worded), None);
        assert_eq!(store::db_error_code(&worded), None);
    }
);
