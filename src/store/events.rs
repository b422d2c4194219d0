//! Events: look-up by id or slug, writes, listing, and the agenda version that every
//! agenda change bumps (which also serializes concurrent agenda writes of one event).

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseTransaction,
    EntityTrait, ExprTrait, QueryFilter, QueryOrder, QuerySelect,
};
use uuid::Uuid;

use entities::events;

use super::is_unique_violation;
use super::pagination::After;
use crate::domain::enums::EventStatus;
use crate::domain::event::EventFields;
use crate::domain::happened::Happened;
use crate::error::AppError;

/// The event named by `reference`: its UUID or its slug.
pub async fn find<C: ConnectionTrait>(
    db: &C,
    reference: &str,
) -> Result<Option<events::Model>, AppError> {
    if reference.contains('\0') {
        return Ok(None);
    }
    let query = match Uuid::parse_str(reference) {
        Ok(id) => events::Entity::find_by_id(id),
        Err(_) => events::Entity::find().filter(events::Column::Slug.eq(reference)),
    };
    Ok(query.one(db).await?)
}

fn slug_taken(slug: &str) -> AppError {
    AppError::refused(format!(
        "the slug {slug:?} is already used by another event"
    ))
}

/// Creates a draft event.
pub async fn insert<C: ConnectionTrait>(
    db: &C,
    fields: &EventFields,
    now: DateTime<Utc>,
) -> Result<events::Model, AppError> {
    let mut model = events::ActiveModel {
        id: Set(Uuid::now_v7()),
        status: Set(EventStatus::Draft),
        seats_taken: Set(0),
        created_at: Set(now),
        agenda_version: Set(0),
        ..Default::default()
    };
    apply(&mut model, fields, now);
    model.insert(db).await.map_err(|err| {
        if is_unique_violation(&err) {
            slug_taken(&fields.slug)
        } else {
            err.into()
        }
    })
}

/// Replaces an event's fields, bumping its agenda version. Runs with the event's row locked:
/// with `new_window` (changed dates or zone) no session may lie outside it;
/// the capacity cannot drop below the seats already taken, and seats it adds are filled from
/// the waiting list in the same transaction.
pub async fn update(
    txn: &DatabaseTransaction,
    current: events::Model,
    fields: &EventFields,
    new_window: Option<(DateTime<Utc>, DateTime<Utc>)>,
    now: DateTime<Utc>,
) -> Result<(events::Model, Vec<Happened>), AppError> {
    super::seats::lock_event(txn, current.id).await?;
    let current = events::Entity::find_by_id(current.id)
        .one(txn)
        .await?
        .ok_or(AppError::NotFound("event"))?;
    // Checked under the lock that session writes also take, so no session can slip outside.
    if let Some(window) = new_window
        && let Some(outside) = super::sessions::first_outside(txn, current.id, window).await?
    {
        return Err(AppError::refused(format!(
            "session {:?} ({}) would fall outside the new dates; move it first",
            outside.title, outside.id
        )));
    }
    if let Some(capacity) = fields.capacity
        && capacity < current.seats_taken
    {
        return Err(AppError::refused(format!(
            "capacity cannot drop below the {} seats already taken",
            current.seats_taken
        )));
    }
    let id = current.id;
    let mut model: events::ActiveModel = current.into();
    apply(&mut model, fields, now);
    model.update(txn).await.map_err(|err| {
        if is_unique_violation(&err) {
            slug_taken(&fields.slug)
        } else {
            AppError::from(err)
        }
    })?;
    let updated = bump_agenda_version(txn, id).await?;
    // More seats (or a waiting list kept again) let waiting delegates in.
    let mut happened = Vec::new();
    super::seats::promote_event(txn, &updated, now, &mut happened).await?;
    notify_change(txn).await?;
    Ok((updated, happened))
}

fn apply(model: &mut events::ActiveModel, fields: &EventFields, now: DateTime<Utc>) {
    model.slug = Set(fields.slug.clone());
    model.title = Set(fields.title.clone());
    model.kind = Set(fields.kind);
    model.description = Set(fields.description.clone());
    model.venue = Set(fields.venue.clone());
    model.city = Set(fields.city.clone());
    model.country = Set(crate::domain::country::stored(fields.country.as_deref()));
    model.timezone = Set(fields.timezone.clone());
    model.starts_on = Set(fields.starts_on);
    model.ends_on = Set(fields.ends_on);
    model.capacity = Set(fields.capacity);
    model.registration_mode = Set(fields.registration_mode);
    model.registration_opens_at = Set(fields.registration_opens_at);
    model.registration_closes_at = Set(fields.registration_closes_at);
    model.waitlist_enabled = Set(fields.waitlist_enabled);
    model.default_language = Set(fields.default_language.clone());
    model.languages = Set(fields.languages.clone());
    model.translations = Set(fields.translations.clone());
    model.updated_at = Set(now);
    model.agenda_updated_at = Set(now);
}

