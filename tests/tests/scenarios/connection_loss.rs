//! A PostgreSQL connection killed while a payment is being recorded loses nothing:
//! the gateway's charge is recovered, never doubled, never lost.

use crate::common;

use std::sync::Arc;

use common::PASSWORD;
use common::paying::card;
use portal_core::Duration;
use portal_core::clock::ManualClock;
use portal_core::prelude::*;
use portal_memory::{RecordingMailer, TestGateway, cards};
use rust_decimal::Decimal;
use time::macros::{date, datetime};

/// A gateway that pauses inside `charge` until the test lets it go, so the test can
/// set up a lock for the recording that follows.
#[derive(Debug)]
struct PausingGateway {
    inner: Arc<TestGateway>,
    charging: Arc<tokio::sync::Notify>,
    go: Arc<tokio::sync::Notify>,
}

common::delegating::delegate_gateway!(PausingGateway, inner, {
    fn id(&self) -> &str {
        self.inner.id()
    }
    fn accepts_typed_details(&self) -> bool {
        self.inner.accepts_typed_details()
    }
    async fn charge(
        &self,
        request: &portal_core::gateway::ChargeRequest,
    ) -> Result<portal_core::gateway::ChargeOutcome, portal_core::gateway::GatewayError> {
        let outcome = self.inner.charge(request).await;
        self.charging.notify_one();
        self.go.notified().await;
        outcome
    }
    async fn save_method(
        &self,
        source: &portal_core::gateway::ChargeSource,
    ) -> Result<portal_core::gateway::SaveOutcome, portal_core::gateway::GatewayError> {
        self.inner.save_method(source).await
    }
});

