//! How a group of scans is decided inside one transaction, with a handful of statements
//! whatever the group's size: the stored answers of repeated nonces, the registrations the
//! codes name, seats at room doors, the first admissions (one multi-row insert that skips
//! existing rows), re-entries and leaves (one conditional update per scope), then every scan's
//! row. Offline scans and a badge scanned twice in one group are decided one by one, in order,
//! with the same conditional statements. Two scanners still never both admit one badge: the
//! unique key of `presence` decides, whichever server or group a scan is in.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use entities::{registration_sessions, registrations};

use super::checkins::{self, Decision, Judged, NonceKey, Replay, Scan};
use crate::domain::checkin::{self, Direction, Holder, Outcome, ScanAnswer};
use crate::domain::enums::{ChoiceStatus, RegistrationStatus};
use crate::error::AppError;

/// A scan whose code was checked by the handler, waiting to be decided.
pub struct PendingScan {
    /// The id its row will have, chosen before any transaction decides it.
    pub id: Uuid,
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

impl PendingScan {
    fn nonce_key(&self) -> Option<NonceKey> {
        let scan = &self.scan;
        match (scan.sender, &scan.nonce) {
            (Some(sender), Some(nonce)) => Some((sender, nonce.clone())),
            _ => None,
        }
    }
}

/// How one scan of a group is decided.
enum Plan {
    /// Answered before: the decision then.
    Replayed(Replay),
    /// The same nonce as an earlier scan of this group: that scan's answer.
    SameAs(usize),
    /// Refused before reaching `presence`.
    Refused(Outcome, Option<Uuid>),
    /// With the group's bulk statements.
    Bulk(Uuid, String),
    /// Alone, after the bulk statements.
    OneByOne(Uuid, String),
}

/// Decides `scans` in `txn`, in the order given: one answer per scan.
pub async fn decide_in<C: ConnectionTrait>(
    txn: &C,
    scans: &[PendingScan],
) -> Result<Vec<ScanAnswer>, AppError> {
    let now = Utc::now();
    let lookups: Vec<NonceKey> = scans.iter().filter_map(PendingScan::nonce_key).collect();
    let stored = checkins::replays(txn, &lookups).await?;
    let registrations = registrations_named(txn, scans, &stored).await?;
    let seats = seats_at_doors(txn, scans, &registrations).await?;

    let mut first_of_nonce: HashMap<NonceKey, usize> = HashMap::new();
    let mut keys_seen: HashSet<(Uuid, String)> = HashSet::new();
    let mut plans = Vec::with_capacity(scans.len());
    for (index, scan) in scans.iter().enumerate() {
        if let Some(key) = scan.nonce_key() {
            let fingerprint = Some(&scan.scan.fingerprint);
            if let Some(replay) = stored.get(&key) {
                // The same nonce for another scan is a scanner's fault: refused, still kept.
                // (Scans kept before fingerprints have none: the same nonce was the same scan.)
                let same_scan =
                    replay.fingerprint.is_none() || replay.fingerprint.as_ref() == fingerprint;
                plans.push(if same_scan {
                    Plan::Replayed(replay.clone())
                } else {
                    Plan::Refused(Outcome::NonceReused, None)
                });
                continue;
            }
            if let Some(&earlier) = first_of_nonce.get(&key) {
                plans.push(if Some(&scans[earlier].scan.fingerprint) == fingerprint {
                    Plan::SameAs(earlier)
                } else {
                    Plan::Refused(Outcome::NonceReused, None)
                });
                continue;
            }
            first_of_nonce.insert(key, index);
        }
        let plan = match judge(scan, &registrations, &seats)? {
            Err((outcome, registration_id)) => Plan::Refused(outcome, registration_id),
            Ok(registration_id) => {
                let scope = checkin::scope(scan.scan.session_id, scan.scan.scanned_at, scan.tz);
                let first_in_group = keys_seen.insert((registration_id, scope.clone()));
                if first_in_group && !scan.scan.offline {
                    Plan::Bulk(registration_id, scope)
                } else {
                    Plan::OneByOne(registration_id, scope)
                }
            }
        };
        plans.push(plan);
    }

    let scan_ids: Vec<Uuid> = scans.iter().map(|s| s.id).collect();
    let mut decisions: Vec<Option<Decision>> = plans
        .iter()
        .map(|plan| match plan {
            Plan::Refused(outcome, _) => Some(Decision::refused(*outcome)),
            _ => None,
        })
        .collect();
    decide_bulk(txn, scans, &plans, &scan_ids, now, &mut decisions).await?;

    let mut answers: Vec<Option<ScanAnswer>> = plans
        .iter()
        .zip(scans)
        .map(|(plan, scan)| match plan {
            Plan::Replayed(replay) => Some(answer_of(
                scan,
                replay.decision.clone(),
                replay.registration_id,
                &registrations,
            )),
            _ => None,
        })
        .collect();
    let mut rows = Vec::new();
    for (index, decision) in decisions.iter().enumerate() {
        if let Some(decision) = decision {
            let (record, answer) = finish(
                &scans[index],
                &plans[index],
                &registrations,
                scan_ids[index],
                decision,
                now,
            );
            rows.push(record);
            answers[index] = Some(answer);
        }
    }
    checkins::insert_scans(txn, rows).await?;

    for (index, plan) in plans.iter().enumerate() {
        if let Plan::OneByOne(registration_id, scope) = plan {
            let decision = checkins::decide(
                txn,
                &scans[index].scan,
                *registration_id,
                scope,
                scan_ids[index],
            )
            .await?;
            let (row, answer) = finish(
                &scans[index],
                plan,
                &registrations,
                scan_ids[index],
                &decision,
                now,
            );
            checkins::insert_scans(txn, vec![row]).await?;
            answers[index] = Some(answer);
        }
    }
    for (index, plan) in plans.iter().enumerate() {
        if let Plan::SameAs(earlier) = plan {
            answers[index] = answers[*earlier].clone();
        }
    }
    answers
        .into_iter()
        .map(|answer| answer.ok_or_else(|| AppError::unexpected("a scan was left undecided")))
        .collect()
}

/// The answers of `scans` that were decided and kept already: a group whose commit failed
/// may have committed (the connection lost during `COMMIT`); those must not be decided again.
pub async fn answers_kept<C: ConnectionTrait>(
    db: &C,
    scans: &[PendingScan],
) -> Result<HashMap<Uuid, ScanAnswer>, AppError> {
    let kept = checkins::kept(db, scans.iter().map(|s| s.id)).await?;
    if kept.is_empty() {
        return Ok(HashMap::new());
    }
    let ids: HashSet<Uuid> = kept.values().filter_map(|r| r.registration_id).collect();
    let registrations: HashMap<Uuid, registrations::Model> = registrations::Entity::find()
        .filter(registrations::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.id, r))
        .collect();
    Ok(scans
        .iter()
        .filter_map(|scan| {
            let replay = kept.get(&scan.id)?;
            Some((
                scan.id,
                answer_of(
                    scan,
                    replay.decision.clone(),
                    replay.registration_id,
                    &registrations,
                ),
            ))
        })
        .collect())
}

