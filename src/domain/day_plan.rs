//! One local day of a programme laid out for the console: rooms against time in slots of
//! [`SLOT_MINUTES`], each room split into as many lanes as it needs when sessions overlap, and
//! which sessions clash (overlap in one room, or share a speaker at the same time). Cancelled
//! sessions are shown but clash with nothing.

use std::collections::HashSet;

use chrono::{DateTime, NaiveTime, Timelike, Utc};
use chrono_tz::Tz;
use uuid::Uuid;

/// The length of one row of the grid.
pub const SLOT_MINUTES: u32 = 15;

/// A session as the plan needs it.
#[derive(Debug, Clone)]
pub struct Planned {
    pub id: Uuid,
    pub room: Option<Uuid>,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub speakers: Vec<Uuid>,
    pub cancelled: bool,
}

/// Where a session sits in the grid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placed {
    pub id: Uuid,
    /// The column: the room's first lane plus this session's lane.
    pub column: usize,
    pub first_slot: usize,
    /// At least one.
    pub slots: usize,
}

/// A column of the grid: a room (None: sessions without a room) and one of its lanes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    pub room: Option<Uuid>,
    pub lane: usize,
}

/// The grid of one day.
#[derive(Debug, Clone)]
pub struct DayPlan {
    /// The local time of the first row.
    pub first: NaiveTime,
    pub slots: usize,
    pub columns: Vec<Column>,
    pub placed: Vec<Placed>,
    pub clashing: HashSet<Uuid>,
}

fn overlap(a: &Planned, b: &Planned) -> bool {
    a.starts_at < b.ends_at && b.starts_at < a.ends_at
}

/// The sessions that clash with another one.
pub fn clashing(sessions: &[Planned]) -> HashSet<Uuid> {
    let mut found = HashSet::new();
    let live: Vec<&Planned> = sessions.iter().filter(|s| !s.cancelled).collect();
    for (i, a) in live.iter().enumerate() {
        for b in &live[i + 1..] {
            let same_room = a.room.is_some() && a.room == b.room;
            let same_speaker = a.speakers.iter().any(|s| b.speakers.contains(s));
            if (same_room || same_speaker) && overlap(a, b) {
                found.insert(a.id);
                found.insert(b.id);
            }
        }
    }
    found
}

/// Minutes since local midnight, rounded down to a slot.
fn slot_floor(minutes: u32) -> u32 {
    minutes / SLOT_MINUTES * SLOT_MINUTES
}

