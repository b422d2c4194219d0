//! The error of the use cases, [`AppError`]: what went wrong, in the domain's words and with
//! no HTTP in it, one type per concern:
//!
//! - the input breaks its own rules: [`ValidationErrors`] (`domain::validation`), every
//!   offending field at once;
//! - the caller may not do this: [`Denied`] (`app::principal`);
//! - what the request names does not exist, or is not visible to the caller: `NotFound`;
//! - the rules refuse the change in the current state: [`Refusal`] (`domain::refusal`), with
//!   the sessions it clashes with;
//! - the system failed: [`Failure`] (`store::failure`), logged and never shown.
//!
//! Each front end maps it once: the JSON API to problem+json in [`crate::api::problem`], the
//! command line to a message in `main.rs`.

use sea_orm::DbErr;

pub use crate::app::principal::Denied;
pub use crate::domain::refusal::Refusal;
pub use crate::domain::validation::ValidationErrors;
pub use crate::store::failure::Failure;

/// Everything that can go wrong in a use case.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("{0}")]
    Invalid(#[from] ValidationErrors),
    #[error("{0}")]
    Denied(#[from] Denied),
    #[error("{0} not found")]
    NotFound(&'static str),
    #[error("{0}")]
    Refused(#[from] Refusal),
    #[error("{0}")]
    Failed(#[from] Failure),
}

impl AppError {
    /// A refusal without clashing sessions.
    pub fn refused(detail: impl Into<String>) -> Self {
        Refusal::new(detail).into()
    }

    /// A refusal by a rule front ends name to their readers.
    pub fn refused_because(
        reason: crate::domain::refusal::Reason,
        detail: impl Into<String>,
    ) -> Self {
        Refusal::because(reason, detail).into()
    }

    /// A failure that should not happen (a broken invariant, a stopped task).
    pub fn unexpected(detail: impl Into<String>) -> Self {
        Failure::Unexpected(detail.into()).into()
    }
}

impl From<DbErr> for AppError {
    fn from(err: DbErr) -> Self {
        if crate::store::is_unavailable(&err) {
            return Failure::Unavailable(err.to_string()).into();
        }
        Failure::Database(err).into()
    }
}

impl AppError {
    /// The same error for another waiter of a failed group: unavailability stays
    /// unavailability (a 503 to try again), anything else is an unexpected failure.
    pub fn for_another_waiter(&self) -> AppError {
        match self {
            AppError::Failed(Failure::Unavailable(detail)) => {
                Failure::Unavailable(detail.clone()).into()
            }
            other => AppError::unexpected(other.to_string()),
        }
    }
}

impl AppError {
    /// No token, or a token that is unknown or revoked.
    pub fn unauthenticated() -> Self {
        Denied::Unauthenticated.into()
    }

    /// A valid token without the right for this operation.
    pub fn forbidden(detail: impl Into<String>) -> Self {
        Denied::Forbidden(detail.into()).into()
    }
}
