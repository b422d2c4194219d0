//! The sessions a registration chose, each confirmed, waitlisted or pending.
use sea_orm::entity::prelude::*;

use crate::enums::ChoiceStatus;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "registration_sessions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub registration_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub session_id: Uuid,
    pub status: ChoiceStatus,
    /// When the choice entered the session's waiting list (its place in the queue).
    pub queued_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