/// On PostgreSQL, the connection recording a payment is killed in the middle of
/// its transaction (`pg_terminate_backend` from a second connection, while the
/// recording waits for a lock on the second invoice): nothing of the payment is
/// written, the attempt stays pending with its hold, and paying again with the same
/// key records the charge once; recovery then finds nothing left to do.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_connection_killed_while_recording_a_payment() {
    use portal_sqlx::sqlx;
    let Some(options) = portal_sqlx::testing::postgres_options().await else {
        return;
    };
    let store = Arc::new(
        portal_sqlx::PostgresStore::connect_with(options.clone())
            .await
            .expect("connect"),
    );
    let test_gateway = Arc::new(TestGateway::new("test"));
    let (charging, go) = (
        Arc::new(tokio::sync::Notify::new()),
        Arc::new(tokio::sync::Notify::new()),
    );
    let mailer = Arc::new(RecordingMailer::new());
    let clock = Arc::new(ManualClock::new(datetime!(2026-05-04 09:00 UTC)));
    let portal = Portal::builder(store, mailer.clone())
        .with_clock(clock.clone())
        .with_gateway(Arc::new(PausingGateway {
            inner: test_gateway.clone(),
            charging: charging.clone(),
            go: go.clone(),
        }))
        .with_config(PortalConfig::default().with_base_url("https://portal.test"))
        .build()
        .expect("portal");
    let org = portal
        .create_org(NewOrganization {
            name: "Killed".into(),
            slug: PortalSlug::parse("killed-mid-payment").expect("slug"),
        })
        .await
        .expect("org");
    let admin = portal.org(org.id);
    let usd = Currency::from_code("USD").expect("usd");
    let (customer, contacts) = admin
        .customers()
        .create(
            NewCustomer::new("Killed Customer", usd),
            vec![NewContact::new(
                "K",
                "",
                Some(Email::parse("k@example.com").expect("email")),
            )],
        )
        .await
        .expect("customer");
    admin
        .contacts()
        .enable_access(customer.id, &[contacts[0].id])
        .await
        .expect("invite");
    portal.dispatch_emails(10).await.expect("dispatch");
    let link = mailer
        .last_link_to("k@example.com", "/invitation/")
        .expect("link");
    let session = portal
        .accept_invitation(
            link.rsplit('/').next().expect("token"),
            AcceptInvitation {
                password: PASSWORD.into(),
                password_confirmation: PASSWORD.into(),
                preferences: None,
            },
        )
        .await
        .expect("accept")
        .session;
    let mut invoices = Vec::new();
    for (n, minor) in [(1, 7_000), (2, 3_000)] {
        let draft = admin
            .invoices()
            .create(
                customer.id,
                NewInvoice {
                    kind: InvoiceKind::Invoice,
                    number: format!("K-{n}"),
                    lines: vec![LineItem::new(
                        "Work",
                        Decimal::ONE,
                        Money::from_minor_units(minor, usd).amount(),
                    )],
                    issue_date: date!(2026 - 04 - 01),
                    due_date: date!(2026 - 04 - 30),
                    allow_partial_payments: false,
                    payment_gateways: vec!["test".into()],
                },
            )
            .await
            .expect("invoice");
        invoices.push(admin.invoices().send(draft.id).await.expect("send").id);
    }
    invoices.sort();
    let request = || PayRequest {
        invoices: InvoiceSelection::Chosen(invoices.clone()),
        amount: None,
        source: card(cards::VISA_OK),
        idempotency_key: "killed-mid-recording".into(),
    };
    let paying = {
        let session = session.clone();
        let request = request();
        tokio::spawn(async move { session.invoices().pay(request).await })
    };
    // While the gateway holds the answer, a second connection locks the second
    // invoice: the recording will lock the first, then wait.
    charging.notified().await;
    let other = sqlx::postgres::PgPoolOptions::new()
        .max_connections(2)
        .connect_with(options)
        .await
        .expect("second connection");
    let mut blocker = other.begin().await.expect("begin");
    sqlx::query("SELECT id FROM portal_invoices WHERE id = $1 FOR UPDATE")
        .bind(invoices[1].as_uuid())
        .fetch_one(&mut *blocker)
        .await
        .expect("lock");
    go.notify_one();
    let mut pid = None;
    for _ in 0..400 {
        pid = sqlx::query_scalar::<_, i32>(
            "SELECT pid FROM pg_stat_activity WHERE wait_event_type = 'Lock' \
             AND query LIKE 'SELECT%FROM portal_invoices%FOR UPDATE' LIMIT 1",
        )
        .fetch_optional(&other)
        .await
        .expect("pg_stat_activity");
        if pid.is_some() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    let pid = pid.expect("the recording waits on the second invoice");
    let killed: bool = sqlx::query_scalar("SELECT pg_terminate_backend($1)")
        .bind(pid)
        .fetch_one(&other)
        .await
        .expect("terminate");
    assert!(killed);
    let answer = paying.await.expect("no panic");
    blocker.rollback().await.expect("release");
    assert_eq!(
        answer.expect_err("charged, not recorded").code(),
        "payment_pending"
    );
    // Nothing of the payment was written; the charge is held by the attempt.
    assert!(
        session
            .payments()
            .list(None, 10)
            .await
            .expect("page")
            .items
            .is_empty()
    );
    for id in &invoices {
        let inv = session.invoices().get(*id).await.expect("invoice");
        assert!(inv.paid.is_zero(), "no half-written settlement");
    }
    assert_eq!(test_gateway.charged_minor_units(), 10_000);
    let second_tab = session
        .invoices()
        .pay(PayRequest {
            idempotency_key: "killed-second-tab".into(),
            ..request()
        })
        .await
        .expect_err("held by the pending attempt");
    assert_eq!(second_tab.code(), "payment_in_progress");
    // The retry with the same key records the one charge.
    go.notify_one();
    let paid = session
        .invoices()
        .pay(request())
        .await
        .expect("retry records it");
    assert_eq!(paid.amount, Money::from_minor_units(10_000, usd));
    assert_eq!(test_gateway.charge_count(), 1);
    assert_eq!(test_gateway.charged_minor_units(), 10_000);
    let dash = session.dashboard().await.expect("dashboard");
    assert!(dash.outstanding_invoices.is_zero());
    assert!(dash.available_credits.is_zero());
    clock.advance(Duration::minutes(20));
    let report = portal
        .recover_payments(Duration::minutes(15), 100)
        .await
        .expect("recover");
    assert_eq!((report.recorded, report.not_charged), (0, 0));
}
