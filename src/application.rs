//! The application: [`Application::build`] connects and migrates the database, loads secrets
//! and keys, and starts every background task (scan and registration queues, token look-ups,
//! the PostgreSQL change listener, SQLite WAL checkpoints, key reload). `main`, the tests and
//! the benchmarks all build the service here, the same way. [`AppState`] is what the use cases
//! and the front ends share.

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
use crate::store;
use crate::store::keys::Keyring;
use crate::store::token_lookups::TokenLookups;
use crate::verified_codes::VerifiedCodes;

/// Bytes of badge PNGs kept per instance (a badge is about 60 KB).
const BADGE_CACHE_BYTES: u64 = 64 * 1024 * 1024;

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
    /// Per-client rate limits of this instance.
    pub limits: Arc<ClientLimits>,
    /// Badge PNGs being drawn and drawn already.
    pub badge_images: Arc<BadgeImages>,
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
        // On SQLite the one writer connection opens first and migrates alone, so no reader
        // connection opening meanwhile can meet the migration's locks.
        let (db, writer) = if url.starts_with("sqlite:") {
            let writer = store::connect(&url, 1).await?;
            store::migrate(&writer).await?;
            (store::connect(&url, pool_size).await?, writer)
        } else {
            let db = store::connect(&url, pool_size).await?;
            store::migrate(&db).await?;
            (db.clone(), db)
        };
        store::checkins::detect_legacy_nonces(&writer)
            .await
            .map_err(|err| DbErr::Custom(err.to_string()))?;
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
        let scans = ScanQueue::start(queue_connection().await?);
        let token_secret = Arc::new(token_secret);
        let config_limits = config.limits.clone();
        let badge_renders = config.limits.badge_renders;
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
            limits: Arc::new(ClientLimits::new(&config_limits)),
            badge_images: Arc::new(BadgeImages::new(badge_renders, BADGE_CACHE_BYTES)),
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
            render_cache: Arc::new(RenderCache::default()),
            keys: Arc::new(RwLock::new(Arc::new(Keyring::ephemeral()))),
            heads: Arc::new(HeadCache::default()),
            verified_codes: Arc::new(VerifiedCodes::default()),
            limits: Arc::new(ClientLimits::new(&config.limits)),
            badge_images: Arc::new(BadgeImages::new(1, BADGE_CACHE_BYTES)),
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

    /// Reads the keyring again from the database (another instance may have rotated it).
    pub async fn reload_keys(&self) -> Result<Arc<Keyring>, crate::error::AppError> {
        let keys = Arc::new(store::keys::load(&self.db).await?);
        if let Ok(mut current) = self.keys.write() {
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

    /// Serves HTTP on the configured address until `shutdown` completes.
    pub async fn serve(
        self,
        shutdown: impl std::future::Future<Output = ()> + Send,
    ) -> std::io::Result<()> {
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
        poem::Server::new_with_acceptor(acceptor)
            .idle_timeout(Duration::from_secs(75))
            .run_with_graceful_shutdown(self.endpoint(), shutdown, Some(Duration::from_secs(10)))
            .await
    }
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
