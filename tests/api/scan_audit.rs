//! The scan audit keeps decisions, not rendered answers: a repeated nonce is answered from the
//! decision that was given (even after a later offline scan changed the audit's `result`), and
//! the migration that introduced this turned the answers kept before into decisions.

use poem::http::Method;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};

use crate::db_test;
use crate::helpers::TestApp;
use crate::registrations::{delegate, register};

async fn badge(app: &TestApp, event: &str, email: &str) -> String {
    let reply = register(app, event, delegate(email, &[])).await;
    reply.expect(201);
    let token = reply.body["manage_token"].as_str().unwrap().to_owned();
    let me = app.get_as("/api/v1/registrations/me", &token).await;
    me.body["badge_code"].as_str().unwrap().to_owned()
}

async fn batch(app: &TestApp, event: &str, scanner: &str, scans: Value) -> Value {
    let reply = app
        .call(
            Method::POST,
            &format!("/api/v1/events/{event}/checkins/batch"),
            Some(scanner),
            Some(&json!({ "scans": scans })),
        )
        .await;
    reply.expect(200);
    reply.body["results"][0].clone()
}

db_test!(
    a_replayed_nonce_gets_the_answer_given_even_after_an_earlier_offline_scan,
    |app| async move {
        let event = app.published_event(json!({})).await;
        let event = event["id"].as_str().unwrap().to_owned();
        let scanner = app.checkin_token(&event).await;
        let code = badge(&app, &event, "a@example.org").await;
        let from_b = json!([{"code": code, "device": "B", "nonce": "b-1",
                             "scanned_at": "2026-11-18T10:05:00+05:00"}]);
        let first = batch(&app, &event, &scanner, from_b.clone()).await;
        assert_eq!(first["status"], 200);
        assert_eq!(first["answer"]["result"], "ok");
        // Device A's earlier offline scan becomes the admission; B's is now a duplicate.
        let from_a = json!([{"code": code, "device": "A",
                             "scanned_at": "2026-11-18T10:01:00+05:00"}]);
        batch(&app, &event, &scanner, from_a).await;
        let row = entities::scans::Entity::find()
            .filter(entities::scans::Column::Device.eq("B"))
            .one(&app.state.db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(row.result.as_str(), "already_checked_in");
        assert_eq!(
            row.answered.as_str(),
            "ok",
            "what B was told does not change"
        );
        // B retries its upload (its network dropped before the answer): the same answer.
        let retried = batch(&app, &event, &scanner, from_b).await;
        assert_eq!(retried, first);
        assert_eq!(
            app.count_rows("scans").await,
            2,
            "the retry records nothing"
        );
    }
);

db_test!(
    the_migration_keeps_old_scans_and_forgets_their_nonces,
    |app| async move {
        use migration::MigratorTrait;
        let event = app.published_event(json!({})).await;
        let event = event["id"].as_str().unwrap().to_owned();
        let scanner = app.checkin_token(&event).await;
        let code = badge(&app, &event, "a@example.org").await;
        let scan = |nonce: &str| {
            json!([{"code": code, "device": "D", "nonce": nonce,
                                          "scanned_at": "2026-11-18T10:05:00+05:00"}])
        };
        let admitted = batch(&app, &event, &scanner, scan("n-1")).await;
        let duplicate = batch(&app, &event, &scanner, scan("n-2")).await;
        let garbage = json!([{"code": "garbage", "device": "D", "nonce": "n-3"}]);
        let invalid = batch(&app, &event, &scanner, garbage).await;
        assert_eq!(duplicate["status"], 409);
        assert_eq!(invalid["status"], 404);

        // Back to the schema that kept rendered answers, as a database of the earlier release.
        let db = &app.state.writer;
        // Down past every migration from the scan decisions (the fifth) on.
        let after_the_fourth = (migration::Migrator::migrations().len() - 4) as u32;
        migration::Migrator::down(db, Some(after_the_fourth))
            .await
            .unwrap();
        db.execute_unprepared(
            "UPDATE scans SET http_status = CASE result WHEN 'ok' THEN 200 \
             WHEN 'already_checked_in' THEN 409 ELSE 404 END",
        )
        .await
        .unwrap();
        migration::Migrator::up(db, None).await.unwrap();
        assert_eq!(
            app.count_rows("scans").await,
            3,
            "the kept scans stay in the log"
        );
        // Nonces kept before they were scoped to tokens answer nothing any more: they were
        // keyed by a free-text device name any token could claim. The same nonces are new
        // scans now, decided afresh (the badge was admitted: already checked in).
        let again = batch(&app, &event, &scanner, scan("n-1")).await;
        assert_ne!(again, admitted, "no replay of a legacy nonce");
        assert_eq!(again["status"], 409);
        assert_eq!(app.count_rows("scans").await, 4, "recorded as a new scan");
        // A nonce scoped to this token is replayed as before.
        assert_eq!(batch(&app, &event, &scanner, scan("n-1")).await, again);
        assert_eq!(app.count_rows("scans").await, 4);
    }
);
