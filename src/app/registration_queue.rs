//! Group commit for new registrations. Requests wait in a queue; one task per server takes
//! everything waiting (up to `MAX_GROUP`) and registers it in one transaction, in the order the
//! requests arrived: the events' rows are locked once (by id, so groups of two servers cannot
//! wait on each other in a circle), then each registration takes its seats with the same
//! conditional updates as alone, and one commit answers them all. Seats are first come, first
//! served across the group exactly as across single transactions.
//!
//! Whether the event accepts registrations (status, mode, window, waiting list) and whether
//! the chosen sessions are open is decided from the rows read inside that transaction, under
//! the event's lock, never from what the request saw before it waited in the queue.
//!
//! When any registration of a group is refused (a repeated e-mail, a full session without a
//! waiting list) or fails, the group's transaction is rolled back and its registrations are
//! made again one by one, each in its own transaction, so every answer is the one it would
//! have had alone and nothing of a refused registration stays. Why the group failed is
//! logged first (a refusal at `info`, a database failure at `warn` with its code). A group
//! whose commit failed may still have committed (the connection lost during `COMMIT`):
//! registration ids are chosen before the transaction, and those found in the database are
//! answered from their rows instead of being made again (which would refuse the delegate's
//! own address).

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::sync::Arc;

use sea_orm::DatabaseConnection;
use uuid::Uuid;

use super::principal::Audience;
use super::work::Work;
use crate::batcher::{Batcher, LostAnswer};
use crate::domain::categories::Categories;
use crate::domain::registration::ValidRegistration;
use crate::error::{AppError, Failure};
use crate::store::idempotency::{Idempotency, Registered};
use crate::store::registrations::{self, RegistrationRow};
use crate::store::{self, registering, seats};

/// How long a failed group waits to learn whether it committed when the database seems down.
const UNAVAILABLE_CHECK: std::time::Duration = std::time::Duration::from_secs(1);

/// Most registrations made in one transaction.
const MAX_GROUP: usize = 128;

/// A validated registration request, waiting to be made. The event's rules are checked
/// again in the transaction that makes it.
pub struct PendingRegistration {
    /// The registration's id, chosen before any transaction tries to make it.
    pub id: Uuid,
    pub event_id: Uuid,
    pub request: ValidRegistration,
    pub idempotency: Option<Idempotency>,
    /// Who registers: the public may only choose the event's public categories.
    pub by: Audience,
}

/// The queue in front of the task that makes registrations.
#[derive(Clone)]
pub struct RegistrationQueue {
    batcher: Batcher<PendingRegistration, Result<Registered, AppError>>,
    /// For tests: lose the answer of the next group commit.
    lose_answer: LostAnswer,
}

