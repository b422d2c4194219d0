//! Grouping of sessions into the local days of an event's time zone.

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;

/// Groups items (already sorted by start) by the local date of their start instant.
/// A session at 23:30 local time lands on its local day, whatever its UTC date.
pub fn group_by_local_day<T>(
    items: Vec<T>,
    tz: Tz,
    starts_at: impl Fn(&T) -> DateTime<Utc>,
) -> Vec<(NaiveDate, Vec<T>)> {
    let mut days: Vec<(NaiveDate, Vec<T>)> = Vec::new();
    for item in items {
        let day = local_date(starts_at(&item), tz);
        match days.last_mut() {
            Some((last, group)) if *last == day => group.push(item),
            _ => days.push((day, vec![item])),
        }
    }
    days
}

/// The local date of an instant in a zone.
pub fn local_date(instant: DateTime<Utc>, tz: Tz) -> NaiveDate {
    instant.with_timezone(&tz).date_naive()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn late_evening_session_stays_on_its_local_day() {
        // 23:30 in Ashgabat (UTC+5) is 18:30 UTC the same day; 00:30 is 19:30 UTC the day before.
        let late = Utc.with_ymd_and_hms(2026, 11, 18, 18, 30, 0).unwrap();
        let after_midnight = Utc.with_ymd_and_hms(2026, 11, 18, 19, 30, 0).unwrap();
        let days = group_by_local_day(vec![late, after_midnight], chrono_tz::Asia::Ashgabat, |t| {
            *t
        });
        assert_eq!(days.len(), 2);
        assert_eq!(days[0].0.to_string(), "2026-11-18");
        assert_eq!(days[1].0.to_string(), "2026-11-19");
    }
}
