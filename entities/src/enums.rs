//! The closed vocabularies of Dialogue (kinds, statuses, modes, roles, scan results), as the
//! entities store them: text columns, each value an enum variant (sea-orm `ActiveEnum`), so no
//! layer handles them as strings. The `dialogue` crate's domain re-exports them.

use std::fmt;
use std::str::FromStr;

use sea_orm::entity::prelude::*;

/// A value that is not one of an enumeration's names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownValue {
    pub kind: &'static str,
    pub value: String,
    pub expected: String,
}

impl fmt::Display for UnknownValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown {} {:?}; expected one of: {}",
            self.kind, self.value, self.expected
        )
    }
}

impl std::error::Error for UnknownValue {}

macro_rules! text_enum {
    ($(#[$doc:meta])* $name:ident ($label:literal) { $($variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum,
            serde::Serialize, serde::Deserialize,
        )]
        #[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
        pub enum $name { $(#[sea_orm(string_value = $text)] #[serde(rename = $text)] $variant),+ }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stored and serialized name.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
        }

        impl FromStr for $name {
            type Err = UnknownValue;
            fn from_str(value: &str) -> Result<Self, Self::Err> {
                match value {
                    $($text => Ok($name::$variant),)+
                    _ => Err(UnknownValue {
                        kind: $label,
                        value: value.to_owned(),
                        expected: [$($text),+].join(", "),
                    }),
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

text_enum!(
    /// What kind of gathering an event is.
    EventKind("event kind") {
        Seminar = "seminar",
        Conference = "conference",
        Dialogue = "dialogue",
        Training = "training",
        Workshop = "workshop",
    }
);

text_enum!(
    /// An event's life cycle: draft → published → cancelled.
    EventStatus("event status") {
        Draft = "draft",
        Published = "published",
        Cancelled = "cancelled",
    }
);

text_enum!(
    /// How delegates get in: at once, after accreditation, or not at all.
    RegistrationMode("registration mode") {
        Open = "open",
        Approval = "approval",
        Closed = "closed",
    }
);

text_enum!(
    /// What kind of programme item a session is.
    SessionKind("session kind") {
        Keynote = "keynote",
        Talk = "talk",
        Panel = "panel",
        Workshop = "workshop",
        Training = "training",
        Ceremony = "ceremony",
        Break = "break",
        Networking = "networking",
    }
);

text_enum!(
    /// A session's visibility: drafts are organizers' only; cancelled ones stay visible.
    SessionStatus("session status") {
        Draft = "draft",
        Published = "published",
        Cancelled = "cancelled",
    }
);

text_enum!(
    /// What an API token may do.
    TokenRole("token role") {
        Organizer = "organizer",
        Checkin = "checkin",
    }
);

text_enum!(
    /// Who a delegate is at the event; colours the badge.
    Category("category") {
        Delegate = "delegate",
        Speaker = "speaker",
        Press = "press",
        Observer = "observer",
        Organizer = "organizer",
        Staff = "staff",
    }
);

text_enum!(
    /// A registration's state. Only `confirmed` holds a seat.
    RegistrationStatus("registration status") {
        Confirmed = "confirmed",
        Waitlisted = "waitlisted",
        Pending = "pending",
        Rejected = "rejected",
        Cancelled = "cancelled",
    }
);

text_enum!(
    /// A chosen session's state. `pending` while the registration itself holds no seat.
    ChoiceStatus("session choice status") {
        Confirmed = "confirmed",
        Waitlisted = "waitlisted",
        Pending = "pending",
    }
);

text_enum!(
    /// The answer to one scan; `nonce_reused` only in the audit log (another scan under a
    /// nonce its token had used: answered with a 422 problem, decided nothing).
    ScanOutcome("scan result") {
        Ok = "ok",
        AlreadyCheckedIn = "already_checked_in",
        Invalid = "invalid",
        Revoked = "revoked",
        NotConfirmed = "not_confirmed",
        WrongEvent = "wrong_event",
        NotRegisteredForSession = "not_registered_for_session",
        NonceReused = "nonce_reused",
    }
);

text_enum!(
    /// Whether a scan is someone going in or out.
    Direction("direction") {
        Entry = "entry",
        Exit = "exit",
    }
);

text_enum!(
    /// What an e-mail to a delegate tells.
    MailKind("mail kind") {
        Confirmed = "confirmed",
        Waitlisted = "waitlisted",
        Pending = "pending",
        Promoted = "promoted",
        SessionSeatGiven = "session_seat_given",
        Approved = "approved",
        ApprovedWaitlisted = "approved_waitlisted",
        Rejected = "rejected",
        Cancelled = "cancelled",
        SessionMoved = "session_moved",
        SessionReroomed = "session_reroomed",
        SessionCancelled = "session_cancelled",
        CertificateIssued = "certificate_issued",
        Test = "test",
    }
);

text_enum!(
    /// Where an e-mail of the outbox stands.
    MailStatus("mail status") {
        Queued = "queued",
        Sent = "sent",
        Failed = "failed",
    }
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for kind in SessionKind::ALL {
            assert_eq!(kind.as_str().parse::<SessionKind>(), Ok(*kind));
        }
    }

    #[test]
    fn unknown_name_lists_the_expected_ones() {
        let err = "gala".parse::<EventKind>().unwrap_err();
        assert!(err.to_string().contains("seminar, conference"));
    }
}
