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

use common::statements::{GLOBAL, Statements, infrastructure, statements};
use portal_sqlx::sqlx::{self, Row as _};
use tracing_subscriber::Registry;
use tracing_subscriber::layer::SubscriberExt as _;

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

/// Citus's rule for a join between distributed tables on one shard: the join
/// ties `org_id` to `org_id`, and the far side of a `LEFT JOIN` is also held to
/// a bound organization (`alias.org_id = $n`: Citus does not carry it there from
/// a subquery with a `LIMIT`, and reads that table on every shard). The joins of
/// `sql` that do not, as `table alias ON condition` (the reference table
/// `portal_orgs` may join on its `id`).
fn joins_without_org(sql: &str) -> Vec<String> {
    let mut wrong = Vec::new();
    for (i, _) in sql.match_indices("JOIN portal_") {
        let rest = &sql[i + "JOIN ".len()..];
        let mut words = rest.split_whitespace();
        let (Some(table), Some(alias)) = (words.next(), words.next()) else {
            continue;
        };
        if table == "portal_orgs" {
            continue;
        }
        let Some(on) = rest.split_once(" ON ").map(|(_, on)| on) else {
            wrong.push(format!("{table} {alias} without ON"));
            continue;
        };
        let end = [
            " LEFT JOIN ",
            " JOIN ",
            " WHERE ",
            " ORDER BY ",
            " GROUP BY ",
            " UNION ",
            ")",
        ]
        .iter()
        .filter_map(|k| on.find(k))
        .min()
        .unwrap_or(on.len());
        let condition = &on[..end];
        let ties = condition.split(" AND ").any(|part| {
            let sides: Vec<&str> = part.split('=').map(str::trim).collect();
            sides.len() == 2
                && sides.iter().all(|s| s.ends_with(".org_id"))
                && sides.contains(&format!("{alias}.org_id").as_str())
        });
        let left = sql[..i].ends_with("LEFT ");
        let bound = condition.contains(&format!("{alias}.org_id = $"));
        if !ties || (left && !bound) {
            wrong.push(format!("{table} {alias} ON {condition}"));
        }
    }
    wrong
}

/// Citus routes a statement to one shard when every distributed table it reads
/// or writes is held to one organization. The tables `sql` reads (`FROM`) or
/// writes (`UPDATE`, `DELETE FROM`) without an `org_id = $n` (or a join tying
/// its `org_id`) before the next table: a subquery reading another
/// organization's shards, say.
fn tables_without_org(sql: &str) -> Vec<String> {
    let starts: Vec<usize> = ["FROM portal_", "UPDATE portal_", "JOIN portal_"]
        .iter()
        .flat_map(|k| sql.match_indices(k).map(|(i, _)| i))
        .collect();
    let mut wrong = Vec::new();
    for &start in &starts {
        if sql[start..].starts_with("JOIN ") {
            continue; // joins: `joins_without_org`
        }
        let table = sql[start..].split_whitespace().nth(1).unwrap_or_default();
        if table == "portal_orgs" {
            continue;
        }
        let end = starts
            .iter()
            .copied()
            .filter(|&other| other > start)
            .min()
            .unwrap_or(sql.len());
        let scope = &sql[start..end];
        let held = scope.contains("org_id = $")
            || scope.contains("org_id IN ($")
            || sql[end..].starts_with("JOIN portal_");
        if !held {
            wrong.push(format!("{table} in: {scope}"));
        }
    }
    wrong
}

/// Every statement's joins between distributed tables, that do not tie
/// `org_id` to `org_id`.
fn untied_joins() -> Vec<String> {
    statements()
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .iter()
        .filter(|sql| !infrastructure(sql))
        .filter(|sql| !GLOBAL.iter().any(|(marker, _)| sql.contains(marker)))
        .flat_map(|sql| {
            joins_without_org(sql)
                .into_iter()
                .chain(tables_without_org(sql))
                .map(move |join| format!("{join}\n    in {sql}"))
        })
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect()
}

#[test]
fn the_join_rule_finds_a_join_without_org() {
    assert_eq!(
        joins_without_org(
            "SELECT 1 FROM portal_tasks t JOIN portal_projects p ON p.id = t.project_id WHERE t.org_id = $1"
        ),
        [
            "portal_projects p ON p.id = t.project_id WHERE t.org_id = $1"
                .split(" WHERE")
                .next()
                .unwrap_or_default()
                .to_owned()
        ],
    );
    assert!(
        joins_without_org(
            "SELECT 1 FROM portal_tasks t JOIN portal_projects p ON p.org_id = t.org_id AND p.id = t.project_id \
             LEFT JOIN portal_orgs o ON o.id = t.org_id WHERE t.org_id = $1"
        )
        .is_empty()
    );
    let left = "SELECT 1 FROM (SELECT * FROM portal_payments WHERE org_id = $1 LIMIT $2) p \
         LEFT JOIN portal_payment_allocations a ON a.org_id = p.org_id AND a.payment_id = p.id";
    assert_eq!(
        joins_without_org(left),
        ["portal_payment_allocations a ON a.org_id = p.org_id AND a.payment_id = p.id"]
    );
    assert!(
        joins_without_org(&left.replace("ON a.org_id", "ON a.org_id = $1 AND a.org_id")).is_empty()
    );
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
        "portal_access_tokens_by_hash",
        "an invitation or reset link's secret, looked up before its organization is known",
    ),
    (
        "portal_sessions_by_token",
        "a session's secret, looked up before its organization is known",
    ),
    (
        "portal_document_links_by_token",
        "a document link's secret, looked up before its organization is known",
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
    let sqlite_joins = untied_joins();
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
    let postgres_joins = untied_joins();

    assert!(
        sqlite.is_empty(),
        "SQLite statements that do not name their organization: {sqlite:#?}"
    );
    assert!(
        sqlite_joins.is_empty(),
        "SQLite statements not held to one organization (a table without org_id = $n, a join not tying org_id): {sqlite_joins:#?}"
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
    assert!(
        postgres_joins.is_empty(),
        "PostgreSQL statements not held to one organization (a table without org_id = $n, a join not tying org_id): {postgres_joins:#?}"
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
