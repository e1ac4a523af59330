//! What the PDF tests share: fonts, documents of every kind, and poppler-utils to
//! read the PDFs back as text and images.

#![allow(dead_code, unreachable_pub, missing_docs)]

use std::path::PathBuf;
use std::process::Command;

use portal_core::domain::{
    Address, Aging, Currency, Customer, Email, Invoice, InvoiceKind, InvoiceStatus, LineItem,
    Money, NewCustomer, NewInvoice, NewOrganization, NewQuote, NewSalesOrder, Organization,
    Payment, PaymentId, PaymentMethod, PortalSlug, Quote, QuoteStatus, SalesOrder, Signature,
    SignatureMark, Statement, StatementEntry, StatementEntryKind,
};
use portal_core::{Decimal, OffsetDateTime};
use portal_pdf::Fonts;
use time::macros::{date, datetime};

pub const NOW: OffsetDateTime = datetime!(2026-11-30 10:00 UTC);

/// Whether a missing tool or font fails the test (under CI) or skips it.
fn required() -> bool {
    std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false")
}

/// The system's fonts with the CJK fallback, or `None` (skipped) outside CI.
pub fn fonts() -> Option<Fonts> {
    match Fonts::from_system() {
        Ok(f) if f.covers("咨询服务 Açaí Ñandú") => Some(f),
        other => {
            assert!(
                !required(),
                "fonts with Latin and CJK coverage are missing under CI: {other:?} \
                 (scripts/with-browser installs fonts-dejavu-core and fonts-wqy-microhei)"
            );
            eprintln!(
                "skipped: no fonts covering Latin and CJK (scripts/with-browser installs them)"
            );
            None
        }
    }
}

fn tool(name: &str) -> bool {
    let found = Command::new(name).arg("-v").output().is_ok();
    assert!(
        found || !required(),
        "{name} (poppler-utils) is missing under CI"
    );
    found
}

