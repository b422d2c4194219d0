//! What every HTTP request passes, pages and API alike: the per-client rate limits (`429`
//! problem+json with `Retry-After`), the request timeout (`503`), and the security headers of
//! `WEB.md` on every response that did not set its own.

use std::sync::Arc;

use poem::http::{HeaderValue, Method, StatusCode, header};
use poem::{Endpoint, IntoResponse, Request, Response};

use crate::api::problem::Problem;
use crate::app::principal::{Denied, Principal, principal_of};
use crate::application::AppState;
use crate::error::AppError;
use crate::limits::RetryAfter;
use crate::web::console::SIGN_IN_COOKIE;

/// Applies the limits to `req`, runs it within the request timeout, and completes the
/// response's security headers.
pub async fn guard<E: Endpoint>(
    next: Arc<E>,
    mut req: Request,
    state: AppState,
) -> poem::Result<Response> {
    let limits = state.limits.clone();
    let https = state.config.behind_https();
    let kind = Kind::of(&req);
    let client = limits.on().then(|| {
        let peer = req.remote_addr().as_socket_addr().map(|addr| addr.ip());
        let forwarded = req
            .headers()
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok());
        limits.client(peer, forwarded)
    });
    // Whether this request's failed look-up was already counted here.
    let mut lookup_counted = false;
    if let Some(client) = client {
        if kind.carries_token
            && let Err(wait) = limits.blocked(client)
        {
            return Ok(too_many(
                wait,
                "bad_tokens",
                "too many requests with unknown tokens",
                https,
            ));
        }
        // A staff token lifts the public limits only once it is known to be live: the
        // prefix alone proves nothing.
        let staff = match kind.staff_bearer.as_deref() {
            Some(token) if kind.limited() => match verified_staff(&state, token).await {
                Verified::Staff(principal) => {
                    // The API's security scheme takes it from here instead of looking the
                    // token up a second time.
                    req.set_data(VerifiedToken {
                        token: token.to_owned(),
                        principal: Some(principal),
                    });
                    true
                }
                Verified::Unknown => {
                    req.set_data(VerifiedToken {
                        token: token.to_owned(),
                        principal: None,
                    });
                    limits.failed_lookup(client);
                    lookup_counted = true;
                    false
                }
                Verified::NotStaff => false,
            },
            _ => false,
        };
        if kind.public_write(staff)
            && let Err(wait) = limits.write(client)
        {
            return Ok(too_many(
                wait,
                "writes",
                "too many requests from this client",
                https,
            ));
        }
        if kind.heavy_read
            && !staff
            && let Err(wait) = limits.heavy_read(client)
        {
            return Ok(too_many(
                wait,
                "heavy_reads",
                "too many documents and images asked for by this client",
                https,
            ));
        }
    }
    let timeout = state.config.limits.request_timeout;
    let mut response = match tokio::time::timeout(timeout, next.call(req)).await {
        Ok(Ok(response)) => response.into_response(),
        // Errors were made problems inside; whatever is left is answered as poem would.
        Ok(Err(err)) => err.into_response(),
        Err(_) => {
            tracing::warn!(timeout_s = timeout.as_secs(), "request timed out");
            Problem::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "the request took too long and was abandoned; try again",
            )
            .into_response()
        }
    };
    if let Some(client) = client
        && kind.carries_token
        && !lookup_counted
        && kind.lookup_failed(response.status())
    {
        limits.failed_lookup(client);
    }
    secure(&mut response, https);
    Ok(response)
}

/// Whether the request carries a cookie named `name`.
fn has_cookie(req: &Request, name: &str) -> bool {
    req.headers()
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|v| {
            v.split(';')
                .any(|pair| pair.trim_start().starts_with(&format!("{name}=")))
        })
}

/// A bearer token this request's guard already found live, and whose it is.
#[derive(Clone)]
pub struct VerifiedToken {
    pub token: String,
    /// `None`: the token is unknown or revoked (answered 401 without a second look-up).
    pub principal: Option<Principal>,
}

/// What a staff token presented to a limited request turned out to be.
enum Verified {
    /// A live organizer or check-in token.
    Staff(Principal),
    /// Unknown, revoked or expired: counted as a failed look-up.
    Unknown,
    /// Could not be told (the store did not answer), or a token of another kind.
    NotStaff,
}

async fn verified_staff(state: &AppState, token: &str) -> Verified {
    match principal_of(state, token).await {
        Ok(principal @ (Principal::Organizer { .. } | Principal::Checkin { .. })) => {
            Verified::Staff(principal)
        }
        Ok(Principal::Delegate { .. }) => Verified::NotStaff,
        Err(AppError::Denied(Denied::Unauthenticated)) => Verified::Unknown,
        Err(_) => Verified::NotStaff,
    }
}

