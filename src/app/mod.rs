//! The use cases: what organizers, delegates and scanners can do, whichever front end they use
//! (the JSON API, the command line; pages, mail and the console later). Each takes typed input,
//! owns its transaction and the choice of pool, empties the caches it affects after commit, and
//! answers typed output or an [`AppError`](crate::error::AppError) with no HTTP in it. A use
//! case that changes registrations or sessions answers an [`Outcome`]: its result and what
//! happened (the domain events its transaction wrote to the journal).
//!
//! - [`tokens`]: organizer and scanner tokens: create, list, revoke; the first organizer token.
//! - [`console`]: organizers' console sign-ins: open, find, end.
//! - [`principal`]: who calls (the holder of a token) and who reads (the public, organizers).
//! - [`keys`]: the keys that sign badge codes: rotation, retirement.
//! - [`backup`]: a consistent copy of the SQLite database while the service runs.
//! - [`events`]: events: create, read, list, change, publish, cancel.
//! - [`programme`]: tracks, rooms and speakers: create, read, list, change, delete.
//! - [`sessions`]: sessions: create and change (clashes), delete, read, list.
//! - [`registrations`]: register, read one's own, change sessions and e-mail language,
//!   cancel, replace the calendar link and the manage token; organizers' list, approve,
//!   reject, erase.
//! - [`badges`]: a registration's signed code and its badge (SVG, PNG).
//! - [`print`]: badge sheets, one badge and the agenda as PDF.
//! - [`outbox`]: the e-mails of an event for organizers: list, counts, send again.
//! - [`retention`]: purging idempotency records and the scan log when their time is up.
//!
//! Every change to what the agenda and the feeds show empties the event cache after its commit.

use crate::domain::happened::Happened;

/// What a use case did: its result, and what happened in its transaction (already written to
/// the journal in that transaction; front ends may show or ignore it).
#[derive(Debug)]
pub struct Outcome<T> {
    pub value: T,
    pub happened: Vec<Happened>,
}

impl<T> Outcome<T> {
    fn new((value, happened): (T, Vec<Happened>)) -> Self {
        for h in &happened {
            tracing::info!(kind = h.kind(), key = %h.key(), "happened");
        }
        Outcome { value, happened }
    }
}

pub mod agenda;
pub mod backup;
pub mod badges;
pub mod categories;
pub mod certificates;
pub mod checkin;
pub mod console;
pub mod events;
pub mod feeds;
pub mod keys;
pub mod outbox;
pub mod principal;
pub mod print;
pub mod programme;
pub mod registration_queue;
pub mod registrations;
pub mod retention;
pub mod scan_queue;
pub mod schedule;
pub mod sessions;
pub mod tokens;
pub mod work;
