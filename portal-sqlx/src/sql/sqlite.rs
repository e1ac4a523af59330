//! The SQLite statements that differ from PostgreSQL's. Write transactions start
//! IMMEDIATE, which takes the database's write lock up front, so no row locks are
//! needed; `MAX` stands for `GREATEST`. `Engine` for SQLite names them; every other
//! statement is in `common`.

use super::activity::activity_cols;
use super::common::{email_cols, org_cols};
use super::invoices::invoice_cols;
use super::payments::{attempt_cols, attempt_read_cols, payment_cols};

pub(crate) const LOCK_ORG: &str =
    concat!("SELECT ", org_cols!(), " FROM portal_orgs WHERE id = $1");
pub(crate) const TOUCH_SESSION: &str =
    "UPDATE portal_sessions SET last_seen_at = MAX(last_seen_at, $2) WHERE id = $1 AND org_id = $3";
pub(crate) const CLAIM_EMAILS: &str = concat!(
    "UPDATE portal_outbox SET next_attempt_at = $2 WHERE org_id = $4 AND id IN \
     (SELECT id FROM portal_outbox WHERE org_id = $4 AND status = 'pending' \
     AND next_attempt_at <= $1 ORDER BY next_attempt_at, id LIMIT $3) RETURNING ",
    email_cols!()
);
pub(crate) const LOCK_CUSTOMER_INVOICE: &str = concat!(
    "SELECT ",
    invoice_cols!(),
    " FROM portal_invoices WHERE org_id = $1 AND customer_id = $2 AND id = $3 AND status <> 'draft'"
);
pub(crate) const LOCK_ATTEMPT: &str = concat!(
    "SELECT ",
    attempt_read_cols!(),
    " FROM portal_payment_attempts WHERE org_id = $1 AND customer_id = $2 AND id = $3"
);

/// Starts a one-invoice Pay Now attempt in one call, run in a write transaction:
/// reserves `$7` of invoice `$17` if that much is neither paid nor held (by its
/// primary key only, see `payments`), then, only if it did (`changes()`), stores the attempt with its
/// holds (`$1`–`$16`, as `INSERT_ATTEMPT`). A row: started. No row: the invoice
/// could not be reserved and nothing changed. A unique violation on
/// `portal_payment_attempts_key`: the key is taken, and the transaction is rolled
/// back. One call instead of one per statement: each call is a hop to the
/// connection's thread and back, which costs more than these statements.
pub(crate) const START_ONE: &str = concat!(
    "UPDATE portal_invoices SET reserved_minor = reserved_minor + $7, version = version + 1 \
     WHERE id = $17 AND org_id = $2 AND customer_id IS NOT DISTINCT FROM $3 \
     AND status IN ('sent', 'partially_paid') AND balance_minor - reserved_minor >= $7; \
     INSERT INTO portal_payment_attempts (",
    attempt_cols!(),
    ", holds) SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16 \
     WHERE changes() = 1 RETURNING id"
);

/// Records a Pay Now payment of one invoice in one call, run in a write
/// transaction, each statement running only if the one before changed its row
/// (`changes() = 1`): stores the payment (`$5`, `$6`, `$8`–`$12`) if attempt `$4`
/// is pending and the customer is live and pays in `$7`; marks the attempt
/// succeeded with it (the payment first: SQLite checks the key at once); settles
/// `$8` on invoice `$3` and gives back what the attempt held, if the invoice
/// still owes that much and the attempt held nothing elsewhere (`$13`: the
/// invoice's id as text, as the holds name it); stores the allocation. The emails
/// and the activity follow ([`chained_inserts`]), then [`RECORD_ONE_TAIL`] answers
/// whether the last statement changed its row, so whether all did. No row: the
/// caller rolls the transaction back, and the general path records the payment
/// or says why not.
///
/// The attempt is read as a scalar: as `EXISTS (SELECT 1 FROM
/// portal_payment_attempts WHERE id = $4 AND org_id = $1 …)` SQLite 3.51 planned
/// it as a search of the organization's attempts by key (`org_id` alone), one
/// step per attempt the organization ever made, and Pay Now slowed down as the
/// store grew (to a third of its rate after 20 000 payments).
pub(crate) const RECORD_ONE_HEAD: &str = concat!(
    "INSERT INTO portal_payments (",
    payment_cols!(),
    ", paid_on) SELECT $5, $1, $2, $6, $7, $8, 0, $9, $10, $11, $12 \
     WHERE (SELECT status FROM portal_payment_attempts WHERE id = $4 AND org_id = $1 \
     AND customer_id = $2) = 'pending' \
     AND EXISTS (SELECT 1 FROM portal_customers WHERE org_id = $1 AND id = $2 \
     AND deleted_at IS NULL AND currency = $7); \
     UPDATE portal_payment_attempts SET status = 'succeeded', payment_id = $5 \
     WHERE id = $4 AND org_id = $1 AND changes() = 1; \
     WITH held AS (SELECT COALESCE(SUM(h.value ->> 'amount_minor'), 0) AS amount, \
     COALESCE(SUM(h.value ->> 'invoice_id' <> $13), 0) AS elsewhere \
     FROM portal_payment_attempts a, json_each(a.holds) h WHERE a.org_id = $1 AND a.id = $4) \
     UPDATE portal_invoices SET paid_minor = paid_minor + $8, balance_minor = balance_minor - $8, \
     reserved_minor = reserved_minor - (SELECT amount FROM held), \
     status = CASE WHEN balance_minor = $8 THEN 'paid' ELSE 'partially_paid' END, \
     version = version + 1 \
     WHERE id = $3 AND org_id = $1 AND customer_id IS NOT DISTINCT FROM $2 AND changes() = 1 \
     AND status IN ('sent', 'partially_paid') AND balance_minor >= $8 \
     AND reserved_minor >= (SELECT amount FROM held) AND (SELECT elsewhere FROM held) = 0; \
     INSERT INTO portal_payment_allocations \
     (payment_id, invoice_id, org_id, customer_id, position, amount_minor) \
     SELECT $5, $3, $1, $2, 0, $8 WHERE changes() = 1;"
);

