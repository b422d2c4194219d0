//! Sessions in the console: the day view (rooms against time, one local day at a time, drafts
//! and cancelled sessions marked, clashes marked) with a list of the same sessions for small
//! screens, and the session form, which names the sessions a change clashes with and lets the
//! organizer keep the overlap on purpose.

use std::collections::HashMap;

use askama::Template;
use chrono::{DateTime, Days, NaiveDate, NaiveTime, TimeZone, Utc};
use poem::http::StatusCode;
use poem::web::{CsrfToken, CsrfVerifier, Data, Path};
use poem::{Request, Response, handler};
use uuid::Uuid;

use entities::events;

use super::event_pages::optional_number;
use super::sign_in::refused_form;
use super::texts::{self, TextField};
use super::{ConsoleChrome, Desk, done, query_value};
use crate::app::programme as programme_app;
use crate::app::sessions::{self as sessions_app, SessionQuery};
use crate::application::AppState;
use crate::domain::day_plan::{self, Planned, SLOT_MINUTES};
use crate::domain::enums::{SessionKind, SessionStatus};
use crate::domain::language::{SUPPORTED, Texts, Translations};
use crate::domain::session::{ClashReason, SessionFields};
use crate::domain::speaker::{RoomFields, SpeakerFields, TrackFields};
use crate::domain::validation::ValidationErrors;
use crate::error::AppError;
use crate::store::sessions::SessionRow;
use crate::web::forms::{FormError, FormErrors, Posted, SelectOption};
use crate::web::i18n::Messages;
use crate::web::public::zone;

/// A session in the grid or the list.
pub struct Cell {
    pub href: String,
    pub title: String,
    pub time: String,
    pub rowspan: usize,
    pub status: &'static str,
    pub status_text: String,
    pub clash: bool,
}

/// One row of the grid: its time and its cells (a covered place has no cell).
pub struct GridRow {
    pub time: String,
    pub full_hour: bool,
    pub cells: Vec<Option<Cell>>,
}

/// A column heading: the room, over as many lanes as it has.
pub struct Heading {
    pub name: String,
    pub span: usize,
}

/// A day to choose.
pub struct DayLink {
    pub href: String,
    pub label: String,
    pub current: bool,
}

#[derive(Template)]
#[template(path = "console/sessions.html")]
struct DayPage {
    c: ConsoleChrome,
    m: Messages,
    new_href: String,
    days: Vec<DayLink>,
    day_title: String,
    zone_note: String,
    headings: Vec<Heading>,
    rows: Vec<GridRow>,
    list: Vec<Cell>,
    clashes: usize,
}

/// A `<select>` or checkbox choice.
pub type Choice = SelectOption;

/// The session form as shown.
pub struct SessionForm {
    pub action: String,
    pub heading: String,
    pub texts: Vec<TextField>,
    pub kinds: Vec<Choice>,
    pub statuses: Vec<Choice>,
    pub tracks: Vec<Choice>,
    pub rooms: Vec<Choice>,
    pub days: Vec<Choice>,
    pub languages: Vec<Choice>,
    pub speakers: Vec<Choice>,
    pub starts: String,
    pub ends: String,
    pub capacity: String,
    /// The sessions the last attempt clashed with (the overlap can be kept).
    pub clashes: Vec<ClashView>,
    pub keep_overlap: bool,
}

/// A clash named on the form.
pub struct ClashView {
    pub href: String,
    pub title: String,
    pub reason: String,
}

#[derive(Template)]
#[template(path = "console/session_form.html")]
struct FormPage {
    c: ConsoleChrome,
    m: Messages,
    form: SessionForm,
    errors: FormErrors,
}

/// What the day view and the form need of the event's programme.
struct Programme {
    tracks: Vec<(Uuid, String)>,
    rooms: Vec<(Uuid, String)>,
    speakers: Vec<(Uuid, String)>,
}

