//! Places in the waiting lists: where a waitlisted registration stands in its event's queue
//! and each waitlisted choice in its session's queue (1 = next), in the order promotion
//! follows (queued time, then id).

use std::collections::HashMap;

use sea_orm::sea_query::Condition;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter};
use uuid::Uuid;

use entities::{registration_sessions, registrations};

use super::registrations::RegistrationRow;
use crate::domain::enums::{ChoiceStatus, RegistrationStatus};
use crate::error::AppError;

/// Where a registration waits.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct WaitingPlaces {
    /// Its place in the event's waiting list, when it is waitlisted.
    pub event: Option<u64>,
    /// Its place in each session's waiting list it is on.
    pub sessions: HashMap<Uuid, u64>,
}

/// The places of `row` in the waiting lists it is on.
pub async fn of<C: ConnectionTrait>(
    db: &C,
    row: &RegistrationRow,
) -> Result<WaitingPlaces, AppError> {
    let r = &row.registration;
    let mut places = WaitingPlaces::default();
    if r.status == RegistrationStatus::Waitlisted {
        let ahead = registrations::Entity::find()
            .filter(registrations::Column::EventId.eq(r.event_id))
            .filter(registrations::Column::Status.eq(RegistrationStatus::Waitlisted.as_str()))
            .filter(
                Condition::any()
                    .add(registrations::Column::QueuedAt.lt(r.queued_at))
                    .add(
                        Condition::all()
                            .add(registrations::Column::QueuedAt.eq(r.queued_at))
                            .add(registrations::Column::Id.lt(r.id)),
                    ),
            )
            .count(db)
            .await?;
        places.event = Some(ahead + 1);
    }
    for choice in row
        .choices
        .iter()
        .filter(|c| c.status == ChoiceStatus::Waitlisted)
    {
        let ahead = registration_sessions::Entity::find()
            .filter(registration_sessions::Column::SessionId.eq(choice.session_id))
            .filter(registration_sessions::Column::Status.eq(ChoiceStatus::Waitlisted.as_str()))
            .filter(
                Condition::any()
                    .add(registration_sessions::Column::QueuedAt.lt(choice.queued_at))
                    .add(
                        Condition::all()
                            .add(registration_sessions::Column::QueuedAt.eq(choice.queued_at))
                            .add(registration_sessions::Column::RegistrationId.lt(r.id)),
                    ),
            )
            .count(db)
            .await?;
        places.sessions.insert(choice.session_id, ahead + 1);
    }
    Ok(places)
}
