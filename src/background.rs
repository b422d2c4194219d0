//! Drawing for work nobody waits on (the badge image of a confirmation e-mail): one thread of
//! the lowest CPU priority (nice 19), so that while requests keep both cores busy the e-mails'
//! drawings wait and the requests do not. Measured with `cargo bench --bench load`: every
//! registration sends a confirmation with a badge PNG, and drawing those at normal priority
//! took a visible share of the cores from registration itself.

use std::sync::OnceLock;
use std::sync::mpsc;

use crate::error::AppError;

type Job = Box<dyn FnOnce() + Send>;

/// The one background drawing thread of the process.
fn jobs() -> &'static mpsc::Sender<Job> {
    static JOBS: OnceLock<mpsc::Sender<Job>> = OnceLock::new();
    JOBS.get_or_init(|| {
        let (sender, receiver) = mpsc::channel::<Job>();
        let started = std::thread::Builder::new()
            .name("background-drawing".into())
            .spawn(move || {
                lower_priority();
                for job in receiver {
                    // A drawing that panics fails its own caller, not the thread.
                    let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(job));
                }
            });
        if let Err(err) = started {
            tracing::error!(error = %err, "the background drawing thread could not start");
        }
        sender
    })
}

/// Runs `work` on the background thread, after the work queued before it.
pub async fn run<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, AppError> {
    let (answer, answered) = tokio::sync::oneshot::channel();
    jobs()
        .send(Box::new(move || {
            let _ = answer.send(work());
        }))
        .map_err(|_| AppError::unexpected("the background drawing thread stopped"))?;
    answered
        .await
        .map_err(|_| AppError::unexpected("a background drawing failed"))
}

/// Nice 19 for the calling thread (Linux: a thread's own priority).
fn lower_priority() {
    #[cfg(target_os = "linux")]
    {
        // SAFETY: changes the nice value of this thread only.
        let tid = unsafe { libc::gettid() };
        // SAFETY: as above.
        let done = unsafe { libc::setpriority(libc::PRIO_PROCESS, tid as libc::id_t, 19) };
        if done != 0 {
            tracing::warn!("the background drawing thread keeps its priority");
        }
    }
}

#[cfg(test)]
mod tests {
    #[tokio::test]
    async fn runs_work_and_survives_a_panic() {
        assert_eq!(super::run(|| 6 * 7).await.ok(), Some(42));
        assert!(super::run(|| panic!("drawing failed")).await.is_err());
        assert_eq!(super::run(|| "still here").await.ok(), Some("still here"));
    }
}
