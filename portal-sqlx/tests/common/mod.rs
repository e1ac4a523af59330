//! Fresh databases for this crate's tests.

#![allow(dead_code, unreachable_pub)]

pub mod paying;
pub mod statements;

use std::path::PathBuf;
use std::sync::Arc;

use portal_core::{Backend, FileStore};
use portal_sqlx::PostgresStore;
pub use portal_sqlx::testing::{
    TestDatabase, postgres_options as fresh_schema, sqlite_at, sqlite_path,
};

pub async fn sqlite_store() -> Option<TestDatabase> {
    Some(portal_sqlx::testing::sqlite().await)
}

pub async fn postgres_store() -> Option<TestDatabase> {
    portal_sqlx::testing::postgres().await
}

pub async fn sqlite_files() -> Option<TestDatabase<dyn FileStore>> {
    Some(portal_sqlx::testing::sqlite().await.into_files())
}

pub async fn postgres_files() -> Option<TestDatabase<dyn FileStore>> {
    Some(portal_sqlx::testing::postgres().await?.into_files())
}

/// Two stores over two separate pools on one database: two app instances.
pub type Pair = (Arc<dyn Backend>, Arc<dyn Backend>, Option<PathBuf>);

pub async fn sqlite_pair() -> Option<Pair> {
    let path = sqlite_path();
    let a = sqlite_at(&path).await;
    let b = sqlite_at(&path).await;
    Some((Arc::new(a), Arc::new(b), Some(path)))
}

pub async fn postgres_pair() -> Option<Pair> {
    let options = fresh_schema().await?;
    let a = PostgresStore::connect_with(options.clone())
        .await
        .expect("connect a");
    let b = PostgresStore::connect_with(options)
        .await
        .expect("connect b");
    Some((Arc::new(a), Arc::new(b), None))
}

/// Removes a pair's SQLite files.
pub fn remove_sqlite(path: Option<PathBuf>) {
    if let Some(file) = path {
        portal_sqlx::testing::remove_sqlite_files(&file);
    }
}
