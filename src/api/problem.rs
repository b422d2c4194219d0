//! The JSON API's one mapping of [`AppError`] to RFC 9457 `application/problem+json`
//! responses. Each operation declares the statuses it can return with [`api_errors!`], so the
//! OpenAPI document lists exactly those.

use poem::http::StatusCode;
use poem_openapi::Object;
use uuid::Uuid;

use crate::domain::session::{Clash, ClashReason};
use crate::error::{AppError, Denied};

/// The HTTP side of [`AppError`]: its status and its problem document.
impl AppError {
    pub fn status(&self) -> StatusCode {
        match self {
            AppError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::Denied(Denied::Unauthenticated) => StatusCode::UNAUTHORIZED,
            AppError::Denied(Denied::Forbidden(_)) => StatusCode::FORBIDDEN,
            AppError::NotFound(_) => StatusCode::NOT_FOUND,
            AppError::Refused(_) => StatusCode::CONFLICT,
            AppError::Failed(
                crate::error::Failure::Unavailable(_) | crate::error::Failure::Busy,
            ) => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Failed(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The problem document for this error. Server-side failures are logged here, once.
    pub fn to_problem(&self) -> Problem {
        let status = self.status();
        let detail = match self {
            AppError::Failed(crate::error::Failure::Unavailable(cause)) => {
                tracing::warn!(error = %cause, "database unavailable");
                "the database cannot be reached right now; try again in a few seconds".to_owned()
            }
            AppError::Failed(crate::error::Failure::Busy) => {
                "the server is busy drawing other documents; try again in a few seconds".to_owned()
            }
            AppError::Failed(failure) => {
                tracing::error!(error = %failure, "request failed");
                "the server could not complete the request; it has been logged".to_owned()
            }
            other => other.to_string(),
        };
        let mut problem = Problem::new(status, detail);
        match self {
            AppError::Invalid(errors) => {
                problem.detail = "the request breaks one or more rules; see errors".to_owned();
                problem.errors = errors
                    .errors
                    .iter()
                    .map(|e| ProblemField {
                        field: e.field.clone(),
                        message: e.message.clone(),
                    })
                    .collect();
            }
            AppError::Refused(refusal) => {
                problem.conflicts = refusal.clashes.iter().map(ProblemConflict::from).collect();
            }
            _ => {}
        }
        problem
    }
}

/// RFC 9457 problem details.
#[derive(Object, Debug, Clone)]
pub struct Problem {
    /// A URI reference naming the kind of problem.
    #[oai(rename = "type")]
    pub problem_type: String,
    /// A short summary of the kind of problem.
    pub title: String,
    /// The HTTP status code.
    pub status: u16,
    /// What went wrong with this request.
    pub detail: String,
    /// The offending fields, for validation failures.
    pub errors: Vec<ProblemField>,
    /// The sessions a new or moved session clashes with (only on `409` for clashes).
    #[oai(default, skip_serializing_if_is_empty)]
    pub conflicts: Vec<ProblemConflict>,
}

impl Problem {
    pub fn new(status: StatusCode, detail: impl Into<String>) -> Self {
        let slug = match status {
            StatusCode::BAD_REQUEST => "bad-request",
            StatusCode::UNAUTHORIZED => "unauthorized",
            StatusCode::FORBIDDEN => "forbidden",
            StatusCode::NOT_FOUND => "not-found",
            StatusCode::METHOD_NOT_ALLOWED => "method-not-allowed",
            StatusCode::CONFLICT => "conflict",
            StatusCode::PAYLOAD_TOO_LARGE => "payload-too-large",
            StatusCode::UNSUPPORTED_MEDIA_TYPE => "unsupported-media-type",
            StatusCode::UNPROCESSABLE_ENTITY => "validation-failed",
            StatusCode::TOO_MANY_REQUESTS => "too-many-requests",
            _ if status.is_server_error() => "internal",
            _ => "about:blank",
        };
        Problem {
            problem_type: if slug == "about:blank" {
                slug.to_owned()
            } else {
                format!("/problems/{slug}")
            },
            title: status.canonical_reason().unwrap_or("Error").to_owned(),
            status: status.as_u16(),
            detail: detail.into(),
            errors: Vec::new(),
            conflicts: Vec::new(),
        }
    }

    /// This problem as a complete HTTP response.
    pub fn into_response(self) -> poem::Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let body = poem_openapi::types::ToJSON::to_json_string(&self);
        poem::Response::builder()
            .status(status)
            .content_type(PROBLEM_JSON)
            .body(body)
    }
}

/// The media type of every error body.
pub const PROBLEM_JSON: &str = "application/problem+json";

/// One offending field.
#[derive(Object, Debug, Clone)]
pub struct ProblemField {
    pub field: String,
    pub message: String,
}

/// A session that clashes with the one being written.
#[derive(Object, Debug, Clone)]
pub struct ProblemConflict {
    pub session_id: Uuid,
    pub title: String,
    /// `room` or `speaker`.
    pub reason: String,
    /// The shared speaker, when `reason` is `speaker`.
    pub speaker_id: Option<Uuid>,
}

impl From<&Clash> for ProblemConflict {
    fn from(clash: &Clash) -> Self {
        let (reason, speaker_id) = match clash.reason {
            ClashReason::SameRoom => ("room", None),
            ClashReason::SameSpeaker(id) => ("speaker", Some(id)),
        };
        ProblemConflict {
            session_id: clash.session_id,
            title: clash.title.clone(),
            reason: reason.to_owned(),
            speaker_id,
        }
    }
}

impl From<AppError> for poem::Error {
    fn from(err: AppError) -> Self {
        let status = err.status();
        let mut error = poem::Error::from_response(err.to_problem().into_response());
        error.set_error_message(status.canonical_reason().unwrap_or("error"));
        error
    }
}

/// Turns any error that escaped an operation (unparseable JSON, wrong types, a missing token,
/// an unknown route, a body over the size limit) into a problem+json response.
pub async fn problem_for_any_error(err: poem::Error) -> poem::Response {
    let status = err.status();
    let message = err.to_string();
    let response = err.into_response();
    let is_problem = response
        .content_type()
        .is_some_and(|ct| ct.starts_with(PROBLEM_JSON));
    if is_problem {
        return response;
    }
    let detail = if status.is_server_error() {
        tracing::error!(%status, error = %message, "unhandled error");
        "the server could not complete the request; it has been logged".to_owned()
    } else {
        message
    };
    Problem::new(status, detail).into_response()
}

/// Declares an operation's error responses: always 400 (unparseable request), 500 and 503
/// (the database unreachable), plus the listed statuses. Generates the `ApiResponse` enum and its `From<AppError>`.
#[macro_export]
macro_rules! api_errors {
    ($(#[$meta:meta])* $vis:vis enum $name:ident { $($(#[$vmeta:meta])* $variant:ident = $status:literal),* $(,)? }) => {
        $(#[$meta])*
        #[derive(poem_openapi::ApiResponse, Debug)]
        $vis enum $name {
            /// The request could not be parsed (malformed JSON, wrong types, unknown values).
            #[oai(status = 400, content_type = "application/problem+json")]
            BadRequest(poem_openapi::payload::Json<$crate::api::problem::Problem>),
            $(
                $(#[$vmeta])*
                #[oai(status = $status, content_type = "application/problem+json")]
                $variant(poem_openapi::payload::Json<$crate::api::problem::Problem>),
            )*
            /// An unexpected server failure; details are logged, never sent.
            #[oai(status = 500, content_type = "application/problem+json")]
            Internal(poem_openapi::payload::Json<$crate::api::problem::Problem>),
            /// The database cannot be reached right now; try again after `Retry-After` seconds.
            #[oai(status = 503, content_type = "application/problem+json")]
            Unavailable(poem_openapi::payload::Json<$crate::api::problem::Problem>),
        }

        impl From<$crate::domain::validation::ValidationErrors> for $name {
            fn from(errors: $crate::domain::validation::ValidationErrors) -> Self {
                $crate::error::AppError::from(errors).into()
            }
        }

        impl From<$crate::error::AppError> for $name {
            fn from(err: $crate::error::AppError) -> Self {
                let problem = err.to_problem();
                match problem.status {
                    400 => $name::BadRequest(poem_openapi::payload::Json(problem)),
                    $($status => $name::$variant(poem_openapi::payload::Json(problem)),)*
                    503 => $name::Unavailable(poem_openapi::payload::Json(problem)),
                    status => {
                        debug_assert!(status >= 500, "{} does not declare status {status}", stringify!($name));
                        tracing::error!(status, operation = stringify!($name), "undeclared error status");
                        $name::Internal(poem_openapi::payload::Json(problem))
                    }
                }
            }
        }
    };
}
