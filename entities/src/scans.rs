//! The audit log: every scan, refused ones and unknown codes too, with its answer.
use sea_orm::entity::prelude::*;

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
    pub direction: String,
    pub result: String,
    /// Whether this scan is the first admission of its registration in its scope.
    pub admission: bool,
    pub device: String,
    pub nonce: Option<String>,
    /// The first characters of the scanned text (unknown codes are kept too).
    pub code_excerpt: String,
    pub scanned_at: DateTimeUtc,
    pub recorded_at: DateTimeUtc,
    pub http_status: i32,
    /// The answer given, replayed for a repeated nonce.
    pub response: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
