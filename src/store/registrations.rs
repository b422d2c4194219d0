//! Registrations as read: one by id or by manage token, listing with filters, look-up by name
//! for check-in staff, revoked ones since a time, and the confirmed count. Making and changing
//! registrations is `registration_changes`; their idempotency records are `idempotency`.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

use entities::{registration_sessions, registrations};

use super::seats;
use crate::domain::enums::RegistrationStatus;
use crate::domain::token;
use crate::error::AppError;

/// A registration with its session choices.
#[derive(Debug, Clone)]
pub struct RegistrationRow {
    pub registration: registrations::Model,
    pub choices: Vec<registration_sessions::Model>,
}

impl RegistrationRow {
    pub fn status(&self) -> RegistrationStatus {
        self.registration.status
    }
}

/// The full names of these registrations, by id (one query, for printing many at once).
pub async fn names_of<C: ConnectionTrait>(
    db: &C,
    ids: &[Uuid],
) -> Result<HashMap<Uuid, String>, AppError> {
    let rows: Vec<(Uuid, String)> = registrations::Entity::find()
        .select_only()
        .column(registrations::Column::Id)
        .column(registrations::Column::FullName)
        .filter(registrations::Column::Id.is_in(ids.iter().copied()))
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows.into_iter().collect())
}

/// A registration by id, with its choices.
pub async fn find<C: ConnectionTrait>(
    db: &C,
    id: Uuid,
) -> Result<Option<RegistrationRow>, AppError> {
    let Some(registration) = registrations::Entity::find_by_id(id).one(db).await? else {
        return Ok(None);
    };
    let choices = seats::choices_of(db, id).await?;
    Ok(Some(RegistrationRow {
        registration,
        choices,
    }))
}

/// The registrations among `ids` that exist, with their choices.
pub async fn find_many<C: ConnectionTrait>(
    db: &C,
    ids: impl IntoIterator<Item = Uuid>,
) -> Result<Vec<RegistrationRow>, AppError> {
    let found = registrations::Entity::find()
        .filter(registrations::Column::Id.is_in(ids))
        .all(db)
        .await?;
    let mut rows = Vec::with_capacity(found.len());
    for registration in found {
        let choices = seats::choices_of(db, registration.id).await?;
        rows.push(RegistrationRow {
            registration,
            choices,
        });
    }
    Ok(rows)
}

/// The registration a manage token belongs to.
pub async fn find_by_manage_token<C: ConnectionTrait>(
    db: &C,
    presented: &str,
) -> Result<Option<registrations::Model>, AppError> {
    Ok(registrations::Entity::find()
        .filter(registrations::Column::ManageTokenHash.eq(token::hash(presented)))
        .one(db)
        .await?)
}

/// What organizers list.
#[derive(Debug, Clone, Default)]
pub struct RegistrationFilter {
    pub status: Option<RegistrationStatus>,
    pub category: Option<String>,
    pub session_id: Option<Uuid>,
    /// Matched against name, e-mail and organization, case-insensitively.
    pub search: Option<String>,
}

/// Registrations of an event matching `filter`, in registration order, after `after`.
pub async fn list<C: ConnectionTrait>(
    db: &C,
    event_id: Uuid,
    filter: &RegistrationFilter,
    after: Option<Uuid>,
    limit: Option<u64>,
) -> Result<Vec<RegistrationRow>, AppError> {
    let mut query = registrations::Entity::find()
        .filter(registrations::Column::EventId.eq(event_id))
        .order_by_asc(registrations::Column::Id);
    if let Some(status) = filter.status {
        query = query.filter(registrations::Column::Status.eq(status.as_str()));
    }
    if let Some(category) = &filter.category {
        query = query.filter(registrations::Column::Category.eq(category.as_str()));
    }
    if let Some(search) = &filter.search {
        query = query.filter(super::contains_literally(
            registrations::Column::SearchText,
            &search.to_lowercase(),
        ));
    }
    if let Some(session) = filter.session_id {
        let subquery = sea_orm::sea_query::Query::select()
            .column(registration_sessions::Column::RegistrationId)
            .from(registration_sessions::Entity)
            .and_where(registration_sessions::Column::SessionId.eq(session))
            .to_owned();
        query = query.filter(registrations::Column::Id.in_subquery(subquery));
    }
    if let Some(after) = after {
        query = query.filter(registrations::Column::Id.gt(after));
    }
    if let Some(limit) = limit {
        query = query.limit(limit);
    }
    let models = query.all(db).await?;
    let ids: Vec<Uuid> = models.iter().map(|m| m.id).collect();
    let mut choices: HashMap<Uuid, Vec<registration_sessions::Model>> = HashMap::new();
    for chunk in ids.chunks(500) {
        for choice in registration_sessions::Entity::find()
            .filter(registration_sessions::Column::RegistrationId.is_in(chunk.iter().copied()))
            .order_by_asc(registration_sessions::Column::SessionId)
            .all(db)
            .await?
        {
            choices
                .entry(choice.registration_id)
                .or_default()
                .push(choice);
        }
    }
    Ok(models
        .into_iter()
        .map(|registration| RegistrationRow {
            choices: choices.remove(&registration.id).unwrap_or_default(),
            registration,
        })
        .collect())
}

/// Attendees of an event whose name or organization contains `query` (for check-in staff).
pub async fn lookup_by_name<C: ConnectionTrait>(
    db: &C,
    event_id: Uuid,
    query: &str,
    limit: u64,
) -> Result<Vec<registrations::Model>, AppError> {
    Ok(registrations::Entity::find()
        .filter(registrations::Column::EventId.eq(event_id))
        .filter(super::contains_literally(
            registrations::Column::NameSearch,
            &query.trim().to_lowercase(),
        ))
        .order_by_asc(registrations::Column::FullName)
        .limit(limit)
        .all(db)
        .await?)
}

/// Registrations of an event revoked (cancelled or rejected) at or after `since`.
pub async fn revoked_since<C: ConnectionTrait>(
    db: &C,
    event_id: Uuid,
    after: Option<i64>,
    since: Option<DateTime<Utc>>,
) -> Result<Vec<registrations::Model>, AppError> {
    let mut query = registrations::Entity::find()
        .filter(registrations::Column::EventId.eq(event_id))
        .filter(registrations::Column::Status.is_in([
            RegistrationStatus::Cancelled.as_str(),
            RegistrationStatus::Rejected.as_str(),
        ]))
        .order_by_asc(registrations::Column::RevokedSeq)
        .order_by_asc(registrations::Column::UpdatedAt);
    if let Some(after) = after {
        query = query.filter(registrations::Column::RevokedSeq.gt(after));
    }
    if let Some(since) = since {
        query = query.filter(registrations::Column::UpdatedAt.gte(since));
    }
    Ok(query.all(db).await?)
}

/// How many registrations of an event are confirmed.
pub async fn confirmed_count<C: ConnectionTrait>(db: &C, event_id: Uuid) -> Result<u64, AppError> {
    use sea_orm::PaginatorTrait;
    Ok(registrations::Entity::find()
        .filter(registrations::Column::EventId.eq(event_id))
        .filter(registrations::Column::Status.eq(RegistrationStatus::Confirmed.as_str()))
        .count(db)
        .await?)
}
