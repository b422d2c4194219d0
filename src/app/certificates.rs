//! Use cases of certificates of attendance: an event's rules, who qualifies from the
//! check-ins (and by how much another misses the bar), issuing (to everyone who qualifies, or
//! to named delegates with an override reason), revoking, verifying a code, the PDFs, and the
//! counts a programme reports.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use bytes::Bytes;
use chrono::Utc;
use serde_json::json;
use uuid::Uuid;

use entities::{certificate_rules, certificates, events, sessions};

use super::events::visible;
use super::principal::Audience;
use super::work::Work;
use crate::application::AppState;
use crate::domain::certificate::{
    self as rules_of, CountedSession, DEFAULT_MIN_SHARE, Measure, Presence, Standing,
};
use crate::domain::enums::{RegistrationStatus, SessionStatus};
use crate::domain::event::parse_timezone;
use crate::domain::validation::ValidationErrors;
use crate::error::AppError;
use crate::pdf_cache::Fingerprint;
use crate::store;
use crate::store::keys::Keyring;
use crate::store::registrations::{RegistrationFilter, RegistrationRow};
use crate::store::sessions::SessionFilter;

/// The most partner organizations a certificate names.
pub const MAX_PARTNERS: usize = 8;
/// The longest override or revocation reason.
pub const MAX_REASON: usize = 500;

/// What earns the certificate of an event.
#[derive(Debug, Clone, PartialEq)]
pub struct Rules {
    /// The sessions that count; `None`: the training and workshop sessions.
    pub session_ids: Option<Vec<Uuid>>,
    /// 0–1.
    pub min_share: f64,
    /// Hours credited per session; a session not named: its length.
    pub hours: BTreeMap<Uuid, f64>,
    pub measure: Measure,
    /// Named on the certificate.
    pub partners: Vec<String>,
}

impl Default for Rules {
    fn default() -> Self {
        Rules {
            session_ids: None,
            min_share: DEFAULT_MIN_SHARE,
            hours: BTreeMap::new(),
            measure: Measure::Auto,
            partners: Vec::new(),
        }
    }
}

impl Rules {
    fn of(row: Option<&certificate_rules::Model>) -> Rules {
        let Some(row) = row else {
            return Rules::default();
        };
        Rules {
            session_ids: row
                .session_ids
                .as_ref()
                .and_then(|ids| serde_json::from_value(ids.clone()).ok()),
            min_share: row.min_share,
            hours: serde_json::from_value(row.hours.clone()).unwrap_or_default(),
            measure: Measure::parse(&row.attendance).unwrap_or(Measure::Auto),
            partners: row
                .partners
                .as_deref()
                .map(|p| p.lines().map(str::to_owned).collect())
                .unwrap_or_default(),
        }
    }

    fn validate(&self, event_sessions: &HashSet<Uuid>) -> Result<(), ValidationErrors> {
        let mut errors = ValidationErrors::new();
        if !(0.0..=1.0).contains(&self.min_share) || self.min_share.is_nan() {
            errors.add("min_share", "must be between 0 and 1");
        }
        if let Some(ids) = &self.session_ids
            && ids.iter().any(|id| !event_sessions.contains(id))
        {
            errors.add("session_ids", "must be sessions of this event");
        }
        for (id, hours) in &self.hours {
            if !event_sessions.contains(id) {
                errors.add("hours", "must name sessions of this event");
                break;
            }
            if !(0.0..=24.0).contains(hours) || hours.is_nan() {
                errors.add("hours", "must be between 0 and 24 per session");
                break;
            }
        }
        if self.partners.len() > MAX_PARTNERS {
            errors.add("partners", format!("at most {MAX_PARTNERS} organizations"));
        }
        if self
            .partners
            .iter()
            .any(|p| p.trim().is_empty() || p.chars().count() > 200 || p.contains('\n'))
        {
            errors.add("partners", "each a name of 1 to 200 characters on one line");
        }
        errors.into_result(())
    }
}

/// A confirmed registration measured against the rules.
#[derive(Debug, Clone)]
pub struct Eligibility {
    pub registration: RegistrationRow,
    pub standing: Standing,
    /// Its certificate, if one was issued.
    pub certificate: Option<certificates::Model>,
}

