//! Plain-Rust helpers every store uses on either engine: reading a row's values,
//! beginning a write transaction, queueing an email or a portal event, marking a
//! first view. Generic over [`Engine`].

use portal_core::domain::Cursor;
use portal_core::domain::Page;
use portal_core::domain::PageRequest;
use portal_core::domain::{
    Currency, CustomerId, Money, Notice, OrgId, OutboxEmail, date_from_days,
};
use portal_core::store::Rule;
use portal_core::store::{Entity, StoreError, StoreResult};
use sqlx::{Executor, Row};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::engine::{Bind as _, Column, Engine, Flush, RowsAffected as _, SqlStore};
use crate::error::{corrupt, db};
use crate::sql::common as q;

/// A column's name in a joined row: `name` itself without a prefix, `prefix` and
/// `name` otherwise (`c_` + `email`), as the joined statements alias them.
pub(crate) fn prefixed(prefix: &str, name: &'static str) -> std::borrow::Cow<'static, str> {
    if prefix.is_empty() {
        std::borrow::Cow::Borrowed(name)
    } else {
        std::borrow::Cow::Owned(format!("{prefix}{name}"))
    }
}

/// `row`'s value in `column`.
pub(crate) fn get<R, T>(row: &R, column: &str) -> StoreResult<T>
where
    R: Row,
    R::Database: Engine<Row = R>,
    T: Column,
{
    <R::Database as Engine>::column(row, column).map_err(db)
}

/// `row`'s value in its first column (for one-value statements).
pub(crate) fn first<R, T>(row: &R) -> StoreResult<T>
where
    R: Row,
    R::Database: Engine<Row = R>,
    T: Column,
{
    <R::Database as Engine>::column_at(row, 0).map_err(db)
}

/// `row`'s value at `index` (for rows read in bulk, where a lookup by name per
/// column and row costs more than the decoding).
pub(crate) fn get_at<R, T>(row: &R, index: usize) -> StoreResult<T>
where
    R: Row,
    R::Database: Engine<Row = R>,
    T: Column,
{
    <R::Database as Engine>::column_at(row, index).map_err(db)
}

/// A moment stored in `column`.
pub(crate) fn at<R>(row: &R, column: &str) -> StoreResult<OffsetDateTime>
where
    R: Row,
    R::Database: Engine<Row = R>,
{
    <R::Database as Engine>::ts_from_db(get(row, column)?)
}

/// A moment stored in `column`, if any.
pub(crate) fn opt_at<R>(row: &R, column: &str) -> StoreResult<Option<OffsetDateTime>>
where
    R: Row,
    R::Database: Engine<Row = R>,
{
    get::<R, Option<<R::Database as Engine>::Ts>>(row, column)?
        .map(<R::Database as Engine>::ts_from_db)
        .transpose()
}

/// The currency in the row's `currency` column.
pub(crate) fn currency_of<R>(row: &R) -> StoreResult<Currency>
where
    R: Row,
    R::Database: Engine<Row = R>,
{
    stored_currency(&get::<_, String>(row, "currency")?)
}

/// The currency of a stored ISO 4217 code.
pub(crate) fn stored_currency(code: &str) -> StoreResult<Currency> {
    Currency::from_code(code).map_err(|e| corrupt("currency", e))
}

/// A calendar date stored as days since 1970 in `column`.
pub(crate) fn date_of<R>(row: &R, column: &'static str) -> StoreResult<Date>
where
    R: Row,
    R::Database: Engine<Row = R>,
{
    stored_date(get(row, column)?)
}

/// A date as stored: days since 1970-01-01.
pub(crate) fn stored_date(days: i64) -> StoreResult<Date> {
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
{
    let row = sqlx::query::<DB>(q::CUSTOMER_CURRENCY)
        .arg(org.as_uuid())
        .arg(customer.as_uuid())
        .fetch_optional(&mut *conn)
        .await
        .map_err(db)?
        .ok_or(StoreError::NotFound(Entity::Customer))?;
    currency_of(&row)
}

/// Queues `e` in the outbox, in `conn`'s transaction.
pub(crate) async fn insert_email<DB>(conn: &mut DB::Connection, e: &OutboxEmail) -> StoreResult<()>
where
    DB: Engine,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
{
    bind_email(sqlx::query::<DB>(q::INSERT_EMAIL), e)
        .execute(&mut *conn)
        .await
        .map_err(db)?;
    Ok(())
}

/// `query` with an outbox row's 13 columns bound, in `INSERT_EMAIL`'s order.
pub(crate) fn bind_email<'q, DB: Engine>(
    query: sqlx::query::Query<'q, DB, DB::Arguments>,
    e: &'q OutboxEmail,
) -> sqlx::query::Query<'q, DB, DB::Arguments> {
    query
        .arg(e.id.as_uuid())
        .arg(e.org.as_uuid())
        .arg(e.kind.as_str())
        .arg(e.to.as_str())
        .arg(e.subject.as_str())
        .arg(e.body.as_str())
        .arg(e.status.as_str())
        .arg(i64::from(e.attempts))
        .arg(DB::ts_to_db(e.next_attempt_at))
        .arg(e.last_error.as_deref())
        .arg(DB::ts_to_db(e.created_at))
        .arg(e.sent_at.map(DB::ts_to_db))
        .arg(e.attachment.as_ref().map(sqlx::types::Json))
}

/// `query` with an activity row's 9 columns bound, in `INSERT_ACTIVITY`'s order.
pub(crate) fn bind_activity<'q, DB: Engine>(
    query: sqlx::query::Query<'q, DB, DB::Arguments>,
    a: &'q portal_core::domain::Activity,
) -> sqlx::query::Query<'q, DB, DB::Arguments> {
    query
        .arg(a.id.as_uuid())
        .arg(a.org.as_uuid())
        .arg(a.customer.as_uuid())
        .arg(a.contact.as_uuid())
        .arg(a.event.as_str())
        .arg(a.subject.kind())
        .arg(a.subject.uuid())
        .arg(a.summary.as_str())
        .arg(DB::ts_to_db(a.at))
}

