//! The API's view of the domain vocabularies: each OpenAPI enum mirrors a domain enum and
//! converts both ways, so unknown values are refused while parsing (400).

/// The domain vocabularies the API mirrors.
mod domain {
    pub use crate::domain::checkin::Outcome;
    pub use crate::domain::enums::*;
}

macro_rules! api_enum {
    ($(#[$doc:meta])* $name:ident <=> $domain:ident { $($variant:ident),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(
            poem_openapi::Enum, serde::Serialize, serde::Deserialize, Debug, Clone, Copy, PartialEq, Eq,
        )]
        #[oai(rename_all = "snake_case")]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl From<$name> for domain::$domain {
            fn from(value: $name) -> Self {
                match value { $($name::$variant => domain::$domain::$variant),+ }
            }
        }

        impl From<domain::$domain> for $name {
            fn from(value: domain::$domain) -> Self {
                match value { $(domain::$domain::$variant => $name::$variant),+ }
            }
        }
    };
}

api_enum!(
    /// What kind of gathering an event is.
    EventKind <=> EventKind { Seminar, Conference, Dialogue, Training, Workshop }
);
api_enum!(
    /// An event's life cycle.
    EventStatus <=> EventStatus { Draft, Published, Cancelled }
);
api_enum!(
    /// `open`: confirmed at once; `approval`: pending until an organizer accredits; `closed`.
    RegistrationMode <=> RegistrationMode { Open, Approval, Closed }
);
api_enum!(
    /// What kind of programme item a session is.
    SessionKind <=> SessionKind { Keynote, Talk, Panel, Workshop, Training, Ceremony, Break, Networking }
);
api_enum!(
    /// Drafts are visible to organizers only; cancelled sessions stay visible as cancelled.
    SessionStatus <=> SessionStatus { Draft, Published, Cancelled }
);
api_enum!(
    /// Who a delegate is at the event.
    Category <=> Category { Delegate, Speaker, Press, Observer, Organizer, Staff }
);
api_enum!(
    /// A registration's state; only `confirmed` holds a seat.
    RegistrationStatus <=> RegistrationStatus { Confirmed, Waitlisted, Pending, Rejected, Cancelled }
);
api_enum!(
    /// A chosen session's state; `pending` while the registration itself holds no seat.
    ChoiceStatus <=> ChoiceStatus { Confirmed, Waitlisted, Pending }
);
api_enum!(
    /// What a scan decided: `ok` admitted (or let out); `already_checked_in` admitted before in
    /// this scope; `invalid` not a genuine badge code; `revoked` cancelled or rejected;
    /// `not_confirmed` pending or waitlisted; `wrong_event` a badge of another event;
    /// `not_registered_for_session` not confirmed for this room's session; `nonce_reused`
    /// (audit log only: the scan was answered with a 422 problem) another scan under a nonce
    /// this token had already used.
    ScanResult <=> Outcome {
        Ok, AlreadyCheckedIn, Invalid, Revoked, NotConfirmed, WrongEvent, NotRegisteredForSession,
        NonceReused
    }
);
api_enum!(
    /// What an e-mail tells the delegate.
    MailKind <=> MailKind {
        Confirmed, Waitlisted, Pending, Promoted, SessionSeatGiven, Approved,
        ApprovedWaitlisted, Rejected, Cancelled, SessionMoved, SessionReroomed,
        SessionCancelled, CertificateIssued, Test
    }
);
api_enum!(
    /// `queued`: waiting to be sent (or retried); `sent`; `failed`: refused for good or given up.
    MailStatus <=> MailStatus { Queued, Sent, Failed }
);
