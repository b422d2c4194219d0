//! Certificates in the console: the counts a programme reports, the rules (the share to
//! attend, how attendance is measured, the partners), who qualifies and by how much others
//! miss the bar, issuing to all who qualify or to one with a reason, the certificates issued
//! with revocation, and all of them as one PDF.

use askama::Template;
use poem::http::StatusCode;
use poem::web::{CsrfToken, CsrfVerifier, Data, Path};
use poem::{Request, Response, handler};
use uuid::Uuid;

use super::print_pages::pdf;
use super::sign_in::refused_form;
use super::{ConsoleChrome, Desk, done, query_value};
use crate::app::certificates::{self as app, IssueRequest, hours_text};
use crate::application::AppState;
use crate::domain::certificate::Measure;
use crate::error::AppError;
use crate::web::forms::{Posted, SelectOption};
use crate::web::i18n::Messages;
use crate::web::public::zone;

/// A confirmed registration in the eligibility table.
pub struct Row {
    pub name: String,
    pub organization: String,
    pub attended: String,
    pub hours: String,
    /// `qualifies`, `misses` or `issued`.
    pub state: &'static str,
    pub state_text: String,
    pub registration_id: String,
}

/// A published session in the rules form: whether it counts and the hours it credits.
pub struct SessionChoice {
    pub id: String,
    pub title: String,
    pub when: String,
    pub counts: bool,
    /// The hours set for it, empty when it credits its length.
    pub hours: String,
    /// Its length in hours (the placeholder).
    pub length: String,
}

/// A certificate issued.
pub struct Issued {
    pub number: String,
    pub name: String,
    pub hours: String,
    pub issued: String,
    pub revoked: bool,
    pub note: String,
    pub revoke_action: String,
}

/// One line of counts.
pub struct CountRow {
    pub label: String,
    pub registered: u64,
    pub attended: u64,
    pub certified: u64,
    pub hours: String,
}

#[derive(Template)]
#[template(path = "console/certificates.html")]
struct CertificatesPage {
    c: ConsoleChrome,
    m: Messages,
    base: String,
    total: CountRow,
    by_organization: Vec<CountRow>,
    by_category: Vec<CountRow>,
    min_share: String,
    by_default: bool,
    sessions: Vec<SessionChoice>,
    measures: Vec<SelectOption>,
    partners: String,
    rows: Vec<Row>,
    issued: Vec<Issued>,
    notice: Option<String>,
}

fn counts(label: String, c: &app::Counts, language: &str) -> CountRow {
    CountRow {
        label,
        registered: c.registered,
        attended: c.attended,
        certified: c.certified,
        hours: hours_text(c.minutes as i32, language),
    }
}

