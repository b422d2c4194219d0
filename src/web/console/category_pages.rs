//! Categories in the console: for each of an event's six categories, whether the public may
//! choose it on the registration form, its badge colour and its name in each language. The
//! form calls the same use case as `PUT …/categories`; bad input answers the form again with
//! its errors and the values typed, and changes nothing.

use std::collections::BTreeMap;

use askama::Template;
use poem::http::StatusCode;
use poem::web::{CsrfToken, CsrfVerifier, Data, Path};
use poem::{Request, Response, handler};

use entities::events;

use super::sign_in::refused_form;
use super::{ConsoleChrome, Desk, done};
use crate::app::categories as categories_app;
use crate::application::AppState;
use crate::domain::categories::{Categories, CategoryInput};
use crate::domain::enums::Category;
use crate::domain::language::SUPPORTED;
use crate::error::AppError;
use crate::web::forms::{FormError, FormErrors, Posted};
use crate::web::i18n::Messages;

/// One category's row of the form.
pub struct CategoryRow {
    pub key: String,
    /// The standard name in the console's language.
    pub label: String,
    pub public: bool,
    pub color: String,
    /// The standard colour (the placeholder).
    pub standard_color: &'static str,
    /// Whether the colour typed was refused.
    pub color_invalid: bool,
    /// (language, name) in Dialogue's languages.
    pub names: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "console/categories.html")]
struct CategoriesPage {
    c: ConsoleChrome,
    m: Messages,
    action: String,
    rows: Vec<CategoryRow>,
    errors: FormErrors,
}

impl CategoryRow {
    /// The row of category `key` with what it holds; `name_in` gives its name in a language.
    fn new(
        key: Category,
        public: bool,
        color: Option<&str>,
        name_in: impl Fn(&str) -> String,
        m: &Messages,
    ) -> Self {
        CategoryRow {
            key: key.as_str().to_owned(),
            label: m.t(&format!("category-{}", key.as_str())),
            public,
            color: color.unwrap_or_default().to_owned(),
            standard_color: crate::badge::standard_color(key),
            color_invalid: false,
            names: SUPPORTED
                .iter()
                .map(|l| ((*l).to_owned(), name_in(l)))
                .collect(),
        }
    }
}

fn rows_of(categories: &Categories, m: &Messages) -> Vec<CategoryRow> {
    categories
        .0
        .iter()
        .map(|c| {
            let name_in = |l: &str| c.name_in(l).unwrap_or_default().to_owned();
            CategoryRow::new(c.key, c.public, c.color.as_deref(), name_in, m)
        })
        .collect()
}

fn show(
    state: &AppState,
    req: &Request,
    desk: &Desk,
    event: &events::Model,
    mut rows: Vec<CategoryRow>,
    errors: FormErrors,
) -> Response {
    for row in &mut rows {
        row.color_invalid = errors.has(&format!("color_{}", row.key));
    }
    let page = CategoriesPage {
        c: desk.event_chrome(req, event, "categories"),
        m: desk.m.clone(),
        action: format!("/admin/events/{}/categories", event.slug),
        rows,
        errors,
    };
    desk.page(state, page.errors.status, page.render())
}

/// `GET /admin/events/{event}/categories`.
#[handler]
pub async fn categories_page(
    req: &Request,
    state: Data<&AppState>,
    csrf: &CsrfToken,
    Path(reference): Path<String>,
) -> Response {
    let (desk, event) = match Desk::with_event(&state, req, csrf, &reference).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    match categories_app::of_event(&state, event.id).await {
        Ok(categories) => {
            let rows = rows_of(&categories, &desk.m);
            show(&state, req, &desk, &event, rows, FormErrors::none())
        }
        Err(err) => desk.failed(&state, err),
    }
}

/// `POST /admin/events/{event}/categories`: the rows in the order shown.
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
    let back = format!("/admin/events/{}/categories", event.slug);
    let posted = Posted::parse(&body);
    if !posted.csrf_ok(verifier) {
        return refused_form(&state, req, &desk, &back);
    }
    let current = match categories_app::of_event(&state, event.id).await {
        Ok(categories) => categories,
        Err(err) => return desk.failed(&state, err),
    };
    let input: Vec<CategoryInput> = current
        .0
        .iter()
        .map(|c| {
            let key = c.key.as_str();
            CategoryInput {
                key: key.to_owned(),
                public: posted.ticked(&format!("public_{key}")),
                color: Some(posted.value(&format!("color_{key}"))),
                translations: SUPPORTED
                    .iter()
                    .map(|l| ((*l).to_owned(), posted.value(&format!("name_{key}_{l}"))))
                    .collect::<BTreeMap<_, _>>(),
            }
        })
        .collect();
    let typed = typed_rows(&input, &desk.m);
    match categories_app::replace(&state, &desk.principal, &event.slug, input).await {
        Ok(_) => done(&format!("{back}?done=saved")),
        Err(AppError::Invalid(invalid)) => {
            let items = invalid
                .errors
                .iter()
                .map(|e| form_error(&typed, &e.field, &desk.m))
                .collect();
            let errors = FormErrors {
                status: StatusCode::UNPROCESSABLE_ENTITY,
                items,
            };
            show(&state, req, &desk, &event, typed, errors)
        }
        Err(err) => desk.failed(&state, err),
    }
}

/// The rows as typed (to show the form again).
fn typed_rows(input: &[CategoryInput], m: &Messages) -> Vec<CategoryRow> {
    input
        .iter()
        .filter_map(|i| {
            let key = i.key.parse::<Category>().ok()?;
            let name_in = |l: &str| i.translations.get(l).cloned().unwrap_or_default();
            Some(CategoryRow::new(
                key,
                i.public,
                i.color.as_deref(),
                name_in,
                m,
            ))
        })
        .collect()
}

/// A domain error (`[2].color`) as the form's field (`color_press`) and words.
fn form_error(rows: &[CategoryRow], field: &str, m: &Messages) -> FormError {
    let index = field
        .strip_prefix('[')
        .and_then(|rest| rest.split_once(']'))
        .and_then(|(i, rest)| Some((i.parse::<usize>().ok()?, rest.trim_start_matches('.'))));
    match index.and_then(|(i, rest)| Some((rows.get(i)?, rest))) {
        Some((row, "color")) => FormError {
            field: Some(format!("color_{}", row.key)),
            message: format!("{}: {}", row.label, m.t("console-category-bad-color")),
        },
        Some((row, rest)) => {
            let language = rest.strip_prefix("translations.").unwrap_or(rest);
            FormError {
                field: Some(format!("name_{}_{language}", row.key)),
                message: format!("{}: {}", row.label, m.t("console-category-bad-name")),
            }
        }
        None => FormError {
            field: None,
            message: m.t("console-category-bad-name"),
        },
    }
}
