//! Liveness and readiness probes, and the Prometheus metrics for operators (on the service's
//! port with `METRICS_TOKEN`, and without a token on the separate `METRICS_BIND` address).

use poem_openapi::param::Header;
use poem_openapi::payload::PlainText;
use poem_openapi::{ApiResponse, OpenApi};
use sea_orm::ConnectionTrait;

use super::ApiTags;
use crate::application::AppState;

#[derive(ApiResponse)]
enum Ready {
    /// The database answered.
    #[oai(status = 200)]
    Ready(PlainText<&'static str>),
    /// The database did not answer, or the service is stopping.
    #[oai(status = 503)]
    NotReady(PlainText<&'static str>),
}

/// The metrics, or why not.
#[derive(ApiResponse)]
enum MetricsAnswer {
    /// The Prometheus text exposition format.
    #[oai(
        status = 200,
        content_type = "text/plain; version=0.0.4; charset=utf-8"
    )]
    Metrics(PlainText<String>),
    /// `METRICS_TOKEN` is set and this request did not present it.
    #[oai(status = 401)]
    Unauthorized(PlainText<&'static str>),
    /// No `METRICS_TOKEN` is set: metrics are served on `METRICS_BIND` only (if set).
    #[oai(status = 404)]
    Off(PlainText<&'static str>),
    /// The figures read from the database could not be read.
    #[oai(status = 503)]
    Unavailable(PlainText<&'static str>),
}

/// The metrics as text, or 503 when the database figures cannot be read.
async fn metrics_text(state: &AppState) -> MetricsAnswer {
    match crate::metrics::render(state).await {
        Ok(text) => MetricsAnswer::Metrics(PlainText(text)),
        Err(err) => {
            tracing::warn!(error = %err, "metrics could not be read");
            MetricsAnswer::Unavailable(PlainText("metrics unavailable"))
        }
    }
}

/// `GET /metrics` on the separate `METRICS_BIND` address: no token (the address is the
/// protection).
#[poem::handler]
pub async fn metrics_on_their_own_address(state: poem::web::Data<&AppState>) -> poem::Response {
    poem::IntoResponse::into_response(metrics_text(&state).await)
}

/// Health probes for load balancers and orchestrators.
pub struct HealthApi {
    pub state: AppState,
}

#[OpenApi(tag = "ApiTags::Health")]
impl HealthApi {
    /// Liveness
    ///
    /// Answers as long as the process serves requests; touches nothing else.
    #[oai(path = "/healthz", method = "get", operation_id = "healthz")]
    async fn healthz(&self) -> PlainText<&'static str> {
        PlainText("ok")
    }

    /// Readiness
    ///
    /// Answers 200 after a round trip to the database, 503 when it fails or while the
    /// service drains before it stops.
    #[oai(path = "/readyz", method = "get", operation_id = "readyz")]
    async fn readyz(&self) -> Ready {
        if self
            .state
            .draining
            .load(std::sync::atomic::Ordering::SeqCst)
        {
            return Ready::NotReady(PlainText("stopping"));
        }
        let backend = self.state.db.get_database_backend();
        let probe = sea_orm::Statement::from_string(backend, "SELECT 1");
        match self.state.db.execute_raw(probe).await {
            Ok(_) => Ready::Ready(PlainText("ready")),
            Err(err) => {
                tracing::warn!(error = %err, "readiness probe failed");
                Ready::NotReady(PlainText("database unavailable"))
            }
        }
    }

    /// Metrics
    ///
    /// Prometheus metrics of this instance: requests by route and status, queues and group
    /// sizes, check-in results, rate-limit refusals, the outbox and the database pools. Served
    /// here only when `METRICS_TOKEN` is set (send it as a bearer token), and without a token
    /// on the separate address `METRICS_BIND`.
    #[oai(path = "/metrics", method = "get", operation_id = "metrics")]
    async fn metrics(
        &self,
        /// `Bearer <METRICS_TOKEN>`.
        #[oai(name = "Authorization")]
        authorization: Header<Option<String>>,
    ) -> MetricsAnswer {
        let Some(expected) = self.state.config.metrics.token.as_deref() else {
            return MetricsAnswer::Off(PlainText("metrics are not served on this address"));
        };
        let presented = authorization
            .0
            .as_deref()
            .and_then(|value| value.strip_prefix("Bearer "))
            .unwrap_or_default();
        let same = presented.len() == expected.len()
            && bool::from(subtle::ConstantTimeEq::ct_eq(
                presented.as_bytes(),
                expected.as_bytes(),
            ));
        if !same {
            return MetricsAnswer::Unauthorized(PlainText("a valid metrics token is required"));
        }
        metrics_text(&self.state).await
    }
}