async fn programme(
    state: &AppState,
    event: &events::Model,
    language: &str,
) -> Result<Programme, AppError> {
    let reference = event.id.to_string();
    let audience = super::ORGANIZERS;
    let name = |translations: &Translations, plain: &str| {
        Texts::new(translations, language)
            .text("name", plain)
            .to_owned()
    };
    let (_, tracks) =
        programme_app::list::<TrackFields>(state, &reference, audience, None, 1000).await?;
    let (_, rooms) =
        programme_app::list::<RoomFields>(state, &reference, audience, None, 1000).await?;
    let (_, speakers) =
        programme_app::list::<SpeakerFields>(state, &reference, audience, None, 1000).await?;
    Ok(Programme {
        tracks: tracks
            .iter()
            .map(|t| (t.id, name(&t.translations, &t.name)))
            .collect(),
        rooms: rooms
            .iter()
            .map(|r| (r.id, name(&r.translations, &r.name)))
            .collect(),
        speakers: speakers
            .iter()
            .map(|s| (s.id, s.full_name.clone()))
            .collect(),
    })
}

fn event_days(event: &events::Model) -> Vec<NaiveDate> {
    let mut days = Vec::new();
    let mut day = event.starts_on;
    while day <= event.ends_on && days.len() < 60 {
        days.push(day);
        match day.checked_add_days(Days::new(1)) {
            Some(next) => day = next,
            None => break,
        }
    }
    days
}

fn status_text(m: &Messages, status: SessionStatus) -> String {
    m.t(&format!("console-session-{}", status.as_str()))
}

fn title_of(row: &SessionRow, language: &str) -> String {
    Texts::new(&row.session.translations, language)
        .text("title", &row.session.title)
        .to_owned()
}

fn cell(
    m: &Messages,
    event: &events::Model,
    row: &SessionRow,
    clash: bool,
    rowspan: usize,
) -> Cell {
    let tz = zone(event);
    let time = |at: DateTime<Utc>| at.with_timezone(&tz).format("%H:%M").to_string();
    Cell {
        href: format!("/admin/events/{}/sessions/{}", event.slug, row.session.id),
        title: title_of(row, &m.language),
        time: format!(
            "{}–{}",
            time(row.session.starts_at),
            time(row.session.ends_at)
        ),
        rowspan,
        status: row.session.status.as_str(),
        status_text: status_text(m, row.session.status),
        clash,
    }
}

/// `GET /admin/events/{event}/sessions?day=`: the day view.
#[handler]
pub async fn day_view(
    req: &Request,
    state: Data<&AppState>,
    csrf: &CsrfToken,
    Path(reference): Path<String>,
) -> Response {
    let desk = match Desk::of(&state, req, csrf).await {
        Ok(desk) => desk,
        Err(response) => return response,
    };
    let m = &desk.m;
    let result = async {
        let event = crate::app::events::visible(&state, &reference, super::ORGANIZERS).await?;
        let days = event_days(&event);
        let day = query_value(req, "day")
            .and_then(|d| d.parse::<NaiveDate>().ok())
            .filter(|d| days.contains(d))
            .unwrap_or(event.starts_on);
        let query = SessionQuery {
            day: Some(day),
            ..SessionQuery::default()
        };
        let (_, rows) =
            sessions_app::list(&state, &reference, super::ORGANIZERS, query, None, 2000).await?;
        let programme = programme(&state, &event, &m.language).await?;
        Ok::<_, AppError>((event, days, day, rows, programme))
    }
    .await;
    let (event, days, day, rows, programme) = match result {
        Ok(found) => found,
        Err(err) => return desk.failed(&state, err),
    };
    let tz = zone(&event);
    let planned: Vec<Planned> = rows
        .iter()
        .map(|row| Planned {
            id: row.session.id,
            room: row.session.room_id,
            starts_at: row.session.starts_at,
            ends_at: row.session.ends_at,
            speakers: row.speaker_ids.clone(),
            cancelled: row.session.status == SessionStatus::Cancelled,
        })
        .collect();
    let room_ids: Vec<Uuid> = programme.rooms.iter().map(|(id, _)| *id).collect();
    let plan = day_plan::plan(&planned, &room_ids, tz);
    let by_id: HashMap<Uuid, &SessionRow> = rows.iter().map(|r| (r.session.id, r)).collect();
    let mut headings: Vec<Heading> = Vec::new();
    for column in &plan.columns {
        match headings.last_mut() {
            Some(last) if column.lane > 0 => last.span += 1,
            _ => headings.push(Heading {
                name: match column.room {
                    Some(room) => programme
                        .rooms
                        .iter()
                        .find(|(id, _)| *id == room)
                        .map(|(_, name)| name.clone())
                        .unwrap_or_default(),
                    None => m.t("console-no-room"),
                },
                span: 1,
            }),
        }
    }
    // Which grid places are covered by a session that started above them.
    let mut grid: Vec<Vec<Option<Option<Cell>>>> = (0..plan.slots)
        .map(|_| (0..plan.columns.len()).map(|_| Some(None)).collect())
        .collect();
    for placed in &plan.placed {
        let Some(row) = by_id.get(&placed.id) else {
            continue;
        };
        let clash = plan.clashing.contains(&placed.id);
        for slot in placed.first_slot..placed.first_slot + placed.slots {
            if let Some(place) = grid.get_mut(slot).and_then(|r| r.get_mut(placed.column)) {
                *place = None;
            }
        }
        if let Some(place) = grid
            .get_mut(placed.first_slot)
            .and_then(|r| r.get_mut(placed.column))
        {
            *place = Some(Some(cell(m, &event, row, clash, placed.slots)));
        }
    }
    let grid_rows = grid
        .into_iter()
        .enumerate()
        .map(|(index, places)| {
            let minutes = index as u32 * SLOT_MINUTES;
            let time = plan.first + chrono::Duration::minutes(i64::from(minutes));
            GridRow {
                time: time.format("%H:%M").to_string(),
                full_hour: time.format("%M").to_string() == "00",
                // `None` places are covered and get no cell; `Some(None)` is an empty cell.
                cells: places.into_iter().flatten().collect(),
            }
        })
        .collect::<Vec<_>>();
    let list = rows
        .iter()
        .map(|row| cell(m, &event, row, plan.clashing.contains(&row.session.id), 1))
        .collect();
    let base = format!("/admin/events/{}/sessions", event.slug);
    let page = DayPage {
        c: desk.event_chrome(req, &event, "sessions"),
        m: m.clone(),
        new_href: format!("{base}/new?day={day}"),
        days: days
            .iter()
            .map(|d| DayLink {
                href: format!("{base}?day={d}"),
                label: m.date_short(*d),
                current: *d == day,
            })
            .collect(),
        day_title: m.date_long(day),
        zone_note: m.zone_note(&event.timezone, event.starts_on),
        headings,
        rows: grid_rows,
        list,
        clashes: plan.clashing.len(),
    };
    desk.page(&state, StatusCode::OK, page.render())
}

