//! The application: its shared state and the HTTP endpoint built from it. `main`, the tests
//! and the benchmarks all build the service here, the same way.

use std::sync::{Arc, RwLock};
use std::time::Instant;

use poem::{Endpoint, EndpointExt, IntoResponse, PathPattern, Request, Response, Route};
use poem_openapi::OperationId;
use sea_orm::{DatabaseConnection, DbErr};

use crate::api;
use crate::cache::{HeadCache, RenderCache};
use crate::config::Config;
use crate::error::problem_for_any_error;
use crate::store;
use crate::store::keys::Keyring;
use crate::store::registration_queue::RegistrationQueue;
use crate::store::scan_queue::ScanQueue;
use crate::store::token_lookups::TokenLookups;
use crate::verified_codes::VerifiedCodes;

/// What every request handler may use.
#[derive(Clone)]
pub struct AppState {
    /// Reads (and writes on PostgreSQL).
    pub db: DatabaseConnection,
    /// Writes: on SQLite a pool of one connection, so writers queue in the process instead of
    /// polling SQLite's lock; on PostgreSQL the same pool as `db`.
    pub writer: DatabaseConnection,
    /// The secret delegates' manage and calendar tokens are derived from (shared by instances).
    pub token_secret: Arc<Vec<u8>>,
    pub config: Arc<Config>,
    /// Rendered agendas and feeds of this instance, keyed by agenda version.
    pub render_cache: Arc<RenderCache>,
    /// The keys that sign and verify badge codes (reloaded when a code names an unknown key).
    pub keys: Arc<RwLock<Arc<Keyring>>>,
    /// Events for the hot paths, emptied on every agenda change.
    pub heads: Arc<HeadCache>,
    /// Scans wait here to be decided in groups, one transaction per group.
    pub scans: ScanQueue,
    /// New registrations wait here to be made in groups, one transaction per group.
    pub registrations: RegistrationQueue,
    /// Organizer and check-in tokens are looked up here, many requests per query.
    pub tokens: TokenLookups,
    /// Badge codes whose signature passed, so re-scans skip Ed25519.
    pub verified_codes: Arc<VerifiedCodes>,
}

impl AppState {
    /// Connects to the configured database and applies pending migrations.
    pub async fn connect(config: Config) -> Result<Self, DbErr> {
        let url = config.effective_database_url();
        if url.starts_with("sqlite:") {
            std::fs::create_dir_all(&config.data_dir)
                .map_err(|err| DbErr::Custom(format!("cannot create data directory: {err}")))?;
        }
        // SQLite reads run on one thread per connection: more connections than about two per
        // core only add context switches.
        let pool_size = if url.starts_with("sqlite:") {
            let cores = std::thread::available_parallelism().map_or(2, |n| n.get() as u32);
            config.max_connections.min(cores * 2).max(2)
        } else {
            config.max_connections
        };
        let db = store::connect(&url, pool_size).await?;
        store::migrate(&db).await?;
        let writer = if store::is_postgres(&db) {
            db.clone()
        } else {
            store::connect(&url, 1).await?
        };
        let token_secret = store::secrets::get_or_create(&writer, "token-derivation")
            .await
            .map_err(|err| DbErr::Custom(err.to_string()))?;
        let keys = store::keys::load_or_create(&writer)
            .await
            .map_err(|err| DbErr::Custom(err.to_string()))?;
        let heads = Arc::new(HeadCache::default());
        if store::is_postgres(&db) {
            store::changes::spawn_listener(&db, heads.clone());
        } else {
            // Every SQLite write goes through this process, which empties the cache itself.
            heads.set_live(true);
            store::checkpoint_wal_in_background(db.clone());
        }
        // The queues have a connection each on PostgreSQL, so their groups never wait behind
        // requests for one of the pool's; on SQLite they share the one writer connection.
        let queue_connection = async || {
            if store::is_postgres(&db) {
                store::connect(&url, 1).await
            } else {
                Ok(writer.clone())
            }
        };
        let scans = ScanQueue::start(queue_connection().await?, api::checkins::render_answer);
        let token_secret = Arc::new(token_secret);
        let registrations =
            RegistrationQueue::start(queue_connection().await?, token_secret.clone());
        let tokens = TokenLookups::start(db.clone());
        Ok(AppState {
            db,
            writer,
            scans,
            registrations,
            tokens,
            token_secret,
            config: Arc::new(config),
            render_cache: Arc::new(RenderCache::default()),
            keys: Arc::new(RwLock::new(Arc::new(keys))),
            heads,
            verified_codes: Arc::new(VerifiedCodes::default()),
        })
    }

    /// State over one already migrated pool (used to print the OpenAPI document).
    pub fn new(db: DatabaseConnection, config: Config) -> Self {
        AppState {
            writer: db.clone(),
            scans: ScanQueue::start(db.clone(), api::checkins::render_answer),
            registrations: RegistrationQueue::start(db.clone(), Arc::new(Vec::new())),
            tokens: TokenLookups::start(db.clone()),
            db,
            token_secret: Arc::new(Vec::new()),
            config: Arc::new(config),
            render_cache: Arc::new(RenderCache::default()),
            keys: Arc::new(RwLock::new(Arc::new(Keyring::ephemeral()))),
            heads: Arc::new(HeadCache::default()),
            verified_codes: Arc::new(VerifiedCodes::default()),
        }
    }

