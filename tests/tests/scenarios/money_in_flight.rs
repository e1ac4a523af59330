//! Money held by a payment in flight, ceilings on every path that charges, and
//! document links re-checked on every action: found by trying the library as a
//! hostile customer and a careless host would, on every backend.
//!
//! The rule: what a Pay Now attempt holds of an invoice (from the moment it is
//! stored until its payment is recorded or it fails) is that attempt's. A credit
//! applied from the portal takes only the rest (`payment_in_progress` past it), an
//! offline payment is allocated only over the rest (its excess is credit, as any
//! overpayment), and the invoice cannot be voided meanwhile. So the payment in
//! flight, when it is recorded, always settles exactly what it held: the customer
//! is never charged more than owed.

use crate::common;
use crate::on_all_backends;

use common::backends::Env;
use common::paying::card;
use portal_core::Duration;
use portal_core::clock::Clock as _;
use portal_core::domain::{DocumentRef, InvoiceStatus, LinkActions, MAX_AMOUNT_MINOR_UNITS};
use portal_core::prelude::*;
use portal_memory::cards;
use time::macros::date;

fn pay_all(key: &str) -> PayRequest {
    PayRequest {
        invoices: InvoiceSelection::AllOutstanding,
        amount: None,
        source: card(cards::VISA_OK),
        idempotency_key: key.into(),
    }
}

/// The customer pays the whole invoice; the gateway charges but its answer is lost
/// (the payment is in flight until recovery records it).
async fn pay_in_flight(env: &Env, session: &PortalSession, key: &str) {
    env.gateway.fail_after_charge(1);
    let err = session
        .invoices()
        .pay(pay_all(key))
        .await
        .expect_err("the answer is lost");
    assert_eq!(err.code(), "payment_pending");
}

async fn recover(env: &Env) -> portal_core::service::RecoveryReport {
    env.clock.advance(Duration::minutes(20));
    env.portal
        .recover_payments(Duration::minutes(15), 100)
        .await
        .expect("recover")
}

/// A signed-in customer owing one invoice of 100.00 (part payments allowed), with
/// a credit note of `credit_minor` to apply.
async fn owing_100_with_credit(env: &Env, credit_minor: i64) -> (PortalSession, Invoice) {
    let org = env.org().await;
    let (customer, _, session) = env.signed_in(&org, "USD").await;
    let invoice = env
        .invoice("OWED-1", 10_000)
        .partial()
        .sent_to(&org, &customer)
        .await;
    env.portal
        .org(org.id)
        .credits()
        .create_note(
            customer.id,
            "CN-1",
            Money::from_minor_units(credit_minor, customer.currency),
            date!(2026 - 04 - 02),
        )
        .await
        .expect("credit note");
    (session, invoice)
}

/// The case: 100.00 paid in one tab, a 25.00 credit note applied in
/// another while the gateway answers. The credit waits; the payment settles the
/// 100.00 it held; the credit is still the customer's.
async fn credit_cannot_take_what_a_payment_in_flight_holds(env: Env) {
    let (session, invoice) = owing_100_with_credit(&env, 2_500).await;
    let usd = invoice.currency();
    pay_in_flight(&env, &session, "tab-one-pays-all").await;
    let held = session.invoices().get(invoice.id).await.expect("invoice");
    assert_eq!(held.reserved, Money::from_minor_units(10_000, usd));
    assert!(held.unreserved().is_zero());
    for amount in [None, Some(Money::from_minor_units(2_500, usd))] {
        let err = session
            .credits()
            .apply(invoice.id, amount)
            .await
            .expect_err("the balance is held");
        assert_eq!(err.code(), "payment_in_progress", "{amount:?}");
        let err = session
            .credits()
            .preview(invoice.id, amount)
            .await
            .expect_err("the balance is held");
        assert_eq!(err.code(), "payment_in_progress", "{amount:?}");
    }
    // Refused, it changed nothing: the credit is all there.
    let credits = session.credits().list().await.expect("credits");
    assert_eq!(credits.len(), 1);
    assert_eq!(credits[0].available, Money::from_minor_units(2_500, usd));
    assert_eq!(recover(&env).await.recorded, 1);
    let paid = session.invoices().get(invoice.id).await.expect("invoice");
    assert!(paid.balance.is_zero() && paid.reserved.is_zero());
    assert_eq!(paid.paid, Money::from_minor_units(10_000, usd));
    let payments = session.payments().list(None, 10).await.expect("payments");
    assert_eq!(payments.items.len(), 1);
    assert!(
        payments.items[0].unapplied.is_zero(),
        "charged no more than owed: {:?}",
        payments.items[0]
    );
    assert_eq!(env.gateway.charged_minor_units(), 10_000);
    let dash = session.dashboard().await.expect("dashboard");
    assert_eq!(dash.available_credits, Money::from_minor_units(2_500, usd));
}

