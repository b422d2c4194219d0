//! `GET`/`POST /events/{slug}/register`: the registration form. The form posts the API's field
//! names and registers through the same use case as `POST …/registrations`; a refusal answers
//! the form again with the typed values and the errors (422, or 409 where the API says 409);
//! a one-time key in the form is the `Idempotency-Key`, so a double submit registers once.
//! Success keeps the manage token in an `HttpOnly` cookie and redirects to `/me`.

use std::collections::BTreeMap;

use askama::Template;
use chrono::{NaiveDate, Utc};
use poem::web::{CsrfToken, CsrfVerifier, Data, Path};
use poem::{Request, Response, handler};
use uuid::Uuid;

use entities::events;

use super::chrome::{Chrome, asked};
use super::delegate_cookie::{private, remember, see_other};
use super::forms::{
    CSRF_FIELD, FormErrors, Posted, SelectOption, country_options, language_options, session_ids,
};
use super::i18n::{Asked, Messages};
use super::public::{event_title, failure, public_event, registration_state, render, secure, zone};
use super::session_view::SessionView;
use crate::app::agenda::References;
use crate::app::categories as categories_app;
use crate::app::principal::Audience;
use crate::app::registrations::{self as registrations_app, Registration};
use crate::app::sessions::{self as sessions_app, SessionQuery};
use crate::application::AppState;
use crate::domain::enums::{Category, SessionStatus};
use crate::domain::registration::{RegistrationRequest, check_open};
use crate::domain::validation::ValidationErrors;
use crate::error::AppError;

/// What the visitor typed (or the blank form).
#[derive(Default)]
struct RegisterForm {
    full_name: String,
    email: String,
    organization: String,
    position: String,
    country: String,
    category: String,
    session_ids: Vec<String>,
    locale: String,
    consent: bool,
    /// The one-time key of this form (the `Idempotency-Key`).
    key: String,
}

impl RegisterForm {
    fn blank(language: &str) -> Self {
        RegisterForm {
            category: Category::Delegate.as_str().to_owned(),
            locale: language.to_owned(),
            key: Uuid::new_v4().to_string(),
            ..Default::default()
        }
    }

    fn posted(posted: &Posted) -> Self {
        RegisterForm {
            full_name: posted.value("full_name"),
            email: posted.value("email"),
            organization: posted.value("organization"),
            position: posted.value("position"),
            country: posted.value("country"),
            category: posted.value("category"),
            session_ids: posted.values("session_ids"),
            locale: posted.value("locale"),
            consent: posted.ticked("consent"),
            key: posted.value("idempotency_key"),
        }
    }

    /// The request for the use case; fields that cannot even be read are errors here.
    fn request(&self) -> Result<RegistrationRequest, AppError> {
        let mut errors = ValidationErrors::new();
        let category = errors.check(
            "category",
            self.category.parse::<Category>().map_err(|e| e.to_string()),
        );
        let session_ids = session_ids(&self.session_ids, &mut errors);
        let optional = |text: &str| Some(text.trim().to_owned()).filter(|t| !t.is_empty());
        errors
            .into_result(RegistrationRequest {
                full_name: self.full_name.clone(),
                email: self.email.clone(),
                organization: optional(&self.organization),
                position: optional(&self.position),
                country: optional(&self.country),
                category: category.unwrap_or(Category::Delegate),
                session_ids,
                locale: self.locale.clone(),
                consent: self.consent,
            })
            .map_err(AppError::from)
    }

    fn chose(&self, id: &str) -> bool {
        self.session_ids.iter().any(|chosen| chosen == id)
    }
}

struct Choice {
    session: SessionView,
    checked: bool,
}

struct ChoiceDay {
    heading: String,
    choices: Vec<Choice>,
}

#[derive(Template)]
#[template(path = "register.html")]
struct RegisterPage {
    chrome: Chrome,
    m: Messages,
    event_title: String,
    event_href: String,
    zone_note: String,
    action: String,
    open: bool,
    state_text: String,
    form: RegisterForm,
    errors: FormErrors,
    csrf_field: &'static str,
    csrf: String,
    days: Vec<ChoiceDay>,
    categories: Vec<SelectOption>,
    locales: Vec<SelectOption>,
    countries: Vec<SelectOption>,
}

/// `GET /events/{slug}/register`: the blank form.
#[handler]
pub async fn register_form(
    req: &Request,
    state: Data<&AppState>,
    Path(slug): Path<String>,
    csrf: &CsrfToken,
) -> Response {
    let asked = asked(req);
    let (event, messages) = match public_event(&state, &asked, &slug).await {
        Ok(found) => found,
        Err(page) => return page,
    };
    let form = RegisterForm::blank(&messages.language);
    show(
        &state,
        &asked,
        &event,
        messages,
        form,
        FormErrors::none(),
        csrf,
    )
    .await
}

