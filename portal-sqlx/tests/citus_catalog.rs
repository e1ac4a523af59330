//! The PostgreSQL schema distributes by organization as Citus requires, checked
//! on plain PostgreSQL from its catalog (Citus itself is not installable here;
//! `scripts/with-citus` runs the suite on a real cluster):
//!
//! - every table has `org_id`, but the reference table `portal_orgs`;
//! - every primary key and unique constraint of a distributed table includes
//!   `org_id` (Citus enforces uniqueness within a shard only);
//! - every foreign key between distributed tables includes `org_id` on both
//!   sides, at the same place (the rows it ties live on one shard); a foreign
//!   key to the reference table is `org_id → portal_orgs (id)`.

mod common;

use portal_sqlx::sqlx::{self, Row as _};

/// The reference table: replicated to every node, not distributed.
const REFERENCE: &str = "portal_orgs";

/// What breaks the rules above, one line each.
async fn broken_rules(pool: &sqlx::PgPool) -> Vec<String> {
    let mut broken = Vec::new();
    let tables: Vec<(String, bool)> = sqlx::query(
        "SELECT t.relname::text, EXISTS (SELECT 1 FROM pg_attribute a \
           WHERE a.attrelid = t.oid AND a.attname = 'org_id' AND NOT a.attisdropped) \
         FROM pg_class t JOIN pg_namespace n ON n.oid = t.relnamespace \
         WHERE n.nspname = current_schema() AND t.relkind = 'r' AND t.relname LIKE 'portal%' \
         ORDER BY 1",
    )
    .fetch_all(pool)
    .await
    .expect("tables")
    .iter()
    .map(|r| (r.get(0), r.get(1)))
    .collect();
    assert!(tables.len() > 20, "the catalog lists the schema's tables");
    for (table, has_org) in &tables {
        if table != REFERENCE && !has_org {
            broken.push(format!("{table} has no org_id"));
        }
    }
    // Keys and unique constraints, with their columns in order, and for foreign
    // keys the referenced table and columns.
    let constraints = sqlx::query(
        "SELECT c.conname::text, c.contype::text, t.relname::text, r.relname::text, \
           ARRAY(SELECT a.attname::text FROM unnest(c.conkey) WITH ORDINALITY k(n, i) \
                 JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n ORDER BY k.i), \
           ARRAY(SELECT a.attname::text FROM unnest(c.confkey) WITH ORDINALITY k(n, i) \
                 JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.n ORDER BY k.i) \
         FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid \
         JOIN pg_namespace n ON n.oid = t.relnamespace \
         LEFT JOIN pg_class r ON r.oid = c.confrelid \
         WHERE n.nspname = current_schema() AND t.relname LIKE 'portal%' AND c.contype IN ('p', 'u', 'f') \
         ORDER BY 3, 1",
    )
    .fetch_all(pool)
    .await
    .expect("constraints");
    assert!(constraints.len() > 40, "the catalog lists the constraints");
    for row in &constraints {
        let (name, kind, table): (String, String, String) = (row.get(0), row.get(1), row.get(2));
        let referenced: Option<String> = row.get(3);
        let columns: Vec<String> = row.get(4);
        let targets: Vec<String> = row.get(5);
        if table == REFERENCE {
            continue;
        }
        let org_at = columns.iter().position(|c| c == "org_id");
        let problem = match kind.as_str() {
            "p" | "u" => org_at.is_none().then(|| "lacks org_id".to_owned()),
            "f" if referenced.as_deref() == Some(REFERENCE) => (columns != ["org_id"]
                || targets != ["id"])
            .then(|| format!("→ {REFERENCE} ({}) is not org_id → id", targets.join(", "))),
            "f" => (org_at.is_none() || org_at != targets.iter().position(|c| c == "org_id")).then(
                || {
                    format!(
                        "→ {} ({}) does not tie org_id to org_id",
                        referenced.clone().unwrap_or_default(),
                        targets.join(", ")
                    )
                },
            ),
            _ => None,
        };
        if let Some(problem) = problem {
            broken.push(format!(
                "{table}: {name} ({}) {problem}",
                columns.join(", ")
            ));
        }
    }
    // Unique indexes made outside constraints count too.
    let indexes = sqlx::query(
        "SELECT i.relname::text, t.relname::text FROM pg_index x \
         JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid \
         JOIN pg_namespace n ON n.oid = t.relnamespace \
         WHERE n.nspname = current_schema() AND t.relname LIKE 'portal%' AND x.indisunique \
         AND t.relname <> $1 AND NOT EXISTS (SELECT 1 FROM pg_attribute a \
           WHERE a.attrelid = t.oid AND a.attname = 'org_id' AND a.attnum = ANY (x.indkey))",
    )
    .bind(REFERENCE)
    .fetch_all(pool)
    .await
    .expect("unique indexes");
    for row in &indexes {
        let (index, table): (String, String) = (row.get(0), row.get(1));
        let line = format!("{table}: unique index {index} lacks org_id");
        if !broken.iter().any(|b| b.contains(&format!(" {index} "))) {
            broken.push(line);
        }
    }
    broken
}

