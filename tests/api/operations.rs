//! Operations: secrets sealed in the database or given from outside it, retiring a signing
//! key, names that cannot pass for other text, metrics for operators, and SQLite backups.

use std::time::Duration;

use poem::http::Method;
use sea_orm::{ConnectionTrait, Statement};
use serde_json::json;

use crate::helpers::{Backend, TestApp, read, run};
use crate::registrations::{delegate, register};
use crate::{db_test, db_test_with};

/// Every text value of a table, as a database dump would show it.
async fn dump(app: &TestApp, table: &str, column: &str) -> Vec<String> {
    let backend = app.state.db.get_database_backend();
    app.state
        .db
        .query_all_raw(Statement::from_string(
            backend,
            format!("SELECT {column} AS v FROM {table}"),
        ))
        .await
        .expect("dump")
        .iter()
        .map(|row| row.try_get::<String>("", "v").expect("text"))
        .collect()
}

async fn confirmed_badge(app: &TestApp, event: &str, email: &str) -> (String, String) {
    let reply = register(app, event, delegate(email, &[])).await;
    reply.expect(201);
    let token = reply.body["manage_token"].as_str().unwrap().to_owned();
    let me = app.get_as("/api/v1/registrations/me", &token).await;
    (token, me.body["badge_code"].as_str().unwrap().to_owned())
}

async fn scan(app: &TestApp, event: &str, code: &str) -> crate::helpers::Reply {
    app.call(
        Method::POST,
        &format!("/api/v1/events/{event}/checkins"),
        Some(&app.organizer),
        Some(&json!({"code": code, "device": "door"})),
    )
    .await
}

