//! Use cases of check-in: a scanner (a check-in token of the event, or an organizer) scans a
//! badge, uploads scans made offline, reads the offline kit (keys, revoked badges), the
//! attendance figures and looks attendees up by name. Scans are decided in the database, in
//! groups, by the scan queue; this layer checks the fields and the badge code first.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{DateTime, Days, Duration, NaiveDate, SubsecRound, Utc};
use uuid::Uuid;

use entities::{events, registrations};

use super::events::visible_cached;
use super::principal::{Audience, Principal};
use crate::application::AppState;
use crate::domain::badge_code::{self, CodeRejected};
use crate::domain::checkin::ScanAnswer;
use crate::domain::checkin::{self, Direction, offline_time};
use crate::domain::enums::SessionStatus;
use crate::domain::event::parse_timezone;
use crate::domain::validation::ValidationErrors;
use crate::error::AppError;
use crate::store;
use crate::store::checkins::Scan;
use crate::store::keys::Keyring;
use crate::store::scan_decisions::{Claim, PendingScan};

/// Most scans in one upload.
pub const MAX_BATCH: usize = 1000;

/// One scan as a scanner reports it.
#[derive(Debug, Clone)]
pub struct ScanInput {
    /// The QR text exactly as scanned.
    pub code: String,
    /// The scanner's name.
    pub device: String,
    /// Unique per scan and device: a retry with the same nonce gets the first answer.
    pub nonce: Option<String>,
    /// A room's door; none at the venue's doors.
    pub session_id: Option<Uuid>,
    pub direction: Direction,
    /// When the scan was made, for scans uploaded later.
    pub scanned_at: Option<DateTime<Utc>>,
}

/// The event a scanner works at: a check-in token learns nothing about other events (a
/// forbidden, never a not found).
pub async fn scanner_event(
    state: &AppState,
    scanner: &Principal,
    reference: &str,
) -> Result<Arc<events::Model>, AppError> {
    let other_event = || AppError::forbidden("this check-in token belongs to another event");
    match (
        visible_cached(state, reference, Audience::Organizers).await,
        scanner,
    ) {
        (Ok(event), Principal::Organizer { .. }) => Ok(event),
        (Ok(event), Principal::Checkin { event_id, .. }) if *event_id == event.id => Ok(event),
        (Ok(_), _) => Err(other_event()),
        (Err(err), Principal::Organizer { .. }) => Err(err),
        (Err(_), _) => Err(other_event()),
    }
}

/// Decides one scan.
pub async fn scan(
    state: &AppState,
    scanner: &Principal,
    event: &str,
    input: ScanInput,
) -> Result<ScanAnswer, AppError> {
    let event = scanner_event(state, scanner, event).await?;
    let sender = scanner.token_id();
    let scan = prepare(
        state,
        &event,
        sender,
        input,
        Utc::now(),
        &mut HashMap::new(),
    )
    .await?;
    state
        .scans
        .decide(vec![scan])
        .await?
        .pop()
        .ok_or_else(|| AppError::unexpected("no answer for the scan"))?
        .and_then(refuse_reused_nonce)
}

/// A scan under a nonce its token used for another scan was kept in the log and decided
/// nothing; the scanner hears of it as a field error (its nonces repeat). Every decision is
/// counted for the metrics here.
fn refuse_reused_nonce(answer: ScanAnswer) -> Result<ScanAnswer, AppError> {
    crate::metrics::metrics()
        .checkins
        .get_or_create(&crate::metrics::ResultLabels {
            result: answer.decision.outcome.as_str().into(),
        })
        .inc();
    if answer.decision.outcome == crate::domain::checkin::Outcome::NonceReused {
        return Err(ValidationErrors::single(
            "nonce",
            "was already used by this token for a different scan; send a new nonce with every scan",
        )
        .into());
    }
    Ok(answer)
}

