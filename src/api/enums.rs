//! The API's view of the domain vocabularies: each OpenAPI enum mirrors a domain enum and
//! converts both ways, so unknown values are refused while parsing (400).

use crate::domain::enums as domain;

macro_rules! api_enum {
    ($(#[$doc:meta])* $name:ident <=> $domain:ident { $($variant:ident),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(poem_openapi::Enum, Debug, Clone, Copy, PartialEq, Eq)]
        #[oai(rename_all = "snake_case")]
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

/// Parses a stored enumeration value; a bad value in the database is a server error.
pub fn stored<T: std::str::FromStr<Err = domain::UnknownValue>>(
    text: &str,
) -> Result<T, crate::error::AppError> {
    text.parse()
        .map_err(|err: domain::UnknownValue| crate::error::AppError::Internal(err.to_string()))
}
