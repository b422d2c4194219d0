//! Change notifications between instances sharing one PostgreSQL: each instance listens on
//! the agenda channel and empties its cache of event heads whenever another instance (or
//! itself) commits an agenda change. While the listener is down, the cache is not trusted.

use std::sync::Arc;
use std::time::Duration;

use sea_orm::DatabaseConnection;
use sea_orm::sqlx::postgres::PgListener;

use super::events::CHANGES_CHANNEL;
use crate::cache::HeadCache;

/// Starts listening in the background; the cache goes live once the listener is subscribed.
pub fn spawn_listener(db: &DatabaseConnection, heads: Arc<HeadCache>) {
    let pool = db.get_postgres_connection_pool().clone();
    tokio::spawn(async move {
        loop {
            if let Ok(mut listener) = PgListener::connect_with(&pool).await
                && listener.listen(CHANGES_CHANNEL).await.is_ok()
            {
                heads.invalidate();
                heads.set_live(true);
                loop {
                    match listener.try_recv().await {
                        Ok(Some(_)) => heads.invalidate(),
                        // The connection dropped and came back: notifications may be lost.
                        Ok(None) => heads.invalidate(),
                        Err(err) => {
                            tracing::warn!(error = %err, "change listener failed; reconnecting");
                            break;
                        }
                    }
                }
            }
            heads.set_live(false);
            heads.invalidate();
            tokio::time::sleep(Duration::from_secs(1)).await;
        }
    });
}
