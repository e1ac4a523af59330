//! Payments the gateway answered "not yet" for: an attempt waiting for the
//! customer's bank or processing keeps its reservation, moves only forward, shows
//! among the customer's pending payments, and leaves "pending" once, with what it
//! tells queued in the same operation.

use super::fixtures::{
    activity_ids, cents, customer_in, email_for, notice, org, sent, t0, unique_email, usd,
};
use crate::domain::{
    ActivitySubject, AttemptId, AttemptProgress, AttemptStage, AttemptStatus, Customer,
    DocumentRef, EmailKind, FailureCode, InvoiceId, OrgId, PaymentAttempt,
};
use crate::store::{AttemptStart, FailureNotice, Rule, Store, StoreError};

fn attempt(
    org: OrgId,
    customer: &Customer,
    key: &str,
    minor: i64,
    invoice: InvoiceId,
) -> PaymentAttempt {
    PaymentAttempt {
        id: AttemptId::new(),
        org,
        customer: customer.id,
        contact: None,
        idempotency_key: format!("staged-{key}"),
        fingerprint: key.into(),
        amount: cents(minor, customer.currency),
        invoices: vec![invoice],
        gateway: "test".into(),
        status: AttemptStatus::Pending,
        created_at: t0(),
        progress: None,
    }
}

fn progress(stage: AttemptStage, reference: &str, minutes: i64) -> AttemptProgress {
    AttemptProgress {
        stage,
        reference: reference.into(),
        since: t0() + time::Duration::minutes(minutes),
    }
}

/// Staging keeps the reservation; the stage moves forward only (none → waiting for
/// the bank → processing), a repeat is a no-op that queues nothing, and an attempt
/// that left "pending" can no longer be staged. The customer's pending payments are
/// the staged pending attempts of that customer, newest first, read back exactly.
pub async fn a_staged_attempt_keeps_its_reservation_and_moves_only_forward(store: &dyn Store) {
    let org = org(store).await;
    let customer = customer_in(store, &org, usd()).await;
    let other = customer_in(store, &org, usd()).await;
    let inv = sent("STAGE-1", 10_000).for_customer(store, &customer).await;
    let a = attempt(org.id, &customer, "a", 6_000, inv.id);
    assert_eq!(
        store.start_payment_attempt(&a).await.expect("start"),
        AttemptStart::Started
    );
    assert!(
        store
            .customer_pending_attempts(org.id, customer.id)
            .await
            .expect("pending")
            .is_empty(),
        "an attempt the gateway has not answered yet is not shown as pending"
    );
    let n = notice(
        store,
        org.id,
        customer.id,
        ActivitySubject::Document(DocumentRef::Invoice(inv.id)),
        None,
    )
    .await;
    let waiting = progress(AttemptStage::RequiresAction, "pi_1", 1);
    assert!(
        store
            .stage_payment_attempt(org.id, a.id, &waiting, Some(&n))
            .await
            .expect("stage")
    );
    // A repeat is a duplicate: nothing changes, nothing is queued again.
    assert!(
        !store
            .stage_payment_attempt(org.id, a.id, &waiting, Some(&n))
            .await
            .expect("again")
    );
    assert_eq!(
        activity_ids(store, org.id, customer.id).await,
        vec![n.activity.id]
    );
    let processing = progress(AttemptStage::Processing, "pi_1", 2);
    assert!(
        store
            .stage_payment_attempt(org.id, a.id, &processing, None)
            .await
            .expect("forward")
    );
    // Never back.
    assert!(
        !store
            .stage_payment_attempt(org.id, a.id, &waiting, None)
            .await
            .expect("back")
    );
    let read = store
        .payment_attempt(org.id, &a.idempotency_key)
        .await
        .expect("read");
    assert_eq!(read.progress, Some(processing.clone()));
    assert_eq!(read.status, AttemptStatus::Pending);
    assert_eq!(
        store
            .invoices()
            .get(org.id, inv.id)
            .await
            .expect("invoice")
            .reserved,
        cents(6_000, usd()),
        "the reservation stays while the payment is processing"
    );
    // A second, older-stage attempt of the same customer, and one of another.
    let inv2 = sent("STAGE-2", 5_000).for_customer(store, &customer).await;
    let mut b = attempt(org.id, &customer, "b", 5_000, inv2.id);
    b.created_at = t0() + time::Duration::minutes(5);
    store.start_payment_attempt(&b).await.expect("start b");
    store
        .stage_payment_attempt(
            org.id,
            b.id,
            &progress(AttemptStage::RequiresAction, "pi_2", 6),
            None,
        )
        .await
        .expect("stage b");
    let theirs_inv = sent("STAGE-3", 5_000).for_customer(store, &other).await;
    let theirs = attempt(org.id, &other, "c", 5_000, theirs_inv.id);
    store.start_payment_attempt(&theirs).await.expect("start c");
    store
        .stage_payment_attempt(
            org.id,
            theirs.id,
            &progress(AttemptStage::Processing, "pi_3", 1),
            None,
        )
        .await
        .expect("stage c");
    let pending = store
        .customer_pending_attempts(org.id, customer.id)
        .await
        .expect("pending");
    assert_eq!(
        pending.iter().map(|p| p.id).collect::<Vec<_>>(),
        vec![b.id, a.id],
        "the customer's own, newest first"
    );
    assert_eq!(pending[1].progress, Some(processing));
    assert_eq!(pending[1].amount, cents(6_000, usd()));
    // Another organization sees nothing and cannot stage it.
    let elsewhere = super::fixtures::org(store).await;
    assert!(
        store
            .customer_pending_attempts(elsewhere.id, customer.id)
            .await
            .expect("pending")
            .is_empty()
    );
    assert!(matches!(
        store
            .stage_payment_attempt(
                elsewhere.id,
                a.id,
                &progress(AttemptStage::Processing, "x", 9),
                None
            )
            .await,
        Err(StoreError::NotFound(_))
    ));
    // Once failed it is no longer pending: not shown, not staged.
    store
        .fail_payment_attempt(
            org.id,
            b.id,
            FailureCode::AuthenticationFailed,
            "refused",
            &FailureNotice::default(),
        )
        .await
        .expect("fail");
    assert!(matches!(
        store
            .stage_payment_attempt(
                org.id,
                b.id,
                &progress(AttemptStage::Processing, "pi_2", 9),
                None
            )
            .await,
        Err(StoreError::Conflict(Rule::PaymentAttempt))
    ));
    assert_eq!(
        store
            .customer_pending_attempts(org.id, customer.id)
            .await
            .expect("pending")
            .iter()
            .map(|p| p.id)
            .collect::<Vec<_>>(),
        vec![a.id]
    );
    assert!(
        store
            .invoices()
            .get(org.id, inv2.id)
            .await
            .expect("invoice")
            .reserved
            .is_zero()
    );
}

