//! sea-orm entities of Dialogue: one module per table, plain data with no behaviour.
//!
//! Enumerations are stored as text and read as enums ([`enums`]).

pub mod api_tokens;
pub mod certificate_keys;
pub mod certificate_rules;
pub mod certificates;
pub mod console_sessions;
pub mod enums;
pub mod event_categories;
pub mod events;
pub mod idempotency_keys;
pub mod journal;
pub mod outbox;
pub mod presence;
pub mod registration_sessions;
pub mod registrations;
pub mod rooms;
pub mod scans;
pub mod server_secrets;
pub mod session_numbers;
pub mod session_speakers;
pub mod session_tombstones;
pub mod sessions;
pub mod signing_keys;
pub mod speakers;
pub mod texts;
pub mod tracks;

pub use sea_orm;