/// The end of SQLite's one-call record: a row if the statement before changed
/// its row.
pub(crate) const RECORD_ONE_TAIL: &str = " SELECT 1 WHERE changes() = 1";

/// The parameters [`RECORD_ONE_HEAD`] binds.
pub(crate) const RECORD_ONE_HEAD_ARGS: usize = 13;

/// Inserts of `emails` outbox rows (13 parameters each, as `INSERT_EMAIL`) and,
/// if `activity`, an activity row (9, as `INSERT_ACTIVITY`), numbered from
/// `$after + 1`, each running only if the statement before it inserted its row.
pub(crate) fn chained_inserts(after: usize, emails: usize, activity: bool) -> String {
    use std::fmt::Write as _;
    let mut sql = String::new();
    let mut next = after;
    let mut insert = |sql: &mut String, table: &str, cols: &str, n: usize| {
        let params: Vec<String> = (next + 1..=next + n).map(|i| format!("${i}")).collect();
        next += n;
        let _ = write!(
            sql,
            " INSERT INTO {table} ({cols}) SELECT {} WHERE changes() = 1;",
            params.join(", ")
        );
    };
    for _ in 0..emails {
        insert(&mut sql, "portal_outbox", email_cols!(), 13);
    }
    if activity {
        insert(&mut sql, "portal_activity", activity_cols!(), 9);
    }
    sql
}

#[cfg(test)]
mod tests {
    use sqlx::Row as _;

    use super::RECORD_ONE_HEAD;
    use crate::engine::Engine as _;

    /// The statistics of the scale bench's store (1 000 invoices of one customer and
    /// 1 571 payment attempts) when its Pay Now slowed with every attempt made.
    const BENCH_STATISTICS: &str = "\
        ('_portal_migrations', 'sqlite_autoindex__portal_migrations_1', '23 1'),\
        ('portal_activity', 'portal_activity_by_customer', '50 50 50 1'),\
        ('portal_activity', 'sqlite_autoindex_portal_activity_1', '50 1'),\
        ('portal_contacts', 'portal_contacts_customer', '170 13 1 1'),\
        ('portal_contacts', 'portal_contacts_live_email', '170 13 1'),\
        ('portal_contacts', 'portal_contacts_portal_users', '170 13'),\
        ('portal_contacts', 'sqlite_autoindex_portal_contacts_1', '170 1'),\
        ('portal_customers', 'portal_customers_org', '170 13 1'),\
        ('portal_customers', 'sqlite_autoindex_portal_customers_1', '170 1'),\
        ('portal_invoices', 'portal_invoices_by_balance', '865 401 401 401 1'),\
        ('portal_invoices', 'portal_invoices_by_due', '865 401 401 1 1'),\
        ('portal_invoices', 'portal_invoices_by_issue', '865 401 401 1 1 1 1 1 1 1'),\
        ('portal_invoices', 'portal_invoices_by_total', '865 401 401 401 1'),\
        ('portal_invoices', 'portal_invoices_customer_status', '865 401 401 401'),\
        ('portal_invoices', 'portal_invoices_open', '289 289 289 289 1 1'),\
        ('portal_invoices', 'portal_invoices_retainer_undrawn', '0 0 0 0 0'),\
        ('portal_invoices', 'sqlite_autoindex_portal_invoices_1', '865 1'),\
        ('portal_invoices', 'sqlite_autoindex_portal_invoices_2', '865 401 1'),\
        ('portal_orgs', 'sqlite_autoindex_portal_orgs_1', '14 1'),\
        ('portal_orgs', 'sqlite_autoindex_portal_orgs_2', '14 1'),\
        ('portal_outbox', 'portal_outbox_due', '50 1 1'),\
        ('portal_outbox', 'portal_outbox_org_pending', '50 50 1 1'),\
        ('portal_outbox', 'portal_outbox_org_rejected', '0 0 0 0'),\
        ('portal_outbox', 'sqlite_autoindex_portal_outbox_1', '51 1'),\
        ('portal_payment_allocations', 'portal_payment_allocations_customer', '576 401 401 1 1 1'),\
        ('portal_payment_allocations', 'portal_payment_allocations_invoice', '576 401 1'),\
        ('portal_payment_allocations', 'sqlite_autoindex_portal_payment_allocations_1', '576 1 1'),\
        ('portal_payment_attempts', 'portal_payment_attempts_customer_staged', '0 0 0 0'),\
        ('portal_payment_attempts', 'portal_payment_attempts_pending', '0 0 0'),\
        ('portal_payment_attempts', 'sqlite_autoindex_portal_payment_attempts_1', '1571 1'),\
        ('portal_payment_attempts', 'sqlite_autoindex_portal_payment_attempts_2', '1571 101 1'),\
        ('portal_payments', 'portal_payments_by_day', '576 401 401 1 1 1 1'),\
        ('portal_payments', 'portal_payments_customer', '576 401 401 1 1'),\
        ('portal_payments', 'portal_payments_unapplied', '0 0 0 0'),\
        ('portal_payments', 'sqlite_autoindex_portal_payments_1', '576 1'),\
        ('portal_sessions', 'portal_sessions_contact', '170 13 1'),\
        ('portal_sessions', 'portal_sessions_customer', '170 13 1'),\
        ('portal_sessions', 'sqlite_autoindex_portal_sessions_1', '170 1'),\
        ('portal_sessions', 'sqlite_autoindex_portal_sessions_2', '170 1')\
    ";

