//! A session as the pages show it (agenda, session page, speaker page, the delegate's page and
//! the registration form): texts in the page's language, local times, room, track and
//! speakers by name, seats left.

use chrono_tz::Tz;

use entities::sessions;

use super::i18n::Messages;
use crate::app::agenda::References;
use crate::domain::enums::SessionStatus;
use crate::domain::language::Texts;

/// A speaker named on a session, with the link to their page.
pub struct SpeakerLink {
    pub name: String,
    pub href: String,
}

/// One session, ready for a template.
pub struct SessionView {
    pub id: String,
    pub href: String,
    pub title: String,
    pub kind: String,
    pub date: String,
    pub starts: String,
    pub ends: String,
    pub starts_iso: String,
    pub ends_iso: String,
    pub room: Option<String>,
    pub track: Option<String>,
    pub language: String,
    pub speakers: Vec<SpeakerLink>,
    pub summary: Option<String>,
    pub cancelled: bool,
    /// Seats in words when the session has a capacity ("12 seats left", "full").
    pub seats: Option<String>,
    pub full: bool,
}

impl SessionView {
    /// The view of `session` in the page's language; `speaker_ids` in their order.
    pub fn new(
        messages: &Messages,
        event_slug: &str,
        tz: Tz,
        session: &sessions::Model,
        speaker_ids: &[uuid::Uuid],
        refs: &References,
    ) -> Self {
        let language = messages.language.as_str();
        let texts = Texts::new(&session.translations, language);
        let starts = session.starts_at.with_timezone(&tz);
        let ends = session.ends_at.with_timezone(&tz);
        let left = session
            .capacity
            .map(|capacity| i64::from(capacity) - i64::from(session.seats_taken));
        SessionView {
            id: session.id.to_string(),
            href: format!(
                "/events/{event_slug}/sessions/{}?lang={language}",
                session.id
            ),
            title: texts.text("title", &session.title).to_owned(),
            kind: messages.t(&format!("session-kind-{}", session.kind.as_str())),
            date: messages.date_long(starts.date_naive()),
            starts: starts.format("%H:%M").to_string(),
            ends: ends.format("%H:%M").to_string(),
            starts_iso: starts.to_rfc3339(),
            ends_iso: ends.to_rfc3339(),
            room: session.room_id.and_then(|id| refs.rooms.get(&id)).map(|r| {
                Texts::new(&r.translations, language)
                    .text("name", &r.name)
                    .to_owned()
            }),
            track: session
                .track_id
                .and_then(|id| refs.tracks.get(&id))
                .map(|t| {
                    Texts::new(&t.translations, language)
                        .text("name", &t.name)
                        .to_owned()
                }),
            language: messages.language_name(&session.language),
            speakers: speaker_ids
                .iter()
                .filter_map(|id| refs.speakers.get(id))
                .map(|speaker| SpeakerLink {
                    name: speaker.full_name.clone(),
                    href: format!(
                        "/events/{event_slug}/speakers/{}?lang={language}",
                        speaker.id
                    ),
                })
                .collect(),
            summary: texts
                .optional("abstract", session.r#abstract.as_deref())
                .map(str::to_owned),
            cancelled: session.status == SessionStatus::Cancelled,
            seats: left.map(|left| match left {
                left if left > 0 => messages.count("seats-left", left as usize),
                _ => messages.t("seats-full"),
            }),
            full: left.is_some_and(|left| left <= 0),
        }
    }
}
