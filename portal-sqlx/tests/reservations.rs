//! The invoice's `reserved_minor` is always the sum of its reservation rows, on
//! both engines, whatever mix of Pay Now outcomes ran: concurrent part payments
//! of one invoice (the one-invoice path), declines, a charge whose answer was lost
//! and then recovered, and a payment of several invoices (the general path).
//! Once nothing is pending, nothing is held.

mod common;

use std::sync::Arc;

use common::paying::{pay, signed_in};
use portal_core::{Backend, Portal};
use portal_memory::{RecordingMailer, TestGateway, cards};
use portal_sqlx::sqlx::{self, Executor};
use portal_sqlx::{Engine, SqlStore};

/// Invoices whose column differs from their rows, and the total held.
async fn held<DB: Engine>(store: &SqlStore<DB>) -> (i64, i64)
where
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
{
    let row = sqlx::query::<DB>(
        "SELECT \
         (SELECT COUNT(*) FROM portal_invoices i WHERE i.reserved_minor <> COALESCE( \
            (SELECT SUM(r.amount_minor) FROM portal_payment_reservations r \
             WHERE r.invoice_id = i.id), 0)) AS wrong, \
         (SELECT CAST(COALESCE(SUM(reserved_minor), 0) AS BIGINT) FROM portal_invoices) AS held",
    )
    .fetch_one(store.pool())
    .await
    .expect("invariant");
    (
        DB::column(&row, "wrong").expect("wrong"),
        DB::column(&row, "held").expect("held"),
    )
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