/// Records a portal event: its activity row (N3) and, if any, the organization's
/// email (N1), in `conn`'s transaction.
pub(crate) async fn insert_notice<DB>(conn: &mut DB::Connection, n: &Notice) -> StoreResult<()>
where
    DB: Engine,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
{
    bind_activity(sqlx::query::<DB>(q::INSERT_ACTIVITY), &n.activity)
        .execute(&mut *conn)
        .await
        .map_err(db)?;
    if let Some(email) = &n.email {
        insert_email::<DB>(conn, email).await?;
    }
    Ok(())
}

/// A moment as PostgreSQL reads it from JSON: RFC 3339 in UTC, to the microsecond
/// (truncated, as sqlx truncates a bound timestamp).
fn timestamp_json(t: OffsetDateTime) -> String {
    let t = t.to_offset(time::UtcOffset::UTC);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:06}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second(),
        t.microsecond()
    )
}

/// An outbox row as a JSON object named by its columns, for a statement that
/// inserts any number of them from one JSON array.
pub(crate) fn email_json(e: &OutboxEmail) -> serde_json::Value {
    serde_json::json!({
        "id": e.id.as_uuid(),
        "org_id": e.org.as_uuid(),
        "kind": e.kind.as_str(),
        "recipient": e.to.as_str(),
        "subject": e.subject,
        "body": e.body,
        "status": e.status.as_str(),
        "attempts": e.attempts,
        "next_attempt_at": timestamp_json(e.next_attempt_at),
        "last_error": e.last_error,
        "created_at": timestamp_json(e.created_at),
        "sent_at": e.sent_at.map(timestamp_json),
        "attachment": e.attachment,
    })
}

/// An activity row as a JSON object named by its columns, as [`email_json`].
pub(crate) fn activity_json(a: &portal_core::domain::Activity) -> serde_json::Value {
    serde_json::json!({
        "id": a.id.as_uuid(),
        "org_id": a.org.as_uuid(),
        "customer_id": a.customer.as_uuid(),
        "contact_id": a.contact.as_uuid(),
        "event": a.event.as_str(),
        "subject_kind": a.subject.kind(),
        "subject_id": a.subject.uuid(),
        "summary": a.summary,
        "at": timestamp_json(a.at),
    })
}

/// Why a versioned update touched no row: the record changed since it was read
/// (`ConcurrentModification`) or it is not there (`NotFound`). `statement` selects
/// the record's version by `$1` org and `$2` id.
pub(crate) async fn version_miss<'e, DB, E>(
    executor: E,
    statement: &'static str,
    org: OrgId,
    id: Uuid,
    entity: Entity,
) -> StoreError
where
    DB: Engine,
    E: Executor<'e, Database = DB>,
{
    match sqlx::query::<DB>(statement)
        .arg(org.as_uuid())
        .arg(id)
        .fetch_optional(executor)
        .await
    {
        Ok(Some(_)) => StoreError::ConcurrentModification(entity),
        Ok(None) => StoreError::NotFound(entity),
        Err(e) => db(e),
    }
}

