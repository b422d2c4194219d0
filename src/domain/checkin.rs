//! Check-in rules: the possible answers to a scan, which registrations may enter, and the
//! scope an admission counts in (a local day of the event at the venue, or one session).

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use uuid::Uuid;

use super::agenda::local_date;
use super::enums::{Category, RegistrationStatus};

pub use entities::enums::{Direction, ScanOutcome as Outcome};

/// The decision on a scan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    pub outcome: Outcome,
    pub checked_in_at: Option<DateTime<Utc>>,
    pub first_checked_in_at: Option<DateTime<Utc>>,
}

impl Decision {
    /// A refusal, or an answer without times.
    pub fn refused(outcome: Outcome) -> Self {
        Decision {
            outcome,
            checked_in_at: None,
            first_checked_in_at: None,
        }
    }

    /// Let in (or out) at `at`; first admitted in this scope at `first`.
    pub fn passed(at: DateTime<Utc>, first: Option<DateTime<Utc>>) -> Self {
        Decision {
            outcome: Outcome::Ok,
            checked_in_at: Some(at),
            first_checked_in_at: first,
        }
    }

    /// Admitted before in this scope, first at `first`.
    pub fn already(first: Option<DateTime<Utc>>) -> Self {
        Decision {
            outcome: Outcome::AlreadyCheckedIn,
            checked_in_at: first,
            first_checked_in_at: first,
        }
    }
}

/// The delegate a badge belongs to, as a scanner is shown them (no contact data).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holder {
    pub id: Uuid,
    pub full_name: String,
    pub organization: Option<String>,
    pub category: Category,
}

/// The answer to a scan: the decision, the badge's holder (none for unknown codes) and the
/// event's time zone, in which front ends show the times.
#[derive(Debug, Clone)]
pub struct ScanAnswer {
    pub decision: Decision,
    pub holder: Option<Holder>,
    pub tz: Tz,
}

/// Whether a registration in this state may be admitted.
pub fn admissible(status: RegistrationStatus) -> Result<(), Outcome> {
    match status {
        RegistrationStatus::Confirmed => Ok(()),
        RegistrationStatus::Cancelled | RegistrationStatus::Rejected => Err(Outcome::Revoked),
        RegistrationStatus::Pending | RegistrationStatus::Waitlisted => Err(Outcome::NotConfirmed),
    }
}

/// Why a scan of a registration the code names may not pass, if it may not: a badge of
/// another event, a registration that is not confirmed, or a door of a session with a
/// capacity whose seat the delegate does not hold.
pub fn refusal(
    same_event: bool,
    status: RegistrationStatus,
    door_needs_seat: bool,
    holds_seat: bool,
) -> Option<Outcome> {
    if !same_event {
        return Some(Outcome::WrongEvent);
    }
    if let Err(outcome) = admissible(status) {
        return Some(outcome);
    }
    (door_needs_seat && !holds_seat).then_some(Outcome::NotRegisteredForSession)
}

/// Where an admission counts: each local day at the venue, or each session at its door.
pub fn scope(session_id: Option<Uuid>, scanned_at: DateTime<Utc>, tz: Tz) -> String {
    match session_id {
        Some(session) => format!("session:{session}"),
        None => format!("day:{}", local_date(scanned_at, tz)),
    }
}

/// Why an offline scan's time cannot be taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum OfflineTime {
    #[error("must fall on one of the event's days (in the event's time zone)")]
    OutsideEvent,
    #[error("must fall on a day this door's session runs (in the event's time zone)")]
    OutsideSession,
}

/// Whether a scan made offline at `at` could have happened: on a local day of the event
/// (`first`..=`last`), and at a door (`session`: its start and end) on a local day that
/// session runs. Times outside would credit attendance nobody could have had.
pub fn offline_time(
    at: DateTime<Utc>,
    tz: Tz,
    first: NaiveDate,
    last: NaiveDate,
    session: Option<(DateTime<Utc>, DateTime<Utc>)>,
) -> Result<(), OfflineTime> {
    let day = local_date(at, tz);
    if !(first..=last).contains(&day) {
        return Err(OfflineTime::OutsideEvent);
    }
    if let Some((starts, ends)) = session
        && !(local_date(starts, tz)..=local_date(ends, tz)).contains(&day)
    {
        return Err(OfflineTime::OutsideSession);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn venue_scope_is_the_local_day() {
        // 20:30 UTC on the 18th is 01:30 on the 19th in Ashgabat.
        let at = Utc.with_ymd_and_hms(2026, 11, 18, 20, 30, 0).unwrap();
        assert_eq!(scope(None, at, chrono_tz::Asia::Ashgabat), "day:2026-11-19");
        let session = Uuid::now_v7();
        assert_eq!(
            scope(Some(session), at, chrono_tz::Asia::Ashgabat),
            format!("session:{session}")
        );
    }

    #[test]
    fn only_confirmed_delegates_enter() {
        assert!(admissible(RegistrationStatus::Confirmed).is_ok());
        assert_eq!(
            admissible(RegistrationStatus::Cancelled),
            Err(Outcome::Revoked)
        );
        assert_eq!(
            admissible(RegistrationStatus::Waitlisted),
            Err(Outcome::NotConfirmed)
        );
        assert_eq!("already_checked_in".parse(), Ok(Outcome::AlreadyCheckedIn));
    }

    #[test]
    fn refusals_come_in_order_of_importance() {
        use RegistrationStatus::*;
        assert_eq!(
            refusal(false, Cancelled, true, false),
            Some(Outcome::WrongEvent)
        );
        assert_eq!(
            refusal(true, Cancelled, true, false),
            Some(Outcome::Revoked)
        );
        assert_eq!(
            refusal(true, Confirmed, true, false),
            Some(Outcome::NotRegisteredForSession)
        );
        assert_eq!(refusal(true, Confirmed, true, true), None);
        assert_eq!(refusal(true, Confirmed, false, false), None);
    }

    #[test]
    fn offline_times_stay_within_the_event_and_the_door_day() {
        let tz: Tz = "Asia/Ashgabat".parse().unwrap();
        let first = NaiveDate::from_ymd_opt(2026, 11, 18).unwrap();
        let last = NaiveDate::from_ymd_opt(2026, 11, 19).unwrap();
        // 18 November 09:00–10:00 local.
        let session = Some((
            Utc.with_ymd_and_hms(2026, 11, 18, 4, 0, 0).unwrap(),
            Utc.with_ymd_and_hms(2026, 11, 18, 5, 0, 0).unwrap(),
        ));
        // 17 November 23:30 local, the evening before: refused now (it was "slack").
        let evening_before = Utc.with_ymd_and_hms(2026, 11, 17, 18, 30, 0).unwrap();
        assert_eq!(
            offline_time(evening_before, tz, first, last, None),
            Err(OfflineTime::OutsideEvent)
        );
        // 19 November 23:30 local: the venue, yes; the door of a session on the 18th, no.
        let late_on_day_two = Utc.with_ymd_and_hms(2026, 11, 19, 18, 30, 0).unwrap();
        assert_eq!(offline_time(late_on_day_two, tz, first, last, None), Ok(()));
        assert_eq!(
            offline_time(late_on_day_two, tz, first, last, session),
            Err(OfflineTime::OutsideSession)
        );
        let morning = Utc.with_ymd_and_hms(2026, 11, 18, 3, 50, 0).unwrap();
        assert_eq!(offline_time(morning, tz, first, last, session), Ok(()));
    }
}
