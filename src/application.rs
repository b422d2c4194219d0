//! The application: [`Application::build`] connects and migrates the database, loads secrets
//! and keys, and starts every background task (scan and registration queues, token look-ups,
//! the PostgreSQL change listener, SQLite WAL checkpoints, key reload). `main`, the tests and
//! the benchmarks all build the service here, the same way. [`AppState`] is what the use cases
//! and the front ends share.

use std::sync::atomic::AtomicBool;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use sea_orm::{DatabaseConnection, DbErr};

use crate::api;
use crate::app::badges::BadgeImages;
use crate::app::registration_queue::RegistrationQueue;
use crate::app::scan_queue::ScanQueue;
use crate::cache::{HeadCache, RenderCache};
use crate::config::Config;
use crate::limits::ClientLimits;
use crate::net::{ConnectionLimits, GuardedAcceptor};
use crate::pdf_cache::PdfCache;
use crate::sealing::MasterKey;
use crate::store;
use crate::store::keys::Keyring;
use crate::store::token_lookups::TokenLookups;
use crate::verified_codes::VerifiedCodes;
use crate::work_pool::WorkPool;

/// Bytes of badge PNGs kept per instance (a badge is about 60 KB).
const BADGE_CACHE_BYTES: u64 = 16 * 1024 * 1024;

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
    /// Seals the secrets kept in the database.
    pub master_key: Arc<MasterKey>,
    /// The signing keys of `SIGNING_KEYS_FILE`, when they come from there.
    pub external_keys: Option<Arc<Keyring>>,
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
    /// Per-client rate limits of this instance.
    pub limits: Arc<ClientLimits>,
    /// The bounded pool every expensive drawing (PDFs, badge images, exports) runs in.
    pub work_pool: Arc<WorkPool>,
    /// Drawn PDFs, kept per version of what they were drawn from.
    pub pdfs: Arc<PdfCache>,
    /// Badge PNGs being drawn and drawn already.
    pub badge_images: Arc<BadgeImages>,
    /// Set when the service was asked to stop: `/readyz` answers 503 while it drains.
    pub draining: Arc<AtomicBool>,
    /// The keys that sign certificates of attendance, loaded on first use.
    pub certificate_keys: Arc<tokio::sync::OnceCell<Arc<Keyring>>>,
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
        let acquire = &store::PoolOptions {
            acquire_timeout: config.db_acquire_timeout,
            sqlite_full_sync: config.sqlite_full_sync,
        };
        // On SQLite the one writer connection opens first and migrates alone, so no reader
        // connection opening meanwhile can meet the migration's locks.
        let (db, writer) = if url.starts_with("sqlite:") {
            let writer = store::connect_with(&url, 1, acquire).await?;
            store::migrate(&writer).await?;
            (store::connect_with(&url, pool_size, acquire).await?, writer)
        } else {
            let db = store::connect_with(&url, pool_size, acquire).await?;
            store::migrate(&db).await?;
            (db.clone(), db)
        };
        let secrets = Secrets::resolve(&config, &writer)
            .await
            .map_err(DbErr::Custom)?;
        let token_secret = secrets.token_secret;
        let keys = secrets.keys;
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
                store::connect_with(&url, 1, acquire).await
            } else {
                Ok(writer.clone())
            }
        };
        let scans = ScanQueue::start(queue_connection().await?);
        let token_secret = Arc::new(token_secret);
        let config_limits = config.limits.clone();
        let drawing = Arc::new(WorkPool::new(
            config.limits.drawing_pool,
            config.limits.drawing_queue,
        ));
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
            master_key: Arc::new(secrets.master_key),
            external_keys: secrets.external_keys,
            config: Arc::new(config),
            render_cache: Arc::new(RenderCache::default()),
            keys: Arc::new(RwLock::new(Arc::new(keys))),
            heads,
            verified_codes: Arc::new(VerifiedCodes::default()),
            limits: Arc::new(ClientLimits::new(&config_limits)),
            badge_images: Arc::new(BadgeImages::new(BADGE_CACHE_BYTES)),
            work_pool: drawing,
            pdfs: Arc::new(PdfCache::default()),
            draining: Arc::default(),
            certificate_keys: Arc::default(),
        })
    }

    /// State over one already migrated pool (used to print the OpenAPI document).
    pub fn new(db: DatabaseConnection, config: Config) -> Self {
        AppState {
            writer: db.clone(),
            scans: ScanQueue::start(db.clone()),
            registrations: RegistrationQueue::start(db.clone(), Arc::new(Vec::new())),
            tokens: TokenLookups::start(db.clone()),
            db,
            token_secret: Arc::new(Vec::new()),
            master_key: Arc::new(MasterKey::from_hex(&"00".repeat(32)).expect("a valid key")),
            external_keys: None,
            render_cache: Arc::new(RenderCache::default()),
            keys: Arc::new(RwLock::new(Arc::new(Keyring::ephemeral()))),
            heads: Arc::new(HeadCache::default()),
            verified_codes: Arc::new(VerifiedCodes::default()),
            limits: Arc::new(ClientLimits::new(&config.limits)),
            badge_images: Arc::new(BadgeImages::new(BADGE_CACHE_BYTES)),
            work_pool: Arc::new(WorkPool::new(1, 16)),
            pdfs: Arc::new(PdfCache::default()),
            draining: Arc::default(),
            certificate_keys: Arc::default(),
            config: Arc::new(config),
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

    /// Empties this instance's event cache after a committed change to what the agenda and
    /// the feeds show (other instances hear of it from the database; see `store::changes`).
    pub fn agenda_changed(&self) {
        self.heads.invalidate();
    }

    /// The keyring as this instance knows it.
    pub fn keyring(&self) -> Arc<Keyring> {
        match self.keys.read() {
            Ok(keys) => keys.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// Reads the keyring again from the database (another instance may have rotated it, or
    /// retired a key: then the codes verified with that key are forgotten too).
    pub async fn reload_keys(&self) -> Result<Arc<Keyring>, crate::error::AppError> {
        if let Some(external) = &self.external_keys {
            return Ok(external.clone());
        }
        let keys = Arc::new(store::keys::load(&self.db, &self.master_key).await?);
        if let Ok(mut current) = self.keys.write() {
            let retired = current
                .public
                .keys()
                .any(|kid| !keys.public.contains_key(kid));
            if retired {
                self.verified_codes.forget_all();
            }
            *current = keys.clone();
        }
        Ok(keys)
    }
}

/// The running service: its state with every background task started.
#[derive(Clone)]
pub struct Application {
    pub state: AppState,
}

impl Application {
    /// Connects (creating and migrating the database), then starts the background tasks.
    pub async fn build(config: Config) -> Result<Self, DbErr> {
        let state = AppState::connect(config).await?;
        spawn_key_reload(state.clone());
        crate::app::retention::spawn(state.clone());
        match crate::mail::transport::Transport::from_config(&state.config.mail) {
            Ok(Some(transport)) if state.config.mail.sender => {
                crate::mail::sender::spawn(state.clone(), transport)
            }
            Ok(Some(_)) => tracing::info!("this instance writes e-mails but does not send them"),
            Ok(None) => {}
            Err(err) => return Err(DbErr::Custom(err.to_string())),
        }
        Ok(Application { state })
    }

    /// The HTTP endpoint of this application.
    pub fn endpoint(&self) -> impl poem::Endpoint<Output = poem::Response> + 'static {
        api::endpoint::build_app(self.state.clone())
    }

    /// Serves HTTP on the configured address until `shutdown` completes; then drains: for
    /// `DRAIN_DELAY_MS` it still accepts (requests already queued in the kernel are served)
    /// while `/readyz` answers 503, then it stops taking connections and answers the
    /// requests already taken (within `SHUTDOWN_GRACE_SECS`).
    pub async fn serve(
        self,
        shutdown: impl std::future::Future<Output = ()> + Send,
    ) -> std::io::Result<()> {
        let draining = self.state.draining.clone();
        let delay = self.state.config.limits.drain_delay;
        let shutdown = async move {
            shutdown.await;
            draining.store(true, std::sync::atomic::Ordering::SeqCst);
            tracing::info!(delay_ms = delay.as_millis() as u64, "draining");
            tokio::time::sleep(delay).await;
        };
        use poem::listener::Listener;
        let config = &self.state.config;
        let bind = config.bind.clone();
        let acceptor = poem::listener::TcpListener::bind(bind.clone())
            .into_acceptor()
            .await?;
        let acceptor = GuardedAcceptor::new(
            acceptor,
            ConnectionLimits {
                max_connections: config.limits.max_connections,
                max_per_client: config.limits.max_connections_per_client,
                header_timeout: config.limits.header_timeout,
            },
        );
        tracing::info!(%bind, "listening; API docs at {}/docs", config.public_url);
        spawn_forget_idle_clients(self.state.clone());
        if let Some(metrics_bind) = config.metrics.bind.clone() {
            spawn_metrics_server(self.state.clone(), metrics_bind);
        }
        poem::Server::new_with_acceptor(acceptor)
            .idle_timeout(Duration::from_secs(75))
            .run_with_graceful_shutdown(
                self.endpoint(),
                shutdown,
                Some(self.state.config.limits.shutdown_grace),
            )
            .await?;
        // Every request taken was answered (or the grace ran out); what the queues were
        // given was decided before those answers went out.
        tracing::info!("stopped taking requests; every request taken was answered");
        Ok(())
    }
}

/// `GET /metrics` on its own address (for a scraper on a private network).
fn spawn_metrics_server(state: AppState, bind: String) {
    use poem::EndpointExt;
    tokio::spawn(async move {
        tracing::info!(%bind, "metrics at /metrics");
        let app = poem::Route::new()
            .at(
                "/metrics",
                poem::get(crate::api::health::metrics_on_their_own_address),
            )
            .data(state);
        if let Err(err) = poem::Server::new(poem::listener::TcpListener::bind(bind))
            .run(app)
            .await
        {
            tracing::error!(error = %err, "the metrics server stopped");
        }
    });
}

/// Rate-limit tables forget clients that went quiet, every minute.
fn spawn_forget_idle_clients(state: AppState) {
    tokio::spawn(async move {
        let mut every = tokio::time::interval(Duration::from_secs(60));
        loop {
            every.tick().await;
            state.limits.forget_idle();
        }
    });
}

/// Another instance or `dialogue keys rotate` may add a signing key: pick it up every minute.
fn spawn_key_reload(state: AppState) {
    tokio::spawn(async move {
        let mut every = tokio::time::interval(Duration::from_secs(60));
        every.tick().await;
        loop {
            every.tick().await;
            if let Err(err) = state.reload_keys().await {
                tracing::warn!(error = %err, "reloading signing keys failed");
            }
        }
    });
}

/// The secrets an instance starts with, from the configuration and the database.
struct Secrets {
    master_key: MasterKey,
    token_secret: Vec<u8>,
    keys: Keyring,
    external_keys: Option<Arc<Keyring>>,
}

impl Secrets {
    /// Reads (or on first start creates) the master key, the token secret and the keyring:
    /// from outside the database where configured, otherwise from it, sealed.
    async fn resolve(config: &Config, db: &DatabaseConnection) -> Result<Secrets, String> {
        let secrets = &config.secrets;
        let master_key = match (&secrets.master_key, &secrets.master_key_file) {
            (Some(hex), _) => MasterKey::from_hex(hex).map_err(|e| e.to_string())?,
            (None, file) => {
                let path = file
                    .clone()
                    .unwrap_or_else(|| config.data_dir.join("master.key"));
                let (key, created) = MasterKey::load_or_create(&path).map_err(|e| e.to_string())?;
                if created {
                    tracing::warn!(
                        path = %path.display(),
                        "created a master key that seals the secrets in the database: back it \
                         up apart from the database; other instances need the same key"
                    );
                }
                key
            }
        };
        let token_secret = match (&secrets.token_secret, &secrets.token_secret_file) {
            (Some(hex), _) => external_secret(hex)?,
            (None, Some(path)) => external_secret(
                &std::fs::read_to_string(path)
                    .map_err(|err| format!("TOKEN_SECRET_FILE {}: {err}", path.display()))?,
            )?,
            (None, None) => store::secrets::get_or_create(db, "token-derivation", &master_key)
                .await
                .map_err(|err| err.to_string())?,
        };
        let (keys, external_keys) = match &secrets.signing_keys_file {
            Some(path) => {
                let text = std::fs::read_to_string(path)
                    .map_err(|err| format!("SIGNING_KEYS_FILE {}: {err}", path.display()))?;
                let keys = store::keys::from_file(&text)
                    .map_err(|err| format!("SIGNING_KEYS_FILE {}: {err}", path.display()))?;
                (keys.clone(), Some(Arc::new(keys)))
            }
            None => (
                store::keys::load_or_create(db, &master_key)
                    .await
                    .map_err(|err| err.to_string())?,
                None,
            ),
        };
        Ok(Secrets {
            master_key,
            token_secret,
            keys,
            external_keys,
        })
    }
}

/// A token secret given from outside: hex, at least 32 bytes.
fn external_secret(text: &str) -> Result<Vec<u8>, String> {
    hex::decode(text.trim())
        .ok()
        .filter(|bytes| bytes.len() >= 32)
        .ok_or_else(|| "TOKEN_SECRET must be at least 64 hex characters (32 bytes)".to_owned())
}
