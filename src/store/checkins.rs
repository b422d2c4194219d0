//! Check-in, decided in the database. An admission is the insert of a `presence` row keyed by
//! (registration, scope) with `ON CONFLICT DO NOTHING`: of any number of concurrent scanners,
//! exactly one inserts it. Re-entry after an exit is a conditional update (`inside = false` →
//! `true`). An offline scan older than the recorded admission takes its place with another
//! conditional update, and the later scan is reclassified as a duplicate. Every scan is kept in
//! `scans`, with its answer, which a repeated nonce gets back.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, TransactionTrait, TryInsertResult,
};
use uuid::Uuid;

use entities::{presence, registrations, scans};

use super::is_unique_violation;
use crate::domain::checkin::{Direction, Outcome};
use crate::error::AppError;

/// A scan after its code and registration were judged.
pub struct Scan {
    pub event_id: Uuid,
    pub registration: Option<registrations::Model>,
    pub session_id: Option<Uuid>,
    /// Where the admission counts; None when the scan was refused before that.
    pub scope: Option<String>,
    pub direction: Direction,
    /// Set when the scan was refused before reaching the presence table.
    pub refused: Option<Outcome>,
    pub scanned_at: DateTime<Utc>,
    /// Whether `scanned_at` came from the scanner (an offline scan) rather than the server.
    pub offline: bool,
    pub device: String,
    pub nonce: Option<String>,
    pub code_excerpt: String,
}

/// The decision on a scan.
#[derive(Debug, Clone)]
pub struct Decision {
    pub outcome: Outcome,
    pub checked_in_at: Option<DateTime<Utc>>,
    pub first_checked_in_at: Option<DateTime<Utc>>,
}

/// A stored answer: HTTP status and JSON body.
pub struct Answer {
    pub status: u16,
    pub body: String,
}

/// The stored answer to an earlier scan with the same device and nonce.
pub async fn replay<C: ConnectionTrait>(
    db: &C,
    event_id: Uuid,
    device: &str,
    nonce: &str,
) -> Result<Option<Answer>, AppError> {
    Ok(scans::Entity::find()
        .filter(scans::Column::EventId.eq(event_id))
        .filter(scans::Column::Device.eq(device))
        .filter(scans::Column::Nonce.eq(nonce))
        .one(db)
        .await?
        .map(|scan| Answer {
            status: u16::try_from(scan.http_status).unwrap_or(200),
            body: scan.response,
        }))
}

/// Decides a scan and records it, in one transaction. `render` writes the answer's body.
pub async fn record(
    db: &DatabaseConnection,
    scan: Scan,
    render: impl FnOnce(&Decision) -> String,
) -> Result<Answer, AppError> {
    let scan_id = Uuid::now_v7();
    let txn = db.begin().await?;
    let decision = match (&scan.refused, &scan.registration, &scan.scope) {
        (None, Some(registration), Some(scope)) => {
            decide(&txn, &scan, registration.id, scope, scan_id).await?
        }
        (refused, _, _) => Decision {
            outcome: refused.unwrap_or(Outcome::Invalid),
            checked_in_at: None,
            first_checked_in_at: None,
        },
    };
    let status = decision.outcome.http_status();
    let body = render(&decision);
    let inserted = scans::Entity::insert(scans::ActiveModel {
        id: Set(scan_id),
        event_id: Set(scan.event_id),
        registration_id: Set(scan.registration.as_ref().map(|r| r.id)),
        session_id: Set(scan.session_id),
        scope: Set(scan.scope.clone()),
        direction: Set(scan.direction.as_str().to_owned()),
        result: Set(decision.outcome.as_str().to_owned()),
        admission: Set(decision.outcome == Outcome::Ok
            && scan.direction == Direction::Entry
            && decision.first_checked_in_at == Some(scan.scanned_at)),
        device: Set(scan.device.clone()),
        nonce: Set(scan.nonce.clone()),
        code_excerpt: Set(scan.code_excerpt.clone()),
        scanned_at: Set(scan.scanned_at),
        recorded_at: Set(Utc::now()),
        http_status: Set(i32::from(status)),
        response: Set(body.clone()),
    })
    .exec_without_returning(&txn)
    .await;
    match inserted {
        Ok(_) => {}
        // The same nonce raced in from a retry: answer as the first one did.
        Err(err) if is_unique_violation(&err) => {
            txn.rollback().await?;
            if let Some(nonce) = &scan.nonce
                && let Some(answer) = replay(db, scan.event_id, &scan.device, nonce).await?
            {
                return Ok(answer);
            }
            return Err(err.into());
        }
        Err(err) => return Err(err.into()),
    }
    txn.commit().await?;
    Ok(Answer { status, body })
}

