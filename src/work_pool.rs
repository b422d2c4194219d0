//! The bounded pool in front of expensive work: PDFs and badge images are drawn
//! only while holding one of a few permits (by default one per core), a few more requests
//! may queue for one, and anything beyond is refused at once ([`Failure::Busy`], answered
//! `503` with `Retry-After`). A flood of PDF requests therefore occupies at most the pool's
//! threads and never the async workers that answer `/healthz`, check-ins and registrations.
//! Answers served from a cache take no permit.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::error::{AppError, Failure};

/// The longest a queued request waits for a permit before it is refused too.
const LONGEST_WAIT: Duration = Duration::from_secs(10);

/// Permits for expensive work, with a short queue.
pub struct WorkPool {
    permits: Arc<Semaphore>,
    /// Requests waiting for a permit now.
    waiting: AtomicUsize,
    /// The most requests that may wait.
    queue: usize,
}

/// The right to do expensive work; the permit returns to the pool when this is dropped.
pub struct Turn {
    _permit: OwnedSemaphorePermit,
}

/// Counts a waiter for as long as it waits (also when its request is dropped meanwhile).
struct Waiting<'a>(&'a AtomicUsize);

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

impl WorkPool {
    /// `size` permits (at least one) and room for `queue` waiters.
    pub fn new(size: usize, queue: usize) -> Self {
        let size = size.max(1);
        WorkPool {
            permits: Arc::new(Semaphore::new(size)),
            waiting: AtomicUsize::new(0),
            queue,
        }
    }

    /// Requests waiting for a permit now.
    pub fn waiting(&self) -> usize {
        self.waiting.load(Ordering::Acquire)
    }

    /// A permit: at once when one is free, after a wait in the queue when the queue has
    /// room, else refused as busy.
    pub async fn turn(&self) -> Result<Turn, AppError> {
        if let Ok(permit) = self.permits.clone().try_acquire_owned() {
            return Ok(Turn { _permit: permit });
        }
        let before = self.waiting.fetch_add(1, Ordering::AcqRel);
        let _waiting = Waiting(&self.waiting);
        if before >= self.queue {
            return Err(busy());
        }
        match tokio::time::timeout(LONGEST_WAIT, self.permits.clone().acquire_owned()).await {
            Ok(Ok(permit)) => Ok(Turn { _permit: permit }),
            Ok(Err(_)) => Err(AppError::unexpected("the work pool was closed")),
            Err(_) => Err(busy()),
        }
    }

    /// Runs `work` on a blocking thread while holding a permit.
    pub async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, AppError> {
        let turn = self.turn().await?;
        let result = tokio::task::spawn_blocking(work)
            .await
            .map_err(|e| AppError::unexpected(format!("drawing failed: {e}")));
        drop(turn);
        result
    }
}

fn busy() -> AppError {
    crate::metrics::metrics()
        .rate_limited
        .get_or_create(&crate::metrics::KindLabels {
            kind: "work_pool".into(),
        })
        .inc();
    Failure::Busy.into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn refuses_beyond_the_queue_and_serves_after_a_release() {
        let pool = Arc::new(WorkPool::new(1, 1));
        let held = pool.turn().await.expect("the free permit");
        let queued = {
            let pool = pool.clone();
            tokio::spawn(async move { pool.turn().await.map(|_| ()) })
        };
        while pool.waiting.load(Ordering::Acquire) == 0 {
            tokio::task::yield_now().await;
        }
        assert!(matches!(
            pool.turn().await,
            Err(AppError::Failed(Failure::Busy))
        ));
        drop(held);
        assert!(queued.await.expect("joined").is_ok());
        assert_eq!(pool.waiting.load(Ordering::Acquire), 0);
        assert!(pool.run(|| 7).await.is_ok_and(|n| n == 7));
    }
}
