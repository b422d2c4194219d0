//! Use cases of printing: sheets of badges (A4, four A6 badges a page) of an event's
//! confirmed registrations, one badge as a PDF, and the printable agenda (one local day after
//! another, in the reader's language). Documents are drawn on blocking threads by
//! [`crate::print`]; the badges are the same SVGs as the badge images.

use std::collections::BTreeMap;

use bytes::Bytes;
use chrono::{NaiveDate, Utc};
use uuid::Uuid;

use entities::events;

use super::badges;
use super::events::visible;
use super::principal::Audience;
use crate::application::AppState;
use crate::domain::categories::Categories;
use crate::domain::enums::{Category, RegistrationStatus, SessionStatus};
use crate::domain::event::parse_timezone;
use crate::domain::language::Texts;
use crate::domain::validation::ValidationErrors;
use crate::error::AppError;
use crate::i18n::Messages;
use crate::pdf_cache::Fingerprint;
use crate::print::{self, AgendaDay, AgendaDocument, AgendaItem};
use crate::store;
use crate::store::registrations::{RegistrationFilter, RegistrationRow};
use crate::store::sessions::SessionFilter;

/// Which confirmed registrations a badge sheet holds; both filters combine.
#[derive(Debug, Default, Clone)]
pub struct BadgeSelection {
    pub category: Option<Category>,
    pub ids: Option<Vec<Uuid>>,
}

impl BadgeSelection {
    /// The registration ids of an `ids` filter: ids separated by commas.
    pub fn parse_ids(text: &str) -> Result<Vec<Uuid>, ValidationErrors> {
        text.split(',')
            .map(|id| id.trim().parse::<Uuid>())
            .collect::<Result<Vec<_>, _>>()
            .map_err(|_| {
                ValidationErrors::single("ids", "must be registration ids separated by commas")
            })
    }
}

/// The most badges one sheet PDF holds.
pub const MAX_BADGES: usize = 5000;

/// A4 sheets of the badges of the event's confirmed registrations that `selection` picks, in
/// registration order; refused when none matches. Kept per version ([`crate::pdf_cache`]):
/// the same registrations, event and signing key answer the same bytes without drawing.
pub async fn badge_sheets(
    state: &AppState,
    event: &str,
    selection: &BadgeSelection,
) -> Result<(events::Model, Bytes), AppError> {
    let event = visible(state, event, Audience::Organizers).await?;
    let filter = RegistrationFilter {
        status: Some(RegistrationStatus::Confirmed),
        category: selection.category.map(|c| c.as_str().to_owned()),
        ..Default::default()
    };
    let rows = store::registrations::list(&state.db, event.id, &filter, None, None).await?;
    let rows: Vec<RegistrationRow> = match &selection.ids {
        Some(ids) => rows
            .into_iter()
            .filter(|r| ids.contains(&r.registration.id))
            .collect(),
        None => rows,
    };
    if rows.is_empty() {
        return Err(AppError::refused(
            "no confirmed registration matches; there is no badge to print",
        ));
    }
    if rows.len() > MAX_BADGES {
        return Err(AppError::refused(format!(
            "{} badges match; print at most {MAX_BADGES} at once (filter by category or ids)",
            rows.len()
        )));
    }
    let mut which = Fingerprint::default();
    which.add(selection);
    let variant = format!("badges.pdf:{}", hex::encode(&which.finish()[..12]));
    let categories = super::categories::of_event(state, event.id).await?;
    let version = badge_version(state, &event, &categories, &rows, &variant);
    let (drawing_state, drawn_event) = (state.clone(), event.clone());
    let (pdf, _) = kept_or_drawn(state, event.id, variant, version, || {
        draw(state, move || {
            print::badge_sheets(
                rows.len(),
                |index| {
                    badge_svg(
                        &drawing_state,
                        &rows[index],
                        &drawn_event,
                        &categories,
                        index,
                    )
                },
                crate::badge::fonts(),
            )
        })
    })
    .await?;
    Ok((event, pdf))
}

/// One confirmed registration's badge on an A6 page, kept per version like the sheets.
pub async fn badge(
    state: &AppState,
    row: &RegistrationRow,
    event: &events::Model,
) -> Result<Bytes, AppError> {
    let variant = "badge.pdf".to_owned();
    let categories = super::categories::of_event(state, event.id).await?;
    let version = badge_version(
        state,
        event,
        &categories,
        std::slice::from_ref(row),
        &variant,
    );
    let svg = badges::svg_with(state, row, event, &categories)?;
    let (pdf, _) = kept_or_drawn(state, row.registration.id, variant, version, || {
        draw(state, move || {
            print::single_badge(&svg, crate::badge::fonts())
        })
    })
    .await?;
    Ok(pdf)
}

/// What a badge PDF is drawn from: the registrations (every column), the event and its
/// categories (colours and names), the key that signs the codes, and which PDF it is.
fn badge_version(
    state: &AppState,
    event: &events::Model,
    categories: &Categories,
    rows: &[RegistrationRow],
    variant: &str,
) -> [u8; 32] {
    let mut version = Fingerprint::default();
    version
        .add(&variant)
        .add(event)
        .add(categories)
        .add(&state.keyring().active_kid);
    for row in rows {
        version.add(&row.registration);
    }
    version.finish()
}

/// One badge's SVG, for the drawing threads.
fn badge_svg(
    state: &AppState,
    row: &RegistrationRow,
    event: &events::Model,
    categories: &Categories,
    index: usize,
) -> Result<String, print::PrintError> {
    badges::svg_with(state, row, event, categories).map_err(|e| print::PrintError::Page {
        index,
        message: e.to_string(),
    })
}

