//! Idempotency records of registration requests: the key and body hash a request came with,
//! the decision it got as recorded with that key, and replaying it to a retry.

use uuid::Uuid;

use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use entities::idempotency_keys;

use super::registrations::RegistrationRow;
use crate::domain::enums::{ChoiceStatus, RegistrationStatus};
use crate::domain::validation::ValidationErrors;
use crate::error::AppError;

/// The idempotency key of a request and the hash of its body.
pub struct Idempotency {
    pub key: String,
    pub request_hash: String,
    /// How long a key's first answer is kept for retries.
    pub keep: chrono::Duration,
}

/// Deletes idempotency records made before `before`; answers how many.
pub async fn purge<C: ConnectionTrait>(db: &C, before: DateTime<Utc>) -> Result<u64, AppError> {
    let result = idempotency_keys::Entity::delete_many()
        .filter(idempotency_keys::Column::CreatedAt.lt(before))
        .exec(db)
        .await?;
    Ok(result.rows_affected)
}

/// The answer to a registration request.
pub enum Registered {
    /// A new registration.
    Created(Box<RegistrationRow>),
    /// A retry: the decision of the first request, as recorded.
    Replayed {
        registration_id: Uuid,
        first: RecordedAnswer,
    },
}

/// The decision a registration request got, as its idempotency record keeps it: the
/// registration's status and its choices' statuses when it was made. Front ends render it;
/// records written before this type (the first API answer) read back as the same fields.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct RecordedAnswer {
    pub status: RegistrationStatus,
    pub sessions: Vec<RecordedChoice>,
}

/// One chosen session's status in a [`RecordedAnswer`].
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct RecordedChoice {
    pub session_id: Uuid,
    pub status: ChoiceStatus,
}

impl RecordedAnswer {
    /// The decision as the row shows it now.
    pub fn of(row: &RegistrationRow) -> Self {
        RecordedAnswer {
            status: row.registration.status,
            sessions: row
                .choices
                .iter()
                .map(|c| RecordedChoice {
                    session_id: c.session_id,
                    status: c.status,
                })
                .collect(),
        }
    }
}

/// The stored first answer for `(event, key)`, if any; 422 when the key came with another body.
/// A record older than `idempotency.keep` has expired: it is removed and the key is new again.
pub async fn replay<C: ConnectionTrait>(
    db: &C,
    event_id: Uuid,
    idempotency: &Idempotency,
) -> Result<Option<Registered>, AppError> {
    let found = idempotency_keys::Entity::find_by_id((event_id, idempotency.key.clone()))
        .one(db)
        .await?;
    match found {
        None => Ok(None),
        Some(record) if record.created_at < Utc::now() - idempotency.keep => {
            idempotency_keys::Entity::delete_by_id((event_id, idempotency.key.clone()))
                .exec(db)
                .await?;
            Ok(None)
        }
        Some(record) if record.request_hash == idempotency.request_hash => {
            let first = serde_json::from_str(&record.response).map_err(|err| {
                AppError::unexpected(format!("idempotency record unreadable: {err}"))
            })?;
            Ok(Some(Registered::Replayed {
                registration_id: record.registration_id,
                first,
            }))
        }
        Some(_) => Err(ValidationErrors::single(
            "Idempotency-Key",
            "was already used with a different request body",
        )
        .into()),
    }
}
