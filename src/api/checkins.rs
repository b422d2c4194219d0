//! Check-in for scanners (check-in tokens of the event, or organizers): one scan, scans made
//! offline, the offline kit (public keys, revoked badges), attendance figures and look-up of
//! attendees by name.

use std::collections::HashMap;

use chrono::{DateTime, Days, Duration, FixedOffset, NaiveDate, Utc};
use poem_openapi::param::{Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::types::ToJSON;
use poem_openapi::{Enum, Object, OpenApi, SecurityScheme, auth::Bearer};
use uuid::Uuid;

use entities::{events, registrations};

use super::ApiTags;
use super::auth::{Principal, principal_of};
use super::common::{cached_visible_event, event_tz, local, to_utc};
use super::enums::{Category, RegistrationStatus, ScanResult, stored};
use super::scan_response::ScanResponse;
use crate::api_errors;
use crate::application::AppState;
use crate::domain::badge_code::{self, CodeRejected};
use crate::domain::checkin::{self, Direction as DomainDirection, Outcome};
use crate::domain::enums as domain;
use crate::domain::validation::ValidationErrors;
use crate::error::AppError;
use crate::store;
use crate::store::checkins::Decision;
use crate::store::checkins::Scan;
use crate::store::scan_queue::{Claim, PendingScan};

/// A check-in token of the event, or an organizer token.
#[derive(SecurityScheme)]
#[oai(ty = "bearer", rename = "ScannerToken", checker = "resolve_scanner")]
pub struct ScannerAuth(pub Principal);

async fn resolve_scanner(req: &poem::Request, bearer: Bearer) -> poem::Result<Principal> {
    let state = req
        .data::<AppState>()
        .ok_or_else(|| AppError::Internal("application state missing".into()))?;
    let principal = principal_of(state, &bearer.token).await?;
    match principal {
        Principal::Organizer | Principal::Checkin { .. } => Ok(principal),
        Principal::Delegate { .. } => Err(AppError::Forbidden(
            "this operation needs a check-in or organizer token".into(),
        )
        .into()),
    }
}

impl ScannerAuth {
    /// 403 unless the token may scan at this event.
    fn allow(&self, event: &events::Model) -> Result<(), AppError> {
        match self.0 {
            Principal::Organizer => Ok(()),
            Principal::Checkin { event_id } if event_id == event.id => Ok(()),
            _ => Err(AppError::Forbidden(
                "this check-in token belongs to another event".into(),
            )),
        }
    }
}

/// Going in or out.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[oai(rename_all = "snake_case")]
pub enum Direction {
    Entry,
    Exit,
}

/// One scan of a badge; `direction` defaults to `entry`.
#[derive(Object, Debug, Clone)]
pub struct CheckinRequest {
    /// The QR text exactly as scanned.
    pub code: String,
    /// A room's door: only delegates confirmed for this session (if it has a capacity).
    pub session_id: Option<Uuid>,
    pub direction: Option<Direction>,
    /// When the scan was made, for scans uploaded later; default: now.
    pub scanned_at: Option<DateTime<FixedOffset>>,
    /// The scanner's name, e.g. `door-1`.
    pub device: String,
    /// Unique per scan and device: a retry with the same nonce returns the first answer.
    pub nonce: Option<String>,
}

/// The delegate a badge belongs to (no contact data).
#[derive(Object, Debug, Clone, serde::Serialize)]
pub struct Badgeholder {
    pub id: Uuid,
    pub full_name: String,
    pub organization: Option<String>,
    pub category: Category,
}

/// The answer to a scan.
#[derive(Object, Debug, Clone, serde::Serialize)]
pub struct CheckinResult {
    pub result: ScanResult,
    /// Absent for `invalid`.
    #[oai(skip_serializing_if_is_none)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub registration: Option<Badgeholder>,
    /// When this scan admitted (or let out) the delegate; for `already_checked_in`, when they
    /// were admitted.
    pub checked_in_at: Option<DateTime<FixedOffset>>,
    /// The first admission in this scope (the local day, or the session).
    pub first_checked_in_at: Option<DateTime<FixedOffset>>,
}

/// Scans made offline, uploaded together.
#[derive(Object, Debug)]
pub struct CheckinBatch {
    /// At most 1000 scans; they are decided in the order they were made (`scanned_at`).
    pub scans: Vec<CheckinRequest>,
}

/// One answer of a batch, in the order of the request.
#[derive(Object, Debug)]
pub struct BatchItem {
    /// The HTTP status this scan would have had alone.
    pub status: u16,
    pub answer: serde_json::Value,
}

/// The answers to a batch.
#[derive(Object, Debug)]
pub struct BatchResult {
    pub results: Vec<BatchItem>,
}

/// A public key that verifies badge codes.
#[derive(Object, Debug)]
pub struct PublicKey {
    /// The key id, the second byte of every code's payload.
    pub kid: u8,
    pub algorithm: String,
    /// The 32-byte Ed25519 public key, hex.
    pub public_key: String,
    /// Whether new badges are signed with it.
    pub active: bool,
}

/// What a scanner needs to verify codes offline.
#[derive(Object, Debug)]
pub struct OfflineKeys {
    pub keys: Vec<PublicKey>,
    /// The event's 4-byte tag (hex), found in every code of this event.
    pub event_tag: String,
    /// How codes are built.
    pub code_format: String,
}

/// A badge that must no longer be admitted.
#[derive(Object, Debug)]
pub struct Revocation {
    pub registration_id: Uuid,
    /// `cancelled` or `rejected`.
    pub status: RegistrationStatus,
    pub revoked_at: DateTime<FixedOffset>,
}

/// Badges revoked since a time.
#[derive(Object, Debug)]
pub struct Revocations {
    pub revoked: Vec<Revocation>,
    /// Pass as `?since=` next time.
    pub as_of: DateTime<FixedOffset>,
}

/// Attendance of one local day at the venue.
#[derive(Object, Debug)]
pub struct DayAttendance {
    pub date: NaiveDate,
    pub confirmed: i64,
    pub checked_in: i64,
    pub inside: i64,
}

/// Attendance of one session at its door.
#[derive(Object, Debug)]
pub struct SessionAttendance {
    pub session_id: Uuid,
    pub title: String,
    /// Delegates holding a seat (sessions with a capacity), else confirmed registrations.
    pub confirmed: i64,
    pub checked_in: i64,
    pub inside: i64,
}

/// Attendance per local day and per session.
#[derive(Object, Debug)]
pub struct Attendance {
    pub days: Vec<DayAttendance>,
    pub sessions: Vec<SessionAttendance>,
}

/// An attendee found by name (no contact data).
#[derive(Object, Debug)]
pub struct Attendee {
    pub id: Uuid,
    pub full_name: String,
    pub organization: Option<String>,
    pub category: Category,
    pub status: RegistrationStatus,
    /// Whether they were admitted at the venue today (event time zone).
    pub checked_in_today: bool,
}

/// Attendees found.
#[derive(Object, Debug)]
pub struct Attendees {
    pub items: Vec<Attendee>,
}

api_errors!(
    enum ScanError {
        /// No or an unknown token.
        Unauthorized = 401,
        /// Not a check-in token of this event, nor an organizer's.
        Forbidden = 403,
        /// No such event (organizer tokens only; a check-in token's event always exists).
        NotFound = 404,
        /// A field breaks a rule (device, nonce, session of another event, time).
        Unprocessable = 422,
    }
);

api_errors!(
    enum KitError {
        /// No or an unknown token.
        Unauthorized = 401,
        /// Not a check-in token of this event, nor an organizer's.
        Forbidden = 403,
        /// No such event.
        NotFound = 404,
        /// A parameter breaks a rule.
        Unprocessable = 422,
    }
);

/// Check-in operations.
pub struct CheckinsApi {
    pub state: AppState,
}

#[OpenApi(prefix_path = "/api/v1", tag = "ApiTags::Checkins")]
impl CheckinsApi {
    /// Scan a badge
    ///
    /// At the venue (no `session_id`) a delegate is admitted once per local day of the event;
    /// at a room's door once per session, and only if confirmed for it when it has a capacity.
    /// `exit` records a leave and allows re-entry. Decided in the database: two scanners never
    /// both admit one badge. Always answers JSON with `result`; every scan is logged.
    #[oai(
        path = "/events/:event/checkins",
        method = "post",
        operation_id = "check_in"
    )]
    async fn scan(
        &self,
        auth: ScannerAuth,
        /// The event's id or slug.
        event: Path<String>,
        body: Json<CheckinRequest>,
    ) -> ScanResponse {
        let decided = async {
            let event = self.event(&auth, &event.0).await?;
            let scan = self
                .prepare(&event, body.0, Utc::now(), &mut HashMap::new())
                .await?;
            self.state
                .scans
                .decide(vec![scan])
                .await?
                .pop()
                .ok_or_else(|| AppError::Internal("no answer for the scan".into()))?
        };
        match decided.await {
            Ok(answer) => ScanResponse::Decided(answer),
            Err(err) => err.into(),
        }
    }

    /// Upload offline scans
    ///
    /// Scans made while the scanner was offline, each with its `scanned_at`. They are decided
    /// in the order they were made; when two devices admitted the same badge, the earliest scan
    /// is the admission and the later one is recorded as `already_checked_in`. Answers come in
    /// the order of the request.
    #[oai(
        path = "/events/:event/checkins/batch",
        method = "post",
        operation_id = "check_in_batch"
    )]
    async fn batch(
        &self,
        auth: ScannerAuth,
        /// The event's id or slug.
        event: Path<String>,
        body: Json<CheckinBatch>,
    ) -> Result<Json<BatchResult>, ScanError> {
        let event = self.event(&auth, &event.0).await?;
        let scans = body.0.scans;
        if scans.len() > 1000 {
            return Err(ValidationErrors::single("scans", "at most 1000 scans per batch").into());
        }
        let now = Utc::now();
        let mut order: Vec<usize> = (0..scans.len()).collect();
        order.sort_by_key(|&i| scans[i].scanned_at.map(to_utc).unwrap_or(now));
        // Scans with a field error are answered at once; the others are decided together,
        // in the order they were made.
        let mut answers: Vec<Option<BatchItem>> = (0..scans.len()).map(|_| None).collect();
        // Doors of the upload, each read once.
        let mut doors = HashMap::new();
        let mut pending = Vec::with_capacity(scans.len());
        let mut pending_index = Vec::with_capacity(scans.len());
        for index in order {
            match self
                .prepare(&event, scans[index].clone(), now, &mut doors)
                .await
            {
                Ok(scan) => {
                    pending.push(scan);
                    pending_index.push(index);
                }
                Err(err) => answers[index] = Some(problem_item(&err)),
            }
        }
        let decided = self.state.scans.decide(pending).await?;
        for (index, outcome) in pending_index.into_iter().zip(decided) {
            answers[index] = Some(match outcome {
                Ok(answer) => BatchItem {
                    status: answer.status,
                    answer: serde_json::from_str(&answer.body).unwrap_or_default(),
                },
                Err(err) => problem_item(&err),
            });
        }
        Ok(Json(BatchResult {
            results: answers.into_iter().flatten().collect(),
        }))
    }

    /// Offline kit: public keys
    ///
    /// The Ed25519 public keys that verify badge codes, and this event's tag, so a scanner
    /// can check codes without the network.
    #[oai(
        path = "/events/:event/checkins/keys",
        method = "get",
        operation_id = "checkin_keys"
    )]
    async fn keys(
        &self,
        auth: ScannerAuth,
        /// The event's id or slug.
        event: Path<String>,
    ) -> Result<Json<OfflineKeys>, KitError> {
        let event = self.event(&auth, &event.0).await?;
        let keyring = self.state.reload_keys().await?;
        let mut keys: Vec<PublicKey> = keyring
            .public
            .iter()
            .map(|(kid, key)| PublicKey {
                kid: *kid,
                algorithm: "Ed25519".into(),
                public_key: hex::encode(key.to_bytes()),
                active: *kid == keyring.active_kid,
            })
            .collect();
        keys.sort_by_key(|k| k.kid);
        Ok(Json(OfflineKeys {
            keys,
            event_tag: hex::encode(badge_code::event_tag(event.id)),
            code_format: "\"D1\" + base32 (RFC 4648, uppercase, no padding) of: version 0x01, \
                          key id (1 byte), event tag (4 bytes), registration id (16 bytes), \
                          Ed25519 signature (64 bytes) over \"dialogue-badge-v1\" followed by \
                          the first 22 bytes"
                .into(),
        }))
    }

    /// Offline kit: revoked badges
    ///
    /// Badges of cancelled or rejected registrations, revoked at or after `since`.
    #[oai(
        path = "/events/:event/checkins/revocations",
        method = "get",
        operation_id = "checkin_revocations"
    )]
    async fn revocations(
        &self,
        auth: ScannerAuth,
        /// The event's id or slug.
        event: Path<String>,
        /// Only badges revoked at or after this time (the `as_of` of the previous call).
        since: Query<Option<DateTime<FixedOffset>>>,
    ) -> Result<Json<Revocations>, KitError> {
        let event = self.event(&auth, &event.0).await?;
        let tz = event_tz(&event)?;
        let as_of = Utc::now();
        let revoked =
            store::registrations::revoked_since(&self.state.db, event.id, since.0.map(to_utc))
                .await?;
        Ok(Json(Revocations {
            revoked: revoked
                .into_iter()
                .map(|r| {
                    Ok(Revocation {
                        registration_id: r.id,
                        status: stored::<domain::RegistrationStatus>(&r.status)?.into(),
                        revoked_at: local(r.updated_at, tz),
                    })
                })
                .collect::<Result<_, AppError>>()?,
            as_of: local(as_of, tz),
        }))
    }

    /// Attendance
    ///
    /// Per local day of the event and per session: confirmed, checked in, inside now.
    #[oai(
        path = "/events/:event/checkins/stats",
        method = "get",
        operation_id = "checkin_stats"
    )]
    async fn stats(
        &self,
        auth: ScannerAuth,
        /// The event's id or slug.
        event: Path<String>,
    ) -> Result<Json<Attendance>, KitError> {
        let event = self.event(&auth, &event.0).await?;
        let confirmed =
            store::registrations::confirmed_count(&self.state.db, event.id).await? as i64;
        let counts = store::checkins::presence_counts(&self.state.db, event.id).await?;
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
            days.push(DayAttendance {
                date: day,
                confirmed,
                checked_in,
                inside,
            });
            match day.checked_add_days(Days::new(1)) {
                Some(next) => day = next,
                None => break,
            }
        }
        let all_sessions = store::sessions::all(
            &self.state.db,
            event.id,
            &store::sessions::SessionFilter::default(),
        )
        .await?;
        let sessions = all_sessions
            .into_iter()
            .filter(|row| row.session.status != "draft")
            .map(|row| {
                let (checked_in, inside) = count_of(&format!("session:{}", row.session.id));
                SessionAttendance {
                    session_id: row.session.id,
                    title: row.session.title,
                    confirmed: if row.session.capacity.is_some() {
                        i64::from(row.session.seats_taken)
                    } else {
                        confirmed
                    },
                    checked_in,
                    inside,
                }
            })
            .collect();
        Ok(Json(Attendance { days, sessions }))
    }

    /// Find an attendee by name
    ///
    /// For staff at the door: searches names and organizations (at least 2 characters).
    /// Answers carry no e-mail or other contact data.
    #[oai(
        path = "/events/:event/checkins/attendees",
        method = "get",
        operation_id = "checkin_attendees"
    )]
    async fn attendees(
        &self,
        auth: ScannerAuth,
        /// The event's id or slug.
        event: Path<String>,
        /// Part of a name or organization.
        q: Query<String>,
    ) -> Result<Json<Attendees>, KitError> {
        let event = self.event(&auth, &event.0).await?;
        if q.0.trim().chars().count() < 2 {
            return Err(ValidationErrors::single("q", "must have at least 2 characters").into());
        }
        let tz = event_tz(&event)?;
        let today = checkin::scope(None, Utc::now(), tz);
        let found =
            store::registrations::lookup_by_name(&self.state.db, event.id, &q.0, 20).await?;
        let mut items = Vec::with_capacity(found.len());
        for r in found {
            let admitted = store::checkins::admissions_of(&self.state.db, r.id)
                .await?
                .iter()
                .any(|p| p.scope == today);
            items.push(Attendee {
                id: r.id,
                full_name: r.full_name,
                organization: r.organization,
                category: stored::<domain::Category>(&r.category)?.into(),
                status: stored::<domain::RegistrationStatus>(&r.status)?.into(),
                checked_in_today: admitted,
            });
        }
        Ok(Json(Attendees { items }))
    }
}

