//! Scanner tokens: organizers create one per device (shown once), list them without their
//! text, and revoke a lost device's token, which is refused at once on every instance.

use poem::http::Method;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::db_test;
use crate::helpers::{Backend, Reply, TestApp, TestDb, run};
use crate::registrations::{delegate, register};

fn tokens_path(event: &str) -> String {
    format!("/api/v1/events/{event}/checkin-tokens")
}

/// A scan of an unreadable code: 404 `invalid` for a scanner of this event, 401 or 403 else.
async fn scan_garbage(app: &TestApp, event: &str, token: &str) -> Reply {
    app.call(
        Method::POST,
        &format!("/api/v1/events/{event}/checkins"),
        Some(token),
        Some(&json!({"code": "garbage", "device": "door-1"})),
    )
    .await
}

/// A published event's id.
async fn event_id(app: &TestApp) -> String {
    let event = app.published_event(json!({})).await;
    event["id"].as_str().unwrap().to_owned()
}

async fn create(app: &TestApp, event: &str, label: &str) -> Reply {
    app.post(&tokens_path(event), json!({ "label": label }))
        .await
}

async fn listed(app: &TestApp, event: &str) -> Vec<Value> {
    let reply = app.get_as(&tokens_path(event), &app.organizer).await;
    reply.expect(200);
    reply.body["items"].as_array().cloned().unwrap_or_default()
}

db_test!(
    organizers_hand_out_list_and_revoke_scanner_tokens,
    |app| async move {
        let event = event_id(&app).await;
        let other = event_id(&app).await;

        let created = create(&app, &event, "  Main entrance, scanner 2 ").await;
        created.expect(201);
        let scanner = created.body["token"].as_str().unwrap().to_owned();
        let id = created.id();
        assert!(scanner.starts_with("dlg_chk_"), "{scanner}");
        assert_eq!(created.body["label"], "Main entrance, scanner 2");
        // The new token scans at its event, and only there.
        let answer = scan_garbage(&app, &event, &scanner).await;
        answer.expect(404);
        assert_eq!(answer.body["result"], "invalid");
        scan_garbage(&app, &other, &scanner).await.expect(403);

        // Listed without its text or hash.
        let items = listed(&app, &event).await;
        assert_eq!(items.len(), 1);
        assert_eq!(items[0]["id"], id.as_str());
        assert_eq!(items[0]["label"], "Main entrance, scanner 2");
        assert!(items[0].get("revoked_at").is_none_or(Value::is_null));
        assert_eq!(items[0]["created_at"], created.body["created_at"]);
        let text = serde_json::to_string(&items).unwrap();
        let hash = dialogue::domain::token::hash(&scanner);
        assert!(!text.contains(&scanner) && !text.contains(&hash), "{text}");
        assert!(listed(&app, &other).await.is_empty());

        // Scanners and delegates manage no tokens; without a token, 401.
        let registered = register(&app, &event, delegate("a@example.org", &[])).await;
        let delegate_token = registered.body["manage_token"].as_str().unwrap().to_owned();
        for (method, path) in [
            (Method::POST, tokens_path(&event)),
            (Method::GET, tokens_path(&event)),
            (Method::DELETE, format!("{}/{id}", tokens_path(&event))),
        ] {
            let body = json!({"label": "mine"});
            for holder in [&scanner, &delegate_token] {
                app.call(method.clone(), &path, Some(holder), Some(&body))
                    .await
                    .expect_problem(403);
            }
            app.call(method, &path, None, Some(&body))
                .await
                .expect_problem(401);
        }

        // Bad labels are refused and create nothing (a label is one line: lists print it so).
        for label in [
            String::new(),
            "   ".into(),
            "x".repeat(101),
            "Door 1\n01a2-fake\torganizer".into(),
            "Door\t1".into(),
        ] {
            let refused = create(&app, &event, &label).await;
            refused.expect_problem(422);
            assert_eq!(refused.error_fields(), vec!["label".to_owned()]);
        }
        app.call(
            Method::POST,
            &tokens_path(&event),
            Some(&app.organizer),
            Some(&json!({})),
        )
        .await
        .expect_problem(400);
        create(&app, "no-such-event", "x").await.expect_problem(404);
        assert_eq!(listed(&app, &event).await.len(), 1);
        // The limit counts the trimmed label.
        let longest = create(&app, &event, &format!("  {}  ", "ä".repeat(100))).await;
        longest.expect(201);
        assert_eq!(longest.body["label"], "ä".repeat(100));
        let longest_path = format!("{}/{}", tokens_path(&event), longest.id());
        app.delete(&longest_path).await.expect(204);

        // Revoked: refused at the next scan; revoking again keeps the first time.
        app.delete(&format!("{}/{id}", tokens_path(&event)))
            .await
            .expect(204);
        scan_garbage(&app, &event, &scanner)
            .await
            .expect_problem(401);
        let revoked_at = listed(&app, &event).await[0]["revoked_at"].clone();
        assert!(revoked_at.is_string(), "{revoked_at}");
        app.delete(&format!("{}/{id}", tokens_path(&event)))
            .await
            .expect(204);
        assert_eq!(listed(&app, &event).await[0]["revoked_at"], revoked_at);

        // Unknown ids, another event's token and the organizer's own token are not found here.
        let foreign = create(&app, &other, "Hall B").await;
        foreign.expect(201);
        let organizer_id =
            dialogue::store::tokens::list(&app.state.db, dialogue::store::tokens::TokenScope::All)
                .await
                .unwrap()
                .into_iter()
                .find(|t| t.role.as_str() == "organizer")
                .map(|t| t.id.to_string())
                .unwrap();
        for missing in [
            Uuid::now_v7().to_string(),
            "not-a-uuid".into(),
            foreign.id(),
            organizer_id,
        ] {
            app.delete(&format!("{}/{missing}", tokens_path(&event)))
                .await
                .expect_problem(404);
        }
        let foreign_token = foreign.body["token"].as_str().unwrap();
        scan_garbage(&app, &other, foreign_token).await.expect(404);
        app.get_as(&tokens_path(&event), &app.organizer)
            .await
            .expect(200);
    }
);

/// Revoked through one instance, refused by another that had just accepted the token.
async fn revocation_reaches_every_instance(db: TestDb) {
    let (first, second) = (db.app().await, db.app().await);
    let event = event_id(&first).await;
    let created = create(&first, &event, "Door 3").await;
    created.expect(201);
    let scanner = created.body["token"].as_str().unwrap().to_owned();
    scan_garbage(&second, &event, &scanner).await.expect(404);
    first
        .delete(&format!("{}/{}", tokens_path(&event), created.id()))
        .await
        .expect(204);
    scan_garbage(&second, &event, &scanner)
        .await
        .expect_problem(401);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn revocation_reaches_every_instance_sqlite() {
    run(Backend::Sqlite, revocation_reaches_every_instance).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn revocation_reaches_every_instance_postgres() {
    run(Backend::Postgres, revocation_reaches_every_instance).await;
}
