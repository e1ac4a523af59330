//! Credits: credit notes and payment excess applied and refunded, never below zero.

use super::fixtures::cents;
use super::fixtures::customer_in;
use super::fixtures::recording;
use super::fixtures::sent;
use super::fixtures::{org, t0, usd};
use crate::store::Rule;
use crate::{
    domain::CreditApplication, domain::CreditNote, domain::CreditNoteId, domain::CreditSource,
    domain::Invoice, domain::InvoiceKind, domain::InvoiceStatus, domain::LineItem,
    domain::NewInvoice, store::Store, store::StoreError,
};
use rust_decimal::Decimal;
use time::Duration;
use time::macros::date;

/// Credit notes and payment excess are available credit; applying credit moves both
/// balances atomically and never below zero.
pub async fn credits_apply_without_going_negative(store: &dyn Store) {
    let org = org(store).await;
    let customer = customer_in(store, &org, usd()).await;
    let inv = sent("C-1", 10_000).for_customer(store, &customer).await;
    let note = CreditNote {
        id: CreditNoteId::new(),
        org: org.id,
        customer: customer.id,
        number: "CN-1".into(),
        total: cents(3_000, usd()),
        balance: cents(3_000, usd()),
        issue_date: date!(2026 - 02 - 10),
        created_at: t0(),
    };
    store.create_credit_note(&note).await.expect("note");
    assert_eq!(
        store
            .customer_credit_note(org.id, customer.id, note.id)
            .await
            .expect("read back"),
        note
    );
    let stranger = customer_in(store, &org, usd()).await;
    assert!(matches!(
        store
            .customer_credit_note(org.id, stranger.id, note.id)
            .await,
        Err(StoreError::NotFound(_))
    ));
    let excess = store
        .record_payment(&recording(&customer, 2_000, &[]))
        .await
        .expect("excess");
    let credits = store
        .available_credits(org.id, customer.id)
        .await
        .expect("credits");
    assert_eq!(credits.len(), 2);
    let apply = |source, minor| CreditApplication {
        id: crate::domain::ApplicationId::new(),
        org: org.id,
        customer: customer.id,
        source,
        invoice: inv.id,
        amount: cents(minor, usd()),
        applied_at: t0(),
    };
    let after = store
        .apply_credit(&apply(CreditSource::CreditNote(note.id), 2_500))
        .await
        .expect("apply note");
    assert_eq!(after.balance, cents(7_500, usd()));
    assert_eq!(after.credited, cents(2_500, usd()));
    assert_eq!(after.status, InvoiceStatus::PartiallyPaid);
    assert!(matches!(
        store
            .apply_credit(&apply(CreditSource::CreditNote(note.id), 501))
            .await,
        Err(StoreError::Conflict(Rule::CreditAvailable))
    ));
    store
        .apply_credit(&apply(CreditSource::Payment(excess.id), 2_000))
        .await
        .expect("apply excess");
    let credits = store
        .available_credits(org.id, customer.id)
        .await
        .expect("credits");
    assert_eq!(credits.len(), 1);
    assert_eq!(credits[0].available, cents(500, usd()));
    assert_eq!(
        store
            .invoices()
            .get(org.id, inv.id)
            .await
            .expect("read")
            .balance,
        cents(5_500, usd())
    );
    // Not more than the invoice's balance, and not someone else's credit.
    let big = CreditNote {
        id: CreditNoteId::new(),
        number: "CN-2".into(),
        total: cents(90_000, usd()),
        balance: cents(90_000, usd()),
        ..note.clone()
    };
    store.create_credit_note(&big).await.expect("note");
    assert!(matches!(
        store
            .apply_credit(&apply(CreditSource::CreditNote(big.id), 5_501))
            .await,
        Err(StoreError::Conflict(Rule::InvoiceBalance))
    ));
    let stranger = customer_in(store, &org, usd()).await;
    let mut foreign = apply(CreditSource::CreditNote(big.id), 100);
    foreign.customer = stranger.id;
    assert!(matches!(
        store.apply_credit(&foreign).await,
        Err(StoreError::NotFound(_))
    ));
    let theirs = sent("C-2", 1_000).for_customer(store, &stranger).await;
    let mut wrong_invoice = apply(CreditSource::CreditNote(big.id), 100);
    wrong_invoice.invoice = theirs.id;
    assert!(matches!(
        store.apply_credit(&wrong_invoice).await,
        Err(StoreError::NotFound(_))
    ));
    // The invoice lists what went to it: a payment's share by its receipt, and
    // each credit by its source; another customer sees nothing of it.
    let paid = store
        .record_payment(&recording(&customer, 1_000, &[inv.id]))
        .await
        .expect("part payment");
    let applied = store
        .invoice_applications(org.id, customer.id, inv.id, usd())
        .await
        .expect("applications");
    let mut seen: Vec<(String, i64)> = applied
        .iter()
        .map(|a| {
            let what = match &a.from {
                crate::domain::AppliedFrom::Payment {
                    payment,
                    receipt_number,
                } => {
                    assert_eq!(*payment, paid.id);
                    format!("payment {receipt_number}")
                }
                crate::domain::AppliedFrom::Credit(source) => format!("credit {source:?}"),
            };
            (what, a.amount.to_minor_units().expect("minor"))
        })
        .collect();
    seen.sort();
    let mut expected = vec![
        (format!("payment {}", paid.receipt_number), 1_000),
        (
            format!("credit {:?}", CreditSource::CreditNote(note.id)),
            2_500,
        ),
        (
            format!("credit {:?}", CreditSource::Payment(excess.id)),
            2_000,
        ),
    ];
    expected.sort();
    assert_eq!(seen, expected);
    assert!(
        applied.windows(2).all(|w| w[0].at <= w[1].at),
        "oldest first"
    );
    assert!(
        store
            .invoice_applications(
                org.id,
                customer_in(store, &org, usd()).await.id,
                inv.id,
                usd()
            )
            .await
            .expect("none")
            .is_empty()
    );
}

