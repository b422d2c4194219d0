//! The categories of one event as its organizers set them: which the public may choose, the
//! badge colour, and the name in each language. An event without rows has the defaults.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "event_categories")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub event_id: Uuid,
    /// `delegate`, `speaker`, `press`, `observer`, `organizer` or `staff`.
    #[sea_orm(primary_key, auto_increment = false)]
    pub key: String,
    /// Whether the public may choose it (form and API).
    pub public: bool,
    /// The badge colour, `#rrggbb`; none: the standard colour of the category.
    pub color: Option<String>,
    /// The category's name by language (`{"ru": "…"}`); none: the standard name.
    pub translations: Json,
    /// The order in lists and on the form.
    pub position: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
