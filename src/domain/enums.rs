//! The closed vocabularies of the domain (kinds, statuses, modes), stored as text.

use std::fmt;
use std::str::FromStr;

/// A value that is not one of an enumeration's names.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {kind} {value:?}; expected one of: {expected}")]
pub struct UnknownValue {
    pub kind: &'static str,
    pub value: String,
    pub expected: String,
}

macro_rules! text_enum {
    ($(#[$doc:meta])* $name:ident ($label:literal) { $($variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name { $($variant),+ }

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
