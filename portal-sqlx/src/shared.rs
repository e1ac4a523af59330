//! Plain-Rust helpers every store uses on either engine: reading a row's values,
//! beginning a write transaction, queueing an email or a portal event, marking a
//! first view. Generic over [`Engine`]; the sqlx capabilities each needs are named
//! in its `where` clause.

use portal_core::{
    Currency, CustomerId, Entity, Invoice, LineItem, Money, Notice, OrgId, OutboxEmail, StoreError,
    StoreResult, date_from_days, days_since_epoch,
};
use sqlx::types::Json;
use sqlx::{ColumnIndex, Decode, Encode, Executor, IntoArguments, Row, Type};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::engine::{Engine, SqlStore};
use crate::error::{corrupt, db};
use crate::sql::common as q;

/// `row`'s value in `column`.
pub(crate) fn get<'r, R, T>(row: &'r R, column: &'static str) -> StoreResult<T>
where
    R: Row,
    T: Decode<'r, R::Database> + Type<R::Database>,
    &'static str: ColumnIndex<R>,
{
    row.try_get(column).map_err(db)
}

/// A moment stored in `column`.
pub(crate) fn at<R>(row: &R, column: &'static str) -> StoreResult<OffsetDateTime>
where
    R: Row,
    R::Database: Engine,
    &'static str: ColumnIndex<R>,
{
    <R::Database as Engine>::ts_from_db(get(row, column)?)
}

/// A moment stored in `column`, if any.
pub(crate) fn opt_at<R>(row: &R, column: &'static str) -> StoreResult<Option<OffsetDateTime>>
where
    R: Row,
    R::Database: Engine,
    &'static str: ColumnIndex<R>,
{
    get::<R, Option<<R::Database as Engine>::Ts>>(row, column)?
        .map(<R::Database as Engine>::ts_from_db)
        .transpose()
}

/// The currency in the row's `currency` column.
pub(crate) fn currency_of<R>(row: &R) -> StoreResult<Currency>
where
    R: Row,
    for<'r> String: Decode<'r, R::Database> + Type<R::Database>,
    &'static str: ColumnIndex<R>,
{
    let code: String = get(row, "currency")?;
    Currency::from_code(&code).map_err(|e| corrupt("currency", e))
}

/// A calendar date stored as days since 1970 in `column`.
pub(crate) fn date_of<R>(row: &R, column: &'static str) -> StoreResult<Date>
where
    R: Row,
    for<'r> i64: Decode<'r, R::Database> + Type<R::Database>,
    &'static str: ColumnIndex<R>,
{
    let days: i64 = get(row, column)?;
    date_from_days(days).ok_or_else(|| corrupt("date", days))
}

/// A stored count, as the domain's `u32`.
pub(crate) fn count(value: i64, what: &'static str) -> StoreResult<u32> {
    u32::try_from(value).map_err(|_| corrupt(what, value))
}

/// An amount from its stored minor units.
pub(crate) fn money(minor: i64, currency: Currency) -> Money {
    Money::from_minor_units(minor, currency)
}

/// An amount as stored: integer minor units.
pub(crate) fn minor(m: Money) -> StoreResult<i64> {
    m.to_minor_units().map_err(|e| corrupt("amount", e))
}

/// The currency of a live customer of the organization, inside `conn`'s
/// transaction; `NotFound(Entity::Customer)` otherwise.
pub(crate) async fn live_customer_currency<DB>(
    conn: &mut DB::Connection,
    org: OrgId,
    customer: CustomerId,
) -> StoreResult<Currency>
where
    DB: Engine,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
    DB::Arguments: IntoArguments<DB>,
    for<'q> Uuid: Encode<'q, DB> + Type<DB>,
    for<'r> String: Decode<'r, DB> + Type<DB>,
    &'static str: ColumnIndex<DB::Row>,
{
    let row = sqlx::query::<DB>(q::CUSTOMER_CURRENCY)
        .bind(org.as_uuid())
        .bind(customer.as_uuid())
        .fetch_optional(&mut *conn)
        .await
        .map_err(db)?
        .ok_or(StoreError::NotFound(Entity::Customer))?;
    currency_of(&row)
}

/// Inserts `invoice`, in `conn`'s transaction.
pub(crate) async fn insert_invoice<DB>(
    conn: &mut DB::Connection,
    invoice: &Invoice,
) -> StoreResult<()>
where
    DB: Engine,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
    DB::Arguments: IntoArguments<DB>,
    for<'q> Uuid: Encode<'q, DB> + Type<DB>,
    for<'q> &'q str: Encode<'q, DB> + Type<DB>,
    for<'q> i64: Encode<'q, DB> + Type<DB>,
    for<'q> bool: Encode<'q, DB> + Type<DB>,
    for<'q> Option<DB::Ts>: Encode<'q, DB> + Type<DB>,
    for<'q> Json<&'q Vec<LineItem>>: Encode<'q, DB> + Type<DB>,
    for<'q> Json<&'q Vec<String>>: Encode<'q, DB> + Type<DB>,
{
    sqlx::query::<DB>(q::INSERT_INVOICE)
        .bind(invoice.id.as_uuid())
        .bind(invoice.org.as_uuid())
        .bind(invoice.customer.as_uuid())
        .bind(invoice.kind.as_str())
        .bind(invoice.number.as_str())
        .bind(invoice.status.as_str())
        .bind(Json(&invoice.lines))
        .bind(invoice.currency().code())
        .bind(minor(invoice.total)?)
        .bind(minor(invoice.paid)?)
        .bind(minor(invoice.credited)?)
        .bind(minor(invoice.balance)?)
        .bind(days_since_epoch(invoice.issue_date))
        .bind(days_since_epoch(invoice.due_date))
        .bind(invoice.allow_partial_payments)
        .bind(Json(&invoice.payment_gateways))
        .bind(invoice.viewed_at.map(DB::ts_to_db))
        .bind(DB::ts_to_db(invoice.created_at))
        .bind(invoice.version)
        .bind(minor(invoice.drawn)?)
        .execute(&mut *conn)
        .await
        .map_err(db)?;
    Ok(())
}

/// Queues `e` in the outbox, in `conn`'s transaction.
pub(crate) async fn insert_email<DB>(conn: &mut DB::Connection, e: &OutboxEmail) -> StoreResult<()>
where
    DB: Engine,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
    DB::Arguments: IntoArguments<DB>,
    for<'q> Uuid: Encode<'q, DB> + Type<DB>,
    for<'q> &'q str: Encode<'q, DB> + Type<DB>,
    for<'q> Option<&'q str>: Encode<'q, DB> + Type<DB>,
    for<'q> i64: Encode<'q, DB> + Type<DB>,
    for<'q> Option<DB::Ts>: Encode<'q, DB> + Type<DB>,
{
    sqlx::query::<DB>(q::INSERT_EMAIL)
        .bind(e.id.as_uuid())
        .bind(e.org.as_uuid())
        .bind(e.kind.as_str())
        .bind(e.to.as_str())
        .bind(e.subject.as_str())
        .bind(e.body.as_str())
        .bind(e.status.as_str())
        .bind(i64::from(e.attempts))
        .bind(DB::ts_to_db(e.next_attempt_at))
        .bind(e.last_error.as_deref())
        .bind(DB::ts_to_db(e.created_at))
        .bind(e.sent_at.map(DB::ts_to_db))
        .execute(&mut *conn)
        .await
        .map_err(db)?;
    Ok(())
}

/// Records a portal event: its activity row (N3) and, if any, the organization's
/// email (N1), in `conn`'s transaction.
pub(crate) async fn insert_notice<DB>(conn: &mut DB::Connection, n: &Notice) -> StoreResult<()>
where
    DB: Engine,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
    DB::Arguments: IntoArguments<DB>,
    for<'q> Uuid: Encode<'q, DB> + Type<DB>,
    for<'q> &'q str: Encode<'q, DB> + Type<DB>,
    for<'q> Option<&'q str>: Encode<'q, DB> + Type<DB>,
    for<'q> i64: Encode<'q, DB> + Type<DB>,
    for<'q> Option<DB::Ts>: Encode<'q, DB> + Type<DB>,
{
    let a = &n.activity;
    sqlx::query::<DB>(q::INSERT_ACTIVITY)
        .bind(a.id.as_uuid())
        .bind(a.org.as_uuid())
        .bind(a.customer.as_uuid())
        .bind(a.contact.as_uuid())
        .bind(a.event.as_str())
        .bind(a.subject.kind())
        .bind(a.subject.uuid())
        .bind(a.summary.as_str())
        .bind(DB::ts_to_db(a.at))
        .execute(&mut *conn)
        .await
        .map_err(db)?;
    if let Some(email) = &n.email {
        insert_email::<DB>(conn, email).await?;
    }
    Ok(())
}

impl<DB> SqlStore<DB>
where
    DB: Engine,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
    DB::Arguments: IntoArguments<DB>,
    for<'q> Uuid: Encode<'q, DB> + Type<DB>,
    for<'q> &'q str: Encode<'q, DB> + Type<DB>,
    for<'q> Option<&'q str>: Encode<'q, DB> + Type<DB>,
    for<'q> i64: Encode<'q, DB> + Type<DB>,
    for<'q> Option<DB::Ts>: Encode<'q, DB> + Type<DB>,
{
    /// Begins a write transaction the engine's way.
    pub(crate) async fn begin(&self) -> StoreResult<sqlx::Transaction<'static, DB>> {
        self.pool.begin_with(DB::BEGIN).await.map_err(db)
    }

    /// Runs a "mark the first view" statement (`$1` org, `$2` customer, `$3` id,
    /// `$4` time) and, on the first view only, queues `notice` in the same
    /// transaction. `None` when the record was already viewed (or is not the
    /// customer's).
    pub(crate) async fn mark_first_view<T>(
        &self,
        statement: &'static str,
        (org, customer, id): (OrgId, CustomerId, Uuid),
        at: OffsetDateTime,
        notice: &Notice,
        from: fn(&DB::Row) -> StoreResult<T>,
    ) -> StoreResult<Option<T>> {
        let mut tx = self.begin().await?;
        let row = sqlx::query::<DB>(statement)
            .bind(org.as_uuid())
            .bind(customer.as_uuid())
            .bind(id)
            .bind(DB::ts_to_db(at))
            .fetch_optional(&mut *tx)
            .await
            .map_err(db)?;
        let Some(row) = row else {
            return Ok(None);
        };
        let record = from(&row)?;
        insert_notice::<DB>(&mut tx, notice).await?;
        tx.commit().await.map_err(db)?;
        Ok(Some(record))
    }
}
