//! The use cases: what organizers, delegates and scanners can do, whichever front end they use
//! (the JSON API, the command line; pages, mail and the console later). Each takes typed input,
//! owns its transaction and the choice of pool, empties the caches it affects after commit, and
//! answers typed output or an [`AppError`](crate::error::AppError) with no HTTP in it.
//!
//! - [`tokens`]: organizer and scanner tokens: create, list, revoke; the first organizer token.
//! - [`keys`]: the keys that sign badge codes: rotation.
//! - [`programme`]: events, tracks, rooms, speakers and sessions: every change to what the agenda
//!   and the feeds show, each followed by emptying the event cache.

pub mod keys;
pub mod programme;
pub mod tokens;
