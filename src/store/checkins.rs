//! Check-in, decided in the database. An admission is the insert of a `presence` row keyed by
//! (registration, scope) with `ON CONFLICT DO NOTHING`: of any number of concurrent scanners,
//! exactly one inserts it. Re-entry after an exit is a conditional update (`inside = false` →
//! `true`). An offline scan older than the recorded admission takes its place with another
//! conditional update, and the later scan is reclassified as a duplicate. Every scan is kept in
//! `scans`, with the decision answered, which a repeated nonce gets back.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    TryInsertResult,
};
use uuid::Uuid;

use entities::{presence, scans};

pub use crate::domain::checkin::Decision;
use crate::domain::checkin::{Direction, Outcome};
use crate::error::AppError;

/// A scan as the scanner sent it, its fields checked.
pub struct Scan {
    pub event_id: Uuid,
    /// The session at whose door the scan was made; None at the venue's entrance.
    pub session_id: Option<Uuid>,
    pub direction: Direction,
    pub scanned_at: DateTime<Utc>,
    /// Whether `scanned_at` came from the scanner (an offline scan) rather than the server.
    pub offline: bool,
    pub device: String,
    pub nonce: Option<String>,
    pub code_excerpt: String,
    /// The token that sent the scan; its nonces are its own.
    pub sender: Option<Uuid>,
    /// A hash of what was scanned, where, which way and (offline) when: a repeated nonce is
    /// answered again only for the same scan.
    pub fingerprint: String,
}

/// An earlier scan's answer, kept for its nonce: the decision, whose badge it was, and the
/// fingerprint of the scan it answered.
#[derive(Debug, Clone)]
pub struct Replay {
    pub decision: Decision,
    pub registration_id: Option<Uuid>,
    pub fingerprint: Option<String>,
}

/// The token that sent a scan and its nonce: a repeated key gets the first answer.
pub type NonceKey = (Uuid, String);

/// The answers given to earlier scans with these nonces.
pub async fn replays<C: ConnectionTrait>(
    db: &C,
    lookups: &[NonceKey],
) -> Result<HashMap<NonceKey, Replay>, AppError> {
    if lookups.is_empty() {
        return Ok(HashMap::new());
    }
    // Both columns of the unique (sender, nonce) index, so the look-up reads only the keys
    // asked for.
    let rows = scans::Entity::find()
        .filter(
            scans::Column::Sender.is_in(lookups.iter().map(|key| key.0).collect::<HashSet<_>>()),
        )
        .filter(scans::Column::Nonce.is_in(lookups.iter().map(|key| key.1.clone())))
        .all(db)
        .await?;
    let mut found = HashMap::new();
    for scan in rows {
        let (Some(sender), Some(nonce)) = (scan.sender, scan.nonce.clone()) else {
            continue;
        };
        let key = (sender, nonce);
        if lookups.contains(&key) {
            found.insert(key, replay_of(scan));
        }
    }
    Ok(found)
}

/// The kept answers of the scans among `ids` that were recorded.
pub async fn kept<C: ConnectionTrait>(
    db: &C,
    ids: impl IntoIterator<Item = Uuid>,
) -> Result<HashMap<Uuid, Replay>, AppError> {
    Ok(scans::Entity::find()
        .filter(scans::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|scan| (scan.id, replay_of(scan)))
        .collect())
}

fn replay_of(scan: scans::Model) -> Replay {
    Replay {
        decision: Decision {
            outcome: scan.answered,
            checked_in_at: scan.checked_in_at,
            first_checked_in_at: scan.first_checked_in_at,
        },
        registration_id: scan.registration_id,
        fingerprint: scan.fingerprint,
    }
}

/// Who a scan was judged to be for (None for unknown codes) and where its admission counts
/// (None when it was refused before that).
#[derive(Debug, Clone, Copy, Default)]
pub struct Judged<'a> {
    pub registration_id: Option<Uuid>,
    pub scope: Option<&'a str>,
}

