//! PostgreSQL plans a prepared statement for its bound values during its first five
//! runs, and may then switch to a generic plan, made once for any values. A generic
//! plan estimates every customer at the store's average size, so a big customer
//! among many small ones looks like one row, and an index on the customer can look
//! as good as the primary key. This test makes that store (a customer with 400
//! invoices among 3,000 customers with one each), gathers statistics, pays part of
//! an invoice, and explains the generic plan of every statement of that payment
//! that reads or changes invoices: none may find an invoice by scanning rows and
//! filtering them on their id, and none may find the payment attempt through the
//! partial index of pending attempts (which holds an entry for every attempt that
//! was pending until the next vacuum, so reading it whole costs more with every
//! payment). (SQLite plans each statement for its values; it has no generic plans.)

mod common;

use common::paying::{pay, payer_among_others_on_postgres};
use common::statements::{Statements, statements};
use portal_memory::cards;
use portal_sqlx::sqlx::{self, Row as _};
use tracing_subscriber::Registry;
use tracing_subscriber::layer::SubscriberExt as _;

/// `$1`'s invoice copied 400 times for its customer.
const GROW_CUSTOMER: &str = "INSERT INTO portal_invoices \
     SELECT (jsonb_populate_record(i, jsonb_build_object('id', gen_random_uuid(), \
     'number', 'COPY-' || g))).* \
     FROM portal_invoices i, generate_series(1, 400) g WHERE i.id = $1";

/// 3,000 failed attempts copied from `$1`: a store that took card payments for a
/// while, none of them pending when its statistics were gathered.
const PAST_ATTEMPTS: &str = "INSERT INTO portal_payment_attempts \
     SELECT (jsonb_populate_record(a, jsonb_build_object('id', gen_random_uuid(), \
     'idempotency_key', 'past-' || g, 'status', 'failed', 'payment_id', NULL))).* \
     FROM portal_payment_attempts a, generate_series(1, 3000) g WHERE a.id = $1";

/// The plan nodes (a node's line and its detail lines) that scan `portal_invoices`
/// and filter the rows they read on `id`.
fn filtered_by_id(plan: &[String]) -> Vec<String> {
    let mut nodes: Vec<Vec<&str>> = Vec::new();
    for line in plan {
        let line = line.trim_start();
        if nodes.is_empty() || line.starts_with("->") {
            nodes.push(vec![line]);
        } else if let Some(node) = nodes.last_mut() {
            node.push(line);
        }
    }
    nodes
        .into_iter()
        .filter(|node| node[0].contains(" on portal_invoices"))
        .filter(|node| {
            node.iter().any(|l| {
                l.starts_with("Filter:") && (l.contains("(id = $") || l.contains(" id = $"))
            })
        })
        .map(|node| node.join(" / "))
        .collect()
}

/// The plan lines that read the pending attempts' index: an attempt found by its
/// id must be found through the primary key.
fn pending_index(plan: &[String]) -> Vec<String> {
    plan.iter()
        .filter(|line| line.contains("portal_payment_attempts_pending"))
        .map(|line| line.trim().to_owned())
        .collect()
}

/// The highest `$n` of `sql`.
fn parameters(sql: &str) -> usize {
    sql.split('$')
        .skip(1)
        .filter_map(|rest| {
            let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
            digits.parse().ok()
        })
        .max()
        .unwrap_or(0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pay_now_finds_invoices_by_key_in_generic_plans() {
    tracing::subscriber::set_global_default(Registry::default().with(Statements))
        .expect("the only subscriber of this test binary");
    let Some((store, session, invoices)) = payer_among_others_on_postgres().await else {
        return;
    };
    let pool = store.pool();
    sqlx::query(GROW_CUSTOMER)
        .bind(invoices[1].as_uuid())
        .execute(pool)
        .await
        .expect("grow the customer");
    // A store that takes card payments: its statistics know attempts, none pending.
    session
        .invoices()
        .pay(pay(
            vec![invoices[2]],
            Some(100),
            cards::VISA_OK,
            format!("history-{}", uuid::Uuid::now_v7()),
        ))
        .await
        .expect("an earlier card payment");
    sqlx::query(PAST_ATTEMPTS)
        .bind(
            sqlx::query_scalar::<_, uuid::Uuid>("SELECT id FROM portal_payment_attempts")
                .fetch_one(pool)
                .await
                .expect("the attempt"),
        )
        .execute(pool)
        .await
        .expect("past attempts");
    sqlx::query("ANALYZE").execute(pool).await.expect("analyze");

    statements()
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .clear();
    session
        .invoices()
        .pay(pay(
            vec![invoices[0]],
            Some(1_000),
            cards::VISA_OK,
            "generic-plans".into(),
        ))
        .await
        .expect("pay part of an invoice");
    let ran: Vec<String> = statements()
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .iter()
        .filter(|sql| sql.contains("portal_invoices") && !sql.starts_with("INSERT"))
        .cloned()
        .collect();
    assert!(
        ran.iter().any(|sql| sql.contains("UPDATE portal_invoices")),
        "the payment changed its invoice: {ran:#?}"
    );

    let mut conn = pool.acquire().await.expect("connection");
    sqlx::query("SET plan_cache_mode = force_generic_plan")
        .execute(&mut *conn)
        .await
        .expect("generic plans");
    let mut wrong = Vec::new();
    for (n, sql) in ran.iter().enumerate() {
        sqlx::raw_sql(sqlx::AssertSqlSafe(format!("PREPARE generic_{n} AS {sql}")))
            .execute(&mut *conn)
            .await
            .unwrap_or_else(|e| panic!("prepare {sql}: {e}"));
        let nulls = vec!["NULL"; parameters(sql)].join(", ");
        let plan: Vec<String> = sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
            "EXPLAIN EXECUTE generic_{n}({nulls})"
        )))
        .fetch_all(&mut *conn)
        .await
        .unwrap_or_else(|e| panic!("explain {sql}: {e}"))
        .iter()
        .map(|row| row.get::<String, _>(0))
        .collect();
        let mut scans = filtered_by_id(&plan);
        scans.extend(pending_index(&plan));
        if !scans.is_empty() {
            wrong.push((sql.clone(), scans));
        }
    }
    assert!(
        wrong.is_empty(),
        "statements whose generic plan scans invoices to find one by id, or reads the \
         pending attempts to find one: {wrong:#?}"
    );
}