db_test!(secrets_in_the_database_are_sealed, |app| async move {
    let secret = hex::encode(app.state.token_secret.as_slice());
    let values = dump(&app, "server_secrets", "value").await;
    assert!(!values.is_empty());
    for value in &values {
        assert!(value.starts_with("sealed1:"), "{value}");
        assert!(!value.contains(&secret));
    }
    let keyring = app.state.keyring();
    let seed = hex::encode(keyring.active.to_bytes());
    for value in dump(&app, "signing_keys", "secret_key").await {
        assert!(value.starts_with("sealed1:"), "{value}");
        assert!(!value.contains(&seed));
    }
    // Another instance with the same master key reads the same secrets...
    let event = app.published_event(json!({})).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let (token, code) = confirmed_badge(&app, &event, "sealed@example.org").await;
    let url = app.state.config.effective_database_url();
    let same = dialogue::Application::build(dialogue::Config::for_database(url.clone()))
        .await
        .expect("same master key");
    assert_eq!(same.state.token_secret, app.state.token_secret);
    assert_eq!(same.state.keyring().active_kid, keyring.active_kid);
    // ...and one with another key refuses to start, saying why.
    let mut wrong = dialogue::Config::for_database(url);
    wrong.secrets.master_key = Some("5a".repeat(32));
    let refused = dialogue::Application::build(wrong).await;
    let message = refused
        .err()
        .expect("a wrong master key is refused")
        .to_string();
    assert!(message.contains("master key"), "{message}");
    app.get_as("/api/v1/registrations/me", &token)
        .await
        .expect(200);
    scan(&app, &event, &code).await.expect(200);
});

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn plain_secrets_of_an_earlier_release_are_sealed_on_start() {
    run(Backend::Sqlite, |db| async move {
        let app = db.app().await;
        let secret = app.state.token_secret.to_vec();
        let keyring = app.state.keyring();
        // As an earlier release kept them: plain hex.
        let backend = app.state.db.get_database_backend();
        for statement in [
            format!(
                "UPDATE server_secrets SET value = '{}' WHERE name = 'token-derivation'",
                hex::encode(&secret)
            ),
            format!(
                "UPDATE signing_keys SET secret_key = '{}' WHERE kid = {}",
                hex::encode(keyring.active.to_bytes()),
                keyring.active_kid
            ),
        ] {
            app.state
                .writer
                .execute_raw(Statement::from_string(backend, statement))
                .await
                .unwrap();
        }
        let again = db.app().await;
        assert_eq!(again.state.token_secret.to_vec(), secret);
        assert_eq!(
            again.state.keyring().active.to_bytes(),
            keyring.active.to_bytes()
        );
        for value in dump(&again, "server_secrets", "value").await {
            assert!(value.starts_with("sealed1:"));
        }
        for value in dump(&again, "signing_keys", "secret_key").await {
            assert!(value.starts_with("sealed1:"));
        }
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_master_key_file_is_created_for_its_owner_only() {
    run(Backend::Sqlite, |db| async move {
        let dir = std::env::temp_dir().join(format!("dialogue-key-{}", uuid::Uuid::new_v4()));
        let path = dir.join("master.key");
        let first = db
            .app_with(|config| {
                config.secrets.master_key = None;
                config.secrets.master_key_file = Some(path.clone());
            })
            .await;
        let text = std::fs::read_to_string(&path).expect("created");
        assert_eq!(text.trim().len(), 64);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600);
        }
        drop(first);
        std::fs::remove_dir_all(&dir).ok();
    })
    .await;
}

db_test_with!(
    secrets_can_come_from_outside_the_database,
    |config: &mut dialogue::Config| {
        config.secrets.token_secret = Some("ab".repeat(32));
        let file = std::env::temp_dir().join(format!("dialogue-keys-{}", uuid::Uuid::new_v4()));
        std::fs::write(
            &file,
            format!("# kid seed\n3 {}\n7 {}\n", "01".repeat(32), "02".repeat(32)),
        )
        .unwrap();
        config.secrets.signing_keys_file = Some(file);
    },
    |app| async move {
        assert_eq!(app.state.token_secret.as_slice(), [0xab; 32].as_slice());
        assert_eq!(app.state.keyring().active_kid, 7);
        assert!(dump(&app, "server_secrets", "value").await.is_empty());
        let event = app.published_event(json!({})).await["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let (_, code) = confirmed_badge(&app, &event, "outside@example.org").await;
        scan(&app, &event, &code).await.expect(200);
        let kit = app
            .get_as(
                &format!("/api/v1/events/{event}/checkins/keys"),
                &app.organizer,
            )
            .await;
        assert_eq!(kit.body["keys"].as_array().unwrap().len(), 2);
        let rotated = dialogue::app::keys::rotate(&app.state).await;
        assert!(rotated.is_err(), "keys from a file are changed in the file");
    }
);

db_test!(
    a_retired_key_signs_nothing_that_is_accepted,
    |app| async move {
        let event = app.published_event(json!({})).await["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let (_, old_code) = confirmed_badge(&app, &event, "old@example.org").await;
        // The scan is verified (and remembered) with key 1.
        scan(&app, &event, &old_code).await.expect(200);
        let old_kid = app.state.keyring().active_kid;
        assert!(
            dialogue::app::keys::retire(&app.state, old_kid)
                .await
                .is_err(),
            "the signing key cannot be retired"
        );
        let new_kid = dialogue::app::keys::rotate(&app.state).await.unwrap();
        dialogue::app::keys::retire(&app.state, old_kid)
            .await
            .unwrap();
        let refused = scan(&app, &event, &old_code).await;
        refused.expect(404);
        assert_eq!(refused.body["result"], "invalid");
        // The delegate's badge is signed with the new key and is accepted.
        let (_, new_code) = confirmed_badge(&app, &event, "new@example.org").await;
        scan(&app, &event, &new_code).await.expect(200);
        let kit = app
            .get_as(
                &format!("/api/v1/events/{event}/checkins/keys"),
                &app.organizer,
            )
            .await;
        let kids: Vec<u64> = kit.body["keys"]
            .as_array()
            .unwrap()
            .iter()
            .map(|k| k["kid"].as_u64().unwrap())
            .collect();
        assert_eq!(kids, [u64::from(new_kid)]);
    }
);

db_test!(
    names_that_display_as_other_text_are_refused,
    |app| async move {
        let event = app.published_event(json!({})).await["id"]
            .as_str()
            .unwrap()
            .to_owned();
        for (field, value) in [
            ("full_name", "Aýna \u{202E}aweýidreB"),
            ("full_name", "Aýna\u{200B}Berdiýewa"),
            ("full_name", "Aýna\nBerdiýewa"),
            ("organization", "Ministry\u{2066} of Finance"),
            ("position", "Head\u{FEFF}"),
            ("country", "Turkmen\u{200F}istan"),
        ] {
            let mut body = delegate("bidi@example.org", &[]);
            body[field] = json!(value);
            let refused = register(&app, &event, body).await;
            refused.expect_problem(422);
            assert_eq!(refused.error_fields(), [field], "{value:?}");
        }
        assert_eq!(app.count_rows("registrations").await, 0);
        // Turkmen, Russian and English letters pass.
        let mut body = delegate("ok@example.org", &[]);
        body["full_name"] = json!("Ýagmyr Çaryýew — Ягмыр Чарыев");
        register(&app, &event, body).await.expect(201);
    }
);

db_test_with!(
    metrics_are_for_operators_only,
    |config: &mut dialogue::Config| config.metrics.token = Some("metrics-secret-1".into()),
    |app| async move {
        let event = app.published_event(json!({})).await["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let (_, code) = confirmed_badge(&app, &event, "metrics@example.org").await;
        scan(&app, &event, &code).await.expect(200);
        app.get("/metrics").await.expect(401);
        app.get_as("/metrics", "wrong").await.expect(401);
        let metrics = app.get_as("/metrics", "metrics-secret-1").await;
        metrics.expect(200);
        assert!(
            metrics
                .header("content-type")
                .unwrap_or_default()
                .starts_with("text/plain; version=0.0.4")
        );
        for series in [
            "dialogue_http_requests_total{method=\"POST\",route=\"check_in\",status=\"200\"}",
            "dialogue_checkins_total{result=\"ok\"}",
            "dialogue_queue_group_size_count{queue=\"check-in\"}",
            "dialogue_queue_waiting_items{queue=\"registration\"}",
            "dialogue_outbox_messages{status=\"queued\"}",
            "dialogue_db_pool_connections{pool=\"reader\",state=\"idle\"}",
            "dialogue_http_request_duration_seconds_bucket",
        ] {
            assert!(metrics.text.contains(series), "{series} missing");
        }
        assert!(!metrics.text.contains("metrics@example.org"));
    }
);

db_test!(
    without_a_token_metrics_are_not_on_the_service_port,
    |app| async move {
        app.get("/metrics").await.expect(404);
    }
);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_on_their_own_address_need_no_token() {
    run(Backend::Sqlite, |db| async move {
        let free = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let metrics_addr = free.local_addr().unwrap();
        drop(free);
        let (_app, addr) = db
            .serve_with(|config| config.metrics.bind = Some(metrics_addr.to_string()))
            .await;
        let client = reqwest::Client::new();
        assert_eq!(
            client
                .get(format!("http://{addr}/healthz"))
                .send()
                .await
                .unwrap()
                .status(),
            200
        );
        let mut text = String::new();
        for _ in 0..50 {
            if let Ok(response) = client
                .get(format!("http://{metrics_addr}/metrics"))
                .send()
                .await
            {
                assert_eq!(response.status(), 200);
                text = response.text().await.unwrap();
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        assert!(text.contains("dialogue_http_requests_total"), "{text}");
        // Not on the service's port, which has no token set.
        let on_service = client
            .get(format!("http://{addr}/metrics"))
            .send()
            .await
            .unwrap();
        assert_eq!(on_service.status(), 404);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_is_a_working_database() {
    run(Backend::Sqlite, |db| async move {
        let app = db.app().await;
        let event = app.published_event(json!({})).await["id"]
            .as_str()
            .unwrap()
            .to_owned();
        for n in 0..5 {
            register(&app, &event, delegate(&format!("b{n}@example.org"), &[]))
                .await
                .expect(201);
        }
        let dir = std::env::temp_dir().join(format!("dialogue-backup-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("copy.db");
        let size = dialogue::app::backup::backup(&app.state, &path)
            .await
            .unwrap();
        assert!(size > 0);
        assert!(
            dialogue::app::backup::backup(&app.state, &path)
                .await
                .is_err(),
            "an existing file is not overwritten"
        );
        // The copy opens as Dialogue's database, with the same master key, and holds it all.
        let restored = dialogue::Application::build(dialogue::Config::for_database(format!(
            "sqlite://{}?mode=rw",
            path.display()
        )))
        .await
        .expect("the backup opens");
        let client = poem::test::TestClient::new(restored.endpoint());
        let agenda = read(
            client
                .get(format!("/api/v1/events/{event}/agenda"))
                .send()
                .await
                .0,
        )
        .await;
        agenda.expect(200);
        let listed = read(
            client
                .get(format!("/api/v1/events/{event}/registrations"))
                .header("Authorization", format!("Bearer {}", app.organizer))
                .send()
                .await
                .0,
        )
        .await;
        assert_eq!(listed.body["items"].as_array().map(Vec::len), Some(5));
        std::fs::remove_dir_all(&dir).ok();
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgresql_is_backed_up_and_restored_with_its_own_tools() {
    run(Backend::Postgres, |db| async move {
        let app = db.app().await;
        let refused = dialogue::app::backup::backup(&app.state, std::path::Path::new("/tmp/x.db"))
            .await
            .expect_err("refused");
        assert!(refused.to_string().contains("pg_dump"));
        // As docs/operations.md says: pg_dump, createdb, pg_restore.
        let event = app.published_event(json!({})).await["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let (token, _) = confirmed_badge(&app, &event, "restored@example.org").await;
        let dir = std::env::temp_dir().join(format!("dialogue-pgdump-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&dir).unwrap();
        let dump = dir.join("dialogue.dump");
        let source = db.url.rsplit('/').next().unwrap().to_owned();
        let target = format!("{source}_restored");
        let tool = |program: &str, args: &[&str]| {
            let output = std::process::Command::new(program)
                .args(["-h", "127.0.0.1", "-U", "postgres"])
                .args(args)
                .output()
                .unwrap_or_else(|err| panic!("{program}: {err}"));
            assert!(
                output.status.success(),
                "{program}: {}",
                String::from_utf8_lossy(&output.stderr)
            );
        };
        tool("pg_dump", &["-Fc", "-f", dump.to_str().unwrap(), &source]);
        tool("createdb", &[&target]);
        tool("pg_restore", &["-d", &target, dump.to_str().unwrap()]);
        let url = db.url.replace(&format!("/{source}"), &format!("/{target}"));
        let restored = dialogue::Application::build(dialogue::Config::for_database(url))
            .await
            .expect("the restored database opens with the same master key");
        let client = poem::test::TestClient::new(restored.endpoint());
        let me = read(
            client
                .get("/api/v1/registrations/me")
                .header("Authorization", format!("Bearer {token}"))
                .send()
                .await
                .0,
        )
        .await;
        me.expect(200);
        assert_eq!(me.body["email"], "restored@example.org");
        drop(client);
        drop(restored);
        tool("dropdb", &["--force", &target]);
        std::fs::remove_dir_all(&dir).ok();
    })
    .await;
}
