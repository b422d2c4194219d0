//! A refusal: the rules do not allow a change in the current state (a full event without a
//! waiting list, a status that cannot change so, a clash with another session, a slug in
//! use). It says why in words a person can act on, and names the clashing sessions.

use super::session::Clash;

/// Why a change is refused, and the sessions it clashes with (if any).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{detail}")]
pub struct Refusal {
    pub detail: String,
    pub clashes: Vec<Clash>,
}

impl Refusal {
    /// A refusal without clashing sessions.
    pub fn new(detail: impl Into<String>) -> Self {
        Refusal {
            detail: detail.into(),
            clashes: Vec::new(),
        }
    }
}