/// With part of the balance held, credit takes the rest and no more.
async fn credit_takes_only_the_part_no_payment_holds(env: Env) {
    let (session, invoice) = owing_100_with_credit(&env, 9_000).await;
    let usd = invoice.currency();
    env.gateway.fail_after_charge(1);
    let err = session
        .invoices()
        .pay(PayRequest {
            invoices: InvoiceSelection::Chosen(vec![invoice.id]),
            amount: Some(Money::from_minor_units(6_000, usd)),
            source: card(cards::VISA_OK),
            idempotency_key: "part-in-flight".into(),
        })
        .await
        .expect_err("the answer is lost");
    assert_eq!(err.code(), "payment_pending");
    let err = session
        .credits()
        .apply(invoice.id, Some(Money::from_minor_units(4_001, usd)))
        .await
        .expect_err("one cent too many");
    assert_eq!(err.code(), "payment_in_progress");
    let preview = session
        .credits()
        .preview(invoice.id, None)
        .await
        .expect("preview");
    assert_eq!(preview.balance_before, Money::from_minor_units(10_000, usd));
    assert_eq!(preview.balance_after, Money::from_minor_units(6_000, usd));
    let after = session
        .credits()
        .apply(invoice.id, None)
        .await
        .expect("the free part");
    assert_eq!(after.balance, Money::from_minor_units(6_000, usd));
    assert_eq!(after.reserved, Money::from_minor_units(6_000, usd));
    assert_eq!(recover(&env).await.recorded, 1);
    let paid = session.invoices().get(invoice.id).await.expect("invoice");
    assert!(paid.balance.is_zero());
    let payments = session.payments().list(None, 10).await.expect("payments");
    assert!(payments.items[0].unapplied.is_zero());
    let dash = session.dashboard().await.expect("dashboard");
    assert_eq!(dash.available_credits, Money::from_minor_units(5_000, usd));
}

/// An offline payment (a cheque that crosses the card payment) goes only to what
/// the card payment does not hold; its excess is credit, and the card payment,
/// once recorded, leaves none.
async fn an_offline_payment_leaves_what_a_payment_in_flight_holds(env: Env) {
    let org = env.org().await;
    let (customer, _, session) = env.signed_in(&org, "USD").await;
    let usd = customer.currency;
    let admin = env.portal.org(org.id);
    let invoice = env
        .invoice("FLIGHT-3", 10_000)
        .sent_to(&org, &customer)
        .await;
    pay_in_flight(&env, &session, "card-in-flight").await;
    let cheque = admin
        .invoices()
        .record_offline_payment(
            customer.id,
            Money::from_minor_units(10_000, usd),
            "cheque",
            env.clock.now(),
            &[invoice.id],
        )
        .await
        .expect("cheque");
    assert!(cheque.allocations.is_empty(), "{cheque:?}");
    assert_eq!(cheque.unapplied, Money::from_minor_units(10_000, usd));
    assert_eq!(recover(&env).await.recorded, 1);
    let payments = session.payments().list(None, 10).await.expect("payments");
    let card = payments
        .items
        .iter()
        .find(|p| p.reference.is_some())
        .expect("the card payment");
    assert!(card.unapplied.is_zero(), "{card:?}");
    assert_eq!(card.allocations.len(), 1);
    let paid = session.invoices().get(invoice.id).await.expect("invoice");
    assert!(paid.balance.is_zero());
}

/// The organization cannot void an invoice a payment in flight may still charge;
/// once the attempt fails, it can.
async fn void_waits_for_a_payment_in_flight(env: Env) {
    let org = env.org().await;
    let (customer, _, session) = env.signed_in(&org, "USD").await;
    let admin = env.portal.org(org.id);
    let invoice = env
        .invoice("FLIGHT-4", 10_000)
        .sent_to(&org, &customer)
        .await;
    env.gateway.fail_before_charge(1);
    let err = session
        .invoices()
        .pay(pay_all("void-race"))
        .await
        .expect_err("no answer");
    assert_eq!(err.code(), "payment_pending");
    let err = admin
        .invoices()
        .void(invoice.id)
        .await
        .expect_err("in flight");
    assert_eq!(err.code(), "payment_in_progress");
    assert_eq!(
        admin
            .invoices()
            .get(invoice.id)
            .await
            .expect("invoice")
            .status,
        InvoiceStatus::Sent,
        "refused, it changed nothing"
    );
    // Recovery finds no charge: the hold is released and the void goes through.
    assert_eq!(recover(&env).await.not_charged, 1);
    let void = admin.invoices().void(invoice.id).await.expect("void");
    assert_eq!(void.status, InvoiceStatus::Void);
}