impl RegistrationQueue {
    /// Starts the task on `db` (on SQLite, the writer connection). `secret` derives tokens.
    pub fn start(db: DatabaseConnection, secret: Arc<Vec<u8>>) -> Self {
        let lose_answer = LostAnswer::default();
        let lose = lose_answer.clone();
        let batcher = Batcher::start(
            "registration",
            MAX_GROUP,
            move |group: Vec<PendingRegistration>| {
                let (db, secret, lose) = (db.clone(), secret.clone(), lose.clone());
                // A caller that went away still has its registration (retries find it by key).
                async move { make_group(&db, &secret, &group, &lose).await }
            },
            || Err(AppError::unexpected("registering failed")),
        );
        RegistrationQueue {
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

    /// Makes one registration, in turn with the others waiting.
    pub async fn register(
        &self,
        registration: PendingRegistration,
    ) -> Result<Registered, AppError> {
        self.batcher
            .submit(vec![registration])
            .await
            .and_then(|mut answers| answers.pop())
            .ok_or_else(|| AppError::unexpected("the registration queue has stopped"))?
    }
}

/// Makes a group in one transaction; if any of it is refused or fails, each one alone.
async fn make_group(
    db: &DatabaseConnection,
    secret: &[u8],
    group: &[PendingRegistration],
    lose_answer: &LostAnswer,
) -> Vec<Result<Registered, AppError>> {
    let mut made_before = HashMap::new();
    if group.len() > 1 {
        let made = in_one_transaction(db, secret, group).await;
        let made = match made {
            Ok(_) if lose_answer.take() => {
                Err(Failure::Unavailable("the commit's answer was lost (test)".into()).into())
            }
            other => other,
        };
        match made {
            Ok(made) => return made.into_iter().map(Ok).collect(),
            Err(err) => {
                log_group_failure(group, &err);
                // Whether the group committed after all is read, not guessed; when the
                // database is down, briefly, then every registration is answered 503 (to
                // send again with its Idempotency-Key).
                let check = already_made(db, group);
                let checked = if matches!(err, AppError::Failed(Failure::Unavailable(_))) {
                    tokio::time::timeout(UNAVAILABLE_CHECK, check)
                        .await
                        .unwrap_or_else(|_| Err(err.for_another_waiter()))
                } else {
                    check.await
                };
                match checked {
                    Ok(made) => made_before = made,
                    Err(check) => {
                        return group
                            .iter()
                            .map(|_| Err(check.for_another_waiter()))
                            .collect();
                    }
                }
                if !made_before.is_empty() {
                    tracing::warn!(
                        registrations = group.len(),
                        committed = made_before.len(),
                        "the failed group had committed: answering from its rows"
                    );
                }
            }
        }
    }
    let mut answers = Vec::with_capacity(group.len());
    for pending in group {
        if let Some(row) = made_before.remove(&pending.id) {
            answers.push(Ok(Registered::Created(Box::new(row))));
            continue;
        }
        let made = in_one_transaction(db, secret, std::slice::from_ref(pending)).await;
        answers.push(made.and_then(|mut made| {
            made.pop()
                .ok_or_else(|| AppError::unexpected("no registration was made"))
        }));
    }
    answers
}

/// Says why a group's transaction failed before its registrations are made one by one: a
/// refusal (a repeated e-mail, a full event, closed registration) is expected, anything else
/// is a warning with the database's error code.
fn log_group_failure(group: &[PendingRegistration], err: &AppError) {
    let events: Vec<Uuid> = group.iter().map(|p| p.event_id).collect();
    match err {
        AppError::Refused(_) | AppError::Invalid(_) | AppError::NotFound(_) => {
            tracing::info!(
                registrations = group.len(),
                events = ?events,
                error = %err,
                "registration group refused; making each registration alone"
            );
        }
        AppError::Failed(Failure::Database(db_err)) => tracing::warn!(
            registrations = group.len(),
            events = ?events,
            error = %err,
            code = ?crate::store::db_error_code(db_err),
            race = ?crate::store::race(db_err),
            "registration group failed; making each registration alone"
        ),
        _ => tracing::warn!(
            registrations = group.len(),
            events = ?events,
            error = %err,
            "registration group failed; making each registration alone"
        ),
    }
}

/// Locks the group's events (by id, so two servers' groups cannot wait on each other in a
/// circle: a row lock on PostgreSQL, the write lock on SQLite) and reads them under the lock,
/// makes each registration in order from those rows and commits.
async fn in_one_transaction(
    db: &DatabaseConnection,
    secret: &[u8],
    group: &[PendingRegistration],
) -> Result<Vec<Registered>, AppError> {
    let work = Work::begin(db).await?;
    let txn = work.db();
    let mut event_ids: Vec<_> = group.iter().map(|p| p.event_id).collect();
    event_ids.sort_unstable();
    event_ids.dedup();
    let mut events = HashMap::with_capacity(event_ids.len());
    for event_id in event_ids {
        events.insert(event_id, seats::lock_event_row(txn, event_id).await?);
    }
    // Every chosen session of the group, read once under the events' locks.
    let mut chosen: Vec<Uuid> = group
        .iter()
        .flat_map(|p| p.request.session_ids.iter().copied())
        .collect();
    chosen.sort_unstable();
    chosen.dedup();
    let sessions = registering::sessions_among(txn, &chosen).await?;
    // The categories of the events the public registers for, read under their locks (a
    // replacement takes the same lock), so a category closed a moment ago is refused here.
    let mut public_categories = HashMap::new();
    for pending in group.iter().filter(|p| p.by == Audience::Public) {
        if let Entry::Vacant(slot) = public_categories.entry(pending.event_id) {
            let stored = store::categories::of_event(txn, pending.event_id).await?;
            slot.insert(Categories::from_stored(stored));
        }
    }
    let mut made = Vec::with_capacity(group.len());
    let mut writes = registering::GroupWrites::default();
    for pending in group {
        let event = events
            .get(&pending.event_id)
            .ok_or(AppError::NotFound("event"))?;
        made.push(
            registering::register_in(
                txn,
                event,
                registering::ToRegister {
                    id: pending.id,
                    request: &pending.request,
                    idempotency: pending.idempotency.as_ref(),
                    public_categories: public_categories.get(&pending.event_id),
                },
                secret,
                &sessions,
                &mut writes,
            )
            .await?,
        );
    }
    let happened = std::mem::take(&mut writes.happened);
    registering::write_group(txn, writes).await?;
    work.commit_at(&happened).await?;
    Ok(made)
}

/// The registrations of `group` that exist already: a group whose commit failed may have
/// committed (the connection lost during `COMMIT`), and those must not be made again.
async fn already_made(
    db: &DatabaseConnection,
    group: &[PendingRegistration],
) -> Result<HashMap<Uuid, RegistrationRow>, AppError> {
    let mut made = HashMap::new();
    for row in registrations::find_many(db, group.iter().map(|p| p.id)).await? {
        made.insert(row.registration.id, row);
    }
    Ok(made)
}
