//! Certificates of attendance in the database: an event's rules, the presence the check-ins
//! recorded (the `presence` rows: first admissions per registration and door or venue day),
//! the certificates issued (numbered per event under the event row's lock), revocation, and
//! the keys that sign them (created on first use, sealed with the master key).

use chrono::{DateTime, NaiveDate, Utc};
use ed25519_dalek::SigningKey;
use rand::RngCore;
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseTransaction,
    EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};
use uuid::Uuid;

use entities::{certificate_keys, certificate_rules, certificates, events, presence};

use super::is_unique_violation;
use super::keys::Keyring;
use crate::domain::certificate::Presence;
use crate::error::{AppError, Failure};
use crate::sealing::MasterKey;

/// The rules row of an event, if the organizer saved one.
pub async fn rules<C: ConnectionTrait>(
    db: &C,
    event_id: Uuid,
) -> Result<Option<certificate_rules::Model>, AppError> {
    Ok(certificate_rules::Entity::find_by_id(event_id)
        .one(db)
        .await?)
}

/// Saves an event's rules (insert or replace).
pub async fn save_rules<C: ConnectionTrait>(
    db: &C,
    rules: certificate_rules::Model,
) -> Result<(), AppError> {
    let row: certificate_rules::ActiveModel = rules.into();
    certificate_rules::Entity::insert(row)
        .on_conflict(
            OnConflict::column(certificate_rules::Column::EventId)
                .update_columns([
                    certificate_rules::Column::SessionIds,
                    certificate_rules::Column::MinShare,
                    certificate_rules::Column::Hours,
                    certificate_rules::Column::Attendance,
                    certificate_rules::Column::Partners,
                    certificate_rules::Column::UpdatedAt,
                ])
                .to_owned(),
        )
        .exec(db)
        .await?;
    Ok(())
}

/// Who was admitted where in an event: doors of sessions and venue days.
pub async fn presence_of_event<C: ConnectionTrait>(
    db: &C,
    event_id: Uuid,
) -> Result<Presence, AppError> {
    let rows: Vec<(Uuid, String)> = presence::Entity::find()
        .select_only()
        .column(presence::Column::RegistrationId)
        .column(presence::Column::Scope)
        .filter(presence::Column::EventId.eq(event_id))
        .into_tuple()
        .all(db)
        .await?;
    let mut seen = Presence::default();
    for (registration, scope) in rows {
        if let Some(session) = scope.strip_prefix("session:") {
            if let Ok(session) = session.parse::<Uuid>() {
                seen.doors.entry(registration).or_default().insert(session);
                seen.scanned_doors.insert(session);
            }
        } else if let Some(day) = scope.strip_prefix("day:")
            && let Ok(day) = day.parse::<NaiveDate>()
        {
            seen.venue_days.entry(registration).or_default().insert(day);
        }
    }
    Ok(seen)
}

/// The certificates of an event, in number order.
pub async fn of_event<C: ConnectionTrait>(
    db: &C,
    event_id: Uuid,
) -> Result<Vec<certificates::Model>, AppError> {
    Ok(certificates::Entity::find()
        .filter(certificates::Column::EventId.eq(event_id))
        .order_by_asc(certificates::Column::Seq)
        .all(db)
        .await?)
}

/// The certificate of a registration.
pub async fn of_registration<C: ConnectionTrait>(
    db: &C,
    registration_id: Uuid,
) -> Result<Option<certificates::Model>, AppError> {
    Ok(certificates::Entity::find()
        .filter(certificates::Column::RegistrationId.eq(registration_id))
        .one(db)
        .await?)
}

/// A certificate by id.
pub async fn find<C: ConnectionTrait>(
    db: &C,
    id: Uuid,
) -> Result<Option<certificates::Model>, AppError> {
    Ok(certificates::Entity::find_by_id(id).one(db).await?)
}

/// A certificate of an event by its number.
pub async fn by_number<C: ConnectionTrait>(
    db: &C,
    event_id: Uuid,
    number: &str,
) -> Result<Option<certificates::Model>, AppError> {
    Ok(certificates::Entity::find()
        .filter(certificates::Column::EventId.eq(event_id))
        .filter(certificates::Column::Number.eq(number))
        .one(db)
        .await?)
}

