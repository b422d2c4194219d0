//! What a valid session is, when two sessions clash, and which changes a calendar user sees.

use chrono::{DateTime, Duration, Utc};
use uuid::Uuid;

use super::enums::{SessionKind, SessionStatus};
use super::language::{Translations, check_translations};
use super::validation::{self, LONG_TEXT, SHORT_TEXT, ValidationErrors};

/// The longest session accepted.
pub const MAX_SESSION_HOURS: i64 = 24;
/// The most speakers one session may list.
pub const MAX_SPEAKERS: usize = 50;

/// Every field an organizer sets on a session.
#[derive(Debug, Clone, PartialEq)]
pub struct SessionFields {
    pub title: String,
    pub r#abstract: Option<String>,
    pub kind: SessionKind,
    pub track_id: Option<Uuid>,
    pub room_id: Option<Uuid>,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub language: String,
    pub capacity: Option<i32>,
    pub speaker_ids: Vec<Uuid>,
    pub status: SessionStatus,
    pub translations: Translations,
}

/// The text fields of a session that can be translated.
pub const SESSION_TRANSLATABLE: [(&str, usize); 2] =
    [("title", SHORT_TEXT), ("abstract", LONG_TEXT)];

impl SessionFields {
    /// Checks the session's own rules and that it lies within the event's `[start, end)` window.
    pub fn validate(
        &self,
        event_window: (DateTime<Utc>, DateTime<Utc>),
    ) -> Result<(), ValidationErrors> {
        let mut errors = ValidationErrors::new();
        errors.required_text("title", &self.title, SHORT_TEXT);
        errors.optional_text("abstract", self.r#abstract.as_deref(), LONG_TEXT);
        errors.check("language", validation::language_tag(&self.language));
        errors.capacity("capacity", self.capacity);
        check_translations(&mut errors, &self.translations, &SESSION_TRANSLATABLE);
        if self.ends_at <= self.starts_at {
            errors.add("ends_at", "must be after starts_at");
        } else if self.ends_at - self.starts_at > Duration::hours(MAX_SESSION_HOURS) {
            errors.add(
                "ends_at",
                format!("a session lasts at most {MAX_SESSION_HOURS} hours"),
            );
        }
        let (window_start, window_end) = event_window;
        if self.starts_at < window_start || self.starts_at >= window_end {
            errors.add(
                "starts_at",
                "must fall within the event's dates (in its time zone)",
            );
        } else if self.ends_at > window_end {
            errors.add(
                "ends_at",
                "must fall within the event's dates (in its time zone)",
            );
        }
        if self.speaker_ids.len() > MAX_SPEAKERS {
            errors.add("speaker_ids", format!("at most {MAX_SPEAKERS} speakers"));
        }
        let mut seen = std::collections::HashSet::new();
        if !self.speaker_ids.iter().all(|id| seen.insert(*id)) {
            errors.add("speaker_ids", "must not list a speaker twice");
        }
        errors.into_result(())
    }

    /// Whether a calendar user would notice the change from `self` to `next`
    /// (time, place, title, description, status, speakers…): such a change bumps `sequence`.
    pub fn visible_change(&self, next: &SessionFields) -> bool {
        self.title != next.title
            || self.r#abstract != next.r#abstract
            || self.kind != next.kind
            || self.track_id != next.track_id
            || self.room_id != next.room_id
            || self.starts_at != next.starts_at
            || self.ends_at != next.ends_at
            || self.language != next.language
            || self.speaker_ids != next.speaker_ids
            || self.status != next.status
    }

    /// Whether this session takes part in clash detection: cancelled sessions free their room.
    pub fn occupies_room_and_speakers(&self) -> bool {
        self.status != SessionStatus::Cancelled
    }
}

/// Whether two half-open time spans share an instant.
pub fn overlaps(a: (DateTime<Utc>, DateTime<Utc>), b: (DateTime<Utc>, DateTime<Utc>)) -> bool {
    a.0 < b.1 && b.0 < a.1
}

/// Why two sessions clash.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClashReason {
    SameRoom,
    SameSpeaker(Uuid),
}

