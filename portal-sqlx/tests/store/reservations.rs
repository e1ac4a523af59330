//! The invoice's `reserved_minor` is always the sum of what pending attempts hold
//! on it (their `holds`), on both engines, whatever mix of Pay Now outcomes ran:
//! concurrent part payments of one invoice (the one-invoice path), declines, a
//! charge whose answer was lost and then recovered, and a payment of several
//! invoices (the general path). Once nothing is pending, nothing is held.

use crate::common;

use std::collections::HashMap;
use std::sync::Arc;

use common::paying::{pay, signed_in};
use portal_core::{Backend, Portal};
use portal_memory::{RecordingMailer, TestGateway, cards};
use portal_sqlx::sqlx::types::Json;
use portal_sqlx::sqlx::{self, Executor};
use portal_sqlx::{Engine, SqlStore};
use uuid::Uuid;

/// Invoices whose column differs from what pending attempts hold on them, and
/// the total held.
async fn held<DB: Engine>(store: &SqlStore<DB>) -> (usize, i64)
where
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
{
    let mut holds: HashMap<Uuid, i64> = HashMap::new();
    for row in
        sqlx::query::<DB>("SELECT holds FROM portal_payment_attempts WHERE status = 'pending'")
            .fetch_all(store.pool())
            .await
            .expect("attempts")
    {
        let Json(list): Json<Vec<serde_json::Value>> = DB::column(&row, "holds").expect("holds");
        for h in list {
            let invoice = Uuid::parse_str(h["invoice_id"].as_str().expect("invoice_id"))
                .expect("invoice uuid");
            *holds.entry(invoice).or_default() += h["amount_minor"].as_i64().expect("amount");
        }
    }
    let (mut wrong, mut total) = (0, 0);
    for row in sqlx::query::<DB>("SELECT id, reserved_minor FROM portal_invoices")
        .fetch_all(store.pool())
        .await
        .expect("invoices")
    {
        let id: Uuid = DB::column(&row, "id").expect("id");
        let reserved: i64 = DB::column(&row, "reserved_minor").expect("reserved");
        if reserved != holds.remove(&id).unwrap_or(0) {
            wrong += 1;
        }
        total += reserved;
    }
    // Holds on no invoice at all.
    (wrong + holds.len(), total)
}

async fn holds_add_up<DB: Engine>(store: SqlStore<DB>)
where
    SqlStore<DB>: Backend,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
{
    let mailer = Arc::new(RecordingMailer::new());
    let gateway = Arc::new(TestGateway::new("test"));
    let portal = Portal::builder(Arc::new(store.clone()), mailer.clone())
        .with_gateway(gateway.clone())
        .build()
        .expect("portal");
    let (session, invoices) = signed_in(&portal, &mailer).await;
    let big = invoices[0];

    // Concurrent part payments and declines of one invoice.
    let mut tasks = Vec::new();
    for n in 0..24 {
        let session = session.clone();
        let number = if n % 4 == 0 {
            cards::DECLINED
        } else {
            cards::VISA_OK
        };
        tasks.push(tokio::spawn(async move {
            session
                .invoices()
                .pay(pay(vec![big], Some(1_000), number, format!("part-{n}-key")))
                .await
        }));
    }
    let mut paid = 0;
    for t in tasks {
        if t.await.expect("task").is_ok() {
            paid += 1;
        }
    }
    assert_eq!(paid, 18, "every approved card paid");
    assert_eq!(
        held(&store).await,
        (0, 0),
        "declines and payments gave back their holds"
    );

    // A charge whose answer is lost stays pending, holding its amount.
    gateway.fail_after_charge(1);
    let lost = session
        .invoices()
        .pay(pay(
            vec![big],
            Some(2_500),
            cards::VISA_OK,
            "lost-answer".into(),
        ))
        .await;
    assert!(lost.is_err(), "the answer was lost");
    assert_eq!(
        held(&store).await,
        (0, 2_500),
        "the pending attempt holds its amount"
    );
    // Recovery records it and gives the hold back.
    let report = portal
        .recover_payments(time::Duration::ZERO, 10)
        .await
        .expect("recover");
    assert_eq!(report.recorded, 1, "{report:?}");
    assert_eq!(held(&store).await, (0, 0));

    // Several invoices in one payment: the general path.
    session
        .invoices()
        .pay(pay(
            invoices[1..].to_vec(),
            None,
            cards::VISA_OK,
            "both-small".into(),
        ))
        .await
        .expect("pay two invoices");
    assert_eq!(held(&store).await, (0, 0));
    let rest = session.invoices().get(big).await.expect("invoice");
    assert_eq!(
        rest.balance.to_minor_units().expect("minor"),
        100_000 - 18 * 1_000 - 2_500
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn holds_add_up_on_sqlite() {
    let path = common::sqlite_path();
    holds_add_up(common::sqlite_at(&path).await).await;
    portal_sqlx::testing::remove_sqlite_files(&path);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn holds_add_up_on_postgres() {
    let Some(options) = common::fresh_schema().await else {
        return;
    };
    let store = portal_sqlx::PostgresStore::connect_with(options)
        .await
        .expect("postgres");
    store.migrate().await.expect("migrate");
    holds_add_up(store).await;
}
