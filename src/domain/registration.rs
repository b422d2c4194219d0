//! Registration rules: what a valid registration request is, when registration is open,
//! which chosen sessions clash, and what status a new registration starts in.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::enums::{Category, EventStatus, RegistrationMode, RegistrationStatus};
use super::session::overlaps;
use super::validation::{MEDIUM_TEXT, SHORT_TEXT, ValidationErrors};
use super::values::{Email, Language};

/// The most sessions one registration may choose.
pub const MAX_CHOICES: usize = 50;

/// A delegate's registration request, as typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegistrationRequest {
    pub full_name: String,
    pub email: String,
    pub organization: Option<String>,
    pub position: Option<String>,
    pub country: Option<String>,
    pub category: Category,
    pub session_ids: Vec<Uuid>,
    pub locale: String,
    pub consent: bool,
}

/// A registration request that passed its own rules: its e-mail address and language parsed
/// once, its name trimmed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidRegistration {
    pub full_name: String,
    pub email: Email,
    pub organization: Option<String>,
    pub position: Option<String>,
    pub country: Option<String>,
    pub category: Category,
    pub session_ids: Vec<Uuid>,
    pub locale: Language,
}

impl RegistrationRequest {
    /// Checks the request's own rules (not those that need the event or its sessions): every
    /// offending field at once, or the request with its values parsed.
    pub fn validate(&self) -> Result<ValidRegistration, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        errors.shown_line("full_name", Some(&self.full_name), SHORT_TEXT, true);
        let email = Email::parse(&self.email).map_err(|message| errors.add("email", message));
        errors.shown_line(
            "organization",
            self.organization.as_deref(),
            MEDIUM_TEXT,
            false,
        );
        errors.shown_line("position", self.position.as_deref(), MEDIUM_TEXT, false);
        let country = super::country::parse(self.country.as_deref())
            .map_err(|message| errors.add("country", message));
        let locale = Language::parse(&self.locale).map_err(|message| errors.add("locale", message));
        if !self.consent {
            errors.add(
                "consent",
                "must be true: the delegate agrees that the organizers process these data",
            );
        }
        check_choices(&mut errors, &self.session_ids);
        match (email, locale, country) {
            (Ok(email), Ok(locale), Ok(country)) if errors.is_empty() => Ok(ValidRegistration {
                full_name: self.full_name.trim().to_owned(),
                email,
                organization: trimmed(self.organization.as_deref()),
                position: trimmed(self.position.as_deref()),
                country: country.map(str::to_owned),
                category: self.category,
                session_ids: self.session_ids.clone(),
                locale,
            }),
            _ => Err(errors),
        }
    }
}

/// An optional text as it is stored: without surrounding white space, none when blank.
fn trimmed(text: Option<&str>) -> Option<String> {
    text.map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
}

/// Checks a list of chosen sessions: bounded, no repeats.
pub fn check_choices(errors: &mut ValidationErrors, session_ids: &[Uuid]) {
    if session_ids.len() > MAX_CHOICES {
        errors.add("session_ids", format!("at most {MAX_CHOICES} sessions"));
    }
    let mut seen = std::collections::HashSet::new();
    if !session_ids.iter().all(|id| seen.insert(*id)) {
        errors.add("session_ids", "must not list a session twice");
    }
}

/// E-mail addresses are compared case-insensitively and without surrounding spaces.
pub fn normalize_email(email: &str) -> String {
    email.trim().to_lowercase()
}

/// Why registration is not possible now.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RegistrationClosed {
    #[error("the event is cancelled")]
    EventCancelled,
    #[error("the event is not open for registration")]
    EventNotPublished,
    #[error("registration for this event is closed")]
    ModeClosed,
    #[error("registration opens at {0}")]
    NotYetOpen(DateTime<Utc>),
    #[error("registration closed at {0}")]
    AlreadyClosed(DateTime<Utc>),
}

/// Whether an event accepts registrations at `now`.
pub fn check_open(
    status: EventStatus,
    mode: RegistrationMode,
    opens_at: Option<DateTime<Utc>>,
    closes_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Result<(), RegistrationClosed> {
    match status {
        EventStatus::Cancelled => return Err(RegistrationClosed::EventCancelled),
        EventStatus::Draft => return Err(RegistrationClosed::EventNotPublished),
        EventStatus::Published => {}
    }
    if mode == RegistrationMode::Closed {
        return Err(RegistrationClosed::ModeClosed);
    }
    if let Some(opens) = opens_at
        && now < opens
    {
        return Err(RegistrationClosed::NotYetOpen(opens));
    }
    if let Some(closes) = closes_at
        && now >= closes
    {
        return Err(RegistrationClosed::AlreadyClosed(closes));
    }
    Ok(())
}

/// A chosen session as overlap checking sees it.
#[derive(Debug, Clone)]
pub struct Choice {
    pub id: Uuid,
    pub title: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
}

/// The first pair of chosen sessions that overlap in time, if any.
pub fn overlapping_pair(choices: &[Choice]) -> Option<(&Choice, &Choice)> {
    for (i, a) in choices.iter().enumerate() {
        for b in &choices[i + 1..] {
            if overlaps((a.starts_at, a.ends_at), (b.starts_at, b.ends_at)) {
                return Some((a, b));
            }
        }
    }
    None
}

/// The status a new registration asks for before seats are counted: accreditation first
/// under `approval`, otherwise a seat.
pub fn initial_status(mode: RegistrationMode) -> RegistrationStatus {
    match mode {
        RegistrationMode::Approval => RegistrationStatus::Pending,
        RegistrationMode::Open | RegistrationMode::Closed => RegistrationStatus::Confirmed,
    }
}

/// The event's seats as read under its lock, counted down as a group of registrations takes
/// them in arrival order; the group writes `taken_now` back once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EventSeats {
    capacity: Option<i32>,
    taken: i32,
    taken_now: i32,
}