/// The row that keeps a scan and the decision answered.
pub fn scan_row(
    scan: &Scan,
    judged: Judged,
    scan_id: Uuid,
    decision: &Decision,
    recorded_at: DateTime<Utc>,
) -> scans::ActiveModel {
    scans::ActiveModel {
        id: Set(scan_id),
        event_id: Set(scan.event_id),
        registration_id: Set(judged.registration_id),
        session_id: Set(scan.session_id),
        scope: Set(judged.scope.map(str::to_owned)),
        direction: Set(scan.direction),
        result: Set(decision.outcome),
        admission: Set(decision.outcome == Outcome::Ok
            && scan.direction == Direction::Entry
            && decision.first_checked_in_at == Some(scan.scanned_at)),
        device: Set(scan.device.clone()),
        // A scan refused for reusing a nonce is kept without it (the first keeps the key).
        nonce: Set(scan
            .nonce
            .clone()
            .filter(|_| decision.outcome != Outcome::NonceReused)),
        sender: Set(scan.sender),
        fingerprint: Set(Some(scan.fingerprint.clone())),
        code_excerpt: Set(scan.code_excerpt.clone()),
        scanned_at: Set(scan.scanned_at),
        recorded_at: Set(recorded_at),
        answered: Set(decision.outcome),
        checked_in_at: Set(decision.checked_in_at),
        first_checked_in_at: Set(decision.first_checked_in_at),
    }
}

/// Keeps scans, up to 500 rows per statement (within both databases' parameter limits).
pub async fn insert_scans<C: ConnectionTrait>(
    db: &C,
    rows: Vec<scans::ActiveModel>,
) -> Result<(), AppError> {
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<_> = rows.by_ref().take(500).collect();
        scans::Entity::insert_many(chunk)
            .exec_without_returning(db)
            .await?;
    }
    Ok(())
}

/// First admissions of many scans at once: one `presence` row per (registration, scope),
/// inserted unless one exists. Returns the scan ids whose row went in; for the others an
/// admission was recorded before. Keys must be distinct.
pub async fn admit_many<C: ConnectionTrait>(
    db: &C,
    rows: Vec<presence::ActiveModel>,
) -> Result<HashSet<Uuid>, AppError> {
    if rows.is_empty() {
        return Ok(HashSet::new());
    }
    let inserted = presence::Entity::insert_many(rows)
        .on_conflict_do_nothing_on([presence::Column::RegistrationId, presence::Column::Scope])
        .exec_with_returning_many(db)
        .await?;
    Ok(match inserted {
        TryInsertResult::Inserted(models) => models.into_iter().map(|p| p.first_scan_id).collect(),
        _ => HashSet::new(),
    })
}

/// Lets many registrations in (`inside = true`) or out (`false`) of one scope where they were
/// on the other side, with one conditional update. Returns, for each registration whose row
/// changed, its first admission time.
pub async fn set_inside_many<C: ConnectionTrait>(
    db: &C,
    scope: &str,
    registration_ids: &[Uuid],
    inside: bool,
    at: DateTime<Utc>,
) -> Result<HashMap<Uuid, DateTime<Utc>>, AppError> {
    if registration_ids.is_empty() {
        return Ok(HashMap::new());
    }
    let changed = presence::Entity::update_many()
        .col_expr(presence::Column::Inside, Expr::value(inside))
        .col_expr(presence::Column::UpdatedAt, Expr::value(at))
        .filter(presence::Column::Scope.eq(scope))
        .filter(presence::Column::RegistrationId.is_in(registration_ids.iter().copied()))
        .filter(presence::Column::Inside.eq(!inside))
        .exec_with_returning(db)
        .await?;
    Ok(changed
        .into_iter()
        .map(|p| (p.registration_id, p.first_entry_at))
        .collect())
}

