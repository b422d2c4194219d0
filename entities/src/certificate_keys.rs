//! Ed25519 keys that sign certificate verification codes (sealed like the badge keys, kept
//! apart from them: certificates outlive badges).
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "certificate_keys")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub kid: i32,
    /// The 32-byte secret seed, sealed with the master key.
    pub secret_key: String,
    /// The 32-byte public key, hex.
    pub public_key: String,
    /// The key new certificates are signed with.
    pub active: bool,
    pub created_at: DateTimeUtc,
    /// When the key was retired: certificates signed with it no longer verify.
    pub retired_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