/// A refund comes out of available credit, never more than there is.
pub async fn refunds_reduce_credit(store: &dyn Store) {
    let org = org(store).await;
    let customer = customer_in(store, &org, usd()).await;
    let stranger = customer_in(store, &org, usd()).await;
    let note = CreditNote {
        id: CreditNoteId::new(),
        org: org.id,
        customer: customer.id,
        number: "RF-CN".into(),
        total: cents(3_000, usd()),
        balance: cents(3_000, usd()),
        issue_date: date!(2026 - 02 - 10),
        created_at: t0(),
    };
    store.create_credit_note(&note).await.expect("note");
    let excess = store
        .record_payment(&recording(&customer, 1_000, &[]))
        .await
        .expect("excess");
    let refund = |source, minor, minutes| crate::domain::Refund {
        id: crate::domain::RefundId::new(),
        org: org.id,
        customer: customer.id,
        source,
        amount: cents(minor, usd()),
        mode: "transfer".into(),
        refunded_at: t0() + Duration::minutes(minutes),
    };
    let first = refund(CreditSource::CreditNote(note.id), 2_000, 1);
    store.record_refund(&first).await.expect("refund note");
    assert!(matches!(
        store
            .record_refund(&refund(CreditSource::CreditNote(note.id), 1_001, 2))
            .await,
        Err(StoreError::Conflict(Rule::CreditAvailable))
    ));
    let second = refund(CreditSource::Payment(excess.id), 1_000, 3);
    store.record_refund(&second).await.expect("refund excess");
    let credits = store
        .available_credits(org.id, customer.id)
        .await
        .expect("credits");
    assert_eq!(credits.len(), 1);
    assert_eq!(credits[0].available, cents(1_000, usd()));
    assert_eq!(
        store
            .customer_refunds(org.id, customer.id)
            .await
            .expect("list"),
        vec![second, first]
    );
    let mut foreign = refund(CreditSource::CreditNote(note.id), 100, 4);
    foreign.customer = stranger.id;
    assert!(matches!(
        store.record_refund(&foreign).await,
        Err(StoreError::NotFound(_))
    ));
    assert!(
        store
            .customer_refunds(org.id, stranger.id)
            .await
            .expect("list")
            .is_empty()
    );
    let f = store
        .dashboard(org.id, customer.id, date!(2026 - 03 - 01))
        .await
        .expect("dashboard");
    assert_eq!(f.available_credits, cents(1_000, usd()));
}