/// The texts of a session: field, long, required.
const TEXTS: [(&str, bool, bool); 2] = [("title", false, true), ("abstract", true, false)];

fn choices<T: Copy>(
    all: &[T],
    selected: &str,
    label: impl Fn(T) -> (String, String),
) -> Vec<Choice> {
    all.iter()
        .map(|value| {
            let (value, label) = label(*value);
            Choice {
                selected: value == selected,
                value,
                label,
            }
        })
        .collect()
}

/// What the form shows, as typed.
struct Typed {
    kind: String,
    status: String,
    track: String,
    room: String,
    day: String,
    starts: String,
    ends: String,
    language: String,
    capacity: String,
    speakers: Vec<String>,
}

#[allow(clippy::too_many_arguments)]
fn session_form(
    m: &Messages,
    event: &events::Model,
    programme: &Programme,
    id: Option<Uuid>,
    typed: Typed,
    texts: Vec<TextField>,
    clashes: Vec<ClashView>,
    keep_overlap: bool,
) -> SessionForm {
    let base = format!("/admin/events/{}/sessions", event.slug);
    let none = |label: String| Choice {
        value: String::new(),
        label,
        selected: false,
    };
    let named = |items: &[(Uuid, String)], selected: &str| -> Vec<Choice> {
        items
            .iter()
            .map(|(id, name)| Choice {
                value: id.to_string(),
                label: name.clone(),
                selected: id.to_string() == selected,
            })
            .collect()
    };
    let mut tracks = vec![none(m.t("console-none"))];
    tracks.extend(named(&programme.tracks, &typed.track));
    let mut rooms = vec![none(m.t("console-none"))];
    rooms.extend(named(&programme.rooms, &typed.room));
    SessionForm {
        action: match id {
            Some(id) => format!("{base}/{id}"),
            None => format!("{base}/new"),
        },
        heading: m.t(if id.is_some() {
            "console-session-edit"
        } else {
            "console-session-new"
        }),
        texts,
        kinds: choices(SessionKind::ALL, &typed.kind, |k| {
            (
                k.as_str().to_owned(),
                m.t(&format!("session-kind-{}", k.as_str())),
            )
        }),
        statuses: choices(SessionStatus::ALL, &typed.status, |s| {
            (s.as_str().to_owned(), status_text(m, s))
        }),
        tracks,
        rooms,
        days: event_days(event)
            .into_iter()
            .map(|d| Choice {
                value: d.to_string(),
                label: m.date_long(d),
                selected: d.to_string() == typed.day,
            })
            .collect(),
        languages: SUPPORTED
            .iter()
            .map(|code| Choice {
                value: (*code).to_owned(),
                label: m.language_name(code),
                selected: *code == typed.language,
            })
            .collect(),
        speakers: programme
            .speakers
            .iter()
            .map(|(id, name)| Choice {
                value: id.to_string(),
                label: name.clone(),
                selected: typed.speakers.contains(&id.to_string()),
            })
            .collect(),
        starts: typed.starts,
        ends: typed.ends,
        capacity: typed.capacity,
        clashes,
        keep_overlap,
    }
}