/// Decides scans made offline in the order they were made; one answer per scan, in the
/// order given (a scan with a field error is answered with that error).
pub async fn batch(
    state: &AppState,
    scanner: &Principal,
    event: &str,
    inputs: Vec<ScanInput>,
) -> Result<Vec<Result<ScanAnswer, AppError>>, AppError> {
    let event = scanner_event(state, scanner, event).await?;
    let sender = scanner.token_id();
    if inputs.len() > MAX_BATCH {
        return Err(ValidationErrors::single(
            "scans",
            format!("at most {MAX_BATCH} scans per batch"),
        )
        .into());
    }
    let now = Utc::now();
    let mut order: Vec<usize> = (0..inputs.len()).collect();
    order.sort_by_key(|&i| inputs[i].scanned_at.unwrap_or(now));
    let mut answers: Vec<Option<Result<ScanAnswer, AppError>>> =
        (0..inputs.len()).map(|_| None).collect();
    // Doors of the upload, each read once.
    let mut doors = HashMap::new();
    let mut pending = Vec::with_capacity(inputs.len());
    let mut pending_index = Vec::with_capacity(inputs.len());
    for index in order {
        match prepare(
            state,
            &event,
            sender,
            inputs[index].clone(),
            now,
            &mut doors,
        )
        .await
        {
            Ok(scan) => {
                pending.push(scan);
                pending_index.push(index);
            }
            Err(err) => answers[index] = Some(Err(err)),
        }
    }
    let decided = state.scans.decide(pending).await?;
    for (index, outcome) in pending_index.into_iter().zip(decided) {
        answers[index] = Some(outcome.and_then(refuse_reused_nonce));
    }
    Ok(answers.into_iter().flatten().collect())
}

/// Checks one scan's fields and code, ready for the queue that decides it. `doors` keeps the
/// sessions already read for this request: whether each admits only seat holders.
async fn prepare(
    state: &AppState,
    event: &events::Model,
    sender: Option<Uuid>,
    input: ScanInput,
    now: DateTime<Utc>,
    doors: &mut HashMap<Uuid, Door>,
) -> Result<PendingScan, AppError> {
    let mut errors = ValidationErrors::new();
    errors.required_text("device", &input.device, 100);
    if let Some(nonce) = &input.nonce {
        errors.required_text("nonce", nonce, 100);
    }
    let tz = parse_timezone(&event.timezone).map_err(AppError::unexpected)?;
    if input
        .scanned_at
        .is_some_and(|at| at > now + Duration::minutes(5))
    {
        errors.add("scanned_at", "must not be in the future");
    }
    errors.into_result(())?;
    let door = match input.session_id {
        Some(id) => Some(match doors.get(&id) {
            Some(door) => *door,
            None => {
                let session = store::sessions::find(&state.db, event.id, id)
                    .await?
                    .ok_or_else(|| {
                        ValidationErrors::single("session_id", "no such session in this event")
                    })?
                    .session;
                let door = Door {
                    needs_seat: session.capacity.is_some(),
                    starts_at: session.starts_at,
                    ends_at: session.ends_at,
                };
                doors.insert(id, door);
                door
            }
        }),
        None => None,
    };
    if let Some(at) = input.scanned_at {
        offline_time(
            at,
            tz,
            event.starts_on,
            event.ends_on,
            door.map(|d| (d.starts_at, d.ends_at)),
        )
        .map_err(|refused| ValidationErrors::single("scanned_at", refused.to_string()))?;
    }
    let needs_seat = door.is_some_and(|d| d.needs_seat);
    let scanned_at = input.scanned_at.unwrap_or(now).trunc_subsecs(6);
    let fingerprint = fingerprint(event.id, &input, scanned_at);
    Ok(PendingScan {
        id: Uuid::now_v7(),
        scan: Scan {
            event_id: event.id,
            session_id: input.session_id,
            direction: input.direction,
            // Kept to the microsecond, as both databases store it: a replayed answer is the
            // answer given, to the digit.
            scanned_at,
            offline: input.scanned_at.is_some(),
            device: input.device.trim().to_owned(),
            nonce: input.nonce,
            code_excerpt: excerpt(&input.code),
            sender,
            fingerprint,
        },
        tz,
        claim: claim(state, event, &input.code).await?,
        needs_seat,
    })
}

