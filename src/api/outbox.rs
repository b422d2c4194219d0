//! The e-mail outbox of an event, for its organizers: every message written for a delegate
//! (to whom, what, its state, attempts, the last error and when it was sent), the counts of
//! queued, sent and failed messages, and sending one again.

use chrono::{DateTime, FixedOffset};
use poem_openapi::param::{Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::{Object, OpenApi};
use uuid::Uuid;

use super::ApiTags;
use super::auth::OrganizerAuth;
use super::common::{event_tz, local, path_id};
use super::enums::{MailKind, MailStatus};
use crate::api_errors;
use crate::app::outbox::{self as outbox_app, Mail};
use crate::application::AppState;
use crate::domain::enums as domain;
use crate::domain::validation::ValidationErrors;
use crate::error::AppError;

/// One e-mail to a delegate.
#[derive(Object, Debug)]
pub struct OutboxMessage {
    pub id: Uuid,
    pub registration_id: Uuid,
    /// The address it goes (or went) to.
    pub recipient: Option<String>,
    pub kind: MailKind,
    pub status: MailStatus,
    /// Attempts made so far.
    pub attempts: i32,
    /// The last failure: the server's reply or the network error.
    pub last_error: Option<String>,
    /// When the next attempt is due (queued messages).
    pub next_attempt_at: DateTime<FixedOffset>,
    /// The `Message-ID` it was sent with.
    pub message_id: Option<String>,
    pub created_at: DateTime<FixedOffset>,
    pub sent_at: Option<DateTime<FixedOffset>>,
}

/// How many messages are in each state.
#[derive(Object, Debug)]
pub struct OutboxCounts {
    pub queued: u64,
    pub sent: u64,
    pub failed: u64,
}

/// An event's messages, newest first, and the counts of all of them.
#[derive(Object, Debug)]
pub struct OutboxList {
    pub items: Vec<OutboxMessage>,
    pub counts: OutboxCounts,
}

api_errors!(
    enum OutboxError {
        /// No or an unknown token.
        Unauthorized = 401,
        /// The token is not an organizer's.
        Forbidden = 403,
        /// No such event, or no such message of it.
        NotFound = 404,
        /// `limit` out of range.
        Unprocessable = 422,
    }
);

/// Outbox operations.
pub struct OutboxApi {
    pub state: AppState,
}

#[OpenApi(prefix_path = "/api/v1", tag = "ApiTags::Outbox")]
impl OutboxApi {
    /// List an event's e-mails
    ///
    /// Every message written for the event's delegates, newest first: queued ones wait for
    /// their next attempt, failed ones keep the reason until they are sent again.
    #[oai(
        path = "/events/:event/outbox",
        method = "get",
        operation_id = "list_outbox"
    )]
    async fn list(
        &self,
        _auth: OrganizerAuth,
        /// The event's id or slug.
        event: Path<String>,
        /// Only messages in this state.
        status: Query<Option<MailStatus>>,
        /// How many messages (1–500, default 100).
        limit: Query<Option<u32>>,
    ) -> Result<Json<OutboxList>, OutboxError> {
        let limit = match limit.0 {
            None => 100,
            Some(limit @ 1..=500) => limit,
            Some(_) => {
                return Err(AppError::from(ValidationErrors::single(
                    "limit",
                    "must be between 1 and 500",
                ))
                .into());
            }
        };
        let (event, mails, counts) = outbox_app::list(
            &self.state,
            &event.0,
            status.0.map(domain::MailStatus::from),
            u64::from(limit),
        )
        .await?;
        let tz = event_tz(&event)?;
        let count = |status| counts.get(&status).copied().unwrap_or(0);
        Ok(Json(OutboxList {
            items: mails.into_iter().map(|mail| view(mail, tz)).collect(),
            counts: OutboxCounts {
                queued: count(domain::MailStatus::Queued),
                sent: count(domain::MailStatus::Sent),
                failed: count(domain::MailStatus::Failed),
            },
        }))
    }

    /// Send an e-mail again
    ///
    /// Queues the message for an attempt now (its attempts start again from zero); it keeps
    /// its `Message-ID`.
    #[oai(
        path = "/events/:event/outbox/:id/resend",
        method = "post",
        operation_id = "resend_outbox_message"
    )]
    async fn resend(
        &self,
        _auth: OrganizerAuth,
        /// The event's id or slug.
        event: Path<String>,
        /// The message's id.
        id: Path<String>,
    ) -> Result<Json<OutboxMessage>, OutboxError> {
        let id = path_id(&id.0, "message")?;
        let (event, mail) = outbox_app::resend(&self.state, &event.0, id).await?;
        Ok(Json(view(mail, event_tz(&event)?)))
    }
}

fn view(mail: Mail, tz: chrono_tz::Tz) -> OutboxMessage {
    let row = mail.row;
    OutboxMessage {
        id: row.id,
        registration_id: row.registration_id,
        recipient: mail.recipient,
        kind: row.kind.into(),
        status: row.status.into(),
        attempts: row.attempts,
        last_error: row.last_error,
        next_attempt_at: local(row.next_attempt_at, tz),
        message_id: row.message_id,
        created_at: local(row.created_at, tz),
        sent_at: row.sent_at.map(|at| local(at, tz)),
    }
}
