//! Maps driver errors to the store's error meanings, in one place.

use portal_core::store::{Entity, Rule, StoreError};

/// Unique rules by where each engine reports them: the PostgreSQL constraint or
/// index name, and the SQLite message's `table.column` list.
const UNIQUE_RULES: &[(&str, &str, Rule)] = &[
    ("portal_orgs_slug_key", "portal_orgs.slug", Rule::PortalSlug),
    (
        "portal_contacts_live_email",
        "portal_contacts.org_id, portal_contacts.email",
        Rule::ContactEmail,
    ),
    (
        "portal_access_tokens_hash_key",
        "portal_access_tokens.hash",
        Rule::Exists(Entity::Token),
    ),
    (
        "portal_sessions_token_hash_key",
        "portal_sessions.token_hash",
        Rule::Exists(Entity::Session),
    ),
    (
        "portal_invoices_number_key",
        "portal_invoices.org_id, portal_invoices.number",
        Rule::InvoiceNumber,
    ),
    (
        "portal_quotes_number_key",
        "portal_quotes.org_id, portal_quotes.number",
        Rule::QuoteNumber,
    ),
    (
        "portal_sales_orders_number_key",
        "portal_sales_orders.org_id, portal_sales_orders.number",
        Rule::SalesOrderNumber,
    ),
    (
        "portal_payment_attempts_key",
        "portal_payment_attempts.org_id, portal_payment_attempts.idempotency_key",
        Rule::PaymentAttempt,
    ),
];

/// The record each table holds, for a primary key that is taken.
const TABLES: &[(&str, Entity)] = &[
    ("portal_orgs", Entity::Organization),
    ("portal_customers", Entity::Customer),
    ("portal_contacts", Entity::Contact),
    ("portal_access_tokens", Entity::Token),
    ("portal_sessions", Entity::Session),
    ("portal_outbox", Entity::OutboxEmail),
    ("portal_invoices", Entity::Invoice),
    ("portal_payments", Entity::Payment),
    ("portal_payment_attempts", Entity::PaymentAttempt),
    ("portal_credit_notes", Entity::CreditNote),
    ("portal_quotes", Entity::Quote),
    ("portal_payment_methods", Entity::PaymentMethod),
    ("portal_sales_orders", Entity::SalesOrder),
    ("portal_projects", Entity::Project),
    ("portal_tasks", Entity::Task),
    ("portal_time_entries", Entity::TimeEntry),
    ("portal_approvals", Entity::Approval),
    ("portal_files", Entity::File),
    ("portal_activity", Entity::Activity),
];

/// The rule a unique violation broke, from the constraint name (PostgreSQL) or the
/// message (SQLite names the columns), through the two tables above.
fn unique_rule(constraint: Option<&str>, message: &str) -> Rule {
    let columns = message.strip_prefix("UNIQUE constraint failed: ");
    if let Some((_, _, rule)) = UNIQUE_RULES
        .iter()
        .find(|(name, cols, _)| constraint == Some(*name) || columns == Some(*cols))
    {
        return *rule;
    }
    let table = constraint
        .and_then(|c| c.strip_suffix("_pkey"))
        .or_else(|| columns.and_then(|c| c.split('.').next()));
    TABLES
        .iter()
        .find(|(name, _)| table == Some(*name))
        .map_or(Rule::Exists(Entity::Record), |(_, entity)| {
            Rule::Exists(*entity)
        })
}

/// The schema's name of the constraint a database error names: on a store
/// distributed with Citus a shard reports its own copy, named with the shard's
/// id after an underscore (`portal_contacts_live_email_102040`).
/// Citus passes a worker's error on without the constraint field: its message
/// names it then (`duplicate key value violates unique constraint "…"`).
fn constraint_of(d: &dyn sqlx::error::DatabaseError) -> Option<&str> {
    d.constraint()
        .or_else(|| {
            let (_, rest) = d.message().split_once("constraint \"")?;
            rest.split_once('"').map(|(name, _)| name)
        })
        .map(schema_constraint)
}

