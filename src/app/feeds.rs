//! Read models of the calendar feeds: which sessions a feed shows (the event's, one
//! session's, one speaker's, a delegate's own), each as a calendar entry with its public
//! references (track, room, speakers by public name only), and when a feed last changed.
//! Rendering to iCalendar and HTTP caching stay with the front end.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use entities::{events, session_tombstones, speakers};

use super::agenda::References;
use super::events::{reader_language, visible};
use super::principal::Audience;
use crate::application::AppState;
use crate::calendar::{CalendarEvent, EventStatus};
use crate::domain::enums::{ChoiceStatus, RegistrationStatus, SessionStatus};
use crate::domain::language::Texts;
use crate::domain::token::{self, TokenKind};
use crate::error::AppError;
use crate::i18n::Messages;
use crate::store;
use crate::store::registrations::RegistrationRow;
use crate::store::sessions::{SessionFilter, SessionRow};

/// The entries of an event's feed (published and cancelled sessions, deleted public ones as
/// cancelled), optionally of one track, in time order.
pub async fn event_entries(
    state: &AppState,
    event: &events::Model,
    track: Option<Uuid>,
    language: &str,
) -> Result<Vec<CalendarEvent>, AppError> {
    let filter = SessionFilter {
        statuses: vec![SessionStatus::Published, SessionStatus::Cancelled],
        track_id: track,
        ..Default::default()
    };
    let rows = store::sessions::all(&state.db, event.id, &filter).await?;
    let tombstones: Vec<session_tombstones::Model> =
        store::sessions::tombstones(&state.db, event.id)
            .await?
            .into_iter()
            .filter(|t| track.is_none() || t.track_id == track)
            .collect();
    let context = Context::load(state, event, language).await?;
    let mut entries: Vec<CalendarEvent> = rows.iter().map(|row| context.entry(row, None)).collect();
    entries.extend(tombstones.iter().map(tombstone_entry));
    entries.sort_by_key(|e| (e.starts_at, e.session_id));
    Ok(entries)
}

/// One public session's entry (a deleted one as cancelled), and its event.
pub async fn session_entries(
    state: &AppState,
    event: &str,
    id: Uuid,
    asked: Option<&str>,
) -> Result<(events::Model, Vec<CalendarEvent>), AppError> {
    let event = visible(state, event, Audience::Public).await?;
    let language = reader_language(&event, asked, None);
    let context = Context::load(state, &event, &language).await?;
    let entries = match store::sessions::find(&state.db, event.id, id).await? {
        Some(row) if row.session.status != SessionStatus::Draft => {
            vec![context.entry(&row, None)]
        }
        Some(_) => return Err(AppError::NotFound("session")),
        None => store::sessions::tombstones(&state.db, event.id)
            .await?
            .iter()
            .filter(|t| t.id == id)
            .map(tombstone_entry)
            .collect(),
    };
    if entries.is_empty() {
        return Err(AppError::NotFound("session"));
    }
    Ok((event, entries))
}

/// One speaker's sessions as entries, with the speaker and the event.
pub async fn speaker_entries(
    state: &AppState,
    event: &str,
    id: Uuid,
    asked: Option<&str>,
) -> Result<(events::Model, speakers::Model, Vec<CalendarEvent>), AppError> {
    let event = visible(state, event, Audience::Public).await?;
    let language = reader_language(&event, asked, None);
    let speaker = store::speakers::find(&state.db, event.id, id)
        .await?
        .ok_or(AppError::NotFound("speaker"))?;
    let filter = SessionFilter {
        statuses: vec![SessionStatus::Published, SessionStatus::Cancelled],
        speaker_id: Some(speaker.id),
        ..Default::default()
    };
    let rows = store::sessions::all(&state.db, event.id, &filter).await?;
    let context = Context::load(state, &event, &language).await?;
    let entries = rows.iter().map(|row| context.entry(row, None)).collect();
    Ok((event, speaker, entries))
}

/// A delegate's own feed, reached by the calendar token of its current generation (any
/// other token finds nothing): the chosen sessions, `CONFIRMED` with a seat, `TENTATIVE`
/// while waiting, `CANCELLED` when the session or the registration is. In the language
/// asked for, else the delegate's own (`locale`).
pub async fn personal_entries(
    state: &AppState,
    registration_id: Uuid,
    presented: Option<&str>,
    asked: Option<&str>,
) -> Result<(events::Model, RegistrationRow, Vec<CalendarEvent>), AppError> {
    let row = store::registrations::find(&state.db, registration_id)
        .await?
        .ok_or(AppError::NotFound("registration"))?;
    let expected = token::derive(
        &state.token_secret,
        TokenKind::Calendar,
        registration_id,
        row.registration.calendar_generation,
    );
    if !presented.is_some_and(|t| token::same(t, &expected)) || row.registration.erased_at.is_some()
    {
        return Err(AppError::NotFound("registration"));
    }
    let event = store::events::find(&state.db, &row.registration.event_id.to_string())
        .await?
        .ok_or(AppError::NotFound("event"))?;
    let language = reader_language(
        &event,
        asked.or(Some(row.registration.locale.as_str())),
        None,
    );
    let registration_status: RegistrationStatus = row.status();
    let filter = SessionFilter {
        statuses: vec![SessionStatus::Published, SessionStatus::Cancelled],
        ids: Some(row.choices.iter().map(|c| c.session_id).collect()),
        ..Default::default()
    };
    let sessions = store::sessions::all(&state.db, event.id, &filter).await?;
    let context = Context::load(state, &event, &language).await?;
    let entries = sessions
        .iter()
        .map(|session| {
            let choice = row
                .choices
                .iter()
                .find(|c| c.session_id == session.session.id);
            let status = match registration_status {
                RegistrationStatus::Cancelled | RegistrationStatus::Rejected => {
                    EventStatus::Cancelled
                }
                RegistrationStatus::Confirmed
                    if choice.is_some_and(|c| c.status == ChoiceStatus::Confirmed) =>
                {
                    EventStatus::Confirmed
                }
                _ => EventStatus::Tentative,
            };
            context.entry(session, Some(status))
        })
        .collect();
    Ok((event, row, entries))
}

