//! What happened to registrations and sessions, as the transaction that made it so reports
//! it: the domain events. Each is written in that transaction (see `store::journal`), so a
//! change that rolls back reports nothing, and each has a key that is the same however often
//! a request is retried (what the e-mail outbox will deduplicate on).

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::enums::{RegistrationStatus, SessionStatus};
use super::session::SessionFields;

/// One thing that happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Happened {
    /// A new registration: `confirmed`, `waitlisted` or `pending`.
    Registered {
        registration: Uuid,
        status: RegistrationStatus,
    },
    /// A registration on the event's waiting list got a seat.
    Promoted { registration: Uuid },
    /// A registration on a session's waiting list got a seat in it.
    SessionSeatGiven { registration: Uuid, session: Uuid },
    /// An organizer accredited a pending registration: `confirmed` or `waitlisted`.
    Approved {
        registration: Uuid,
        status: RegistrationStatus,
    },
    /// An organizer turned a registration down.
    Rejected { registration: Uuid },
    /// The delegate cancelled.
    Cancelled { registration: Uuid },
    /// An organizer erased the delegate's personal data.
    Erased { registration: Uuid },
    /// A published session moved to another time (`sequence` after the change; `was_*`
    /// the times before it).
    SessionMoved {
        session: Uuid,
        sequence: i32,
        was_starts_at: DateTime<Utc>,
        was_ends_at: DateTime<Utc>,
    },
    /// A published session moved to another room (`was_room` the room before).
    SessionReroomed {
        session: Uuid,
        sequence: i32,
        was_room: Option<Uuid>,
    },
    /// A session that was public was cancelled or deleted.
    SessionCancelled { session: Uuid, sequence: i32 },
    /// A certificate of attendance was issued to the registration.
    CertificateIssued { registration: Uuid },
}

impl Happened {
    /// The stored name of this kind of event.
    pub fn kind(&self) -> &'static str {
        match self {
            Happened::Registered { .. } => "registered",
            Happened::Promoted { .. } => "promoted",
            Happened::SessionSeatGiven { .. } => "session_seat_given",
            Happened::Approved { .. } => "approved",
            Happened::Rejected { .. } => "rejected",
            Happened::Cancelled { .. } => "cancelled",
            Happened::Erased { .. } => "erased",
            Happened::SessionMoved { .. } => "session_moved",
            Happened::SessionReroomed { .. } => "session_reroomed",
            Happened::SessionCancelled { .. } => "session_cancelled",
            Happened::CertificateIssued { .. } => "certificate_issued",
        }
    }

    /// The registration it concerns, if one.
    pub fn registration(&self) -> Option<Uuid> {
        match *self {
            Happened::Registered { registration, .. }
            | Happened::Promoted { registration }
            | Happened::SessionSeatGiven { registration, .. }
            | Happened::Approved { registration, .. }
            | Happened::Rejected { registration }
            | Happened::Cancelled { registration }
            | Happened::Erased { registration }
            | Happened::CertificateIssued { registration } => Some(registration),
            _ => None,
        }
    }

    /// The session it concerns, if one.
    pub fn session(&self) -> Option<Uuid> {
        match *self {
            Happened::SessionSeatGiven { session, .. }
            | Happened::SessionMoved { session, .. }
            | Happened::SessionReroomed { session, .. }
            | Happened::SessionCancelled { session, .. } => Some(session),
            _ => None,
        }
    }

    /// A key that names this happening once, however often the request that caused it is
    /// retried: a registration changes state once per kind; a session change has its sequence.
    pub fn key(&self) -> String {
        match *self {
            Happened::SessionMoved {
                session, sequence, ..
            }
            | Happened::SessionReroomed {
                session, sequence, ..
            }
            | Happened::SessionCancelled { session, sequence } => {
                format!("{}:{session}:{sequence}", self.kind())
            }
            Happened::SessionSeatGiven {
                registration,
                session,
            } => format!("{}:{session}:{registration}", self.kind()),
            Happened::Registered { registration, .. }
            | Happened::Promoted { registration }
            | Happened::Approved { registration, .. }
            | Happened::Rejected { registration }
            | Happened::Cancelled { registration }
            | Happened::Erased { registration }
            | Happened::CertificateIssued { registration } => {
                format!("{}:{registration}", self.kind())
            }
        }
    }

    /// The registration status it reports, if any.
    pub fn status(&self) -> Option<RegistrationStatus> {
        match *self {
            Happened::Registered { status, .. } | Happened::Approved { status, .. } => Some(status),
            _ => None,
        }
    }
}