/// The PDF's text as `pdftotext -layout` reads it, or `None` without poppler-utils.
pub fn text_of(pdf: &[u8]) -> Option<String> {
    if !tool("pdftotext") {
        return None;
    }
    let path = scratch(pdf);
    let out = Command::new("pdftotext")
        .arg("-layout")
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext");
    let _ = std::fs::remove_file(&path);
    assert!(out.status.success(), "pdftotext read the PDF");
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// How many pages the PDF has, by pdftotext's form feeds.
pub fn pages_of(text: &str) -> usize {
    text.matches('\u{c}').count()
}

fn scratch(pdf: &[u8]) -> PathBuf {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static N: AtomicUsize = AtomicUsize::new(0);
    let path = std::env::temp_dir().join(format!(
        "portal-pdf-{}-{}.pdf",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::write(&path, pdf).expect("write pdf");
    path
}

/// Writes `target/documents/{name}.pdf` and its first page as
/// `target/documents/{name}-1.png` for people to look at.
pub fn keep(name: &str, pdf: &[u8]) {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/documents");
    std::fs::create_dir_all(&dir).expect("dir");
    let path = dir.join(format!("{name}.pdf"));
    std::fs::write(&path, pdf).expect("write");
    if tool("pdftoppm") {
        let status = Command::new("pdftoppm")
            .args(["-png", "-r", "70", "-f", "1", "-l", "1", "-singlefile"])
            .arg(&path)
            .arg(dir.join(format!("{name}-1")))
            .status()
            .expect("pdftoppm");
        assert!(status.success(), "pdftoppm rendered {name}");
    }
}

/// An English reader with the defaults (ISO dates, 24-hour clock, UTC, US).
pub fn en() -> portal_core::i18n::Reader {
    portal_core::i18n::Reader::new(&portal_core::domain::UserPreferences::default())
}

/// A reader of `language` in `country` with day-first dates.
pub fn reader(language: &str, country: &str) -> portal_core::i18n::Reader {
    portal_core::i18n::Reader::new(&portal_core::domain::UserPreferences {
        language: language.into(),
        country: country.into(),
        date_format: portal_core::domain::DateFormat::DayMonthYear,
        time_zone: "Europe/Lisbon".into(),
        twenty_four_hour_clock: true,
    })
}

pub fn eur() -> Currency {
    Currency::from_code("EUR").expect("eur")
}

pub fn org() -> Organization {
    let mut org = Organization::create(
        NewOrganization {
            name: "Acme Books".into(),
            slug: PortalSlug::parse("acme").expect("slug"),
        },
        NOW,
    );
    let c = &mut org.settings.contact_details;
    c.name = "Acme Books Lda".into();
    c.email = Some(Email::parse("hello@acme-books.example").expect("email"));
    c.phone = "+351 21 000 0000".into();
    c.address = "Rua Augusta 1\n1100-048 Lisboa".into();
    org
}

pub fn customer(name: &str) -> Customer {
    let mut input = NewCustomer::new(name, eur());
    input.billing_address = Address {
        street1: "Avenida da Liberdade 200".into(),
        zip: "1250-147".into(),
        city: "Lisboa".into(),
        country: "Portugal".into(),
        ..Address::default()
    };
    Customer::create(org().id, input, NOW)
}

pub fn line(description: &str, qty: i64, rate_cents: i64) -> LineItem {
    LineItem::new(description, Decimal::from(qty), Decimal::new(rate_cents, 2))
}

pub fn invoice(lines: Vec<LineItem>, status: InvoiceStatus) -> Invoice {
    let c = customer("Silva & Costa Lda");
    let mut inv = Invoice::draft(
        org().id,
        c.id,
        eur(),
        NewInvoice {
            kind: InvoiceKind::Invoice,
            number: "INV-0042".into(),
            lines,
            issue_date: date!(2026 - 11 - 01),
            due_date: date!(2026 - 11 - 20),
            allow_partial_payments: true,
            payment_gateways: vec!["card".into()],
        },
        NOW,
    )
    .expect("invoice");
    inv.status = status;
    inv
}

pub fn quote(mark: Option<SignatureMark>) -> Quote {
    let c = customer("Silva & Costa Lda");
    let mut q = Quote::draft(
        org().id,
        c.id,
        eur(),
        NewQuote {
            number: "QT-0007".into(),
            lines: vec![
                line("Year-end closing", 1, 120_000),
                line("Tax filing", 1, 35_000),
            ],
            issue_date: date!(2026 - 11 - 01),
            expiry_date: date!(2026 - 12 - 01),
        },
        NOW,
    )
    .expect("quote");
    if let Some(mark) = mark {
        q.status = QuoteStatus::Accepted;
        q.signature = Some(Signature {
            signer_name: "Ana Silva".into(),
            signed_at: NOW,
            content_hash: q.content_hash(),
            mark,
        });
    }
    q
}

pub fn sales_order() -> SalesOrder {
    let c = customer("Silva & Costa Lda");
    SalesOrder::draft(
        org().id,
        c.id,
        eur(),
        NewSalesOrder {
            number: "SO-0003".into(),
            lines: vec![
                line("Archive boxes", 10, 450),
                line("Document scanning", 1, 8_000),
            ],
            order_date: date!(2026 - 11 - 10),
            shipment_date: Some(date!(2026 - 11 - 24)),
        },
        NOW,
    )
    .expect("order")
}

pub fn payment(invoice: &Invoice) -> Payment {
    Payment {
        id: PaymentId::new(),
        org: invoice.org,
        customer: invoice.customer,
        receipt_number: "R-0099".into(),
        amount: Money::from_minor_units(50_000, eur()),
        allocations: vec![portal_core::domain::Allocation {
            invoice: invoice.id,
            amount: Money::from_minor_units(45_000, eur()),
        }],
        unapplied: Money::from_minor_units(5_000, eur()),
        method: PaymentMethod::Card {
            brand: "visa".into(),
            last4: "4242".into(),
        },
        reference: None,
        paid_at: NOW,
    }
}

pub fn statement(entries: usize) -> Statement {
    let m = |minor: i64| Money::from_minor_units(minor, eur());
    let mut balance = 0;
    let rows = (0..entries)
        .map(|n| {
            let (kind, amount) = if n % 3 == 2 {
                (StatementEntryKind::Payment, -30_000)
            } else {
                (
                    StatementEntryKind::Invoice,
                    20_000 + i64::try_from(n).unwrap_or(0),
                )
            };
            balance += amount;
            StatementEntry {
                date: date!(2026 - 01 - 01)
                    + time::Duration::days(i64::try_from(n % 300).unwrap_or(0)),
                kind,
                id: uuid_like(n),
                number: format!("DOC-{n:04}"),
                amount: m(amount),
                balance: m(balance),
            }
        })
        .collect();
    Statement {
        from: date!(2026 - 01 - 01),
        to: date!(2026 - 11 - 30),
        currency: eur(),
        opening: m(0),
        entries: rows,
        closing: m(balance),
        aging: Aging {
            current: m(balance.max(0)),
            days_1_30: m(0),
            days_31_60: m(0),
            days_61_90: m(0),
            over_90: m(0),
        },
        pending: Vec::new(),
    }
}

fn uuid_like(n: usize) -> uuid::Uuid {
    uuid::Uuid::from_u128(n as u128 + 1)
}

pub fn credit_note() -> portal_core::domain::CreditNote {
    let c = customer("Silva & Costa Lda");
    portal_core::domain::CreditNote {
        id: portal_core::domain::CreditNoteId::new(),
        org: c.org,
        customer: c.id,
        number: "CN-0005".into(),
        total: Money::from_minor_units(5_000, eur()),
        balance: Money::from_minor_units(2_000, eur()),
        issue_date: date!(2026 - 11 - 05),
        created_at: NOW,
    }
}
