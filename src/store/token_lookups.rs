//! Coalesced token look-ups. Every request with an organizer or check-in token needs its
//! token checked against the database (a revoked token must stop working at once), and under
//! load many requests ask at the same moment, mostly with the same few tokens. One task per
//! server takes every look-up waiting and answers them all with one query; a look-up is only
//! answered by a query that started after it was asked, so revocations take effect exactly as
//! with one query per request.

use sea_orm::DatabaseConnection;

use entities::api_tokens;

use super::tokens;
use crate::batcher::Batcher;
use crate::domain::token;
use crate::error::AppError;

/// Most look-ups answered by one query.
const MAX_GROUP: usize = 256;

/// The queue in front of the task that looks tokens up.
#[derive(Clone)]
pub struct TokenLookups {
    batcher: Batcher<String, Result<Option<api_tokens::Model>, AppError>>,
}

impl TokenLookups {
    /// Starts the look-up task on `db`.
    pub fn start(db: DatabaseConnection) -> Self {
        let batcher = Batcher::start(
            "token look-up",
            MAX_GROUP,
            move |hashes: Vec<String>| {
                let db = db.clone();
                async move { look_up(&db, hashes).await }
            },
            || Err(AppError::unexpected("looking tokens up failed")),
        );
        TokenLookups { batcher }
    }

    /// The live (not revoked) token with this text, if any.
    pub async fn find_live(&self, presented: &str) -> Result<Option<api_tokens::Model>, AppError> {
        self.batcher
            .submit(vec![token::hash(presented)])
            .await
            .and_then(|mut answers| answers.pop())
            .ok_or_else(|| AppError::unexpected("the token look-up task has stopped"))?
    }
}

/// Answers every waiting look-up with one query.
async fn look_up(
    db: &DatabaseConnection,
    waiting: Vec<String>,
) -> Vec<Result<Option<api_tokens::Model>, AppError>> {
    let mut hashes = waiting.clone();
    hashes.sort_unstable();
    hashes.dedup();
    match tokens::find_live_by_hashes(db, &hashes).await {
        Ok(found) => waiting
            .iter()
            .map(|hash| Ok(found.get(hash).cloned()))
            .collect(),
        Err(err) => {
            let err = AppError::from(err);
            waiting
                .iter()
                .map(|_| Err(err.for_another_waiter()))
                .collect()
        }
    }
}