/// First admission times in one scope of these registrations (those admitted there).
pub async fn first_entries<C: ConnectionTrait>(
    db: &C,
    scope: &str,
    registration_ids: &[Uuid],
) -> Result<HashMap<Uuid, DateTime<Utc>>, AppError> {
    if registration_ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows = presence::Entity::find()
        .filter(presence::Column::Scope.eq(scope))
        .filter(presence::Column::RegistrationId.is_in(registration_ids.iter().copied()))
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|p| (p.registration_id, p.first_entry_at))
        .collect())
}

/// Decides one scan with conditional statements, inside the caller's transaction: used for
/// offline scans and for a badge scanned twice in one group.
pub async fn decide<C: ConnectionTrait>(
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
    if scan.direction == Direction::Exit {
        key(presence::Entity::update_many())
            .col_expr(presence::Column::Inside, Expr::value(false))
            .col_expr(presence::Column::UpdatedAt, Expr::value(at))
            .filter(presence::Column::Inside.eq(true))
            .exec(txn)
            .await?;
        let first = first_entry(txn, registration_id, scope).await?;
        return Ok(Decision::passed(at, first));
    }
    // First admission in this scope: exactly one concurrent insert succeeds.
    let inserted = presence::Entity::insert(admission_row(
        registration_id,
        scope,
        scan.event_id,
        at,
        scan_id,
    ))
    .on_conflict_do_nothing_on([presence::Column::RegistrationId, presence::Column::Scope])
    .exec_without_returning(txn)
    .await?;
    if matches!(inserted, TryInsertResult::Inserted(n) if n > 0) {
        return Ok(Decision::passed(at, Some(at)));
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
                .filter(scans::Column::RegistrationId.eq(registration_id))
                .filter(scans::Column::Scope.eq(scope))
                .filter(scans::Column::Admission.eq(true))
                .exec(txn)
                .await?;
            return Ok(Decision::passed(at, Some(at)));
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
        return Ok(Decision::passed(at, first));
    }
    Ok(Decision::already(first))
}

/// The `presence` row of a first admission in `scope` at `at`, by the scan `scan_id`.
pub fn admission_row(
    registration_id: Uuid,
    scope: &str,
    event_id: Uuid,
    at: DateTime<Utc>,
    scan_id: Uuid,
) -> presence::ActiveModel {
    presence::ActiveModel {
        registration_id: Set(registration_id),
        scope: Set(scope.to_owned()),
        event_id: Set(event_id),
        inside: Set(true),
        first_entry_at: Set(at),
        first_scan_id: Set(scan_id),
        updated_at: Set(at),
    }
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

/// What one scanner device did since `since`: scans, admissions among them, the door of its
/// last scan (`day:…` or `session:…`) and its time. Busiest first.
pub async fn device_activity<C: ConnectionTrait>(
    db: &C,
    event_id: Uuid,
    since: DateTime<Utc>,
) -> Result<Vec<DeviceActivity>, AppError> {
    let rows = scans::Entity::find()
        .filter(scans::Column::EventId.eq(event_id))
        .filter(scans::Column::ScannedAt.gte(since))
        .order_by_asc(scans::Column::ScannedAt)
        .all(db)
        .await?;
    let mut devices: Vec<DeviceActivity> = Vec::new();
    for row in rows {
        let index = match devices.iter().position(|d| d.device == row.device) {
            Some(index) => index,
            None => {
                devices.push(DeviceActivity {
                    device: row.device.clone(),
                    scans: 0,
                    admissions: 0,
                    last_scope: None,
                    last_at: row.scanned_at,
                });
                devices.len() - 1
            }
        };
        let device = &mut devices[index];
        device.scans += 1;
        device.admissions += i64::from(row.admission);
        device.last_scope = row.scope.clone();
        device.last_at = row.scanned_at;
    }
    devices.sort_by(|a, b| b.scans.cmp(&a.scans).then(a.device.cmp(&b.device)));
    Ok(devices)
}

/// One scanner device's activity (see [`device_activity`]).
#[derive(Debug, Clone)]
pub struct DeviceActivity {
    pub device: String,
    pub scans: i64,
    pub admissions: i64,
    pub last_scope: Option<String>,
    pub last_at: DateTime<Utc>,
}
