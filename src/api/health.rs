//! Liveness and readiness probes.

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
    /// The database did not answer.
    #[oai(status = 503)]
    NotReady(PlainText<&'static str>),
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
    /// Answers 200 after a round trip to the database, 503 when it fails.
    #[oai(path = "/readyz", method = "get", operation_id = "readyz")]
    async fn readyz(&self) -> Ready {
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
}