async fn decide<C: ConnectionTrait>(
    txn: &C,
    scan: &Scan,
    registration_id: Uuid,
    scope: &str,
    scan_id: Uuid,
) -> Result<Decision, AppError> {
    let at = scan.scanned_at;
    let key = |q: sea_orm::UpdateMany<presence::Entity>| {
        q.filter(presence::Column::RegistrationId.eq(registration_id))
            .filter(presence::Column::Scope.eq(scope))
    };
    let ok = |first: DateTime<Utc>| Decision {
        outcome: Outcome::Ok,
        checked_in_at: Some(at),
        first_checked_in_at: Some(first),
    };
    if scan.direction == Direction::Exit {
        key(presence::Entity::update_many())
            .col_expr(presence::Column::Inside, Expr::value(false))
            .col_expr(presence::Column::UpdatedAt, Expr::value(at))
            .filter(presence::Column::Inside.eq(true))
            .exec(txn)
            .await?;
        let first = first_entry(txn, registration_id, scope).await?;
        return Ok(Decision {
            outcome: Outcome::Ok,
            checked_in_at: Some(at),
            first_checked_in_at: first,
        });
    }
    // First admission in this scope: exactly one concurrent insert succeeds.
    let inserted = presence::Entity::insert(presence::ActiveModel {
        registration_id: Set(registration_id),
        scope: Set(scope.to_owned()),
        event_id: Set(scan.event_id),
        inside: Set(true),
        first_entry_at: Set(at),
        first_scan_id: Set(scan_id),
        updated_at: Set(at),
    })
    .on_conflict_do_nothing_on([presence::Column::RegistrationId, presence::Column::Scope])
    .exec_without_returning(txn)
    .await?;
    if matches!(inserted, TryInsertResult::Inserted(n) if n > 0) {
        return Ok(ok(at));
    }
    // An offline scan made before the recorded admission becomes the admission.
    if scan.offline {
        let earlier = key(presence::Entity::update_many())
            .col_expr(presence::Column::FirstEntryAt, Expr::value(at))
            .col_expr(presence::Column::FirstScanId, Expr::value(scan_id))
            .filter(presence::Column::FirstEntryAt.gt(at))
            .exec(txn)
            .await?;
        if earlier.rows_affected == 1 {
            scans::Entity::update_many()
                .col_expr(
                    scans::Column::Result,
                    Expr::value(Outcome::AlreadyCheckedIn.as_str()),
                )
                .col_expr(scans::Column::Admission, Expr::value(false))
                .col_expr(
                    scans::Column::HttpStatus,
                    Expr::value(i32::from(Outcome::AlreadyCheckedIn.http_status())),
                )
                .filter(scans::Column::RegistrationId.eq(registration_id))
                .filter(scans::Column::Scope.eq(scope))
                .filter(scans::Column::Admission.eq(true))
                .exec(txn)
                .await?;
            return Ok(ok(at));
        }
    }
    // Re-entry after an exit.
    let reentered = key(presence::Entity::update_many())
        .col_expr(presence::Column::Inside, Expr::value(true))
        .col_expr(presence::Column::UpdatedAt, Expr::value(at))
        .filter(presence::Column::Inside.eq(false))
        .exec(txn)
        .await?;
    let first = first_entry(txn, registration_id, scope).await?;
    if reentered.rows_affected == 1 {
        return Ok(Decision {
            outcome: Outcome::Ok,
            checked_in_at: Some(at),
            first_checked_in_at: first,
        });
    }
    Ok(Decision {
        outcome: Outcome::AlreadyCheckedIn,
        checked_in_at: first,
        first_checked_in_at: first,
    })
}

async fn first_entry<C: ConnectionTrait>(
    db: &C,
    registration_id: Uuid,
    scope: &str,
) -> Result<Option<DateTime<Utc>>, AppError> {
    Ok(
        presence::Entity::find_by_id((registration_id, scope.to_owned()))
            .one(db)
            .await?
            .map(|p| p.first_entry_at),
    )
}

/// Counts per scope of an event: (scope, checked in, inside now).
pub async fn presence_counts<C: ConnectionTrait>(
    db: &C,
    event_id: Uuid,
) -> Result<Vec<(String, i64, i64)>, AppError> {
    let rows = presence::Entity::find()
        .filter(presence::Column::EventId.eq(event_id))
        .order_by_asc(presence::Column::Scope)
        .all(db)
        .await?;
    let mut counts: Vec<(String, i64, i64)> = Vec::new();
    for row in rows {
        match counts.last_mut() {
            Some((scope, checked, inside)) if *scope == row.scope => {
                *checked += 1;
                *inside += i64::from(row.inside);
            }
            _ => counts.push((row.scope, 1, i64::from(row.inside))),
        }
    }
    Ok(counts)
}

/// Scopes a registration has been admitted to, with the first admission time.
pub async fn admissions_of<C: ConnectionTrait>(
    db: &C,
    registration_id: Uuid,
) -> Result<Vec<presence::Model>, AppError> {
    Ok(presence::Entity::find()
        .filter(presence::Column::RegistrationId.eq(registration_id))
        .all(db)
        .await?)
}