impl CheckinsApi {
    async fn event(
        &self,
        auth: &ScannerAuth,
        reference: &str,
    ) -> Result<std::sync::Arc<events::Model>, AppError> {
        let event = cached_visible_event(&self.state, reference, true).await;
        match event {
            Ok(event) => {
                auth.allow(&event)?;
                Ok(event)
            }
            // A check-in token learns nothing about other events: 403, not 404.
            Err(_) if !matches!(auth.0, Principal::Organizer) => Err(AppError::Forbidden(
                "this check-in token belongs to another event".into(),
            )),
            Err(err) => Err(err),
        }
    }

    /// Checks one scan's fields and code, ready for the queue that decides it. `doors` keeps
    /// the sessions already read for this request: whether each admits only seat holders.
    async fn prepare(
        &self,
        event: &events::Model,
        request: CheckinRequest,
        now: DateTime<Utc>,
        doors: &mut HashMap<Uuid, bool>,
    ) -> Result<PendingScan, AppError> {
        let mut errors = ValidationErrors::new();
        errors.required_text("device", &request.device, 100);
        if let Some(nonce) = &request.nonce {
            errors.required_text("nonce", nonce, 100);
        }
        let scanned_at = request.scanned_at.map(to_utc);
        if let Some(at) = scanned_at
            && at > now + Duration::minutes(5)
        {
            errors.add("scanned_at", "must not be in the future");
        }
        errors.into_result(())?;
        let needs_seat = match request.session_id {
            Some(id) => match doors.get(&id) {
                Some(needs_seat) => *needs_seat,
                None => {
                    let session = store::sessions::find(&self.state.db, event.id, id)
                        .await?
                        .ok_or_else(|| {
                            ValidationErrors::single("session_id", "no such session in this event")
                        })?
                        .session;
                    let needs_seat = session.capacity.is_some();
                    doors.insert(id, needs_seat);
                    needs_seat
                }
            },
            None => false,
        };
        Ok(PendingScan {
            scan: Scan {
                event_id: event.id,
                session_id: request.session_id,
                direction: match request.direction {
                    Some(Direction::Exit) => DomainDirection::Exit,
                    _ => DomainDirection::Entry,
                },
                scanned_at: scanned_at.unwrap_or(now),
                offline: scanned_at.is_some(),
                device: request.device.trim().to_owned(),
                nonce: request.nonce,
                code_excerpt: excerpt(&request.code),
            },
            tz: event_tz(event)?,
            claim: self.claim(event, &request.code).await?,
            needs_seat,
        })
    }