/// Changes an event's status in one transaction: the event's row is locked and read, the
/// transition is decided from the status it has now (`transition` refuses or names the new
/// status), and the agenda version is bumped in the database. Returns the event as it is
/// afterwards (unchanged when the status stays the same).
pub async fn set_status(
    txn: &DatabaseTransaction,
    event_id: Uuid,
    transition: impl FnOnce(EventStatus) -> Result<EventStatus, AppError>,
    now: DateTime<Utc>,
) -> Result<events::Model, AppError> {
    let current = super::seats::lock_event_row(txn, event_id).await?;
    let from: EventStatus = current.status;
    let to = transition(from)?;
    if to == from {
        // Nothing to write; dropping the transaction rolls the lock back.
        return Ok(current);
    }
    events::Entity::update_many()
        .col_expr(events::Column::Status, Expr::value(to.as_str()))
        .col_expr(events::Column::UpdatedAt, Expr::value(now))
        .col_expr(events::Column::AgendaUpdatedAt, Expr::value(now))
        .filter(events::Column::Id.eq(event_id))
        .exec(txn)
        .await?;
    let updated = bump_agenda_version(txn, event_id).await?;
    notify_change(txn).await?;
    Ok(updated)
}

/// Raises the event's agenda version by one in the database itself (so no concurrent change
/// is counted twice or lost), and returns the event as it is then.
async fn bump_agenda_version<C: ConnectionTrait>(
    db: &C,
    event_id: Uuid,
) -> Result<events::Model, AppError> {
    events::Entity::update_many()
        .col_expr(
            events::Column::AgendaVersion,
            Expr::col(events::Column::AgendaVersion).add(1),
        )
        .filter(events::Column::Id.eq(event_id))
        .exec(db)
        .await?;
    events::Entity::find_by_id(event_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound("event"))
}

/// Marks the event's agenda as changed. Run it first in every transaction that changes a
/// track, room, speaker or session: on PostgreSQL it takes the event row's lock and on SQLite
/// the write lock, so concurrent agenda writes of one event run one after the other.
pub async fn touch_agenda<C: ConnectionTrait>(
    db: &C,
    event_id: Uuid,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    events::Entity::update_many()
        .col_expr(
            events::Column::AgendaVersion,
            Expr::col(events::Column::AgendaVersion).add(1),
        )
        .col_expr(events::Column::AgendaUpdatedAt, Expr::value(now))
        .filter(events::Column::Id.eq(event_id))
        .exec(db)
        .await?;
    notify_change(db).await
}

/// The PostgreSQL channel on which instances announce agenda changes to each other.
pub const CHANGES_CHANNEL: &str = "dialogue_agenda";

/// Tells the other instances (on PostgreSQL, when the transaction commits) that agenda data
/// changed, so they drop their cached event heads. Nothing to do on SQLite.
pub async fn notify_change<C: ConnectionTrait>(db: &C) -> Result<(), AppError> {
    if db.get_database_backend() == sea_orm::DbBackend::Postgres {
        db.execute_unprepared(&format!("SELECT pg_notify('{CHANGES_CHANNEL}', '')"))
            .await?;
    }
    Ok(())
}

/// One page of events with one of `statuses`, in creation order.
pub async fn list<C: ConnectionTrait>(
    db: &C,
    statuses: &[EventStatus],
    after: Option<Uuid>,
    limit: u64,
) -> Result<Vec<events::Model>, AppError> {
    let mut query = events::Entity::find()
        .filter(events::Column::Status.is_in(statuses.iter().map(|s| s.as_str())))
        .order_by_asc(events::Column::Id)
        .limit(limit);
    if let Some(id) = after {
        query = query.filter(events::Column::Id.gt(id));
    }
    Ok(query.all(db).await?)
}

/// The position after an event, for the next page's cursor.
pub fn cursor_of(event: &events::Model) -> After {
    After::Id(event.id)
}
