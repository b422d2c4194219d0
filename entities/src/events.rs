//! Events: a conference, seminar, training course or the Dialogue itself.
use sea_orm::entity::prelude::*;

use crate::enums::{EventKind, EventStatus, RegistrationMode};
use crate::texts::{Languages, Translations};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "events")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    #[sea_orm(unique)]
    pub slug: String,
    pub title: String,
    pub kind: EventKind,
    pub description: Option<String>,
    pub venue: Option<String>,
    pub city: Option<String>,
    pub country: Option<String>,
    pub timezone: String,
    pub starts_on: Date,
    pub ends_on: Date,
    pub capacity: Option<i32>,
    pub seats_taken: i32,
    pub registration_mode: RegistrationMode,
    pub registration_opens_at: Option<DateTimeUtc>,
    pub registration_closes_at: Option<DateTimeUtc>,
    pub waitlist_enabled: bool,
    pub status: EventStatus,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// Last change to anything the agenda or the calendar feeds show; never goes backwards.
    pub agenda_updated_at: DateTimeUtc,
    /// Bumped in the same transaction as every agenda change; the agenda cache keys on it.
    pub agenda_version: i64,
    /// The language of the plain text fields (`tk`, `ru` or `en`).
    pub default_language: String,
    /// The languages the event is offered in.
    pub languages: Languages,
    /// Texts in other languages than the event's default.
    pub translations: Translations,
    /// The last revocation number handed out: badges revoked in this event are numbered
    /// in commit order (taken under the event row's lock).
    pub revocation_seq: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