/// The registrations that genuine codes of the group name, and those of replayed answers.
async fn registrations_named<C: ConnectionTrait>(
    txn: &C,
    scans: &[PendingScan],
    replays: &HashMap<NonceKey, Replay>,
) -> Result<HashMap<Uuid, registrations::Model>, AppError> {
    let ids: HashSet<Uuid> = scans
        .iter()
        .filter_map(|s| s.claim.map(|c| c.registration_id))
        .chain(replays.values().filter_map(|r| r.registration_id))
        .collect();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(registrations::Entity::find()
        .filter(registrations::Column::Id.is_in(ids))
        .all(txn)
        .await?
        .into_iter()
        .map(|r| (r.id, r))
        .collect())
}

/// The (registration, session) seats held among the group's door scans.
async fn seats_at_doors<C: ConnectionTrait>(
    txn: &C,
    scans: &[PendingScan],
    registrations: &HashMap<Uuid, registrations::Model>,
) -> Result<HashSet<(Uuid, Uuid)>, AppError> {
    let wanted: Vec<(Uuid, Uuid)> = scans
        .iter()
        .filter_map(|s| match (s.claim, s.scan.session_id) {
            (Some(claim), Some(session_id)) if s.needs_seat => {
                Some((claim.registration_id, session_id))
            }
            _ => None,
        })
        .filter(|(registration, _)| registrations.contains_key(registration))
        .collect();
    if wanted.is_empty() {
        return Ok(HashSet::new());
    }
    let held = registration_sessions::Entity::find()
        .filter(
            registration_sessions::Column::RegistrationId
                .is_in(wanted.iter().map(|w| w.0).collect::<HashSet<_>>()),
        )
        .filter(registration_sessions::Column::Status.eq(ChoiceStatus::Confirmed.as_str()))
        .all(txn)
        .await?;
    Ok(held
        .into_iter()
        .map(|c| (c.registration_id, c.session_id))
        .filter(|pair| wanted.contains(pair))
        .collect())
}

