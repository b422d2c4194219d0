//! An event in the console: the form to create one, its overview with the same form to change
//! it (texts in the three languages side by side), and publishing or cancelling it.

use askama::Template;
use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone, Utc};
use poem::http::StatusCode;
use poem::web::{CsrfToken, CsrfVerifier, Data, Path};
use poem::{Request, Response, handler};

use entities::events;

use super::sign_in::{refused_form, status_class};
use super::texts::{self, PostedTexts, TextField};
use super::{ConsoleChrome, Desk, done};
use crate::app::events as events_app;
use crate::application::AppState;
use crate::domain::enums::{EventKind, RegistrationMode};
use crate::domain::event::{EventFields, parse_timezone};
use crate::domain::language::{Languages, SUPPORTED};
use crate::domain::validation::ValidationErrors;
use crate::error::AppError;
use crate::web::forms::{FormErrors, Posted, SelectOption};
use crate::web::i18n::Messages;

/// The translatable texts of an event: field, long, required.
const TEXTS: [(&str, bool, bool); 4] = [
    ("title", false, true),
    ("description", true, false),
    ("venue", false, false),
    ("city", false, false),
];

/// The plain fields of the event form, as typed.
pub struct EventForm {
    pub slug: String,
    pub kinds: Vec<SelectOption>,
    pub timezone: String,
    pub starts_on: String,
    pub ends_on: String,
    pub capacity: String,
    pub modes: Vec<SelectOption>,
    pub opens_at: String,
    pub closes_at: String,
    pub waitlist: bool,
    pub country: String,
    pub default_languages: Vec<SelectOption>,
    pub languages: Vec<SelectOption>,
    pub texts: Vec<TextField>,
}

#[derive(Template)]
#[template(path = "console/event.html")]
struct EventPage {
    c: ConsoleChrome,
    m: Messages,
    /// None for a new event.
    event: Option<EventFacts>,
    form: EventForm,
    errors: FormErrors,
    action: String,
    page_title: String,
}

/// What the overview says of a stored event.
struct EventFacts {
    slug: String,
    status: String,
    status_class: &'static str,
    can_publish: bool,
    can_cancel: bool,
    public_href: String,
}

fn options<T: Copy>(
    all: &[T],
    selected: &str,
    name: impl Fn(T) -> (&'static str, String),
) -> Vec<SelectOption> {
    all.iter()
        .map(|value| {
            let (value, label) = name(*value);
            SelectOption {
                value: value.to_owned(),
                label,
                selected: value == selected,
            }
        })
        .collect()
}

fn language_choices(m: &Messages, chosen: &[String]) -> Vec<SelectOption> {
    SUPPORTED
        .iter()
        .map(|code| SelectOption {
            value: (*code).to_owned(),
            label: m.language_name(code),
            selected: chosen.iter().any(|c| c == code),
        })
        .collect()
}

/// A local date and time of the event's zone as the form shows it.
fn local_input(at: Option<DateTime<Utc>>, tz: chrono_tz::Tz) -> String {
    at.map(|at| at.with_timezone(&tz).format("%Y-%m-%dT%H:%M").to_string())
        .unwrap_or_default()
}

struct Plain<'a> {
    slug: &'a str,
    kind: &'a str,
    timezone: &'a str,
    starts_on: String,
    ends_on: String,
    capacity: String,
    mode: &'a str,
    opens_at: String,
    closes_at: String,
    waitlist: bool,
    country: &'a str,
    default_language: &'a str,
    languages: Vec<String>,
}

fn form_of(m: &Messages, plain: Plain<'_>, texts: Vec<TextField>) -> EventForm {
    EventForm {
        slug: plain.slug.to_owned(),
        kinds: options(EventKind::ALL, plain.kind, |k| {
            (
                k.as_str(),
                m.t(&format!("console-event-kind-{}", k.as_str())),
            )
        }),
        timezone: plain.timezone.to_owned(),
        starts_on: plain.starts_on,
        ends_on: plain.ends_on,
        capacity: plain.capacity,
        modes: options(RegistrationMode::ALL, plain.mode, |k| {
            (k.as_str(), m.t(&format!("console-mode-{}", k.as_str())))
        }),
        opens_at: plain.opens_at,
        closes_at: plain.closes_at,
        waitlist: plain.waitlist,
        country: plain.country.to_owned(),
        default_languages: language_choices(m, &[plain.default_language.to_owned()]),
        languages: language_choices(m, &plain.languages),
        texts,
    }
}

