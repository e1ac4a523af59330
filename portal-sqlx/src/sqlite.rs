//! `SqliteStore`: the store on SQLite.

use std::str::FromStr;
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};

use crate::engine::Flush;
use crate::error::db;
use crate::log_sync::LogSync;
use crate::write_batch::WriteBatches;

/// The portal's store on SQLite: for a single machine (one or several processes
/// sharing the file). Write transactions begin `IMMEDIATE` with a busy timeout and
/// the journal is WAL, so concurrent writers wait for each other instead of failing.
pub type SqliteStore = crate::engine::SqlStore<sqlx::Sqlite>;

impl SqliteStore {
    /// Opens (creating if missing) the database at `url` (`sqlite://path/to/file.db`
    /// or `sqlite::memory:`), in WAL mode with foreign keys on and a 10-second busy
    /// timeout.
    ///
    /// # Errors
    /// [`portal_core::store::StoreError::Unavailable`] if the file cannot be opened.
    pub async fn connect(url: &str) -> portal_core::store::StoreResult<Self> {
        let options = SqliteConnectOptions::from_str(url)
            .map_err(db)?
            .create_if_missing(true);
        Self::connect_with(options).await
    }

    /// Opens with explicit options; WAL, foreign keys and the busy timeout are set on
    /// top of them. New sessions and their last-seen times are written on a
    /// connection of its own that commits without an fsync (`synchronous =
    /// NORMAL`): a power loss may undo the last of them. Pay Now's start and record
    /// on one invoice commit there too, in batches: the writes that arrive while
    /// a batch runs are made in the next one, each in a savepoint of its own, and
    /// committed together. So the database's write lock changes hands once per
    /// batch and ends before the disk is reached, and each write is then made
    /// durable by syncing the write-ahead log file (what `synchronous = FULL`
    /// does, done after the lock is released, where concurrent payments share
    /// one sync), before the gateway is called or the customer told. A
    /// checkpoint runs on another connection every 128 such writes, so that the
    /// batches rarely wait for one. Every other money write syncs as it commits.
    ///
    /// # Errors
    /// [`portal_core::store::StoreError::Unavailable`] if the file cannot be opened.
    pub async fn connect_with(
        options: SqliteConnectOptions,
    ) -> portal_core::store::StoreResult<Self> {
        let in_memory = options.get_filename().as_os_str() == ":memory:";
        let options = options
            .journal_mode(if in_memory {
                SqliteJournalMode::Memory
            } else {
                SqliteJournalMode::Wal
            })
            .foreign_keys(true)
            // Statistics for the query planner: gathered where they are stale when
            // a connection opens (the pool renews connections, so this recurs) and
            // when it closes, bounded so that it never costs more than a moment.
            .analysis_limit(400)
            .pragma("optimize", "0x10002")
            .optimize_on_close(true, 400)
            .busy_timeout(Duration::from_secs(10));
        // A connection is a file handle of this process that no server can drop,
        // so it is not pinged before each statement (sqlx's default): that ping
        // is a hop to the connection's thread and back.
        let pool = SqlitePoolOptions::new()
            // An in-memory database lives in one connection.
            .max_connections(if in_memory { 1 } else { 8 })
            .acquire_timeout(Duration::from_secs(10))
            .test_before_acquire(false)
            .connect_with(options.clone())
            .await
            .map_err(db)?;
        if in_memory {
            return Ok(Self::from_pool(pool));
        }
        // Sessions are written on a connection of their own that does not wait
        // for the disk on commit: a sign-in then costs no fsync. The journal is a
        // WAL, so a power loss can undo only the last such writes (the users sign
        // in again), and the next money write's sync makes them durable too. One
        // connection: its writers queue in this process, where two would wake
        // each other through SQLite's busy timeout, which sleeps.
        // The log beside the database file, named by an absolute path: the
        // pool has created the file, and the host may change its working
        // directory later.
        let wal = {
            let file = options.get_filename();
            let mut name = std::fs::canonicalize(file)
                .unwrap_or_else(|_| file.to_path_buf())
                .into_os_string();
            name.push("-wal");
            std::path::PathBuf::from(name)
        };
        let relaxed = SqlitePoolOptions::new()
            .max_connections(1)
            .acquire_timeout(Duration::from_secs(10))
            .test_before_acquire(false)
            .connect_with(options.synchronous(SqliteSynchronous::Normal))
            .await
            .map_err(db)?;
        Ok(Self {
            flush: Flush::LogFile {
                log: std::sync::Arc::new(LogSync::new(wal)),
                batches: WriteBatches::new(relaxed.clone(), pool.clone()),
            },
            pool,
            relaxed,
        })
    }

    /// How many times the store has synced its write-ahead log after Pay Now's
    /// commits (feature `test-support`): a test's way to see the sync happen.
    #[cfg(feature = "test-support")]
    #[must_use]
    pub fn log_syncs(&self) -> u64 {
        match &self.flush {
            Flush::LogFile { log, .. } => log.completed(),
            Flush::Durable => 0,
        }
    }

    /// Applies the portal's migrations (tracked in `_portal_migrations`).
    ///
    /// # Errors
    /// [`portal_core::store::StoreError::Backend`] if a migration fails.
    pub async fn migrate(&self) -> portal_core::store::StoreResult<()> {
        crate::migrate_with(crate::sqlite_migrator(), &self.pool).await
    }
}