/// Failing an attempt releases its reservation and queues the customer's email and
/// the organization's notice in the same operation; failing it again is a conflict
/// that queues nothing.
pub async fn failing_an_attempt_queues_what_it_tells_once(store: &dyn Store) {
    let org = org(store).await;
    let customer = customer_in(store, &org, usd()).await;
    let inv = sent("FAIL-1", 8_000).for_customer(store, &customer).await;
    let a = attempt(org.id, &customer, "f", 8_000, inv.id);
    store.start_payment_attempt(&a).await.expect("start");
    store
        .stage_payment_attempt(
            org.id,
            a.id,
            &progress(AttemptStage::Processing, "pi_f", 1),
            None,
        )
        .await
        .expect("stage");
    let to = unique_email("payer");
    let email = email_for(org.id, &to, EmailKind::CustomerNotification);
    let n = notice(
        store,
        org.id,
        customer.id,
        ActivitySubject::Document(DocumentRef::Invoice(inv.id)),
        None,
    )
    .await;
    let tell = FailureNotice {
        emails: vec![email.clone()],
        notice: Some(n.clone()),
    };
    store
        .fail_payment_attempt(org.id, a.id, FailureCode::DebitFailed, "returned", &tell)
        .await
        .expect("fail");
    let read = store
        .payment_attempt(org.id, &a.idempotency_key)
        .await
        .expect("read");
    assert_eq!(
        read.status,
        AttemptStatus::Failed {
            code: FailureCode::DebitFailed,
            message: "returned".into()
        }
    );
    let invoice = store.invoices().get(org.id, inv.id).await.expect("invoice");
    assert!(invoice.reserved.is_zero());
    assert_eq!(
        invoice.balance,
        cents(8_000, usd()),
        "the invoice is as it was"
    );
    let queued = || async {
        store
            .pending_emails(org.id, 100)
            .await
            .expect("emails")
            .into_iter()
            .filter(|e| e.to == to)
            .count()
    };
    assert_eq!(queued().await, 1);
    assert_eq!(
        activity_ids(store, org.id, customer.id).await,
        vec![n.activity.id]
    );
    let again = FailureNotice {
        emails: vec![email_for(org.id, &to, EmailKind::CustomerNotification)],
        notice: None,
    };
    assert!(matches!(
        store
            .fail_payment_attempt(org.id, a.id, FailureCode::DebitFailed, "returned", &again)
            .await,
        Err(StoreError::Conflict(Rule::PaymentAttempt))
    ));
    assert_eq!(queued().await, 1, "a repeated failure queues nothing");
}
