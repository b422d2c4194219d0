//! Certificates of attendance: which sessions count, whether a delegate attended each (from
//! the check-ins), who qualifies and by how much another misses the bar, and the signed
//! verification code.
//!
//! A session is attended when the delegate entered at its door (any accepted entry: exits and
//! re-entries change nothing), or, measured at the venue, when the delegate was admitted to
//! the venue on every local day the session covers. `auto` measures at the door the sessions
//! whose door was scanned at all, and at the venue the others.
//!
//! Verification codes are `C1` and uppercase base32 of
//! `version (1) | key id (1) | event tag (4) | certificate id (16) | minutes (2) | signature (64)`,
//! signed under their own context with the certificate keys. No personal data is in a code;
//! with the published key anyone can check offline that a code is genuine and read its event
//! tag, certificate id and hours.

use std::collections::{BTreeSet, HashMap, HashSet};

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use ed25519_dalek::{SigningKey, VerifyingKey};
use uuid::Uuid;

use super::badge_code::{CodeRejected, Layout, event_tag};
use super::enums::SessionKind;

/// How the attendance of a session is measured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Measure {
    /// At the door when the session's door was scanned, else at the venue.
    Auto,
    /// Only at the session's door.
    Door,
    /// Only at the venue, on the session's local days.
    Venue,
}

impl Measure {
    pub fn as_str(self) -> &'static str {
        match self {
            Measure::Auto => "auto",
            Measure::Door => "door",
            Measure::Venue => "venue",
        }
    }

    pub fn parse(text: &str) -> Option<Measure> {
        match text {
            "auto" => Some(Measure::Auto),
            "door" => Some(Measure::Door),
            "venue" => Some(Measure::Venue),
            _ => None,
        }
    }
}

/// The default share of counted sessions to attend.
pub const DEFAULT_MIN_SHARE: f64 = 0.8;

/// Whether a session kind counts when the organizer has not chosen the sessions.
pub fn counts_by_default(kind: SessionKind) -> bool {
    matches!(kind, SessionKind::Training | SessionKind::Workshop)
}

/// A session that counts, as the rules see it.
#[derive(Debug, Clone)]
pub struct CountedSession {
    pub id: Uuid,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    /// The minutes credited when attended.
    pub minutes: i32,
}

impl CountedSession {
    /// The local dates the session covers (one, or two when it crosses midnight).
    pub fn local_days(&self, tz: Tz) -> BTreeSet<NaiveDate> {
        let first = self.starts_at.with_timezone(&tz).date_naive();
        // The last instant inside the session.
        let last = (self.ends_at - chrono::Duration::seconds(1))
            .max(self.starts_at)
            .with_timezone(&tz)
            .date_naive();
        first.iter_days().take_while(|d| *d <= last).collect()
    }
}

/// What the check-ins of an event say, per registration.
#[derive(Debug, Default, Clone)]
pub struct Presence {
    /// Sessions whose door admitted the registration (accepted entries).
    pub doors: HashMap<Uuid, HashSet<Uuid>>,
    /// Local days the venue admitted the registration.
    pub venue_days: HashMap<Uuid, HashSet<NaiveDate>>,
    /// Sessions whose door was scanned at all.
    pub scanned_doors: HashSet<Uuid>,
}

/// One registration measured against the rules.
#[derive(Debug, Clone, PartialEq)]
pub struct Standing {
    pub attended: Vec<Uuid>,
    pub counted: usize,
    /// Sessions needed to qualify.
    pub required: usize,
    pub minutes: i32,
}

impl Standing {
    pub fn qualifies(&self) -> bool {
        self.counted > 0 && self.attended.len() >= self.required
    }

    /// Sessions still missing to qualify (0 when it does).
    pub fn missing(&self) -> usize {
        if self.counted == 0 {
            return 0;
        }
        self.required.saturating_sub(self.attended.len())
    }

    pub fn share(&self) -> f64 {
        if self.counted == 0 {
            0.0
        } else {
            self.attended.len() as f64 / self.counted as f64
        }
    }
}

/// Sessions needed out of `counted` for a share of `min_share` (exactly met qualifies).
pub fn required(counted: usize, min_share: f64) -> usize {
    // A share like 0.7 is not exact in binary: allow for the rounding of the product.
    let needed = (min_share.clamp(0.0, 1.0) * counted as f64 - 1e-9).ceil();
    (needed.max(0.0) as usize)
        .min(counted)
        .max(usize::from(counted > 0))
}

/// How `registration` stands against the counted sessions.
pub fn standing(
    registration: Uuid,
    sessions: &[CountedSession],
    min_share: f64,
    measure: Measure,
    presence: &Presence,
    tz: Tz,
) -> Standing {
    let doors = presence.doors.get(&registration);
    let days = presence.venue_days.get(&registration);
    let mut attended = Vec::new();
    let mut minutes = 0;
    for session in sessions {
        let at_door = match measure {
            Measure::Door => true,
            Measure::Venue => false,
            Measure::Auto => presence.scanned_doors.contains(&session.id),
        };
        let present = if at_door {
            doors.is_some_and(|d| d.contains(&session.id))
        } else {
            days.is_some_and(|d| session.local_days(tz).iter().all(|day| d.contains(day)))
        };
        if present {
            attended.push(session.id);
            minutes += session.minutes;
        }
    }
    Standing {
        attended,
        counted: sessions.len(),
        required: required(sessions.len(), min_share),
        minutes,
    }
}

