//! The rules of Dialogue, free of HTTP and SQL: what a valid event or session is, how the
//! agenda is grouped, how tokens look. Each module is unit-tested where it lives.

pub mod agenda;
pub mod badge_code;
pub mod categories;
pub mod certificate;
pub mod checkin;
pub mod country;
pub mod day_plan;
pub mod enums;
pub mod event;
pub mod happened;
pub mod language;
pub mod refusal;
pub mod registration;
pub mod session;
pub mod speaker;
pub mod token;
pub mod validation;
pub mod values;