/// An event's rules.
pub async fn rules(state: &AppState, event: &str) -> Result<(events::Model, Rules), AppError> {
    let event = visible(state, event, Audience::Organizers).await?;
    let row = store::certificates::rules(&state.db, event.id).await?;
    Ok((event, Rules::of(row.as_ref())))
}

/// Saves an event's rules.
pub async fn save_rules(
    state: &AppState,
    event: &str,
    rules: Rules,
) -> Result<(events::Model, Rules), AppError> {
    let event = visible(state, event, Audience::Organizers).await?;
    let all = store::sessions::all(&state.db, event.id, &SessionFilter::default()).await?;
    let ids: HashSet<Uuid> = all.iter().map(|r| r.session.id).collect();
    rules.validate(&ids)?;
    let partners: Vec<String> = rules.partners.iter().map(|p| p.trim().to_owned()).collect();
    store::certificates::save_rules(
        &state.writer,
        certificate_rules::Model {
            event_id: event.id,
            session_ids: rules.session_ids.as_ref().map(|ids| json!(ids)),
            min_share: rules.min_share,
            hours: json!(rules.hours),
            attendance: rules.measure.as_str().to_owned(),
            partners: (!partners.is_empty()).then(|| partners.join("\n")),
            updated_at: Utc::now(),
        },
    )
    .await?;
    Ok((event, Rules { partners, ..rules }))
}

/// The sessions that count under `rules`, with the minutes each credits (published ones:
/// a cancelled session counts for nobody).
pub async fn counted_sessions(
    state: &AppState,
    event: &events::Model,
    rules: &Rules,
) -> Result<Vec<(sessions::Model, CountedSession)>, AppError> {
    let filter = SessionFilter {
        statuses: vec![SessionStatus::Published],
        ..Default::default()
    };
    let rows = store::sessions::all(&state.db, event.id, &filter).await?;
    Ok(rows
        .into_iter()
        .map(|row| row.session)
        .filter(|s| match &rules.session_ids {
            Some(ids) => ids.contains(&s.id),
            None => rules_of::counts_by_default(s.kind),
        })
        .map(|s| {
            let minutes = match rules.hours.get(&s.id) {
                Some(hours) => (hours * 60.0).round() as i32,
                None => (s.ends_at - s.starts_at).num_minutes() as i32,
            };
            let counted = CountedSession {
                id: s.id,
                starts_at: s.starts_at,
                ends_at: s.ends_at,
                minutes,
            };
            (s, counted)
        })
        .collect())
}

/// Every confirmed registration of the event against its rules, in registration order.
pub async fn eligibility(
    state: &AppState,
    event: &str,
) -> Result<(events::Model, Rules, Vec<Eligibility>), AppError> {
    let (event, rules) = rules(state, event).await?;
    let list = measure(state, &event, &rules).await?;
    Ok((event, rules, list))
}

async fn measure(
    state: &AppState,
    event: &events::Model,
    rules: &Rules,
) -> Result<Vec<Eligibility>, AppError> {
    let tz = parse_timezone(&event.timezone).map_err(AppError::unexpected)?;
    let counted: Vec<CountedSession> = counted_sessions(state, event, rules)
        .await?
        .into_iter()
        .map(|(_, c)| c)
        .collect();
    let presence: Presence = store::certificates::presence_of_event(&state.db, event.id).await?;
    let filter = RegistrationFilter {
        status: Some(RegistrationStatus::Confirmed),
        ..Default::default()
    };
    let rows = store::registrations::list(&state.db, event.id, &filter, None, None).await?;
    let mut issued: HashMap<Uuid, certificates::Model> =
        store::certificates::of_event(&state.db, event.id)
            .await?
            .into_iter()
            .map(|c| (c.registration_id, c))
            .collect();
    Ok(rows
        .into_iter()
        .map(|row| {
            let id = row.registration.id;
            Eligibility {
                standing: rules_of::standing(
                    id,
                    &counted,
                    rules.min_share,
                    rules.measure,
                    &presence,
                    tz,
                ),
                certificate: issued.remove(&id),
                registration: row,
            }
        })
        .collect())
}

