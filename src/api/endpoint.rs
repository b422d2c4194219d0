//! The HTTP endpoint: the API, its OpenAPI document and Swagger UI, request logging, the body
//! size limit and problem+json for every error.

use std::sync::Arc;
use std::time::Instant;

use poem::{Endpoint, EndpointExt, IntoResponse, PathPattern, Request, Response, Route};
use poem_openapi::OperationId;

use crate::api;
use crate::api::problem::problem_for_any_error;
use crate::application::AppState;

/// The whole HTTP service: the API, its OpenAPI document and Swagger UI, request logging,
/// the body size limit and problem+json for every error.
pub fn build_app(state: AppState) -> impl Endpoint<Output = Response> + 'static {
    let api = api::service(&state);
    let raw_spec = api.spec();
    let spec = api::document::corrected(&raw_spec);
    let ui_html = api.swagger_ui_html().replace(&raw_spec, &spec);
    let spec_endpoint = poem::endpoint::make_sync(move |_| {
        Response::builder()
            .content_type("application/json; charset=utf-8")
            .body(spec.clone())
    });
    let ui_policy = api::docs_policy::for_page(&ui_html);
    let ui = poem::endpoint::make_sync(move |_| {
        Response::builder()
            .content_type("text/html; charset=utf-8")
            .header("Content-Security-Policy", ui_policy.clone())
            .body(ui_html.clone())
    });
    let max_body_bytes = state.config.max_body_bytes;
    let api = Route::new()
        .at("/api/v1/openapi.json", spec_endpoint)
        .at("/docs", ui)
        .nest("/", api);
    let guard_state = state.clone();
    crate::web::Split::new(api, crate::web::routes(&state), state.clone())
        .around(move |next, req| limit_body(next, req, max_body_bytes))
        .data(state)
        .with(poem::middleware::CatchPanic::new())
        .around(log_request)
        .catch_all_error(problem_for_any_error)
        .around(move |next, req| api::guard::guard(next, req, guard_state.clone()))
}

/// The OpenAPI document as served at `/api/v1/openapi.json`.
pub fn openapi_json(state: &AppState) -> String {
    api::openapi_document(state)
}

/// One log line per request: method, path template, status and duration.
async fn log_request<E: Endpoint>(next: Arc<E>, req: Request) -> poem::Result<Response> {
    let started = Instant::now();
    let method = req.method().clone();
    let raw_path = req.uri().path().to_owned();
    let result = next.call(req).await.map(IntoResponse::into_response);
    let (status, pattern, operation) = match &result {
        Ok(response) => (
            response.status(),
            response.data::<PathPattern>().cloned(),
            response.data::<OperationId>().map(|id| id.0),
        ),
        Err(err) => (
            err.status(),
            err.data::<PathPattern>().cloned(),
            err.data::<OperationId>().map(|id| id.0),
        ),
    };
    let route = pattern.map(|p| p.0.to_string()).filter(|p| !p.is_empty());
    let metrics = crate::metrics::metrics();
    // API operations by their id, pages by their route; unmatched paths share one label, so
    // scanners of random URLs cannot grow the series.
    let label = operation
        .map(str::to_owned)
        .or_else(|| route.clone())
        .unwrap_or_else(|| "(other)".to_owned());
    metrics
        .requests
        .get_or_create(&crate::metrics::RequestLabels {
            method: method.to_string(),
            route: label.clone(),
            status: status.as_u16().to_string(),
        })
        .inc();
    metrics
        .request_seconds
        .get_or_create(&crate::metrics::RouteLabels { route: label })
        .observe(started.elapsed().as_secs_f64());
    let path = route.unwrap_or(raw_path);
    tracing::info!(
        method = %method,
        path = %path,
        operation = operation.unwrap_or("-"),
        status = status.as_u16(),
        duration_us = started.elapsed().as_micros() as u64,
        "request"
    );
    result
}

/// Refuses bodies over `max` bytes with 413, whether or not they announce their length, and
/// URLs carrying NUL characters (which PostgreSQL cannot store or compare) with 400.
async fn limit_body<E: Endpoint>(
    next: Arc<E>,
    mut req: Request,
    max: usize,
) -> poem::Result<Response> {
    let too_large = || {
        poem::Error::from_string(
            format!("the request body is larger than {max} bytes"),
            poem::http::StatusCode::PAYLOAD_TOO_LARGE,
        )
    };
    if req.uri().to_string().contains("%00") {
        return Err(poem::Error::from_string(
            "the URL must not contain NUL characters",
            poem::http::StatusCode::BAD_REQUEST,
        ));
    }
    let announced = req
        .headers()
        .get(poem::http::header::CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.parse::<u64>().ok());
    match announced {
        Some(length) if length > max as u64 => return Err(too_large()),
        Some(_) => {}
        None => {
            let body = req
                .take_body()
                .into_bytes_limit(max)
                .await
                .map_err(|_| too_large())?;
            req.set_body(body);
        }
    }
    next.call(req).await.map(IntoResponse::into_response)
}
