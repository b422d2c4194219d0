//! A failure of the system rather than of the request: the database failed, or something
//! that cannot happen did (a broken invariant, a stopped background task). Logged with its
//! cause by the front end; a person is only told that it was logged.

use sea_orm::DbErr;

/// The system failed.
#[derive(Debug, thiserror::Error)]
pub enum Failure {
    #[error("database error: {0}")]
    Database(#[from] DbErr),
    /// The database cannot be reached now (down, restarting, every connection busy).
    #[error("database unavailable: {0}")]
    Unavailable(String),
    /// Every permit of the pool for expensive work is taken and its queue is full
    /// ([`crate::work_pool`]): try again in a few seconds.
    #[error("the server is busy drawing other documents")]
    Busy,
    #[error("internal error: {0}")]
    Unexpected(String),
}
