//! The integer number of each session, allocated once from a database sequence and never
//! reused: the `id` conference apps key a session by in the schedule exports.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "session_numbers")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub number: i32,
    #[sea_orm(unique)]
    pub session_id: Uuid,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
