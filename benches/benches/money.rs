//! Measures the money reads of the portal home on the in-memory and SQLite stores,
//! with a customer holding 10 and 1 000 invoices and payments.

use std::hint::black_box;
use std::sync::Arc;

mod common;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use portal_core::prelude::*;
use portal_memory::RecordingMailer;

async fn customer_with(store: Arc<dyn Backend>, documents: usize) -> PortalSession {
    let mailer = Arc::new(RecordingMailer::new());
    let portal = Portal::builder(store, mailer.clone())
        .build()
        .expect("portal");
    let org = portal
        .create_org(NewOrganization {
            name: "Bench".into(),
            slug: PortalSlug::parse(&format!("bench-{documents}")).expect("slug"),
        })
        .await
        .expect("org");
    let admin = portal.org(org.id);
    let usd = Currency::from_code("USD").expect("usd");
    let email = Email::parse(&format!("bench{documents}@example.com")).expect("email");
    let (customer, contacts) = admin
        .customers()
        .create(
            NewCustomer::new("Bench", usd),
            vec![NewContact::new("B", "", Some(email.clone()))],
        )
        .await
        .expect("customer");
    for i in 0..documents {
        let draft = admin
            .invoices()
            .create(
                customer.id,
                NewInvoice {
                    kind: InvoiceKind::Invoice,
                    number: format!("B-{i}"),
                    lines: vec![LineItem::new("x", Decimal::ONE, Decimal::from(100))],
                    issue_date: time::macros::date!(2026 - 01 - 01),
                    due_date: time::macros::date!(2026 - 02 - 01),
                    allow_partial_payments: true,
                    payment_gateways: vec![],
                },
            )
            .await
            .expect("invoice");
        admin.invoices().send(draft.id).await.expect("send");
        admin
            .invoices()
            .record_offline_payment(
                customer.id,
                Money::from_minor_units(2_500, usd),
                "cash",
                portal_core::OffsetDateTime::UNIX_EPOCH,
                &[draft.id],
            )
            .await
            .expect("payment");
    }
    common::invited_and_signed_in(
        &portal,
        &mailer,
        (org.id, customer.id, contacts[0].id),
        email.as_str(),
    )
    .await
    .session
}

fn home(c: &mut Criterion) {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let dir = common::BenchDir::new("home");
    let mut group = c.benchmark_group("home");
    for documents in [10_usize, 1_000] {
        for (name, store) in common::stores(&rt, &dir, documents) {
            let session = rt.block_on(customer_with(store, documents));
            group.bench_with_input(
                BenchmarkId::new(format!("{name}/dashboard"), documents),
                &session,
                |b, s| {
                    b.to_async(&rt)
                        .iter(|| async { black_box(s.dashboard().await.expect("dashboard")) });
                },
            );
            let query = InvoiceQuery::new(time::macros::date!(2026 - 05 - 01));
            group.bench_with_input(
                BenchmarkId::new(format!("{name}/invoice_page"), documents),
                &session,
                |b, s| {
                    b.to_async(&rt).iter(|| async {
                        black_box(s.invoices().list(&query).await.expect("page"))
                    });
                },
            );
        }
    }
    group.finish();
}

criterion_group!(benches, home);
criterion_main!(benches);