fn typed_of(posted: &Posted) -> Typed {
    Typed {
        kind: posted.value("kind"),
        status: posted.value("status"),
        track: posted.value("track_id"),
        room: posted.value("room_id"),
        day: posted.value("day"),
        starts: posted.value("starts"),
        ends: posted.value("ends"),
        language: posted.value("language"),
        capacity: posted.value("capacity"),
        speakers: posted.values("speaker_ids"),
    }
}

fn typed_from(row: &SessionRow, event: &events::Model) -> Typed {
    let tz = zone(event);
    let s = &row.session;
    let start = s.starts_at.with_timezone(&tz);
    Typed {
        kind: s.kind.as_str().to_owned(),
        status: s.status.as_str().to_owned(),
        track: s.track_id.map(|t| t.to_string()).unwrap_or_default(),
        room: s.room_id.map(|r| r.to_string()).unwrap_or_default(),
        day: start.date_naive().to_string(),
        starts: start.format("%H:%M").to_string(),
        ends: s.ends_at.with_timezone(&tz).format("%H:%M").to_string(),
        language: s.language.clone(),
        capacity: s.capacity.map(|c| c.to_string()).unwrap_or_default(),
        speakers: row.speaker_ids.iter().map(Uuid::to_string).collect(),
    }
}

fn optional_id(errors: &mut ValidationErrors, posted: &Posted, name: &str) -> Option<Uuid> {
    let text = posted.value(name);
    if text.is_empty() {
        return None;
    }
    errors.check(
        name,
        text.parse::<Uuid>().map_err(|_| "is not an id".to_owned()),
    )
}

/// A local time of `day` in the event's zone; an end at or before the start is on the next day.
fn local_at(tz: chrono_tz::Tz, day: NaiveDate, time: NaiveTime) -> Option<DateTime<Utc>> {
    tz.from_local_datetime(&day.and_time(time))
        .earliest()
        .map(|at| at.with_timezone(&Utc))
}

