//! The test harness: every test gets its own fresh database (a SQLite file, or a PostgreSQL
//! database created for it and dropped after), the real application, and an HTTP client.
//! `db_test!` writes each test twice, once per store.

use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::sync::{Arc, Mutex, OnceLock};

use dialogue::domain::enums::TokenRole;
use dialogue::{AppState, Application, Config, store};
use futures::FutureExt;
use poem::endpoint::BoxEndpoint;
use poem::http::{HeaderMap, Method, StatusCode};
use poem::test::TestClient;
use poem::{EndpointExt, Response};
use sea_orm::{ConnectionTrait, Database, DatabaseConnection, DatabaseTransaction, Statement};
use serde_json::Value;
use uuid::Uuid;

/// Held by tests that load the CPU for long (PDF rendering and decoding) and by the test that
/// measures `/healthz` while badges are drawn, so that the one does not starve the other on a
/// two-core machine.
pub static CPU_HEAVY: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// Which store a test runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

#[path = "postgres_cluster.rs"]
mod postgres_cluster;

/// The PostgreSQL server tests create their databases on (see [`postgres_cluster`]).
pub fn postgres_admin_url() -> String {
    match postgres_cluster::server() {
        postgres_cluster::Server::At(url) => url.clone(),
        postgres_cluster::Server::Missing(_) => {
            "postgres://postgres@127.0.0.1:5432/postgres".to_owned()
        }
    }
}

/// Whether PostgreSQL tests are skipped: turned off explicitly, or PostgreSQL is not
/// installed here; never in CI, where a missing PostgreSQL fails.
pub fn postgres_skipped() -> bool {
    if std::env::var("DIALOGUE_TEST_SKIP_POSTGRES").is_ok_and(|v| v == "1") {
        return true;
    }
    match postgres_cluster::server() {
        postgres_cluster::Server::At(_) => false,
        postgres_cluster::Server::Missing(why) => {
            assert!(
                !std::env::var("CI").is_ok_and(|v| v == "true"),
                "CI=true and there is no PostgreSQL to test on: {why}"
            );
            true
        }
    }
}

/// A fresh, migrated database of one backend; remove it with [`TestDb::drop_db`].
pub struct TestDb {
    pub backend: Backend,
    pub url: String,
    name: String,
}

impl TestDb {
    pub async fn create(backend: Backend) -> TestDb {
        let name = format!("dialogue_test_{}", Uuid::new_v4().simple());
        match backend {
            Backend::Sqlite => {
                let dir = std::env::temp_dir().join("dialogue-tests");
                std::fs::create_dir_all(&dir).expect("temp dir");
                let path = dir.join(format!("{name}.db"));
                TestDb {
                    backend,
                    url: format!("sqlite://{}?mode=rwc", path.display()),
                    name: path.display().to_string(),
                }
            }
            Backend::Postgres => {
                let admin_url = postgres_admin_url();
                let admin = Database::connect(&admin_url).await.unwrap_or_else(|err| {
                    panic!(
                        "PostgreSQL is not reachable at {admin_url}: {err}. Start it (see docs/testing.md) \
                         or set DIALOGUE_TEST_SKIP_POSTGRES=1 to skip PostgreSQL tests locally."
                    )
                });
                admin
                    .execute_raw(Statement::from_string(
                        admin.get_database_backend(),
                        format!("CREATE DATABASE {name}"),
                    ))
                    .await
                    .expect("create test database");
                admin.close().await.ok();
                let base = admin_url
                    .rsplit_once('/')
                    .map(|(base, _)| base.to_owned())
                    .unwrap_or(admin_url);
                TestDb {
                    backend,
                    url: format!("{base}/{name}"),
                    name,
                }
            }
        }
    }

    pub async fn drop_db(&self) {
        match self.backend {
            Backend::Sqlite => {
                for suffix in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{suffix}", self.name));
                }
            }
            Backend::Postgres => {
                if let Ok(admin) = Database::connect(&postgres_admin_url()).await {
                    let _ = admin
                        .execute_raw(Statement::from_string(
                            admin.get_database_backend(),
                            format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name),
                        ))
                        .await;
                    admin.close().await.ok();
                }
            }
        }
    }

    /// A new application instance (its own pool) on this database.
    pub async fn app(&self) -> TestApp {
        self.app_with(|_| {}).await
    }

    /// An application on this database with its configuration adjusted (e.g. e-mail on).
    pub async fn app_with(&self, adjust: impl FnOnce(&mut Config)) -> TestApp {
        let mut config = Config::for_database(self.url.clone());
        adjust(&mut config);
        let application = Application::build(config)
            .await
            .expect("connect and migrate");
        let state = application.state.clone();
        let organizer = store::tokens::create(&state.db, TokenRole::Organizer, None, "tests")
            .await
            .expect("organizer token")
            .token;
        TestApp {
            client: TestClient::new(application.endpoint().boxed()),
            state,
            organizer,
        }
    }
}

