//! Operational metrics in the Prometheus text format (`prometheus-client`): requests by route
//! and status with their durations, the queues in front of the group commits (items waiting,
//! group sizes), check-in results, rate-limit refusals, and, read when scraped, the outbox's
//! messages by state and the database pools' connections. One registry per process: every
//! instance is scraped on its own.

use std::sync::OnceLock;

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;
use sea_orm::DatabaseConnection;

use entities::enums::MailStatus;

use crate::application::AppState;
use crate::error::AppError;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RequestLabels {
    pub method: String,
    pub route: String,
    pub status: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RouteLabels {
    pub route: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct QueueLabels {
    pub queue: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct ResultLabels {
    pub result: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct KindLabels {
    pub kind: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct StatusLabels {
    pub status: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct PoolLabels {
    pub pool: String,
    pub state: String,
}

type HistogramFamily<L> = Family<L, Histogram, fn() -> Histogram>;

/// The process's metrics.
pub struct Metrics {
    registry: Registry,
    pub requests: Family<RequestLabels, Counter>,
    pub request_seconds: HistogramFamily<RouteLabels>,
    pub queue_waiting: Family<QueueLabels, Gauge>,
    pub group_size: HistogramFamily<QueueLabels>,
    pub checkins: Family<ResultLabels, Counter>,
    pub rate_limited: Family<KindLabels, Counter>,
    outbox: Family<StatusLabels, Gauge>,
    pool: Family<PoolLabels, Gauge>,
}

fn seconds() -> Histogram {
    // 0.5 ms to about 8 s.
    Histogram::new(exponential_buckets(0.0005, 2.0, 15))
}

fn group_sizes() -> Histogram {
    Histogram::new(exponential_buckets(1.0, 2.0, 11))
}

impl Metrics {
    fn new() -> Self {
        let mut registry = Registry::with_prefix("dialogue");
        let requests = Family::<RequestLabels, Counter>::default();
        let request_seconds: HistogramFamily<RouteLabels> =
            Family::new_with_constructor(seconds as fn() -> Histogram);
        let queue_waiting = Family::<QueueLabels, Gauge>::default();
        let group_size: HistogramFamily<QueueLabels> =
            Family::new_with_constructor(group_sizes as fn() -> Histogram);
        let checkins = Family::<ResultLabels, Counter>::default();
        let rate_limited = Family::<KindLabels, Counter>::default();
        let outbox = Family::<StatusLabels, Gauge>::default();
        let pool = Family::<PoolLabels, Gauge>::default();
        registry.register(
            "http_requests",
            "HTTP requests answered, by method, route (API operation id or page route) and status",
            requests.clone(),
        );
        registry.register(
            "http_request_duration_seconds",
            "Time to answer HTTP requests, by route (API operation id or page route)",
            request_seconds.clone(),
        );
        registry.register(
            "queue_waiting_items",
            "Items waiting in front of a group-commit queue (registration, check-in, token)",
            queue_waiting.clone(),
        );
        registry.register(
            "queue_group_size",
            "Items decided together in one group, by queue",
            group_size.clone(),
        );
        registry.register("checkins", "Scans decided, by result", checkins.clone());
        registry.register(
            "rate_limited",
            "Requests refused by the per-client rate limits, by kind",
            rate_limited.clone(),
        );
        registry.register(
            "outbox_messages",
            "E-mails in the outbox, by state (read when scraped)",
            outbox.clone(),
        );
        registry.register(
            "db_pool_connections",
            "Database connections of this instance, by pool and state (read when scraped)",
            pool.clone(),
        );
        Metrics {
            registry,
            requests,
            request_seconds,
            queue_waiting,
            group_size,
            checkins,
            rate_limited,
            outbox,
            pool,
        }
    }
}

/// The process's metrics, made on first use.
pub fn metrics() -> &'static Metrics {
    static METRICS: OnceLock<Metrics> = OnceLock::new();
    METRICS.get_or_init(Metrics::new)
}

/// The metrics as Prometheus text, with the outbox and pool figures read now.
pub async fn render(state: &AppState) -> Result<String, AppError> {
    let m = metrics();
    let counts = crate::store::outbox::counts(&state.db, None).await?;
    for status in [MailStatus::Queued, MailStatus::Sent, MailStatus::Failed] {
        let count = counts.get(&status).copied().unwrap_or(0);
        m.outbox
            .get_or_create(&StatusLabels {
                status: status.as_str().into(),
            })
            .set(count as i64);
    }
    pool_figures(m, "reader", &state.db);
    // On PostgreSQL the writer is the reader's pool.
    if !crate::store::is_postgres(&state.db) {
        pool_figures(m, "writer", &state.writer);
    }
    let mut text = String::new();
    prometheus_client::encoding::text::encode(&mut text, &m.registry)
        .map_err(|err| AppError::unexpected(format!("encoding metrics: {err}")))?;
    Ok(text)
}

fn pool_figures(m: &Metrics, name: &str, db: &DatabaseConnection) {
    let (size, idle) = if crate::store::is_postgres(db) {
        let pool = db.get_postgres_connection_pool();
        (pool.size(), pool.num_idle())
    } else {
        let pool = db.get_sqlite_connection_pool();
        (pool.size(), pool.num_idle())
    };
    let idle = idle as i64;
    for (state, value) in [("idle", idle), ("in_use", i64::from(size) - idle)] {
        m.pool
            .get_or_create(&PoolLabels {
                pool: name.into(),
                state: state.into(),
            })
            .set(value);
    }
}
