//! The answer of one scan: a decision (`CheckinResult`) whose result picks the status, or a
//! problem. Both share `404` and `422`, so this one response type declares each status once
//! with every media type it can carry (two response types would declare the status twice).

use poem::Response;
use poem_openapi::ApiResponse;
use poem_openapi::registry::{MetaMediaType, MetaResponse, MetaResponses, Registry};
use poem_openapi::types::{ToJSON, Type};

use super::checkin_types::{CheckinResult, status_of};
use crate::api::problem::{PROBLEM_JSON, Problem};
use crate::domain::checkin::ScanAnswer;
use crate::error::AppError;

/// A scan's answer with the status its result calls for, or the problem that stopped it.
pub enum ScanResponse {
    Decided(ScanAnswer),
    Failed(Problem),
}

/// The statuses a problem of this operation may have; any other is answered as `500`.
const PROBLEM_STATUSES: [u16; 5] = [400, 401, 403, 404, 422];

impl From<AppError> for ScanResponse {
    fn from(err: AppError) -> Self {
        let mut problem = err.to_problem();
        if !PROBLEM_STATUSES.contains(&problem.status) && problem.status < 500 {
            tracing::error!(
                status = problem.status,
                operation = "check_in",
                "undeclared error status"
            );
            problem = Problem::new(
                poem::http::StatusCode::INTERNAL_SERVER_ERROR,
                "the server could not complete the request; it has been logged",
            );
        }
        ScanResponse::Failed(problem)
    }
}

impl poem::IntoResponse for ScanResponse {
    fn into_response(self) -> Response {
        match self {
            ScanResponse::Decided(answer) => Response::builder()
                .status(
                    poem::http::StatusCode::from_u16(status_of(answer.decision.outcome))
                        .unwrap_or(poem::http::StatusCode::INTERNAL_SERVER_ERROR),
                )
                .content_type("application/json; charset=utf-8")
                .body(CheckinResult::from(&answer).to_json_string()),
            ScanResponse::Failed(problem) => problem.into_response(),
        }
    }
}

impl ApiResponse for ScanResponse {
    fn meta() -> MetaResponses {
        let result = || MetaMediaType {
            content_type: "application/json; charset=utf-8",
            schema: CheckinResult::schema_ref(),
        };
        let problem = || MetaMediaType {
            content_type: PROBLEM_JSON,
            schema: Problem::schema_ref(),
        };
        let item = |status, description, content| MetaResponse {
            description,
            status: Some(status),
            status_range: None,
            content,
            headers: vec![],
        };
        MetaResponses {
            responses: vec![
                item(200, "`ok`: admitted (or let out).", vec![result()]),
                item(
                    400,
                    "The request could not be parsed (malformed JSON, wrong types, unknown values).",
                    vec![problem()],
                ),
                item(401, "No or an unknown token.", vec![problem()]),
                item(
                    403,
                    "Not a check-in token of this event, nor an organizer's.",
                    vec![problem()],
                ),
                item(
                    404,
                    "`invalid`: not a valid badge code (forged, garbage, unknown); or, as a \
                     problem, no such event (organizer tokens only).",
                    vec![result(), problem()],
                ),
                item(
                    409,
                    "`already_checked_in`: admitted before in this scope; see `first_checked_in_at`.",
                    vec![result()],
                ),
                item(
                    422,
                    "`revoked`, `not_confirmed`, `wrong_event` or `not_registered_for_session`; \
                     or, as a problem, a field breaks a rule (device, nonce, session of another \
                     event, time).",
                    vec![result(), problem()],
                ),
                item(
                    500,
                    "An unexpected server failure; details are logged, never sent.",
                    vec![problem()],
                ),
                item(
                    503,
                    "The database cannot be reached right now; try again after `Retry-After` \
                     seconds.",
                    vec![problem()],
                ),
            ],
        }
    }

    fn register(registry: &mut Registry) {
        CheckinResult::register(registry);
        Problem::register(registry);
    }
}
