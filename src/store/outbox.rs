//! The e-mail outbox as stored: rows written from what happened, inside the transaction that
//! made it happen (one per message, deduplicated by key, so a retried request writes none
//! again); claiming due rows with a lease (`FOR UPDATE SKIP LOCKED` on PostgreSQL, a
//! conditional update on SQLite), and recording each attempt's outcome; organizers' list,
//! resend, and the purge of old sent rows.

use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseBackend, DbBackend, EntityTrait,
    FromQueryResult, QueryFilter, QueryOrder, QuerySelect, Statement,
};
use uuid::Uuid;

use entities::outbox::{self, MailDetails};
use entities::{registration_sessions, registrations};

use crate::domain::enums::{MailKind, MailStatus, RegistrationStatus};
use crate::domain::happened::Happened;
use crate::error::AppError;

/// One message to write: to whom, what, and its dedupe key.
struct Planned {
    event_id: Uuid,
    registration_id: Uuid,
    kind: MailKind,
    dedupe_key: String,
    details: MailDetails,
}

/// Writes the messages what happened calls for, in the caller's transaction; answers how
/// many rows were written (a key already written is skipped).
pub async fn enqueue<C: ConnectionTrait>(
    txn: &C,
    happened: &[(Uuid, Happened)],
) -> Result<usize, AppError> {
    let mut planned = Vec::new();
    for (event_id, h) in happened {
        plan(txn, *event_id, h, &mut planned).await?;
    }
    if planned.is_empty() {
        return Ok(0);
    }
    let now = Utc::now();
    let count = planned.len();
    let rows = planned.into_iter().map(|p| outbox::ActiveModel {
        id: Set(Uuid::now_v7()),
        event_id: Set(p.event_id),
        registration_id: Set(p.registration_id),
        kind: Set(p.kind),
        dedupe_key: Set(p.dedupe_key),
        details: Set(p.details),
        status: Set(MailStatus::Queued),
        attempts: Set(0),
        next_attempt_at: Set(now),
        lease_until: Set(None),
        last_error: Set(None),
        message_id: Set(None),
        recipient: Set(None),
        created_at: Set(now),
        sent_at: Set(None),
    });
    outbox::Entity::insert_many(rows)
        .on_conflict_do_nothing_on([outbox::Column::DedupeKey])
        .exec_without_returning(txn)
        .await?;
    Ok(count)
}

