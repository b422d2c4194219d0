//! What happened to registrations and sessions (domain events), one row each.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "journal")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub event_id: Uuid,
    /// `registered`, `promoted`, `session_seat_given`, `approved`, `rejected`, `cancelled`,
    /// `session_moved`, `session_reroomed` or `session_cancelled`.
    pub kind: String,
    /// Names the happening once, however often its request was retried.
    pub key: String,
    pub registration_id: Option<Uuid>,
    pub session_id: Option<Uuid>,
    /// The registration's status it reports (`registered`, `approved`).
    pub status: Option<String>,
    pub occurred_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