/// `name` without a Citus shard's id.
fn schema_constraint(name: &str) -> &str {
    match name.rsplit_once('_') {
        Some((schema_name, shard))
            if shard.len() >= 4 && shard.bytes().all(|b| b.is_ascii_digit()) =>
        {
            schema_name
        }
        _ => name,
    }
}

/// `e` is a NOT NULL violation in `table` (SQLSTATE 23502 on PostgreSQL).
pub(crate) fn violates_not_null(e: &sqlx::Error, table: &str) -> bool {
    matches!(e, sqlx::Error::Database(d)
        if d.code().as_deref() == Some("23502") && d.table() == Some(table))
}

/// A unique violation, also as Citus reports one that happened while it copied
/// rows into a shard (`XX000` with PostgreSQL's message).
fn is_unique_violation(d: &dyn sqlx::error::DatabaseError) -> bool {
    d.is_unique_violation()
        || (d.code().as_deref() == Some("XX000")
            && d.message()
                .starts_with("duplicate key value violates unique constraint"))
}

/// Maps a driver error.
pub(crate) fn db(e: sqlx::Error) -> StoreError {
    match e {
        sqlx::Error::Database(ref d) if is_unique_violation(d.as_ref()) => {
            StoreError::Conflict(unique_rule(constraint_of(d.as_ref()), d.message()))
        }
        sqlx::Error::Database(ref d) if d.is_foreign_key_violation() => {
            StoreError::NotFound(Entity::ReferencedRecord)
        }
        sqlx::Error::Database(ref d) => {
            let code = d.code().map(|c| c.into_owned()).unwrap_or_default();
            match code.as_str() {
                // PostgreSQL: serialization failure, deadlock.
                "40001" | "40P01" => StoreError::ConcurrentModification(Entity::Record),
                // PostgreSQL: connection exceptions, admin shutdown, crash shutdown,
                // cannot connect now. SQLite: busy, locked (after the busy timeout).
                c if c.starts_with("08") || c == "57P01" || c == "57P02" || c == "57P03" => {
                    StoreError::Unavailable(Box::new(e))
                }
                // SQLite: busy, locked, cannot open, I/O error.
                "5" | "6" | "14" | "10" | "261" | "517" => StoreError::Unavailable(Box::new(e)),
                _ => StoreError::Backend(Box::new(e)),
            }
        }
        sqlx::Error::Io(_)
        | sqlx::Error::Tls(_)
        | sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::WorkerCrashed
        | sqlx::Error::Protocol(_) => StoreError::Unavailable(Box::new(e)),
        other => StoreError::Backend(Box::new(other)),
    }
}

/// A stored value that does not decode into a domain value (a row written by
/// something else than this library, or a schema mismatch).
pub(crate) fn corrupt(what: &'static str, detail: impl std::fmt::Display) -> StoreError {
    StoreError::Backend(format!("stored {what} is invalid: {detail}").into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_shards_constraint_is_the_schemas() {
        assert_eq!(
            schema_constraint("portal_contacts_live_email_102040"),
            "portal_contacts_live_email"
        );
        assert_eq!(
            schema_constraint("portal_orgs_slug_key"),
            "portal_orgs_slug_key"
        );
        assert_eq!(
            schema_constraint("portal_invoices_pkey"),
            "portal_invoices_pkey"
        );
    }

    #[test]
    fn unique_violations_map_through_the_table_on_both_engines() {
        assert_eq!(
            unique_rule(Some("portal_orgs_slug_key"), ""),
            Rule::PortalSlug
        );
        assert_eq!(
            unique_rule(None, "UNIQUE constraint failed: portal_orgs.slug"),
            Rule::PortalSlug
        );
        assert_eq!(
            unique_rule(
                None,
                "UNIQUE constraint failed: portal_contacts.org_id, portal_contacts.email"
            ),
            Rule::ContactEmail
        );
        assert_eq!(
            unique_rule(Some("portal_quotes_pkey"), ""),
            Rule::Exists(Entity::Quote)
        );
        assert_eq!(
            unique_rule(None, "UNIQUE constraint failed: portal_files.id"),
            Rule::Exists(Entity::File)
        );
        assert_eq!(
            unique_rule(Some("something_else"), ""),
            Rule::Exists(Entity::Record)
        );
    }
}
