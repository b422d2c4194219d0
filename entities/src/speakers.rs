//! Speakers of an event; `email` is for organizers only.
use sea_orm::entity::prelude::*;

use crate::texts::Translations;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "speakers")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub event_id: Uuid,
    pub full_name: String,
    pub position: Option<String>,
    pub organization: Option<String>,
    pub country: Option<String>,
    pub bio: Option<String>,
    pub photo_url: Option<String>,
    pub email: Option<String>,
    /// Texts in other languages than the event's default.
    pub translations: Translations,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
