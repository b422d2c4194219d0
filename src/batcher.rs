//! One way to handle together what arrives together: the group commits of registrations and
//! scans, and the coalesced token look-ups. Callers submit a job of items and wait for one
//! answer per item; one task takes every job waiting (up to a number of items), hands all
//! their items, in arrival order, to the group function, and gives each job its share of the
//! answers. A job is only answered by a group that started after it was submitted (what
//! makes a revoked token stop at once). A group that panics, or answers a wrong number of
//! items, answers each of its items with the batcher's failure answer and is logged.

use std::future::Future;
use std::panic::AssertUnwindSafe;

use futures_util::FutureExt;
use tokio::sync::{mpsc, oneshot};

struct Job<I, A> {
    items: Vec<I>,
    reply: oneshot::Sender<Vec<A>>,
}

/// The queue in front of one grouping task.
pub struct Batcher<I, A> {
    name: &'static str,
    sender: mpsc::Sender<Job<I, A>>,
}

impl<I, A> Clone for Batcher<I, A> {
    fn clone(&self) -> Self {
        Batcher {
            name: self.name,
            sender: self.sender.clone(),
        }
    }
}

impl<I: Send + 'static, A: Send + 'static> Batcher<I, A> {
    /// Starts the task on a thread of its own (a runtime of one thread): a group is a chain
    /// of database round trips, and on the shared runtime each step of a group waited behind
    /// the requests its previous group had just answered, which made every group a
    /// millisecond longer. `group` gets at most `max_items` items (more when one job alone is
    /// bigger) and answers one per item, in order; `failed` is the answer of an item whose
    /// group panicked. The thread ends when the last sender is dropped.
    pub fn start<F, Fut>(name: &'static str, max_items: usize, group: F, failed: fn() -> A) -> Self
    where
        F: FnMut(Vec<I>) -> Fut + Send + 'static,
        Fut: Future<Output = Vec<A>> + 'static,
    {
        let (sender, receiver) = mpsc::channel(4096);
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .thread_name(format!("dialogue-{name}"))
            .build();
        match runtime {
            Ok(runtime) => {
                let started = std::thread::Builder::new()
                    .name(format!("dialogue-{name}"))
                    .spawn(move || runtime.block_on(run(name, max_items, receiver, group, failed)));
                if let Err(err) = started {
                    tracing::error!(batcher = name, error = %err, "cannot start the queue's thread");
                }
            }
            Err(err) => {
                tracing::error!(batcher = name, error = %err, "cannot build the queue's runtime");
            }
        }
        Batcher { name, sender }
    }

    /// Submits a job and waits for its answers, one per item in order; `None` when the task
    /// has stopped.
    pub async fn submit(&self, items: Vec<I>) -> Option<Vec<A>> {
        if items.is_empty() {
            return Some(Vec::new());
        }
        let (reply, answers) = oneshot::channel();
        let waiting = crate::metrics::metrics()
            .queue_waiting
            .get_or_create(&crate::metrics::QueueLabels {
                queue: self.name.into(),
            })
            .clone();
        waiting.inc_by(items.len() as i64);
        let count = items.len() as i64;
        if self.sender.send(Job { items, reply }).await.is_err() {
            waiting.dec_by(count);
            return None;
        }
        answers.await.ok()
    }
}

async fn run<I, A, F, Fut>(
    name: &'static str,
    max_items: usize,
    mut receiver: mpsc::Receiver<Job<I, A>>,
    mut group: F,
    failed: fn() -> A,
) where
    F: FnMut(Vec<I>) -> Fut,
    Fut: Future<Output = Vec<A>>,
{
    while let Some(first) = receiver.recv().await {
        let mut count = first.items.len();
        let mut jobs = vec![first];
        while count < max_items {
            match receiver.try_recv() {
                Ok(job) => {
                    count += job.items.len();
                    jobs.push(job);
                }
                Err(_) => break,
            }
        }
        let metrics = crate::metrics::metrics();
        let queue = crate::metrics::QueueLabels { queue: name.into() };
        metrics
            .queue_waiting
            .get_or_create(&queue)
            .dec_by(count as i64);
        metrics
            .group_size
            .get_or_create(&queue)
            .observe(count as f64);
        let mut sizes = Vec::with_capacity(jobs.len());
        let mut replies = Vec::with_capacity(jobs.len());
        let mut items = Vec::with_capacity(count);
        for job in jobs {
            sizes.push(job.items.len());
            replies.push(job.reply);
            items.extend(job.items);
        }
        let answers = match AssertUnwindSafe(group(items)).catch_unwind().await {
            Ok(answers) if answers.len() == count => answers,
            Ok(answers) => {
                tracing::error!(
                    batcher = name,
                    items = count,
                    answers = answers.len(),
                    "a group answered a wrong number of items; they are answered with an error"
                );
                (0..count).map(|_| failed()).collect()
            }
            Err(panic) => {
                tracing::error!(
                    batcher = name,
                    panic = panic_message(panic.as_ref()),
                    items = count,
                    "a group panicked; its items are answered with an error"
                );
                (0..count).map(|_| failed()).collect()
            }
        };
        let mut answers = answers.into_iter();
        for (size, reply) in sizes.into_iter().zip(replies) {
            // A caller that went away needs no answer; what its items did stays done.
            let _ = reply.send(answers.by_ref().take(size).collect());
        }
    }
}

/// The message of a caught panic, for the log.
fn panic_message(panic: &(dyn std::any::Any + Send)) -> &str {
    panic
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| panic.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("(no message)")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn jobs_get_their_share_and_a_panicking_group_answers_failures() {
        let doubler: Batcher<u32, Result<u32, ()>> = Batcher::start(
            "test",
            8,
            |items: Vec<u32>| async move {
                if items.contains(&13) {
                    panic!("unlucky");
                }
                items.into_iter().map(|i| Ok(i * 2)).collect()
            },
            || Err(()),
        );
        let (a, b) = tokio::join!(doubler.submit(vec![1, 2]), doubler.submit(vec![3]));
        assert_eq!(a, Some(vec![Ok(2), Ok(4)]));
        assert_eq!(b, Some(vec![Ok(6)]));
        assert_eq!(doubler.submit(vec![13]).await, Some(vec![Err(())]));
        assert_eq!(doubler.submit(vec![5]).await, Some(vec![Ok(10)]));
        assert_eq!(doubler.submit(Vec::new()).await, Some(Vec::new()));
    }
}

/// For tests of group commits: when armed, the next group that commits has its answer lost
/// (as when the connection drops during `COMMIT`), so the recovery from an unknown outcome
/// runs. One per queue, so tests running side by side do not disarm each other's.
#[derive(Clone, Default)]
pub struct LostAnswer(std::sync::Arc<std::sync::atomic::AtomicBool>);

impl LostAnswer {
    /// Loses the answer of the next group commit.
    pub fn arm(&self) {
        self.0.store(true, std::sync::atomic::Ordering::SeqCst);
    }

    /// Whether the answer still waits to be lost (no group has committed since).
    pub fn armed(&self) -> bool {
        self.0.load(std::sync::atomic::Ordering::SeqCst)
    }

    /// Whether this commit's answer is to be lost (disarming it).
    pub fn take(&self) -> bool {
        self.0.swap(false, std::sync::atomic::Ordering::SeqCst)
    }
}
