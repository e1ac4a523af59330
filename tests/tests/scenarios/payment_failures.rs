//! Pay Now when things go wrong, through the services, on every backend: declines with
//! the seed codes, gateway limits and prerequisites, a lost answer recovered.
use crate::common;
use crate::on_all_backends;

use common::backends::Env;
use common::paying::{card, money, pay};
use portal_core::Duration;
use portal_core::domain::{InvoiceStatus, PaymentMethod};
use portal_core::gateway::BankDetails;
use portal_core::prelude::*;
use portal_memory::cards;
use rust_decimal::Decimal;
use time::macros::date;

async fn declines_carry_the_seed_codes_and_change_nothing(env: Env) {
    let org = env.org().await;
    let (customer, _, session) = env.signed_in(&org, "USD").await;
    let inv = env.invoice("D-1", 9_900).sent_to(&org, &customer).await;
    for (number, code) in [
        (cards::FRAUD, "CP3003"),
        (cards::AVS_FAIL, "CP3004"),
        (cards::DUPLICATE, "CP3005"),
        (cards::DECLINED, "card_declined"),
        (cards::EXPIRED, "card_expired"),
    ] {
        let key = format!("decline-{code}");
        let err = session
            .invoices()
            .pay(pay(
                InvoiceSelection::Chosen(vec![inv.id]),
                card(number),
                &key,
            ))
            .await
            .expect_err("declined");
        assert_eq!(err.code(), code);
        // A retry of the same key answers the same, without a new charge attempt.
        let calls = env.gateway.calls();
        let again = session
            .invoices()
            .pay(pay(
                InvoiceSelection::Chosen(vec![inv.id]),
                card(number),
                &key,
            ))
            .await
            .expect_err("declined again");
        assert_eq!(again.code(), code);
        assert_eq!(env.gateway.calls(), calls);
    }
    env.gateway.set_invalid_credentials(true);
    let err = session
        .invoices()
        .pay(pay(
            InvoiceSelection::Chosen(vec![inv.id]),
            card(cards::VISA_OK),
            "bad-credentials",
        ))
        .await
        .expect_err("credentials");
    assert_eq!(err.code(), "CP3002");
    env.gateway.set_invalid_credentials(false);
    assert_eq!(env.gateway.charge_count(), 0);
    let inv = session.invoices().get(inv.id).await.expect("read");
    assert_eq!(inv.status, InvoiceStatus::Sent);
    assert!(
        session
            .payments()
            .list(None, 10)
            .await
            .expect("list")
            .items
            .is_empty()
    );
    // Every failed attempt gave its hold back: the whole balance is payable.
    let paid = session
        .invoices()
        .pay(pay(
            InvoiceSelection::Chosen(vec![inv.id]),
            card(cards::VISA_OK),
            "after-the-declines",
        ))
        .await
        .expect("the whole balance, after the declines");
    assert_eq!(paid.amount.to_minor_units().expect("minor"), 9_900);
}

async fn gateway_limits_and_payment_prerequisites(env: Env) {
    let org = env.org().await;
    let (customer, _, session, token) = env.signed_in_with_token(&org, "USD").await;
    let usd = customer.currency;
    let admin = env.portal.org(org.id);
    // No gateway associated: offline only.
    let offline = admin
        .invoices()
        .create(
            customer.id,
            NewInvoice {
                kind: InvoiceKind::Invoice,
                number: "OFF-1".into(),
                lines: vec![LineItem::new("x", Decimal::ONE, Decimal::new(1_000, 2))],
                issue_date: date!(2026 - 04 - 01),
                due_date: date!(2026 - 04 - 30),
                allow_partial_payments: false,
                payment_gateways: vec![],
            },
        )
        .await
        .expect("invoice");
    admin.invoices().send(offline.id).await.expect("send");
    let req = pay(
        InvoiceSelection::Chosen(vec![offline.id]),
        card(cards::VISA_OK),
        "no-gateway-1",
    );
    assert_eq!(
        session
            .invoices()
            .pay(req)
            .await
            .expect_err("no gateway")
            .code(),
        "no_payment_gateway"
    );
    // Below the gateway's minimum (CP4001).
    let tiny = env.invoice("TINY", 49).sent_to(&org, &customer).await;
    let req = pay(
        InvoiceSelection::Chosen(vec![tiny.id]),
        card(cards::VISA_OK),
        "tiny-amount-1",
    );
    assert_eq!(
        session
            .invoices()
            .pay(req)
            .await
            .expect_err("minimum")
            .code(),
        "CP4001"
    );
    // Bank payments need the customer's permission.
    let inv = env.invoice("BANK-1", 5_000).sent_to(&org, &customer).await;
    let bank = PaySource::BankAccount(BankDetails {
        routing_number: "110000000".into(),
        account_number: "000123456789".into(),
        holder: "Pat".into(),
    });
    let req = pay(
        InvoiceSelection::Chosen(vec![inv.id]),
        bank.clone(),
        "bank-not-allowed",
    );
    assert_eq!(
        session.invoices().pay(req).await.expect_err("bank").code(),
        "bank_payment_not_allowed"
    );
    let mut c = admin.customers().get(customer.id).await.expect("customer");
    c.may_pay_by_bank_account = true;
    env.store.update_customer(&c).await.expect("allow bank");
    // A fresh resolve of the session sees the change.
    let session = env.portal.session(&token).await.expect("session");
    let payment = session
        .invoices()
        .pay(pay(
            InvoiceSelection::Chosen(vec![inv.id]),
            bank,
            "bank-allowed-1",
        ))
        .await
        .expect("bank payment");
    assert_eq!(
        payment.method,
        PaymentMethod::BankAccount {
            last4: "6789".into()
        }
    );
    // The currency must be one the gateway takes (CP4003).
    env.gateway.refuse_currency(usd);
    let inv = env.invoice("CUR-1", 5_000).sent_to(&org, &customer).await;
    let req = pay(
        InvoiceSelection::Chosen(vec![inv.id]),
        card(cards::VISA_OK),
        "currency-refused",
    );
    assert_eq!(
        session
            .invoices()
            .pay(req)
            .await
            .expect_err("currency")
            .code(),
        "CP4003"
    );
    // Keys must look like keys.
    let req = pay(
        InvoiceSelection::Chosen(vec![inv.id]),
        card(cards::VISA_OK),
        "short",
    );
    assert_eq!(
        session.invoices().pay(req).await.expect_err("key").code(),
        "invalid_idempotency_key"
    );
}

