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