/// The form filled from a stored event.
fn stored_form(m: &Messages, event: &events::Model, errors: &FormErrors) -> EventForm {
    let tz = crate::web::public::zone(event);
    let texts = texts::fields(
        m,
        &event.default_language,
        &[
            ("title", Some(event.title.as_str()), false, true),
            ("description", event.description.as_deref(), true, false),
            ("venue", event.venue.as_deref(), false, false),
            ("city", event.city.as_deref(), false, false),
        ],
        &event.translations,
        errors,
    );
    form_of(
        m,
        Plain {
            slug: &event.slug,
            kind: event.kind.as_str(),
            timezone: &event.timezone,
            starts_on: event.starts_on.to_string(),
            ends_on: event.ends_on.to_string(),
            capacity: event.capacity.map(|c| c.to_string()).unwrap_or_default(),
            mode: event.registration_mode.as_str(),
            opens_at: local_input(event.registration_opens_at, tz),
            closes_at: local_input(event.registration_closes_at, tz),
            waitlist: event.waitlist_enabled,
            country: event.country.as_deref().unwrap_or_default(),
            default_language: &event.default_language,
            languages: event.languages.0.clone(),
        },
        texts,
    )
}

/// The form filled again from what was posted.
fn posted_form(m: &Messages, posted: &Posted, errors: &FormErrors) -> EventForm {
    let default_language = default_language_of(posted);
    let texts_posted = texts::read(posted, &default_language, &names());
    let texts = texts::fields_posted(m, &default_language, &TEXTS, &texts_posted, errors);
    let slug = posted.value("slug");
    let kind = posted.value("kind");
    let timezone = posted.value("timezone");
    let mode = posted.value("registration_mode");
    let country = posted.value("country");
    form_of(
        m,
        Plain {
            slug: &slug,
            kind: &kind,
            timezone: &timezone,
            starts_on: posted.value("starts_on"),
            ends_on: posted.value("ends_on"),
            capacity: posted.value("capacity"),
            mode: &mode,
            opens_at: posted.value("registration_opens_at"),
            closes_at: posted.value("registration_closes_at"),
            waitlist: posted.ticked("waitlist_enabled"),
            country: &country,
            default_language: &default_language,
            languages: posted.values("languages"),
        },
        texts,
    )
}

fn names() -> Vec<&'static str> {
    TEXTS.iter().map(|(name, _, _)| *name).collect()
}

fn default_language_of(posted: &Posted) -> String {
    let chosen = posted.value("default_language");
    if SUPPORTED.contains(&chosen.as_str()) {
        chosen
    } else {
        "tk".to_owned()
    }
}

/// Reads the event form into the fields the use cases take.
fn read(posted: &Posted) -> Result<EventFields, AppError> {
    let mut errors = ValidationErrors::new();
    let default_language = default_language_of(posted);
    let texts: PostedTexts = texts::read(posted, &default_language, &names());
    let kind = errors.check(
        "kind",
        posted
            .value("kind")
            .parse::<EventKind>()
            .map_err(|e| e.to_string()),
    );
    let mode = errors.check(
        "registration_mode",
        posted
            .value("registration_mode")
            .parse::<RegistrationMode>()
            .map_err(|e| e.to_string()),
    );
    let date = |errors: &mut ValidationErrors, name: &str| {
        errors.check(
            name,
            NaiveDate::parse_from_str(posted.value(name).trim(), "%Y-%m-%d")
                .map_err(|_| "must be a date (YYYY-MM-DD)".to_owned()),
        )
    };
    let starts_on = date(&mut errors, "starts_on");
    let ends_on = date(&mut errors, "ends_on");
    let timezone = posted.value("timezone").trim().to_owned();
    let tz = parse_timezone(&timezone).ok();
    let capacity = optional_number(&mut errors, posted, "capacity");
    let opens = local_time(&mut errors, posted, "registration_opens_at", tz);
    let closes = local_time(&mut errors, posted, "registration_closes_at", tz);
    let mut languages: Vec<String> = posted
        .values("languages")
        .into_iter()
        .filter(|l| SUPPORTED.contains(&l.as_str()))
        .collect();
    if !languages.contains(&default_language) {
        languages.insert(0, default_language.clone());
    }
    errors.into_result(())?;
    let (Some(kind), Some(mode), Some(starts_on), Some(ends_on)) = (kind, mode, starts_on, ends_on)
    else {
        return Err(AppError::unexpected("a checked field was missing"));
    };
    Ok(EventFields {
        slug: posted.value("slug").trim().to_owned(),
        title: texts.plain("title"),
        kind,
        description: texts.optional("description"),
        venue: texts.optional("venue"),
        city: texts.optional("city"),
        country: Some(posted.value("country")).filter(|c| !c.trim().is_empty()),
        timezone,
        starts_on,
        ends_on,
        capacity,
        registration_mode: mode,
        registration_opens_at: opens,
        registration_closes_at: closes,
        waitlist_enabled: posted.ticked("waitlist_enabled"),
        default_language,
        languages: Languages(languages),
        translations: texts.translations,
    })
}

