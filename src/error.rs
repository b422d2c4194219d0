//! The error of the use cases, [`AppError`]: what went wrong, in the domain's words and with
//! no HTTP in it. Each front end maps it once: the JSON API to problem+json in
//! [`crate::api::problem`], the command line to a message.

use sea_orm::DbErr;

use crate::domain::session::Clash;
use crate::domain::validation::ValidationErrors;

/// Everything that can go wrong while answering a request.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// 422: the request is well-formed but breaks a rule; lists every offending field.
    #[error("{0}")]
    Validation(#[from] ValidationErrors),
    /// 400: the request cannot be understood.
    #[error("{0}")]
    BadRequest(String),
    /// 401: no token, or a token that is unknown or revoked.
    #[error("a valid bearer token is required")]
    Unauthorized,
    /// 403: a valid token without the right for this operation.
    #[error("{0}")]
    Forbidden(String),
    /// 404: no such resource (or not visible to this caller).
    #[error("{0} not found")]
    NotFound(&'static str),
    /// 409: the request conflicts with the current state; `clashes` names clashing sessions.
    #[error("{detail}")]
    Conflict { detail: String, clashes: Vec<Clash> },
    /// 500: the database failed; the detail is logged, never sent.
    #[error("database error: {0}")]
    Database(#[from] DbErr),
    /// 500: anything else unexpected; logged, never sent.
    #[error("internal error: {0}")]
    Internal(String),
}

impl AppError {
    /// A 409 without clashing sessions.
    pub fn conflict(detail: impl Into<String>) -> Self {
        AppError::Conflict {
            detail: detail.into(),
            clashes: Vec::new(),
        }
    }
}
