//! The store can be sharded by organization: every statement it runs while the
//! whole conformance suite runs names the organization it works on (a bound
//! `org_id`, the organization's own row, or an inserted `org_id`), except the few
//! listed below with the reason each is global; and every index of the schema
//! leads with `org_id`, except the listed ones that serve no portal call or look
//! a secret up across organizations.
//!
//! The statements are those sqlx reports on its `sqlx::query` tracing target,
//! collected by a subscriber for the duration of the suite, on both engines.

mod common;

use common::statements::{Statements, statements};
use portal_sqlx::sqlx::{self, Row as _};
use tracing_subscriber::Registry;
use tracing_subscriber::layer::SubscriberExt as _;

/// Statements that are not the store's queries: transactions, engine settings,
/// migrations and the test databases' own set-up.
fn infrastructure(sql: &str) -> bool {
    let first = sql
        .split_whitespace()
        .next()
        .unwrap_or_default()
        .to_uppercase();
    matches!(
        first.as_str(),
        "BEGIN"
            | "COMMIT"
            | "ROLLBACK"
            | "PRAGMA"
            | "SET"
            | "SHOW"
            | "CREATE"
            | "ALTER"
            | "DROP"
            | "--"
    ) || sql.contains("_portal_migrations")
        || sql.contains("_sqlx_migrations")
        || sql.contains("pg_advisory")
        || sql.contains("current_database()")
}

/// Global by design, with the reason: what a sharded deployment does instead.
const GLOBAL: &[(&str, &str)] = &[
    (
        "token_hash = $1",
        "a session is found by its secret token; sharded, the token carries its org or a lookup table routes it",
    ),
    (
        "WHERE hash = $1",
        "an invitation or reset link is found by its secret; routed like sessions",
    ),
    (
        "portal_orgs WHERE slug = $1",
        "organizations are few: a reference table replicated to every shard",
    ),
    (
        "WHERE o.slug = $1",
        "sign-in finds the organization by its portal address (a reference table); its \
         contact and failures join on the organization found",
    ),
    (
        "FROM portal_outbox WHERE status = 'pending' AND next_attempt_at",
        "the outbox worker sweeps every organization; sharded, it runs per shard",
    ),
    (
        "FROM portal_payment_attempts WHERE status = 'pending' AND created_at < $1",
        "payment recovery sweeps every organization; sharded, it runs per shard",
    ),
    (
        "portal_file_blobs",
        "file bytes are keyed by their own random id (object storage, in a sharded deployment)",
    ),
];

/// The statement names its organization.
fn keys_on_org(sql: &str) -> bool {
    let bound = sql.contains("org_id = $");
    let own_row = sql.contains("portal_orgs")
        && (sql.contains(" id = $") || sql.starts_with("INSERT INTO portal_orgs"));
    let inserted = sql.starts_with("INSERT INTO")
        && sql
            .split_once(')')
            .is_some_and(|(columns, _)| columns.contains("org_id"));
    bound || own_row || inserted
}

fn unscoped() -> Vec<String> {
    statements()
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .iter()
        .filter(|sql| !infrastructure(sql) && !keys_on_org(sql))
        .filter(|sql| !GLOBAL.iter().any(|(marker, _)| sql.contains(marker)))
        .cloned()
        .collect()
}

/// Indexes that may lead with something else, and why.
const GLOBAL_INDEXES: &[(&str, &str)] = &[
    (
        "portal_orgs_slug_key",
        "the organization by its portal address (reference table)",
    ),
    (
        "portal_access_tokens_hash_key",
        "a link's secret, unique across organizations",
    ),
    (
        "portal_sessions_token_hash_key",
        "a session's secret, unique across organizations",
    ),
    (
        "portal_document_links_token_hash_key",
        "a document link's secret, unique across organizations",
    ),
    (
        "portal_outbox_due",
        "the outbox worker, across organizations",
    ),
    (
        "portal_payment_attempts_pending",
        "payment recovery, across organizations",
    ),
];

fn check_indexes(engine: &str, indexes: Vec<(String, String)>) {
    assert!(
        indexes.len() > 20,
        "{engine}: the catalog lists the schema's indexes"
    );
    let wrong: Vec<_> = indexes
        .into_iter()
        .filter(|(index, first)| {
            first != "org_id" && !GLOBAL_INDEXES.iter().any(|(name, _)| name == index)
        })
        .collect();
    assert!(
        wrong.is_empty(),
        "{engine}: these indexes do not lead with org_id: {wrong:#?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_statement_and_index_keys_on_the_organization() {
    tracing::subscriber::set_global_default(Registry::default().with(Statements))
        .expect("the only subscriber of this test binary");

    portal_core::run_conformance_suite!(common::sqlite_store);
    portal_core::conformance_tests!(@sequential common::sqlite_files; file_bytes_round_trip);
    let sqlite = unscoped();
    let path = common::sqlite_path();
    let store = common::sqlite_at(&path).await;
    let rows = sqlx::query(
        "SELECT m.name, (SELECT i.name FROM pragma_index_info(m.name) i WHERE i.seqno = 0) \
         FROM sqlite_master m WHERE m.type = 'index' AND m.tbl_name LIKE 'portal%' \
         AND m.name NOT LIKE 'sqlite_autoindex%'",
    )
    .fetch_all(store.pool())
    .await
    .expect("sqlite indexes");
    let sqlite_indexes = rows
        .iter()
        .map(|r| (r.get::<String, _>(0), r.get::<String, _>(1)))
        .collect();
    drop(store);
    portal_sqlx::testing::remove_sqlite_files(&path);

    statements()
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .clear();
    portal_core::run_conformance_suite!(common::postgres_store);
    portal_core::conformance_tests!(@sequential common::postgres_files; file_bytes_round_trip);
    let postgres = unscoped();

    assert!(
        sqlite.is_empty(),
        "SQLite statements that do not name their organization: {sqlite:#?}"
    );
    check_indexes("SQLite", sqlite_indexes);
    // `None` only outside CI without DATABASE_URL (the helpers fail under CI).
    let Some(options) = common::fresh_schema().await else {
        return;
    };
    assert!(
        postgres.is_empty(),
        "PostgreSQL statements that do not name their organization: {postgres:#?}"
    );
    let store = portal_sqlx::PostgresStore::connect_with(options)
        .await
        .expect("postgres");
    store.migrate().await.expect("migrate");
    let rows = sqlx::query(
        "SELECT i.relname::text, a.attname::text FROM pg_index x \
         JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid \
         JOIN pg_namespace n ON n.oid = t.relnamespace \
         JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = x.indkey[0] \
         WHERE n.nspname = current_schema() AND t.relname LIKE 'portal%' AND NOT x.indisprimary",
    )
    .fetch_all(store.pool())
    .await
    .expect("postgres indexes");
    check_indexes(
        "PostgreSQL",
        rows.iter()
            .map(|r| (r.get::<String, _>(0), r.get::<String, _>(1)))
            .collect(),
    );
}
