//! Backups of the embedded SQLite database: `VACUUM INTO` writes a consistent copy of the
//! database as of one moment while the service keeps serving (readers and the writer go on;
//! the copy is a read transaction). PostgreSQL is backed up with its own tools (`pg_dump`).

use std::path::Path;

use sea_orm::{ConnectionTrait, DbBackend, Statement};

use crate::application::AppState;
use crate::domain::validation::ValidationErrors;
use crate::error::AppError;

/// Writes a copy of the SQLite database to `path` (a new file); answers its size in bytes.
pub async fn backup(state: &AppState, path: &Path) -> Result<u64, AppError> {
    if crate::store::is_postgres(&state.db) {
        return Err(AppError::refused(
            "the database is PostgreSQL: back it up with pg_dump (see docs/operations.md)",
        ));
    }
    if path.exists() {
        return Err(ValidationErrors::single("PATH", "the file exists already").into());
    }
    let target = path
        .to_str()
        .ok_or_else(|| ValidationErrors::single("PATH", "must be valid UTF-8"))?;
    state
        .db
        .execute_raw(Statement::from_sql_and_values(
            DbBackend::Sqlite,
            "VACUUM INTO ?",
            [target.into()],
        ))
        .await?;
    let size = std::fs::metadata(path)
        .map_err(|err| AppError::unexpected(format!("the backup was not written: {err}")))?
        .len();
    Ok(size)
}
