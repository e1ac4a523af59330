//! The account read model: dashboard figures, statement of account, turnover.

use super::fixtures::cents;
use super::fixtures::customer_in;
use super::fixtures::recording;
use super::fixtures::sent;
use super::fixtures::{org, t0, usd};
use crate::{
    domain::CreditApplication, domain::CreditNote, domain::CreditNoteId, domain::CreditSource,
    domain::Currency, domain::Invoice, domain::InvoiceKind, domain::InvoiceStatus,
    domain::LineItem, domain::NewInvoice, store::Store, store::StoreError,
};
use rust_decimal::Decimal;
use time::Duration;
use time::macros::date;

/// The dashboard's figures, in the customer's currency, from the store in one pass.
pub async fn dashboard_figures_add_up(store: &dyn Store) {
    let org = org(store).await;
    let jpy = Currency::from_code("JPY").expect("jpy");
    let customer = customer_in(store, &org, jpy).await;
    let empty = store
        .dashboard(org.id, customer.id, date!(2026 - 03 - 20))
        .await
        .expect("empty");
    assert_eq!(empty, crate::domain::DashboardFigures::zero(jpy));
    let overdue = sent("D-1", 10_000)
        .issued(date!(2026 - 01 - 01))
        .due(date!(2026 - 02 - 01))
        .for_customer(store, &customer)
        .await;
    let current = sent("D-2", 4_000)
        .issued(date!(2026 - 03 - 01))
        .due(date!(2026 - 04 - 01))
        .for_customer(store, &customer)
        .await;
    let mut retainer = Invoice::draft(
        org.id,
        customer.id,
        jpy,
        NewInvoice {
            kind: InvoiceKind::Retainer,
            number: "D-R".into(),
            lines: vec![LineItem::new("Advance", Decimal::ONE, Decimal::from(6_000))],
            issue_date: date!(2026 - 03 - 01),
            due_date: date!(2026 - 03 - 05),
            allow_partial_payments: true,
            payment_gateways: vec![],
        },
        t0(),
    )
    .expect("retainer");
    store.invoices().create(&retainer).await.expect("create");
    retainer.status = InvoiceStatus::Sent;
    store.invoices().update(&retainer).await.expect("send");
    let mut first = recording(&customer, 2_500, &[retainer.id]);
    first.paid_at = t0();
    store
        .record_payment(&first)
        .await
        .expect("retainer payment");
    let mut last = recording(&customer, 10_300, &[overdue.id]);
    last.paid_at = t0() + Duration::days(1);
    store
        .record_payment(&last)
        .await
        .expect("payment with excess");
    store
        .create_credit_note(&CreditNote {
            id: CreditNoteId::new(),
            org: org.id,
            customer: customer.id,
            number: "D-CN".into(),
            total: cents(1_000, jpy),
            balance: cents(1_000, jpy),
            issue_date: date!(2026 - 03 - 02),
            created_at: t0(),
        })
        .await
        .expect("note");
    let f = store
        .dashboard(org.id, customer.id, date!(2026 - 03 - 20))
        .await
        .expect("dashboard");
    assert_eq!(
        f.outstanding_invoices,
        cents(4_000, jpy),
        "only D-2 is unpaid"
    );
    assert_eq!(f.overdue_invoices, cents(0, jpy));
    assert_eq!(
        f.available_credits,
        cents(1_300, jpy),
        "300 excess + 1000 credit note"
    );
    assert_eq!(f.outstanding_retainers, cents(3_500, jpy));
    assert_eq!(f.available_retainer_payments, cents(2_500, jpy));
    assert_eq!(
        f.last_payment,
        Some((cents(10_300, jpy), t0() + Duration::days(1)))
    );
    let later = store
        .dashboard(org.id, customer.id, date!(2026 - 04 - 02))
        .await
        .expect("later");
    assert_eq!(later.overdue_invoices, cents(4_000, jpy));
    let _ = current;
    let other = super::fixtures::org(store).await;
    assert!(matches!(
        store
            .dashboard(other.id, customer.id, date!(2026 - 03 - 20))
            .await,
        Err(StoreError::NotFound(_))
    ));
}

