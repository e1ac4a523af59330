//! Measures PDF rendering (D2): a one-page invoice and a 500-line statement, with
//! the system's fonts (DejaVu Sans, WenQuanYi Micro Hei). Prints each PDF's size.
//! Without those fonts it says so and measures nothing.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use portal_core::domain::{
    Aging, Currency, Customer, Invoice, InvoiceKind, LineItem, Money, NewCustomer, NewInvoice,
    NewOrganization, Organization, PortalSlug, Statement, StatementEntry, StatementEntryKind,
};
use portal_core::print::Printable;
use portal_core::{Decimal, OffsetDateTime};
use time::macros::{date, datetime};

const NOW: OffsetDateTime = datetime!(2026-11-30 10:00 UTC);

fn documents() -> (Printable, Printable) {
    let eur = Currency::from_code("EUR").expect("eur");
    let org = Organization::create(
        NewOrganization {
            name: "Acme Books".into(),
            slug: PortalSlug::parse("acme").expect("slug"),
        },
        NOW,
    );
    let customer = Customer::create(org.id, NewCustomer::new("Silva & Costa Lda", eur), NOW);
    let lines = (0..8)
        .map(|n| {
            LineItem::new(
                format!("Service {n}"),
                Decimal::ONE,
                Decimal::new(10_000 + n, 2),
            )
        })
        .collect();
    let invoice = Invoice::draft(
        org.id,
        customer.id,
        eur,
        NewInvoice {
            kind: InvoiceKind::Invoice,
            number: "INV-0001".into(),
            lines,
            issue_date: date!(2026 - 11 - 01),
            due_date: date!(2026 - 11 - 30),
            allow_partial_payments: false,
            payment_gateways: vec![],
        },
        NOW,
    )
    .expect("invoice");
    let m = |minor: i64| Money::from_minor_units(minor, eur);
    let mut balance = 0;
    let entries = (0..500_i64)
        .map(|n| {
            balance += 1_000 + n;
            StatementEntry {
                date: date!(2026 - 01 - 01) + time::Duration::days(n % 300),
                kind: StatementEntryKind::Invoice,
                id: uuid::Uuid::from_u128(u128::try_from(n).unwrap_or(0) + 1),
                number: format!("INV-{n:04}"),
                amount: m(1_000 + n),
                balance: m(balance),
            }
        })
        .collect();
    let statement = Statement {
        from: date!(2026 - 01 - 01),
        to: date!(2026 - 11 - 30),
        currency: eur,
        opening: m(0),
        entries,
        closing: m(balance),
        aging: Aging {
            current: m(balance),
            days_1_30: m(0),
            days_31_60: m(0),
            days_61_90: m(0),
            over_90: m(0),
        },
        pending: Vec::new(),
    };
    let reader = portal_core::i18n::Reader::of_org(&org);
    (
        Printable::invoice(&org, &customer, &invoice, date!(2026 - 11 - 10), &reader)
            .expect("printable"),
        Printable::statement(&org, &customer, &statement, &reader),
    )
}

fn pdf(c: &mut Criterion) {
    let Ok(fonts) = portal_pdf::Fonts::from_system() else {
        eprintln!("no system fonts: install fonts-dejavu-core and fonts-wqy-microhei");
        return;
    };
    let (invoice, statement) = documents();
    for (name, doc) in [
        ("one-page invoice", &invoice),
        ("500-line statement", &statement),
    ] {
        let bytes = portal_pdf::render(doc, &fonts).expect("pdf");
        eprintln!("{name}: {} bytes", bytes.len());
        c.bench_function(&format!("pdf/{name}"), |b| {
            b.iter(|| portal_pdf::render(black_box(doc), &fonts).expect("pdf"));
        });
    }
}

criterion_group!(benches, pdf);
criterion_main!(benches);