    /// The event named by `reference`, from the cache when it may be trusted.
    pub async fn cached_event(
        &self,
        reference: &str,
    ) -> Result<Option<Arc<entities::events::Model>>, crate::error::AppError> {
        if let Some(event) = self.heads.get(reference) {
            return Ok(Some(event));
        }
        let generation = self.heads.generation();
        let event = store::events::find(&self.db, reference)
            .await?
            .map(Arc::new);
        if let Some(event) = &event {
            self.heads.put_if(reference, event.clone(), generation);
        }
        Ok(event)
    }

    /// The keyring as this instance knows it.
    pub fn keyring(&self) -> Arc<Keyring> {
        match self.keys.read() {
            Ok(keys) => keys.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// Reads the keyring again from the database (another instance may have rotated it).
    pub async fn reload_keys(&self) -> Result<Arc<Keyring>, crate::error::AppError> {
        let keys = Arc::new(store::keys::load(&self.db).await?);
        if let Ok(mut current) = self.keys.write() {
            *current = keys.clone();
        }
        Ok(keys)
    }
}

/// The whole HTTP service: the API, its OpenAPI document and Swagger UI, request logging,
/// the body size limit and problem+json for every error.
pub fn build_app(state: AppState) -> impl Endpoint<Output = Response> + 'static {
    let api = api::service(&state);
    let raw_spec = api.spec();
    let spec = api::openapi_document(&state);
    let ui_html = api.swagger_ui_html().replace(&raw_spec, &spec);
    let spec_endpoint = poem::endpoint::make_sync(move |_| {
        Response::builder()
            .content_type("application/json; charset=utf-8")
            .body(spec.clone())
    });
    let ui = poem::endpoint::make_sync(move |_| poem::web::Html(ui_html.clone()));
    let max_body_bytes = state.config.max_body_bytes;
    let heads = state.heads.clone();
    Route::new()
        .at("/api/v1/openapi.json", spec_endpoint)
        .at("/docs", ui)
        .nest("/", api)
        .around(move |next, req| limit_body(next, req, max_body_bytes))
        .data(state)
        .around(move |next, req| forget_heads_after_writes(next, req, heads.clone()))
        .with(poem::middleware::CatchPanic::new())
        .around(log_request)
        .catch_all_error(problem_for_any_error)
}

/// The OpenAPI document as served at `/api/v1/openapi.json`.
pub fn openapi_json(state: &AppState) -> String {
    api::openapi_document(state)
}

/// One log line per request: method, path template, status and duration.
async fn log_request<E: Endpoint>(next: Arc<E>, req: Request) -> poem::Result<Response> {
    let started = Instant::now();
    let method = req.method().clone();
    let raw_path = req.uri().path().to_owned();
    let result = next.call(req).await.map(IntoResponse::into_response);
    let (status, pattern, operation) = match &result {
        Ok(response) => (
            response.status(),
            response.data::<PathPattern>().cloned(),
            response.data::<OperationId>().map(|id| id.0),
        ),
        Err(err) => (
            err.status(),
            err.data::<PathPattern>().cloned(),
            err.data::<OperationId>().map(|id| id.0),
        ),
    };
    let path = pattern
        .map(|p| p.0.to_string())
        .filter(|p| !p.is_empty())
        .unwrap_or(raw_path);
    tracing::info!(
        method = %method,
        path = %path,
        operation = operation.unwrap_or("-"),
        status = status.as_u16(),
        duration_us = started.elapsed().as_micros() as u64,
        "request"
    );
    result
}

/// Refuses bodies over `max` bytes with 413, whether or not they announce their length, and
/// URLs carrying NUL characters (which PostgreSQL cannot store or compare) with 400.
async fn limit_body<E: Endpoint>(
    next: Arc<E>,
    mut req: Request,
    max: usize,
) -> poem::Result<Response> {
    let too_large = || {
        poem::Error::from_string(
            format!("the request body is larger than {max} bytes"),
            poem::http::StatusCode::PAYLOAD_TOO_LARGE,
        )
    };
    if req.uri().to_string().contains("%00") {
        return Err(poem::Error::from_string(
            "the URL must not contain NUL characters",
            poem::http::StatusCode::BAD_REQUEST,
        ));
    }
    let announced = req
        .headers()
        .get(poem::http::header::CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.parse::<u64>().ok());
    match announced {
        Some(length) if length > max as u64 => return Err(too_large()),
        Some(_) => {}
        None => {
            let body = req
                .take_body()
                .into_bytes_limit(max)
                .await
                .map_err(|_| too_large())?;
            req.set_body(body);
        }
    }
    next.call(req).await.map(IntoResponse::into_response)
}

/// Operations that write but change nothing the agenda or the feeds show.
const LEAVES_AGENDA_ALONE: &[&str] = &[
    "register",
    "approve_registration",
    "reject_registration",
    "change_my_sessions",
    "cancel_my_registration",
    "rotate_my_calendar_link",
    "check_in",
    "check_in_batch",
];

/// Empties the event-head cache after every request that may have changed agenda data (its
/// transaction has committed by the time the response exists).
async fn forget_heads_after_writes<E: Endpoint>(
    next: Arc<E>,
    req: Request,
    heads: Arc<HeadCache>,
) -> poem::Result<Response> {
    let reads_only = matches!(
        *req.method(),
        poem::http::Method::GET | poem::http::Method::HEAD | poem::http::Method::OPTIONS
    );
    let result = next.call(req).await.map(IntoResponse::into_response);
    if !reads_only {
        let operation = match &result {
            Ok(response) => response.data::<OperationId>().map(|id| id.0),
            Err(err) => err.data::<OperationId>().map(|id| id.0),
        };
        if !operation.is_some_and(|id| LEAVES_AGENDA_ALONE.contains(&id)) {
            heads.invalidate();
        }
    }
    result
}
