//! Pay Now, receipts, credits and the dashboard through the services, on every
//! backend (I1–I11, H1, N1–N2).

use crate::common;
use crate::on_all_backends;

use common::backends::Env;
use common::paying::{card, money, pay};
use portal_core::domain::{Decision, InvoiceFilter, InvoiceStatus, PaymentMethod, Permissions};
use portal_core::prelude::*;
use portal_memory::cards;
use rust_decimal::Decimal;
use time::macros::date;

async fn pays_one_invoice_and_records_everything(env: Env) {
    let org = env.org().await;
    let (customer, contact, session) = env.signed_in(&org, "USD").await;
    let usd = customer.currency;
    let inv = env.invoice("INV-1", 12_345).sent_to(&org, &customer).await;
    let before = session.dashboard().await.expect("dashboard");
    assert_eq!(before.outstanding_invoices, money(12_345, usd));

    let payment = session
        .invoices()
        .pay(pay(
            InvoiceSelection::Chosen(vec![inv.id]),
            card(cards::VISA_OK),
            "pay-inv-1-attempt",
        ))
        .await
        .expect("paid");
    assert_eq!(payment.amount, money(12_345, usd));
    assert_eq!(payment.allocations.len(), 1);
    assert!(payment.unapplied.is_zero());
    assert_eq!(
        payment.method,
        PaymentMethod::Card {
            brand: "visa".into(),
            last4: "4242".into()
        }
    );
    assert!(
        payment
            .reference
            .as_deref()
            .is_some_and(|r| r.starts_with("ch_test_"))
    );
    let after = session.invoices().get(inv.id).await.expect("invoice");
    assert_eq!(after.status, InvoiceStatus::Paid);
    assert!(after.balance.is_zero());
    let dash = session.dashboard().await.expect("dashboard");
    assert!(dash.outstanding_invoices.is_zero());
    assert_eq!(dash.last_payment.map(|(m, _)| m), Some(money(12_345, usd)));
    assert_eq!(
        session.payments().get(payment.id).await.expect("receipt"),
        payment
    );
    assert_eq!(
        session.payments().list(None, 10).await.expect("list").items,
        vec![payment.clone()]
    );
    assert_eq!(env.gateway.charge_count(), 1);
    // The org is notified and the payer gets a receipt, through the outbox.
    env.portal.dispatch_emails(100).await.expect("dispatch");
    let to_org = env.mailer.sent_to("billing@acme.example.com");
    assert!(
        to_org
            .iter()
            .any(|m| m.subject.contains("paid") && m.body.contains("INV-1"))
    );
    let email = contact.email.expect("email");
    assert!(
        env.mailer
            .sent_to(email.as_str())
            .iter()
            .any(|m| m.subject.starts_with("Receipt") && m.body.contains(&payment.receipt_number))
    );
}

async fn a_retry_with_the_same_key_charges_once(env: Env) {
    let org = env.org().await;
    let (customer, _, session) = env.signed_in(&org, "EUR").await;
    let inv = env
        .invoice("INV-R", 5_000)
        .partial()
        .sent_to(&org, &customer)
        .await;
    let request = || {
        pay(
            InvoiceSelection::Chosen(vec![inv.id]),
            card(cards::VISA_OK),
            "double-click-1",
        )
    };
    let first = session.invoices().pay(request()).await.expect("first");
    let second = session.invoices().pay(request()).await.expect("retry");
    assert_eq!(first, second, "the retry answers with the first payment");
    assert_eq!(env.gateway.charge_count(), 1);
    assert_eq!(
        session
            .payments()
            .list(None, 10)
            .await
            .expect("list")
            .items
            .len(),
        1
    );
    // The same key with other parameters is refused and charges nothing.
    let mut other = request();
    other.amount = Some(money(100, customer.currency));
    assert_eq!(
        session
            .invoices()
            .pay(other)
            .await
            .expect_err("reused")
            .code(),
        "idempotency_key_reused"
    );
    assert_eq!(env.gateway.charge_count(), 1);
    // Concurrent double clicks with one key: one charge, one payment.
    let inv2 = env
        .invoice("INV-R2", 7_000)
        .partial()
        .sent_to(&org, &customer)
        .await;
    let req = || {
        pay(
            InvoiceSelection::Chosen(vec![inv2.id]),
            card(cards::VISA_OK),
            "double-click-2",
        )
    };
    let (a, b) = tokio::join!(session.invoices().pay(req()), session.invoices().pay(req()));
    let ok: Vec<_> = [a, b].into_iter().filter_map(Result::ok).collect();
    assert!(!ok.is_empty());
    assert!(ok.windows(2).all(|w| w[0] == w[1]));
    assert_eq!(env.gateway.charge_count(), 2);
    assert_eq!(
        session
            .payments()
            .list(None, 10)
            .await
            .expect("list")
            .items
            .len(),
        2
    );
}