/// Runs `test` against a fresh database of `backend`, then drops the database, also when
/// the test fails.
pub async fn run<F, Fut>(backend: Backend, test: F)
where
    F: FnOnce(TestDb) -> Fut,
    Fut: Future<Output = ()>,
{
    if backend == Backend::Postgres && postgres_skipped() {
        return;
    }
    let db = TestDb::create(backend).await;
    let handle = TestDb {
        backend,
        url: db.url.clone(),
        name: db.name.clone(),
    };
    let outcome = AssertUnwindSafe(test(db)).catch_unwind().await;
    handle.drop_db().await;
    if let Err(panic) = outcome {
        std::panic::resume_unwind(panic);
    }
}

/// Declares a test that runs once on SQLite and once on PostgreSQL, each with a fresh
/// database and one application instance: `db_test!(name, |app| async move { … });`
#[macro_export]
macro_rules! db_test {
    ($name:ident, |$app:ident| $body:expr) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                $crate::helpers::run($crate::helpers::Backend::Sqlite, |db| async move {
                    let $app = db.app().await;
                    $body.await
                })
                .await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                $crate::helpers::run($crate::helpers::Backend::Postgres, |db| async move {
                    let $app = db.app().await;
                    $body.await
                })
                .await;
            }
        }
    };
}

/// Like [`db_test!`], with the configuration adjusted first:
/// `db_test_with!(name, |config| …, |app| async move { … });`
#[macro_export]
macro_rules! db_test_with {
    ($name:ident, $adjust:expr, |$app:ident| $body:expr) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                $crate::helpers::run($crate::helpers::Backend::Sqlite, |db| async move {
                    let $app = db.app_with($adjust).await;
                    $body.await
                })
                .await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                $crate::helpers::run($crate::helpers::Backend::Postgres, |db| async move {
                    let $app = db.app_with($adjust).await;
                    $body.await
                })
                .await;
            }
        }
    };
}

