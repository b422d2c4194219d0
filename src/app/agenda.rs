//! The read model of the agenda: an event's published sessions (filtered by local day, track,
//! language or speaker) with what they refer to: tracks, rooms and speakers by id. Front ends
//! group and render it (the JSON agenda, the pages).

use std::collections::HashMap;

use chrono::NaiveDate;
use uuid::Uuid;

use entities::{events, rooms, speakers, tracks};

use crate::application::AppState;
use crate::domain::enums::SessionStatus;
use crate::domain::event::{local_day_span, parse_timezone};
use crate::error::AppError;
use crate::store;
use crate::store::sessions::{SessionFilter, SessionRow};

/// Which published sessions an agenda shows; the filters combine.
#[derive(Debug, Default, Clone)]
pub struct AgendaQuery {
    pub day: Option<NaiveDate>,
    pub track: Option<Uuid>,
    pub room: Option<Uuid>,
    pub language: Option<String>,
    pub speaker: Option<Uuid>,
}

/// The tracks, rooms and speakers of an event, by id (speakers with every field: front ends
/// show only the public ones).
pub struct References {
    pub tracks: HashMap<Uuid, tracks::Model>,
    pub rooms: HashMap<Uuid, rooms::Model>,
    pub speakers: HashMap<Uuid, speakers::Model>,
}

impl References {
    pub async fn load(state: &AppState, event_id: Uuid) -> Result<Self, AppError> {
        let all = store::programme::NO_LIMIT;
        Ok(References {
            tracks: store::programme::list_tracks(&state.db, event_id, None, all)
                .await?
                .into_iter()
                .map(|t| (t.id, t))
                .collect(),
            rooms: store::programme::list_rooms(&state.db, event_id, None, all)
                .await?
                .into_iter()
                .map(|r| (r.id, r))
                .collect(),
            speakers: store::speakers::all_of_event(&state.db, event_id)
                .await?
                .into_iter()
                .map(|s| (s.id, s))
                .collect(),
        })
    }
}

/// The published sessions of `event` that `query` selects, in time order, and their
/// references.
pub async fn programme(
    state: &AppState,
    event: &events::Model,
    query: &AgendaQuery,
) -> Result<(Vec<SessionRow>, References), AppError> {
    let mut filter = SessionFilter {
        statuses: vec![SessionStatus::Published],
        track_id: query.track,
        room_id: query.room,
        speaker_id: query.speaker,
        language: query.language.clone(),
        ..Default::default()
    };
    if let Some(day) = query.day {
        let tz = parse_timezone(&event.timezone).map_err(AppError::unexpected)?;
        let (from, before) = local_day_span(tz, day);
        filter.starts_from = Some(from);
        filter.starts_before = before;
    }
    let rows = store::sessions::all(&state.db, event.id, &filter).await?;
    Ok((rows, References::load(state, event.id).await?))
}
