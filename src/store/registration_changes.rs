//! The transactions that change a registration after it was made: cancel, reject, approve,
//! change sessions (each built on `seats`, run with the event's row locked first, in the
//! use case's transaction), and replacing the calendar link.

use crate::domain::refusal::Reason;
use chrono::Utc;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, ExprTrait, QueryFilter,
};
use uuid::Uuid;

use entities::{events, registration_sessions, registrations};

use super::registering::check_choices;
use super::registrations::{RegistrationRow, find};
use super::seats::{self, Claimed};
use crate::domain::enums::{ChoiceStatus, RegistrationStatus};
use crate::domain::happened::Happened;
use crate::domain::registration::{can_approve, can_reject};
use crate::error::AppError;

/// Locks the event and reads it and the registration afresh inside the transaction; the
/// caller decides from these rows, not from what it read before.
async fn locked<C: ConnectionTrait>(
    txn: &C,
    event: &events::Model,
    registration_id: Uuid,
) -> Result<(events::Model, RegistrationRow), AppError> {
    let event = seats::lock_event_row(txn, event.id).await?;
    let row = find(txn, registration_id)
        .await?
        .filter(|row| row.registration.event_id == event.id)
        .ok_or(AppError::NotFound("registration"))?;
    Ok((event, row))
}

/// Cancels a registration: frees its seats and promotes waiting delegates, atomically.
pub async fn cancel(
    txn: &DatabaseTransaction,
    event: &events::Model,
    registration_id: Uuid,
) -> Result<(RegistrationRow, Vec<Happened>), AppError> {
    end(txn, event, registration_id, RegistrationStatus::Cancelled).await
}

/// Rejects a registration (organizer): frees its seats and promotes waiting delegates.
pub async fn reject(
    txn: &DatabaseTransaction,
    event: &events::Model,
    registration_id: Uuid,
) -> Result<(RegistrationRow, Vec<Happened>), AppError> {
    end(txn, event, registration_id, RegistrationStatus::Rejected).await
}

async fn end(
    txn: &DatabaseTransaction,
    event: &events::Model,
    registration_id: Uuid,
    to: RegistrationStatus,
) -> Result<(RegistrationRow, Vec<Happened>), AppError> {
    let now = Utc::now();
    let (event, row) = locked(txn, event, registration_id).await?;
    let from = row.status();
    match to {
        RegistrationStatus::Rejected => {
            can_reject(from).map_err(|e| AppError::refused(e.to_string()))?
        }
        _ if matches!(
            from,
            RegistrationStatus::Cancelled | RegistrationStatus::Rejected
        ) =>
        {
            return Err(AppError::refused_because(
                Reason::RegistrationEnded,
                format!("the registration is already {from}"),
            ));
        }
        _ => {}
    }
    seats::set_status_if(txn, registration_id, from, to, now).await?;
    stamp_revocation(txn, event.id, registration_id).await?;
    let mut happened = vec![match to {
        RegistrationStatus::Rejected => Happened::Rejected {
            registration: registration_id,
        },
        _ => Happened::Cancelled {
            registration: registration_id,
        },
    }];
    seats::release_all(
        txn,
        &event,
        registration_id,
        from == RegistrationStatus::Confirmed,
        now,
        &mut happened,
    )
    .await?;
    reread(txn, registration_id, happened).await
}

/// Numbers a badge's revocation with the event's next revocation number. The caller holds
/// the event row's lock, so numbers become visible in the order they were given: a scanner
/// that asks for revocations after the last number it saw misses none.
async fn stamp_revocation<C: ConnectionTrait>(
    txn: &C,
    event_id: Uuid,
    registration_id: Uuid,
) -> Result<i64, AppError> {
    let numbered = events::Entity::update_many()
        .col_expr(
            events::Column::RevocationSeq,
            Expr::col(events::Column::RevocationSeq).add(1),
        )
        .filter(events::Column::Id.eq(event_id))
        .exec_with_returning(txn)
        .await?;
    let seq = numbered
        .first()
        .map(|event| event.revocation_seq)
        .ok_or(AppError::NotFound("event"))?;
    registrations::Entity::update_many()
        .col_expr(registrations::Column::RevokedSeq, Expr::value(seq))
        .filter(registrations::Column::Id.eq(registration_id))
        .exec(txn)
        .await?;
    Ok(seq)
}

/// The revocation reason of a certificate whose holder's data was erased.
pub const ERASED_REASON: &str = "holder's data erased";

