//! What differs between PostgreSQL and SQLite, in one place, and the store that is
//! generic over it.
//!
//! [`Engine`] is implemented for `sqlx::Postgres` and `sqlx::Sqlite`: how a write
//! transaction begins, how a timestamp is stored, the few statements that differ,
//! how a value is bound and a column read. [`SqlStore`] is the store over either;
//! `PostgresStore` and `SqliteStore` are its two instances. A value the stores bind
//! is an [`Arg`] and a value they read is a [`Column`]: each says, once, that both
//! engines can take it, so generic store code needs no list of sqlx bounds.

use std::fmt;

use portal_core::store::StoreResult;
use sqlx::query::Query;
use sqlx::{Database, IntoArguments, Pool};
use time::OffsetDateTime;

/// A value PostgreSQL can bind (anything, when the `postgres` feature is off).
#[cfg(feature = "postgres")]
pub trait PgArg<'q>: sqlx::Encode<'q, sqlx::Postgres> + sqlx::Type<sqlx::Postgres> {}
#[cfg(feature = "postgres")]
impl<'q, T: sqlx::Encode<'q, sqlx::Postgres> + sqlx::Type<sqlx::Postgres>> PgArg<'q> for T {}
/// A value PostgreSQL can bind (anything, when the `postgres` feature is off).
#[cfg(not(feature = "postgres"))]
pub trait PgArg<'q> {}
#[cfg(not(feature = "postgres"))]
impl<T> PgArg<'_> for T {}

/// A value SQLite can bind (anything, when the `sqlite` feature is off).
#[cfg(feature = "sqlite")]
pub trait LiteArg<'q>: sqlx::Encode<'q, sqlx::Sqlite> + sqlx::Type<sqlx::Sqlite> {}
#[cfg(feature = "sqlite")]
impl<'q, T: sqlx::Encode<'q, sqlx::Sqlite> + sqlx::Type<sqlx::Sqlite>> LiteArg<'q> for T {}
/// A value SQLite can bind (anything, when the `sqlite` feature is off).
#[cfg(not(feature = "sqlite"))]
pub trait LiteArg<'q> {}
#[cfg(not(feature = "sqlite"))]
impl<T> LiteArg<'_> for T {}

/// A value every enabled engine can bind for a query living `'q`.
pub trait Arg<'q>: Send + PgArg<'q> + LiteArg<'q> {}
impl<'q, T: Send + PgArg<'q> + LiteArg<'q>> Arg<'q> for T {}

/// A value PostgreSQL can read from a column (anything, when the feature is off).
#[cfg(feature = "postgres")]
pub trait PgColumn: for<'r> sqlx::Decode<'r, sqlx::Postgres> + sqlx::Type<sqlx::Postgres> {}
#[cfg(feature = "postgres")]
impl<T: for<'r> sqlx::Decode<'r, sqlx::Postgres> + sqlx::Type<sqlx::Postgres>> PgColumn for T {}
/// A value PostgreSQL can read from a column (anything, when the feature is off).
#[cfg(not(feature = "postgres"))]
pub trait PgColumn {}
#[cfg(not(feature = "postgres"))]
impl<T> PgColumn for T {}

/// A value SQLite can read from a column (anything, when the feature is off).
#[cfg(feature = "sqlite")]
pub trait LiteColumn: for<'r> sqlx::Decode<'r, sqlx::Sqlite> + sqlx::Type<sqlx::Sqlite> {}
#[cfg(feature = "sqlite")]
impl<T: for<'r> sqlx::Decode<'r, sqlx::Sqlite> + sqlx::Type<sqlx::Sqlite>> LiteColumn for T {}
/// A value SQLite can read from a column (anything, when the feature is off).
#[cfg(not(feature = "sqlite"))]
pub trait LiteColumn {}
#[cfg(not(feature = "sqlite"))]
impl<T> LiteColumn for T {}

/// A value every enabled engine can read from a column.
pub trait Column: PgColumn + LiteColumn {}
impl<T: PgColumn + LiteColumn> Column for T {}

mod sealed {
    use super::{Batched, Query};