/// Whom to issue certificates to.
#[derive(Debug, Clone, Default)]
pub struct IssueRequest {
    /// `None`: everyone who qualifies and has none yet.
    pub registration_ids: Option<Vec<Uuid>>,
    /// Needed to issue to a named delegate who misses the bar; kept on the certificate.
    pub override_reason: Option<String>,
}

/// Issues certificates; answers those issued now (issuing twice issues nothing new).
pub async fn issue(
    state: &AppState,
    event: &str,
    request: IssueRequest,
) -> Result<(events::Model, Vec<certificates::Model>), AppError> {
    let (event, _, list) = eligibility(state, event).await?;
    let reason = request
        .override_reason
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty());
    if reason.is_some_and(|r| r.chars().count() > MAX_REASON) {
        return Err(ValidationErrors::single(
            "override_reason",
            format!("at most {MAX_REASON} characters"),
        )
        .into());
    }
    let chosen: Vec<&Eligibility> = match &request.registration_ids {
        None => list
            .iter()
            .filter(|e| e.certificate.is_none() && e.standing.qualifies())
            .collect(),
        Some(ids) => {
            let by_id: HashMap<Uuid, &Eligibility> = list
                .iter()
                .map(|e| (e.registration.registration.id, e))
                .collect();
            let mut chosen = Vec::new();
            for id in ids {
                let Some(found) = by_id.get(id) else {
                    return Err(ValidationErrors::single(
                        "registration_ids",
                        format!("{id} is not a confirmed registration of this event"),
                    )
                    .into());
                };
                if !found.standing.qualifies() && reason.is_none() {
                    return Err(ValidationErrors::single(
                        "override_reason",
                        format!(
                            "{id} misses the bar by {} session(s): give a reason to issue anyway",
                            found.standing.missing()
                        ),
                    )
                    .into());
                }
                if found.certificate.is_none() {
                    chosen.push(*found);
                }
            }
            chosen
        }
    };
    if chosen.is_empty() {
        return Ok((event, Vec::new()));
    }
    let keys = keyring(state).await?;
    let year = event.starts_on.format("%Y").to_string();
    let prefix = number_prefix(&event.slug);
    let work = Work::begin(&state.writer).await?;
    store::certificates::lock_event(work.db(), event.id).await?;
    let mut seq = store::certificates::next_seq(work.db(), event.id).await?;
    let mut issued = Vec::new();
    let mut happened = Vec::new();
    let now = Utc::now();
    for e in chosen {
        let id = Uuid::now_v7();
        let minutes = e.standing.minutes.clamp(0, i32::from(u16::MAX));
        let overridden = !e.standing.qualifies();
        let row = certificates::Model {
            id,
            event_id: event.id,
            registration_id: e.registration.registration.id,
            seq,
            number: format!("{prefix}-{year}-{seq:04}"),
            minutes,
            sessions: json!(e.standing.attended),
            code: rules_of::issue_code(&keys.active, keys.active_kid, event.id, id, minutes as u16),
            language: e.registration.registration.locale.clone(),
            override_reason: overridden.then(|| reason.unwrap_or_default().to_owned()),
            issued_at: now,
            revoked_at: None,
            revoke_reason: None,
        };
        if store::certificates::insert(work.db(), row.clone()).await? {
            if overridden {
                tracing::info!(
                    certificate = %row.number,
                    registration = %row.registration_id,
                    "certificate issued by override"
                );
            }
            happened.push(crate::domain::happened::Happened::CertificateIssued {
                registration: row.registration_id,
            });
            issued.push(row);
            seq += 1;
        }
    }
    // The e-mails with the certificate attached are written in the same transaction.
    work.commit(event.id, &happened).await?;
    Ok((event, issued))
}

/// `DIALOGUE` from `dialogue-2026`: the letters of the slug's first word, upper case.
fn number_prefix(slug: &str) -> String {
    let word: String = slug
        .split(['-', '_'])
        .next()
        .unwrap_or("C")
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .take(12)
        .collect();
    if word.is_empty() {
        "C".into()
    } else {
        word.to_ascii_uppercase()
    }
}

