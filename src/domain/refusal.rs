//! A refusal: the rules do not allow a change in the current state (a full event without a
//! waiting list, a status that cannot change so, a clash with another session, a slug in
//! use). It says why in words a person can act on, and names the clashing sessions.

use super::session::Clash;

/// Why a change is refused, and the sessions it clashes with (if any).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{detail}")]
pub struct Refusal {
    /// The rule that refused, for front ends that say it in their reader's language.
    pub reason: Reason,
    pub detail: String,
    pub clashes: Vec<Clash>,
}

/// The rules a front end names to its reader; every other refusal is [`Reason::Other`] and
/// is explained by its `detail`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Reason {
    #[default]
    Other,
    /// The e-mail address is already registered for the event.
    EmailTaken,
    /// Registration is not open (mode, window, cancelled event).
    RegistrationClosed,
    /// The event is full and keeps no waiting list.
    EventFull,
    /// A chosen session is full (and nothing was changed).
    SessionFull,
    /// The registration is cancelled or rejected.
    RegistrationEnded,
    /// Sessions of one room or one speaker overlap.
    Clash,
}

impl Refusal {
    /// A refusal without clashing sessions.
    pub fn new(detail: impl Into<String>) -> Self {
        Refusal::because(Reason::Other, detail)
    }

    /// A refusal by a named rule.
    pub fn because(reason: Reason, detail: impl Into<String>) -> Self {
        Refusal {
            reason,
            detail: detail.into(),
            clashes: Vec::new(),
        }
    }
}
