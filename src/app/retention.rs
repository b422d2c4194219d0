//! Retention: records kept for retries and audits are purged when their time is up, by a
//! background job of every instance (deleting by time is safe to run on several at once).
//! Idempotency records live `IDEMPOTENCY_KEEP_HOURS`; the scan log `SCANS_KEEP_DAYS` (0 keeps
//! it for ever). Admissions (`presence`) are not scans: attendance figures stay.

use std::time::Duration;

use chrono::Utc;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use entities::scans;

use crate::application::AppState;
use crate::error::AppError;
use crate::store;

/// How many records one purge removed.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Purged {
    pub idempotency_keys: u64,
    pub scans: u64,
    pub console_sessions: u64,
}

/// Removes idempotency records and scans older than their retention, once.
pub async fn purge(state: &AppState) -> Result<Purged, AppError> {
    let now = Utc::now();
    let retention = &state.config.retention;
    let idempotency_keys =
        store::idempotency::purge(&state.writer, now - retention.idempotency).await?;
    let scans = match retention.scans {
        Some(keep) => {
            scans::Entity::delete_many()
                .filter(scans::Column::RecordedAt.lt(now - keep))
                .exec(&state.writer)
                .await?
                .rows_affected
        }
        None => 0,
    };
    let console_sessions = store::console_sessions::purge_expired(&state.writer, now).await?;
    Ok(Purged {
        idempotency_keys,
        scans,
        console_sessions,
    })
}

/// Runs [`purge`] now and then every `RetentionConfig::every`.
pub fn spawn(state: AppState) {
    tokio::spawn(async move {
        let every = state.config.retention.every.max(Duration::from_secs(1));
        let mut ticks = tokio::time::interval(every);
        loop {
            ticks.tick().await;
            match purge(&state).await {
                Ok(purged) if purged == Purged::default() => {}
                Ok(purged) => tracing::info!(
                    idempotency_keys = purged.idempotency_keys,
                    scans = purged.scans,
                    console_sessions = purged.console_sessions,
                    "old records purged"
                ),
                Err(err) => tracing::warn!(error = %err, "purging old records failed"),
            }
        }
    });
}
