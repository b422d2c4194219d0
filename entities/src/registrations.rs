//! Delegates' registrations for an event.
use sea_orm::entity::prelude::*;

use crate::enums::{Category, RegistrationStatus};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "registrations")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub event_id: Uuid,
    pub full_name: String,
    pub email: String,
    /// Lowercased e-mail; unique per event.
    pub email_normalized: String,
    pub organization: Option<String>,
    pub position: Option<String>,
    pub country: Option<String>,
    pub category: Category,
    pub locale: String,
    /// Lowercased name, e-mail and organization, for organizers' search.
    pub search_text: String,
    pub status: RegistrationStatus,
    #[sea_orm(unique)]
    pub manage_token_hash: String,
    /// Bumped when the delegate rotates the calendar link.
    pub calendar_generation: i32,
    /// When the registration entered its current queue (waiting list order).
    pub queued_at: DateTimeUtc,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// Lowercased full name and organization, for staff look-up (no e-mail).
    pub name_search: String,
    /// Bumped when the delegate replaces the manage token, so the old one stops working.
    pub manage_generation: i32,
    /// When an organizer erased the delegate's personal data (the row stays, cancelled).
    pub erased_at: Option<DateTimeUtc>,
    /// The event's revocation sequence number at which this badge was revoked.
    pub revoked_seq: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
