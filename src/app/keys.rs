//! Use cases of the keys that sign badge codes: rotate to a new one, retire an old one.

use super::work::Work;
use crate::application::AppState;
use crate::error::AppError;
use crate::store;

/// Adds a new signing key and signs new badges with it; older badges stay valid. Answers the
/// new key's id. Other instances pick the key up within a minute, or at once when they meet a
/// code signed with it.
pub async fn rotate(state: &AppState) -> Result<u8, AppError> {
    refuse_when_external(state)?;
    let work = Work::begin(&state.writer).await?;
    let keys = store::keys::rotate(work.db(), &state.master_key).await?;
    work.commit_quietly().await?;
    state.reload_keys().await?;
    Ok(keys.active_kid)
}

/// Retires key `kid`: badges signed with it are refused from now on, at once on this
/// instance and within a minute on the others (they reload the keyring every minute, and at
/// once when they meet an unknown key, then forget the codes they had verified with it).
pub async fn retire(state: &AppState, kid: u8) -> Result<(), AppError> {
    refuse_when_external(state)?;
    let work = Work::begin(&state.writer).await?;
    store::keys::retire(work.db(), kid).await?;
    work.commit_quietly().await?;
    state.reload_keys().await?;
    Ok(())
}

fn refuse_when_external(state: &AppState) -> Result<(), AppError> {
    if state.external_keys.is_some() {
        return Err(AppError::refused(
            "the signing keys come from SIGNING_KEYS_FILE: change that file on every instance",
        ));
    }
    Ok(())
}
