//! Group commit for check-in: the queue and its task. Scans wait in a queue; one task (on
//! SQLite the writer connection, on PostgreSQL a connection of its own) takes everything
//! waiting (up to `MAX_GROUP` scans) and decides it in one transaction (how is
//! `store::scan_decisions`).
//!
//! A group that fails is retried scan by scan, each in its own transaction, so one bad scan
//! cannot fail the others; scans the failed group did record (its commit went through but
//! the answer was lost) are answered from their rows, not decided again; a unique-key race with another server (the same nonce sent to two
//! servers) or a PostgreSQL deadlock is retried, and then answered from the stored first answer.

use std::collections::HashMap;

use sea_orm::{DatabaseConnection, DbErr};

use super::work::Work;
use crate::batcher::{Batcher, LostAnswer};
use crate::domain::checkin::ScanAnswer;
use crate::error::{AppError, Failure};
use crate::store::scan_decisions::{PendingScan, answers_kept, decide_in};

/// How long a failed group waits to learn whether it committed when the database seems down.
const UNAVAILABLE_CHECK: std::time::Duration = std::time::Duration::from_secs(1);

/// Most scans decided in one transaction.
const MAX_GROUP: usize = 512;

/// The queue in front of the task that decides scans.
#[derive(Clone)]
pub struct ScanQueue {
    batcher: Batcher<PendingScan, Result<ScanAnswer, AppError>>,
    /// For tests: lose the answer of the next group commit.
    lose_answer: LostAnswer,
}

impl ScanQueue {
    /// Starts the deciding task on `db`. One task: while it decides a group the next one
    /// gathers, and on PostgreSQL bigger groups beat overlapping smaller ones (two tasks were
    /// measured slower, at a longer tail; see docs/benchmarks.md).
    pub fn start(db: DatabaseConnection) -> Self {
        let lose_answer = LostAnswer::default();
        let lose = lose_answer.clone();
        let batcher = Batcher::start(
            "check-in",
            MAX_GROUP,
            move |scans: Vec<PendingScan>| {
                let (db, lose) = (db.clone(), lose.clone());
                async move {
                    let started = std::time::Instant::now();
                    let answers = decide_group(&db, &scans, &lose).await;
                    tracing::debug!(
                        scans = scans.len(),
                        duration_us = started.elapsed().as_micros() as u64,
                        "check-in group decided"
                    );
                    answers
                }
            },
            || Err(AppError::unexpected("deciding the scan failed")),
        );
        ScanQueue {
            batcher,
            lose_answer,
        }
    }

    /// For tests: the next group's commit succeeds but its answer is lost, as when the
    /// connection drops during `COMMIT`, so the recovery from an unknown outcome runs.
    #[doc(hidden)]
    pub fn lose_next_commit_answer(&self) {
        self.lose_answer.arm();
    }

    /// For tests: whether the answer still waits to be lost (no group has committed since).
    #[doc(hidden)]
    pub fn commit_answer_still_to_lose(&self) -> bool {
        self.lose_answer.armed()
    }

    /// Decides scans in the order given; one answer (or error) per scan.
    pub async fn decide(
        &self,
        scans: Vec<PendingScan>,
    ) -> Result<Vec<Result<ScanAnswer, AppError>>, AppError> {
        self.batcher
            .submit(scans)
            .await
            .ok_or_else(|| AppError::unexpected("the check-in queue has stopped"))
    }
}

/// Decides a group in one transaction; if that fails, each scan alone.
async fn decide_group(
    db: &DatabaseConnection,
    scans: &[PendingScan],
    lose_answer: &LostAnswer,
) -> Vec<Result<ScanAnswer, AppError>> {
    let mut kept = HashMap::new();
    if scans.len() > 1 {
        let decided = match in_transaction(db, scans).await {
            Ok(_) if lose_answer.take() => Err(Failure::Database(DbErr::Custom(
                "the commit's answer was lost (test)".into(),
            ))
            .into()),
            other => other,
        };
        match decided {
            Ok(answers) => return answers.into_iter().map(Ok).collect(),
            Err(err) => {
                let database = database_error(&err);
                tracing::warn!(
                    scans = scans.len(),
                    error = %err,
                    code = ?database.and_then(crate::store::db_error_code),
                    race = ?database.and_then(crate::store::race),
                    "check-in group failed; deciding each scan alone"
                );
                // Whether the group committed after all is read, not guessed; when the
                // database is down, briefly, then every scan is answered 503 (to send again).
                let check = answers_kept(db, scans);
                let checked = if matches!(err, AppError::Failed(Failure::Unavailable(_))) {
                    tokio::time::timeout(UNAVAILABLE_CHECK, check)
                        .await
                        .unwrap_or_else(|_| Err(err))
                } else {
                    check.await
                };
                match checked {
                    Ok(answers) => kept = answers,
                    Err(check) => {
                        return scans
                            .iter()
                            .map(|_| Err(check.for_another_waiter()))
                            .collect();
                    }
                }
            }
        }
    }
    let mut answers = Vec::with_capacity(scans.len());
    for scan in scans {
        match kept.remove(&scan.id) {
            Some(answer) => answers.push(Ok(answer)),
            None => answers.push(decide_alone(db, scan).await),
        }
    }
    answers
}

/// One scan in its own transaction. Races with another server (a unique key, a deadlock)
/// resolve on another try: the stored first answer, or the row the other server wrote.
async fn decide_alone(db: &DatabaseConnection, scan: &PendingScan) -> Result<ScanAnswer, AppError> {
    let mut retries = 0;
    loop {
        match in_transaction(db, std::slice::from_ref(scan)).await {
            Ok(mut answers) => {
                return answers
                    .pop()
                    .ok_or_else(|| AppError::unexpected("no answer for the scan"));
            }
            Err(err) if retries < 3 && is_race(&err) => {
                tracing::debug!(
                    error = %err,
                    race = ?database_error(&err).and_then(crate::store::race),
                    retry = retries + 1,
                    "check-in race; trying again"
                );
                retries += 1;
            }
            // An unavailable database stays unavailable (503, to send again): it was turned
            // into a database error here once, and a scan decided alone during an outage was
            // answered 500.
            Err(err) => return Err(err),
        }
    }
}

/// The database's own error under `err`, if it is one.
fn database_error(err: &AppError) -> Option<&DbErr> {
    match err {
        AppError::Failed(Failure::Database(err)) => Some(err),
        _ => None,
    }
}

/// Whether another transaction caused the failure, by the database's error code.
fn is_race(err: &AppError) -> bool {
    database_error(err).and_then(crate::store::race).is_some()
}

async fn in_transaction(
    db: &DatabaseConnection,
    scans: &[PendingScan],
) -> Result<Vec<ScanAnswer>, AppError> {
    let work = Work::begin(db).await?;
    let answers = decide_in(work.db(), scans).await?;
    // A scan changes no registration or session: nothing to journal.
    work.commit_quietly().await?;
    Ok(answers)
}