async fn partial_payments_only_where_allowed(env: Env) {
    let org = env.org().await;
    let (customer, _, session) = env.signed_in(&org, "USD").await;
    let usd = customer.currency;
    let whole = env.invoice("W-1", 10_000).sent_to(&org, &customer).await;
    let part = env
        .invoice("P-1", 10_000)
        .partial()
        .sent_to(&org, &customer)
        .await;
    let mut req = pay(
        InvoiceSelection::Chosen(vec![whole.id]),
        card(cards::VISA_OK),
        "partial-whole",
    );
    req.amount = Some(money(4_000, usd));
    assert_eq!(
        session
            .invoices()
            .pay(req)
            .await
            .expect_err("whole only")
            .code(),
        "partial_payment_not_allowed"
    );
    let mut req = pay(
        InvoiceSelection::Chosen(vec![part.id]),
        card(cards::VISA_OK),
        "partial-too-much",
    );
    req.amount = Some(money(10_001, usd));
    assert_eq!(
        session
            .invoices()
            .pay(req)
            .await
            .expect_err("too much")
            .code(),
        "amount_exceeds_balance"
    );
    let mut req = pay(
        InvoiceSelection::Chosen(vec![part.id]),
        card(cards::VISA_OK),
        "partial-negative",
    );
    req.amount = Some(money(-1, usd));
    assert_eq!(
        session
            .invoices()
            .pay(req)
            .await
            .expect_err("negative")
            .code(),
        "invalid_amount"
    );
    let mut req = pay(
        InvoiceSelection::Chosen(vec![part.id]),
        card(cards::VISA_OK),
        "partial-ok-1",
    );
    req.amount = Some(money(4_000, usd));
    session.invoices().pay(req).await.expect("part payment");
    let inv = session.invoices().get(part.id).await.expect("read");
    assert_eq!(inv.status, InvoiceStatus::PartiallyPaid);
    assert_eq!(inv.balance, money(6_000, usd));
    assert_eq!(
        env.gateway.charge_count(),
        1,
        "refused requests charged nothing"
    );
}

async fn pay_all_outstanding_oldest_due_first(env: Env) {
    let org = env.org().await;
    let (customer, _, session) = env.signed_in(&org, "USD").await;
    let usd = customer.currency;
    let late = env
        .invoice("A-LATE", 3_000)
        .due(date!(2026 - 06 - 30))
        .sent_to(&org, &customer)
        .await;
    let early = env
        .invoice("A-EARLY", 2_000)
        .due(date!(2026 - 04 - 30))
        .sent_to(&org, &customer)
        .await;
    let payment = session
        .invoices()
        .pay(pay(
            InvoiceSelection::AllOutstanding,
            card(cards::MASTERCARD_OK),
            "pay-all-outstanding",
        ))
        .await
        .expect("pay all");
    assert_eq!(payment.amount, money(5_000, usd));
    assert_eq!(payment.allocations[0].invoice, early.id);
    assert_eq!(payment.allocations[1].invoice, late.id);
    assert!(
        session
            .dashboard()
            .await
            .expect("dashboard")
            .outstanding_invoices
            .is_zero()
    );
    assert_eq!(
        session
            .invoices()
            .pay(pay(
                InvoiceSelection::AllOutstanding,
                card(cards::VISA_OK),
                "pay-all-again"
            ))
            .await
            .expect_err("nothing left")
            .code(),
        "nothing_to_pay"
    );
}