/// A whole number field that may be left empty.
pub fn optional_number(errors: &mut ValidationErrors, posted: &Posted, name: &str) -> Option<i32> {
    let text = posted.value(name);
    if text.trim().is_empty() {
        return None;
    }
    errors.check(
        name,
        text.trim()
            .parse::<i32>()
            .map_err(|_| "must be a whole number".to_owned()),
    )
}

/// A local date and time of the event's zone (`datetime-local`), as UTC; empty is none.
fn local_time(
    errors: &mut ValidationErrors,
    posted: &Posted,
    name: &str,
    tz: Option<chrono_tz::Tz>,
) -> Option<DateTime<Utc>> {
    let text = posted.value(name);
    if text.trim().is_empty() {
        return None;
    }
    let naive = errors.check(
        name,
        NaiveDateTime::parse_from_str(text.trim(), "%Y-%m-%dT%H:%M")
            .map_err(|_| "must be a date and time".to_owned()),
    )?;
    let tz = tz?;
    errors.check(
        name,
        tz.from_local_datetime(&naive)
            .earliest()
            .map(|at| at.with_timezone(&Utc))
            .ok_or_else(|| "does not exist in the event's time zone".to_owned()),
    )
}

fn facts(m: &Messages, event: &events::Model) -> EventFacts {
    use crate::domain::enums::EventStatus;
    EventFacts {
        slug: event.slug.clone(),
        status: m.t(&format!("console-status-{}", event.status.as_str())),
        status_class: status_class(event.status),
        can_publish: event.status == EventStatus::Draft,
        can_cancel: event.status != EventStatus::Cancelled,
        public_href: format!("/events/{}", event.slug),
    }
}

fn show(
    state: &AppState,
    req: &Request,
    desk: &Desk,
    event: Option<&events::Model>,
    form: EventForm,
    errors: FormErrors,
) -> Response {
    let status = errors.status;
    let (c, action) = match event {
        Some(event) => (
            desk.event_chrome(req, event, "overview"),
            format!("/admin/events/{}", event.slug),
        ),
        None => (desk.chrome(req), "/admin/events/new".to_owned()),
    };
    let page_title = match event {
        Some(event) => crate::web::public::event_title(event, &desk.m.language),
        None => desk.m.t("console-event-new"),
    };
    let page = EventPage {
        page_title,
        c,
        m: desk.m.clone(),
        event: event.map(|e| facts(&desk.m, e)),
        form,
        errors,
        action,
    };
    desk.page(state, status, page.render())
}

/// `GET /admin/events/new`.
#[handler]
pub async fn new_form(req: &Request, state: Data<&AppState>, csrf: &CsrfToken) -> Response {
    let desk = match Desk::of(&state, req, csrf).await {
        Ok(desk) => desk,
        Err(response) => return response,
    };
    let errors = FormErrors::none();
    let texts = texts::fields(
        &desk.m,
        "tk",
        &[
            ("title", None, false, true),
            ("description", None, true, false),
            ("venue", None, false, false),
            ("city", None, false, false),
        ],
        &Default::default(),
        &errors,
    );
    let form = form_of(
        &desk.m,
        Plain {
            slug: "",
            kind: "seminar",
            timezone: "Asia/Ashgabat",
            starts_on: String::new(),
            ends_on: String::new(),
            capacity: String::new(),
            mode: "open",
            opens_at: String::new(),
            closes_at: String::new(),
            waitlist: true,
            country: "Turkmenistan",
            default_language: "tk",
            languages: SUPPORTED.iter().map(|l| (*l).to_owned()).collect(),
        },
        texts,
    );
    show(&state, req, &desk, None, form, errors)
}

