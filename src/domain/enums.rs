//! The closed vocabularies of the domain (kinds, statuses, modes), stored as text: defined
//! with the entities that store them (`entities::enums`), so every layer holds them as enums.

pub use entities::enums::{
    Category, ChoiceStatus, EventKind, EventStatus, MailKind, MailStatus, RegistrationMode,
    RegistrationStatus, SessionKind, SessionStatus, TokenRole, UnknownValue,
};
