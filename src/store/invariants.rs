//! Test support: the query that describes every broken seat invariant, run by the tests after
//! concurrent runs.

use sea_orm::{ConnectionTrait, Statement};
use uuid::Uuid;

use crate::error::AppError;

/// Every broken seat invariant, described: for each event and session, seats taken must equal
/// confirmed registrations (choices), never exceed capacity, and nobody may wait while a seat
/// is free. Used by the tests after concurrent runs.
pub async fn invariant_violations<C: ConnectionTrait>(db: &C) -> Result<Vec<String>, AppError> {
    let backend = db.get_database_backend();
    let checks = [
        (
            "event seats_taken differs from confirmed registrations",
            "SELECT e.id AS id FROM events e WHERE e.seats_taken <> \
             (SELECT COUNT(*) FROM registrations r WHERE r.event_id = e.id AND r.status = 'confirmed')",
        ),
        (
            "event over capacity",
            "SELECT e.id AS id FROM events e WHERE e.capacity IS NOT NULL AND e.seats_taken > e.capacity",
        ),
        (
            "delegates wait while an event seat is free",
            "SELECT e.id AS id FROM events e WHERE (e.capacity IS NULL OR e.seats_taken < e.capacity) \
             AND EXISTS (SELECT 1 FROM registrations r WHERE r.event_id = e.id AND r.status = 'waitlisted')",
        ),
        (
            "session seats_taken differs from confirmed choices",
            "SELECT s.id AS id FROM sessions s WHERE s.seats_taken <> \
             (SELECT COUNT(*) FROM registration_sessions c WHERE c.session_id = s.id AND c.status = 'confirmed')",
        ),
        (
            "session over capacity",
            "SELECT s.id AS id FROM sessions s WHERE s.capacity IS NOT NULL AND s.seats_taken > s.capacity",
        ),
        (
            "delegates wait while a session seat is free",
            "SELECT s.id AS id FROM sessions s WHERE (s.capacity IS NULL OR s.seats_taken < s.capacity) \
             AND EXISTS (SELECT 1 FROM registration_sessions c WHERE c.session_id = s.id AND c.status = 'waitlisted')",
        ),
        (
            "a confirmed choice of a registration that holds no seat",
            "SELECT c.registration_id AS id FROM registration_sessions c JOIN registrations r \
             ON r.id = c.registration_id WHERE r.status <> 'confirmed' AND c.status <> 'pending'",
        ),
    ];
    let mut violations = Vec::new();
    for (what, sql) in checks {
        let rows = db
            .query_all_raw(Statement::from_string(backend, sql))
            .await?;
        for row in rows {
            let id: Uuid = row.try_get("", "id").unwrap_or_default();
            violations.push(format!("{what}: {id}"));
        }
    }
    Ok(violations)
}
