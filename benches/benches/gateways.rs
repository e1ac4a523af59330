//! Pay Now through the Stripe adapter against localstripe, beside the same flow on
//! the test gateway, in one run: payments per second with 8 clients paying at once,
//! each its own customer's invoices (so the store's invoice locks do not serialise
//! them), on the memory store. It measures the adapter and the round trips to a
//! Stripe-shaped server, not Stripe: localstripe is a single-threaded Python server
//! that writes its whole state to disk on every change, so its figure is a floor.
//!
//! `scripts/with-localstripe cargo bench -p portal-benches --bench gateways`
//! (`PORTAL_GATEWAY_PAYMENTS` sets how many payments each client makes, default 25).
//! Without `LOCALSTRIPE_URL` only the test gateway is measured. Each figure is the
//! better of two alternating runs, each on an emptied localstripe.

use std::sync::Arc;
use std::time::Instant;

use portal_core::clock::ManualClock;
use portal_core::gateway::{MethodRef, PaymentGateway};
use portal_core::prelude::*;
use portal_memory::{MemoryStore, RecordingMailer, TestGateway};
use portal_stripe::{StripeConfig, StripeGateway};
use time::macros::date;

const CLIENTS: usize = 8;

/// A portal over a fresh memory store paying through `gateway`, and `CLIENTS`
/// signed-in customers each owing `per_client` invoices of 10.00 EUR.
async fn world(
    gateway: Arc<dyn PaymentGateway>,
    per_client: usize,
) -> (Portal, Vec<(PortalSession, Vec<InvoiceId>)>) {
    let mailer = Arc::new(RecordingMailer::new());
    let portal = Portal::builder(Arc::new(MemoryStore::new()), mailer.clone())
        .with_clock(Arc::new(ManualClock::new(OffsetDateTime::now_utc())))
        .with_gateway(gateway.clone())
        .build()
        .expect("portal");
    let org = portal
        .create_org(NewOrganization {
            name: "Bench".into(),
            slug: PortalSlug::parse("bench-gateways").expect("slug"),
        })
        .await
        .expect("org");
    let admin = portal.org(org.id);
    let mut clients = Vec::new();
    for c in 0..CLIENTS {
        let email = format!("payer{c}@example.com");
        let (customer, contacts) = admin
            .customers()
            .create(
                NewCustomer::new("Payer", Currency::from_code("EUR").expect("EUR")),
                vec![NewContact::new(
                    "Pat",
                    "Payer",
                    Some(Email::parse(&email).expect("email")),
                )],
            )
            .await
            .expect("customer");
        admin
            .contacts()
            .enable_access(customer.id, &[contacts[0].id])
            .await
            .expect("invite");
        portal.dispatch_emails(100).await.expect("dispatch");
        let link = mailer.last_link_to(&email, "/invitation/").expect("link");
        let signed = portal
            .accept_invitation(
                link.rsplit('/').next().expect("token"),
                portal_core::service::AcceptInvitation {
                    password: "bench pass phrase long enough".into(),
                    password_confirmation: "bench pass phrase long enough".into(),
                    preferences: None,
                },
            )
            .await
            .expect("accept");
        let mut invoices = Vec::new();
        for n in 0..per_client {
            let draft = admin
                .invoices()
                .create(
                    customer.id,
                    NewInvoice {
                        kind: InvoiceKind::Invoice,
                        number: format!("B-{c}-{n}"),
                        lines: vec![LineItem::new("Work", Decimal::ONE, Decimal::new(1_000, 2))],
                        issue_date: date!(2026 - 11 - 01),
                        due_date: date!(2026 - 12 - 01),
                        allow_partial_payments: false,
                        payment_gateways: vec![gateway.id().to_owned()],
                    },
                )
                .await
                .expect("invoice");
            invoices.push(admin.invoices().send(draft.id).await.expect("send").id);
        }
        clients.push((signed.session, invoices));
    }
    (portal, clients)
}

