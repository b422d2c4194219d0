//! Sessions of an event's programme.
use sea_orm::entity::prelude::*;

use crate::enums::{SessionKind, SessionStatus};
use crate::texts::Translations;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "sessions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub event_id: Uuid,
    pub title: String,
    pub r#abstract: Option<String>,
    pub kind: SessionKind,
    pub track_id: Option<Uuid>,
    pub room_id: Option<Uuid>,
    pub starts_at: DateTimeUtc,
    pub ends_at: DateTimeUtc,
    pub language: String,
    pub capacity: Option<i32>,
    pub seats_taken: i32,
    pub status: SessionStatus,
    pub sequence: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// Texts in other languages than the event's default.
    pub translations: Translations,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