/// A store on a fresh schema with every migration run; `None` only outside CI
/// without `DATABASE_URL` (the helpers fail under CI).
async fn migrated() -> Option<portal_sqlx::PostgresStore> {
    let options = common::fresh_schema().await?;
    Some(
        portal_sqlx::PostgresStore::connect_with(options)
            .await
            .expect("postgres"),
    )
}

#[tokio::test]
async fn every_key_includes_the_organization() {
    let Some(store) = migrated().await else {
        return;
    };
    let broken = broken_rules(store.pool()).await;
    assert!(
        broken.is_empty(),
        "{} keys Citus cannot distribute by organization:\n{}",
        broken.len(),
        broken.join("\n")
    );
}

/// A recorded call: its kind, table, distribution column, colocation and the
/// keys pointing at the table when it was made.
type Call = (String, String, Option<String>, Option<String>, Option<i64>);

/// `portal_distribute()`, the function a deployment runs on the Citus
/// coordinator, checked against stand-ins for Citus's two functions that
/// record their calls: `portal_orgs` becomes the reference table while no key
/// points at it, every other table is distributed once by `org_id`, colocated
/// with the first, each after the tables its keys point at; the keys to the
/// reference table come back afterwards.
#[tokio::test]
async fn the_distribution_function_distributes_every_table_in_key_order() {
    let Some(store) = migrated().await else {
        return;
    };
    let pool = store.pool();
    let keys_to_orgs = "SELECT count(*) FROM pg_constraint c JOIN pg_class r ON r.oid = c.confrelid \
         JOIN pg_namespace n ON n.oid = r.relnamespace \
         WHERE c.contype = 'f' AND r.relname = 'portal_orgs' AND n.nspname = current_schema()";
    let before: i64 = sqlx::query_scalar(keys_to_orgs)
        .fetch_one(pool)
        .await
        .expect("keys");
    assert!(before > 20, "the tables' keys to the organizations");
    for stand_in in [
        "CREATE TABLE citus_calls (n serial, kind text, tbl text, col text, colocate text, keys_to_orgs bigint)",
        "CREATE FUNCTION create_reference_table(t regclass) RETURNS void LANGUAGE sql AS $$ \
         INSERT INTO citus_calls (kind, tbl, keys_to_orgs) VALUES ('reference', t::text, \
         (SELECT count(*) FROM pg_constraint c JOIN pg_class r ON r.oid = c.confrelid \
          WHERE c.contype = 'f' AND r.oid = t)) $$",
        "CREATE FUNCTION create_distributed_table(t regclass, col text, \
         colocate_with text DEFAULT 'default') RETURNS void LANGUAGE sql AS $$ \
         INSERT INTO citus_calls (kind, tbl, col, colocate) VALUES ('distributed', t::text, col, colocate_with) $$",
    ] {
        sqlx::query(stand_in).execute(pool).await.expect("stand-in");
    }
    sqlx::query("SELECT portal_distribute()")
        .execute(pool)
        .await
        .expect("distribute");
    let calls: Vec<Call> =
        sqlx::query_as("SELECT kind, tbl, col, colocate, keys_to_orgs FROM citus_calls ORDER BY n")
            .fetch_all(pool)
            .await
            .expect("calls");
    assert_eq!(
        (calls[0].0.as_str(), calls[0].1.as_str(), calls[0].4),
        ("reference", REFERENCE, Some(0)),
        "the organizations first, while no key points at them"
    );
    let order: Vec<&str> = calls[1..].iter().map(|c| c.1.as_str()).collect();
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT c.relname::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
         WHERE n.nspname = current_schema() AND c.relkind = 'r' AND c.relname LIKE 'portal%' \
         AND c.relname <> $1 ORDER BY 1",
    )
    .bind(REFERENCE)
    .fetch_all(pool)
    .await
    .expect("tables");
    let mut distributed: Vec<&str> = order.clone();
    distributed.sort_unstable();
    assert_eq!(distributed, tables, "every other table, once");
    let first = order[0];
    for (i, (kind, table, column, colocate, _)) in calls[1..].iter().enumerate() {
        assert_eq!(
            (kind.as_str(), column.as_deref()),
            ("distributed", Some("org_id"))
        );
        let expected = if i == 0 { "default" } else { first };
        assert_eq!(colocate.as_deref(), Some(expected), "{table} colocated");
    }
    let keys: Vec<(String, String)> = sqlx::query_as(
        "SELECT s.relname::text, r.relname::text FROM pg_constraint c \
         JOIN pg_class s ON s.oid = c.conrelid JOIN pg_class r ON r.oid = c.confrelid \
         JOIN pg_namespace n ON n.oid = s.relnamespace \
         WHERE c.contype = 'f' AND n.nspname = current_schema() AND r.relname <> $1 \
         AND r.relname <> s.relname",
    )
    .bind(REFERENCE)
    .fetch_all(pool)
    .await
    .expect("keys");
    assert!(
        keys.len() > 30,
        "the keys between the organization's tables"
    );
    let at = |table: &str| order.iter().position(|t| *t == table).expect("distributed");
    for (from, to) in &keys {
        assert!(
            at(to) < at(from),
            "{to} is distributed before {from}, whose key points at it"
        );
    }
    let after: i64 = sqlx::query_scalar(keys_to_orgs)
        .fetch_one(pool)
        .await
        .expect("keys");
    assert_eq!(after, before, "the keys to the organizations are back");
}