/// `GET /admin/events/{event}/certificates`.
#[handler]
pub async fn certificates_page(
    req: &Request,
    state: Data<&AppState>,
    csrf: &CsrfToken,
    Path(reference): Path<String>,
) -> Response {
    let (desk, event) = match Desk::with_event(&state, req, csrf, &reference).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let m = &desk.m;
    let language = m.language.clone();
    let slug = event.slug.clone();
    let loaded = async {
        let (_, rules, list) = app::eligibility(&state, &slug).await?;
        let (_, certificates) = app::list(&state, &slug).await?;
        let (_, stats) = app::stats(&state, &slug).await?;
        let counted = app::counted_sessions(&state, &event, &rules).await?;
        let published = crate::store::sessions::all(
            &state.db,
            event.id,
            &crate::store::sessions::SessionFilter {
                statuses: vec![crate::domain::enums::SessionStatus::Published],
                ..Default::default()
            },
        )
        .await?;
        Ok::<_, AppError>((rules, list, certificates, stats, counted, published))
    }
    .await;
    let (rules, list, certificates, stats, counted, published) = match loaded {
        Ok(found) => found,
        Err(err) => return desk.failed(&state, err),
    };
    let tz = zone(&event);
    let base = format!("/admin/events/{}/certificates", event.slug);
    let names: std::collections::HashMap<Uuid, String> = list
        .iter()
        .map(|e| {
            (
                e.registration.registration.id,
                e.registration.registration.full_name.clone(),
            )
        })
        .collect();
    let notice = match query_value(req, "done").as_deref() {
        Some("rules") => Some(m.t("console-done-rules")),
        Some("revoked") => Some(m.t("console-done-certificate-revoked")),
        Some(count) if count.starts_with("issued-") => Some(m.t_with(
            "console-done-issued",
            &[("count", count.trim_start_matches("issued-").to_owned())],
        )),
        _ => None,
    };
    let page = CertificatesPage {
        c: desk.event_chrome(req, &event, "certificates"),
        total: counts(m.t("console-all"), &stats.total, &language),
        by_organization: stats
            .by_organization
            .iter()
            .map(|(org, c)| counts(org.clone(), c, &language))
            .collect(),
        by_category: stats
            .by_category
            .iter()
            .map(|(category, c)| counts(m.t(&format!("category-{category}")), c, &language))
            .collect(),
        min_share: format!("{}", (rules.min_share * 100.0).round()),
        by_default: rules.session_ids.is_none(),
        sessions: published
            .iter()
            .map(|row| {
                let s = &row.session;
                let length = (s.ends_at - s.starts_at).num_minutes() as i32;
                SessionChoice {
                    id: s.id.to_string(),
                    title: crate::domain::language::Texts::new(&s.translations, &language)
                        .text("title", &s.title)
                        .to_owned(),
                    when: s
                        .starts_at
                        .with_timezone(&tz)
                        .format("%Y-%m-%d %H:%M")
                        .to_string(),
                    counts: counted.iter().any(|(c, _)| c.id == s.id),
                    hours: rules
                        .hours
                        .get(&s.id)
                        .map(|h| format!("{h}"))
                        .unwrap_or_default(),
                    length: hours_text(length, &language),
                }
            })
            .collect(),
        measures: [Measure::Auto, Measure::Door, Measure::Venue]
            .into_iter()
            .map(|measure| SelectOption {
                value: measure.as_str().to_owned(),
                label: m.t(&format!("console-attendance-{}", measure.as_str())),
                selected: measure == rules.measure,
            })
            .collect(),
        partners: rules.partners.join("\n"),
        rows: list
            .iter()
            .map(|e| {
                let (state, state_text) = match (&e.certificate, e.standing.qualifies()) {
                    (Some(c), _) => ("issued", c.number.clone()),
                    (None, true) => ("qualifies", m.t("console-qualifies")),
                    (None, false) if e.standing.counted == 0 => {
                        ("misses", m.t("console-nothing-counts"))
                    }
                    (None, false) => (
                        "misses",
                        m.t_with(
                            "console-misses",
                            &[("count", e.standing.missing().to_string())],
                        ),
                    ),
                };
                let r = &e.registration.registration;
                Row {
                    name: r.full_name.clone(),
                    organization: r.organization.clone().unwrap_or_default(),
                    attended: format!("{} / {}", e.standing.attended.len(), e.standing.counted),
                    hours: hours_text(e.standing.minutes, &language),
                    state,
                    state_text,
                    registration_id: r.id.to_string(),
                }
            })
            .collect(),
        issued: certificates
            .iter()
            .map(|c| Issued {
                number: c.number.clone(),
                name: names.get(&c.registration_id).cloned().unwrap_or_default(),
                hours: hours_text(c.minutes, &language),
                issued: c
                    .issued_at
                    .with_timezone(&tz)
                    .format("%Y-%m-%d")
                    .to_string(),
                revoked: c.revoked_at.is_some(),
                note: c
                    .override_reason
                    .clone()
                    .or_else(|| c.revoke_reason.clone())
                    .unwrap_or_default(),
                revoke_action: format!("{base}/{}/revoke", c.number),
            })
            .collect(),
        base,
        notice,
        m: m.clone(),
    };
    desk.page(&state, StatusCode::OK, page.render())
}

/// Answers a refusal of the application layer as "nothing was changed", or fails.
fn refused(desk: &Desk, state: &AppState, req: &Request, err: AppError, back: String) -> Response {
    match err {
        AppError::Invalid(errors) => desk.not_done(
            state,
            req,
            StatusCode::UNPROCESSABLE_ENTITY,
            errors.to_string(),
            back,
        ),
        err @ AppError::Refused(_) => {
            desk.not_done(state, req, StatusCode::CONFLICT, err.to_string(), back)
        }
        err => desk.failed(state, err),
    }
}