/// The certificates of an event, in number order.
pub async fn list(
    state: &AppState,
    event: &str,
) -> Result<(events::Model, Vec<certificates::Model>), AppError> {
    let event = visible(state, event, Audience::Organizers).await?;
    let rows = store::certificates::of_event(&state.db, event.id).await?;
    Ok((event, rows))
}

/// Revokes a certificate by its number; it then verifies as revoked.
pub async fn revoke(
    state: &AppState,
    event: &str,
    number: &str,
    reason: Option<&str>,
) -> Result<certificates::Model, AppError> {
    let event = visible(state, event, Audience::Organizers).await?;
    let reason = reason.map(str::trim).unwrap_or_default();
    if reason.chars().count() > MAX_REASON {
        return Err(
            ValidationErrors::single("reason", format!("at most {MAX_REASON} characters")).into(),
        );
    }
    let row = store::certificates::by_number(&state.db, event.id, number)
        .await?
        .ok_or(AppError::NotFound("certificate"))?;
    store::certificates::revoke(&state.writer, row.id, reason, Utc::now()).await?;
    store::certificates::find(&state.db, row.id)
        .await?
        .ok_or(AppError::NotFound("certificate"))
}

/// What a verification says: only the holder's name, the event, its dates and the hours.
#[derive(Debug, Clone)]
pub struct Verified {
    pub revoked: bool,
    /// The holder's personal data was erased (the certificate was revoked with it).
    pub erased: bool,
    pub full_name: String,
    pub event: events::Model,
    pub minutes: i32,
    pub number: String,
}

/// Checks a verification code: genuine (signed by a certificate key, naming a certificate
/// that was issued with exactly this code), and whether it was revoked.
pub async fn verify(state: &AppState, code: &str) -> Result<Verified, AppError> {
    let keys = keyring(state).await?;
    let claims = rules_of::verify_code(code, |kid| keys.public.get(&kid).copied())
        .map_err(|_| AppError::NotFound("certificate"))?;
    let row = store::certificates::find(&state.db, claims.certificate_id)
        .await?
        .filter(|row| row.code == code.trim())
        .ok_or(AppError::NotFound("certificate"))?;
    let registration = store::registrations::find(&state.db, row.registration_id)
        .await?
        .ok_or(AppError::NotFound("certificate"))?;
    let event = store::events::find(&state.db, &row.event_id.to_string())
        .await?
        .ok_or(AppError::NotFound("certificate"))?;
    Ok(Verified {
        revoked: row.revoked_at.is_some(),
        erased: registration.registration.erased_at.is_some(),
        full_name: registration.registration.full_name,
        event,
        minutes: row.minutes,
        number: row.number,
    })
}

/// The public keys that sign certificates, by key id (hex), for offline verification.
pub async fn public_keys(state: &AppState) -> Result<BTreeMap<u8, String>, AppError> {
    let keys = keyring(state).await?;
    Ok(keys
        .public
        .iter()
        .map(|(kid, key)| (*kid, hex::encode(key.to_bytes())))
        .collect())
}

/// The certificate keyring, loaded once per instance (created on first use).
pub async fn keyring(state: &AppState) -> Result<Arc<Keyring>, AppError> {
    state
        .certificate_keys
        .get_or_try_init(|| async {
            store::certificates::keyring(&state.writer, &state.master_key)
                .await
                .map(Arc::new)
        })
        .await
        .cloned()
}

/// Counts a programme reports, overall and per group.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Counts {
    pub registered: u64,
    pub attended: u64,
    pub certified: u64,
    pub minutes: i64,
}

/// The numbers of an event: overall, by organization and by category.
#[derive(Debug, Clone)]
pub struct Stats {
    pub total: Counts,
    pub by_organization: BTreeMap<String, Counts>,
    pub by_category: BTreeMap<String, Counts>,
}

