//! Holes a review found, each closed with a test that fails without its fix: HSTS and
//! `__Host-` cookies behind https, a Content Security Policy on `/docs` that lets only its own
//! scripts run, and the first organizer token kept in a file only its owner reads (never
//! printed where logs are kept).

use std::process::{Command, Stdio};
use std::time::Duration;

use crate::db_test_with;
use crate::helpers::{Backend, TestDb, run};
use crate::visitor::Visitor;

fn behind_https(config: &mut dialogue::Config) {
    config.public_url = "https://dialogue.example.gov.tm".into();
}

db_test_with!(
    behind_https_browsers_are_told_to_stay_on_https,
    behind_https,
    |app| async move {
        for path in ["/healthz", "/", "/api/v1/events", "/scan"] {
            let reply = app.get(path).await;
            assert_eq!(
                reply.header("strict-transport-security"),
                Some("max-age=63072000"),
                "{path}"
            );
        }
        // The CSRF and language cookies are `__Host-` cookies there.
        let event = app.published_event(serde_json::json!({})).await;
        let slug = event["slug"].as_str().unwrap();
        let mut visitor = Visitor::new(&app);
        let form = visitor
            .get(&format!("/events/{slug}/register?lang=ru"))
            .await;
        form.expect(200);
        assert!(
            visitor.cookies.contains_key("__Host-dlg_csrf"),
            "{:?}",
            visitor.cookies
        );
        assert!(
            visitor.cookies.contains_key("__Host-lang"),
            "{:?}",
            visitor.cookies
        );
        assert!(!visitor.cookies.contains_key("dlg_csrf"));
        // The remembered language is read back from the `__Host-` cookie.
        let page = visitor.get("/").await;
        assert!(page.text.contains(r#"lang="ru""#));
    }
);

db_test_with!(
    over_plain_http_there_is_no_hsts,
    |_config| {},
    |app| async move {
        assert_eq!(
            app.get("/healthz")
                .await
                .header("strict-transport-security"),
            None
        );
    }
);

db_test_with!(
    the_api_documentation_runs_only_its_own_scripts,
    |_config| {},
    |app| async move {
        let docs = app.get("/docs").await;
        docs.expect(200);
        let policy = docs
            .header("content-security-policy")
            .unwrap_or_default()
            .to_owned();
        assert!(policy.contains("default-src 'none'"), "{policy}");
        assert!(policy.contains("connect-src 'self'"), "{policy}");
        let script_src = policy
            .split(';')
            .find(|d| d.trim_start().starts_with("script-src"))
            .unwrap_or_default();
        assert!(!script_src.contains("unsafe-inline"), "{policy}");
        // Every inline script of the page is allowed by its hash, and nothing else.
        let scripts: Vec<&str> = dialogue::api::docs_policy::inline_scripts(&docs.text).collect();
        assert!(!scripts.is_empty());
        assert_eq!(script_src.matches("'sha256-").count(), scripts.len());
        assert_eq!(dialogue::api::docs_policy::for_page(&docs.text), policy);
    }
);

/// The first start of the real binary writes the organizer token to a 0600 file in the data
/// directory and says only the file's path.
async fn first_token_goes_to_a_private_file(backend: Backend) {
    run(backend, |db: TestDb| async move {
        // A fresh database, not yet migrated: the binary's first start.
        let data_dir =
            std::env::temp_dir().join(format!("dialogue-first-{}", uuid::Uuid::new_v4()));
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let mut child = Command::new(env!("CARGO_BIN_EXE_dialogue"))
            .args(["serve"])
            .env("DATABASE_URL", &db.url)
            .env("DATA_DIR", &data_dir)
            .env("BIND", format!("127.0.0.1:{port}"))
            .env("MASTER_KEY", "7e".repeat(32))
            .env_remove("DIALOGUE_ORGANIZER_TOKEN")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start the dialogue binary");
        let file = data_dir.join("first-organizer-token");
        let mut waited = 0;
        while !file.exists() && waited < 600 {
            tokio::time::sleep(Duration::from_millis(100)).await;
            waited += 1;
        }
        // Give the log line a moment, then stop the process and read what it said.
        tokio::time::sleep(Duration::from_millis(300)).await;
        let _ = child.kill();
        let output = child.wait_with_output().expect("its output");
        let said = format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        let token = std::fs::read_to_string(&file)
            .expect("the token file")
            .trim()
            .to_owned();
        assert!(token.starts_with("dlg_org_"), "{token}");
        assert!(!said.contains(&token), "the token was printed: {said}");
        assert!(said.contains("first-organizer-token"), "{said}");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&file)
                .expect("metadata")
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600, "{mode:o}");
        }
        let _ = std::fs::remove_dir_all(&data_dir);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_first_organizer_token_goes_to_a_private_file_sqlite() {
    first_token_goes_to_a_private_file(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_first_organizer_token_goes_to_a_private_file_postgres() {
    first_token_goes_to_a_private_file(Backend::Postgres).await;
}
