//! The use cases: what organizers, delegates and scanners can do, whichever front end they use
//! (the JSON API, the command line; pages, mail and the console later). Each takes typed input,
//! owns its transaction and the choice of pool, empties the caches it affects after commit, and
//! answers typed output or an [`AppError`](crate::error::AppError) with no HTTP in it.
//!
//! - [`tokens`]: organizer and scanner tokens: create, list, revoke; the first organizer token.
//! - [`principal`]: who calls (the holder of a token) and who reads (the public, organizers).
//! - [`keys`]: the keys that sign badge codes: rotation.
//! - [`events`]: events: create, read, list, change, publish, cancel.
//! - [`programme`]: tracks, rooms and speakers: create, read, list, change, delete.
//! - [`sessions`]: sessions: create and change (clashes), delete, read, list.
//!
//! Every change to what the agenda and the feeds show empties the event cache after its commit.

pub mod events;
pub mod keys;
pub mod principal;
pub mod programme;
pub mod registrations;
pub mod sessions;
pub mod tokens;
