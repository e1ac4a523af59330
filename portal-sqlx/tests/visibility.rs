//! The portal home sums a customer's open invoices from a partial index alone
//! (an index-only scan), which reads the table only for pages the visibility map
//! does not mark all-visible. PostgreSQL's vacuum skips its index pass when dead
//! rows sit on under 2% of a table's pages, and then leaves those pages unmarked:
//! on a big store, exactly the pages of the customers who were just active. The
//! schema sets `vacuum_index_cleanup = on` for the tables the home reads, so a
//! vacuum after a payment marks every page it cleans. This test pays part of an
//! invoice of a customer among 3,000 others, vacuums, and asserts that the
//! outstanding-invoices sum reads nothing from the table. (SQLite has no
//! visibility map.)

mod common;

use common::paying::{pay, payer_among_others_on_postgres};
use portal_memory::cards;
use portal_sqlx::sqlx::{self, Row as _};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_vacuum_after_a_payment_keeps_the_home_sums_index_only() {
    let Some((store, session, invoices)) = payer_among_others_on_postgres().await else {
        return;
    };
    let pool = store.pool();
    sqlx::query("VACUUM ANALYZE portal_invoices")
        .execute(pool)
        .await
        .expect("vacuum");
    session
        .invoices()
        .pay(pay(
            vec![invoices[0]],
            Some(1_000),
            cards::VISA_OK,
            "visibility".into(),
        ))
        .await
        .expect("pay part of an invoice");
    sqlx::query("VACUUM portal_invoices")
        .execute(pool)
        .await
        .expect("vacuum");

    let (org, customer) = (session.org_id().as_uuid(), session.customer_id().as_uuid());
    // Ids are UUIDs printed by `uuid`: safe to inline into the EXPLAIN.
    let plan: Vec<String> = sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
        "SET enable_seqscan = off; SET enable_bitmapscan = off; \
         EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) \
         SELECT SUM(balance_minor) FROM portal_invoices WHERE org_id = '{org}' \
         AND customer_id = '{customer}' AND kind = 'invoice' \
         AND status IN ('sent', 'partially_paid')"
    )))
    .fetch_all(pool)
    .await
    .expect("explain")
    .iter()
    .map(|row| row.get::<String, _>(0))
    .collect();
    assert!(
        plan.iter().any(|l| l.contains("Index Only Scan")),
        "the sum reads an index alone: {plan:#?}"
    );
    assert!(
        plan.iter()
            .filter(|l| l.contains("Heap Fetches"))
            .all(|l| l.trim() == "Heap Fetches: 0"),
        "a vacuum after the payment marked the customer's pages all-visible: {plan:#?}"
    );
}