/// `POST /admin/events/{event}/certificates/rules`.
#[handler]
pub async fn save_rules(
    req: &Request,
    state: Data<&AppState>,
    csrf: &CsrfToken,
    verifier: &CsrfVerifier,
    Path(reference): Path<String>,
    body: String,
) -> Response {
    let desk = match Desk::of(&state, req, csrf).await {
        Ok(desk) => desk,
        Err(response) => return response,
    };
    let back = format!("/admin/events/{reference}/certificates");
    let posted = Posted::parse(&body);
    if !posted.csrf_ok(verifier) {
        return refused_form(&state, req, &desk, &back);
    }
    let result = async {
        let (_, mut rules) = app::rules(&state, &reference).await?;
        let share = posted.value("min_share");
        rules.min_share = share
            .trim()
            .parse::<f64>()
            .map(|percent| percent / 100.0)
            .map_err(|_| {
                crate::domain::validation::ValidationErrors::single(
                    "min_share",
                    "must be a number from 0 to 100",
                )
            })?;
        rules.measure = Measure::parse(&posted.value("attendance")).unwrap_or(rules.measure);
        rules.session_ids = if posted.ticked("by_default") {
            None
        } else {
            Some(
                posted
                    .values("session_ids")
                    .iter()
                    .filter_map(|id| id.parse::<Uuid>().ok())
                    .collect(),
            )
        };
        let mut hours = std::collections::BTreeMap::new();
        for (field, text) in posted.pairs() {
            let Some(id) = field
                .strip_prefix("hours_")
                .and_then(|i| i.parse::<Uuid>().ok())
            else {
                continue;
            };
            let text = text.trim().replace(',', ".");
            if text.is_empty() {
                continue;
            }
            let value = text.parse::<f64>().map_err(|_| {
                crate::domain::validation::ValidationErrors::single(
                    "hours",
                    "must be a number of hours",
                )
            })?;
            hours.insert(id, value);
        }
        rules.hours = hours;
        rules.partners = posted
            .value("partners")
            .lines()
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(str::to_owned)
            .collect();
        app::save_rules(&state, &reference, rules).await
    }
    .await;
    match result {
        Ok((event, _)) => done(&format!(
            "/admin/events/{}/certificates?done=rules",
            event.slug
        )),
        Err(err) => refused(&desk, &state, req, err, back),
    }
}

/// `POST /admin/events/{event}/certificates/issue`: to all who qualify, or to the
/// `registration_id` posted with an `override_reason`.
#[handler]
pub async fn issue(
    req: &Request,
    state: Data<&AppState>,
    csrf: &CsrfToken,
    verifier: &CsrfVerifier,
    Path(reference): Path<String>,
    body: String,
) -> Response {
    let desk = match Desk::of(&state, req, csrf).await {
        Ok(desk) => desk,
        Err(response) => return response,
    };
    let back = format!("/admin/events/{reference}/certificates");
    let posted = Posted::parse(&body);
    if !posted.csrf_ok(verifier) {
        return refused_form(&state, req, &desk, &back);
    }
    let one = posted.value("registration_id");
    let request = if one.trim().is_empty() {
        IssueRequest::default()
    } else {
        let Ok(id) = one.trim().parse::<Uuid>() else {
            return desk.failed(&state, AppError::NotFound("registration"));
        };
        IssueRequest {
            registration_ids: Some(vec![id]),
            override_reason: Some(posted.value("override_reason")),
        }
    };
    match app::issue(&state, &reference, request).await {
        Ok((event, issued)) => done(&format!(
            "/admin/events/{}/certificates?done=issued-{}",
            event.slug,
            issued.len()
        )),
        Err(err) => refused(&desk, &state, req, err, back),
    }
}

/// `POST /admin/events/{event}/certificates/{number}/revoke`.
#[handler]
pub async fn revoke(
    req: &Request,
    state: Data<&AppState>,
    csrf: &CsrfToken,
    verifier: &CsrfVerifier,
    Path((reference, number)): Path<(String, String)>,
    body: String,
) -> Response {
    let desk = match Desk::of(&state, req, csrf).await {
        Ok(desk) => desk,
        Err(response) => return response,
    };
    let back = format!("/admin/events/{reference}/certificates");
    let posted = Posted::parse(&body);
    if !posted.csrf_ok(verifier) {
        return refused_form(&state, req, &desk, &back);
    }
    let reason = posted.value("reason");
    match app::revoke(&state, &reference, &number, Some(&reason)).await {
        Ok(_) => done(&format!("{back}?done=revoked")),
        Err(err) => refused(&desk, &state, req, err, back),
    }
}

/// `GET /admin/events/{event}/certificates.pdf`.
#[handler]
pub async fn all_pdf(
    req: &Request,
    state: Data<&AppState>,
    csrf: &CsrfToken,
    Path(reference): Path<String>,
) -> Response {
    let desk = match Desk::of(&state, req, csrf).await {
        Ok(desk) => desk,
        Err(response) => return response,
    };
    match app::event_pdf(&state, &reference).await {
        Ok(bytes) => pdf(bytes, "certificates.pdf"),
        Err(err) => refused(
            &desk,
            &state,
            req,
            err,
            format!("/admin/events/{reference}/certificates"),
        ),
    }
}