/// A door of the upload as read once: whether it admits only seat holders, and when its
/// session runs.
#[derive(Debug, Clone, Copy)]
struct Door {
    needs_seat: bool,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
}

/// What identifies a scan for its nonce: the code, the device, the door, the direction and,
/// offline, its time. A retry has the same; another scan under the same nonce has not.
fn fingerprint(event_id: Uuid, input: &ScanInput, scanned_at: DateTime<Utc>) -> String {
    use sha2::{Digest, Sha256};
    let offline_at = input
        .scanned_at
        .map(|_| scanned_at.to_rfc3339())
        .unwrap_or_default();
    let session = input
        .session_id
        .map(|id| id.to_string())
        .unwrap_or_default();
    let text = format!(
        "{event_id}\n{}\n{}\n{session}\n{}\n{offline_at}",
        input.code,
        input.device.trim(),
        input.direction.as_str()
    );
    hex::encode(Sha256::digest(text.as_bytes()))
}

/// What a code says, if it is genuine (signed by one of our keys).
async fn claim(
    state: &AppState,
    event: &events::Model,
    code: &str,
) -> Result<Option<Claim>, AppError> {
    let codes = &state.verified_codes;
    let keyring = state.keyring();
    let verified = match codes.verify(code, |kid| keyring.public.get(&kid).copied()) {
        Err(CodeRejected::UnknownKey) => {
            let keyring = state.reload_keys().await?;
            codes.verify(code, |kid| keyring.public.get(&kid).copied())
        }
        other => other,
    };
    Ok(verified.ok().map(|claims| Claim {
        registration_id: claims.registration_id,
        for_this_event: claims.event_tag == badge_code::event_tag(event.id),
    }))
}

/// The start of a scanned text as the audit log keeps it, control characters replaced.
fn excerpt(code: &str) -> String {
    code.chars()
        .take(48)
        .map(|c| if c.is_control() { '\u{FFFD}' } else { c })
        .collect()
}

/// The keys that verify badge codes, read afresh (another instance may have rotated).
pub async fn offline_keys(
    state: &AppState,
    scanner: &Principal,
    event: &str,
) -> Result<(Arc<events::Model>, Arc<Keyring>), AppError> {
    let event = scanner_event(state, scanner, event).await?;
    Ok((event, state.reload_keys().await?))
}

/// Where a scanner's list of revoked badges stands.
#[derive(Debug, Clone, Copy)]
pub enum RevokedFrom {
    /// Every revoked badge.
    Start,
    /// Badges revoked after this revocation number (the `cursor` of the previous answer):
    /// numbers are given under the event's lock, so none committed later is missed.
    After(i64),
    /// Badges whose registration changed at or after this time (older scanners; a revocation
    /// committing while the previous answer was read can be missed).
    Since(DateTime<Utc>),
}

/// Revoked badges of an event, the number to ask after next time, and the time of the read.
pub struct Revoked {
    pub event: Arc<events::Model>,
    pub registrations: Vec<registrations::Model>,
    pub cursor: i64,
    pub as_of: DateTime<Utc>,
}

/// Badges of cancelled or rejected registrations revoked since `from`.
pub async fn revocations(
    state: &AppState,
    scanner: &Principal,
    event: &str,
    from: RevokedFrom,
) -> Result<Revoked, AppError> {
    let event = scanner_event(state, scanner, event).await?;
    let as_of = Utc::now();
    let (after, since) = match from {
        RevokedFrom::Start => (None, None),
        RevokedFrom::After(after) => (Some(after), None),
        RevokedFrom::Since(since) => (None, Some(since)),
    };
    let revoked = store::registrations::revoked_since(&state.db, event.id, after, since).await?;
    let cursor = revoked
        .iter()
        .filter_map(|r| r.revoked_seq)
        .chain(after)
        .max()
        .unwrap_or(0);
    Ok(Revoked {
        event,
        registrations: revoked,
        cursor,
        as_of,
    })
}