/// The statement lists every entry in order with running balances; ranges chain
/// (one's closing is the next one's opening, a day's entries never split); the
/// full-history closing matches the dashboard; aging is as of the end date.
pub async fn statement_of_account_adds_up(store: &dyn Store) {
    use crate::domain::StatementEntryKind as K;
    let org = org(store).await;
    let customer = customer_in(store, &org, usd()).await;
    let at = |d: time::Date, h: u8| d.with_hms(h, 0, 0).expect("time").assume_utc();
    let jan = sent("S-1", 10_000)
        .issued(date!(2026 - 01 - 05))
        .due(date!(2026 - 01 - 20))
        .for_customer(store, &customer)
        .await;
    let feb = sent("S-2", 4_000).for_customer(store, &customer).await;
    let mut pay = recording(&customer, 12_000, &[jan.id]);
    pay.paid_at = at(date!(2026 - 02 - 01), 15);
    let payment = store
        .record_payment(&pay)
        .await
        .expect("pay jan, 20.00 excess");
    let note = CreditNote {
        id: CreditNoteId::new(),
        org: org.id,
        customer: customer.id,
        number: "S-CN".into(),
        total: cents(1_500, usd()),
        balance: cents(1_500, usd()),
        issue_date: date!(2026 - 02 - 10),
        created_at: t0(),
    };
    store.create_credit_note(&note).await.expect("note");
    store
        .apply_credit(&CreditApplication {
            id: crate::domain::ApplicationId::new(),
            org: org.id,
            customer: customer.id,
            source: CreditSource::Payment(payment.id),
            invoice: feb.id,
            amount: cents(2_000, usd()),
            applied_at: at(date!(2026 - 02 - 20), 9),
        })
        .await
        .expect("apply excess");
    store
        .record_refund(&crate::domain::Refund {
            id: crate::domain::RefundId::new(),
            org: org.id,
            customer: customer.id,
            source: CreditSource::CreditNote(note.id),
            amount: cents(500, usd()),
            mode: "transfer".into(),
            refunded_at: at(date!(2026 - 03 - 02), 10),
        })
        .await
        .expect("refund");
    let all = store
        .statement(
            org.id,
            customer.id,
            date!(2026 - 01 - 01),
            date!(2026 - 03 - 31),
        )
        .await
        .expect("statement");
    let rows: Vec<(K, &str, i64, i64)> = all
        .entries
        .iter()
        .map(|e| {
            (
                e.kind,
                e.number.as_str(),
                e.amount.to_minor_units().expect("fits"),
                e.balance.to_minor_units().expect("fits"),
            )
        })
        .collect();
    let receipt = payment.receipt_number.as_str();
    assert_eq!(
        rows,
        vec![
            (K::Invoice, "S-1", 10_000, 10_000),
            (K::Invoice, "S-2", 4_000, 14_000),
            (K::Payment, receipt, -12_000, 2_000),
            (K::CreditNote, "S-CN", -1_500, 500),
            (K::Refund, "transfer", 500, 1_000),
        ]
    );
    assert!(all.opening.is_zero());
    assert_eq!(all.closing, cents(1_000, usd()));
    // Ranges chain, and a day's entries stay together.
    let first = store
        .statement(
            org.id,
            customer.id,
            date!(2026 - 01 - 01),
            date!(2026 - 01 - 31),
        )
        .await
        .expect("january");
    let second = store
        .statement(
            org.id,
            customer.id,
            date!(2026 - 02 - 01),
            date!(2026 - 02 - 01),
        )
        .await
        .expect("one day");
    assert_eq!(first.closing, cents(10_000, usd()));
    assert_eq!(second.opening, first.closing);
    assert_eq!(
        second.entries.len(),
        2,
        "the invoice and the payment of 1 February"
    );
    assert_eq!(second.closing, cents(2_000, usd()));
    let rest = store
        .statement(
            org.id,
            customer.id,
            date!(2026 - 02 - 02),
            date!(2026 - 03 - 31),
        )
        .await
        .expect("rest");
    assert_eq!(rest.opening, second.closing);
    assert_eq!(rest.closing, all.closing);
    // The full history's closing is what the dashboard says.
    let today = date!(2026 - 03 - 31);
    let d = store
        .dashboard(org.id, customer.id, today)
        .await
        .expect("dashboard");
    let owed = d
        .outstanding_invoices
        .checked_sub(&d.available_credits)
        .and_then(|m| m.checked_sub(&d.available_retainer_payments))
        .expect("same currency");
    assert_eq!(all.closing, owed);
    // Aging at 15 February: S-1 paid; S-2 (due 1 March) current with 40.00.
    let mid = store
        .statement(
            org.id,
            customer.id,
            date!(2026 - 02 - 01),
            date!(2026 - 02 - 15),
        )
        .await
        .expect("mid");
    assert_eq!(mid.aging.current, cents(4_000, usd()));
    assert!(mid.aging.days_1_30.is_zero() && mid.aging.over_90.is_zero());
    // At 20 January S-1 was due that day and unpaid; at 31 March S-2 owed 20.00, 30 days late.
    let jan_end = store
        .statement(
            org.id,
            customer.id,
            date!(2026 - 01 - 01),
            date!(2026 - 01 - 20),
        )
        .await
        .expect("jan");
    assert_eq!(jan_end.aging.current, cents(10_000, usd()));
    assert_eq!(all.aging.days_1_30, cents(2_000, usd()));
    let stranger = customer_in(store, &org, usd()).await;
    let empty = store
        .statement(
            org.id,
            stranger.id,
            date!(2026 - 01 - 01),
            date!(2026 - 03 - 31),
        )
        .await
        .expect("empty");
    assert!(empty.entries.is_empty() && empty.closing.is_zero());
    let other = super::fixtures::org(store).await;
    assert!(matches!(
        store
            .statement(other.id, customer.id, date!(2026 - 01 - 01), today)
            .await,
        Err(StoreError::NotFound(_))
    ));
}

