//! Tracks, rooms and speakers in the console: one page lists the three with a form to add
//! each, and an item has its own page to change or delete it (deleting what a session uses is
//! refused). Texts are given in the three languages side by side.

use askama::Template;
use poem::http::StatusCode;
use poem::web::{CsrfToken, CsrfVerifier, Data, Path};
use poem::{Request, Response, handler};
use uuid::Uuid;

use entities::{events, rooms, speakers, tracks};

use super::event_pages::optional_number;
use super::sign_in::refused_form;
use super::texts::{self, TextField};
use super::{ConsoleChrome, Desk, done};
use crate::app::programme as programme_app;
use crate::application::AppState;
use crate::domain::language::Translations;
use crate::domain::speaker::{RoomFields, SpeakerFields, TrackFields};
use crate::domain::validation::ValidationErrors;
use crate::error::AppError;
use crate::web::forms::{FormErrors, Posted};
use crate::web::i18n::Messages;

/// Which list an item belongs to (the path's `{kind}`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Tracks,
    Rooms,
    Speakers,
}

impl Kind {
    fn parse(text: &str) -> Option<Kind> {
        match text {
            "tracks" => Some(Kind::Tracks),
            "rooms" => Some(Kind::Rooms),
            "speakers" => Some(Kind::Speakers),
            _ => None,
        }
    }

    fn as_str(self) -> &'static str {
        match self {
            Kind::Tracks => "tracks",
            Kind::Rooms => "rooms",
            Kind::Speakers => "speakers",
        }
    }

    /// The translatable texts: field, long, required.
    fn texts(self) -> &'static [(&'static str, bool, bool)] {
        match self {
            Kind::Tracks | Kind::Rooms => &[("name", false, true), ("description", true, false)],
            Kind::Speakers => &[
                ("position", false, false),
                ("organization", false, false),
                ("bio", true, false),
            ],
        }
    }

    /// The fields written once for every language: name and input type.
    fn plain(self) -> &'static [(&'static str, &'static str)] {
        match self {
            Kind::Tracks => &[("color", "text")],
            Kind::Rooms => &[("capacity", "number"), ("order", "number")],
            Kind::Speakers => &[
                ("full_name", "text"),
                ("country", "text"),
                ("email", "email"),
                ("photo_url", "url"),
            ],
        }
    }
}

/// A field written once.
pub struct PlainInput {
    pub name: &'static str,
    pub input_type: &'static str,
    pub label: String,
    pub value: String,
    pub error: Option<String>,
    pub required: bool,
}

/// The form of one item (new or stored).
pub struct ItemForm {
    pub kind: &'static str,
    /// Put before every element id, so that several forms share a page (`rooms-`).
    pub prefix: String,
    pub heading: String,
    pub action: String,
    pub plain: Vec<PlainInput>,
    pub texts: Vec<TextField>,
    pub errors: FormErrors,
}

/// An item in a list.
pub struct ItemRow {
    pub href: String,
    pub name: String,
    pub detail: String,
}

/// One of the three lists with its form.
pub struct Section {
    pub kind: &'static str,
    pub heading: String,
    pub rows: Vec<ItemRow>,
    pub form: ItemForm,
}

#[derive(Template)]
#[template(path = "console/programme.html")]
struct ProgrammePage {
    c: ConsoleChrome,
    m: Messages,
    sections: Vec<Section>,
}

#[derive(Template)]
#[template(path = "console/programme_item.html")]
struct ItemPage {
    c: ConsoleChrome,
    m: Messages,
    form: ItemForm,
    delete_action: String,
}

