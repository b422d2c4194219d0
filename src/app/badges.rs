//! Use cases of badges: the signed code of a registration and its badge drawn as SVG or PNG,
//! with the event's title and the category in the delegate's language. Only confirmed registrations have one.

use entities::events;

use super::events::reader_language;
use crate::application::AppState;
use crate::badge::{self, BadgeContent};
use crate::domain::badge_code;
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
/// it) and the category's name.
struct Words {
    language: String,
    category: String,
}

fn words(row: &RegistrationRow, event: &events::Model) -> Result<Words, AppError> {
    let status: RegistrationStatus = row.registration.status;
    if status != RegistrationStatus::Confirmed {
        return Err(AppError::refused(format!(
            "only confirmed registrations have a badge; this one is {status}"
        )));
    }
    let language = reader_language(event, Some(&row.registration.locale), None);
    let messages = Messages::new(&row.registration.locale);
    Ok(Words {
        category: messages.t(&format!("category-{}", row.registration.category.as_str())),
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
        country: row.registration.country.as_deref(),
        category: row.registration.category,
        category_label: &words.category,
        code,
    }
}

/// The badge as SVG.
pub fn svg(
    state: &AppState,
    row: &RegistrationRow,
    event: &events::Model,
) -> Result<String, AppError> {
    let words = words(row, event)?;
    let code = code_for(state, event.id, row.registration.id);
    badge::svg(&content(row, event, &words, &code)).map_err(|e| AppError::unexpected(e.to_string()))
}

/// The badge as PNG.
pub fn png(
    state: &AppState,
    row: &RegistrationRow,
    event: &events::Model,
) -> Result<Vec<u8>, AppError> {
    let words = words(row, event)?;
    let code = code_for(state, event.id, row.registration.id);
    badge::png(&content(row, event, &words, &code)).map_err(|e| AppError::unexpected(e.to_string()))
}
