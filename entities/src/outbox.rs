//! The e-mail outbox: one row per message to a delegate, written with the change that caused
//! it and sent afterwards.
use sea_orm::FromJsonQueryResult;
use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

use crate::enums::{MailKind, MailStatus};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "outbox")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub event_id: Uuid,
    pub registration_id: Uuid,
    pub kind: MailKind,
    /// Names the message once: a retried request writes no second row.
    #[sea_orm(unique)]
    pub dedupe_key: String,
    pub details: MailDetails,
    pub status: MailStatus,
    pub attempts: i32,
    pub next_attempt_at: DateTimeUtc,
    /// While set and in the future, an instance is sending this message.
    pub lease_until: Option<DateTimeUtc>,
    /// The last failure: the server's reply or the network error.
    pub last_error: Option<String>,
    /// The `Message-ID` it was sent with (every attempt uses the same, made from `id`).
    pub message_id: Option<String>,
    /// The address it went to (set when it is sent, for the organizers' list).
    pub recipient: Option<String>,
    pub created_at: DateTimeUtc,
    pub sent_at: Option<DateTimeUtc>,
}

/// What a message needs beyond the registration: the session it is about and what it was
/// before a change.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, FromJsonQueryResult)]
pub struct MailDetails {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session_id: Option<Uuid>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sequence: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub was_starts_at: Option<DateTimeUtc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub was_ends_at: Option<DateTimeUtc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub was_room_id: Option<Uuid>,
    /// A test message's address (`dialogue mail test`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
