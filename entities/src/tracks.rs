//! Tracks: thematic strands of an event's programme.
use sea_orm::entity::prelude::*;

use crate::texts::Translations;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "tracks")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub event_id: Uuid,
    pub name: String,
    pub color: Option<String>,
    pub description: Option<String>,
    /// Texts in other languages than the event's default.
    pub translations: Translations,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
