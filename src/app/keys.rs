//! Use cases of the keys that sign badge codes.

use super::work::Work;
use crate::application::AppState;
use crate::error::AppError;
use crate::store;

/// Adds a new signing key and signs new badges with it; older badges stay valid. Answers the
/// new key's id. Other instances pick the key up within a minute, or at once when they meet a
/// code signed with it.
pub async fn rotate(state: &AppState) -> Result<u8, AppError> {
    let work = Work::begin(&state.writer).await?;
    let keys = store::keys::rotate(work.db()).await?;
    work.commit_quietly().await?;
    state.reload_keys().await?;
    Ok(keys.active_kid)
}