impl<DB> SqlStore<DB>
where
    DB: Engine,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
{
    /// Begins a write transaction the engine's way.
    pub(crate) async fn begin(&self) -> StoreResult<sqlx::Transaction<'static, DB>> {
        self.pool.begin_with(DB::BEGIN).await.map_err(db)
    }

    /// The connections Pay Now's start and record on one invoice commit on
    /// (see [`Flush`]); [`Self::flush`] follows each commit there.
    pub(crate) fn pay_now_pool(&self) -> &sqlx::Pool<DB> {
        match self.flush {
            Flush::Durable => &self.pool,
            Flush::LogFile { .. } => &self.relaxed,
        }
    }

    /// Runs a Pay Now write on one invoice of an engine that commits it in a
    /// write transaction (SQLite's [`Engine::START_ONE`] and
    /// [`Engine::RECORD_ONE`] scripts): queued for the store's next batch of
    /// such writes where [`Flush`] batches them, or in a write transaction of its
    /// own on [`Self::pay_now_pool`]. Either way the write is kept (committed)
    /// when it answers a row, and undone when it answers none or fails. The
    /// outer error is the transaction's, the inner one the write's own.
    pub(crate) async fn write_pay_now<'q>(
        &self,
        query: sqlx::query::Query<'q, DB, DB::Arguments>,
    ) -> StoreResult<Result<Option<DB::Row>, sqlx::Error>> {
        let query = match &self.flush {
            Flush::LogFile { batches, .. } => match DB::in_batch(batches, query) {
                Ok(batched) => return Ok(batched.await),
                Err(query) => query,
            },
            Flush::Durable => query,
        };
        let mut tx = self
            .pay_now_pool()
            .begin_with(DB::BEGIN)
            .await
            .map_err(db)?;
        let written = query.fetch_optional(&mut *tx).await;
        if matches!(written, Ok(Some(_))) {
            tx.commit().await.map_err(db)?;
        } else {
            tx.rollback().await.map_err(db)?;
        }
        Ok(written)
    }

    /// `changed`, once durable: flushed (see [`Self::flush`]) when it holds a
    /// change, or the record of another caller that changed it.
    pub(crate) async fn flushed<T>(&self, changed: Option<T>) -> StoreResult<Option<T>> {
        if changed.is_some() {
            self.flush().await?;
        }
        Ok(changed)
    }

    /// Makes every commit made so far on [`Self::pay_now_pool`] durable (see
    /// [`Flush`]).
    pub(crate) async fn flush(&self) -> StoreResult<()> {
        match &self.flush {
            Flush::Durable => Ok(()),
            Flush::LogFile { log, .. } => log
                .sync()
                .await
                .map_err(|e| StoreError::Unavailable(Box::new(e))),
        }
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
            .arg(org.as_uuid())
            .arg(customer.as_uuid())
            .arg(id)
            .arg(DB::ts_to_db(at))
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

impl<DB> SqlStore<DB>
where
    DB: Engine,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
{
    /// Rows fetched with one extra, as a newest-first page keyed by id only.
    pub(crate) fn id_page<T>(
        rows: &[DB::Row],
        from: fn(&DB::Row) -> StoreResult<T>,
        limit: u32,
        id_of: fn(&T) -> Uuid,
    ) -> StoreResult<Page<T>> {
        let items = rows.iter().map(from).collect::<StoreResult<Vec<_>>>()?;
        Ok(Page::from_overfetch(items, limit, |r| Cursor {
            key: 0,
            id: id_of(r),
        }))
    }

    pub(crate) fn affected_one(
        result: Result<DB::QueryResult, sqlx::Error>,
        what: Rule,
    ) -> StoreResult<()> {
        match result.map_err(db)?.rows_affected() {
            1 => Ok(()),
            _ => Err(StoreError::Conflict(what)),
        }
    }

    /// The one row `statement` finds with `ids` bound in order, or
    /// `NotFound(what)`.
    pub(crate) async fn row_by(
        &self,
        statement: &'static str,
        ids: &[Uuid],
        what: Entity,
    ) -> StoreResult<DB::Row> {
        let mut query = sqlx::query::<DB>(statement);
        for id in ids {
            query = query.arg(*id);
        }
        query
            .fetch_optional(&self.pool)
            .await
            .map_err(db)?
            .ok_or(StoreError::NotFound(what))
    }

    /// One newest-first page of a customer's rows keyed by id only:
    /// `statement` takes `$1` org, `$2` customer, `$3, $4` the cursor and
    /// `$5` the limit.
    pub(crate) async fn id_page_of<T>(
        &self,
        statement: &'static str,
        (org, customer): (OrgId, CustomerId),
        page: &PageRequest,
        from: fn(&DB::Row) -> StoreResult<T>,
        id_of: fn(&T) -> Uuid,
    ) -> StoreResult<Page<T>> {
        let (key, id) = page.bound();
        let rows = sqlx::query::<DB>(statement)
            .arg(org.as_uuid())
            .arg(customer.as_uuid())
            .arg(key)
            .arg(id)
            .arg(i64::from(page.limit) + 1)
            .fetch_all(&self.pool)
            .await
            .map_err(db)?;
        Self::id_page(&rows, from, page.limit, id_of)
    }
}

/// A settlement refused by the domain, as a store error.
pub(crate) fn settle_err(e: portal_core::domain::SettleError) -> StoreError {
    StoreError::Backend(Box::new(e))
}