/// What delegates signed up to a session see of a change to it: a published session that
/// moves in time, changes room or is cancelled (`sequence` is the session's after the change).
pub fn session_changes(
    session: Uuid,
    sequence: i32,
    before: &SessionFields,
    after: &SessionFields,
) -> Vec<Happened> {
    if before.status != SessionStatus::Published {
        return Vec::new();
    }
    if after.status == SessionStatus::Cancelled {
        return vec![Happened::SessionCancelled { session, sequence }];
    }
    let mut happened = Vec::new();
    if (before.starts_at, before.ends_at) != (after.starts_at, after.ends_at) {
        happened.push(Happened::SessionMoved {
            session,
            sequence,
            was_starts_at: before.starts_at,
            was_ends_at: before.ends_at,
        });
    }
    if before.room_id != after.room_id {
        happened.push(Happened::SessionReroomed {
            session,
            sequence,
            was_room: before.room_id,
        });
    }
    happened
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::enums::SessionKind;
    use chrono::{TimeZone, Utc};

    fn fields(status: SessionStatus, hour: u32, room: Option<Uuid>) -> SessionFields {
        SessionFields {
            title: "Cybersecurity in digital government".into(),
            r#abstract: None,
            kind: SessionKind::Talk,
            track_id: None,
            room_id: room,
            starts_at: Utc.with_ymd_and_hms(2026, 12, 30, hour, 0, 0).unwrap(),
            ends_at: Utc.with_ymd_and_hms(2026, 12, 30, hour + 1, 0, 0).unwrap(),
            language: "en".into(),
            capacity: None,
            speaker_ids: Vec::new(),
            status,
            translations: Default::default(),
        }
    }

    #[test]
    fn delegates_hear_of_moves_room_changes_and_cancellations_of_public_sessions() {
        let id = Uuid::nil();
        let room = Some(Uuid::from_u128(7));
        let before = fields(SessionStatus::Published, 9, None);
        assert_eq!(
            session_changes(id, 2, &before, &fields(SessionStatus::Published, 10, room)),
            vec![
                Happened::SessionMoved {
                    session: id,
                    sequence: 2,
                    was_starts_at: before.starts_at,
                    was_ends_at: before.ends_at,
                },
                Happened::SessionReroomed {
                    session: id,
                    sequence: 2,
                    was_room: None,
                }
            ]
        );
        assert_eq!(
            session_changes(id, 3, &before, &fields(SessionStatus::Cancelled, 9, None)),
            vec![Happened::SessionCancelled {
                session: id,
                sequence: 3
            }]
        );
        let draft = fields(SessionStatus::Draft, 9, None);
        assert!(session_changes(id, 1, &draft, &fields(SessionStatus::Draft, 11, room)).is_empty());
        assert!(session_changes(id, 1, &before, &before.clone()).is_empty());
    }

    #[test]
    fn session_keys_carry_the_sequence_and_registration_keys_the_kind() {
        let id = Uuid::nil();
        let moved = Happened::SessionMoved {
            session: id,
            sequence: 3,
            was_starts_at: Utc.with_ymd_and_hms(2026, 12, 30, 9, 0, 0).unwrap(),
            was_ends_at: Utc.with_ymd_and_hms(2026, 12, 30, 10, 0, 0).unwrap(),
        };
        assert_eq!(moved.key(), format!("session_moved:{id}:3"));
        assert_eq!(moved.session(), Some(id));
        assert_eq!(moved.registration(), None);
        let promoted = Happened::Promoted { registration: id };
        assert_eq!(promoted.key(), format!("promoted:{id}"));
    }
}
