//! The sender: a task in every instance that claims due messages of the outbox with a lease
//! (so a message claimed by an instance that died is taken again when its lease ends), sends
//! each, and records the outcome: sent; retried later after a transient failure (a 4xx reply,
//! a network error), with exponential backoff and jitter up to a cap; failed at once after a
//! permanent one (a 5xx reply), with the reply kept. Every attempt of a message uses the same
//! `Message-ID`. Sent messages are purged after `keep_sent`.

use std::time::Duration;

use chrono::Utc;
use rand::Rng;
use uuid::Uuid;

use entities::outbox;

use super::compose::{self, Unsendable};
use super::transport::{SendError, Transport};
use crate::application::AppState;
use crate::config::MailConfig;
use crate::error::AppError;
use crate::store;

/// Messages claimed at once.
const BATCH: u64 = 20;

/// The `Message-ID` of an outbox row: the same on every attempt.
pub fn message_id(id: Uuid, host: &str) -> String {
    format!("<{}@{host}>", id.simple())
}

/// Starts the sender of this instance when a transport is configured.
pub fn spawn(state: AppState, transport: Transport) {
    tokio::spawn(async move {
        let config = state.config.mail.clone();
        let mut last_purge = std::time::Instant::now() - Duration::from_secs(3600);
        loop {
            let sent = match round(&state, &transport, &config).await {
                Ok(count) => count,
                Err(err) => {
                    tracing::warn!(error = %err, "sending e-mail failed; trying again soon");
                    0
                }
            };
            if last_purge.elapsed() >= Duration::from_secs(3600) {
                last_purge = std::time::Instant::now();
                purge(&state, &config).await;
            }
            if sent == BATCH as usize {
                continue;
            }
            tokio::select! {
                _ = super::woken() => {}
                _ = tokio::time::sleep(config.poll) => {}
            }
        }
    });
}

/// Claims and sends one batch; answers how many were claimed.
pub async fn round(
    state: &AppState,
    transport: &Transport,
    config: &MailConfig,
) -> Result<usize, AppError> {
    let lease = chrono::Duration::from_std(config.lease).unwrap_or(chrono::Duration::minutes(5));
    let claimed = store::outbox::claim(&state.writer, BATCH, lease).await?;
    let count = claimed.len();
    for row in claimed {
        // A batch may outlast the lease: take each message only while it is still ours.
        let Some(held_until) = row.lease_until else {
            continue;
        };
        if store::outbox::renew(&state.writer, row.id, held_until, lease)
            .await?
            .is_none()
        {
            continue;
        }
        send_one(state, transport, config, &row).await?;
    }
    if count > 0 {
        let waiting = store::outbox::depth(&state.db).await.unwrap_or(0);
        tracing::info!(claimed = count, waiting, "e-mail round");
    }
    Ok(count)
}

async fn send_one(
    state: &AppState,
    transport: &Transport,
    config: &MailConfig,
    row: &outbox::Model,
) -> Result<(), AppError> {
    let message_id = message_id(row.id, &state.config.uid_host);
    let composed = match compose::compose(state, row, &message_id).await? {
        Ok(composed) => composed,
        Err(unsendable) => {
            tracing::warn!(id = %row.id, kind = row.kind.as_str(), error = %unsendable, "e-mail not sendable");
            let text = unsendable.to_string();
            return store::outbox::mark_failed(&state.writer, row.id, &text, None, None).await;
        }
    };
    let name = format!("{}-{}", row.id.simple(), row.kind.as_str());
    match transport.send(composed.message, &name).await {
        Ok(()) => {
            tracing::info!(id = %row.id, kind = row.kind.as_str(), attempts = row.attempts, "e-mail sent");
            store::outbox::mark_sent(&state.writer, row.id, &composed.to, &message_id).await
        }
        Err(SendError::Permanent(reply)) => {
            tracing::warn!(id = %row.id, kind = row.kind.as_str(), %reply, "e-mail refused for good");
            store::outbox::mark_failed(&state.writer, row.id, &reply, None, Some(&composed.to))
                .await
        }
        Err(SendError::Transient(reply)) => {
            let retry_at = (row.attempts < config.max_attempts).then(|| {
                Utc::now()
                    + chrono::Duration::from_std(backoff(config, row.attempts))
                        .unwrap_or(chrono::Duration::hours(1))
            });
            tracing::warn!(id = %row.id, kind = row.kind.as_str(), attempts = row.attempts, %reply, retry = retry_at.is_some(), "e-mail not sent");
            store::outbox::mark_failed(&state.writer, row.id, &reply, retry_at, Some(&composed.to))
                .await
        }
    }
}

/// How long to wait after the `attempts`-th failed attempt: the base doubled each time, capped,
/// with up to a quarter added at random so instances do not retry in step.
pub fn backoff(config: &MailConfig, attempts: i32) -> Duration {
    let exponent = attempts.clamp(1, 20) as u32 - 1;
    let delay = config
        .retry_base
        .saturating_mul(2u32.saturating_pow(exponent))
        .min(config.retry_cap);
    let jitter = rand::rng().random_range(0.0..0.25);
    delay.mul_f64(1.0 + jitter).min(config.retry_cap)
}

async fn purge(state: &AppState, config: &MailConfig) {
    let before = Utc::now()
        - chrono::Duration::from_std(config.keep_sent).unwrap_or(chrono::Duration::days(30));
    match store::outbox::purge_sent(&state.writer, before).await {
        Ok(0) => {}
        Ok(purged) => tracing::info!(purged, "old sent e-mails purged"),
        Err(err) => tracing::warn!(error = %err, "purging sent e-mails failed"),
    }
}

/// Sends a test message through `transport` at once (`dialogue mail test`).
pub async fn send_test(state: &AppState, transport: &Transport, to: &str) -> Result<(), String> {
    let id = Uuid::now_v7();
    let message = compose::test_message(state, to, &message_id(id, &state.config.uid_host))
        .map_err(|err: Unsendable| err.to_string())?;
    transport
        .send(message, &format!("{}-test", id.simple()))
        .await
        .map_err(|err| err.to_string())
}
