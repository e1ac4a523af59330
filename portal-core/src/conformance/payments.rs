//! Invoices, payments, credits and the dashboard.

use super::fixtures::cents;
use super::fixtures::customer_in;
use super::fixtures::recording;
use super::fixtures::sent;
use time::Duration;
use time::macros::date;

use super::fixtures::{org, t0, usd};
use crate::domain::FailureCode;
use crate::store::{FailureNotice, Rule};
use crate::{
    domain::AttemptId, domain::AttemptStatus, domain::Cursor, domain::InvoiceId,
    domain::InvoiceStatus, domain::PaymentAttempt, store::AttemptStart, store::Store,
    store::StoreError,
};

/// A payment goes to the oldest due invoice first, never beyond a balance; the rest
/// stays on the payment as credit; statuses follow.
pub async fn payment_allocates_oldest_due_first_and_keeps_excess(store: &dyn Store) {
    let org = org(store).await;
    let customer = customer_in(store, &org, usd()).await;
    let later = sent("P-1", 5_000)
        .due(date!(2026 - 04 - 01))
        .for_customer(store, &customer)
        .await;
    let sooner = sent("P-2", 3_000)
        .issued(date!(2026 - 02 - 15))
        .for_customer(store, &customer)
        .await;
    let r = recording(&customer, 10_000, &[later.id, sooner.id]);
    let payment = store.record_payment(&r).await.expect("record");
    assert_eq!(payment.allocations.len(), 2);
    assert_eq!(payment.allocations[0].invoice, sooner.id);
    assert_eq!(payment.allocations[0].amount, cents(3_000, usd()));
    assert_eq!(payment.allocations[1].amount, cents(5_000, usd()));
    assert_eq!(payment.unapplied, cents(2_000, usd()));
    for id in [later.id, sooner.id] {
        let inv = store.invoices().get(org.id, id).await.expect("read");
        assert_eq!(inv.status, InvoiceStatus::Paid);
        assert!(inv.balance.is_zero());
        assert_eq!(inv.paid, inv.total);
        assert!(inv.version > later.version);
    }
    assert_eq!(
        store
            .customer_payment(org.id, customer.id, payment.id)
            .await
            .expect("receipt"),
        payment
    );
    // A payment for an invoice that is already paid is all credit.
    let again = store
        .record_payment(&recording(&customer, 700, &[sooner.id]))
        .await
        .expect("record");
    assert!(again.allocations.is_empty());
    assert_eq!(again.unapplied, cents(700, usd()));
    // Naming an invoice twice does not pay it twice.
    let twice = sent("P-4", 1_000)
        .due(date!(2026 - 02 - 02))
        .for_customer(store, &customer)
        .await;
    let doubled = store
        .record_payment(&recording(&customer, 1_500, &[twice.id, twice.id]))
        .await
        .expect("record");
    assert_eq!(doubled.allocations.len(), 1);
    assert_eq!(doubled.unapplied, cents(500, usd()));
    // Another customer's invoice takes nothing.
    let stranger = customer_in(store, &org, usd()).await;
    let theirs = sent("P-3", 1_000)
        .due(date!(2026 - 02 - 02))
        .for_customer(store, &stranger)
        .await;
    let odd = store
        .record_payment(&recording(&customer, 500, &[theirs.id]))
        .await
        .expect("record");
    assert!(odd.allocations.is_empty());
    assert_eq!(
        store
            .invoices()
            .get(org.id, theirs.id)
            .await
            .expect("read")
            .balance,
        theirs.balance
    );
}