/// Reads the session form into the fields the use cases take.
fn read(posted: &Posted, event: &events::Model) -> Result<SessionFields, AppError> {
    let mut errors = ValidationErrors::new();
    let names: Vec<&'static str> = TEXTS.iter().map(|(n, _, _)| *n).collect();
    let texts = texts::read(posted, &event.default_language, &names);
    let kind = errors.check(
        "kind",
        posted
            .value("kind")
            .parse::<SessionKind>()
            .map_err(|e| e.to_string()),
    );
    let status = errors.check(
        "status",
        posted
            .value("status")
            .parse::<SessionStatus>()
            .map_err(|e| e.to_string()),
    );
    let day = errors.check(
        "day",
        posted
            .value("day")
            .parse::<NaiveDate>()
            .map_err(|_| "must be a day of the event".to_owned()),
    );
    let time = |errors: &mut ValidationErrors, name: &str| {
        errors.check(
            name,
            NaiveTime::parse_from_str(posted.value(name).trim(), "%H:%M")
                .map_err(|_| "must be a time (HH:MM)".to_owned()),
        )
    };
    let starts = time(&mut errors, "starts");
    let ends = time(&mut errors, "ends");
    let track_id = optional_id(&mut errors, posted, "track_id");
    let room_id = optional_id(&mut errors, posted, "room_id");
    let capacity = optional_number(&mut errors, posted, "capacity");
    let speaker_ids: Vec<Uuid> = posted
        .values("speaker_ids")
        .iter()
        .filter_map(|id| {
            errors.check(
                "speaker_ids",
                id.parse().map_err(|_| "is not an id".to_owned()),
            )
        })
        .collect();
    let tz = zone(event);
    let (starts_at, ends_at) = match (day, starts, ends) {
        (Some(day), Some(starts), Some(ends)) => {
            let end_day = if ends <= starts {
                day.checked_add_days(Days::new(1)).unwrap_or(day)
            } else {
                day
            };
            (
                errors.check(
                    "starts",
                    local_at(tz, day, starts)
                        .ok_or_else(|| "does not exist on that day".to_owned()),
                ),
                errors.check(
                    "ends",
                    local_at(tz, end_day, ends)
                        .ok_or_else(|| "does not exist on that day".to_owned()),
                ),
            )
        }
        _ => (None, None),
    };
    errors.into_result(())?;
    let (Some(kind), Some(status), Some(starts_at), Some(ends_at)) =
        (kind, status, starts_at, ends_at)
    else {
        return Err(AppError::unexpected("a checked field was missing"));
    };
    let language = posted.value("language");
    Ok(SessionFields {
        title: texts.plain("title"),
        r#abstract: texts.optional("abstract"),
        kind,
        track_id,
        room_id,
        starts_at,
        ends_at,
        language: if language.is_empty() {
            event.default_language.clone()
        } else {
            language
        },
        capacity,
        speaker_ids,
        status,
        translations: texts.translations,
    })
}

fn clash_views(
    m: &Messages,
    event: &events::Model,
    err: &AppError,
    speakers: &[(Uuid, String)],
) -> Vec<ClashView> {
    let AppError::Refused(refusal) = err else {
        return Vec::new();
    };
    refusal
        .clashes
        .iter()
        .map(|clash| ClashView {
            href: format!("/admin/events/{}/sessions/{}", event.slug, clash.session_id),
            title: clash.title.clone(),
            reason: match clash.reason {
                ClashReason::SameRoom => m.t("console-clash-room"),
                ClashReason::SameSpeaker(speaker) => m.t_with(
                    "console-clash-speaker",
                    &[(
                        "speaker",
                        speakers
                            .iter()
                            .find(|(id, _)| *id == speaker)
                            .map(|(_, name)| name.clone())
                            .unwrap_or_default(),
                    )],
                ),
            },
        })
        .collect()
}

async fn event_desk(
    state: &AppState,
    req: &Request,
    csrf: &CsrfToken,
    reference: &str,
) -> Result<(Desk, events::Model, Programme), Response> {
    let (desk, event) = Desk::with_event(state, req, csrf, reference).await?;
    match programme(state, &event, &desk.m.language).await {
        Ok(programme) => Ok((desk, event, programme)),
        Err(err) => Err(desk.failed(state, err)),
    }
}

fn show_form(
    state: &AppState,
    req: &Request,
    desk: &Desk,
    event: &events::Model,
    form: SessionForm,
    errors: FormErrors,
) -> Response {
    let status = errors.status;
    let page = FormPage {
        c: desk.event_chrome(req, event, "sessions"),
        m: desk.m.clone(),
        form,
        errors,
    };
    desk.page(state, status, page.render())
}

/// `GET /admin/events/{event}/sessions/new?day=`.
#[handler]
pub async fn new_form(
    req: &Request,
    state: Data<&AppState>,
    csrf: &CsrfToken,
    Path(reference): Path<String>,
) -> Response {
    let (desk, event, programme) = match event_desk(&state, req, csrf, &reference).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let errors = FormErrors::none();
    let texts = texts::fields(
        &desk.m,
        &event.default_language,
        &[
            ("title", None, false, true),
            ("abstract", None, true, false),
        ],
        &Translations::default(),
        &errors,
    );
    let typed = Typed {
        kind: "talk".into(),
        status: "draft".into(),
        track: String::new(),
        room: String::new(),
        day: query_value(req, "day").unwrap_or_else(|| event.starts_on.to_string()),
        starts: "09:00".into(),
        ends: "10:00".into(),
        language: event.default_language.clone(),
        capacity: String::new(),
        speakers: Vec::new(),
    };
    let form = session_form(
        &desk.m,
        &event,
        &programme,
        None,
        typed,
        texts,
        Vec::new(),
        false,
    );
    show_form(&state, req, &desk, &event, form, errors)
}

