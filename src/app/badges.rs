//! Use cases of badges: the signed code of a registration and its badge drawn as SVG or PNG,
//! with the event's title and the category in the delegate's language. Only confirmed
//! registrations have one. PNGs are drawn in the bounded pool of expensive work
//! ([`crate::work_pool`]) and kept per badge version (the SVG they are drawn from,
//! [`BadgeImages`]), so many delegates fetching badges at once cannot stall the request
//! threads.

use bytes::Bytes;
use sha2::{Digest, Sha256};

use entities::events;

use super::events::reader_language;
use crate::application::AppState;
use crate::badge::{self, BadgeContent};
use crate::domain::badge_code;
use crate::domain::categories::Categories;
use crate::domain::enums::RegistrationStatus;
use crate::domain::language::Texts;
use crate::error::AppError;
use crate::i18n::Messages;
use crate::store::registrations::RegistrationRow;

/// The badge code of a registration, signed with the active key.
pub fn code_for(state: &AppState, event_id: uuid::Uuid, registration_id: uuid::Uuid) -> String {
    let keyring = state.keyring();
    badge_code::issue(
        &keyring.active,
        keyring.active_kid,
        event_id,
        registration_id,
    )
}

/// The words of a badge in the delegate's language: the event's title (where the event has
/// it) and the category's name (the event's own, or the standard one), and the band's colour
/// the event chose.
struct Words {
    language: String,
    category: String,
    color: Option<String>,
    /// The country's name in the badge's language (a value that is not a code as written).
    country: Option<String>,
}

fn words(
    row: &RegistrationRow,
    event: &events::Model,
    categories: &Categories,
) -> Result<Words, AppError> {
    let status: RegistrationStatus = row.registration.status;
    if status != RegistrationStatus::Confirmed {
        return Err(AppError::refused(format!(
            "only confirmed registrations have a badge; this one is {status}"
        )));
    }
    let language = reader_language(event, Some(&row.registration.locale), None);
    let messages = Messages::new(&row.registration.locale);
    let setting = categories.get(row.registration.category);
    Ok(Words {
        category: setting
            .name_in(&row.registration.locale)
            .map(str::to_owned)
            .unwrap_or_else(|| {
                messages.t(&format!("category-{}", row.registration.category.as_str()))
            }),
        color: setting.color.clone(),
        country: row
            .registration
            .country
            .as_deref()
            .map(|c| crate::domain::country::display(c, &language)),
        language,
    })
}

fn content<'a>(
    row: &'a RegistrationRow,
    event: &'a events::Model,
    words: &'a Words,
    code: &'a str,
) -> BadgeContent<'a> {
    BadgeContent {
        event_title: Texts::new(&event.translations, &words.language).text("title", &event.title),
        full_name: &row.registration.full_name,
        organization: row.registration.organization.as_deref(),
        country: words.country.as_deref(),
        category: row.registration.category,
        category_label: &words.category,
        band_color: words.color.as_deref(),
        code,
    }
}

/// The badge as SVG, with the event's categories.
pub async fn svg(
    state: &AppState,
    row: &RegistrationRow,
    event: &events::Model,
) -> Result<String, AppError> {
    let categories = super::categories::of_event(state, event.id).await?;
    svg_with(state, row, event, &categories)
}

/// The badge as SVG with `categories` already read (for the drawing threads).
pub fn svg_with(
    state: &AppState,
    row: &RegistrationRow,
    event: &events::Model,
    categories: &Categories,
) -> Result<String, AppError> {
    let words = words(row, event, categories)?;
    let code = code_for(state, event.id, row.registration.id);
    badge::svg(&content(row, event, &words, &code)).map_err(|e| AppError::unexpected(e.to_string()))
}

/// Badge PNGs: drawn in the bounded pool off the request threads ([`crate::work_pool`]),
/// kept by the hash of the SVG they are drawn from (a changed name, language or key is
/// another badge version).
pub struct BadgeImages {
    drawn: quick_cache::sync::Cache<[u8; 32], Bytes, ByLength>,
}

/// Weighs a cached image by its size in bytes.
#[derive(Clone)]
pub struct ByLength;

impl quick_cache::Weighter<[u8; 32], Bytes> for ByLength {
    fn weight(&self, _key: &[u8; 32], image: &Bytes) -> u64 {
        image.len() as u64
    }
}

impl BadgeImages {
    /// At most `bytes` of images kept.
    pub fn new(bytes: u64) -> Self {
        BadgeImages {
            drawn: quick_cache::sync::Cache::with_weighter(1024, bytes, ByLength),
        }
    }
}

/// The version of a badge drawn from `svg` (the hash of the SVG).
fn version_of(svg: &str) -> [u8; 32] {
    Sha256::digest(svg.as_bytes()).into()
}

/// The badge as PNG.
pub async fn png(
    state: &AppState,
    row: &RegistrationRow,
    event: &events::Model,
) -> Result<Bytes, AppError> {
    let svg = svg(state, row, event).await?;
    let version = version_of(&svg);
    // One request draws a version; the others asking for it meanwhile wait for that drawing.
    let slot = match state
        .badge_images
        .drawn
        .get_value_or_guard_async(&version)
        .await
    {
        Ok(png) => return Ok(png),
        Err(slot) => slot,
    };
    let png = state
        .work_pool
        .run(move || badge::png_of_svg(&svg).map(Bytes::from))
        .await?
        .map_err(|err| AppError::unexpected(err.to_string()))?;
    // Refused only when the cache already holds it: the same bytes.
    let _ = slot.insert(png.clone());
    Ok(png)
}

/// The badge as PNG for an e-mail: drawn on the background thread of the lowest priority
/// ([`crate::background`]), as nobody waits for it, and not kept (the delegate's own requests
/// keep theirs).
pub async fn png_for_mail(
    state: &AppState,
    row: &RegistrationRow,
    event: &events::Model,
) -> Result<Bytes, AppError> {
    let svg = svg(state, row, event).await?;
    if let Some(png) = state.badge_images.drawn.get(&version_of(&svg)) {
        return Ok(png);
    }
    crate::background::run(move || badge::png_of_svg(&svg).map(Bytes::from))
        .await?
        .map_err(|err| AppError::unexpected(err.to_string()))
}