/// The registration a scan may admit, or why not (with the registration, when known).
fn judge(
    scan: &PendingScan,
    registrations: &HashMap<Uuid, registrations::Model>,
    seats: &HashSet<(Uuid, Uuid)>,
) -> Result<Result<Uuid, (Outcome, Option<Uuid>)>, AppError> {
    let Some(claim) = scan.claim else {
        return Ok(Err((Outcome::Invalid, None)));
    };
    let Some(registration) = registrations.get(&claim.registration_id) else {
        return Ok(Err((Outcome::Invalid, None)));
    };
    let status: RegistrationStatus = registration.status;
    let same_event = claim.for_this_event && registration.event_id == scan.scan.event_id;
    let holds_seat = scan
        .scan
        .session_id
        .is_some_and(|session_id| seats.contains(&(registration.id, session_id)));
    Ok(
        match checkin::refusal(same_event, status, scan.needs_seat, holds_seat) {
            Some(outcome) => Err((outcome, Some(registration.id))),
            None => Ok(registration.id),
        },
    )
}

/// The group's first admissions, re-entries and leaves, a few statements per scope.
async fn decide_bulk<C: ConnectionTrait>(
    txn: &C,
    scans: &[PendingScan],
    plans: &[Plan],
    scan_ids: &[Uuid],
    now: DateTime<Utc>,
    decisions: &mut [Option<Decision>],
) -> Result<(), AppError> {
    let bulk: Vec<(usize, Uuid, &str)> = plans
        .iter()
        .enumerate()
        .filter_map(|(index, plan)| match plan {
            Plan::Bulk(registration_id, scope) => Some((index, *registration_id, scope.as_str())),
            _ => None,
        })
        .collect();
    if bulk.is_empty() {
        return Ok(());
    }
    // Rows go in by key order, so groups on two servers cannot wait on each other in a circle.
    let mut entries: Vec<_> = bulk
        .iter()
        .filter(|(index, _, _)| scans[*index].scan.direction == Direction::Entry)
        .collect();
    entries.sort_by_key(|(_, registration_id, scope)| (*scope, *registration_id));
    let admitted = checkins::admit_many(
        txn,
        entries
            .iter()
            .map(|(index, registration_id, scope)| {
                let scan = &scans[*index].scan;
                checkins::admission_row(
                    *registration_id,
                    scope,
                    scan.event_id,
                    scan.scanned_at,
                    scan_ids[*index],
                )
            })
            .collect(),
    )
    .await?;
    let mut scopes: Vec<&str> = bulk.iter().map(|(_, _, scope)| *scope).collect();
    scopes.sort_unstable();
    scopes.dedup();
    for scope in scopes {
        let in_scope = |direction: Direction, skip_admitted: bool| -> Vec<(usize, Uuid)> {
            bulk.iter()
                .filter(|(index, _, s)| {
                    *s == scope
                        && scans[*index].scan.direction == direction
                        && !(skip_admitted && admitted.contains(&scan_ids[*index]))
                })
                .map(|(index, registration_id, _)| (*index, *registration_id))
                .collect()
        };
        for (index, _) in in_scope(Direction::Entry, false) {
            if admitted.contains(&scan_ids[index]) {
                decisions[index] = Some(Decision::passed(
                    scans[index].scan.scanned_at,
                    Some(scans[index].scan.scanned_at),
                ));
            }
        }
        let returning = in_scope(Direction::Entry, true);
        let leaving = in_scope(Direction::Exit, false);
        let ids = |list: &[(usize, Uuid)]| list.iter().map(|(_, id)| *id).collect::<Vec<_>>();
        let reentered = checkins::set_inside_many(txn, scope, &ids(&returning), true, now).await?;
        let left = checkins::set_inside_many(txn, scope, &ids(&leaving), false, now).await?;
        let unchanged: Vec<Uuid> = returning
            .iter()
            .chain(&leaving)
            .map(|(_, id)| *id)
            .filter(|id| !reentered.contains_key(id) && !left.contains_key(id))
            .collect();
        let firsts = checkins::first_entries(txn, scope, &unchanged).await?;
        for (index, registration_id) in returning {
            let at = scans[index].scan.scanned_at;
            decisions[index] = Some(match reentered.get(&registration_id) {
                Some(first) => Decision::passed(at, Some(*first)),
                None => Decision::already(firsts.get(&registration_id).copied()),
            });
        }
        for (index, registration_id) in leaving {
            let first = left
                .get(&registration_id)
                .or_else(|| firsts.get(&registration_id))
                .copied();
            decisions[index] = Some(Decision::passed(scans[index].scan.scanned_at, first));
        }
    }
    Ok(())
}