/// `GET /admin/events/{event}/sessions/{id}`.
#[handler]
pub async fn edit_form(
    req: &Request,
    state: Data<&AppState>,
    csrf: &CsrfToken,
    Path((reference, id)): Path<(String, String)>,
) -> Response {
    let (desk, event, programme) = match event_desk(&state, req, csrf, &reference).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let Ok(id) = id.parse::<Uuid>() else {
        return desk.failed(&state, AppError::NotFound("session"));
    };
    let row = match sessions_app::find(&state, &event.id.to_string(), super::ORGANIZERS, id).await {
        Ok((_, row)) => row,
        Err(err) => return desk.failed(&state, err),
    };
    let errors = FormErrors::none();
    let texts = texts::fields(
        &desk.m,
        &event.default_language,
        &[
            ("title", Some(row.session.title.as_str()), false, true),
            ("abstract", row.session.r#abstract.as_deref(), true, false),
        ],
        &row.session.translations,
        &errors,
    );
    let typed = typed_from(&row, &event);
    let form = session_form(
        &desk.m,
        &event,
        &programme,
        Some(id),
        typed,
        texts,
        Vec::new(),
        false,
    );
    show_form(&state, req, &desk, &event, form, errors)
}

async fn submit(
    state: &AppState,
    req: &Request,
    csrf: &CsrfToken,
    verifier: &CsrfVerifier,
    reference: &str,
    id: Option<Uuid>,
    body: &str,
) -> Response {
    let (desk, event, programme) = match event_desk(state, req, csrf, reference).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let back = format!("/admin/events/{}/sessions", event.slug);
    let posted = Posted::parse(body);
    if !posted.csrf_ok(verifier) {
        return refused_form(state, req, &desk, &back);
    }
    let keep_overlap = posted.ticked("keep_overlap");
    let reference = event.id.to_string();
    let result = match read(&posted, &event) {
        Ok(fields) => match id {
            None => sessions_app::create(state, &reference, fields, keep_overlap).await,
            Some(id) => sessions_app::update(state, &reference, id, |_| fields, keep_overlap).await,
        },
        Err(err) => Err(err),
    };
    match result {
        Ok(outcome) => {
            let (_, row) = outcome.value;
            let day = row
                .session
                .starts_at
                .with_timezone(&zone(&event))
                .date_naive();
            done(&format!("{back}?day={day}&done=saved"))
        }
        Err(err) => {
            let clashes = clash_views(&desk.m, &event, &err, &programme.speakers);
            let Some(mut errors) = FormErrors::of(&desk.m, &err) else {
                return desk.failed(state, err);
            };
            if !clashes.is_empty() {
                errors.items = vec![FormError {
                    field: Some("keep_overlap".into()),
                    message: desk.m.t("console-clash-found"),
                }];
            }
            let names: Vec<&'static str> = TEXTS.iter().map(|(n, _, _)| *n).collect();
            let posted_texts = texts::read(&posted, &event.default_language, &names);
            let texts = texts::fields_posted(
                &desk.m,
                &event.default_language,
                &TEXTS,
                &posted_texts,
                &errors,
            );
            let form = session_form(
                &desk.m,
                &event,
                &programme,
                id,
                typed_of(&posted),
                texts,
                clashes,
                false,
            );
            show_form(state, req, &desk, &event, form, errors)
        }
    }
}

/// `POST /admin/events/{event}/sessions/new`.
#[handler]
pub async fn create(
    req: &Request,
    state: Data<&AppState>,
    csrf: &CsrfToken,
    verifier: &CsrfVerifier,
    Path(reference): Path<String>,
    body: String,
) -> Response {
    submit(&state, req, csrf, verifier, &reference, None, &body).await
}

/// `POST /admin/events/{event}/sessions/{id}`.
#[handler]
pub async fn save(
    req: &Request,
    state: Data<&AppState>,
    csrf: &CsrfToken,
    verifier: &CsrfVerifier,
    Path((reference, id)): Path<(String, String)>,
    body: String,
) -> Response {
    match id.parse::<Uuid>() {
        Ok(id) => submit(&state, req, csrf, verifier, &reference, Some(id), &body).await,
        Err(_) => match Desk::of(&state, req, csrf).await {
            Ok(desk) => desk.failed(&state, AppError::NotFound("session")),
            Err(response) => response,
        },
    }
}