    /// Only the engines of this crate are engines (deliberately unnameable outside).
    #[allow(unnameable_types)]
    pub trait Sealed: sqlx::Database {
        /// Queues a Pay Now write on one invoice (`Engine::START_ONE` or an
        /// `Engine::RECORD_ONE` script, its first row its answer) for the next
        /// batch of `batches` (the store's `WriteBatches`, SQLite's: see
        /// `write_batch`); on another engine gives the query back.
        ///
        /// # Errors
        /// The query itself, when the engine does not batch.
        fn in_batch<'q>(
            batches: &std::sync::Arc<dyn std::any::Any + Send + Sync>,
            query: Query<'q, Self, Self::Arguments>,
        ) -> Result<Batched<Self>, Query<'q, Self, Self::Arguments>>;
    }

    #[cfg(feature = "postgres")]
    impl Sealed for sqlx::Postgres {
        fn in_batch<'q>(
            _: &std::sync::Arc<dyn std::any::Any + Send + Sync>,
            query: Query<'q, Self, Self::Arguments>,
        ) -> Result<Batched<Self>, Query<'q, Self, Self::Arguments>> {
            Err(query)
        }
    }

    #[cfg(feature = "sqlite")]
    impl Sealed for sqlx::Sqlite {
        fn in_batch<'q>(
            batches: &std::sync::Arc<dyn std::any::Any + Send + Sync>,
            query: Query<'q, Self, Self::Arguments>,
        ) -> Result<Batched<Self>, Query<'q, Self, Self::Arguments>> {
            match batches
                .clone()
                .downcast::<crate::write_batch::WriteBatches>()
            {
                Ok(batches) => Ok(batches.write(query)),
                Err(_) => Err(query),
            }
        }
    }
}

/// How many rows a statement changed (sqlx has this on each engine's result type,
/// not on a trait).
pub trait RowsAffected {
    /// The number of rows changed.
    fn rows_affected(&self) -> u64;
}

#[cfg(feature = "postgres")]
impl RowsAffected for sqlx::postgres::PgQueryResult {
    fn rows_affected(&self) -> u64 {
        sqlx::postgres::PgQueryResult::rows_affected(self)
    }
}

#[cfg(feature = "sqlite")]
impl RowsAffected for sqlx::sqlite::SqliteQueryResult {
    fn rows_affected(&self) -> u64 {
        sqlx::sqlite::SqliteQueryResult::rows_affected(self)
    }
}

/// An SQL engine the portal runs on (sealed: PostgreSQL and SQLite).
pub trait Engine:
    Database<Arguments: IntoArguments<Self>, QueryResult: RowsAffected> + sealed::Sealed
{
    /// How a write transaction begins (`BEGIN IMMEDIATE` on SQLite, so that
    /// concurrent writers queue instead of failing on upgrade).
    const BEGIN: &'static str;
    /// How a timestamp is stored: `timestamptz` on PostgreSQL, INTEGER microseconds
    /// on SQLite.
    type Ts: for<'q> Arg<'q> + Column + Sync;
    /// A moment as stored.
    fn ts_to_db(t: OffsetDateTime) -> Self::Ts;
    /// Binds `value` to the next placeholder of `query`.
    fn bind<'q, T: Arg<'q> + 'q>(
        query: Query<'q, Self, Self::Arguments>,
        value: T,
    ) -> Query<'q, Self, Self::Arguments>;
    /// The value of `row`'s column `name`.
    ///
    /// # Errors
    /// The driver's error for a missing column or a value of another type.
    fn column<T: Column>(row: &Self::Row, name: &str) -> Result<T, sqlx::Error>;
    /// The value of `row`'s column at `index`.
    ///
    /// # Errors
    /// As [`Self::column`].
    fn column_at<T: Column>(row: &Self::Row, index: usize) -> Result<T, sqlx::Error>;
    /// A stored moment, in UTC.
    ///
    /// # Errors
    /// A stored value outside what a timestamp can be.
    fn ts_from_db(t: Self::Ts) -> StoreResult<OffsetDateTime>;
    /// Reads an invoice of the customer for an update in this transaction (a row
    /// lock on PostgreSQL; SQLite's `BEGIN IMMEDIATE` already holds the database).
    const LOCK_CUSTOMER_INVOICE: &'static str;
    /// Reads a payment attempt for an update in this transaction.
    const LOCK_ATTEMPT: &'static str;
    /// Reads an organization for an update in this transaction.
    const LOCK_ORG: &'static str;
    /// Moves a session's last-seen time forward, never back (`GREATEST` / `MAX`).
    /// Runs on its own, on [`SqlStore`]'s relaxed connections.
    const TOUCH_SESSION: &'static str;
    /// Whether the statement of account is read in one statement (a round trip
    /// to a server saved) or in its three parts within one read transaction
    /// (SQLite, in process, runs the parts faster than their compound).
    const STATEMENT_IN_ONE: bool;
    /// Claims due outbox emails with a lease (`SKIP LOCKED` on PostgreSQL).
    const CLAIM_EMAILS: &'static str;
    /// Starts a one-invoice Pay Now attempt in one call to the database:
    /// PostgreSQL's one statement (a data-modifying `WITH`) that commits on its
    /// own, so that the invoice's row lock is never held across a round trip;
    /// SQLite's few statements in one call, run in a write transaction.
    const START_ONE: &'static str;
    /// Records a one-invoice Pay Now payment in one call, likewise: PostgreSQL's
    /// one statement; the head of SQLite's script, which the outbox and activity
    /// inserts follow (`sql::sqlite::chained_inserts`).
    const RECORD_ONE: &'static str;
    /// Whether [`Self::START_ONE`] and [`Self::RECORD_ONE`] commit on their own
    /// (PostgreSQL), or run in a write transaction the store begins and commits
    /// (SQLite, whose write transaction holds the whole database anyway).
    const ONE_CALL_COMMITS: bool;
}

