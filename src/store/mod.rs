//! Persistence: connecting to SQLite or PostgreSQL, migrating, and the repositories of each
//! area. Functions take any `ConnectionTrait` and never begin or commit: they run on the pool,
//! or inside the transaction a use case owns (`app::work::Work`), so one transaction can hold
//! several of them. Locking and conditional updates live here and nowhere else.

pub mod categories;
pub mod certificates;
pub mod changes;
pub mod checkins;
pub mod console_sessions;
mod db_errors;
pub mod events;
pub mod failure;
pub mod idempotency;
pub mod invariants;
pub mod journal;
pub mod keys;
pub mod outbox;
pub mod pagination;
pub mod programme;
pub mod registering;
pub mod registration_changes;
pub mod registrations;
pub mod scan_decisions;
pub mod scoped;
pub mod seats;
pub mod secrets;
pub mod session_changes;
pub mod session_numbers;
pub mod sessions;
pub mod speakers;
pub mod token_lookups;
pub mod tokens;
pub mod waiting_places;

use std::time::Duration;

pub use db_errors::{Race, db_error_code, is_unavailable, race};

use migration::{Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend, DbErr, SqlErr,
};

/// Prepared statements kept per connection. The group-commit queues send statements whose
/// text depends on the group's size (an `IN` list, a multi-row insert), so the default of 100
/// would re-prepare (and on PostgreSQL, close) them over and over.
const STATEMENT_CACHE: usize = 2000;

/// Opens a pool on `url`. SQLite files are created if missing and run in WAL mode with a busy
/// timeout, so concurrent writers wait instead of failing. The server copies the SQLite WAL
/// into the database with `checkpoint_wal_in_background`, so a commit checkpoints only when
/// that has fallen behind by 10,000 pages (a checkpoint there stalls the one writer).
pub async fn connect(url: &str, max_connections: u32) -> Result<DatabaseConnection, DbErr> {
    connect_with(url, max_connections, &PoolOptions::default()).await
}

/// How a pool waits and syncs.
#[derive(Debug, Clone)]
pub struct PoolOptions {
    /// The longest wait for a free connection: while the database is down a request waits
    /// at most this long, then is answered 503 (`Failure::Unavailable`).
    pub acquire_timeout: Duration,
    /// SQLite's `synchronous`: `FULL` (the default: an acknowledged commit survives a power
    /// cut) or `NORMAL` (it may not; for storage that cannot lose power).
    pub sqlite_full_sync: bool,
}

impl Default for PoolOptions {
    fn default() -> Self {
        PoolOptions {
            acquire_timeout: Duration::from_secs(30),
            sqlite_full_sync: true,
        }
    }
}

/// [`connect`] with [`PoolOptions`].
pub async fn connect_with(
    url: &str,
    max_connections: u32,
    pool: &PoolOptions,
) -> Result<DatabaseConnection, DbErr> {
    let acquire_timeout = pool.acquire_timeout;
    let synchronous = if pool.sqlite_full_sync {
        SqliteSynchronous::Full
    } else {
        SqliteSynchronous::Normal
    };
    let mut options = ConnectOptions::new(url.to_owned());
    // A SQLite connection is a file handle in this process and cannot be dropped by a server
    // or a proxy: pinging it on every checkout only added a round trip to its thread (the
    // writer's groups spent up to a millisecond of each commit on it).
    let embedded = url.starts_with("sqlite:");
    options
        .test_before_acquire(!embedded)
        .max_connections(max_connections)
        .min_connections(1)
        // No idle timeout or lifetime: sqlx then runs no periodic reaper, whose loop was seen
        // spinning on the idle queue once (a test hung in it). PostgreSQL connections are
        // checked before use (sqlx's default), so a dropped one is replaced then.
        .idle_timeout(None::<Duration>)
        .max_lifetime(None::<Duration>)
        .connect_timeout(Duration::from_secs(3))
        .acquire_timeout(acquire_timeout)
        .sqlx_logging(false)
        .map_sqlx_sqlite_opts(move |opts| {
            opts.create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(synchronous)
                .busy_timeout(Duration::from_secs(30))
                .foreign_keys(true)
                .pragma("wal_autocheckpoint", "10000")
                .pragma("journal_size_limit", "67108864")
                .statement_cache_capacity(STATEMENT_CACHE)
        })
        .map_sqlx_postgres_opts(|opts| opts.statement_cache_capacity(STATEMENT_CACHE));
    Database::connect(options).await
}

/// Copies the SQLite WAL into the database file every quarter second from a reading
/// connection, so the writer never pays for it. A passive checkpoint waits for nobody and
/// blocks nobody; once it has caught up, the next write starts the WAL from its beginning.
pub fn checkpoint_wal_in_background(db: DatabaseConnection) {
    tokio::spawn(async move {
        let mut every = tokio::time::interval(Duration::from_millis(250));
        every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            every.tick().await;
            if let Err(err) = db
                .execute_unprepared("PRAGMA wal_checkpoint(PASSIVE)")
                .await
            {
                tracing::warn!(error = %err, "WAL checkpoint failed");
            }
        }
    });
}

/// Applies every pending migration. Safe to run on every start.
pub async fn migrate(db: &DatabaseConnection) -> Result<(), DbErr> {
    Migrator::up(db, None).await
}

/// Whether the pool talks to PostgreSQL (row locks exist) rather than SQLite.
pub fn is_postgres(db: &DatabaseConnection) -> bool {
    db.get_database_backend() == DbBackend::Postgres
}

/// Whether a database error is the violation of a unique constraint.
pub fn is_unique_violation(err: &DbErr) -> bool {
    matches!(err.sql_err(), Some(SqlErr::UniqueConstraintViolation(_)))
}

/// A condition that `column` contains `text` as it is: its `%`, `_` and `\` match themselves,
/// not any characters (so `q=%%` finds nothing rather than everyone).
pub fn contains_literally<C: sea_orm::ColumnTrait>(
    column: C,
    text: &str,
) -> sea_orm::sea_query::SimpleExpr {
    use sea_orm::sea_query::{Expr, ExprTrait, LikeExpr};
    let escaped = text
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    Expr::col(column).like(LikeExpr::new(format!("%{escaped}%")).escape('\\'))
}