/// A session that clashes with the one being written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clash {
    pub session_id: Uuid,
    pub title: String,
    pub reason: ClashReason,
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(h: u32, m: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 18, h, m, 0).unwrap()
    }

    fn session() -> SessionFields {
        SessionFields {
            title: "Opening".into(),
            r#abstract: None,
            kind: SessionKind::Keynote,
            track_id: None,
            room_id: None,
            starts_at: at(5, 0),
            ends_at: at(6, 0),
            language: "tk".into(),
            capacity: None,
            speaker_ids: vec![],
            status: SessionStatus::Published,
            translations: Default::default(),
        }
    }

    #[test]
    fn touching_sessions_do_not_overlap() {
        assert!(!overlaps((at(5, 0), at(6, 0)), (at(6, 0), at(7, 0))));
        assert!(overlaps((at(5, 0), at(6, 0)), (at(5, 59), at(7, 0))));
    }

    #[test]
    fn session_must_fit_the_event() {
        let window = (at(0, 0), at(23, 0));
        assert!(session().validate(window).is_ok());
        let mut late = session();
        late.ends_at = at(23, 30);
        assert_eq!(
            late.validate(window).unwrap_err().errors[0].field,
            "ends_at"
        );
        let mut backwards = session();
        backwards.ends_at = at(4, 0);
        assert!(backwards.validate(window).is_err());
    }

    #[test]
    fn capacity_change_is_not_visible_but_time_is() {
        let before = session();
        let mut after = before.clone();
        after.capacity = Some(20);
        assert!(!before.visible_change(&after));
        after.starts_at = at(5, 30);
        assert!(before.visible_change(&after));
    }
}

/// Another session of the event, as clash detection sees it.
#[derive(Debug, Clone)]
pub struct Scheduled {
    pub id: Uuid,
    pub title: String,
    pub room_id: Option<Uuid>,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub speaker_ids: Vec<Uuid>,
}

/// The sessions among `others` that share a room or a speaker with `candidate` at an
/// overlapping time. `others` must not contain the candidate itself, nor cancelled sessions.
pub fn find_clashes(candidate: &SessionFields, others: &[Scheduled]) -> Vec<Clash> {
    let mut clashes = Vec::new();
    for other in others {
        if !overlaps(
            (candidate.starts_at, candidate.ends_at),
            (other.starts_at, other.ends_at),
        ) {
            continue;
        }
        if candidate.room_id.is_some() && candidate.room_id == other.room_id {
            clashes.push(Clash {
                session_id: other.id,
                title: other.title.clone(),
                reason: ClashReason::SameRoom,
            });
        }
        if let Some(shared) = candidate
            .speaker_ids
            .iter()
            .find(|id| other.speaker_ids.contains(id))
        {
            clashes.push(Clash {
                session_id: other.id,
                title: other.title.clone(),
                reason: ClashReason::SameSpeaker(*shared),
            });
        }
    }
    clashes
}

#[cfg(test)]
mod clash_tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn room_and_speaker_clashes_are_named() {
        let at = |h| Utc.with_ymd_and_hms(2026, 11, 18, h, 0, 0).unwrap();
        let room = Uuid::now_v7();
        let speaker = Uuid::now_v7();
        let candidate = SessionFields {
            title: "New".into(),
            r#abstract: None,
            kind: SessionKind::Talk,
            track_id: None,
            room_id: Some(room),
            starts_at: at(5),
            ends_at: at(7),
            language: "en".into(),
            capacity: None,
            speaker_ids: vec![speaker],
            status: SessionStatus::Published,
            translations: Default::default(),
        };
        let other = |title: &str, room_id, speaker_ids, start, end| Scheduled {
            id: Uuid::now_v7(),
            title: title.into(),
            room_id,
            starts_at: at(start),
            ends_at: at(end),
            speaker_ids,
        };
        let others = [
            other("Same room", Some(room), vec![], 6, 8),
            other("Same speaker", None, vec![speaker], 4, 6),
            other("Later, same room", Some(room), vec![speaker], 7, 8),
            other("Elsewhere", None, vec![], 5, 7),
        ];
        let clashes = find_clashes(&candidate, &others);
        let titles: Vec<_> = clashes.iter().map(|c| c.title.as_str()).collect();
        assert_eq!(titles, ["Same room", "Same speaker"]);
        assert_eq!(clashes[1].reason, ClashReason::SameSpeaker(speaker));
    }
}
