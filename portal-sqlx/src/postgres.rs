//! `PostgresStore`: the store on PostgreSQL.

use std::time::Duration;

use sqlx::Connection as _;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};

use crate::engine::Flush;
use crate::error::db;

/// The portal's store on PostgreSQL. Cheap to clone (it holds a pool). Any number of
/// app processes can share one database: every operation is one transaction, and
/// concurrent changes are caught by version checks and row locks.
pub type PostgresStore = crate::engine::SqlStore<sqlx::Postgres>;

/// How long a pooled connection may have been idle before
/// [`PostgresStore::connect_with`]'s pool pings it ahead of a statement.
const PING_AFTER_IDLE: Duration = Duration::from_millis(500);

impl PostgresStore {
    /// Connects with `url` (`postgres://user:password@host:port/database`), a pool of
    /// up to 10 connections and a 5-second acquire timeout.
    ///
    /// # Errors
    /// [`portal_core::store::StoreError::Unavailable`] if the server cannot be reached.
    pub async fn connect(url: &str) -> portal_core::store::StoreResult<Self> {
        let options: PgConnectOptions = url.parse().map_err(db)?;
        Self::connect_with(options).await
    }

    /// Connects with explicit options.
    ///
    /// The pool's sessions run with `max_parallel_workers_per_gather = 0`: every
    /// portal statement reads one customer's rows, and starting parallel workers
    /// costs more than such a read (with a big store the planner chose a parallel
    /// plan for the statement's aging and made it slower than on a small one). A
    /// host that wants otherwise passes its own pool to [`Self::from_pool`].
    ///
    /// A connection is checked with a ping before use only when it has been idle for
    /// 500 ms or longer, not before every statement (sqlx's default): that ping is
    /// a round trip of its own, a third of a portal page's time on a local server.
    /// A connection that has idled is pinged and, if the server ended it (a
    /// restart, an idle timeout, a network cut), replaced before the statement
    /// runs. One used again within 500 ms is not pinged: if the server ended it in
    /// between, that statement fails with
    /// [`portal_core::store::StoreError::Unavailable`] and the connection is closed.
    /// Connection pools such as HikariCP make the same choice (their bypass window
    /// is 500 ms). sqlx still pings each connection as it goes back to the pool,
    /// after the caller has its answer.
    ///
    /// Besides the pool of 10, up to 4 connections (opened when needed) run with
    /// `synchronous_commit = off` for the two writes a power loss may undo without
    /// harm: a new session and a session's last-seen time (the user signs in
    /// again). Money, passwords, invitations and sign-out wait for the disk.
    ///
    /// # Errors
    /// [`portal_core::store::StoreError::Unavailable`] if the server cannot be reached.
    pub async fn connect_with(options: PgConnectOptions) -> portal_core::store::StoreResult<Self> {
        let options = options.options([("max_parallel_workers_per_gather", "0")]);
        let pool = pool_of(10)
            .connect_with(options.clone())
            .await
            .map_err(db)?;
        // A new session and a session's last-seen time are written on
        // connections of their own whose commits do not wait for the WAL flush:
        // a power loss may undo the last of them (the user signs in again).
        let relaxed = pool_of(4)
            .connect_with(options.options([("synchronous_commit", "off")]))
            .await
            .map_err(db)?;
        Ok(Self {
            pool,
            relaxed,
            flush: Flush::Durable,
        })
    }

    /// Applies the portal's migrations (tracked in `_portal_migrations`, apart from the
    /// host's own). The host decides when to call it.
    ///
    /// # Errors
    /// [`portal_core::store::StoreError::Backend`] if a migration fails.
    pub async fn migrate(&self) -> portal_core::store::StoreResult<()> {
        crate::migrate_with(crate::postgres_migrator(), &self.pool).await
    }
}

/// A pool of up to `size` connections, pinged before use only after idling (see
/// [`PostgresStore::connect_with`]).
fn pool_of(size: u32) -> PgPoolOptions {
    PgPoolOptions::new()
        .max_connections(size)
        .acquire_timeout(Duration::from_secs(5))
        .test_before_acquire(false)
        .before_acquire(|conn, meta| {
            Box::pin(async move {
                if meta.idle_for >= PING_AFTER_IDLE {
                    conn.ping().await?;
                }
                Ok(true)
            })
        })
}