/// `POST /admin/events/new`: creates a draft event.
#[handler]
pub async fn create(
    req: &Request,
    state: Data<&AppState>,
    csrf: &CsrfToken,
    verifier: &CsrfVerifier,
    body: String,
) -> Response {
    let desk = match Desk::of(&state, req, csrf).await {
        Ok(desk) => desk,
        Err(response) => return response,
    };
    let posted = Posted::parse(&body);
    if !posted.csrf_ok(verifier) {
        return refused_form(&state, req, &desk, "/admin/events/new");
    }
    let result = match read(&posted) {
        Ok(fields) => events_app::create(&state, fields).await,
        Err(err) => Err(err),
    };
    match result {
        Ok(event) => done(&format!("/admin/events/{}?done=created", event.slug)),
        Err(err) => match FormErrors::of(&desk.m, &err) {
            Some(errors) => {
                let form = posted_form(&desk.m, &posted, &errors);
                show(&state, req, &desk, None, form, errors)
            }
            None => desk.failed(&state, err),
        },
    }
}

/// `GET /admin/events/{event}`: the event's overview and form.
#[handler]
pub async fn overview(
    req: &Request,
    state: Data<&AppState>,
    csrf: &CsrfToken,
    Path(reference): Path<String>,
) -> Response {
    match Desk::with_event(&state, req, csrf, &reference).await {
        Ok((desk, event)) => {
            let errors = FormErrors::none();
            let form = stored_form(&desk.m, &event, &errors);
            show(&state, req, &desk, Some(&event), form, errors)
        }
        Err(response) => response,
    }
}

/// `POST /admin/events/{event}`: saves the form.
#[handler]
pub async fn save(
    req: &Request,
    state: Data<&AppState>,
    csrf: &CsrfToken,
    verifier: &CsrfVerifier,
    Path(reference): Path<String>,
    body: String,
) -> Response {
    let (desk, event) = match Desk::with_event(&state, req, csrf, &reference).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let posted = Posted::parse(&body);
    if !posted.csrf_ok(verifier) {
        return refused_form(&state, req, &desk, &format!("/admin/events/{}", event.slug));
    }
    let result = match read(&posted) {
        Ok(fields) => events_app::update(&state, &event.id.to_string(), |_| fields)
            .await
            .map(|outcome| outcome.value),
        Err(err) => Err(err),
    };
    match result {
        Ok(saved) => done(&format!("/admin/events/{}?done=saved", saved.slug)),
        Err(err) => match FormErrors::of(&desk.m, &err) {
            Some(errors) => {
                let form = posted_form(&desk.m, &posted, &errors);
                show(&state, req, &desk, Some(&event), form, errors)
            }
            None => desk.failed(&state, err),
        },
    }
}

/// `POST /admin/events/{event}/status` with `to=published|cancelled`.
#[handler]
pub async fn change_status(
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
    let back = format!("/admin/events/{reference}");
    let posted = Posted::parse(&body);
    if !posted.csrf_ok(verifier) {
        return refused_form(&state, req, &desk, &back);
    }
    let result = match posted.value("to").as_str() {
        "published" => events_app::publish(&state, &reference).await,
        "cancelled" if posted.ticked("confirm") => events_app::cancel(&state, &reference).await,
        "cancelled" => Err(ValidationErrors::single("confirm", "tick to confirm").into()),
        _ => Err(ValidationErrors::single("to", "must be published or cancelled").into()),
    };
    match result {
        Ok(event) => done(&format!(
            "/admin/events/{}?done={}",
            event.slug,
            event.status.as_str()
        )),
        Err(AppError::Refused(refusal)) => {
            desk.not_done(&state, req, StatusCode::CONFLICT, refusal.detail, back)
        }
        Err(AppError::Invalid(_)) => desk.not_done(
            &state,
            req,
            StatusCode::UNPROCESSABLE_ENTITY,
            desk.m.t("console-confirm-needed"),
            back,
        ),
        Err(err) => desk.failed(&state, err),
    }
}