/// A write queued for a batch: its first row, once its batch has committed.
pub(crate) type Batched<DB> = std::pin::Pin<
    Box<
        dyn std::future::Future<Output = Result<Option<<DB as Database>::Row>, sqlx::Error>>
            + Send
            + 'static,
    >,
>;

#[cfg(feature = "postgres")]
impl Engine for sqlx::Postgres {
    fn bind<'q, T: Arg<'q> + 'q>(
        query: Query<'q, Self, Self::Arguments>,
        value: T,
    ) -> Query<'q, Self, Self::Arguments> {
        query.bind(value)
    }

    fn column<T: Column>(row: &sqlx::postgres::PgRow, name: &str) -> Result<T, sqlx::Error> {
        sqlx::Row::try_get(row, name)
    }

    fn column_at<T: Column>(row: &sqlx::postgres::PgRow, index: usize) -> Result<T, sqlx::Error> {
        sqlx::Row::try_get(row, index)
    }

    const BEGIN: &'static str = "BEGIN";
    const LOCK_CUSTOMER_INVOICE: &'static str = crate::sql::postgres::LOCK_CUSTOMER_INVOICE;
    const LOCK_ATTEMPT: &'static str = crate::sql::postgres::LOCK_ATTEMPT;
    const LOCK_ORG: &'static str = crate::sql::postgres::LOCK_ORG;
    const TOUCH_SESSION: &'static str = crate::sql::postgres::TOUCH_SESSION;
    const STATEMENT_IN_ONE: bool = true;
    const CLAIM_EMAILS: &'static str = crate::sql::postgres::CLAIM_EMAILS;
    const START_ONE: &'static str = crate::sql::postgres::START_ONE;
    const RECORD_ONE: &'static str = crate::sql::postgres::RECORD_ONE;
    const ONE_CALL_COMMITS: bool = true;
    type Ts = OffsetDateTime;

    fn ts_to_db(t: OffsetDateTime) -> OffsetDateTime {
        t.to_offset(time::UtcOffset::UTC)
    }

    fn ts_from_db(t: OffsetDateTime) -> StoreResult<OffsetDateTime> {
        Ok(t.to_offset(time::UtcOffset::UTC))
    }
}

#[cfg(feature = "sqlite")]
impl Engine for sqlx::Sqlite {
    fn bind<'q, T: Arg<'q> + 'q>(
        query: Query<'q, Self, Self::Arguments>,
        value: T,
    ) -> Query<'q, Self, Self::Arguments> {
        query.bind(value)
    }

    fn column<T: Column>(row: &sqlx::sqlite::SqliteRow, name: &str) -> Result<T, sqlx::Error> {
        sqlx::Row::try_get(row, name)
    }

    fn column_at<T: Column>(row: &sqlx::sqlite::SqliteRow, index: usize) -> Result<T, sqlx::Error> {
        sqlx::Row::try_get(row, index)
    }

    const BEGIN: &'static str = "BEGIN IMMEDIATE";
    const LOCK_CUSTOMER_INVOICE: &'static str = crate::sql::sqlite::LOCK_CUSTOMER_INVOICE;
    const LOCK_ATTEMPT: &'static str = crate::sql::sqlite::LOCK_ATTEMPT;
    const LOCK_ORG: &'static str = crate::sql::sqlite::LOCK_ORG;
    const TOUCH_SESSION: &'static str = crate::sql::sqlite::TOUCH_SESSION;
    const STATEMENT_IN_ONE: bool = false;
    const CLAIM_EMAILS: &'static str = crate::sql::sqlite::CLAIM_EMAILS;
    const START_ONE: &'static str = crate::sql::sqlite::START_ONE;
    const RECORD_ONE: &'static str = crate::sql::sqlite::RECORD_ONE_HEAD;
    const ONE_CALL_COMMITS: bool = false;
    type Ts = i64;

    fn ts_to_db(t: OffsetDateTime) -> i64 {
        // Microseconds since 1970 fit an i64 for ±292 000 years.
        i64::try_from(t.unix_timestamp_nanos() / 1_000).unwrap_or(i64::MAX)
    }

    fn ts_from_db(micros: i64) -> StoreResult<OffsetDateTime> {
        OffsetDateTime::from_unix_timestamp_nanos(i128::from(micros) * 1_000)
            .map_err(|e| crate::error::corrupt("timestamp", e))
    }
}

