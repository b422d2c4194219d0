//! Check-in for scanners (check-in tokens of the event, or organizers): one scan, scans made
//! offline, the offline kit (public keys, revoked badges), attendance figures and look-up of
//! attendees by name.

use chrono::{DateTime, FixedOffset};
use poem_openapi::param::{Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::{OpenApi, SecurityScheme, auth::Bearer};

use super::ApiTags;
use super::auth::{Principal, principal_of};
use super::checkin_types::{
    Attendance, Attendee, Attendees, BatchAnswer, BatchItem, BatchResult, CheckinBatch,
    CheckinRequest, CheckinResult, DayAttendance, Direction, OfflineKeys, PublicKey, Revocation,
    Revocations, SessionAttendance, status_of,
};
use super::common::{event_tz, local, to_utc};
use super::scan_response::ScanResponse;
use crate::api_errors;
use crate::app::checkin::{self as checkin_app, RevokedFrom};
use crate::application::AppState;
use crate::domain::badge_code;
use crate::domain::checkin::Direction as DomainDirection;
use crate::error::AppError;

/// A check-in token of the event, or an organizer token.
#[derive(SecurityScheme)]
#[oai(ty = "bearer", rename = "ScannerToken", checker = "resolve_scanner")]
pub struct ScannerAuth(pub Principal);

async fn resolve_scanner(req: &poem::Request, bearer: Bearer) -> poem::Result<Principal> {
    let state = req
        .data::<AppState>()
        .ok_or_else(|| AppError::unexpected("application state missing"))?;
    let principal = principal_of(state, &bearer.token).await?;
    match principal {
        Principal::Organizer { .. } | Principal::Checkin { .. } => Ok(principal),
        Principal::Delegate { .. } => {
            Err(AppError::forbidden("this operation needs a check-in or organizer token").into())
        }
    }
}

api_errors!(
    enum ScanError {
        /// No or an unknown token.
        Unauthorized = 401,
        /// Not a check-in token of this event, nor an organizer's.
        Forbidden = 403,
        /// No such event (organizer tokens only; a check-in token's event always exists).
        NotFound = 404,
        /// A field breaks a rule (device, nonce, session of another event, time).
        Unprocessable = 422,
    }
);

api_errors!(
    enum KitError {
        /// No or an unknown token.
        Unauthorized = 401,
        /// Not a check-in token of this event, nor an organizer's.
        Forbidden = 403,
        /// No such event.
        NotFound = 404,
        /// A parameter breaks a rule.
        Unprocessable = 422,
    }
);

/// Check-in operations.
pub struct CheckinsApi {
    pub state: AppState,
}

#[OpenApi(prefix_path = "/api/v1", tag = "ApiTags::Checkins")]
impl CheckinsApi {
    /// Scan a badge
    ///
    /// At the venue (no `session_id`) a delegate is admitted once per local day of the event;
    /// at a room's door once per session, and only if confirmed for it when it has a capacity.
    /// `exit` records a leave and allows re-entry. Decided in the database: two scanners never
    /// both admit one badge. Always answers JSON with `result`; every scan is logged.
    #[oai(
        path = "/events/:event/checkins",
        method = "post",
        operation_id = "check_in"
    )]
    async fn scan(
        &self,
        auth: ScannerAuth,
        /// The event's id or slug.
        event: Path<String>,
        body: Json<CheckinRequest>,
    ) -> ScanResponse {
        match checkin_app::scan(&self.state, &auth.0, &event.0, input(body.0)).await {
            Ok(answer) => ScanResponse::Decided(answer),
            Err(err) => err.into(),
        }
    }

    /// Upload offline scans
    ///
    /// Scans made while the scanner was offline, each with its `scanned_at`. They are decided
    /// in the order they were made; when two devices admitted the same badge, the earliest scan
    /// is the admission and the later one is recorded as `already_checked_in`. Answers come in
    /// the order of the request.
    #[oai(
        path = "/events/:event/checkins/batch",
        method = "post",
        operation_id = "check_in_batch"
    )]
    async fn batch(
        &self,
        auth: ScannerAuth,
        /// The event's id or slug.
        event: Path<String>,
        body: Json<CheckinBatch>,
    ) -> Result<Json<BatchResult>, ScanError> {
        let inputs = body.0.scans.into_iter().map(input).collect();
        let decided = checkin_app::batch(&self.state, &auth.0, &event.0, inputs).await?;
        Ok(Json(BatchResult {
            results: decided
                .into_iter()
                .map(|outcome| match outcome {
                    Ok(answer) => BatchItem {
                        status: status_of(answer.decision.outcome),
                        answer: BatchAnswer::Decided(CheckinResult::from(&answer)),
                    },
                    Err(err) => problem_item(&err),
                })
                .collect(),
        }))
    }

    /// Offline kit: public keys
    ///
    /// The Ed25519 public keys that verify badge codes, and this event's tag, so a scanner
    /// can check codes without the network.
    #[oai(
        path = "/events/:event/checkins/keys",
        method = "get",
        operation_id = "checkin_keys"
    )]
    async fn keys(
        &self,
        auth: ScannerAuth,
        /// The event's id or slug.
        event: Path<String>,
    ) -> Result<Json<OfflineKeys>, KitError> {
        let (event, keyring) = checkin_app::offline_keys(&self.state, &auth.0, &event.0).await?;
        let mut keys: Vec<PublicKey> = keyring
            .public
            .iter()
            .map(|(kid, key)| PublicKey {
                kid: *kid,
                algorithm: "Ed25519".into(),
                public_key: hex::encode(key.to_bytes()),
                active: *kid == keyring.active_kid,
            })
            .collect();
        keys.sort_by_key(|k| k.kid);
        Ok(Json(OfflineKeys {
            keys,
            event_tag: hex::encode(badge_code::event_tag(event.id)),
            code_format: "\"D1\" + base32 (RFC 4648, uppercase, no padding) of: version 0x01, \
                          key id (1 byte), event tag (4 bytes), registration id (16 bytes), \
                          Ed25519 signature (64 bytes) over \"dialogue-badge-v1\" followed by \
                          the first 22 bytes"
                .into(),
        }))
    }

    /// Offline kit: revoked badges
    ///
    /// Badges of cancelled or rejected registrations. Ask with `after` set to the `cursor` of
    /// the previous answer: revocations are numbered in the order they commit, so none is
    /// missed, even one committing while the previous answer was read. `since` (a time, the
    /// previous `as_of`) is kept for older scanners and can miss such a revocation.
    #[oai(
        path = "/events/:event/checkins/revocations",
        method = "get",
        operation_id = "checkin_revocations"
    )]
    async fn revocations(
        &self,
        auth: ScannerAuth,
        /// The event's id or slug.
        event: Path<String>,
        /// Only badges revoked after this number (the `cursor` of the previous answer).
        after: Query<Option<i64>>,
        /// Only badges whose registration changed at or after this time (the `as_of` of the
        /// previous answer); `after` is exact, this is not.
        since: Query<Option<DateTime<FixedOffset>>>,
    ) -> Result<Json<Revocations>, KitError> {
        let from = match (after.0, since.0) {
            (Some(after), _) => RevokedFrom::After(after),
            (None, Some(since)) => RevokedFrom::Since(to_utc(since)),
            (None, None) => RevokedFrom::Start,
        };
        let revoked = checkin_app::revocations(&self.state, &auth.0, &event.0, from).await?;
        let tz = event_tz(&revoked.event)?;
        Ok(Json(Revocations {
            revoked: revoked
                .registrations
                .into_iter()
                .map(|r| Revocation {
                    registration_id: r.id,
                    status: r.status.into(),
                    revoked_at: local(r.updated_at, tz),
                })
                .collect(),
            cursor: revoked.cursor,
            as_of: local(revoked.as_of, tz),
        }))
    }

    /// Attendance
    ///
    /// Per local day of the event and per session: confirmed, checked in, inside now.
    #[oai(
        path = "/events/:event/checkins/stats",
        method = "get",
        operation_id = "checkin_stats"
    )]
    async fn stats(
        &self,
        auth: ScannerAuth,
        /// The event's id or slug.
        event: Path<String>,
    ) -> Result<Json<Attendance>, KitError> {
        let attendance = checkin_app::attendance(&self.state, &auth.0, &event.0).await?;
        let figures = |f: checkin_app::Figures| (f.confirmed, f.checked_in, f.inside);
        Ok(Json(Attendance {
            days: attendance
                .days
                .into_iter()
                .map(|(date, f)| {
                    let (confirmed, checked_in, inside) = figures(f);
                    DayAttendance {
                        date,
                        confirmed,
                        checked_in,
                        inside,
                    }
                })
                .collect(),
            sessions: attendance
                .sessions
                .into_iter()
                .map(|(session_id, title, f)| {
                    let (confirmed, checked_in, inside) = figures(f);
                    SessionAttendance {
                        session_id,
                        title,
                        confirmed,
                        checked_in,
                        inside,
                    }
                })
                .collect(),
        }))
    }

    /// Find an attendee by name
    ///
    /// For staff at the door: searches names and organizations (at least 2 characters).
    /// Answers carry no e-mail or other contact data.
    #[oai(
        path = "/events/:event/checkins/attendees",
        method = "get",
        operation_id = "checkin_attendees"
    )]
    async fn attendees(
        &self,
        auth: ScannerAuth,
        /// The event's id or slug.
        event: Path<String>,
        /// Part of a name or organization.
        q: Query<String>,
    ) -> Result<Json<Attendees>, KitError> {
        let found = checkin_app::find_attendees(&self.state, &auth.0, &event.0, &q.0).await?;
        let mut items = Vec::with_capacity(found.len());
        for (r, admitted) in found {
            items.push(Attendee {
                id: r.id,
                full_name: r.full_name,
                organization: r.organization,
                category: r.category.into(),
                status: r.status.into(),
                checked_in_today: admitted,
            });
        }
        Ok(Json(Attendees { items }))
    }
}

/// A scan as the use case takes it.
fn input(request: CheckinRequest) -> checkin_app::ScanInput {
    checkin_app::ScanInput {
        code: request.code,
        device: request.device,
        nonce: request.nonce,
        session_id: request.session_id,
        direction: match request.direction {
            Some(Direction::Exit) => DomainDirection::Exit,
            _ => DomainDirection::Entry,
        },
        scanned_at: request.scanned_at.map(to_utc),
    }
}

/// A scan of a batch refused with a problem (a field error, or a failure).
fn problem_item(err: &AppError) -> BatchItem {
    let problem = err.to_problem();
    BatchItem {
        status: problem.status,
        answer: BatchAnswer::Refused(problem),
    }
}