/// Lays out `sessions` (all starting on one local day in `tz`) in `rooms` order; a room
/// without sessions still has its column, sessions without a room get a last column.
pub fn plan(sessions: &[Planned], rooms: &[Uuid], tz: Tz) -> DayPlan {
    let local_minutes = |at: DateTime<Utc>| {
        let local = at.with_timezone(&tz);
        local.hour() * 60 + local.minute()
    };
    // 08:00 to 18:00 at least, widened to every session's start and end.
    let mut first = 8 * 60;
    let mut last = 18 * 60;
    for s in sessions {
        let start = local_minutes(s.starts_at);
        first = first.min(slot_floor(start));
        let length = (s.ends_at - s.starts_at).num_minutes().max(0) as u32;
        last = last.max((start + length).min(24 * 60));
    }
    let slots = (last.saturating_sub(first)).div_ceil(SLOT_MINUTES).max(1) as usize;
    let mut ordered: Vec<&Planned> = sessions.iter().collect();
    ordered.sort_by_key(|s| (s.starts_at, s.ends_at, s.id));
    let mut room_order: Vec<Option<Uuid>> = rooms.iter().copied().map(Some).collect();
    if sessions
        .iter()
        .any(|s| s.room.is_none_or(|r| !rooms.contains(&r)))
    {
        room_order.push(None);
    }
    let mut columns = Vec::new();
    let mut placed = Vec::new();
    for room in room_order {
        // Greedy lanes: a session goes to the first lane that is free when it starts.
        let mut lanes: Vec<u32> = Vec::new();
        let mut in_room = Vec::new();
        for s in ordered.iter().filter(|s| match room {
            Some(room) => s.room == Some(room),
            None => s.room.is_none_or(|r| !rooms.contains(&r)),
        }) {
            let start = local_minutes(s.starts_at);
            let first_slot =
                (((start.saturating_sub(first)) / SLOT_MINUTES) as usize).min(slots - 1);
            let length = (s.ends_at - s.starts_at).num_minutes().max(1) as u32;
            let slots_taken = (length.div_ceil(SLOT_MINUTES) as usize).clamp(1, slots - first_slot);
            let end_slot = (first_slot + slots_taken) as u32;
            let lane = match lanes
                .iter()
                .position(|free_from| *free_from <= first_slot as u32)
            {
                Some(lane) => {
                    lanes[lane] = end_slot;
                    lane
                }
                None => {
                    lanes.push(end_slot);
                    lanes.len() - 1
                }
            };
            in_room.push((s.id, lane, first_slot, slots_taken));
        }
        let base = columns.len();
        for lane in 0..lanes.len().max(1) {
            columns.push(Column { room, lane });
        }
        placed.extend(
            in_room
                .into_iter()
                .map(|(id, lane, first_slot, slots)| Placed {
                    id,
                    column: base + lane,
                    first_slot,
                    slots,
                }),
        );
    }
    DayPlan {
        first: NaiveTime::from_num_seconds_from_midnight_opt(first * 60, 0).unwrap_or_default(),
        slots,
        columns,
        placed,
        clashing: clashing(sessions),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(h: u32, m: u32) -> DateTime<Utc> {
        chrono_tz::Asia::Ashgabat
            .with_ymd_and_hms(2026, 12, 2, h, m, 0)
            .unwrap()
            .with_timezone(&Utc)
    }

    fn session(
        room: Option<Uuid>,
        from: (u32, u32),
        to: (u32, u32),
        speakers: Vec<Uuid>,
    ) -> Planned {
        Planned {
            id: Uuid::new_v4(),
            room,
            starts_at: at(from.0, from.1),
            ends_at: at(to.0, to.1),
            speakers,
            cancelled: false,
        }
    }

    #[test]
    fn overlapping_sessions_in_one_room_take_two_lanes_and_clash() {
        let hall = Uuid::new_v4();
        let other = Uuid::new_v4();
        let a = session(Some(hall), (9, 0), (10, 0), vec![]);
        let b = session(Some(hall), (9, 30), (10, 30), vec![]);
        let c = session(Some(other), (9, 0), (10, 0), vec![]);
        let day = plan(
            &[a.clone(), b.clone(), c.clone()],
            &[hall, other],
            chrono_tz::Asia::Ashgabat,
        );
        assert_eq!(day.columns.len(), 3);
        assert!(day.clashing.contains(&a.id) && day.clashing.contains(&b.id));
        assert!(!day.clashing.contains(&c.id));
        let placed_a = day.placed.iter().find(|p| p.id == a.id).unwrap();
        assert_eq!(placed_a.slots, 4);
        assert_eq!(placed_a.first_slot, 4); // 08:00 + 4 × 15 min
    }

    #[test]
    fn a_shared_speaker_clashes_across_rooms_unless_cancelled() {
        let speaker = Uuid::new_v4();
        let a = session(Some(Uuid::new_v4()), (9, 0), (10, 0), vec![speaker]);
        let mut b = session(Some(Uuid::new_v4()), (9, 45), (11, 0), vec![speaker]);
        assert_eq!(clashing(&[a.clone(), b.clone()]).len(), 2);
        b.cancelled = true;
        assert!(clashing(&[a, b]).is_empty());
    }

    #[test]
    fn back_to_back_sessions_do_not_clash() {
        let hall = Uuid::new_v4();
        let a = session(Some(hall), (9, 0), (10, 0), vec![]);
        let b = session(Some(hall), (10, 0), (11, 0), vec![]);
        let day = plan(&[a, b], &[hall], chrono_tz::Asia::Ashgabat);
        assert!(day.clashing.is_empty());
        assert_eq!(day.columns.len(), 1);
    }
}