/// Payments per second with `CLIENTS` clients each paying its invoices one by one.
async fn rate(gateway: Arc<dyn PaymentGateway>, per_client: usize, method: &str) -> f64 {
    let (_portal, clients) = world(gateway, per_client).await;
    let started = Instant::now();
    let mut tasks = Vec::new();
    for (c, (session, invoices)) in clients.into_iter().enumerate() {
        let method = method.to_owned();
        tasks.push(tokio::spawn(async move {
            for (n, id) in invoices.into_iter().enumerate() {
                session
                    .invoices()
                    .pay(PayRequest {
                        invoices: InvoiceSelection::Chosen(vec![id]),
                        amount: None,
                        source: PaySource::Method(MethodRef::new(&method).expect("ref")),
                        idempotency_key: format!("bench-{c}-{n}-{}", uuid::Uuid::now_v7().simple()),
                    })
                    .await
                    .expect("paid");
            }
        }));
    }
    for t in tasks {
        t.await.expect("client");
    }
    let total = (CLIENTS * per_client) as f64;
    total / started.elapsed().as_secs_f64()
}

/// The baseline of the Stripe figure: the same PaymentIntent requests, made by hand
/// (one reqwest POST each, no portal, no store), `CLIENTS` at a time.
async fn raw_requests(base: &str, per_client: usize) -> f64 {
    let http = reqwest::Client::new();
    let started = Instant::now();
    let mut tasks = Vec::new();
    for c in 0..CLIENTS {
        let http = http.clone();
        let url = format!("{base}/v1/payment_intents");
        tasks.push(tokio::spawn(async move {
            for n in 0..per_client {
                let key = format!("raw-{c}-{n}-{}", uuid::Uuid::now_v7().simple());
                let status = http
                    .post(&url)
                    .bearer_auth("sk_test_bench")
                    .header("Idempotency-Key", &key)
                    .form(&[
                        ("amount", "1000"),
                        ("currency", "eur"),
                        ("payment_method", "pm_card_visa"),
                        ("confirm", "true"),
                        ("metadata[portal_attempt_key]", key.as_str()),
                        ("expand[]", "payment_method"),
                        ("expand[]", "latest_charge"),
                    ])
                    .send()
                    .await
                    .expect("localstripe")
                    .status();
                assert!(status.is_success(), "{status}");
            }
        }));
    }
    for t in tasks {
        t.await.expect("client");
    }
    (CLIENTS * per_client) as f64 / started.elapsed().as_secs_f64()
}

fn main() {
    let per_client: usize = std::env::var("PORTAL_GATEWAY_PAYMENTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(25);
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    runtime.block_on(async {
        let test = rate(Arc::new(TestGateway::new("test")), per_client, "pm_card_visa").await;
        println!(
            "Pay Now, {CLIENTS} clients, {} payments: test gateway {test:.0} payments/s",
            CLIENTS * per_client
        );
        let Ok(base) = std::env::var("LOCALSTRIPE_URL") else {
            println!("LOCALSTRIPE_URL not set: the Stripe adapter is not measured");
            return;
        };
        let mut config = StripeConfig::new("sk_test_bench", "pk_test_bench").with_api_base(&base);
        config.describe_payments = false;
        let stripe = Arc::new(StripeGateway::new(config).expect("stripe"));
        // localstripe writes its whole store to disk on every change: each run
        // starts from an empty one, and the two alternate.
        let flush = || async {
            reqwest::Client::new()
                .delete(format!("{base}/_config/data"))
                .send()
                .await
                .expect("flush localstripe");
        };
        let (mut raw, mut through_stripe) = (Vec::new(), Vec::new());
        for _ in 0..2 {
            flush().await;
            raw.push(raw_requests(&base, per_client).await);
            flush().await;
            through_stripe.push(rate(stripe.clone(), per_client, "pm_card_visa").await);
        }
        let best = |v: &[f64]| v.iter().copied().fold(0.0_f64, f64::max);
        let (raw, through_stripe) = (best(&raw), best(&through_stripe));
        println!(
            "The same PaymentIntent requests by hand against localstripe: {raw:.0} requests/s"
        );
        println!(
            "Pay Now, {CLIENTS} clients, {} payments: portal-stripe against localstripe {through_stripe:.0} payments/s ({:.2}x the hand-made requests' time each; {:.0}x the test gateway's)",
            CLIENTS * per_client,
            raw / through_stripe,
            test / through_stripe
        );
    });
}
