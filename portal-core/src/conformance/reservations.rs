//! What a pending Pay Now attempt holds of an invoice is that attempt's: credit,
//! offline payments, other payments and voids leave it alone until the attempt is
//! recorded or fails.

use super::fixtures::{cents, customer_in, org, recording, sent, t0, usd};
use crate::domain::FailureCode;
use crate::domain::{CreditApplication, CreditNote, CreditSource, Customer, OrgId};
use crate::store::{FailureNotice, Rule};
use crate::{
    domain::ApplicationId, domain::AttemptId, domain::AttemptStatus, domain::CreditNoteId,
    domain::InvoiceId, domain::PaymentAttempt, store::AttemptStart, store::Store,
    store::StoreError,
};

fn attempt(
    org: OrgId,
    customer: &Customer,
    key: &str,
    minor: i64,
    invoices: &[InvoiceId],
) -> PaymentAttempt {
    PaymentAttempt {
        id: AttemptId::new(),
        org,
        customer: customer.id,
        contact: None,
        idempotency_key: format!("held-{key}"),
        fingerprint: key.into(),
        amount: cents(minor, customer.currency),
        invoices: invoices.to_vec(),
        gateway: "test".into(),
        status: AttemptStatus::Pending,
        created_at: t0(),
        progress: None,
    }
}

async fn start(store: &dyn Store, a: &PaymentAttempt) {
    assert_eq!(
        store.start_payment_attempt(a).await.expect("start"),
        AttemptStart::Started
    );
}

async fn note(store: &dyn Store, customer: &Customer, minor: i64) -> CreditSource {
    let note = CreditNote {
        id: CreditNoteId::new(),
        org: customer.org,
        customer: customer.id,
        number: format!("CN-{}", &CreditNoteId::new().to_string()[24..]),
        total: cents(minor, customer.currency),
        balance: cents(minor, customer.currency),
        issue_date: t0().date(),
        created_at: t0(),
    };
    store.create_credit_note(&note).await.expect("note");
    CreditSource::CreditNote(note.id)
}

fn application(
    customer: &Customer,
    source: CreditSource,
    invoice: InvoiceId,
    minor: i64,
) -> CreditApplication {
    CreditApplication {
        id: ApplicationId::new(),
        org: customer.org,
        customer: customer.id,
        source,
        invoice,
        amount: cents(minor, customer.currency),
        applied_at: t0(),
    }
}

/// An attempt's hold shows on the invoice (`reserved`) wherever it is read, bumps
/// its version (an update read before it fails), and is given back when the
/// attempt fails.
pub async fn a_reservation_shows_on_the_invoice_and_bumps_its_version(store: &dyn Store) {
    let org = org(store).await;
    let customer = customer_in(store, &org, usd()).await;
    let inv = sent("HOLD-1", 10_000).for_customer(store, &customer).await;
    assert!(inv.reserved.is_zero());
    let a = attempt(org.id, &customer, "a", 6_000, &[inv.id]);
    start(store, &a).await;
    let held = store.invoices().get(org.id, inv.id).await.expect("read");
    assert_eq!(held.reserved, cents(6_000, usd()));
    assert_eq!(held.unreserved(), cents(4_000, usd()));
    assert!(
        held.version > inv.version,
        "a reservation bumps the version"
    );
    assert_eq!(
        store
            .invoices()
            .of_customer(org.id, customer.id, inv.id)
            .await
            .expect("read")
            .reserved,
        cents(6_000, usd())
    );
    // An update made from the read before the reservation fails, changing nothing.
    let mut stale = inv.clone();
    stale.status = crate::domain::InvoiceStatus::Void;
    assert!(matches!(
        store.invoices().update(&stale).await,
        Err(StoreError::ConcurrentModification(_))
    ));
    // An update from a fresh read keeps the reservation as stored.
    let mut fresh = held.clone();
    fresh.reserved = cents(0, usd());
    let kept = store.invoices().update(&fresh).await.expect("update");
    assert_eq!(kept.reserved, cents(6_000, usd()));
    // Several invoices: each shows its part.
    let older = sent("HOLD-0", 2_000)
        .issued(time::macros::date!(2026 - 01 - 01))
        .due(time::macros::date!(2026 - 01 - 15))
        .for_customer(store, &customer)
        .await;
    let b = attempt(org.id, &customer, "b", 3_000, &[inv.id, older.id]);
    start(store, &b).await;
    assert_eq!(
        store
            .invoices()
            .get(org.id, older.id)
            .await
            .expect("read")
            .reserved,
        cents(2_000, usd())
    );
    assert_eq!(
        store
            .invoices()
            .get(org.id, inv.id)
            .await
            .expect("read")
            .reserved,
        cents(7_000, usd())
    );
    for failed in [&a, &b] {
        store
            .fail_payment_attempt(
                org.id,
                failed.id,
                FailureCode::CardDeclined,
                "declined",
                &FailureNotice::default(),
            )
            .await
            .expect("fail");
    }
    for id in [inv.id, older.id] {
        assert!(
            store
                .invoices()
                .get(org.id, id)
                .await
                .expect("read")
                .reserved
                .is_zero()
        );
    }
}