impl EventSeats {
    /// The seats of an event with `capacity` (none: unlimited) of which `taken` are taken.
    pub fn new(capacity: Option<i32>, taken: i32) -> Self {
        EventSeats {
            capacity,
            taken,
            taken_now: 0,
        }
    }

    /// Takes a seat if one is free: `false` when the event is full.
    pub fn take(&mut self) -> bool {
        let free = match self.capacity {
            None => true,
            Some(capacity) => self.taken + self.taken_now < capacity,
        };
        if free {
            self.taken_now += 1;
        }
        free
    }

    /// How many seats this group took.
    pub fn taken_now(&self) -> i32 {
        self.taken_now
    }
}

/// Why an organizer's decision on a registration is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a {from} registration cannot be {action}")]
pub struct DecisionRefused {
    pub from: RegistrationStatus,
    pub action: &'static str,
}

/// Only pending registrations can be approved.
pub fn can_approve(from: RegistrationStatus) -> Result<(), DecisionRefused> {
    match from {
        RegistrationStatus::Pending => Ok(()),
        _ => Err(DecisionRefused {
            from,
            action: "approved",
        }),
    }
}

/// Pending, waitlisted and confirmed registrations can be rejected.
pub fn can_reject(from: RegistrationStatus) -> Result<(), DecisionRefused> {
    match from {
        RegistrationStatus::Pending
        | RegistrationStatus::Waitlisted
        | RegistrationStatus::Confirmed => Ok(()),
        _ => Err(DecisionRefused {
            from,
            action: "rejected",
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn request() -> RegistrationRequest {
        RegistrationRequest {
            full_name: "Aýgül Berdiýewa".into(),
            email: "Aygul@Example.TM".into(),
            organization: None,
            position: None,
            country: None,
            category: Category::Delegate,
            session_ids: vec![],
            locale: "tk".into(),
            consent: true,
        }
    }

    #[test]
    fn consent_is_required() {
        let mut r = request();
        assert!(r.validate().is_ok());
        r.consent = false;
        assert_eq!(r.validate().unwrap_err().errors[0].field, "consent");
    }

    #[test]
    fn a_group_takes_the_free_seats_in_order_and_no_more() {
        let mut seats = EventSeats::new(Some(3), 1);
        assert_eq!(
            (0..4).map(|_| seats.take()).collect::<Vec<_>>(),
            [true, true, false, false]
        );
        assert_eq!(seats.taken_now(), 2);
        let mut unlimited = EventSeats::new(None, 500);
        assert!((0..10).all(|_| unlimited.take()));
        assert_eq!(unlimited.taken_now(), 10);
    }

    #[test]
    fn emails_compare_case_insensitively() {
        assert_eq!(normalize_email(" Aygul@Example.TM "), "aygul@example.tm");
    }

    #[test]
    fn window_and_mode_close_registration() {
        let t = |h| Utc.with_ymd_and_hms(2026, 11, 1, h, 0, 0).unwrap();
        let open =
            |mode, opens, closes, now| check_open(EventStatus::Published, mode, opens, closes, now);
        assert!(open(RegistrationMode::Open, Some(t(8)), Some(t(10)), t(9)).is_ok());
        assert!(open(RegistrationMode::Open, Some(t(8)), None, t(7)).is_err());
        assert!(open(RegistrationMode::Open, None, Some(t(10)), t(10)).is_err());
        assert!(open(RegistrationMode::Closed, None, None, t(9)).is_err());
        assert_eq!(
            check_open(
                EventStatus::Cancelled,
                RegistrationMode::Open,
                None,
                None,
                t(9)
            ),
            Err(RegistrationClosed::EventCancelled)
        );
    }

    #[test]
    fn overlapping_choices_are_named() {
        let t = |h| Utc.with_ymd_and_hms(2026, 11, 18, h, 0, 0).unwrap();
        let c = |title: &str, s, e| Choice {
            id: Uuid::now_v7(),
            title: title.into(),
            starts_at: t(s),
            ends_at: t(e),
        };
        let choices = [c("A", 5, 6), c("B", 6, 7), c("C", 6, 8)];
        let (a, b) = overlapping_pair(&choices).unwrap();
        assert_eq!((a.title.as_str(), b.title.as_str()), ("B", "C"));
    }
}
