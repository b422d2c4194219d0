//! Certificates of attendance issued: one per registration, numbered per event, with the
//! signed verification code (no personal data in it).
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "certificates")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub event_id: Uuid,
    #[sea_orm(unique)]
    pub registration_id: Uuid,
    /// 1, 2, … within the event.
    pub seq: i32,
    /// What is printed: `{EVENT}-{year}-{seq:04}` (unique within the event).
    pub number: String,
    /// The time credited, in minutes.
    pub minutes: i32,
    /// The ids of the sessions attended (a JSON array).
    pub sessions: Json,
    /// The signed verification code.
    #[sea_orm(unique)]
    pub code: String,
    /// The language the certificate is written in (the delegate's).
    pub language: String,
    /// Why an organizer issued it to someone who missed the bar.
    pub override_reason: Option<String>,
    pub issued_at: DateTimeUtc,
    pub revoked_at: Option<DateTimeUtc>,
    pub revoke_reason: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