/// Credit applied to an invoice takes only what no attempt holds:
/// `Conflict(Rule::InvoiceReserved)` past it, and the credit is left as it was.
pub async fn credit_leaves_what_an_attempt_holds(store: &dyn Store) {
    let org = org(store).await;
    let customer = customer_in(store, &org, usd()).await;
    let inv = sent("HOLD-2", 10_000).for_customer(store, &customer).await;
    let source = note(store, &customer, 9_000).await;
    start(store, &attempt(org.id, &customer, "c", 6_000, &[inv.id])).await;
    assert!(matches!(
        store
            .apply_credit(&application(&customer, source, inv.id, 4_001))
            .await,
        Err(StoreError::Conflict(Rule::InvoiceReserved))
    ));
    let credits = store
        .available_credits(org.id, customer.id)
        .await
        .expect("credits");
    assert_eq!(
        credits[0].available,
        cents(9_000, usd()),
        "nothing was taken"
    );
    let after = store
        .apply_credit(&application(&customer, source, inv.id, 4_000))
        .await
        .expect("the free part");
    assert_eq!(after.balance, cents(6_000, usd()));
    assert_eq!(after.reserved, cents(6_000, usd()));
    assert!(matches!(
        store
            .apply_credit(&application(&customer, source, inv.id, 1))
            .await,
        Err(StoreError::Conflict(Rule::InvoiceReserved))
    ));
}

/// An offline payment is allocated over what no attempt holds (its excess is
/// credit); an attempt's payment settles what the attempt held, never what another
/// attempt holds, so each attempt's payment, recorded, leaves no excess.
pub async fn payments_settle_their_own_holds_and_leave_others(store: &dyn Store) {
    let org = org(store).await;
    let customer = customer_in(store, &org, usd()).await;
    let older = sent("HOLD-3", 5_000)
        .issued(time::macros::date!(2026 - 01 - 01))
        .due(time::macros::date!(2026 - 01 - 15))
        .for_customer(store, &customer)
        .await;
    let newer = sent("HOLD-4", 5_000).for_customer(store, &customer).await;
    // B holds 30.00 of the older invoice; A, for both, holds the older's free 20.00
    // and 50.00 of the newer.
    let b = attempt(org.id, &customer, "b", 3_000, &[older.id]);
    start(store, &b).await;
    let a = attempt(org.id, &customer, "a", 7_000, &[older.id, newer.id]);
    start(store, &a).await;
    // A cheque for both finds nothing free: all credit.
    let cheque = store
        .record_payment(&recording(&customer, 1_000, &[older.id, newer.id]))
        .await
        .expect("cheque");
    assert!(cheque.allocations.is_empty(), "{cheque:?}");
    assert_eq!(cheque.unapplied, cents(1_000, usd()));
    // A's payment settles what A held, where A held it.
    let mut paid_a = recording(&customer, 7_000, &[older.id, newer.id]);
    paid_a.attempt = Some(a.id);
    let payment = store.record_payment(&paid_a).await.expect("record a");
    assert!(payment.unapplied.is_zero(), "{payment:?}");
    let on = |id: InvoiceId| {
        payment
            .allocations
            .iter()
            .find(|x| x.invoice == id)
            .map(|x| x.amount.to_minor_units().expect("fits"))
    };
    assert_eq!(on(older.id), Some(2_000));
    assert_eq!(on(newer.id), Some(5_000));
    let held = store.invoices().get(org.id, older.id).await.expect("read");
    assert_eq!(held.balance, cents(3_000, usd()));
    assert_eq!(held.reserved, cents(3_000, usd()), "B's hold is untouched");
    // B's payment finds its 30.00 still owed.
    let mut paid_b = recording(&customer, 3_000, &[older.id]);
    paid_b.attempt = Some(b.id);
    let payment = store.record_payment(&paid_b).await.expect("record b");
    assert!(payment.unapplied.is_zero(), "{payment:?}");
    for id in [older.id, newer.id] {
        let inv = store.invoices().get(org.id, id).await.expect("read");
        assert!(inv.balance.is_zero() && inv.reserved.is_zero(), "{inv:?}");
    }
}