/// Erases a delegate's personal data: a live registration is cancelled first (its seats
/// freed, waiting delegates promoted), then the name, e-mail, organization, position,
/// country and search texts are blanked, the manage token stops working, the personal
/// calendar link is retired and the certificate revoked, and e-mails not yet sent fail as
/// "the registration no longer exists". The row, its choices and its admissions stay, so
/// counts and the audit log stay right without naming anyone.
pub async fn erase(
    txn: &DatabaseTransaction,
    event: &events::Model,
    registration_id: Uuid,
    unusable_token_hash: &str,
) -> Result<Vec<Happened>, AppError> {
    let now = Utc::now();
    let (_, row) = locked(txn, event, registration_id).await?;
    if row.registration.erased_at.is_some() {
        return Ok(Vec::new());
    }
    let mut happened = Vec::new();
    if !matches!(
        row.status(),
        RegistrationStatus::Cancelled | RegistrationStatus::Rejected
    ) {
        let (_, ended) = end(txn, event, registration_id, RegistrationStatus::Cancelled).await?;
        // No cancellation e-mail to an address about to be erased; promotions of others stay.
        happened.extend(
            ended
                .into_iter()
                .filter(|h| !matches!(h, Happened::Cancelled { .. })),
        );
    }
    registrations::Entity::update_many()
        .col_expr(registrations::Column::FullName, Expr::value(""))
        .col_expr(
            registrations::Column::Email,
            Expr::value(format!("erased-{registration_id}@invalid")),
        )
        .col_expr(
            registrations::Column::EmailNormalized,
            Expr::value(format!("erased-{registration_id}@invalid")),
        )
        .col_expr(
            registrations::Column::Organization,
            Expr::value(None::<String>),
        )
        .col_expr(registrations::Column::Position, Expr::value(None::<String>))
        .col_expr(registrations::Column::Country, Expr::value(None::<String>))
        .col_expr(registrations::Column::SearchText, Expr::value(""))
        .col_expr(registrations::Column::NameSearch, Expr::value(""))
        .col_expr(
            registrations::Column::ManageTokenHash,
            Expr::value(unusable_token_hash),
        )
        // The personal calendar link of every generation so far stops working.
        .col_expr(
            registrations::Column::CalendarGeneration,
            Expr::col(registrations::Column::CalendarGeneration).add(1),
        )
        .col_expr(registrations::Column::ErasedAt, Expr::value(now))
        .col_expr(registrations::Column::UpdatedAt, Expr::value(now))
        .filter(registrations::Column::Id.eq(registration_id))
        .exec(txn)
        .await?;
    super::outbox::forget_recipient(txn, registration_id, now).await?;
    // A certificate must not go on vouching for a person nobody can name any more.
    super::certificates::revoke_of_registration(txn, registration_id, ERASED_REASON, now).await?;
    happened.push(Happened::Erased {
        registration: registration_id,
    });
    Ok(happened)
}

