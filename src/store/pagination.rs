//! Keyset pagination: an opaque cursor names the last item of a page; the next page starts
//! strictly after it. Ids are UUIDv7, so id order is creation order.

use chrono::{DateTime, Utc};
use uuid::Uuid;

/// Where a page starts: after this sort key and id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum After {
    /// Lists ordered by id alone.
    Id(Uuid),
    /// Lists ordered by start time, then id.
    Time(DateTime<Utc>, Uuid),
}

/// A page size from `?limit=`: default 50, at most 500.
pub fn page_size(limit: Option<u32>) -> Result<u64, String> {
    match limit {
        None => Ok(50),
        Some(n @ 1..=500) => Ok(n as u64),
        Some(_) => Err("must be between 1 and 500".into()),
    }
}

/// The cursor text for a position.
pub fn encode(after: After) -> String {
    let raw = match after {
        After::Id(id) => format!("i.{}", id.simple()),
        After::Time(at, id) => format!("t.{}.{}", at.timestamp_micros(), id.simple()),
    };
    data_encoding::BASE64URL_NOPAD.encode(raw.as_bytes())
}

/// Reads a cursor made by [`encode`].
pub fn decode(cursor: &str) -> Result<After, String> {
    let invalid = || "is not a cursor returned by this list".to_owned();
    let bytes = data_encoding::BASE64URL_NOPAD
        .decode(cursor.as_bytes())
        .map_err(|_| invalid())?;
    let text = String::from_utf8(bytes).map_err(|_| invalid())?;
    let parts: Vec<&str> = text.split('.').collect();
    match parts.as_slice() {
        ["i", id] => Uuid::parse_str(id).map(After::Id).map_err(|_| invalid()),
        ["t", micros, id] => {
            let micros: i64 = micros.parse().map_err(|_| invalid())?;
            let at = DateTime::from_timestamp_micros(micros).ok_or_else(invalid)?;
            let id = Uuid::parse_str(id).map_err(|_| invalid())?;
            Ok(After::Time(at, id))
        }
        _ => Err(invalid()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_reject_garbage() {
        let id = Uuid::now_v7();
        let at = DateTime::from_timestamp_micros(1_700_000_000_123_456).unwrap();
        assert_eq!(decode(&encode(After::Id(id))), Ok(After::Id(id)));
        assert_eq!(
            decode(&encode(After::Time(at, id))),
            Ok(After::Time(at, id))
        );
        assert!(decode("nonsense!").is_err());
        assert!(page_size(Some(501)).is_err());
        assert_eq!(page_size(None), Ok(50));
    }
}
