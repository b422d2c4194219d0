//! First start: the organizer token appears once, a seeded token works, the demo programme
//! loads once and is a real agenda; rotated signing keys keep old badges valid.

use sea_orm::ConnectionTrait;
use serde_json::json;

use crate::db_test;
use crate::registrations::{delegate, register};

db_test!(first_start_creates_one_organizer_token, |app| async move {
    // The harness already created one; a fresh database gets exactly one more, once.
    let db = &app.state;
    let before = app.count_rows("api_tokens").await;
    let created = dialogue::app::tokens::ensure_organizer_token(db, None)
        .await
        .unwrap();
    assert!(created.is_none(), "no new token when one exists");
    let seeded = "dlg_org_5c0e7b2f91d4a86e3f0b7c1d9a2e4f68";
    dialogue::app::tokens::ensure_organizer_token(db, Some(seeded))
        .await
        .unwrap();
    dialogue::app::tokens::ensure_organizer_token(db, Some(seeded))
        .await
        .unwrap();
    assert_eq!(app.count_rows("api_tokens").await, before + 1);
    app.call(
        poem::http::Method::POST,
        "/api/v1/events",
        Some(seeded),
        Some(&json!({
            "slug": "seeded-token", "title": "T", "starts_on": "2026-11-18", "ends_on": "2026-11-18"
        })),
    )
    .await
    .expect(201);
    // Too short, a pattern repeated, or not an organizer token: refused, nothing stored.
    for weak in [
        "too-short",
        "dlg_org_0123456789abcdef",
        "dlg_org_seededseededseededseededseededsee",
        "dlg_chk_5c0e7b2f91d4a86e3f0b7c1d9a2e4f68",
    ] {
        assert!(
            dialogue::app::tokens::ensure_organizer_token(db, Some(weak))
                .await
                .is_err(),
            "{weak} must be refused"
        );
    }
    assert_eq!(app.count_rows("api_tokens").await, before + 1);
});

db_test!(demo_programme_loads_once, |app| async move {
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
    assert!(
        dialogue::bootstrap::load_demo(&app.state, today)
            .await
            .unwrap()
    );
    assert!(
        !dialogue::bootstrap::load_demo(&app.state, today)
            .await
            .unwrap(),
        "idempotent"
    );
    let agenda = app.get("/api/v1/events/dialogue-2026/agenda").await;
    agenda.expect(200);
    assert_eq!(agenda.body["event"]["timezone"], "Asia/Ashgabat");
    assert_eq!(agenda.body["days"].as_array().unwrap().len(), 2);
    let languages: std::collections::HashSet<String> = agenda.body["days"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|d| {
            d["sessions"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| s["language"].as_str().unwrap().to_owned())
        })
        .collect();
    assert!(["tk", "ru", "en"].iter().all(|l| languages.contains(*l)));
    let training = app.get("/api/v1/events/cyber-ai-training").await;
    assert_eq!(training.body["capacity"], 80);
    assert_eq!(training.body["ends_on"], "2026-12-28");
    assert_eq!(app.count_rows("events").await, 2);
});

db_test!(rotated_keys_keep_old_badges_valid, |app| async move {
    let event = app.published_event(json!({})).await;
    let id = event["id"].as_str().unwrap();
    let scanner = app.checkin_token(id).await;
    let old = register(&app, id, delegate("old@example.org", &[])).await;
    let old_code = app
        .get_as(
            "/api/v1/registrations/me",
            old.body["manage_token"].as_str().unwrap(),
        )
        .await
        .body["badge_code"]
        .as_str()
        .unwrap()
        .to_owned();
    // Another instance rotates (through the use case, in its own transaction); this one picks
    // the new key up when it reloads its keyring (every minute).
    let other = dialogue::Application::build(dialogue::Config::for_database(
        app.state.config.effective_database_url(),
    ))
    .await
    .unwrap();
    dialogue::app::keys::rotate(&other.state).await.unwrap();
    app.state.reload_keys().await.unwrap();
    let new = register(&app, id, delegate("new@example.org", &[])).await;
    let new_code = app
        .get_as(
            "/api/v1/registrations/me",
            new.body["manage_token"].as_str().unwrap(),
        )
        .await
        .body["badge_code"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_ne!(
        &old_code[..6],
        &new_code[..6],
        "the key id in the code changed"
    );
    for code in [old_code, new_code] {
        let reply = app
            .call(
                poem::http::Method::POST,
                &format!("/api/v1/events/{id}/checkins"),
                Some(&scanner),
                Some(&json!({"code": code, "device": "d"})),
            )
            .await;
        reply.expect(200);
    }
    let kit = app
        .get_as(&format!("/api/v1/events/{id}/checkins/keys"), &scanner)
        .await;
    assert_eq!(kit.body["keys"].as_array().unwrap().len(), 2);
});

/// SQLite only (PostgreSQL has no WAL file of ours to copy): commits leave their pages in the
/// WAL, and the server copies them into the database file in the background, not in the
/// writer's commits. Opening the file with `immutable=true` reads it without the WAL.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_wal_is_copied_into_the_database_in_the_background() {
    crate::helpers::run(crate::helpers::Backend::Sqlite, |db| async move {
        let app = db.app().await;
        for n in 0..5 {
            app.create_event(json!({"slug": format!("wal-{n}")})).await;
        }
        let path = db
            .url
            .trim_start_matches("sqlite://")
            .split('?')
            .next()
            .unwrap_or_default()
            .to_owned();
        let mut in_file = 0;
        for _ in 0..40 {
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            let file_only = sea_orm::Database::connect(format!("sqlite://{path}?immutable=true"))
                .await
                .expect("open the database file alone");
            let row = file_only
                .query_one_raw(sea_orm::Statement::from_string(
                    sea_orm::DbBackend::Sqlite,
                    "SELECT COUNT(*) AS n FROM events WHERE slug LIKE 'wal-%'",
                ))
                .await;
            // Before any copy the file may not even hold the table yet.
            in_file = row
                .ok()
                .flatten()
                .and_then(|r| r.try_get::<i64>("", "n").ok())
                .unwrap_or(0);
            let _ = file_only.close().await;
            if in_file == 5 {
                break;
            }
        }
        assert_eq!(
            in_file, 5,
            "the events reached the database file within 4 s"
        );
    })
    .await;
}
