//! HTTP only: one module per OpenAPI tag, each an `#[OpenApi]` struct with its request and
//! response types. Handlers check rights, translate between API types and domain fields, and
//! call `store`; they hold no rules of their own.

pub mod agenda;
pub mod auth;
pub mod badges;
pub mod calendar;
pub mod categories;
pub mod certificates;
pub mod checkin_tokens;
pub mod checkin_types;
pub mod checkins;
pub mod common;
pub mod delegates;
pub mod docs_policy;
pub mod document;
pub mod endpoint;
pub mod enums;
pub mod errors;
pub mod event_types;
pub mod events;
pub mod guard;
pub mod health;
pub mod outbox;
pub mod print;
pub mod problem;
pub mod registration_export;
pub mod registration_views;
pub mod registrations;
pub mod rooms;
pub mod scan_response;
pub mod schedule;
pub mod sessions;
pub mod speakers;
pub mod tracks;
pub mod translations;

use poem_openapi::types::MaybeUndefined;
use poem_openapi::{OpenApiService, Tags};

use crate::application::AppState;

/// The tags of the OpenAPI document, one per area.
#[derive(Tags)]
pub enum ApiTags {
    /// Liveness and readiness probes.
    Health,
    /// Events: the Dialogue, conferences, seminars, training courses.
    Events,
    /// Thematic tracks of an event's programme.
    Tracks,
    /// Rooms of the venue.
    Rooms,
    /// Speakers; e-mail addresses are for organizers only.
    Speakers,
    /// Sessions of the programme.
    Sessions,
    /// The published agenda, grouped by local day.
    Agenda,
    /// Registration of delegates; accreditation by organizers.
    Registrations,
    /// Self-service for delegates with their manage token.
    Delegates,
    /// Printable badges with the signed QR code.
    Badges,
    /// PDFs to print: badge sheets, one badge, the agenda.
    Print,
    /// Scanning badges at the venue and room doors, online and offline.
    Checkins,
    /// Tokens for the scanners of an event: create, list, revoke.
    CheckinTokens,
    /// iCalendar feeds to subscribe to.
    Calendar,
    /// The schedule for conference apps: frab `schedule.xml`, c3voc `schedule.json`.
    Exports,
    /// Certificates of attendance: rules, issuing from check-ins, verification by anyone.
    Certificates,
    /// E-mails to delegates: what was sent, what failed and why, send again.
    Outbox,
}

/// Every API of the service, as one OpenAPI document.
pub type Apis = (
    health::HealthApi,
    events::EventsApi,
    tracks::TracksApi,
    rooms::RoomsApi,
    speakers::SpeakersApi,
    sessions::SessionsApi,
    agenda::AgendaApi,
    (registrations::RegistrationsApi, categories::CategoriesApi),
    delegates::DelegatesApi,
    badges::BadgesApi,
    print::PrintApi,
    checkins::CheckinsApi,
    checkin_tokens::CheckinTokensApi,
    calendar::CalendarApi,
    // poem-openapi joins at most 16 APIs in one tuple: the exports and the certificates
    // are one member.
    (schedule::ScheduleApi, certificates::CertificatesApi),
    outbox::OutboxApi,
);

/// The OpenAPI service over every API.
pub fn service(state: &AppState) -> OpenApiService<Apis, ()> {
    let apis = (
        health::HealthApi {
            state: state.clone(),
        },
        events::EventsApi {
            state: state.clone(),
        },
        tracks::TracksApi {
            state: state.clone(),
        },
        rooms::RoomsApi {
            state: state.clone(),
        },
        speakers::SpeakersApi {
            state: state.clone(),
        },
        sessions::SessionsApi {
            state: state.clone(),
        },
        agenda::AgendaApi {
            state: state.clone(),
        },
        (
            registrations::RegistrationsApi {
                state: state.clone(),
            },
            categories::CategoriesApi {
                state: state.clone(),
            },
        ),
        delegates::DelegatesApi {
            state: state.clone(),
        },
        badges::BadgesApi {
            state: state.clone(),
        },
        print::PrintApi {
            state: state.clone(),
        },
        checkins::CheckinsApi {
            state: state.clone(),
        },
        checkin_tokens::CheckinTokensApi {
            state: state.clone(),
        },
        calendar::CalendarApi {
            state: state.clone(),
        },
        (
            schedule::ScheduleApi {
                state: state.clone(),
            },
            certificates::CertificatesApi {
                state: state.clone(),
            },
        ),
        outbox::OutboxApi {
            state: state.clone(),
        },
    );
    OpenApiService::new(apis, "Dialogue", env!("CARGO_PKG_VERSION")).description(
        "Event and conference management for the interregional Dialogue on digital \
         cooperation, seminars and training courses: agendas, registration, badges, check-in \
         and calendar feeds. Errors are RFC 9457 problem details (application/problem+json).",
    )
}

/// The OpenAPI document as served and committed (see [`document`]).
pub fn openapi_document(state: &AppState) -> String {
    document::corrected(&service(state).spec())
}

/// A patched optional value: absent keeps `current`, `null` clears it.
pub fn patch_value<T>(current: Option<T>, patch: MaybeUndefined<T>) -> Option<T> {
    match patch {
        MaybeUndefined::Undefined => current,
        MaybeUndefined::Null => None,
        MaybeUndefined::Value(value) => Some(value),
    }
}