/// `POST /events/{slug}/register`: registers, or answers the form again with its errors.
#[handler]
pub async fn register_submit(
    req: &Request,
    state: Data<&AppState>,
    Path(slug): Path<String>,
    csrf: &CsrfToken,
    verifier: &CsrfVerifier,
    body: String,
) -> Response {
    let asked = asked(req);
    let (event, messages) = match public_event(&state, &asked, &slug).await {
        Ok(found) => found,
        Err(page) => return page,
    };
    let posted = Posted::parse(&body);
    let mut form = RegisterForm::posted(&posted);
    if !posted.csrf_ok(verifier) {
        form.key = Uuid::new_v4().to_string();
        let errors = FormErrors::csrf(&messages);
        return show(&state, &asked, &event, messages, form, errors, csrf).await;
    }
    let registered = match form.request() {
        Ok(request) => {
            registrations_app::register(
                &state,
                Audience::Public,
                &event.slug,
                request,
                Some(&form.key),
            )
            .await
        }
        Err(err) => Err(err),
    };
    match registered {
        Ok(Registration::Created { manage_token, .. })
        | Ok(Registration::Replayed { manage_token, .. }) => {
            remember(req.cookie(), &manage_token, secure(&state));
            see_other(&format!("/me?lang={}", messages.language))
        }
        Err(err) => match FormErrors::of(&messages, &err) {
            Some(errors) => {
                // A corrected form is a new request: it gets a new key.
                form.key = Uuid::new_v4().to_string();
                show(&state, &asked, &event, messages, form, errors, csrf).await
            }
            None => failure(&state, &asked, &messages, err),
        },
    }
}

/// The form with `form`'s values and `errors`, answered with the errors' status.
async fn show(
    state: &AppState,
    asked: &Asked,
    event: &events::Model,
    messages: Messages,
    form: RegisterForm,
    errors: FormErrors,
    csrf: &CsrfToken,
) -> Response {
    let days = match choices(state, event, &messages, &form).await {
        Ok(days) => days,
        Err(err) => return failure(state, asked, &messages, err),
    };
    let categories = match categories_app::of_event(state, event.id).await {
        Ok(categories) => categories,
        Err(err) => return failure(state, asked, &messages, err),
    };
    let language = messages.language.clone();
    let tz = zone(event);
    let open = check_open(
        event.status,
        event.registration_mode,
        event.registration_opens_at,
        event.registration_closes_at,
        Utc::now(),
    )
    .is_ok();
    let path = format!("/events/{}/register", event.slug);
    let template = RegisterPage {
        chrome: Chrome::new(&messages, &path, &[]),
        event_title: event_title(event, &language),
        event_href: format!("/events/{}?lang={language}", event.slug),
        zone_note: messages.zone_note(&event.timezone, event.starts_on),
        action: format!("{path}?lang={language}"),
        open,
        state_text: registration_state(&messages, event, tz),
        // Only what the public may choose; the event's own names where it gave them.
        categories: categories
            .public()
            .map(|c| SelectOption {
                value: c.key.as_str().to_owned(),
                label: c.name_in(&language).map_or_else(
                    || messages.t(&format!("category-{}", c.key.as_str())),
                    str::to_owned,
                ),
                selected: form.category == c.key.as_str(),
            })
            .collect(),
        locales: language_options(&messages, &form.locale),
        countries: country_options(&messages, &form.country),
        csrf_field: CSRF_FIELD,
        csrf: csrf.0.clone(),
        days,
        form,
        m: messages,
        errors,
    };
    let status = template.errors.status;
    private(render(state, asked, status, template.render()))
}

/// The sessions that take sign-ups (a capacity), by local day, with seats left.
async fn choices(
    state: &AppState,
    event: &events::Model,
    messages: &Messages,
    form: &RegisterForm,
) -> Result<Vec<ChoiceDay>, AppError> {
    let query = SessionQuery {
        status: Some(SessionStatus::Published),
        ..Default::default()
    };
    let (_, rows) =
        sessions_app::list(state, &event.slug, Audience::Public, query, None, 1000).await?;
    let refs = References::load(state, event.id).await?;
    let tz = zone(event);
    let mut days: BTreeMap<NaiveDate, Vec<Choice>> = BTreeMap::new();
    for row in rows.iter().filter(|row| row.session.capacity.is_some()) {
        let session = SessionView::new(
            messages,
            &event.slug,
            tz,
            &row.session,
            &row.speaker_ids,
            &refs,
        );
        let checked = form.chose(&session.id);
        days.entry(row.session.starts_at.with_timezone(&tz).date_naive())
            .or_default()
            .push(Choice { session, checked });
    }
    Ok(days
        .into_iter()
        .map(|(date, choices)| ChoiceDay {
            heading: messages.date_long(date),
            choices,
        })
        .collect())
}
