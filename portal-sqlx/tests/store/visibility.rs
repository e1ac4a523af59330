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

use crate::common;

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
    let (org, customer) = (session.org_id().as_uuid(), session.customer_id().as_uuid());
    let mut conn = pool.acquire().await.expect("connection");
    sqlx::raw_sql("SET enable_seqscan = off; SET enable_bitmapscan = off")
        .execute(&mut *conn)
        .await
        .expect("index scans only");
    // A vacuum cannot mark a page whose dead rows some open snapshot may still
    // see, and an autovacuum ANALYZE of anything in the database (the rows just
    // loaded, say) holds one for a moment: a few tries, a little apart. Without
    // the setting, every try skips the index pass and leaves the pages unmarked.
    let mut plan = Vec::new();
    for _ in 0..10 {
        sqlx::query("VACUUM portal_invoices")
            .execute(&mut *conn)
            .await
            .expect("vacuum");
        // Ids are UUIDs printed by `uuid`: safe to inline into the EXPLAIN.
        plan = sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
            "EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) \
             SELECT SUM(balance_minor) FROM portal_invoices WHERE org_id = '{org}' \
             AND customer_id = '{customer}' AND kind = 'invoice' \
             AND status IN ('sent', 'partially_paid')"
        )))
        .fetch_all(&mut *conn)
        .await
        .expect("explain")
        .iter()
        .map(|row| row.get::<String, _>(0))
        .collect::<Vec<String>>();
        if plan.iter().any(|l| l.trim() == "Heap Fetches: 0") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    }
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
