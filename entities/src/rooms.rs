//! Rooms of an event's venue.
use sea_orm::entity::prelude::*;

use crate::texts::Translations;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "rooms")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub event_id: Uuid,
    pub name: String,
    pub capacity: Option<i32>,
    pub description: Option<String>,
    /// The order rooms are listed in (exports, the console's day view): lowest first.
    pub position: i32,
    /// Texts in other languages than the event's default.
    pub translations: Translations,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