/// "Pay all outstanding", or invoices chosen without an amount, charges the sum
/// of their balances: that sum passes the same per-payment ceiling as a typed
/// amount, before the gateway is called.
async fn paying_without_an_amount_passes_the_per_payment_ceiling(env: Env) {
    let org = env.org().await;
    let (customer, _, session) = env.signed_in(&org, "USD").await;
    let a = env
        .invoice("MAX-1", MAX_AMOUNT_MINOR_UNITS)
        .sent_to(&org, &customer)
        .await;
    let b = env
        .invoice("MAX-2", MAX_AMOUNT_MINOR_UNITS)
        .sent_to(&org, &customer)
        .await;
    let calls = env.gateway.calls();
    let err = session
        .invoices()
        .pay(pay_all("pay-all-too-much"))
        .await
        .expect_err("over the ceiling");
    assert_eq!(err.code(), "invalid_amount", "{err}");
    let err = session
        .invoices()
        .pay(PayRequest {
            invoices: InvoiceSelection::Chosen(vec![a.id, b.id]),
            amount: None,
            source: card(cards::VISA_OK),
            idempotency_key: "chosen-too-much".into(),
        })
        .await
        .expect_err("over the ceiling");
    assert_eq!(err.code(), "invalid_amount", "{err}");
    assert_eq!(env.gateway.calls(), calls, "refused before the gateway");
    assert!(
        session
            .payments()
            .list(None, 10)
            .await
            .expect("payments")
            .items
            .is_empty()
    );
    // One of them alone is at the ceiling: that is a payment the library takes.
    let paid = session
        .invoices()
        .pay(PayRequest {
            invoices: InvoiceSelection::Chosen(vec![a.id]),
            amount: None,
            source: card(cards::VISA_OK),
            idempotency_key: "one-at-the-ceiling".into(),
        })
        .await
        .expect("at the ceiling");
    assert_eq!(paid.amount.to_minor_units(), Ok(MAX_AMOUNT_MINOR_UNITS));
}

/// A link opened before it was revoked (or before its contact lost access, or its
/// invoice was voided) stops working for every action, viewing included.
async fn an_open_document_link_is_checked_again_on_every_action(env: Env) {
    let org = env.org().await;
    let (customer, contact, _) = env.signed_in(&org, "USD").await;
    let admin = env.portal.org(org.id);
    let all = LinkActions {
        download: true,
        pay: true,
        decide: false,
    };
    let invoice = env.invoice("LINK-1", 10_000).sent_to(&org, &customer).await;
    // Revoked after it was opened.
    let (link, token) = admin
        .links()
        .send(DocumentRef::Invoice(invoice.id), contact.id, all)
        .await
        .expect("link");
    let access = env.portal.open_link(token.expose()).await.expect("open");
    access.view().await.expect("live");
    admin.links().revoke(link.id).await.expect("revoke");
    assert_eq!(
        access.view().await.expect_err("revoked").code(),
        "link_revoked"
    );
    assert_eq!(
        access.document().await.expect_err("revoked").code(),
        "link_revoked"
    );
    assert_eq!(
        access.download().await.expect_err("revoked").code(),
        "link_revoked"
    );
    let calls = env.gateway.calls();
    let err = access
        .pay(card(cards::VISA_OK), None, "revoked-link-pay".into())
        .await
        .expect_err("revoked");
    assert_eq!(err.code(), "link_revoked");
    assert_eq!(env.gateway.calls(), calls);
    // Expired while open.
    let (_, token) = admin
        .links()
        .send(DocumentRef::Invoice(invoice.id), contact.id, all)
        .await
        .expect("link");
    let access = env.portal.open_link(token.expose()).await.expect("open");
    env.clock.advance(Duration::days(31));
    assert_eq!(
        access.view().await.expect_err("expired").code(),
        "link_expired"
    );
    env.clock.advance(-Duration::days(31));
    // Its contact lost portal access while it was open.
    let (_, token) = admin
        .links()
        .send(DocumentRef::Invoice(invoice.id), contact.id, all)
        .await
        .expect("link");
    let access = env.portal.open_link(token.expose()).await.expect("open");
    admin.contacts().disable(contact.id).await.expect("disable");
    assert_eq!(
        access.download().await.expect_err("disabled").code(),
        "link_revoked"
    );
    assert_eq!(
        access.view().await.expect_err("disabled").code(),
        "link_revoked"
    );
    // The invoice was voided while it was open.
    let (other, other_contact, _) = env.signed_in(&org, "USD").await;
    let second = env.invoice("LINK-2", 10_000).sent_to(&org, &other).await;
    let (_, token) = admin
        .links()
        .send(DocumentRef::Invoice(second.id), other_contact.id, all)
        .await
        .expect("link");
    let access = env.portal.open_link(token.expose()).await.expect("open");
    admin.invoices().void(second.id).await.expect("void");
    let err = access
        .pay(card(cards::VISA_OK), None, "void-link-pay".into())
        .await
        .expect_err("void");
    assert_eq!(err.code(), "link_revoked");
    assert_eq!(
        access.view().await.expect_err("void").code(),
        "link_revoked"
    );
}

on_all_backends!(
    credit_cannot_take_what_a_payment_in_flight_holds,
    credit_takes_only_the_part_no_payment_holds,
    an_offline_payment_leaves_what_a_payment_in_flight_holds,
    void_waits_for_a_payment_in_flight,
    paying_without_an_amount_passes_the_per_payment_ceiling,
    an_open_document_link_is_checked_again_on_every_action,
);
