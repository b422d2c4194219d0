//! The check-in API's request and response types, and how a decided scan is answered in
//! JSON (its status; no contact data; no delegate for unknown codes).

use chrono::{DateTime, FixedOffset, NaiveDate};
use poem_openapi::{Enum, Object, Union};
use uuid::Uuid;

use super::common::local;
use super::enums::{Category, RegistrationStatus, ScanResult};
use super::problem::Problem;
use crate::domain::checkin::{Outcome, ScanAnswer};

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
    /// Absent for `invalid` and `wrong_event` (another event's delegate is not shown).
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
    pub answer: BatchAnswer,
}

/// A scan's decision, or the problem that stopped it (a field error).
#[derive(Union, Debug)]
#[oai(one_of)]
pub enum BatchAnswer {
    Decided(CheckinResult),
    Refused(Problem),
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
    /// Pass as `?after=` next time: the highest revocation number this answer covers.
    pub cursor: i64,
    /// When this answer was read (for display; `?since=` of older scanners).
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

/// The HTTP status of a scan's answer: 200 ok, 409 already checked in, 404 invalid, 422 the
/// other refusals.
pub fn status_of(outcome: Outcome) -> u16 {
    match outcome {
        Outcome::Ok => 200,
        Outcome::AlreadyCheckedIn => 409,
        Outcome::Invalid => 404,
        Outcome::Revoked
        | Outcome::NotConfirmed
        | Outcome::WrongEvent
        | Outcome::NotRegisteredForSession
        | Outcome::NonceReused => 422,
    }
}

/// The JSON answer to a decided scan; no contact data, and no delegate for unknown codes.
impl From<&ScanAnswer> for CheckinResult {
    fn from(answer: &ScanAnswer) -> Self {
        let decision = &answer.decision;
        CheckinResult {
            result: decision.outcome.into(),
            registration: answer
                .holder
                .as_ref()
                // Another event's delegate is none of this door's business.
                .filter(|_| !matches!(decision.outcome, Outcome::Invalid | Outcome::WrongEvent))
                .map(|holder| Badgeholder {
                    id: holder.id,
                    full_name: holder.full_name.clone(),
                    organization: holder.organization.clone(),
                    category: holder.category.into(),
                }),
            checked_in_at: decision.checked_in_at.map(|t| local(t, answer.tz)),
            first_checked_in_at: decision.first_checked_in_at.map(|t| local(t, answer.tz)),
        }
    }
}