/// What was paid on a retainer invoice is available to settle regular invoices, once.
pub async fn retainer_balance_settles_other_invoices(store: &dyn Store) {
    let org = org(store).await;
    let customer = customer_in(store, &org, usd()).await;
    let mut retainer = Invoice::draft(
        org.id,
        customer.id,
        usd(),
        NewInvoice {
            kind: InvoiceKind::Retainer,
            number: "RET-1".into(),
            lines: vec![LineItem::new("Advance", Decimal::ONE, Decimal::from(50))],
            issue_date: date!(2026 - 02 - 01),
            due_date: date!(2026 - 02 - 10),
            allow_partial_payments: true,
            payment_gateways: vec![],
        },
        t0(),
    )
    .expect("retainer");
    store.invoices().create(&retainer).await.expect("create");
    retainer.status = InvoiceStatus::Sent;
    store.invoices().update(&retainer).await.expect("send");
    store
        .record_payment(&recording(&customer, 4_000, &[retainer.id]))
        .await
        .expect("advance paid");
    let inv = sent("RET-USE", 3_000)
        .issued(date!(2026 - 03 - 01))
        .due(date!(2026 - 03 - 31))
        .for_customer(store, &customer)
        .await;
    let credits = store
        .available_credits(org.id, customer.id)
        .await
        .expect("credits");
    assert_eq!(credits.len(), 1);
    assert_eq!(credits[0].source, CreditSource::Retainer(retainer.id));
    assert_eq!(credits[0].available, cents(4_000, usd()));
    let apply = |invoice, minor| CreditApplication {
        id: crate::domain::ApplicationId::new(),
        org: org.id,
        customer: customer.id,
        source: CreditSource::Retainer(retainer.id),
        invoice,
        amount: cents(minor, usd()),
        applied_at: t0(),
    };
    // Not onto a retainer invoice (itself included): retainers are paid, not credited.
    assert!(matches!(
        store.apply_credit(&apply(retainer.id, 100)).await,
        Err(StoreError::Conflict(Rule::InvoiceBalance))
    ));
    let after = store
        .apply_credit(&apply(inv.id, 3_000))
        .await
        .expect("apply");
    assert_eq!(after.status, InvoiceStatus::Paid);
    let held = store
        .invoices()
        .get(org.id, retainer.id)
        .await
        .expect("retainer");
    assert_eq!(held.drawn, cents(3_000, usd()));
    assert_eq!(
        held.retainer_available().expect("fits"),
        cents(1_000, usd())
    );
    let f = store
        .dashboard(org.id, customer.id, date!(2026 - 03 - 05))
        .await
        .expect("dashboard");
    assert_eq!(f.available_retainer_payments, cents(1_000, usd()));
    let second = sent("RET-USE-2", 5_000)
        .issued(date!(2026 - 03 - 01))
        .due(date!(2026 - 03 - 31))
        .for_customer(store, &customer)
        .await;
    assert!(matches!(
        store.apply_credit(&apply(second.id, 1_001)).await,
        Err(StoreError::Conflict(Rule::CreditAvailable))
    ));
    let refund = crate::domain::Refund {
        id: crate::domain::RefundId::new(),
        org: org.id,
        customer: customer.id,
        source: CreditSource::Retainer(retainer.id),
        amount: cents(1_000, usd()),
        mode: "transfer".into(),
        refunded_at: t0(),
    };
    store.record_refund(&refund).await.expect("refund the rest");
    assert!(
        store
            .available_credits(org.id, customer.id)
            .await
            .expect("credits")
            .is_empty()
    );
    assert_eq!(
        store
            .customer_refunds(org.id, customer.id)
            .await
            .expect("refunds"),
        vec![refund]
    );
}
