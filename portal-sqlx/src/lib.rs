#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]

#[cfg(any(feature = "postgres", feature = "sqlite"))]
mod access;
#[cfg(any(feature = "postgres", feature = "sqlite"))]
mod activity;
#[cfg(any(feature = "postgres", feature = "sqlite"))]
mod approvals;
#[cfg(any(feature = "postgres", feature = "sqlite"))]
mod comments;
#[cfg(any(feature = "postgres", feature = "sqlite"))]
mod contacts;
#[cfg(any(feature = "postgres", feature = "sqlite"))]
mod credits;
#[cfg(any(feature = "postgres", feature = "sqlite"))]
mod customers;
#[cfg(any(feature = "postgres", feature = "sqlite"))]
mod documents;
#[cfg(any(feature = "postgres", feature = "sqlite"))]
mod engine;
mod error;
#[cfg(any(feature = "postgres", feature = "sqlite"))]
mod files;
#[cfg(any(feature = "postgres", feature = "sqlite"))]
mod invoices;
#[cfg(any(feature = "postgres", feature = "sqlite"))]
mod links;
#[cfg(any(feature = "postgres", feature = "sqlite"))]
mod log_sync;
#[cfg(any(feature = "postgres", feature = "sqlite"))]
mod orgs;
#[cfg(any(feature = "postgres", feature = "sqlite"))]
mod outbox;
#[cfg(any(feature = "postgres", feature = "sqlite"))]
mod payment_attempts;
#[cfg(any(feature = "postgres", feature = "sqlite"))]
mod payment_methods;
#[cfg(any(feature = "postgres", feature = "sqlite"))]
mod payments;
#[cfg(feature = "postgres")]
mod postgres;
#[cfg(any(feature = "postgres", feature = "sqlite"))]
mod projects;
#[cfg(any(feature = "postgres", feature = "sqlite"))]
mod quotes;
#[cfg(any(feature = "postgres", feature = "sqlite"))]
mod records;
#[cfg(any(feature = "postgres", feature = "sqlite"))]
mod reviews;
#[cfg(any(feature = "postgres", feature = "sqlite"))]
mod sales_orders;
#[cfg(any(feature = "postgres", feature = "sqlite"))]
mod sessions;
#[cfg(any(feature = "postgres", feature = "sqlite"))]
mod shared;
mod sql;
#[cfg(feature = "sqlite")]
mod sqlite;
#[cfg(any(feature = "postgres", feature = "sqlite"))]
mod statements;
/// Test databases (feature `test-support`).
#[cfg(all(feature = "test-support", feature = "postgres", feature = "sqlite"))]
pub mod testing;
#[cfg(feature = "sqlite")]
mod write_batch;

use std::sync::Arc;

use portal_core::Backend;
use portal_core::store::{StoreError, StoreResult};

#[cfg(any(feature = "postgres", feature = "sqlite"))]
pub use engine::{
    Arg, Column, Engine, LiteArg, LiteColumn, PgArg, PgColumn, RowsAffected, SqlStore,
};
#[cfg(feature = "postgres")]
pub use postgres::PostgresStore;
#[cfg(feature = "sqlite")]
pub use sqlite::SqliteStore;
pub use sqlx;

/// The table where the portal records its applied migrations, apart from the host's
/// own `_sqlx_migrations`.
pub const MIGRATIONS_TABLE: &str = "_portal_migrations";

/// The PostgreSQL migrations, embedded at build time.
#[cfg(feature = "postgres")]
#[must_use]
pub fn postgres_migrator() -> sqlx::migrate::Migrator {
    let mut migrator = sqlx::migrate!("./migrations/postgres");
    migrator.dangerous_set_table_name(MIGRATIONS_TABLE);
    migrator
}

/// The SQLite migrations, embedded at build time.
#[cfg(feature = "sqlite")]
#[must_use]
pub fn sqlite_migrator() -> sqlx::migrate::Migrator {
    let mut migrator = sqlx::migrate!("./migrations/sqlite");
    migrator.dangerous_set_table_name(MIGRATIONS_TABLE);
    migrator
}

#[cfg(any(feature = "postgres", feature = "sqlite"))]
async fn migrate_with<'a, A>(migrator: sqlx::migrate::Migrator, pool: A) -> StoreResult<()>
where
    A: sqlx::Acquire<'a>,
    <A::Connection as std::ops::Deref>::Target: sqlx::migrate::Migrate,
{
    migrator.run(pool).await.map_err(|e| match e {
        sqlx::migrate::MigrateError::Execute(inner) => error::db(inner),
        other => StoreError::Backend(Box::new(other)),
    })
}

/// Opens the store a URL names, migrated and ready, behind `Arc<dyn Backend>` (every
/// data port and the file bytes):
/// `postgres://…` or `postgresql://…` for PostgreSQL, `sqlite:…` for SQLite. This is
/// how a host picks its backend at run time from configuration.
///
/// # Errors
/// [`StoreError::Unavailable`] if the database cannot be reached,
/// [`StoreError::Backend`] for a URL of no enabled engine or a failed migration.
pub async fn connect(url: &str) -> StoreResult<Arc<dyn Backend>> {
    #[cfg(feature = "postgres")]
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        let store = PostgresStore::connect(url).await?;
        store.migrate().await?;
        return Ok(Arc::new(store));
    }
    #[cfg(feature = "sqlite")]
    if url.starts_with("sqlite:") {
        let store = SqliteStore::connect(url).await?;
        store.migrate().await?;
        return Ok(Arc::new(store));
    }
    Err(StoreError::Backend(
        format!("no enabled backend for this database URL scheme (enable the postgres or sqlite feature): {}", redact(url)).into(),
    ))
}

/// The URL without its password, for messages.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let userinfo = &url[scheme_end + 3..at];
            let user = userinfo.split(':').next().unwrap_or_default();
            format!("{}://{user}:***{}", &url[..scheme_end], &url[at..])
        }
        _ => url.to_owned(),
    }
}
