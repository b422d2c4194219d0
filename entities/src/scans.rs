//! The audit log: every scan, refused ones and unknown codes too, with the decision answered.
use sea_orm::entity::prelude::*;

use crate::enums::{Direction, ScanOutcome};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "scans")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub event_id: Uuid,
    pub registration_id: Option<Uuid>,
    pub session_id: Option<Uuid>,
    /// `day:YYYY-MM-DD` at the venue or `session:<id>` at a room's door.
    pub scope: Option<String>,
    pub direction: Direction,
    pub result: ScanOutcome,
    /// Whether this scan is the first admission of its registration in its scope.
    pub admission: bool,
    pub device: String,
    pub nonce: Option<String>,
    /// The first characters of the scanned text (unknown codes are kept too).
    pub code_excerpt: String,
    pub scanned_at: DateTimeUtc,
    pub recorded_at: DateTimeUtc,
    /// What the scan was answered (a later offline scan may change `result`, never this);
    /// a repeated nonce gets the same answer.
    pub answered: ScanOutcome,
    /// When the answered scan admitted (or let out) the delegate.
    pub checked_in_at: Option<DateTimeUtc>,
    /// The first admission in the scope, as answered.
    pub first_checked_in_at: Option<DateTimeUtc>,
    /// The token that sent the scan: nonces are unique per token.
    pub sender: Option<Uuid>,
    /// What was scanned (code, door, direction, offline time), hashed: a repeated nonce is
    /// answered again only for the same scan.
    pub fingerprint: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