async fn a_lost_answer_is_recovered_and_a_crossing_cheque_becomes_credit(env: Env) {
    let org = env.org().await;
    let (customer, _, session) = env.signed_in(&org, "USD").await;
    let usd = customer.currency;
    let inv = env.invoice("LOST-1", 8_000).sent_to(&org, &customer).await;
    // The gateway charges but the answer never arrives.
    env.gateway.fail_after_charge(1);
    let err = session
        .invoices()
        .pay(pay(
            InvoiceSelection::Chosen(vec![inv.id]),
            card(cards::VISA_OK),
            "lost-answer-1",
        ))
        .await
        .expect_err("pending");
    assert_eq!(err.code(), "payment_pending");
    assert_eq!(env.gateway.charge_count(), 1);
    // Meanwhile the organization records a cheque for the invoice: what the
    // payment in flight holds is not the cheque's to take, so it is all credit.
    let cheque = env
        .portal
        .org(org.id)
        .invoices()
        .record_offline_payment(
            customer.id,
            money(8_000, usd),
            "cheque",
            env.clock_now(),
            &[inv.id],
        )
        .await
        .expect("cheque");
    assert!(cheque.allocations.is_empty());
    assert_eq!(cheque.unapplied, money(8_000, usd));
    // Too early for recovery: nothing happens.
    let report = env
        .portal
        .recover_payments(Duration::minutes(15), 100)
        .await
        .expect("recover");
    assert_eq!(report.recorded, 0);
    env.clock.advance(Duration::minutes(16));
    let report = env
        .portal
        .recover_payments(Duration::minutes(15), 100)
        .await
        .expect("recover");
    assert_eq!(report.recorded, 1);
    // The charge is recorded and settles the invoice it held: no excess.
    let payments = session.payments().list(None, 10).await.expect("list").items;
    let online = payments
        .iter()
        .find(|p| p.reference.is_some())
        .expect("recovered payment");
    assert_eq!(online.allocations.len(), 1);
    assert!(online.unapplied.is_zero());
    assert_eq!(
        session
            .dashboard()
            .await
            .expect("dashboard")
            .available_credits,
        money(8_000, usd)
    );
    let inv = session.invoices().get(inv.id).await.expect("read");
    assert!(!inv.balance.is_negative());
    assert_eq!(inv.status, InvoiceStatus::Paid);
    // The retry with the same key answers with the recovered payment, no new charge.
    let again = session
        .invoices()
        .pay(pay(
            InvoiceSelection::Chosen(vec![inv.id]),
            card(cards::VISA_OK),
            "lost-answer-1",
        ))
        .await
        .expect("recovered");
    assert_eq!(again.id, online.id);
    assert_eq!(env.gateway.charge_count(), 1);

    // A gateway that was down before charging: recovery finds no charge.
    let inv2 = env.invoice("LOST-2", 3_000).sent_to(&org, &customer).await;
    env.gateway.fail_before_charge(1);
    let err = session
        .invoices()
        .pay(pay(
            InvoiceSelection::Chosen(vec![inv2.id]),
            card(cards::VISA_OK),
            "never-charged-1",
        ))
        .await
        .expect_err("pending");
    assert_eq!(err.code(), "payment_pending");
    env.clock.advance(Duration::minutes(16));
    let report = env
        .portal
        .recover_payments(Duration::minutes(15), 100)
        .await
        .expect("recover");
    assert_eq!(report.not_charged, 1);
    assert_eq!(
        session.invoices().get(inv2.id).await.expect("read").status,
        InvoiceStatus::Sent
    );
    // A new key pays it.
    session
        .invoices()
        .pay(pay(
            InvoiceSelection::Chosen(vec![inv2.id]),
            card(cards::VISA_OK),
            "never-charged-2",
        ))
        .await
        .expect("paid with a new key");
}

on_all_backends!(
    declines_carry_the_seed_codes_and_change_nothing,
    gateway_limits_and_payment_prerequisites,
    a_lost_answer_is_recovered_and_a_crossing_cheque_becomes_credit,
);