/// Attendance of one scope: confirmed delegates, those admitted, those inside now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Figures {
    pub confirmed: i64,
    pub checked_in: i64,
    pub inside: i64,
}

/// Attendance per local day of the event and per public session.
pub struct Attendance {
    pub days: Vec<(NaiveDate, Figures)>,
    pub sessions: Vec<(Uuid, String, Figures)>,
}

/// The attendance figures of an event.
pub async fn attendance(
    state: &AppState,
    scanner: &Principal,
    event: &str,
) -> Result<Attendance, AppError> {
    let event = scanner_event(state, scanner, event).await?;
    let confirmed = store::registrations::confirmed_count(&state.db, event.id).await? as i64;
    let counts = store::checkins::presence_counts(&state.db, event.id).await?;
    let count_of = |scope: &str| {
        counts
            .iter()
            .find(|(s, _, _)| s == scope)
            .map(|(_, checked, inside)| (*checked, *inside))
            .unwrap_or((0, 0))
    };
    let mut days = Vec::new();
    let mut day = event.starts_on;
    while day <= event.ends_on {
        let (checked_in, inside) = count_of(&format!("day:{day}"));
        days.push((
            day,
            Figures {
                confirmed,
                checked_in,
                inside,
            },
        ));
        match day.checked_add_days(Days::new(1)) {
            Some(next) => day = next,
            None => break,
        }
    }
    let all = store::sessions::all(
        &state.db,
        event.id,
        &store::sessions::SessionFilter::default(),
    )
    .await?;
    let sessions = all
        .into_iter()
        .filter(|row| row.session.status != SessionStatus::Draft)
        .map(|row| {
            let (checked_in, inside) = count_of(&format!("session:{}", row.session.id));
            let confirmed = if row.session.capacity.is_some() {
                i64::from(row.session.seats_taken)
            } else {
                confirmed
            };
            (
                row.session.id,
                row.session.title,
                Figures {
                    confirmed,
                    checked_in,
                    inside,
                },
            )
        })
        .collect();
    Ok(Attendance { days, sessions })
}

/// Attendees whose name or organization contains `query` (at least 2 characters), with
/// whether they were admitted at the venue today (event time zone).
pub async fn find_attendees(
    state: &AppState,
    scanner: &Principal,
    event: &str,
    query: &str,
) -> Result<Vec<(registrations::Model, bool)>, AppError> {
    let event = scanner_event(state, scanner, event).await?;
    if query.trim().chars().count() < 2 {
        return Err(ValidationErrors::single("q", "must have at least 2 characters").into());
    }
    let tz = parse_timezone(&event.timezone).map_err(AppError::unexpected)?;
    let today = checkin::scope(None, Utc::now(), tz);
    let found = store::registrations::lookup_by_name(&state.db, event.id, query, 20).await?;
    let mut attendees = Vec::with_capacity(found.len());
    for registration in found {
        let admitted = store::checkins::admissions_of(&state.db, registration.id)
            .await?
            .iter()
            .any(|p| p.scope == today);
        attendees.push((registration, admitted));
    }
    Ok(attendees)
}

/// What each scanner device at the event's doors did since the start of today (event time).
pub async fn doors_today(
    state: &AppState,
    scanner: &Principal,
    event: &str,
) -> Result<Vec<store::checkins::DeviceActivity>, AppError> {
    let event = scanner_event(state, scanner, event).await?;
    let tz = parse_timezone(&event.timezone).map_err(AppError::unexpected)?;
    let today = Utc::now().with_timezone(&tz).date_naive();
    let (since, _) = crate::domain::event::local_day_span(tz, today);
    store::checkins::device_activity(&state.db, event.id, since).await
}