/// The printable agenda of a published event (drafts for organizers only) in `language`:
/// its published and cancelled sessions, one local day after another.
pub async fn agenda(
    state: &AppState,
    event: &str,
    audience: Audience,
    language: &str,
) -> Result<(events::Model, Bytes), AppError> {
    let event = visible(state, event, audience).await?;
    let document = agenda_document(state, &event, language).await?;
    let pdf = draw(state, move || print::agenda(&document)).await?;
    Ok((event, pdf))
}

async fn agenda_document(
    state: &AppState,
    event: &events::Model,
    language: &str,
) -> Result<AgendaDocument, AppError> {
    let tz = parse_timezone(&event.timezone).map_err(AppError::unexpected)?;
    let m = Messages::new(language);
    let filter = SessionFilter {
        statuses: vec![SessionStatus::Published, SessionStatus::Cancelled],
        ..Default::default()
    };
    let rows = store::sessions::all(&state.db, event.id, &filter).await?;
    let refs = super::agenda::References::load(state, event.id).await?;
    let event_text = |field: &str, plain: &str| {
        Texts::new(&event.translations, language)
            .text(field, plain)
            .to_owned()
    };
    let mut days: BTreeMap<NaiveDate, Vec<AgendaItem>> = BTreeMap::new();
    for row in &rows {
        let s = &row.session;
        let starts = s.starts_at.with_timezone(&tz);
        let ends = s.ends_at.with_timezone(&tz);
        let mut details = Vec::new();
        let room = s.room_id.and_then(|id| refs.rooms.get(&id)).map(|r| {
            Texts::new(&r.translations, language)
                .text("name", &r.name)
                .to_owned()
        });
        let track = s.track_id.and_then(|id| refs.tracks.get(&id)).map(|t| {
            Texts::new(&t.translations, language)
                .text("name", &t.name)
                .to_owned()
        });
        let mut place = vec![m.t(&format!("session-kind-{}", s.kind.as_str()))];
        place.extend(room);
        place.extend(track);
        details.push(place.join(" · "));
        let speakers: Vec<String> = row
            .speaker_ids
            .iter()
            .filter_map(|id| refs.speakers.get(id))
            .map(|sp| match &sp.organization {
                Some(org) => format!(
                    "{} ({})",
                    sp.full_name,
                    Texts::new(&sp.translations, language).text("organization", org)
                ),
                None => sp.full_name.clone(),
            })
            .collect();
        if !speakers.is_empty() {
            details.push(speakers.join(", "));
        }
        days.entry(starts.date_naive())
            .or_default()
            .push(AgendaItem {
                time: format!("{}–{}", starts.format("%H:%M"), ends.format("%H:%M")),
                title: Texts::new(&s.translations, language)
                    .text("title", &s.title)
                    .to_owned(),
                details,
                note: (s.status == SessionStatus::Cancelled).then(|| m.t("session-cancelled")),
            });
    }
    let dates = m.date_range(event.starts_on, event.ends_on);
    let venue = [
        event.venue.as_deref().map(|v| event_text("venue", v)),
        event.city.as_deref().map(|c| event_text("city", c)),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(", ");
    let mut subtitle = dates;
    if !venue.is_empty() {
        subtitle.push_str(" · ");
        subtitle.push_str(&venue);
    }
    Ok(AgendaDocument {
        language: language.to_owned(),
        title: event_text("title", &event.title),
        subtitle: format!(
            "{subtitle}\n{}",
            m.zone_note(&event.timezone, event.starts_on)
        ),
        days: days
            .into_iter()
            .map(|(day, items)| AgendaDay {
                heading: m.date_long(day),
                items,
            })
            .collect(),
        footer: format!(
            "{}/events/{}/agenda · {}",
            state.config.public_url.trim_end_matches('/'),
            event.slug,
            Utc::now().with_timezone(&tz).format("%Y-%m-%d %H:%M")
        ),
    })
}

/// The PDF `(owner, variant)` drawn from `version`, with its `ETag`: the one kept, or drawn
/// by `draw` and kept. Requests for the same PDF wait while one of them draws it.
pub(crate) async fn kept_or_drawn<F, Fut>(
    state: &AppState,
    owner: Uuid,
    variant: String,
    version: [u8; 32],
    draw: F,
) -> Result<(Bytes, String), AppError>
where
    F: FnOnce() -> Fut,
    Fut: std::future::Future<Output = Result<Bytes, AppError>>,
{
    if let Some(kept) = state.pdfs.get_tagged(owner, &variant, &version) {
        return Ok(kept);
    }
    let _turn = state.pdfs.drawing(owner, &variant).await;
    if let Some(kept) = state.pdfs.get_tagged(owner, &variant, &version) {
        return Ok(kept);
    }
    let pdf = draw().await?;
    let etag = state.pdfs.put(owner, variant, version, pdf.clone());
    Ok((pdf, etag))
}

/// Runs a drawing on a blocking thread of the bounded pool ([`crate::work_pool`]).
pub(crate) async fn draw(
    state: &AppState,
    work: impl FnOnce() -> Result<Vec<u8>, print::PrintError> + Send + 'static,
) -> Result<Bytes, AppError> {
    state
        .work_pool
        .run(work)
        .await?
        .map(Bytes::from)
        .map_err(|e| AppError::unexpected(e.to_string()))
}