/// Replaces the manage token: the generation goes up by one (atomically, so two
/// replacements at once give two generations) and the hash of `token_of(generation)` is
/// kept; the old token stops working. Returns the new token.
pub async fn replace_manage_token<C: ConnectionTrait>(
    txn: &C,
    registration_id: Uuid,
    token_of: impl Fn(i32) -> String,
) -> Result<String, AppError> {
    let bumped = registrations::Entity::update_many()
        .col_expr(
            registrations::Column::ManageGeneration,
            Expr::col(registrations::Column::ManageGeneration).add(1),
        )
        .col_expr(registrations::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(registrations::Column::Id.eq(registration_id))
        .filter(registrations::Column::ErasedAt.is_null())
        .exec_with_returning(txn)
        .await?;
    let generation = bumped
        .first()
        .map(|r| r.manage_generation)
        .ok_or(AppError::NotFound("registration"))?;
    let token = token_of(generation);
    registrations::Entity::update_many()
        .col_expr(
            registrations::Column::ManageTokenHash,
            Expr::value(crate::domain::token::hash(&token)),
        )
        .filter(registrations::Column::Id.eq(registration_id))
        .exec(txn)
        .await?;
    Ok(token)
}

/// Approves a pending registration: a seat if one is free, else the waiting list (409 when
/// the event is full and keeps none).
pub async fn approve(
    txn: &DatabaseTransaction,
    event: &events::Model,
    registration_id: Uuid,
) -> Result<(RegistrationRow, Vec<Happened>), AppError> {
    let now = Utc::now();
    let (event, row) = locked(txn, event, registration_id).await?;
    let from = row.status();
    can_approve(from).map_err(|e| AppError::refused(e.to_string()))?;
    let status = if seats::take_event_seat(txn, event.id).await? {
        seats::set_status_if(
            txn,
            registration_id,
            from,
            RegistrationStatus::Confirmed,
            now,
        )
        .await?;
        let chosen: Vec<Uuid> = row.choices.iter().map(|c| c.session_id).collect();
        let claimed = seats::claim_sessions(txn, &chosen, event.waitlist_enabled).await?;
        seats::record_claims(txn, registration_id, &claimed, now).await?;
        RegistrationStatus::Confirmed
    } else if event.waitlist_enabled {
        seats::set_status_if(
            txn,
            registration_id,
            from,
            RegistrationStatus::Waitlisted,
            now,
        )
        .await?;
        RegistrationStatus::Waitlisted
    } else {
        return Err(AppError::refused_because(
            Reason::EventFull,
            "the event is full and keeps no waiting list",
        ));
    };
    let happened = vec![Happened::Approved {
        registration: registration_id,
        status,
    }];
    reread(txn, registration_id, happened).await
}

/// Replaces a registration's session choices atomically: new seats are taken before old ones
/// are released. When a newly chosen session is full while another is given up, nothing
/// changes (409); a full session only added joins its waiting list.
pub async fn change_sessions(
    txn: &DatabaseTransaction,
    event: &events::Model,
    registration_id: Uuid,
    wanted: &[Uuid],
) -> Result<(RegistrationRow, Vec<Happened>), AppError> {
    let now = Utc::now();
    let (event, row) = locked(txn, event, registration_id).await?;
    let status = row.status();
    if matches!(
        status,
        RegistrationStatus::Cancelled | RegistrationStatus::Rejected
    ) {
        return Err(AppError::refused_because(
            Reason::RegistrationEnded,
            format!("the registration is {status}; register again instead"),
        ));
    }
    check_choices(txn, event.id, wanted).await?;
    let current: Vec<Uuid> = row.choices.iter().map(|c| c.session_id).collect();
    let added: Vec<Uuid> = wanted
        .iter()
        .copied()
        .filter(|id| !current.contains(id))
        .collect();
    let removed: Vec<&registration_sessions::Model> = row
        .choices
        .iter()
        .filter(|c| !wanted.contains(&c.session_id))
        .collect();
    let new_choices: Claimed = if status == RegistrationStatus::Confirmed {
        let claimed = seats::claim_sessions(txn, &added, event.waitlist_enabled).await?;
        if let Some((full, _)) = claimed.iter().find(|(_, s)| *s == ChoiceStatus::Waitlisted)
            && !removed.is_empty()
        {
            return Err(AppError::refused_because(
                Reason::SessionFull,
                format!(
                    "session {full} is full; nothing was changed (keep your current sessions, or \
                 add it without giving one up to join its waiting list)"
                ),
            ));
        }
        claimed
    } else {
        added
            .iter()
            .map(|id| (*id, ChoiceStatus::Pending))
            .collect()
    };
    seats::insert_choices(txn, registration_id, &new_choices, now).await?;
    let mut happened = Vec::new();
    for choice in &removed {
        registration_sessions::Entity::delete_many()
            .filter(registration_sessions::Column::RegistrationId.eq(registration_id))
            .filter(registration_sessions::Column::SessionId.eq(choice.session_id))
            .exec(txn)
            .await?;
        if choice.status == ChoiceStatus::Confirmed {
            seats::release_session_seat(txn, choice.session_id).await?;
            seats::promote_session(txn, choice.session_id, &mut happened).await?;
        }
    }
    seats::touch_registration(txn, registration_id).await?;
    reread(txn, registration_id, happened).await
}

/// Bumps the calendar link's generation, so the old link stops working.
pub async fn rotate_calendar(
    txn: &DatabaseTransaction,
    registration_id: Uuid,
) -> Result<RegistrationRow, AppError> {
    // One atomic increment: two rotations at once give two generations.
    let result = registrations::Entity::update_many()
        .col_expr(
            registrations::Column::CalendarGeneration,
            Expr::col(registrations::Column::CalendarGeneration).add(1),
        )
        .col_expr(registrations::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(registrations::Column::Id.eq(registration_id))
        .exec(txn)
        .await?;
    if result.rows_affected == 0 {
        return Err(AppError::NotFound("registration"));
    }
    let row = find(txn, registration_id)
        .await?
        .ok_or(AppError::NotFound("registration"))?;
    Ok(row)
}

/// Sets the language of a delegate's e-mails and badge.
pub async fn set_locale(
    txn: &DatabaseTransaction,
    registration_id: Uuid,
    locale: &crate::domain::values::Language,
) -> Result<RegistrationRow, AppError> {
    let result = registrations::Entity::update_many()
        .col_expr(registrations::Column::Locale, Expr::value(locale.as_str()))
        .col_expr(registrations::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(registrations::Column::Id.eq(registration_id))
        .exec(txn)
        .await?;
    if result.rows_affected == 0 {
        return Err(AppError::NotFound("registration"));
    }
    find(txn, registration_id)
        .await?
        .ok_or(AppError::NotFound("registration"))
}

/// Reads the changed registration again: the end of every change here. The use case writes
/// what happened and commits.
async fn reread<C: ConnectionTrait>(
    txn: &C,
    registration_id: Uuid,
    happened: Vec<Happened>,
) -> Result<(RegistrationRow, Vec<Happened>), AppError> {
    let row = find(txn, registration_id)
        .await?
        .ok_or(AppError::NotFound("registration"))?;
    Ok((row, happened))
}
