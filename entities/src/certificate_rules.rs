//! What earns an event's certificate of attendance (one row per event; none means the
//! defaults).
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "certificate_rules")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub event_id: Uuid,
    /// The ids of the sessions that count (a JSON array); `None`: the event's training and
    /// workshop sessions.
    pub session_ids: Option<Json>,
    /// The share of the counted sessions a delegate must attend, 0–1.
    pub min_share: f64,
    /// Hours credited per session id (a JSON object); a session not named: its length.
    pub hours: Json,
    /// `auto`, `door` or `venue`: how the attendance of a session is measured.
    pub attendance: String,
    /// The partner organizations named on the certificate, one per line.
    pub partners: Option<String>,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