async fn the_portal_sees_only_its_own_invoices(env: Env) {
    let org = env.org().await;
    let (customer, _, session) = env.signed_in(&org, "USD").await;
    let (other, _, other_session) = env.signed_in(&org, "USD").await;
    let mine = env.invoice("MINE-1", 1_000).sent_to(&org, &customer).await;
    let theirs = env.invoice("THEIRS-1", 2_000).sent_to(&org, &other).await;
    let draft = env
        .portal
        .org(org.id)
        .invoices()
        .create(
            customer.id,
            NewInvoice {
                kind: InvoiceKind::Invoice,
                number: "DRAFT-1".into(),
                lines: vec![LineItem::new("x", Decimal::ONE, Decimal::ONE)],
                issue_date: date!(2026 - 04 - 01),
                due_date: date!(2026 - 04 - 30),
                allow_partial_payments: false,
                payment_gateways: vec!["test".into()],
            },
        )
        .await
        .expect("draft");
    for id in [theirs.id, draft.id] {
        assert_eq!(
            session.invoices().get(id).await.expect_err("hidden").code(),
            "not_found"
        );
        let req = pay(
            InvoiceSelection::Chosen(vec![id]),
            card(cards::VISA_OK),
            &format!("steal-{id}"),
        );
        assert_eq!(
            session
                .invoices()
                .pay(req)
                .await
                .expect_err("hidden")
                .code(),
            "not_found"
        );
    }
    let mut query = InvoiceQuery::new(date!(2026 - 05 - 04));
    query.filter = InvoiceFilter::All;
    let listed: Vec<_> = session
        .invoices()
        .list(&query)
        .await
        .expect("list")
        .items
        .into_iter()
        .map(|i| i.id)
        .collect();
    assert_eq!(listed, vec![mine.id]);
    let paid = other_session
        .invoices()
        .pay(pay(
            InvoiceSelection::Chosen(vec![theirs.id]),
            card(cards::VISA_OK),
            "theirs-pay-1",
        ))
        .await
        .expect("their payment");
    assert_eq!(
        session
            .payments()
            .get(paid.id)
            .await
            .expect_err("hidden")
            .code(),
        "not_found"
    );
    // Viewing marks the first view and notifies the org once.
    let viewed = session.invoices().get(mine.id).await.expect("view");
    assert!(viewed.viewed_at.is_some());
    session.invoices().get(mine.id).await.expect("view again");
    let pending = env
        .store
        .pending_emails(org.id, 100)
        .await
        .expect("pending");
    assert_eq!(
        pending
            .iter()
            .filter(|e| e.subject.contains("viewed invoice MINE-1"))
            .count(),
        1
    );
}

async fn roles_and_settings_gate_payment(env: Env) {
    let org = env.org().await;
    let (customer, contact, _, token) = env.signed_in_with_token(&org, "USD").await;
    let inv = env.invoice("ROLE-1", 1_000).sent_to(&org, &customer).await;
    let admin = env.portal.org(org.id);
    let viewer = admin
        .roles()
        .create(
            "Viewer",
            Permissions::none()
                .with(Module::Invoices, portal_core::domain::Action::View)
                .expect("perm"),
        )
        .await
        .expect("role");
    admin
        .roles()
        .assign(contact.id, Some(viewer.id))
        .await
        .expect("assign");
    let session = env.portal.session(&token).await.expect("session");
    assert!(matches!(
        session.can(Module::Invoices, portal_core::domain::Action::Pay),
        Decision::Refused(_)
    ));
    let err = session
        .invoices()
        .pay(pay(
            InvoiceSelection::Chosen(vec![inv.id]),
            card(cards::VISA_OK),
            "viewer-pays-1",
        ))
        .await
        .expect_err("forbidden");
    assert_eq!(err.code(), "forbidden");
    session.invoices().get(inv.id).await.expect("may view");
    assert_eq!(
        session
            .payments()
            .list(None, 10)
            .await
            .expect_err("no payments module")
            .code(),
        "forbidden"
    );
    assert_eq!(env.gateway.calls(), 0);
}

on_all_backends!(
    pays_one_invoice_and_records_everything,
    a_retry_with_the_same_key_charges_once,
    partial_payments_only_where_allowed,
    pay_all_outstanding_oldest_due_first,
    the_portal_sees_only_its_own_invoices,
    roles_and_settings_gate_payment,
);
