//! The transaction of one use case ([`Work`]): begun by the use case on the connection it
//! chooses, passed to the store's repository functions (which never begin or commit), and
//! ended in one place, [`Work::commit`], where what happened (the domain events) is written
//! inside it: the journal and the e-mail outbox (the sender is woken after the commit). A `Work` dropped without commit rolls
//! everything back, so a refused or failed use case leaves nothing behind.

use sea_orm::{DatabaseConnection, DatabaseTransaction, TransactionTrait};
use uuid::Uuid;

use crate::domain::happened::Happened;
use crate::error::AppError;
use crate::store;

/// One use case's transaction.
pub struct Work {
    txn: DatabaseTransaction,
}

impl Work {
    /// Begins a transaction on `db` (the writer for every change).
    pub async fn begin(db: &DatabaseConnection) -> Result<Work, AppError> {
        Ok(Work {
            txn: db.begin().await?,
        })
    }

    /// The transaction, for the store's functions.
    pub fn db(&self) -> &DatabaseTransaction {
        &self.txn
    }

    /// Writes what happened at one event and commits.
    pub async fn commit(self, event_id: Uuid, happened: &[Happened]) -> Result<(), AppError> {
        let rows: Vec<(Uuid, Happened)> = happened.iter().map(|h| (event_id, *h)).collect();
        self.commit_at(&rows).await
    }

    /// Writes what happened at several events (a group of registrations) and commits.
    pub async fn commit_at(self, happened: &[(Uuid, Happened)]) -> Result<(), AppError> {
        store::journal::record_at(&self.txn, happened).await?;
        let mails = store::outbox::enqueue(&self.txn, happened).await?;
        self.txn.commit().await?;
        if mails > 0 {
            crate::mail::wake();
        }
        Ok(())
    }

    /// Commits a change in which nothing a delegate is told about happened (programme
    /// texts, tokens, keys).
    pub async fn commit_quietly(self) -> Result<(), AppError> {
        self.txn.commit().await?;
        Ok(())
    }
}