/// What the limits need to know of a request.
struct Kind {
    /// A write: anything but `GET`, `HEAD` and `OPTIONS`.
    write: bool,
    /// The bearer token, when it has the form of an organizer or check-in token.
    staff_bearer: Option<String>,
    /// A console request of a signed-in organizer (the console checks the sign-in itself
    /// and sends a cookie that stands for nothing back to sign in, changing nothing).
    console: bool,
    /// It presents a token: a bearer header, a `/r/` link or a `token=` query.
    carries_token: bool,
    /// A `/r/` link (a wrong one is a 404, not a 401).
    manage_link: bool,
    /// A read that costs far more than a page: a PDF, a badge image, an export.
    heavy_read: bool,
}

impl Kind {
    fn of(req: &Request) -> Self {
        let bearer = req
            .headers()
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .map(|v| v.trim_start_matches("Bearer ").trim());
        let staff_bearer = bearer
            .filter(|t| t.starts_with("dlg_org_") || t.starts_with("dlg_chk_"))
            .map(str::to_owned);
        let path = req.uri().path();
        let manage_link = path.starts_with("/r/");
        let writes = !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
        let token_query = req
            .uri()
            .query()
            .is_some_and(|q| q.split('&').any(|pair| pair.starts_with("token=")));
        // The console's sign-in form presents a token; its other forms come from a signed-in
        // organizer (a sign-in cookie that stands for nothing is sent back to sign in).
        let sign_in = writes && path == "/admin";
        let console = path.starts_with("/admin/") && has_cookie(req, SIGN_IN_COOKIE);
        Kind {
            write: writes,
            staff_bearer,
            console,
            carries_token: bearer.is_some() || manage_link || token_query || sign_in,
            manage_link,
            heavy_read: !writes && is_heavy(path),
        }
    }

    /// Whether a public limit may apply, so that a staff token is worth verifying.
    fn limited(&self) -> bool {
        self.write || self.manage_link || self.heavy_read
    }

    /// Whether the public write limit applies, `staff` telling whether a staff token was
    /// verified.
    fn public_write(&self, staff: bool) -> bool {
        (self.write && !staff && !self.console) || self.manage_link
    }

    /// Whether the answer says the presented token was not valid.
    fn lookup_failed(&self, status: StatusCode) -> bool {
        status == StatusCode::UNAUTHORIZED || (self.manage_link && status == StatusCode::NOT_FOUND)
    }
}

/// Whether `path` asks for something expensive to make: PDFs, badge images, spreadsheets and
/// schedule exports.
fn is_heavy(path: &str) -> bool {
    const HEAVY: [&str; 6] = [".pdf", ".png", ".svg", ".csv", ".xml", "/schedule.json"];
    !path.starts_with("/static/") && HEAVY.iter().any(|ending| path.ends_with(ending))
}

/// `429` with `Retry-After`, as problem+json.
fn too_many(wait: RetryAfter, kind: &str, detail: &str, https: bool) -> Response {
    let seconds = wait.seconds();
    crate::metrics::metrics()
        .rate_limited
        .get_or_create(&crate::metrics::KindLabels { kind: kind.into() })
        .inc();
    tracing::info!(status = 429, retry_after_s = seconds, "{detail}");
    let mut response = Problem::new(
        StatusCode::TOO_MANY_REQUESTS,
        format!("{detail}; try again in {seconds} s"),
    )
    .into_response();
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
    secure(&mut response, https);
    response
}

/// The security headers every response carries unless it set its own: no sniffing, no
/// framing, and for anything but pages (which set their own policy) nothing to load at all.
fn secure(response: &mut Response, https: bool) {
    let unavailable = response.status() == StatusCode::SERVICE_UNAVAILABLE;
    let headers = response.headers_mut();
    if unavailable {
        headers
            .entry(header::RETRY_AFTER)
            .or_insert(HeaderValue::from_static("5"));
    }
    if https {
        // Served over https (PUBLIC_URL says so): browsers keep to https for two years.
        headers
            .entry(header::STRICT_TRANSPORT_SECURITY)
            .or_insert(HeaderValue::from_static("max-age=63072000"));
    }
    headers
        .entry(header::X_CONTENT_TYPE_OPTIONS)
        .or_insert(HeaderValue::from_static("nosniff"));
    headers
        .entry(header::REFERRER_POLICY)
        .or_insert(HeaderValue::from_static("strict-origin-when-cross-origin"));
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let html = content_type.starts_with("text/html");
    // A script's policy governs the worker it starts (the scanner's decoder and service
    // worker): scripts keep the policy of the page that loads them.
    let script = content_type.contains("javascript");
    if !html && !script {
        headers
            .entry(header::CONTENT_SECURITY_POLICY)
            .or_insert(HeaderValue::from_static(
                "default-src 'none'; frame-ancestors 'none'",
            ));
    } else if html {
        headers
            .entry(header::X_FRAME_OPTIONS)
            .or_insert(HeaderValue::from_static("DENY"));
    }
}
