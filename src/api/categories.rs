//! Categories of an event: which the public may choose when registering, each with its badge
//! colour and its name in the event's languages. Anyone reads them; organizers replace them.

use std::collections::BTreeMap;

use poem_openapi::param::Path;
use poem_openapi::payload::Json;
use poem_openapi::{Object, OpenApi};

use super::ApiTags;
use super::auth::{OptionalAuth, OrganizerAuth};
use super::enums::Category;
use super::errors::{ManageError, ReadError};
use crate::app::categories as categories_app;
use crate::app::principal::Audience;
use crate::application::AppState;
use crate::domain::categories::{Categories, CategoryInput, CategorySetting};

/// One category of an event.
#[derive(Object, Debug, Clone)]
pub struct EventCategory {
    pub key: Category,
    /// Whether the public may choose it on the form and in `POST …/registrations`.
    pub public: bool,
    /// The badge colour, `#rrggbb`; null: the category's standard colour.
    pub color: Option<String>,
    /// The category's name by language (`tk`, `ru`, `en`); a language left out uses the
    /// standard name.
    #[oai(default)]
    pub translations: BTreeMap<String, String>,
}

impl From<&CategorySetting> for EventCategory {
    fn from(c: &CategorySetting) -> Self {
        EventCategory {
            key: c.key.into(),
            public: c.public,
            color: c.color.clone(),
            translations: c.translations.clone(),
        }
    }
}

/// A category as an organizer sets it.
#[derive(Object, Debug, Clone)]
pub struct CategorySettingBody {
    /// `delegate`, `speaker`, `press`, `observer`, `organizer` or `staff`; each at most once.
    pub key: String,
    /// Whether the public may choose it (default false).
    #[oai(default)]
    pub public: bool,
    /// `#rrggbb`; null or absent: the standard colour.
    pub color: Option<String>,
    /// The name by language (`tk`, `ru`, `en`), at most 40 characters.
    #[oai(default)]
    pub translations: BTreeMap<String, String>,
}

fn body_of(categories: &Categories) -> Vec<EventCategory> {
    categories.0.iter().map(EventCategory::from).collect()
}

/// Category operations of an event.
pub struct CategoriesApi {
    pub state: AppState,
}

#[OpenApi(prefix_path = "/api/v1", tag = "ApiTags::Registrations")]
impl CategoriesApi {
    /// List an event's categories
    ///
    /// Every category, in the organizers' order, and whether the public may choose it. An
    /// event that never set them has the defaults: `delegate` and `observer` public.
    #[oai(
        path = "/events/:event/categories",
        method = "get",
        operation_id = "list_categories"
    )]
    async fn list(
        &self,
        auth: OptionalAuth,
        /// The event's id or slug.
        event: Path<String>,
    ) -> Result<Json<Vec<EventCategory>>, ReadError> {
        let categories =
            categories_app::list(&self.state, &event.0, Audience::of(auth.is_organizer())).await?;
        Ok(Json(body_of(&categories)))
    }

    /// Set an event's categories
    ///
    /// Replaces them whole: the categories named come first, in this order; those not named
    /// are not public and keep their standard colour and name. Organizer token required.
    #[oai(
        path = "/events/:event/categories",
        method = "put",
        operation_id = "set_categories"
    )]
    async fn replace(
        &self,
        auth: OrganizerAuth,
        /// The event's id or slug.
        event: Path<String>,
        body: Json<Vec<CategorySettingBody>>,
    ) -> Result<Json<Vec<EventCategory>>, ManageError> {
        let input = body
            .0
            .into_iter()
            .map(|c| CategoryInput {
                key: c.key,
                public: c.public,
                color: c.color,
                translations: c.translations,
            })
            .collect();
        let categories = categories_app::replace(&self.state, &auth.0, &event.0, input).await?;
        Ok(Json(body_of(&categories)))
    }
}