/// The messages one happening calls for.
async fn plan<C: ConnectionTrait>(
    txn: &C,
    event_id: Uuid,
    h: &Happened,
    planned: &mut Vec<Planned>,
) -> Result<(), AppError> {
    let to_one = |registration_id: Uuid, kind: MailKind, details: MailDetails| Planned {
        event_id,
        registration_id,
        kind,
        dedupe_key: h.key(),
        details,
    };
    match *h {
        Happened::Registered {
            registration,
            status,
        } => {
            let kind = match status {
                RegistrationStatus::Confirmed => MailKind::Confirmed,
                RegistrationStatus::Waitlisted => MailKind::Waitlisted,
                RegistrationStatus::Pending => MailKind::Pending,
                _ => return Ok(()),
            };
            planned.push(to_one(registration, kind, MailDetails::default()));
        }
        Happened::Promoted { registration } => {
            planned.push(to_one(
                registration,
                MailKind::Promoted,
                MailDetails::default(),
            ));
        }
        Happened::SessionSeatGiven {
            registration,
            session,
        } => planned.push(to_one(
            registration,
            MailKind::SessionSeatGiven,
            MailDetails {
                session_id: Some(session),
                ..Default::default()
            },
        )),
        Happened::Approved {
            registration,
            status,
        } => {
            let kind = match status {
                RegistrationStatus::Waitlisted => MailKind::ApprovedWaitlisted,
                _ => MailKind::Approved,
            };
            planned.push(to_one(registration, kind, MailDetails::default()));
        }
        Happened::Rejected { registration } => {
            planned.push(to_one(
                registration,
                MailKind::Rejected,
                MailDetails::default(),
            ));
        }
        // Nothing is written to an address that was just erased.
        Happened::Erased { .. } => {}
        Happened::CertificateIssued { registration } => {
            planned.push(to_one(
                registration,
                MailKind::CertificateIssued,
                MailDetails::default(),
            ));
        }
        Happened::Cancelled { registration } => {
            planned.push(to_one(
                registration,
                MailKind::Cancelled,
                MailDetails::default(),
            ));
        }
        Happened::SessionMoved {
            session,
            sequence,
            was_starts_at,
            was_ends_at,
        } => {
            let details = MailDetails {
                session_id: Some(session),
                sequence: Some(sequence),
                was_starts_at: Some(was_starts_at),
                was_ends_at: Some(was_ends_at),
                ..Default::default()
            };
            signed_up(
                txn,
                event_id,
                h,
                session,
                MailKind::SessionMoved,
                details,
                planned,
            )
            .await?;
        }
        Happened::SessionReroomed {
            session,
            sequence,
            was_room,
        } => {
            let details = MailDetails {
                session_id: Some(session),
                sequence: Some(sequence),
                was_room_id: was_room,
                ..Default::default()
            };
            signed_up(
                txn,
                event_id,
                h,
                session,
                MailKind::SessionReroomed,
                details,
                planned,
            )
            .await?;
        }
        Happened::SessionCancelled { session, sequence } => {
            let details = MailDetails {
                session_id: Some(session),
                sequence: Some(sequence),
                ..Default::default()
            };
            signed_up(
                txn,
                event_id,
                h,
                session,
                MailKind::SessionCancelled,
                details,
                planned,
            )
            .await?;
        }
    }
    Ok(())
}

/// One message per delegate signed up to `session` whose registration is still on.
async fn signed_up<C: ConnectionTrait>(
    txn: &C,
    event_id: Uuid,
    h: &Happened,
    session: Uuid,
    kind: MailKind,
    details: MailDetails,
    planned: &mut Vec<Planned>,
) -> Result<(), AppError> {
    let chosen: Vec<Uuid> = registration_sessions::Entity::find()
        .select_only()
        .column(registration_sessions::Column::RegistrationId)
        .filter(registration_sessions::Column::SessionId.eq(session))
        .into_tuple()
        .all(txn)
        .await?;
    if chosen.is_empty() {
        return Ok(());
    }
    let live: Vec<Uuid> = registrations::Entity::find()
        .select_only()
        .column(registrations::Column::Id)
        .filter(registrations::Column::Id.is_in(chosen))
        .filter(registrations::Column::Status.is_in([
            RegistrationStatus::Confirmed.as_str(),
            RegistrationStatus::Waitlisted.as_str(),
            RegistrationStatus::Pending.as_str(),
        ]))
        .order_by_asc(registrations::Column::Id)
        .into_tuple()
        .all(txn)
        .await?;
    for registration_id in live {
        planned.push(Planned {
            event_id,
            registration_id,
            kind,
            dedupe_key: format!("{}:{registration_id}", h.key()),
            details: details.clone(),
        });
    }
    Ok(())
}

