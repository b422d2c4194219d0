//! Group commit for check-in: the queue and its task. Scans wait in a queue; one task (on
//! SQLite the writer connection, on PostgreSQL a connection of its own) takes everything
//! waiting (up to `MAX_GROUP` scans) and decides it in one transaction (how is
//! `scan_decisions`).
//!
//! A group that fails is retried scan by scan, each in its own transaction, so one bad scan
//! cannot fail the others; a unique-key race with another server (the same nonce sent to two
//! servers) or a PostgreSQL deadlock is retried, and then answered from the stored first answer.

use chrono_tz::Tz;
use sea_orm::{DatabaseConnection, DbErr, TransactionTrait};
use uuid::Uuid;

use entities::registrations;

use super::batcher::Batcher;
use super::checkins::{Answer, Decision, Scan};
use super::scan_decisions::decide_in;
use crate::error::AppError;

/// Most scans decided in one transaction.
const MAX_GROUP: usize = 512;

/// Writes the JSON answer of a decided scan (the registration is absent for unknown codes).
pub type Render = fn(&Decision, Option<&registrations::Model>, Tz) -> String;

/// A scan whose code was checked by the handler, waiting to be decided.
pub struct PendingScan {
    /// What the scanner sent, as it is recorded.
    pub scan: Scan,
    pub tz: Tz,
    /// What a genuine code names; None for codes that are forged, garbled or unknown.
    pub claim: Option<Claim>,
    /// Whether the scan is at the door of a session with a capacity, which admits only
    /// delegates holding a seat.
    pub needs_seat: bool,
}

/// What a genuine badge code says.
#[derive(Debug, Clone, Copy)]
pub struct Claim {
    pub registration_id: Uuid,
    /// Whether the code was issued for the event it is scanned at.
    pub for_this_event: bool,
}

/// The queue in front of the task that decides scans.
#[derive(Clone)]
pub struct ScanQueue {
    batcher: Batcher<PendingScan, Result<Answer, AppError>>,
}

impl ScanQueue {
    /// Starts the deciding task on `db`. One task: while it decides a group the next one
    /// gathers, and on PostgreSQL bigger groups beat overlapping smaller ones (two tasks were
    /// measured slower, at a longer tail; see the README's benchmark).
    pub fn start(db: DatabaseConnection, render: Render) -> Self {
        let batcher = Batcher::start(
            "check-in",
            MAX_GROUP,
            move |scans: Vec<PendingScan>| {
                let db = db.clone();
                async move {
                    let started = std::time::Instant::now();
                    let answers = decide_group(&db, &scans, render).await;
                    tracing::debug!(
                        scans = scans.len(),
                        duration_us = started.elapsed().as_micros() as u64,
                        "check-in group decided"
                    );
                    answers
                }
            },
            || Err(AppError::Internal("deciding the scan failed".into())),
        );
        ScanQueue { batcher }
    }

    /// Decides scans in the order given; one answer (or error) per scan.
    pub async fn decide(
        &self,
        scans: Vec<PendingScan>,
    ) -> Result<Vec<Result<Answer, AppError>>, AppError> {
        self.batcher
            .submit(scans)
            .await
            .ok_or_else(|| AppError::Internal("the check-in queue has stopped".into()))
    }
}

/// Decides a group in one transaction; if that fails, each scan alone.
async fn decide_group(
    db: &DatabaseConnection,
    scans: &[PendingScan],
    render: Render,
) -> Vec<Result<Answer, AppError>> {
    if scans.len() > 1 {
        match in_transaction(db, scans, render).await {
            Ok(answers) => return answers.into_iter().map(Ok).collect(),
            Err(err) => tracing::warn!(
                scans = scans.len(),
                error = %err,
                code = ?super::db_error_code(&err),
                race = ?super::race(&err),
                "check-in group failed; deciding each scan alone"
            ),
        }
    }
    let mut answers = Vec::with_capacity(scans.len());
    for scan in scans {
        answers.push(decide_alone(db, scan, render).await);
    }
    answers
}

/// One scan in its own transaction. Races with another server (a unique key, a deadlock)
/// resolve on another try: the stored first answer, or the row the other server wrote.
async fn decide_alone(
    db: &DatabaseConnection,
    scan: &PendingScan,
    render: Render,
) -> Result<Answer, AppError> {
    let mut retries = 0;
    loop {
        match in_transaction(db, std::slice::from_ref(scan), render).await {
            Ok(mut answers) => {
                return answers
                    .pop()
                    .ok_or_else(|| AppError::Internal("no answer for the scan".into()));
            }
            Err(err) if retries < 3 && is_race(&err) => {
                tracing::debug!(
                    error = %err,
                    race = ?super::race(&err),
                    retry = retries + 1,
                    "check-in race; trying again"
                );
                retries += 1;
            }
            Err(err) => return Err(err.into()),
        }
    }
}

/// Whether another transaction caused the failure, by the database's error code.
fn is_race(err: &DbErr) -> bool {
    super::race(err).is_some()
}

async fn in_transaction(
    db: &DatabaseConnection,
    scans: &[PendingScan],
    render: Render,
) -> Result<Vec<Answer>, DbErr> {
    let txn = db.begin().await?;
    let answers = decide_in(&txn, scans, render).await.map_err(into_db_err)?;
    txn.commit().await?;
    Ok(answers)
}

fn into_db_err(err: AppError) -> DbErr {
    match err {
        AppError::Database(err) => err,
        other => DbErr::Custom(other.to_string()),
    }
}