/// Registered (confirmed), attended (admitted anywhere at least once), certified (not
/// revoked) and the hours those certificates credit.
pub async fn stats(state: &AppState, event: &str) -> Result<(events::Model, Stats), AppError> {
    let event = visible(state, event, Audience::Organizers).await?;
    let presence = store::certificates::presence_of_event(&state.db, event.id).await?;
    let filter = RegistrationFilter {
        status: Some(RegistrationStatus::Confirmed),
        ..Default::default()
    };
    let rows = store::registrations::list(&state.db, event.id, &filter, None, None).await?;
    let certified: HashMap<Uuid, i32> = store::certificates::of_event(&state.db, event.id)
        .await?
        .into_iter()
        .filter(|c| c.revoked_at.is_none())
        .map(|c| (c.registration_id, c.minutes))
        .collect();
    let mut stats = Stats {
        total: Counts::default(),
        by_organization: BTreeMap::new(),
        by_category: BTreeMap::new(),
    };
    for row in rows {
        let r = &row.registration;
        let attended =
            presence.doors.contains_key(&r.id) || presence.venue_days.contains_key(&r.id);
        let minutes = certified.get(&r.id).copied();
        let organization = r
            .organization
            .clone()
            .filter(|o| !o.trim().is_empty())
            .unwrap_or_else(|| "—".into());
        for counts in [
            &mut stats.total,
            stats.by_organization.entry(organization).or_default(),
            stats
                .by_category
                .entry(r.category.as_str().to_owned())
                .or_default(),
        ] {
            counts.registered += 1;
            counts.attended += u64::from(attended);
            counts.certified += u64::from(minutes.is_some());
            counts.minutes += i64::from(minutes.unwrap_or(0));
        }
    }
    Ok((event, stats))
}

/// The certificates as one PDF, each page in its holder's language, kept per version
/// ([`crate::pdf_cache`]) under `owner` (the event, or the registration for one's own):
/// the pages are drawn on every core a few at a time, in the bounded pool.
pub async fn pdf(
    state: &AppState,
    event: &events::Model,
    rows: Vec<certificates::Model>,
    owner: Uuid,
) -> Result<Bytes, AppError> {
    let sessions = store::sessions::all(&state.db, event.id, &SessionFilter::default()).await?;
    let rules_row = store::certificates::rules(&state.db, event.id).await?;
    let ids: Vec<Uuid> = rows.iter().map(|r| r.registration_id).collect();
    // One query for every holder's name, not one per page.
    let names = store::registrations::names_of(&state.db, &ids).await?;
    let public = state.config.public_url.trim_end_matches('/').to_owned();
    let variant = "certificates.pdf";
    let mut version = Fingerprint::default();
    version
        .add(&variant)
        .add(event)
        .add(&rules_row)
        .add(&public);
    for row in &rows {
        version.add(row).add(&names.get(&row.registration_id));
    }
    for row in &sessions {
        version.add(&row.session);
    }
    let version = version.finish();
    let pages = Pages {
        event: event.clone(),
        titles: sessions
            .into_iter()
            .map(|r| (r.session.id, r.session))
            .collect(),
        rules: Rules::of(rules_row.as_ref()),
        public,
        names,
    };
    let draw = || {
        super::print::draw(state, move || {
            crate::print::certificates(
                rows.len(),
                |index| {
                    pages
                        .svg(&rows[index])
                        .map_err(|e| crate::print::PrintError::Page {
                            index,
                            message: e.to_string(),
                        })
                },
                crate::badge::fonts(),
            )
        })
    };
    let (pdf, _) =
        super::print::kept_or_drawn(state, owner, variant.to_owned(), version, draw).await?;
    Ok(pdf)
}

/// What every certificate page of an event is drawn from.
struct Pages {
    event: events::Model,
    titles: HashMap<Uuid, sessions::Model>,
    rules: Rules,
    public: String,
    names: HashMap<Uuid, String>,
}

