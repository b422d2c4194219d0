//! What a database error means, read from the database's own error code (PostgreSQL's
//! SQLSTATE, SQLite's extended result code), never from its message: messages are localised
//! (`lc_messages`), reworded between versions, and `DbErr::Custom` can carry any text.

use sea_orm::sqlx::postgres::PgDatabaseError;
use sea_orm::sqlx::sqlite::SqliteError;
use sea_orm::{DbErr, RuntimeErr};

/// The database's own code for an error: PostgreSQL's SQLSTATE (`"40P01"`) or SQLite's
/// extended result code (`"2067"`). `None` when the error did not come from the database.
pub fn db_error_code(err: &DbErr) -> Option<String> {
    let (DbErr::Exec(RuntimeErr::SqlxError(e))
    | DbErr::Query(RuntimeErr::SqlxError(e))
    | DbErr::Conn(RuntimeErr::SqlxError(e))) = err
    else {
        return None;
    };
    e.as_database_error()?.code().map(|code| code.into_owned())
}

/// A failure that a concurrent transaction caused, which trying again can resolve.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Race {
    /// Another transaction inserted the same key first.
    UniqueViolation,
    /// PostgreSQL chose this transaction as a deadlock's victim (40P01).
    Deadlock,
    /// PostgreSQL could not serialize this transaction with another (40001).
    SerializationFailure,
    /// SQLite's lock was held too long, or a transaction that had read wrote after another
    /// connection's commit (`SQLITE_BUSY`, `SQLITE_LOCKED` and their extended codes, among
    /// them `SQLITE_BUSY_SNAPSHOT`, 517, which fails at once without waiting).
    Busy,
}

/// Which race, if any, an error is.
pub fn race(err: &DbErr) -> Option<Race> {
    if super::is_unique_violation(err) {
        return Some(Race::UniqueViolation);
    }
    let (DbErr::Exec(RuntimeErr::SqlxError(e))
    | DbErr::Query(RuntimeErr::SqlxError(e))
    | DbErr::Conn(RuntimeErr::SqlxError(e))) = err
    else {
        return None;
    };
    let database = e.as_database_error()?;
    if let Some(pg) = database.try_downcast_ref::<PgDatabaseError>() {
        return match pg.code() {
            "40P01" => Some(Race::Deadlock),
            "40001" => Some(Race::SerializationFailure),
            _ => None,
        };
    }
    if database.try_downcast_ref::<SqliteError>().is_some() {
        let code: i32 = database.code()?.parse().ok()?;
        // The primary result code is the low byte of the extended one.
        return match code & 0xff {
            5 | 6 => Some(Race::Busy),
            _ => None,
        };
    }
    None
}

/// Whether the database could not be reached at all (refused or lost connection, no
/// connection free within the acquire timeout, the pool closed): the service is unavailable
/// for now, and the request may be sent again. Not a database's answer to the request.
pub fn is_unavailable(err: &DbErr) -> bool {
    use sea_orm::sqlx::Error;
    match err {
        DbErr::ConnectionAcquire(_) => true,
        DbErr::Conn(RuntimeErr::SqlxError(e))
        | DbErr::Exec(RuntimeErr::SqlxError(e))
        | DbErr::Query(RuntimeErr::SqlxError(e)) => {
            matches!(
                **e,
                Error::Io(_) | Error::PoolTimedOut | Error::PoolClosed | Error::WorkerCrashed
            ) || e
                .as_database_error()
                .and_then(|db| db.try_downcast_ref::<PgDatabaseError>())
                // Class 08 (connection exception) and 57P01-57P03 (admin shutdown, crash
                // shutdown, cannot connect now).
                .is_some_and(|pg| pg.code().starts_with("08") || pg.code().starts_with("57P0"))
        }
        _ => false,
    }
}