impl TestDb {
    /// The application served over real TCP on a free local port (for connection limits and
    /// timeouts, which the in-process client never meets); answers its address. The server
    /// stops when the test's runtime ends.
    pub async fn serve_with(
        &self,
        adjust: impl FnOnce(&mut Config),
    ) -> (TestApp, std::net::SocketAddr) {
        let free = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
        let addr = free.local_addr().expect("its address");
        drop(free);
        let app = self
            .app_with(|config| {
                config.bind = addr.to_string();
                adjust(config);
            })
            .await;
        let application = Application {
            state: app.state.clone(),
        };
        tokio::spawn(application.serve(std::future::pending()));
        for _ in 0..100 {
            if tokio::net::TcpStream::connect(addr).await.is_ok() {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        (app, addr)
    }
}

/// One running application and a client for it.
pub struct TestApp {
    pub client: TestClient<BoxEndpoint<'static, Response>>,
    pub state: AppState,
    /// A valid organizer token.
    pub organizer: String,
}

/// A response, read whole.
#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub text: String,
    /// The body as JSON (`Value::Null` when it is not JSON).
    pub body: Value,
    /// The body as sent (PDFs, images).
    pub raw: bytes::Bytes,
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// Asserts the status, printing the body when it differs.
    #[track_caller]
    pub fn expect(&self, status: u16) -> &Self {
        assert_eq!(
            self.status.as_u16(),
            status,
            "unexpected status; body: {}",
            self.text
        );
        self
    }

    /// Asserts a problem+json error with this status.
    #[track_caller]
    pub fn expect_problem(&self, status: u16) -> &Self {
        self.expect(status);
        assert_eq!(
            self.header("content-type"),
            Some("application/problem+json"),
            "errors are problem+json: {}",
            self.text
        );
        assert_eq!(self.body["status"], status, "problem status: {}", self.text);
        assert!(self.body["title"].is_string() && self.body["detail"].is_string());
        assert!(self.body["type"].is_string() && self.body["errors"].is_array());
        self
    }

    /// The fields named in a validation problem.
    pub fn error_fields(&self) -> Vec<String> {
        self.body["errors"]
            .as_array()
            .map(|errors| {
                errors
                    .iter()
                    .filter_map(|e| e["field"].as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    }

    pub fn id(&self) -> String {
        self.body["id"].as_str().expect("id in body").to_owned()
    }
}

impl TestApp {
    /// Sends a request with an optional bearer token and JSON body.
    pub async fn call(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<&Value>,
    ) -> Reply {
        let mut request = self.client.request(method, path.to_owned());
        if let Some(token) = token {
            request = request.header("Authorization", format!("Bearer {token}"));
        }
        if let Some(body) = body {
            request = request.body_json(body);
        }
        read(request.send().await.0).await
    }

    /// Sends raw bytes as the body, with a content type.
    pub async fn call_raw(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        content_type: &str,
        body: Vec<u8>,
    ) -> Reply {
        let mut request = self
            .client
            .request(method, path.to_owned())
            .content_type(content_type)
            .body(body);
        if let Some(token) = token {
            request = request.header("Authorization", format!("Bearer {token}"));
        }
        read(request.send().await.0).await
    }

    /// Sends a request with extra headers and no body.
    pub async fn get_with(&self, path: &str, headers: &[(&str, &str)]) -> Reply {
        let mut request = self.client.get(path.to_owned());
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        read(request.send().await.0).await
    }

    pub async fn get(&self, path: &str) -> Reply {
        self.call(Method::GET, path, None, None).await
    }

    pub async fn get_as(&self, path: &str, token: &str) -> Reply {
        self.call(Method::GET, path, Some(token), None).await
    }

    /// POST as the organizer.
    pub async fn post(&self, path: &str, body: Value) -> Reply {
        self.call(Method::POST, path, Some(&self.organizer), Some(&body))
            .await
    }

    /// PATCH as the organizer.
    pub async fn patch(&self, path: &str, body: Value) -> Reply {
        self.call(Method::PATCH, path, Some(&self.organizer), Some(&body))
            .await
    }

    /// DELETE as the organizer.
    pub async fn delete(&self, path: &str) -> Reply {
        self.call(Method::DELETE, path, Some(&self.organizer), None)
            .await
    }

    /// A check-in token bound to `event_id`.
    pub async fn checkin_token(&self, event_id: &str) -> String {
        let id = Uuid::parse_str(event_id).expect("event id");
        store::tokens::create(&self.state.db, TokenRole::Checkin, Some(id), "scanner")
            .await
            .expect("check-in token")
            .token
    }

    /// Creates an event (draft) from `overrides` merged over sensible defaults; returns its body.
    pub async fn create_event(&self, overrides: Value) -> Value {
        let mut body = serde_json::json!({
            "slug": format!("event-{}", &Uuid::new_v4().simple().to_string()[..12]),
            "title": "Interregional Dialogue",
            "kind": "dialogue",
            "timezone": "Asia/Ashgabat",
            "starts_on": "2026-11-18",
            "ends_on": "2026-11-19",
            "capacity": 300
        });
        merge(&mut body, overrides);
        let reply = self.post("/api/v1/events", body).await;
        reply.expect(201);
        reply.body.clone()
    }

    /// Creates and publishes an event; returns its body.
    pub async fn published_event(&self, overrides: Value) -> Value {
        let event = self.create_event(overrides).await;
        let id = event["id"].as_str().expect("id").to_owned();
        let reply = self
            .post(&format!("/api/v1/events/{id}/publish"), Value::Null)
            .await;
        reply.expect(200);
        reply.body.clone()
    }

    /// Creates a session in `event_id` from overrides over defaults (published, 09:00–10:00
    /// local on the first day); returns the reply.
    pub async fn create_session(&self, event_id: &str, overrides: Value) -> Reply {
        let mut body = serde_json::json!({
            "title": "Session",
            "kind": "talk",
            "starts_at": "2026-11-18T09:00:00+05:00",
            "ends_at": "2026-11-18T10:00:00+05:00",
            "language": "en",
            "status": "published"
        });
        merge(&mut body, overrides);
        self.post(&format!("/api/v1/events/{event_id}/sessions"), body)
            .await
    }

    /// Counts rows of a table, straight from the database.
    pub async fn count_rows(&self, table: &str) -> i64 {
        let backend = self.state.db.get_database_backend();
        let row = self
            .state
            .db
            .query_one_raw(Statement::from_string(
                backend,
                format!("SELECT COUNT(*) AS n FROM {table}"),
            ))
            .await
            .expect("count query")
            .expect("a row");
        row.try_get::<i64>("", "n").expect("count")
    }
}

impl TestApp {
    /// A connection of its own to this application's database, as another process would
    /// have. Locks taken in a transaction on it make the application wait (a row lock on
    /// PostgreSQL, the write lock on SQLite) without taking the application's own writer
    /// connection away from it, so the application can never wait on the test for a
    /// connection.
    pub async fn other_connection(&self) -> DatabaseConnection {
        store::connect(&self.state.config.effective_database_url(), 1)
            .await
            .expect("a second connection to the test database")
    }
}

/// Runs `request` while `held` (a transaction on [`TestApp::other_connection`] that holds a
/// lock the request's writing transaction needs) stays open, and commits `held` half a second
/// later. Whatever the request read before its writing transaction is then older than the
/// held transaction's changes, whatever the timing: the request's writes wait for the commit.
pub async fn while_held<T>(held: DatabaseTransaction, request: impl Future<Output = T>) -> T {
    let (answer, ()) = tokio::join!(request, async {
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
        held.commit().await.expect("commit the held transaction");
    });
    answer
}

/// What the service logged in this test binary (see [`logs`]).
pub struct Logs(Arc<Mutex<Vec<u8>>>);

impl Logs {
    /// Everything logged so far, as text.
    pub fn text(&self) -> String {
        match self.0.lock() {
            Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
            Err(poisoned) => String::from_utf8_lossy(&poisoned.into_inner()).into_owned(),
        }
    }
}

struct LogWriter(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for LogWriter {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        if let Ok(mut buffer) = self.0.lock() {
            buffer.extend_from_slice(bytes);
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Captures the service's log (`info` and above) from the first call on. Installed once for
/// the whole test binary and shared by tests running in parallel: look for lines with your
/// own ids.
pub fn logs() -> &'static Logs {
    static LOGS: OnceLock<Logs> = OnceLock::new();
    LOGS.get_or_init(|| {
        let buffer = Arc::new(Mutex::new(Vec::new()));
        let writer = buffer.clone();
        let installed = tracing_subscriber::fmt()
            .with_env_filter("dialogue=info")
            .with_ansi(false)
            .with_writer(move || LogWriter(writer.clone()))
            .try_init();
        assert!(installed.is_ok(), "no other log subscriber in the tests");
        Logs(buffer)
    })
}

/// Shallow-merges the keys of `overrides` into `body`.
pub fn merge(body: &mut Value, overrides: Value) {
    if let (Some(target), Value::Object(source)) = (body.as_object_mut(), overrides) {
        for (key, value) in source {
            target.insert(key, value);
        }
    }
}

pub async fn read(response: Response) -> Reply {
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = response.into_body().into_bytes().await.expect("read body");
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    Reply {
        status,
        headers,
        text,
        body,
        raw: bytes,
    }
}

/// Draws an SVG QR code and decodes it, as a phone camera would read it off the screen.
pub fn decode_qr_svg(svg: &str) -> String {
    let tree = resvg::usvg::Tree::from_str(svg, &resvg::usvg::Options::default()).expect("svg");
    let size = tree.size().to_int_size();
    let scale = 600.0 / size.width() as f32;
    let mut pixmap =
        resvg::tiny_skia::Pixmap::new(600, (size.height() as f32 * scale) as u32).unwrap();
    pixmap.fill(resvg::tiny_skia::Color::WHITE);
    resvg::render(
        &tree,
        resvg::tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    let image = image::RgbaImage::from_raw(pixmap.width(), pixmap.height(), pixmap.data().to_vec())
        .unwrap();
    let gray = image::DynamicImage::ImageRgba8(image).to_luma8();
    let mut prepared = rqrr::PreparedImage::prepare(gray);
    let grids = prepared.detect_grids();
    assert_eq!(grids.len(), 1, "one QR code");
    grids[0].decode().expect("decodes").1
}