/// Takes up to `limit` due messages for this instance until `lease` from now: queued, due,
/// and not leased by a live instance. Each attempt counts.
pub async fn claim<C: ConnectionTrait>(
    db: &C,
    limit: u64,
    lease: Duration,
) -> Result<Vec<outbox::Model>, AppError> {
    let now = Utc::now();
    let until = now + lease;
    let backend = db.get_database_backend();
    let skip_locked = if backend == DbBackend::Postgres {
        " FOR UPDATE SKIP LOCKED"
    } else {
        ""
    };
    let (now_p, until_p, limit_p) = match backend {
        DatabaseBackend::Postgres => ("$1", "$2", "$3"),
        _ => ("?", "?", "?"),
    };
    // One statement: the rows chosen are the rows updated, so two instances never take the
    // same row (PostgreSQL skips rows another claim holds; SQLite runs one writer at a time).
    let sql = format!(
        "UPDATE outbox SET lease_until = {until_p}, attempts = attempts + 1 \
         WHERE id IN (SELECT id FROM outbox WHERE status = 'queued' \
           AND next_attempt_at <= {now_p} AND (lease_until IS NULL OR lease_until < {now_p}) \
           ORDER BY next_attempt_at, id LIMIT {limit_p}{skip_locked}) \
         RETURNING *"
    );
    let values: Vec<sea_orm::Value> = match backend {
        DatabaseBackend::Postgres => vec![now.into(), until.into(), (limit as i64).into()],
        // SQLite's `?` are taken in order of appearance: until, now, now, limit.
        _ => vec![until.into(), now.into(), now.into(), (limit as i64).into()],
    };
    let rows =
        outbox::Model::find_by_statement(Statement::from_sql_and_values(backend, sql, values))
            .all(db)
            .await?;
    Ok(rows)
}

/// Renews this instance's lease on a claimed message just before sending it: `true` while
/// the lease it holds (`held_until`) is still its own, `false` when it ran out and another
/// instance took the message (which then sends it instead).
pub async fn renew<C: ConnectionTrait>(
    db: &C,
    id: Uuid,
    held_until: DateTime<Utc>,
    lease: Duration,
) -> Result<Option<DateTime<Utc>>, AppError> {
    let until = Utc::now() + lease;
    let result = outbox::Entity::update_many()
        .col_expr(outbox::Column::LeaseUntil, Expr::value(until))
        .filter(outbox::Column::Id.eq(id))
        .filter(outbox::Column::Status.eq(MailStatus::Queued.as_str()))
        .filter(outbox::Column::LeaseUntil.eq(held_until))
        .exec(db)
        .await?;
    Ok((result.rows_affected == 1).then_some(until))
}