/// What a customer's documents add up to counts every invoice (drafts too), payment,
/// credit note and refund, and only the customer's own. Sums stay exact with
/// documents at the per-document ceiling: the dashboard, the statement and the
/// turnover of a customer with twenty of them (2 × 10^16 minor units together).
pub async fn customer_turnover_and_sums_at_the_ceiling(store: &dyn Store) {
    use crate::domain::MAX_AMOUNT_MINOR_UNITS as MAX;
    let org = org(store).await;
    let customer = customer_in(store, &org, usd()).await;
    let neighbour = customer_in(store, &org, usd()).await;
    assert_eq!(
        store
            .customer_turnover(org.id, customer.id)
            .await
            .expect("empty"),
        cents(0, usd())
    );
    let issued = date!(2026 - 01 - 05);
    let due = date!(2026 - 02 - 05);
    let mut invoices = Vec::new();
    for n in 0..10 {
        invoices.push(
            sent(&format!("MAX-{n}"), MAX)
                .issued(issued)
                .due(due)
                .for_customer(store, &customer)
                .await,
        );
    }
    sent("N-1", 777)
        .issued(issued)
        .due(due)
        .for_customer(store, &neighbour)
        .await;
    let mut paid = recording(&customer, MAX, &[invoices[0].id]);
    paid.paid_at = t0();
    store.record_payment(&paid).await.expect("pay one in full");
    for n in 0..8 {
        let mut excess = recording(&customer, MAX, &[]);
        excess.paid_at = t0() + Duration::minutes(n);
        store.record_payment(&excess).await.expect("unallocated");
    }
    store
        .create_credit_note(&CreditNote {
            id: CreditNoteId::new(),
            org: org.id,
            customer: customer.id,
            number: "MAX-CN".into(),
            total: cents(MAX, usd()),
            balance: cents(MAX, usd()),
            issue_date: date!(2026 - 01 - 06),
            created_at: t0(),
        })
        .await
        .expect("note");
    let turnover = store
        .customer_turnover(org.id, customer.id)
        .await
        .expect("turnover");
    assert_eq!(turnover, cents(20 * MAX, usd()));
    let f = store
        .dashboard(org.id, customer.id, date!(2026 - 03 - 01))
        .await
        .expect("dashboard");
    assert_eq!(f.outstanding_invoices, cents(9 * MAX, usd()));
    assert_eq!(f.overdue_invoices, cents(9 * MAX, usd()));
    assert_eq!(f.available_credits, cents(9 * MAX, usd()));
    let statement = store
        .statement(
            org.id,
            customer.id,
            date!(2025 - 01 - 01),
            date!(2026 - 12 - 31),
        )
        .await
        .expect("statement");
    assert_eq!(statement.entries.len(), 20);
    assert_eq!(statement.closing, cents(0, usd()));
    assert_eq!(
        statement.aging.over_90,
        cents(9 * MAX, usd()),
        "nine invoices still owe in full; the excess payments are credit"
    );
    let peak = statement
        .entries
        .iter()
        .map(|e| e.balance.to_minor_units().expect("fits"))
        .max();
    assert_eq!(
        peak,
        Some(10 * MAX),
        "ten invoices, then payments and the note"
    );
    assert_eq!(
        store
            .customer_turnover(org.id, neighbour.id)
            .await
            .expect("neighbour"),
        cents(777, usd())
    );
    let other = super::fixtures::org(store).await;
    assert!(matches!(
        store.customer_turnover(other.id, customer.id).await,
        Err(StoreError::NotFound(_))
    ));
}