/// An attempt is stored once per key; recording completes it once; failing works
/// only while pending; pending attempts are listed for recovery.
pub async fn payment_attempts_are_idempotent(store: &dyn Store) {
    let org = org(store).await;
    let customer = customer_in(store, &org, usd()).await;
    let inv = sent("A-1", 4_000).for_customer(store, &customer).await;
    let attempt = PaymentAttempt {
        id: AttemptId::new(),
        org: org.id,
        customer: customer.id,
        contact: None,
        idempotency_key: "key-0000001".into(),
        fingerprint: "fp".into(),
        amount: cents(4_000, usd()),
        invoices: vec![inv.id],
        gateway: "test".into(),
        status: AttemptStatus::Pending,
        created_at: t0(),
        progress: None,
    };
    assert_eq!(
        store.start_payment_attempt(&attempt).await.expect("start"),
        AttemptStart::Started
    );
    let mut same_key = attempt.clone();
    same_key.id = AttemptId::new();
    same_key.fingerprint = "other".into();
    assert_eq!(
        store.start_payment_attempt(&same_key).await.expect("start"),
        AttemptStart::Existing(Box::new(attempt.clone()))
    );
    let pending = store
        .pending_payment_attempts(t0() + Duration::seconds(1), 1_000)
        .await
        .expect("pending");
    assert!(pending.iter().any(|a| a.id == attempt.id));
    let mut r = recording(&customer, 4_000, &[inv.id]);
    r.attempt = Some(attempt.id);
    let payment = store.record_payment(&r).await.expect("record");
    let mut again = recording(&customer, 4_000, &[inv.id]);
    again.attempt = Some(attempt.id);
    assert!(matches!(
        store.record_payment(&again).await,
        Err(StoreError::Conflict(Rule::PaymentAttempt))
    ));
    assert!(matches!(
        store.customer_payment(org.id, customer.id, again.id).await,
        Err(StoreError::NotFound(_))
    ));
    let stored = store
        .payment_attempt(org.id, "key-0000001")
        .await
        .expect("read");
    assert_eq!(
        stored.status,
        AttemptStatus::Succeeded {
            payment: payment.id
        }
    );
    assert!(matches!(
        store
            .fail_payment_attempt(
                org.id,
                attempt.id,
                FailureCode::Other,
                "y",
                &FailureNotice::default()
            )
            .await,
        Err(StoreError::Conflict(_))
    ));
    let pending = store
        .pending_payment_attempts(t0() + Duration::seconds(1), 1_000)
        .await
        .expect("pending");
    assert!(!pending.iter().any(|a| a.id == attempt.id));

    let unpaid = sent("A-2", 4_000).for_customer(store, &customer).await;
    let failing = PaymentAttempt {
        id: AttemptId::new(),
        idempotency_key: "key-0000002".into(),
        invoices: vec![unpaid.id],
        ..attempt.clone()
    };
    assert_eq!(
        store.start_payment_attempt(&failing).await.expect("start"),
        AttemptStart::Started
    );
    store
        .fail_payment_attempt(
            org.id,
            failing.id,
            FailureCode::FraudSuspected,
            "blocked",
            &FailureNotice::default(),
        )
        .await
        .expect("fail");
    assert_eq!(
        store
            .payment_attempt(org.id, "key-0000002")
            .await
            .expect("read")
            .status,
        AttemptStatus::Failed {
            code: FailureCode::FraudSuspected,
            message: "blocked".into()
        }
    );
    // A retry under a key whose attempt holds part of an invoice is answered with
    // that attempt and holds nothing more: the rest can still be reserved.
    let part = sent("A-3", 4_000).for_customer(store, &customer).await;
    let first = PaymentAttempt {
        id: AttemptId::new(),
        idempotency_key: "key-0000003".into(),
        amount: cents(1_000, usd()),
        invoices: vec![part.id],
        ..attempt.clone()
    };
    assert_eq!(
        store.start_payment_attempt(&first).await.expect("start"),
        AttemptStart::Started
    );
    let retry = PaymentAttempt {
        id: AttemptId::new(),
        ..first.clone()
    };
    assert_eq!(
        store.start_payment_attempt(&retry).await.expect("retry"),
        AttemptStart::Existing(Box::new(first.clone()))
    );
    let rest = PaymentAttempt {
        id: AttemptId::new(),
        idempotency_key: "key-0000004".into(),
        amount: cents(3_000, usd()),
        invoices: vec![part.id],
        ..attempt.clone()
    };
    assert_eq!(
        store.start_payment_attempt(&rest).await.expect("start"),
        AttemptStart::Started,
        "the retry held nothing"
    );
    // An offline payment recorded meanwhile takes only what no attempt holds
    // (nothing here: all credit), so the attempt's payment still settles all it
    // held and keeps nothing as credit.
    let offline = store
        .record_payment(&recording(&customer, 3_500, &[part.id]))
        .await
        .expect("offline payment");
    assert!(offline.allocations.is_empty());
    assert_eq!(offline.unapplied, cents(3_500, usd()));
    let mut late = recording(&customer, 1_000, &[part.id]);
    late.attempt = Some(first.id);
    let late = store.record_payment(&late).await.expect("record");
    assert_eq!(late.allocations.len(), 1);
    assert_eq!(late.allocations[0].amount, cents(1_000, usd()));
    assert!(late.unapplied.is_zero());
    let settled = store.invoices().get(org.id, part.id).await.expect("read");
    assert_eq!(settled.status, InvoiceStatus::PartiallyPaid);
    assert_eq!(settled.balance, cents(3_000, usd()));
    assert_eq!(settled.reserved, cents(3_000, usd()), "the other attempt's");
    assert_eq!(
        store
            .payment_attempt(org.id, "key-0000003")
            .await
            .expect("read")
            .status,
        AttemptStatus::Succeeded { payment: late.id }
    );

    // Keys are per organization.
    let other = super::fixtures::org(store).await;
    assert!(matches!(
        store.payment_attempt(other.id, "key-0000001").await,
        Err(StoreError::NotFound(_))
    ));
}