/// Records a message as sent to `recipient` with `message_id`.
pub async fn mark_sent<C: ConnectionTrait>(
    db: &C,
    id: Uuid,
    recipient: &str,
    message_id: &str,
) -> Result<(), AppError> {
    outbox::Entity::update_many()
        .col_expr(outbox::Column::MessageId, Expr::value(message_id))
        .col_expr(
            outbox::Column::Status,
            Expr::value(MailStatus::Sent.as_str()),
        )
        .col_expr(outbox::Column::SentAt, Expr::value(Utc::now()))
        .col_expr(outbox::Column::Recipient, Expr::value(recipient))
        .col_expr(
            outbox::Column::LeaseUntil,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .filter(outbox::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// Records a failed attempt: retried at `retry_at`, or failed for good when `None`.
pub async fn mark_failed<C: ConnectionTrait>(
    db: &C,
    id: Uuid,
    error: &str,
    retry_at: Option<DateTime<Utc>>,
    recipient: Option<&str>,
) -> Result<(), AppError> {
    let mut update = outbox::Entity::update_many()
        .col_expr(outbox::Column::LastError, Expr::value(error))
        .col_expr(
            outbox::Column::LeaseUntil,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .filter(outbox::Column::Id.eq(id));
    update = match retry_at {
        Some(at) => update.col_expr(outbox::Column::NextAttemptAt, Expr::value(at)),
        None => update.col_expr(
            outbox::Column::Status,
            Expr::value(MailStatus::Failed.as_str()),
        ),
    };
    if let Some(recipient) = recipient {
        update = update.col_expr(outbox::Column::Recipient, Expr::value(recipient));
    }
    update.exec(db).await?;
    Ok(())
}

/// Why the messages of an erased registration were not sent.
pub const ERASED: &str = "the registration no longer exists";

/// After an erasure: the registration's messages forget their recipient, and those not yet
/// sent fail (they cannot be sent without an address).
pub async fn forget_recipient<C: ConnectionTrait>(
    db: &C,
    registration_id: Uuid,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    outbox::Entity::update_many()
        .col_expr(
            outbox::Column::Status,
            Expr::value(MailStatus::Failed.as_str()),
        )
        .col_expr(outbox::Column::LastError, Expr::value(ERASED))
        .col_expr(
            outbox::Column::LeaseUntil,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .col_expr(outbox::Column::NextAttemptAt, Expr::value(now))
        .filter(outbox::Column::RegistrationId.eq(registration_id))
        .filter(outbox::Column::Status.eq(MailStatus::Queued.as_str()))
        .exec(db)
        .await?;
    outbox::Entity::update_many()
        .col_expr(
            outbox::Column::Recipient,
            Expr::value(Option::<String>::None),
        )
        .filter(outbox::Column::RegistrationId.eq(registration_id))
        .exec(db)
        .await?;
    Ok(())
}

/// An event's messages, newest first, optionally of one status.
pub async fn list<C: ConnectionTrait>(
    db: &C,
    event_id: Uuid,
    status: Option<MailStatus>,
    limit: u64,
) -> Result<Vec<outbox::Model>, AppError> {
    let mut query = outbox::Entity::find().filter(outbox::Column::EventId.eq(event_id));
    if let Some(status) = status {
        query = query.filter(outbox::Column::Status.eq(status.as_str()));
    }
    Ok(query
        .order_by_desc(outbox::Column::CreatedAt)
        .order_by_desc(outbox::Column::Id)
        .limit(limit)
        .all(db)
        .await?)
}

/// Queues a message of `event_id` again (a failed one, or a sent one to send once more).
pub async fn resend<C: ConnectionTrait>(
    db: &C,
    event_id: Uuid,
    id: Uuid,
) -> Result<Option<outbox::Model>, AppError> {
    let result = outbox::Entity::update_many()
        .col_expr(
            outbox::Column::Status,
            Expr::value(MailStatus::Queued.as_str()),
        )
        .col_expr(outbox::Column::NextAttemptAt, Expr::value(Utc::now()))
        .col_expr(
            outbox::Column::LeaseUntil,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .col_expr(outbox::Column::Attempts, Expr::value(0))
        .filter(outbox::Column::Id.eq(id))
        .filter(outbox::Column::EventId.eq(event_id))
        .exec(db)
        .await?;
    if result.rows_affected == 0 {
        return Ok(None);
    }
    Ok(outbox::Entity::find_by_id(id).one(db).await?)
}

/// Deletes sent messages older than `before`; answers how many.
pub async fn purge_sent<C: ConnectionTrait>(
    db: &C,
    before: DateTime<Utc>,
) -> Result<u64, AppError> {
    let result = outbox::Entity::delete_many()
        .filter(outbox::Column::Status.eq(MailStatus::Sent.as_str()))
        .filter(outbox::Column::SentAt.lt(before))
        .exec(db)
        .await?;
    Ok(result.rows_affected)
}

/// How many messages wait, were sent and failed, for the logs.
pub async fn depth<C: ConnectionTrait>(db: &C) -> Result<u64, AppError> {
    use sea_orm::PaginatorTrait;
    Ok(outbox::Entity::find()
        .filter(outbox::Column::Status.eq(MailStatus::Queued.as_str()))
        .count(db)
        .await?)
}

/// How many messages of an event are queued, sent and failed.
pub async fn counts<C: ConnectionTrait>(
    db: &C,
    event_id: impl Into<Option<Uuid>>,
) -> Result<std::collections::HashMap<MailStatus, u64>, AppError> {
    let mut query = outbox::Entity::find()
        .select_only()
        .column(outbox::Column::Status)
        .column_as(outbox::Column::Id.count(), "n");
    if let Some(event_id) = event_id.into() {
        query = query.filter(outbox::Column::EventId.eq(event_id));
    }
    let rows: Vec<(MailStatus, i64)> = query
        .group_by(outbox::Column::Status)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(status, n)| (status, n.max(0) as u64))
        .collect())
}
