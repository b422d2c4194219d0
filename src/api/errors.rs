//! Error responses shared by several areas' operations.

use crate::api_errors;

api_errors!(
    /// Errors of a public list of an event's items.
    pub enum ListError {
        /// No such event, or a draft.
        NotFound = 404,
        /// Bad `limit` or `cursor`.
        Unprocessable = 422,
    }
);

api_errors!(
    /// Errors of a public read.
    pub enum ReadError {
        /// No such item (drafts are not found either).
        NotFound = 404,
    }
);

api_errors!(
    /// Errors of an organizer's create or change.
    pub enum ManageError {
        /// No or an unknown token.
        Unauthorized = 401,
        /// The token is not an organizer's.
        Forbidden = 403,
        /// No such event or item.
        NotFound = 404,
        /// The change conflicts with the current state (for example a clash).
        Conflict = 409,
        /// A field breaks a rule; see `errors`.
        Unprocessable = 422,
    }
);

api_errors!(
    /// Errors of an organizer's delete.
    pub enum DeleteError {
        /// No or an unknown token.
        Unauthorized = 401,
        /// The token is not an organizer's.
        Forbidden = 403,
        /// No such event or item.
        NotFound = 404,
        /// The item is still in use.
        Conflict = 409,
    }
);
