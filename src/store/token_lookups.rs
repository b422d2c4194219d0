//! Coalesced token look-ups. Every request with an organizer or check-in token needs its
//! token checked against the database (a revoked token must stop working at once), and under
//! load many requests ask at the same moment, mostly with the same few tokens. One task per
//! server takes every look-up waiting and answers them all with one query; a look-up is only
//! answered by a query that started after it was asked, so revocations take effect exactly as
//! with one query per request.

use std::collections::HashMap;
use std::panic::AssertUnwindSafe;

use futures_util::FutureExt;
use sea_orm::DatabaseConnection;
use tokio::sync::{mpsc, oneshot};

use entities::api_tokens;

use super::tokens;
use crate::domain::token;
use crate::error::AppError;

/// Most look-ups answered by one query.
const MAX_GROUP: usize = 256;

type Reply = oneshot::Sender<Result<Option<api_tokens::Model>, AppError>>;

/// The queue in front of the task that looks tokens up.
#[derive(Clone)]
pub struct TokenLookups {
    sender: mpsc::Sender<(String, Reply)>,
}

impl TokenLookups {
    /// Starts the look-up task on `db`.
    pub fn start(db: DatabaseConnection) -> Self {
        let (sender, receiver) = mpsc::channel(4096);
        tokio::spawn(run(db, receiver));
        TokenLookups { sender }
    }

    /// The live (not revoked) token with this text, if any.
    pub async fn find_live(&self, presented: &str) -> Result<Option<api_tokens::Model>, AppError> {
        let (reply, answer) = oneshot::channel();
        let stopped = || AppError::Internal("the token look-up task has stopped".into());
        self.sender
            .send((token::hash(presented), reply))
            .await
            .map_err(|_| stopped())?;
        answer.await.map_err(|_| stopped())?
    }
}

async fn run(db: DatabaseConnection, mut receiver: mpsc::Receiver<(String, Reply)>) {
    while let Some(first) = receiver.recv().await {
        let mut waiting = vec![first];
        while waiting.len() < MAX_GROUP {
            match receiver.try_recv() {
                Ok(lookup) => waiting.push(lookup),
                Err(_) => break,
            }
        }
        let mut hashes: Vec<String> = waiting.iter().map(|(hash, _)| hash.clone()).collect();
        hashes.sort_unstable();
        hashes.dedup();
        let found = AssertUnwindSafe(tokens::find_live_by_hashes(&db, &hashes))
            .catch_unwind()
            .await;
        let found: Result<HashMap<String, api_tokens::Model>, String> = match found {
            Ok(Ok(found)) => Ok(found),
            Ok(Err(err)) => Err(err.to_string()),
            Err(_) => Err("looking tokens up failed".into()),
        };
        for (hash, reply) in waiting {
            let answer = match &found {
                Ok(found) => Ok(found.get(&hash).cloned()),
                Err(err) => Err(AppError::Internal(err.clone())),
            };
            // A caller that went away needs no answer.
            let _ = reply.send(answer);
        }
    }
}
