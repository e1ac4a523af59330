//! The SQL the store runs, as sqlx reports it on its `sqlx::query` tracing target.

use std::collections::BTreeSet;
use std::sync::{Mutex, OnceLock};

use tracing::field::{Field, Visit};
use tracing_subscriber::Layer;
use tracing_subscriber::layer::Context;

/// Every statement collected so far, whitespace folded, once each.
pub fn statements() -> &'static Mutex<BTreeSet<String>> {
    static STATEMENTS: OnceLock<Mutex<BTreeSet<String>>> = OnceLock::new();
    STATEMENTS.get_or_init(Mutex::default)
}

/// Collects the SQL of every `sqlx::query` event into [`statements`]; install it
/// as the test binary's global subscriber.
pub struct Statements;

#[derive(Default)]
struct QueryFields {
    summary: String,
    statement: String,
}

impl Visit for QueryFields {
    fn record_str(&mut self, field: &Field, value: &str) {
        match field.name() {
            "summary" => value.clone_into(&mut self.summary),
            "db.statement" => value.clone_into(&mut self.statement),
            _ => {}
        }
    }

    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        if field.name() == "summary" && self.summary.is_empty() {
            self.summary = format!("{value:?}");
        }
    }
}

impl<S: tracing::Subscriber> Layer<S> for Statements {
    fn on_event(&self, event: &tracing::Event<'_>, _: Context<'_, S>) {
        if event.metadata().target() != "sqlx::query" {
            return;
        }
        let mut fields = QueryFields::default();
        event.record(&mut fields);
        // sqlx puts the whole statement in `db.statement` when its summary is
        // shortened, and leaves it empty otherwise.
        let sql = if fields.statement.trim().is_empty() {
            fields.summary
        } else {
            fields.statement
        };
        let sql = sql.split_whitespace().collect::<Vec<_>>().join(" ");
        statements()
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .insert(sql);
    }
}

/// Statements that are not the store's queries: transactions, engine settings,
/// migrations and the test databases' own set-up.
pub fn infrastructure(sql: &str) -> bool {
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
        || sql.contains("portal_distribute()")
}

/// Global by design, with the reason: what a sharded deployment does instead.
pub const GLOBAL: &[(&str, &str)] = &[
    (
        "WHERE token_hash = $1",
        "a session or document link whose token names no organization (issued before \
         tokens did) is found by its hash alone: every shard, until those expire",
    ),
    (
        "WHERE s.token_hash = $1",
        "the same, for a request's session",
    ),
    (
        "WHERE hash = $1",
        "an invitation or reset link whose token names no organization, the same",
    ),
    (
        "portal_orgs WHERE slug = $1",
        "organizations are few: a reference table replicated to every shard",
    ),
    (
        "FROM portal_outbox WHERE status = 'pending' AND next_attempt_at",
        "the outbox worker sweeps every organization; sharded, it runs per shard",
    ),
    (
        "FROM portal_payment_attempts WHERE status = 'pending' AND created_at < $1",
        "payment recovery sweeps every organization; sharded, it runs per shard",
    ),
];
