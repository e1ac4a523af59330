//! Fresh databases for tests (feature `test-support`): a temporary SQLite file, or a
//! fresh schema on the PostgreSQL server `DATABASE_URL` names. Under `CI` the
//! PostgreSQL helpers fail loudly when `DATABASE_URL` is missing; elsewhere they
//! print a line and return `None` so the test can skip.

use std::io::Write as _;
use std::ops::Deref;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use portal_core::{FileStore, Store};
use sqlx::postgres::PgConnectOptions;

use crate::{PostgresStore, SqliteStore};

fn random_name() -> String {
    let text = uuid::Uuid::now_v7().simple().to_string();
    text[text.len() - 16..].to_owned()
}

/// A store on a database made for one test, seen through the port `P` (every data
/// port, [`Store`], by default; [`FileStore`] for the file-bytes suite). A SQLite
/// file is removed on drop.
pub struct TestDatabase<P: ?Sized = dyn Store> {
    store: Arc<P>,
    files: Arc<dyn FileStore>,
    file: Option<PathBuf>,
}

impl<P: ?Sized> TestDatabase<P> {
    /// The store, to share.
    #[must_use]
    pub fn store(&self) -> Arc<P> {
        self.store.clone()
    }

    /// The same database as a [`FileStore`], for a portal that keeps file bytes in it.
    #[must_use]
    pub fn files(&self) -> Arc<dyn FileStore> {
        self.files.clone()
    }

    /// The same database seen as a [`FileStore`] only.
    #[must_use]
    pub fn into_files(mut self) -> TestDatabase<dyn FileStore> {
        TestDatabase {
            store: self.files.clone(),
            files: self.files.clone(),
            file: self.file.take(),
        }
    }
}

impl<P: ?Sized> Deref for TestDatabase<P> {
    type Target = P;
    fn deref(&self) -> &Self::Target {
        &self.store
    }
}

impl<P: ?Sized> Drop for TestDatabase<P> {
    fn drop(&mut self) {
        if let Some(file) = &self.file {
            remove_sqlite_files(file);
        }
    }
}

/// Removes a SQLite database file and its WAL companions.
pub fn remove_sqlite_files(file: &Path) {
    for suffix in ["", "-wal", "-shm"] {
        let mut path = file.as_os_str().to_owned();
        path.push(suffix);
        let _ = std::fs::remove_file(path);
    }
}

/// A fresh path for a temporary SQLite database.
#[must_use]
pub fn sqlite_path() -> PathBuf {
    std::env::temp_dir().join(format!("portal-test-{}.db", random_name()))
}

/// Opens and migrates the SQLite database at `path`.
///
/// # Panics
/// If it cannot be opened or migrated (a test setup failure).
pub async fn sqlite_at(path: &Path) -> SqliteStore {
    let store = SqliteStore::connect(&format!("sqlite://{}", path.display()))
        .await
        .expect("open sqlite");
    store.migrate().await.expect("migrate sqlite");
    store
}

/// A migrated SQLite store on a temporary file.
pub async fn sqlite() -> TestDatabase {
    let path = sqlite_path();
    let store = Arc::new(sqlite_at(&path).await);
    TestDatabase {
        store: store.clone(),
        files: store,
        file: Some(path),
    }
}

/// The PostgreSQL URL, or `None` (with a printed line) outside CI.
///
/// # Panics
/// Under `CI` when `DATABASE_URL` is not set.
#[must_use]
pub fn database_url() -> Option<String> {
    match std::env::var("DATABASE_URL") {
        Ok(url) if !url.is_empty() => Some(url),
        _ if std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false") => {
            panic!("DATABASE_URL is not set under CI: PostgreSQL tests must run, not skip")
        }
        _ => {
            // Written to the real stderr: the test harness would swallow eprintln!.
            let _ = writeln!(
                std::io::stderr(),
                "skipped: DATABASE_URL is not set, so this PostgreSQL test does not run (scripts/test sets it up)"
            );
            None
        }
    }
}

/// Connection options for a fresh, migrated schema on the server; with
/// `PORTAL_TEST_CITUS=1` (set by `scripts/with-citus`) the schema is then
/// distributed with `SELECT portal_distribute()`, as a deployment on Citus is.
///
/// # Panics
/// If the server refuses (a test setup failure).
pub async fn postgres_options() -> Option<PgConnectOptions> {
    let options = postgres_empty_schema().await?;
    let store = PostgresStore::connect_with(options.clone())
        .await
        .expect("connect");
    store.migrate().await.expect("migrate postgres");
    // On a Citus cluster (`scripts/with-citus`), distributed as a deployment
    // would be.
    if std::env::var("PORTAL_TEST_CITUS").is_ok_and(|v| v == "1") {
        sqlx::query("SELECT portal_distribute()")
            .execute(store.pool())
            .await
            .expect("distribute the schema with Citus");
    }
    store.pool().close().await;
    Some(options)
}

/// Connection options for a new, empty schema on `DATABASE_URL` (no migrations
/// run: for a test that migrates it itself, e.g. from an earlier release). `None`,
/// with a note on stderr, when `DATABASE_URL` is unset outside CI.
///
/// # Panics
/// When `DATABASE_URL` is unset under `CI`, or the server refuses the schema.
pub async fn postgres_empty_schema() -> Option<PgConnectOptions> {
    let url = database_url()?;
    let base: PgConnectOptions = url.parse().expect("DATABASE_URL parses");
    let schema = format!("t_{}", random_name());
    let admin = PostgresStore::connect_with(base.clone())
        .await
        .expect("connect to DATABASE_URL");
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE SCHEMA {schema}")))
        .execute(admin.pool())
        .await
        .expect("create schema");
    admin.pool().close().await;
    Some(base.options([("search_path", schema.as_str())]))
}

/// A migrated PostgreSQL store on a fresh schema.
pub async fn postgres() -> Option<TestDatabase> {
    let options = postgres_options().await?;
    let store = Arc::new(PostgresStore::connect_with(options).await.expect("connect"));
    Some(TestDatabase {
        store: store.clone(),
        files: store,
        file: None,
    })
}