/// Payments list newest first, by keyset, with their allocations.
pub async fn payments_page_newest_first(store: &dyn Store) {
    let org = org(store).await;
    let customer = customer_in(store, &org, usd()).await;
    let inv = sent("PP-1", 100_000).for_customer(store, &customer).await;
    let mut ids = Vec::new();
    for n in 0..5 {
        let mut r = recording(&customer, 1_000 + n, &[inv.id]);
        r.paid_at = t0() + Duration::minutes(n);
        ids.push(store.record_payment(&r).await.expect("record").id);
    }
    ids.reverse();
    let mut seen = Vec::new();
    let mut after = None;
    loop {
        let page = store
            .customer_payments(org.id, customer.id, after, 2)
            .await
            .expect("page");
        for p in &page.items {
            assert_eq!(p.allocations.len(), 1);
            assert_eq!(p.allocations[0].amount, p.amount);
        }
        seen.extend(page.items.iter().map(|p| p.id));
        match page.next {
            Some(next) => after = Some(Cursor::decode(&next).expect("cursor")),
            None => break,
        }
    }
    assert_eq!(seen, ids);
    let stranger = customer_in(store, &org, usd()).await;
    assert!(
        store
            .customer_payments(org.id, stranger.id, None, 10)
            .await
            .expect("page")
            .items
            .is_empty()
    );
}

/// A pending attempt holds what it will apply; another attempt for more than the
/// unreserved balance is not stored. Failing an attempt or recording its payment
/// releases what it held.
pub async fn payment_attempts_reserve_what_they_apply(store: &dyn Store) {
    use crate::domain::ReservationRefusal;
    let org = org(store).await;
    let customer = customer_in(store, &org, usd()).await;
    let stranger = customer_in(store, &org, usd()).await;
    let inv = sent("RES-1", 10_000).for_customer(store, &customer).await;
    let theirs = sent("RES-2", 10_000).for_customer(store, &stranger).await;
    let attempt = |key: &str, minor: i64, invoices: Vec<InvoiceId>| PaymentAttempt {
        id: AttemptId::new(),
        org: org.id,
        customer: customer.id,
        contact: None,
        idempotency_key: format!("reserve-{key}"),
        fingerprint: key.into(),
        amount: cents(minor, usd()),
        invoices,
        gateway: "test".into(),
        status: AttemptStatus::Pending,
        created_at: t0(),
        progress: None,
    };
    let start =
        |a: PaymentAttempt| async move { store.start_payment_attempt(&a).await.expect("start") };
    let a = attempt("a", 6_000, vec![inv.id]);
    assert_eq!(start(a.clone()).await, AttemptStart::Started);
    let in_progress = AttemptStart::Refused(ReservationRefusal::InProgress);
    assert_eq!(start(attempt("b", 5_000, vec![inv.id])).await, in_progress);
    assert!(
        matches!(
            store.payment_attempt(org.id, "reserve-b").await,
            Err(StoreError::NotFound(_))
        ),
        "a refused attempt is not stored"
    );
    let c = attempt("c", 4_000, vec![inv.id]);
    assert_eq!(start(c.clone()).await, AttemptStart::Started);
    assert_eq!(start(attempt("d", 1, vec![inv.id])).await, in_progress);
    // The same key is answered with its attempt, whatever is reserved.
    assert_eq!(
        start(attempt("a", 6_000, vec![inv.id])).await,
        AttemptStart::Existing(Box::new(a.clone()))
    );
    // Failing A releases its 60.00.
    store
        .fail_payment_attempt(
            org.id,
            a.id,
            FailureCode::CardDeclined,
            "declined",
            &FailureNotice::default(),
        )
        .await
        .expect("fail");
    let e = attempt("e", 6_000, vec![inv.id]);
    assert_eq!(start(e.clone()).await, AttemptStart::Started);
    // Recording C's payment releases its hold and lowers the balance to 60.00,
    // all of which E holds.
    let mut paid = recording(&customer, 4_000, &[inv.id]);
    paid.attempt = Some(c.id);
    store.record_payment(&paid).await.expect("record");
    assert_eq!(start(attempt("f", 1, vec![inv.id])).await, in_progress);
    store
        .fail_payment_attempt(
            org.id,
            e.id,
            FailureCode::NotCharged,
            "not charged",
            &FailureNotice::default(),
        )
        .await
        .expect("fail");
    assert_eq!(
        start(attempt("g", 6_001, vec![inv.id])).await,
        AttemptStart::Refused(ReservationRefusal::ExceedsBalance {
            available: cents(6_000, usd())
        })
    );
    // Another customer's invoice is nothing to pay for this customer.
    assert_eq!(
        start(attempt("h", 100, vec![theirs.id])).await,
        AttemptStart::Refused(ReservationRefusal::ExceedsBalance {
            available: cents(0, usd())
        })
    );
    // Several invoices: the amount is held oldest due first, like a payment.
    let older = sent("RES-0", 2_000)
        .issued(date!(2026 - 01 - 01))
        .due(date!(2026 - 01 - 15))
        .for_customer(store, &customer)
        .await;
    let both = attempt("i", 8_000, vec![inv.id, older.id]);
    assert_eq!(start(both).await, AttemptStart::Started);
    assert_eq!(start(attempt("j", 1, vec![older.id])).await, in_progress);
    assert_eq!(start(attempt("k", 1, vec![inv.id])).await, in_progress);
}
