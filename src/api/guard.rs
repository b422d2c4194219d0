//! What every HTTP request passes, pages and API alike: the per-client rate limits (`429`
//! problem+json with `Retry-After`), the request timeout (`503`), and the security headers of
//! `WEB.md` on every response that did not set its own.

use std::sync::Arc;

use poem::http::{HeaderValue, Method, StatusCode, header};
use poem::{Endpoint, IntoResponse, Request, Response};

use crate::api::problem::Problem;
use crate::application::AppState;
use crate::limits::RetryAfter;

/// Applies the limits to `req`, runs it within the request timeout, and completes the
/// response's security headers.
pub async fn guard<E: Endpoint>(
    next: Arc<E>,
    req: Request,
    state: AppState,
) -> poem::Result<Response> {
    let limits = state.limits.clone();
    let kind = Kind::of(&req);
    let client = limits.on().then(|| {
        let peer = req.remote_addr().as_socket_addr().map(|addr| addr.ip());
        let forwarded = req
            .headers()
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok());
        limits.client(peer, forwarded)
    });
    if let Some(client) = client {
        if kind.carries_token
            && let Err(wait) = limits.blocked(client)
        {
            return Ok(too_many(
                wait,
                "bad_tokens",
                "too many requests with unknown tokens",
            ));
        }
        if kind.public_write
            && let Err(wait) = limits.write(client)
        {
            return Ok(too_many(
                wait,
                "writes",
                "too many requests from this client",
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
        && kind.lookup_failed(response.status())
    {
        limits.failed_lookup(client);
    }
    secure(&mut response);
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

/// What the limits need to know of a request.
struct Kind {
    /// A write anyone may make: registrations, the pages' forms, delegates' changes, `/r/`.
    public_write: bool,
    /// It presents a token: a bearer header, a `/r/` link or a `token=` query.
    carries_token: bool,
    /// A `/r/` link (a wrong one is a 404, not a 401).
    manage_link: bool,
}

impl Kind {
    fn of(req: &Request) -> Self {
        let bearer = req
            .headers()
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .map(|v| v.trim_start_matches("Bearer ").trim());
        let staff = bearer.is_some_and(|t| t.starts_with("dlg_org_") || t.starts_with("dlg_chk_"));
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
        let console = path.starts_with("/admin/") && has_cookie(req, "dlg_admin");
        Kind {
            public_write: (writes && !staff && !console) || manage_link,
            carries_token: bearer.is_some() || manage_link || token_query || sign_in,
            manage_link,
        }
    }

    /// Whether the answer says the presented token was not valid.
    fn lookup_failed(&self, status: StatusCode) -> bool {
        status == StatusCode::UNAUTHORIZED || (self.manage_link && status == StatusCode::NOT_FOUND)
    }
}

/// `429` with `Retry-After`, as problem+json.
fn too_many(wait: RetryAfter, kind: &str, detail: &str) -> Response {
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
    secure(&mut response);
    response
}

/// The security headers every response carries unless it set its own: no sniffing, no
/// framing, and for anything but pages (which set their own policy) nothing to load at all.
fn secure(response: &mut Response) {
    let unavailable = response.status() == StatusCode::SERVICE_UNAVAILABLE;
    let headers = response.headers_mut();
    if unavailable {
        headers
            .entry(header::RETRY_AFTER)
            .or_insert(HeaderValue::from_static("5"));
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
