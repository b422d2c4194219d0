//! Use cases of the e-mail outbox for organizers: the messages of an event (with their
//! recipient, state, attempts and last error) and their counts, and sending one again.

use std::collections::HashMap;

use uuid::Uuid;

use entities::{events, outbox};

use super::events::visible;
use super::principal::Audience;
use crate::application::AppState;
use crate::domain::enums::MailStatus;
use crate::error::AppError;
use crate::store;

/// A message as organizers see it: the row and where it goes.
pub struct Mail {
    pub row: outbox::Model,
    pub recipient: Option<String>,
}

/// The messages of an event, newest first (optionally of one status), and how many are
/// queued, sent and failed.
pub async fn list(
    state: &AppState,
    event: &str,
    status: Option<MailStatus>,
    limit: u64,
) -> Result<(events::Model, Vec<Mail>, HashMap<MailStatus, u64>), AppError> {
    let event = visible(state, event, Audience::Organizers).await?;
    let rows = store::outbox::list(&state.db, event.id, status, limit).await?;
    let counts = store::outbox::counts(&state.db, event.id).await?;
    let mails = with_recipients(state, rows).await?;
    Ok((event, mails, counts))
}

/// Queues a message again (a failed one after the cause is fixed, or a sent one).
pub async fn resend(
    state: &AppState,
    event: &str,
    id: Uuid,
) -> Result<(events::Model, Mail), AppError> {
    let event = visible(state, event, Audience::Organizers).await?;
    let row = store::outbox::resend(&state.writer, event.id, id)
        .await?
        .ok_or(AppError::NotFound("message"))?;
    crate::mail::wake();
    let mut mails = with_recipients(state, vec![row]).await?;
    let mail = mails.pop().ok_or(AppError::NotFound("message"))?;
    Ok((event, mail))
}

/// Fills in the address of messages not sent yet from their registrations.
async fn with_recipients(
    state: &AppState,
    rows: Vec<outbox::Model>,
) -> Result<Vec<Mail>, AppError> {
    let mut mails = Vec::with_capacity(rows.len());
    for row in rows {
        let recipient = match &row.recipient {
            Some(recipient) => Some(recipient.clone()),
            None => store::registrations::find(&state.db, row.registration_id)
                .await?
                .map(|r| r.registration.email),
        };
        mails.push(Mail { row, recipient });
    }
    Ok(mails)
}