/// An item's values: plain fields and translatable texts in the default language.
struct Values {
    plain: Vec<(&'static str, String)>,
    texts: Vec<(&'static str, Option<String>)>,
    translations: Translations,
}

fn track_values(t: &tracks::Model) -> Values {
    Values {
        plain: vec![("color", t.color.clone().unwrap_or_default())],
        texts: vec![
            ("name", Some(t.name.clone())),
            ("description", t.description.clone()),
        ],
        translations: t.translations.clone(),
    }
}

fn room_values(r: &rooms::Model) -> Values {
    Values {
        plain: vec![
            (
                "capacity",
                r.capacity.map(|c| c.to_string()).unwrap_or_default(),
            ),
            ("order", r.position.to_string()),
        ],
        texts: vec![
            ("name", Some(r.name.clone())),
            ("description", r.description.clone()),
        ],
        translations: r.translations.clone(),
    }
}

fn speaker_values(s: &speakers::Model) -> Values {
    Values {
        plain: vec![
            ("full_name", s.full_name.clone()),
            ("country", s.country.clone().unwrap_or_default()),
            ("email", s.email.clone().unwrap_or_default()),
            ("photo_url", s.photo_url.clone().unwrap_or_default()),
        ],
        texts: vec![
            ("position", s.position.clone()),
            ("organization", s.organization.clone()),
            ("bio", s.bio.clone()),
        ],
        translations: s.translations.clone(),
    }
}

fn empty_values(kind: Kind) -> Values {
    Values {
        plain: kind
            .plain()
            .iter()
            .map(|(n, _)| (*n, String::new()))
            .collect(),
        texts: kind.texts().iter().map(|(n, _, _)| (*n, None)).collect(),
        translations: Translations::default(),
    }
}

fn posted_values(kind: Kind, posted: &Posted, default_language: &str) -> Values {
    let names: Vec<&'static str> = kind.texts().iter().map(|(n, _, _)| *n).collect();
    let texts = texts::read(posted, default_language, &names);
    Values {
        plain: kind
            .plain()
            .iter()
            .map(|(n, _)| (*n, posted.value(n)))
            .collect(),
        texts: names.iter().map(|n| (*n, Some(texts.plain(n)))).collect(),
        translations: texts.translations,
    }
}

fn form(
    m: &Messages,
    event: &events::Model,
    kind: Kind,
    id: Option<Uuid>,
    values: &Values,
    mut errors: FormErrors,
) -> ItemForm {
    // The add forms share the programme page: their element ids carry the kind.
    let prefix = if id.is_none() {
        format!("{}-", kind.as_str())
    } else {
        String::new()
    };
    let base = format!("/admin/events/{}/programme/{}", event.slug, kind.as_str());
    let specs: Vec<(&'static str, Option<&str>, bool, bool)> = kind
        .texts()
        .iter()
        .map(|(name, long, required)| {
            let value = values
                .texts
                .iter()
                .find(|(n, _)| n == name)
                .and_then(|(_, v)| v.as_deref());
            (*name, value, *long, *required)
        })
        .collect();
    ItemForm {
        kind: kind.as_str(),
        heading: m.t(&format!(
            "console-{}-{}",
            if id.is_some() { "edit" } else { "add" },
            kind.as_str()
        )),
        action: match id {
            Some(id) => format!("{base}/{id}"),
            None => base,
        },
        plain: kind
            .plain()
            .iter()
            .map(|(name, input_type)| PlainInput {
                name,
                input_type,
                label: m.t(&format!("console-field-{}", name.replace('_', "-"))),
                value: values
                    .plain
                    .iter()
                    .find(|(n, _)| n == name)
                    .map(|(_, v)| v.clone())
                    .unwrap_or_default(),
                error: errors.get(name).map(str::to_owned),
                required: *name == "full_name",
            })
            .collect(),
        texts: texts::prefixed(
            texts::fields(
                m,
                &event.default_language,
                &specs,
                &values.translations,
                &errors,
            ),
            &prefix,
        ),
        errors: {
            for item in &mut errors.items {
                if let Some(field) = &item.field {
                    item.field = Some(format!("{prefix}{field}"));
                }
            }
            errors
        },
        prefix,
    }
}

fn blank(text: String) -> Option<String> {
    Some(text).filter(|t| !t.trim().is_empty())
}

/// The item a form describes, as the use cases take it.
enum Fields {
    Track(TrackFields),
    Room(RoomFields),
    Speaker(SpeakerFields),
}

fn read(kind: Kind, posted: &Posted, event: &events::Model) -> Result<Fields, AppError> {
    let names: Vec<&'static str> = kind.texts().iter().map(|(n, _, _)| *n).collect();
    let texts = texts::read(posted, &event.default_language, &names);
    Ok(match kind {
        Kind::Tracks => Fields::Track(TrackFields {
            name: texts.plain("name"),
            color: blank(posted.value("color")),
            description: texts.optional("description"),
            translations: texts.translations,
        }),
        Kind::Rooms => {
            let mut errors = ValidationErrors::new();
            let capacity = optional_number(&mut errors, posted, "capacity");
            let position = optional_number(&mut errors, posted, "order");
            errors.into_result(())?;
            Fields::Room(RoomFields {
                name: texts.plain("name"),
                capacity,
                description: texts.optional("description"),
                position,
                translations: texts.translations,
            })
        }
        Kind::Speakers => Fields::Speaker(SpeakerFields {
            full_name: posted.value("full_name"),
            position: texts.optional("position"),
            organization: texts.optional("organization"),
            country: blank(posted.value("country")),
            bio: texts.optional("bio"),
            photo_url: blank(posted.value("photo_url")),
            email: blank(posted.value("email")),
            translations: texts.translations,
        }),
    })
}

async fn write(
    state: &AppState,
    event: &events::Model,
    id: Option<Uuid>,
    fields: Fields,
) -> Result<(), AppError> {
    let reference = event.id.to_string();
    let reference = reference.as_str();
    match (fields, id) {
        (Fields::Track(f), None) => programme_app::create(state, reference, f).await.map(drop),
        (Fields::Room(f), None) => programme_app::create(state, reference, f).await.map(drop),
        (Fields::Speaker(f), None) => programme_app::create(state, reference, f).await.map(drop),
        (Fields::Track(f), Some(id)) => programme_app::update(state, reference, id, |_| f)
            .await
            .map(drop),
        (Fields::Room(f), Some(id)) => programme_app::update(state, reference, id, |_| f)
            .await
            .map(drop),
        (Fields::Speaker(f), Some(id)) => programme_app::update(state, reference, id, |_| f)
            .await
            .map(drop),
    }
}

/// The sections of the programme page, `failed` holding the form that was refused.
async fn sections(
    state: &AppState,
    m: &Messages,
    event: &events::Model,
    mut failed: Option<(Kind, ItemForm)>,
) -> Result<Vec<Section>, AppError> {
    let reference = event.id.to_string();
    let audience = super::ORGANIZERS;
    let (_, tracks) =
        programme_app::list::<TrackFields>(state, &reference, audience, None, 1000).await?;
    let (_, rooms) =
        programme_app::list::<RoomFields>(state, &reference, audience, None, 1000).await?;
    let (_, speakers) =
        programme_app::list::<SpeakerFields>(state, &reference, audience, None, 1000).await?;
    let language = &m.language;
    let text = |translations: &Translations, field: &str, plain: &str| {
        crate::domain::language::Texts::new(translations, language)
            .text(field, plain)
            .to_owned()
    };
    let href = |kind: Kind, id: Uuid| {
        format!(
            "/admin/events/{}/programme/{}/{id}",
            event.slug,
            kind.as_str()
        )
    };
    let mut form_for = |kind: Kind| match failed.take_if(|(k, _)| *k == kind) {
        Some((_, form)) => form,
        None => form(
            m,
            event,
            kind,
            None,
            &empty_values(kind),
            FormErrors::none(),
        ),
    };
    Ok(vec![
        Section {
            kind: "tracks",
            heading: m.t("console-tracks"),
            rows: tracks
                .iter()
                .map(|t| ItemRow {
                    href: href(Kind::Tracks, t.id),
                    name: text(&t.translations, "name", &t.name),
                    detail: t.color.clone().unwrap_or_default(),
                })
                .collect(),
            form: form_for(Kind::Tracks),
        },
        Section {
            kind: "rooms",
            heading: m.t("console-rooms"),
            rows: rooms
                .iter()
                .map(|r| ItemRow {
                    href: href(Kind::Rooms, r.id),
                    name: text(&r.translations, "name", &r.name),
                    detail: r
                        .capacity
                        .map(|c| m.t_with("console-seats", &[("count", c.to_string())]))
                        .unwrap_or_default(),
                })
                .collect(),
            form: form_for(Kind::Rooms),
        },
        Section {
            kind: "speakers",
            heading: m.t("console-speakers"),
            rows: speakers
                .iter()
                .map(|s| ItemRow {
                    href: href(Kind::Speakers, s.id),
                    name: s.full_name.clone(),
                    detail: s
                        .organization
                        .as_deref()
                        .map(|o| text(&s.translations, "organization", o))
                        .unwrap_or_default(),
                })
                .collect(),
            form: form_for(Kind::Speakers),
        },
    ])
}

async fn show_programme(
    state: &AppState,
    req: &Request,
    desk: &Desk,
    event: &events::Model,
    failed: Option<(Kind, ItemForm)>,
) -> Response {
    let status = failed
        .as_ref()
        .map(|(_, f)| f.errors.status)
        .unwrap_or(StatusCode::OK);
    match sections(state, &desk.m, event, failed).await {
        Ok(sections) => {
            let page = ProgrammePage {
                c: desk.event_chrome(req, event, "programme"),
                m: desk.m.clone(),
                sections,
            };
            desk.page(state, status, page.render())
        }
        Err(err) => desk.failed(state, err),
    }
}

/// `GET /admin/events/{event}/programme`.
#[handler]
pub async fn programme(
    req: &Request,
    state: Data<&AppState>,
    csrf: &CsrfToken,
    Path(reference): Path<String>,
) -> Response {
    match Desk::with_event(&state, req, csrf, &reference).await {
        Ok((desk, event)) => show_programme(&state, req, &desk, &event, None).await,
        Err(response) => response,
    }
}

/// `POST /admin/events/{event}/programme/{kind}`: adds a track, room or speaker.
#[handler]
pub async fn add(
    req: &Request,
    state: Data<&AppState>,
    csrf: &CsrfToken,
    verifier: &CsrfVerifier,
    Path((reference, kind)): Path<(String, String)>,
    body: String,
) -> Response {
    let (desk, event) = match Desk::with_event(&state, req, csrf, &reference).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let Some(kind) = Kind::parse(&kind) else {
        return desk.failed(&state, AppError::NotFound("page"));
    };
    let back = format!("/admin/events/{}/programme", event.slug);
    let posted = Posted::parse(&body);
    if !posted.csrf_ok(verifier) {
        return refused_form(&state, req, &desk, &back);
    }
    let result = match read(kind, &posted, &event) {
        Ok(fields) => write(&state, &event, None, fields).await,
        Err(err) => Err(err),
    };
    match result {
        Ok(()) => done(&format!("{back}?done=added#{}", kind.as_str())),
        Err(err) => match FormErrors::of(&desk.m, &err) {
            Some(errors) => {
                let values = posted_values(kind, &posted, &event.default_language);
                let form = form(&desk.m, &event, kind, None, &values, errors);
                show_programme(&state, req, &desk, &event, Some((kind, form))).await
            }
            None => desk.failed(&state, err),
        },
    }
}

async fn stored_values(
    state: &AppState,
    event: &events::Model,
    kind: Kind,
    id: Uuid,
) -> Result<Values, AppError> {
    let reference = event.id.to_string();
    let audience = super::ORGANIZERS;
    Ok(match kind {
        Kind::Tracks => track_values(
            &programme_app::find::<TrackFields>(state, &reference, audience, id)
                .await?
                .1,
        ),
        Kind::Rooms => room_values(
            &programme_app::find::<RoomFields>(state, &reference, audience, id)
                .await?
                .1,
        ),
        Kind::Speakers => speaker_values(
            &programme_app::find::<SpeakerFields>(state, &reference, audience, id)
                .await?
                .1,
        ),
    })
}

fn show_item(
    state: &AppState,
    req: &Request,
    desk: &Desk,
    event: &events::Model,
    form: ItemForm,
) -> Response {
    let status = form.errors.status;
    let page = ItemPage {
        c: desk.event_chrome(req, event, "programme"),
        m: desk.m.clone(),
        delete_action: format!("{}/delete", form.action),
        form,
    };
    desk.page(state, status, page.render())
}

/// `GET /admin/events/{event}/programme/{kind}/{id}`: the item's form.
#[handler]
pub async fn edit_form(
    req: &Request,
    state: Data<&AppState>,
    csrf: &CsrfToken,
    Path((reference, kind, id)): Path<(String, String, String)>,
) -> Response {
    let (desk, event) = match Desk::with_event(&state, req, csrf, &reference).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let (Some(kind), Ok(id)) = (Kind::parse(&kind), id.parse::<Uuid>()) else {
        return desk.failed(&state, AppError::NotFound("page"));
    };
    match stored_values(&state, &event, kind, id).await {
        Ok(values) => {
            let form = form(&desk.m, &event, kind, Some(id), &values, FormErrors::none());
            show_item(&state, req, &desk, &event, form)
        }
        Err(err) => desk.failed(&state, err),
    }
}

/// `POST /admin/events/{event}/programme/{kind}/{id}`: saves the item.
#[handler]
pub async fn save(
    req: &Request,
    state: Data<&AppState>,
    csrf: &CsrfToken,
    verifier: &CsrfVerifier,
    Path((reference, kind, id)): Path<(String, String, String)>,
    body: String,
) -> Response {
    let (desk, event) = match Desk::with_event(&state, req, csrf, &reference).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let (Some(kind), Ok(id)) = (Kind::parse(&kind), id.parse::<Uuid>()) else {
        return desk.failed(&state, AppError::NotFound("page"));
    };
    let back = format!("/admin/events/{}/programme", event.slug);
    let posted = Posted::parse(&body);
    if !posted.csrf_ok(verifier) {
        return refused_form(&state, req, &desk, &back);
    }
    let result = match read(kind, &posted, &event) {
        Ok(fields) => write(&state, &event, Some(id), fields).await,
        Err(err) => Err(err),
    };
    match result {
        Ok(()) => done(&format!("{back}?done=saved#{}", kind.as_str())),
        Err(err) => match FormErrors::of(&desk.m, &err) {
            Some(errors) => {
                let values = posted_values(kind, &posted, &event.default_language);
                let form = form(&desk.m, &event, kind, Some(id), &values, errors);
                show_item(&state, req, &desk, &event, form)
            }
            None => desk.failed(&state, err),
        },
    }
}

/// `POST /admin/events/{event}/programme/{kind}/{id}/delete`: deletes an item no session uses.
#[handler]
pub async fn delete(
    req: &Request,
    state: Data<&AppState>,
    csrf: &CsrfToken,
    verifier: &CsrfVerifier,
    Path((reference, kind, id)): Path<(String, String, String)>,
    body: String,
) -> Response {
    let (desk, event) = match Desk::with_event(&state, req, csrf, &reference).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let (Some(kind), Ok(id)) = (Kind::parse(&kind), id.parse::<Uuid>()) else {
        return desk.failed(&state, AppError::NotFound("page"));
    };
    let back = format!("/admin/events/{}/programme", event.slug);
    if !Posted::parse(&body).csrf_ok(verifier) {
        return refused_form(&state, req, &desk, &back);
    }
    let reference = event.id.to_string();
    let result = match kind {
        Kind::Tracks => programme_app::delete::<TrackFields>(&state, &reference, id).await,
        Kind::Rooms => programme_app::delete::<RoomFields>(&state, &reference, id).await,
        Kind::Speakers => programme_app::delete::<SpeakerFields>(&state, &reference, id).await,
    };
    match result {
        Ok(()) => done(&format!("{back}?done=deleted#{}", kind.as_str())),
        Err(AppError::Refused(refusal)) => {
            desk.not_done(&state, req, StatusCode::CONFLICT, refusal.detail, back)
        }
        Err(err) => desk.failed(&state, err),
    }
}