    /// What a code says, if it is genuine (signed by one of our keys).
    async fn claim(&self, event: &events::Model, code: &str) -> Result<Option<Claim>, AppError> {
        let codes = &self.state.verified_codes;
        let keyring = self.state.keyring();
        let verified = match codes.verify(code, |kid| keyring.public.get(&kid).copied()) {
            Err(CodeRejected::UnknownKey) => {
                let keyring = self.state.reload_keys().await?;
                codes.verify(code, |kid| keyring.public.get(&kid).copied())
            }
            other => other,
        };
        Ok(verified.ok().map(|claims| Claim {
            registration_id: claims.registration_id,
            for_this_event: claims.event_tag == badge_code::event_tag(event.id),
        }))
    }
}

/// A scan of a batch refused with a problem (a field error, or a failure).
fn problem_item(err: &AppError) -> BatchItem {
    let problem = err.to_problem();
    BatchItem {
        status: problem.status,
        answer: serde_json::from_str(&problem.to_json_string()).unwrap_or_default(),
    }
}

/// The start of a scanned text as the audit log keeps it, control characters replaced.
fn excerpt(code: &str) -> String {
    code.chars()
        .take(48)
        .map(|c| if c.is_control() { '\u{FFFD}' } else { c })
        .collect()
}

/// The JSON answer to a decided scan; no contact data, and no delegate for unknown codes.
pub fn render_answer(
    decision: &Decision,
    registration: Option<&registrations::Model>,
    tz: chrono_tz::Tz,
) -> String {
    CheckinResult {
        result: decision.outcome.into(),
        registration: registration
            .filter(|_| decision.outcome != Outcome::Invalid)
            .map(|r| Badgeholder {
                id: r.id,
                full_name: r.full_name.clone(),
                organization: r.organization.clone(),
                category: stored::<domain::Category>(&r.category)
                    .map_or(Category::Delegate, Into::into),
            }),
        checked_in_at: decision.checked_in_at.map(|t| local(t, tz)),
        first_checked_in_at: decision.first_checked_in_at.map(|t| local(t, tz)),
    }
    .to_json_string()
}
