//! iCalendar (RFC 5545) rendering of sessions: the calendar's properties, one VEVENT per
//! session, text escaping (via `ics::escape_text`), quoted parameters, and line folding at 75
//! octets that never splits a UTF-8 character (continuation lines count their leading space,
//! which `ics`'s own folding does not). Times are written in UTC (`…Z`), so no VTIMEZONE is
//! needed and every client places sessions at the right instant, daylight saving or not.
//! Output depends only on the data (DTSTAMP is the session's last change), so it is
//! byte-stable while nothing changes.

use chrono::{DateTime, Utc};
use uuid::Uuid;

/// Longest physical line, in octets, excluding CRLF (RFC 5545 §3.1).
pub const MAX_LINE_OCTETS: usize = 75;

/// The calendar as a whole.
pub struct CalendarMeta<'a> {
    /// Shown by clients as the calendar's name.
    pub name: &'a str,
    pub description: Option<&'a str>,
    /// How often clients should poll, in minutes.
    pub refresh_minutes: u32,
}

/// Whether a VEVENT is on, tentative or off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventStatus {
    Confirmed,
    Tentative,
    Cancelled,
}

impl EventStatus {
    fn as_str(self) -> &'static str {
        match self {
            EventStatus::Confirmed => "CONFIRMED",
            EventStatus::Tentative => "TENTATIVE",
            EventStatus::Cancelled => "CANCELLED",
        }
    }
}

/// One session as a calendar entry.
pub struct CalendarEvent {
    pub session_id: Uuid,
    pub title: String,
    pub description: String,
    pub location: Option<String>,
    pub categories: Vec<String>,
    pub url: Option<String>,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub sequence: i32,
    /// The last change a calendar user would care about: DTSTAMP and LAST-MODIFIED.
    pub modified_at: DateTime<Utc>,
    pub status: EventStatus,
}

/// The product identifier of every feed.
pub const PRODID: &str = "-//Dialogue//Dialogue Event Calendar 1.0//EN";

/// Renders a VCALENDAR with `METHOD:PUBLISH`; `uid_host` makes UIDs globally unique.
pub fn render(meta: &CalendarMeta<'_>, uid_host: &str, events: &[CalendarEvent]) -> String {
    let mut out = String::with_capacity(1024 + events.len() * 900);
    line(&mut out, "BEGIN:VCALENDAR");
    line(&mut out, "VERSION:2.0");
    line(&mut out, &format!("PRODID:{PRODID}"));
    line(&mut out, "CALSCALE:GREGORIAN");
    line(&mut out, "METHOD:PUBLISH");
    line(&mut out, &format!("NAME:{}", text(meta.name)));
    line(&mut out, &format!("X-WR-CALNAME:{}", text(meta.name)));
    if let Some(description) = meta.description {
        line(&mut out, &format!("X-WR-CALDESC:{}", text(description)));
    }
    line(
        &mut out,
        &format!(
            "REFRESH-INTERVAL;VALUE=DURATION:PT{}M",
            meta.refresh_minutes
        ),
    );
    line(
        &mut out,
        &format!("X-PUBLISHED-TTL:PT{}M", meta.refresh_minutes),
    );
    for event in events {
        vevent(&mut out, uid_host, event);
    }
    line(&mut out, "END:VCALENDAR");
    out
}

fn vevent(out: &mut String, uid_host: &str, event: &CalendarEvent) {
    line(out, "BEGIN:VEVENT");
    line(out, &format!("UID:{}@{}", event.session_id, text(uid_host)));
    line(out, &format!("DTSTAMP:{}", utc(event.modified_at)));
    line(out, &format!("DTSTART:{}", utc(event.starts_at)));
    line(out, &format!("DTEND:{}", utc(event.ends_at)));
    line(out, &format!("SUMMARY:{}", text(&event.title)));
    if !event.description.is_empty() {
        line(out, &format!("DESCRIPTION:{}", text(&event.description)));
    }
    if let Some(location) = &event.location {
        line(out, &format!("LOCATION:{}", text(location)));
    }
    if !event.categories.is_empty() {
        let categories: Vec<String> = event.categories.iter().map(|c| text(c)).collect();
        line(out, &format!("CATEGORIES:{}", categories.join(",")));
    }
    if let Some(url) = &event.url {
        line(out, &format!("URL;VALUE=URI:{url}"));
    }
    line(out, &format!("SEQUENCE:{}", event.sequence.max(0)));
    line(out, &format!("LAST-MODIFIED:{}", utc(event.modified_at)));
    line(out, &format!("STATUS:{}", event.status.as_str()));
    line(out, "END:VEVENT");
}

/// A UTC date-time in the basic format RFC 5545 asks for.
pub fn utc(at: DateTime<Utc>) -> String {
    at.format("%Y%m%dT%H%M%SZ").to_string()
}

/// Escapes a TEXT value: backslash, comma, semicolon and newlines.
pub fn text(value: &str) -> String {
    let cleaned: String = value
        .chars()
        .filter(|c| !c.is_control() || *c == '\n')
        .collect();
    ics::escape_text(cleaned).into_owned()
}

/// A parameter value, quoted when it holds `:`, `;` or `,` (double quotes cannot be quoted,
/// so they are dropped).
pub fn param_value(value: &str) -> String {
    let cleaned: String = value
        .chars()
        .filter(|c| *c != '"' && !c.is_control())
        .collect();
    if cleaned.contains([':', ';', ',']) {
        format!("\"{cleaned}\"")
    } else {
        cleaned
    }
}

/// Appends a content line, folded so that no physical line exceeds 75 octets (a continuation
/// line's leading space included) and no UTF-8 character is split, ending with CRLF.
fn line(out: &mut String, content: &str) {
    let mut rest = content;
    let mut limit = MAX_LINE_OCTETS;
    loop {
        if rest.len() <= limit {
            out.push_str(rest);
            out.push_str("\r\n");
            return;
        }
        let mut cut = limit;
        while !rest.is_char_boundary(cut) {
            cut -= 1;
        }
        out.push_str(&rest[..cut]);
        out.push_str("\r\n ");
        rest = &rest[cut..];
        limit = MAX_LINE_OCTETS - 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_respects_octets_and_characters() {
        let mut out = String::new();
        let long = format!(
            "DESCRIPTION:{}",
            "Sanly hyzmatlaryň elýeterliligi; Цифровые услуги, ".repeat(20)
        );
        line(&mut out, &long);
        for physical in out.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(
                physical.len() <= MAX_LINE_OCTETS,
                "{} octets",
                physical.len()
            );
        }
        let unfolded = out.trim_end_matches("\r\n").replace("\r\n ", "");
        assert_eq!(unfolded, long);
    }

    #[test]
    fn text_and_parameters_are_escaped() {
        assert_eq!(text("a,b;c\\d\ne"), "a\\,b\\;c\\\\d\\ne");
        assert_eq!(param_value("Hall A: East"), "\"Hall A: East\"");
        assert_eq!(param_value("Hall A"), "Hall A");
    }
}
