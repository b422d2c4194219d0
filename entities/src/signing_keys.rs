//! Ed25519 keys that sign badge codes; `kid` is carried in every code, so keys can rotate.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "signing_keys")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub kid: i32,
    /// The 32-byte secret seed, sealed with the master key (plain hex before sealing).
    pub secret_key: String,
    /// The 32-byte public key, hex.
    pub public_key: String,
    /// The key new badges are signed with.
    pub active: bool,
    pub created_at: DateTimeUtc,
    /// When the key was retired: codes signed with it are no longer accepted.
    pub retired_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