impl Pages {
    /// One certificate as an SVG page, in its holder's language.
    fn svg(&self, row: &certificates::Model) -> Result<String, AppError> {
        let Pages {
            event,
            titles,
            rules,
            public,
            names,
        } = self;
        let full_name = names
            .get(&row.registration_id)
            .ok_or(AppError::NotFound("registration"))?;
        let language = row.language.as_str();
        let m = crate::i18n::Messages::new(language);
        let texts = |translations, field: &str, plain: &str| {
            crate::domain::language::Texts::new(translations, language)
                .text(field, plain)
                .to_owned()
        };
        let attended: Vec<Uuid> = serde_json::from_value(row.sessions.clone()).unwrap_or_default();
        let topics: Vec<String> = attended
            .iter()
            .filter_map(|id| titles.get(id))
            .map(|s| texts(&s.translations, "title", &s.title))
            .collect();
        let dates = m.date_range(event.starts_on, event.ends_on);
        let place: Vec<String> = [
            event
                .venue
                .as_deref()
                .map(|v| texts(&event.translations, "venue", v)),
            event
                .city
                .as_deref()
                .map(|c| texts(&event.translations, "city", c)),
        ]
        .into_iter()
        .flatten()
        .collect();
        let when_where = if place.is_empty() {
            dates
        } else {
            format!("{dates} · {}", place.join(", "))
        };
        let hours = hours_text(row.minutes, language);
        let verify_url = format!("{public}/verify/{}", row.code);
        let content = crate::certificate::CertificateContent {
            heading: &m.t_with("certificate-heading", &[("kind", event.kind.to_string())]),
            certifies: &m.t("certificate-certifies"),
            full_name,
            attended: &m.t_with("certificate-attended", &[("kind", event.kind.to_string())]),
            event_title: &texts(&event.translations, "title", &event.title),
            when_where: &when_where,
            hours_line: &m.t_with(
                "certificate-hours",
                &[
                    ("hours", hours),
                    ("hours_n", (f64::from(row.minutes) / 60.0).to_string()),
                    ("sessions", attended.len().to_string()),
                ],
            ),
            topics: &topics,
            partners_label: &m.t("certificate-partners"),
            partners: &rules.partners,
            number_line: &m.t_with("certificate-number", &[("number", row.number.clone())]),
            verify_label: &m.t("certificate-verify"),
            verify_url: &verify_url,
        };
        crate::certificate::svg(&content).map_err(|e| AppError::unexpected(e.to_string()))
    }
}

/// Hours from minutes: `28`, or `1.5` (`1,5` in Russian and Turkmen).
pub fn hours_text(minutes: i32, language: &str) -> String {
    let text = if minutes % 60 == 0 {
        (minutes / 60).to_string()
    } else {
        format!("{:.1}", f64::from(minutes) / 60.0)
    };
    if language == "en" {
        text
    } else {
        text.replace('.', ",")
    }
}

/// Every certificate of an event that is not revoked, as one PDF for its organizers.
pub async fn event_pdf(state: &AppState, event: &str) -> Result<Bytes, AppError> {
    let (event, rows) = list(state, event).await?;
    let rows: Vec<certificates::Model> = rows
        .into_iter()
        .filter(|c| c.revoked_at.is_none())
        .collect();
    if rows.is_empty() {
        return Err(AppError::refused(
            "no certificate was issued (or all were revoked)",
        ));
    }
    let owner = event.id;
    pdf(state, &event, rows, owner).await
}

/// A delegate's certificate, if one was issued and not revoked.
pub async fn mine(
    state: &AppState,
    registration_id: Uuid,
) -> Result<Option<certificates::Model>, AppError> {
    Ok(
        store::certificates::of_registration(&state.db, registration_id)
            .await?
            .filter(|c| c.revoked_at.is_none()),
    )
}

/// A delegate's own certificate as a PDF.
pub async fn my_pdf(state: &AppState, registration_id: Uuid) -> Result<Bytes, AppError> {
    let row = store::certificates::of_registration(&state.db, registration_id)
        .await?
        .filter(|c| c.revoked_at.is_none())
        .ok_or_else(|| AppError::refused("no certificate was issued to this registration"))?;
    let event = store::events::find(&state.db, &row.event_id.to_string())
        .await?
        .ok_or(AppError::NotFound("event"))?;
    pdf(state, &event, vec![row], registration_id).await
}

#[cfg(test)]
mod tests {
    use super::number_prefix;

    #[test]
    fn numbers_start_with_the_event() {
        assert_eq!(number_prefix("dialogue-2026"), "DIALOGUE");
        assert_eq!(number_prefix("cyber-ai-training"), "CYBER");
        assert_eq!(number_prefix("-"), "C");
    }
}