    /// The plans of Pay Now's one-call start and record on a store whose
    /// statistics say what a store with a few thousand attempts says (as the
    /// scale bench's store said when the record slowed with every attempt made).
    async fn plans(sql: &str) -> Vec<String> {
        let dir = std::env::temp_dir().join(format!("portal-plans-{}", uuid::Uuid::now_v7()));
        std::fs::create_dir_all(&dir).expect("dir");
        let url = format!("sqlite://{}", dir.join("plans.db").display());
        let store = crate::SqliteStore::connect(&url).await.expect("open");
        store.migrate().await.expect("migrate");
        let pool = store.pool();
        // On the connection that reads the plans: the statistics are loaded per
        // connection.
        let mut conn = pool.acquire().await.expect("connection");
        sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
            "ANALYZE; DELETE FROM sqlite_stat1; \
             INSERT INTO sqlite_stat1 VALUES {BENCH_STATISTICS}; ANALYZE sqlite_schema;"
        )))
        .execute(&mut *conn)
        .await
        .expect("statistics");
        let mut out = Vec::new();
        for statement in sql.split(';').map(str::trim).filter(|s| !s.is_empty()) {
            let n = (1..=40)
                .rev()
                .find(|i| statement.contains(&format!("${i}")))
                .unwrap_or(0);
            let mut query = sqlx::query(sqlx::AssertSqlSafe(format!(
                "EXPLAIN QUERY PLAN {statement}"
            )));
            for _ in 0..n {
                query = query.bind(Option::<i64>::None);
            }
            for row in query.fetch_all(&mut *conn).await.expect("plan") {
                out.push(row.get::<String, _>(3));
            }
        }
        drop(conn);
        pool.close().await;
        let _ = std::fs::remove_dir_all(&dir);
        out
    }

    /// A search of the attempts by the organization alone: one step per attempt
    /// the organization ever made.
    fn by_org_alone(plans: &[String]) -> Vec<&String> {
        plans
            .iter()
            .filter(|p| p.contains("portal_payment_attempts") || p.starts_with("SEARCH a "))
            .filter(|p| p.ends_with("(org_id=?)") || p.starts_with("SCAN a"))
            .collect()
    }

    #[tokio::test]
    async fn pay_now_finds_the_attempt_by_its_key_not_among_the_organizations() {
        // What these statistics make of the attempt read as `EXISTS`: the
        // organization's attempts searched one by one (so the check can fail).
        let exists = plans(&RECORD_ONE_HEAD.replacen(
            "(SELECT status FROM portal_payment_attempts WHERE id = $4 AND org_id = $1 \
             AND customer_id = $2) = 'pending'",
            "EXISTS (SELECT 1 FROM portal_payment_attempts WHERE id = $4 AND org_id = $1 \
             AND customer_id = $2 AND status = 'pending')",
            1,
        ))
        .await;
        assert!(
            !by_org_alone(&exists).is_empty(),
            "the statistics reproduce the slow plan: {exists:#?}"
        );
        for sql in [sqlx::Sqlite::START_ONE, sqlx::Sqlite::RECORD_ONE] {
            let plans = plans(sql).await;
            assert!(!plans.is_empty(), "{plans:#?}");
            assert!(
                by_org_alone(&plans).is_empty(),
                "Pay Now searches the organization's attempts: {plans:#?}"
            );
        }
    }
}