/// Takes the event row's lock (a no-op update): certificates of one event are numbered one
/// issuing after another, on every instance.
pub async fn lock_event(txn: &DatabaseTransaction, event_id: Uuid) -> Result<(), AppError> {
    events::Entity::update_many()
        .col_expr(
            events::Column::RevocationSeq,
            Expr::col(events::Column::RevocationSeq),
        )
        .filter(events::Column::Id.eq(event_id))
        .exec(txn)
        .await?;
    Ok(())
}

/// The next number of the event (call under the event row's lock).
pub async fn next_seq(txn: &DatabaseTransaction, event_id: Uuid) -> Result<i32, AppError> {
    let last: Option<Option<i32>> = certificates::Entity::find()
        .select_only()
        .column_as(certificates::Column::Seq.max(), "last")
        .filter(certificates::Column::EventId.eq(event_id))
        .into_tuple()
        .one(txn)
        .await?;
    Ok(last.flatten().unwrap_or(0) + 1)
}

/// Inserts a certificate; `false` when the registration has one already.
pub async fn insert(txn: &DatabaseTransaction, row: certificates::Model) -> Result<bool, AppError> {
    let active: certificates::ActiveModel = row.into();
    let inserted = certificates::Entity::insert(active)
        .on_conflict(
            OnConflict::column(certificates::Column::RegistrationId)
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(txn)
        .await?;
    Ok(inserted > 0)
}

/// Revokes a certificate (revoking twice keeps the first time and reason).
pub async fn revoke<C: ConnectionTrait>(
    db: &C,
    id: Uuid,
    reason: &str,
    at: DateTime<Utc>,
) -> Result<(), AppError> {
    revoke_where(db, certificates::Column::Id.eq(id), reason, at).await
}

/// Revokes the certificate of a registration, if it has one that is not revoked yet.
pub async fn revoke_of_registration<C: ConnectionTrait>(
    db: &C,
    registration_id: Uuid,
    reason: &str,
    at: DateTime<Utc>,
) -> Result<(), AppError> {
    let which = certificates::Column::RegistrationId.eq(registration_id);
    revoke_where(db, which, reason, at).await
}

/// Revokes the certificates `which` picks that are not revoked yet.
async fn revoke_where<C: ConnectionTrait>(
    db: &C,
    which: sea_orm::sea_query::SimpleExpr,
    reason: &str,
    at: DateTime<Utc>,
) -> Result<(), AppError> {
    certificates::Entity::update_many()
        .col_expr(certificates::Column::RevokedAt, Expr::value(at))
        .col_expr(certificates::Column::RevokeReason, Expr::value(reason))
        .filter(which)
        .filter(certificates::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}

/// The name a certificate key's seal is bound to.
fn key_name(kid: i32) -> String {
    format!("certificate-key-{kid}")
}

/// The certificate keyring, creating key 1 on first use.
pub async fn keyring<C: ConnectionTrait>(db: &C, master: &MasterKey) -> Result<Keyring, AppError> {
    if certificate_keys::Entity::find().one(db).await?.is_none() {
        let mut seed = [0u8; 32];
        rand::rng().fill_bytes(&mut seed);
        let key = SigningKey::from_bytes(&seed);
        let inserted = certificate_keys::ActiveModel {
            kid: Set(1),
            secret_key: Set(master.seal(&key_name(1), &key.to_bytes())),
            public_key: Set(hex::encode(key.verifying_key().to_bytes())),
            active: Set(true),
            created_at: Set(Utc::now()),
            retired_at: Set(None),
        }
        .insert(db)
        .await;
        match inserted {
            Ok(_) => {}
            // Another instance created it at the same moment.
            Err(err) if is_unique_violation(&err) => {}
            Err(err) => return Err(Failure::Database(err).into()),
        }
    }
    let rows = certificate_keys::Entity::find()
        .order_by_asc(certificate_keys::Column::Kid)
        .all(db)
        .await?;
    super::keys::keyring_of(
        master,
        "certificate key",
        key_name,
        rows.iter().map(|r| {
            (
                r.kid,
                r.secret_key.as_str(),
                r.active,
                r.retired_at.is_none(),
            )
        }),
    )
}