/// `.arg(value)` on a query of any engine: [`Engine::bind`].
pub(crate) trait Bind<'q, DB: Engine>: Sized {
    /// Binds `value` to the next placeholder.
    fn arg<T: Arg<'q> + 'q>(self, value: T) -> Self;
}

impl<'q, DB: Engine> Bind<'q, DB> for Query<'q, DB, DB::Arguments> {
    fn arg<T: Arg<'q> + 'q>(self, value: T) -> Self {
        DB::bind(self, value)
    }
}

/// The query that finds a secret token's record by `key`: `in_org` (the hash
/// `$1` within the organization `$2` the token names: one shard of a store
/// distributed by organization) or, for a token that names none (issued
/// before tokens did), `any` (the hash `$1` alone).
pub(crate) fn by_token<DB: Engine>(
    key: &portal_core::domain::TokenKey,
    any: &'static str,
    in_org: &'static str,
) -> Query<'static, DB, DB::Arguments> {
    let hash = key.hash.as_bytes().to_vec();
    match key.org {
        Some(org) => sqlx::query::<DB>(in_org).arg(hash).arg(org.as_uuid()),
        None => sqlx::query::<DB>(any).arg(hash),
    }
}

/// The portal's store on an SQL engine. Cheap to clone (it holds a pool). Any number
/// of app processes can share one database: every operation is one transaction,
/// and concurrent changes are caught by version checks and row locks.
pub struct SqlStore<DB: Database> {
    pub(crate) pool: Pool<DB>,
    /// Connections for the writes that a power loss may undo without harm: a new
    /// session, a session's last-seen time (the user signs in again). Opened by
    /// `connect` they commit without waiting for the disk (PostgreSQL's
    /// `synchronous_commit = off`, SQLite's `synchronous = NORMAL`); on SQLite
    /// Pay Now commits there too (see [`Flush`]). From [`Self::from_pool`] (and
    /// for an in-memory SQLite database), `pool` itself.
    pub(crate) relaxed: Pool<DB>,
    /// Where Pay Now's start and record on one invoice commit, and how they are
    /// made durable before anyone is told.
    pub(crate) flush: Flush,
}

/// Where Pay Now's start and record on one invoice commit, and how they become
/// durable before the gateway is called or the customer told.
#[derive(Clone, Debug)]
pub(crate) enum Flush {
    /// On the pool, waiting for the disk as they commit. PostgreSQL's: its row
    /// lock holds only the invoice paid, and the server flushes the log once for
    /// all the commits that wait at once.
    Durable,
    /// On the relaxed connections, without waiting for the disk; then the log
    /// file is synced, once for all the callers that wait at once. SQLite's: its
    /// write lock holds the whole database, so a commit that waited for the disk
    /// under it would hold every other payment back for that long. The log holds
    /// every commit not yet checkpointed, and a checkpoint syncs the log before
    /// copying it and the database after, so a commit no longer in the log is
    /// durable already.
    /// The writes commit in batches there (`write_batch`): the lock changes
    /// hands, and the pages payments share reach the log, once per batch.
    LogFile {
        /// The log file's syncs.
        log: std::sync::Arc<crate::log_sync::LogSync>,
        /// The writes committed together: SQLite's `WriteBatches`, held as
        /// anything so that the engines share this type.
        batches: std::sync::Arc<dyn std::any::Any + Send + Sync>,
    },
}

impl<DB: Database> SqlStore<DB> {
    /// Wraps an existing pool (the host's own, if it already has one). Every write
    /// goes through it.
    #[must_use]
    pub fn from_pool(pool: Pool<DB>) -> Self {
        Self {
            relaxed: pool.clone(),
            pool,
            flush: Flush::Durable,
        }
    }

    /// The pool, for the host's own queries.
    #[must_use]
    pub fn pool(&self) -> &Pool<DB> {
        &self.pool
    }
}

impl<DB: Database> Clone for SqlStore<DB> {
    fn clone(&self) -> Self {
        Self {
            pool: self.pool.clone(),
            relaxed: self.relaxed.clone(),
            flush: self.flush.clone(),
        }
    }
}

impl<DB: Database> fmt::Debug for SqlStore<DB> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SqlStore")
            .field("engine", &DB::NAME)
            .field("pool", &self.pool)
            .finish()
    }
}