/// The text every certificate code starts with.
pub const PREFIX: &str = "C1";
const VERSION: u8 = 1;
const PAYLOAD_LEN: usize = 24;
const CODE_LEN: usize = PAYLOAD_LEN + 64;
/// Certificate signatures cover this context: a badge signature means nothing here.
const CONTEXT: &[u8] = b"dialogue-certificate-v1";

/// What a genuine code says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CertificateClaims {
    pub kid: u8,
    pub event_tag: [u8; 4],
    pub certificate_id: Uuid,
    pub minutes: u16,
}

const CERTIFICATE: Layout = Layout {
    prefix: PREFIX,
    version: VERSION,
    payload_len: PAYLOAD_LEN,
    context: CONTEXT,
};

/// The code of a certificate, signed with key `kid`.
pub fn issue_code(
    key: &SigningKey,
    kid: u8,
    event_id: Uuid,
    certificate_id: Uuid,
    minutes: u16,
) -> String {
    let mut bytes = Vec::with_capacity(CODE_LEN);
    bytes.push(VERSION);
    bytes.push(kid);
    bytes.extend_from_slice(&event_tag(event_id));
    bytes.extend_from_slice(certificate_id.as_bytes());
    bytes.extend_from_slice(&minutes.to_be_bytes());
    CERTIFICATE.sign(key, bytes)
}

/// Reads and verifies a code; `key_of` finds the public key of a certificate key id.
pub fn verify_code(
    text: &str,
    key_of: impl Fn(u8) -> Option<VerifyingKey>,
) -> Result<CertificateClaims, CodeRejected> {
    let payload = CERTIFICATE.open(text, key_of)?;
    let mut tag = [0u8; 4];
    tag.copy_from_slice(&payload[2..6]);
    let certificate_id = Uuid::from_slice(&payload[6..22]).map_err(|_| CodeRejected::Malformed)?;
    Ok(CertificateClaims {
        kid: payload[1],
        event_tag: tag,
        certificate_id,
        minutes: u16::from_be_bytes([payload[22], payload[23]]),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    const TZ: Tz = chrono_tz::Asia::Ashgabat;

    fn at(day: u32, hour: u32) -> DateTime<Utc> {
        TZ.with_ymd_and_hms(2026, 12, day, hour, 0, 0)
            .single()
            .expect("a local time")
            .with_timezone(&Utc)
    }

    fn session(day: u32, from: u32, to_day: u32, to: u32) -> CountedSession {
        CountedSession {
            id: Uuid::now_v7(),
            starts_at: at(day, from),
            ends_at: at(to_day, to),
            minutes: 90,
        }
    }

    #[test]
    fn the_bar_is_met_exactly_and_missed_by_one() {
        assert_eq!(required(5, 0.8), 4);
        assert_eq!(required(10, 0.7), 7);
        assert_eq!(required(3, 1.0), 3);
        assert_eq!(required(4, 0.0), 1, "at least one session");
        assert_eq!(required(0, 0.8), 0);
    }

    #[test]
    fn door_entries_count_once_and_venue_days_cover_every_day_of_a_session() {
        let one_day = session(10, 9, 10, 11);
        let two_days = session(10, 20, 11, 2);
        assert_eq!(two_days.local_days(TZ).len(), 2);
        assert_eq!(one_day.local_days(TZ).len(), 1);
        let sessions = vec![one_day.clone(), two_days.clone()];
        let someone = Uuid::now_v7();
        let mut presence = Presence::default();
        presence
            .venue_days
            .entry(someone)
            .or_default()
            .insert(NaiveDate::from_ymd_opt(2026, 12, 10).unwrap());
        let first = standing(someone, &sessions, 0.8, Measure::Venue, &presence, TZ);
        assert_eq!(
            first.attended,
            vec![one_day.id],
            "the second day is missing"
        );
        assert!(!first.qualifies());
        assert_eq!(first.missing(), 1);
        presence
            .venue_days
            .entry(someone)
            .or_default()
            .insert(NaiveDate::from_ymd_opt(2026, 12, 11).unwrap());
        let both = standing(someone, &sessions, 0.8, Measure::Venue, &presence, TZ);
        assert!(both.qualifies());
        assert_eq!(both.minutes, 180);
        // Measured at the door: only the door of the first session was scanned.
        presence.scanned_doors.insert(one_day.id);
        let auto = standing(someone, &sessions, 0.8, Measure::Auto, &presence, TZ);
        assert_eq!(
            auto.attended,
            vec![two_days.id],
            "no entry at the first door"
        );
    }

    #[test]
    fn codes_round_trip_and_forgeries_are_refused() {
        let key = SigningKey::from_bytes(&[9; 32]);
        let (event, certificate) = (Uuid::now_v7(), Uuid::now_v7());
        let code = issue_code(&key, 1, event, certificate, 1200);
        assert!(code.len() < 160);
        let keys = |kid: u8| (kid == 1).then(|| key.verifying_key());
        let claims = verify_code(&code, keys).unwrap();
        assert_eq!(claims.certificate_id, certificate);
        assert_eq!(claims.minutes, 1200);
        assert_eq!(claims.event_tag, event_tag(event));
        let mut altered = code.clone().into_bytes();
        altered[40] = if altered[40] == b'A' { b'B' } else { b'A' };
        assert!(verify_code(&String::from_utf8(altered).unwrap(), keys).is_err());
        // A badge code is not a certificate code, even when signed by the same key.
        let badge = super::super::badge_code::issue(&key, 1, event, certificate);
        assert_eq!(verify_code(&badge, keys), Err(CodeRejected::Malformed));
    }
}