/// Who the scan was judged to be for, and where it counts.
fn judged(plan: &Plan) -> Judged<'_> {
    match plan {
        Plan::Bulk(id, scope) | Plan::OneByOne(id, scope) => Judged {
            registration_id: Some(*id),
            scope: Some(scope),
        },
        Plan::Refused(_, id) => Judged {
            registration_id: *id,
            scope: None,
        },
        Plan::Replayed(_) | Plan::SameAs(_) => Judged::default(),
    }
}

/// The answer to a decided scan and the row that keeps it.
fn finish(
    scan: &PendingScan,
    plan: &Plan,
    registrations: &HashMap<Uuid, registrations::Model>,
    scan_id: Uuid,
    decision: &Decision,
    now: DateTime<Utc>,
) -> (entities::scans::ActiveModel, ScanAnswer) {
    let judged = judged(plan);
    let row = checkins::scan_row(&scan.scan, judged, scan_id, decision, now);
    let answer = answer_of(
        scan,
        decision.clone(),
        judged.registration_id,
        registrations,
    );
    (row, answer)
}

/// A decision with the badge's holder (none for unknown codes).
fn answer_of(
    scan: &PendingScan,
    decision: Decision,
    registration_id: Option<Uuid>,
    registrations: &HashMap<Uuid, registrations::Model>,
) -> ScanAnswer {
    let holder = registration_id
        .and_then(|id| registrations.get(&id))
        .filter(|_| decision.outcome != Outcome::Invalid)
        .map(|r| Holder {
            id: r.id,
            full_name: r.full_name.clone(),
            organization: r.organization.clone(),
            category: r.category,
        });
    ScanAnswer {
        decision,
        holder,
        tz: scan.tz,
    }
}