/// What sessions refer to: tracks, rooms and speakers of the event.
struct Context<'a> {
    state: &'a AppState,
    event: &'a events::Model,
    refs: References,
    /// The language the texts are shown in.
    language: &'a str,
    /// The interface's words in that language.
    words: Messages,
}

impl<'a> Context<'a> {
    async fn load(
        state: &'a AppState,
        event: &'a events::Model,
        language: &'a str,
    ) -> Result<Self, AppError> {
        Ok(Context {
            state,
            event,
            refs: References::load(state, event.id).await?,
            language,
            words: Messages::new(language),
        })
    }

    /// A session as a calendar entry; speakers by public name only.
    fn entry(&self, row: &SessionRow, status: Option<EventStatus>) -> CalendarEvent {
        let s = &row.session;
        let language = self.language;
        let texts = Texts::new(&s.translations, language);
        let mut description = texts
            .optional("abstract", s.r#abstract.as_deref())
            .unwrap_or_default()
            .to_owned();
        let speakers: Vec<String> = row
            .speaker_ids
            .iter()
            .filter_map(|id| self.refs.speakers.get(id))
            .map(|sp| {
                let organization = Texts::new(&sp.translations, language)
                    .optional("organization", sp.organization.as_deref());
                match organization {
                    Some(org) => format!("{} ({org})", sp.full_name),
                    None => sp.full_name.clone(),
                }
            })
            .collect();
        let event_texts = Texts::new(&self.event.translations, language);
        if !speakers.is_empty() {
            if !description.is_empty() {
                description.push_str("\n\n");
            }
            description.push_str(&format!(
                "{}: {}",
                self.words.t("session-speakers"),
                speakers.join(", ")
            ));
        }
        if !description.is_empty() {
            description.push('\n');
        }
        description.push_str(&format!(
            "{}: {}",
            self.words.t("session-language"),
            self.words.language_name(&s.language)
        ));
        let place: Vec<String> = [
            s.room_id.and_then(|id| self.refs.rooms.get(&id)).map(|r| {
                Texts::new(&r.translations, language)
                    .text("name", &r.name)
                    .to_owned()
            }),
            event_texts
                .optional("venue", self.event.venue.as_deref())
                .map(str::to_owned),
            event_texts
                .optional("city", self.event.city.as_deref())
                .map(str::to_owned),
        ]
        .into_iter()
        .flatten()
        .collect();
        let mut categories: Vec<String> = s
            .track_id
            .and_then(|id| self.refs.tracks.get(&id))
            .map(|t| {
                vec![
                    Texts::new(&t.translations, language)
                        .text("name", &t.name)
                        .to_owned(),
                ]
            })
            .unwrap_or_default();
        categories.push(s.kind.to_string());
        let cancelled = s.status == SessionStatus::Cancelled
            || self.event.status == crate::domain::enums::EventStatus::Cancelled;
        CalendarEvent {
            session_id: s.id,
            title: texts.text("title", &s.title).to_owned(),
            description,
            location: (!place.is_empty()).then(|| place.join(", ")),
            categories,
            url: Some(format!(
                "{}/api/v1/events/{}/sessions/{}",
                self.state.config.public_url, self.event.slug, s.id
            )),
            starts_at: s.starts_at,
            ends_at: s.ends_at,
            sequence: s.sequence,
            modified_at: s.updated_at,
            status: if cancelled {
                EventStatus::Cancelled
            } else {
                status.unwrap_or(EventStatus::Confirmed)
            },
        }
    }
}

fn tombstone_entry(t: &session_tombstones::Model) -> CalendarEvent {
    CalendarEvent {
        session_id: t.id,
        title: t.title.clone(),
        description: String::new(),
        location: None,
        categories: Vec::new(),
        url: None,
        starts_at: t.starts_at,
        ends_at: t.ends_at,
        sequence: t.sequence,
        modified_at: t.deleted_at,
        status: EventStatus::Cancelled,
    }
}

/// The feed's Last-Modified: the event's last agenda change (bumped by every session, room,
/// track, speaker and event change, deletions included), or the registration's if later.
pub fn last_modified(event: &events::Model, registration: Option<DateTime<Utc>>) -> DateTime<Utc> {
    let mut at = event.agenda_updated_at.max(event.updated_at);
    if let Some(registration) = registration {
        at = at.max(registration);
    }
    at
}
