//! Credits through the services, on every backend, previewed and applied; retainer
//! payments settling later invoices (I10, I11).
use crate::common;
use crate::on_all_backends;

use common::backends::Env;
use common::paying::{card, money, pay};
use portal_core::domain::InvoiceStatus;
use portal_core::prelude::*;
use portal_memory::cards;
use rust_decimal::Decimal;
use time::macros::date;

async fn credits_are_previewed_then_applied(env: Env) {
    let org = env.org().await;
    let (customer, _, session) = env.signed_in(&org, "BHD").await;
    let bhd = customer.currency;
    let admin = env.portal.org(org.id);
    let inv = env.invoice("CR-1", 10_000).sent_to(&org, &customer).await;
    admin
        .credits()
        .create_note(
            customer.id,
            "CN-1",
            money(2_500, bhd),
            date!(2026 - 04 - 02),
        )
        .await
        .expect("note");
    admin
        .invoices()
        .record_offline_payment(
            customer.id,
            money(1_000, bhd),
            "transfer",
            env.clock_now(),
            &[],
        )
        .await
        .expect("advance");
    assert_eq!(
        session.dashboard().await.expect("dash").available_credits,
        money(3_500, bhd)
    );
    let preview = session
        .credits()
        .preview(inv.id, None)
        .await
        .expect("preview");
    assert_eq!(preview.balance_before, money(10_000, bhd));
    assert_eq!(preview.balance_after, money(6_500, bhd));
    assert_eq!(preview.applications.len(), 2);
    // The preview changed nothing.
    assert_eq!(
        session.invoices().get(inv.id).await.expect("read").balance,
        money(10_000, bhd)
    );
    let after = session.credits().apply(inv.id, None).await.expect("apply");
    assert_eq!(after.balance, money(6_500, bhd));
    assert_eq!(after.status, InvoiceStatus::PartiallyPaid);
    assert!(session.credits().list().await.expect("credits").is_empty());
    assert_eq!(
        session
            .credits()
            .apply(inv.id, None)
            .await
            .expect_err("none left")
            .code(),
        "credit_not_available"
    );
    let dash = session.dashboard().await.expect("dash");
    assert!(dash.available_credits.is_zero());
    assert_eq!(dash.outstanding_invoices, money(6_500, bhd));
}

async fn a_paid_retainer_settles_later_invoices(env: Env) {
    let org = env.org().await;
    let (customer, _, session) = env.signed_in(&org, "USD").await;
    let usd = customer.currency;
    let admin = env.portal.org(org.id);
    let retainer = admin
        .invoices()
        .create(
            customer.id,
            NewInvoice {
                kind: InvoiceKind::Retainer,
                number: "RET-A".into(),
                lines: vec![LineItem::new("Advance", Decimal::ONE, Decimal::from(300))],
                issue_date: date!(2026 - 04 - 01),
                due_date: date!(2026 - 04 - 10),
                allow_partial_payments: false,
                payment_gateways: vec!["test".into()],
            },
        )
        .await
        .expect("retainer");
    admin.invoices().send(retainer.id).await.expect("send");
    let before = session.dashboard().await.expect("dash");
    assert_eq!(before.outstanding_retainers, money(30_000, usd));
    session
        .invoices()
        .pay(pay(
            InvoiceSelection::Chosen(vec![retainer.id]),
            card(cards::VISA_OK),
            "retainer-pay-1",
        ))
        .await
        .expect("pay the retainer");
    let dash = session.dashboard().await.expect("dash");
    assert!(dash.outstanding_retainers.is_zero());
    assert_eq!(dash.available_retainer_payments, money(30_000, usd));
    let inv = env
        .invoice("AFTER-RET", 12_000)
        .sent_to(&org, &customer)
        .await;
    let preview = session
        .credits()
        .preview(inv.id, None)
        .await
        .expect("preview");
    assert_eq!(
        preview
            .applications
            .iter()
            .map(|u| (u.source, u.amount, u.number.as_str()))
            .collect::<Vec<_>>(),
        vec![(
            portal_core::domain::CreditSource::Retainer(retainer.id),
            money(12_000, usd),
            retainer.number.as_str()
        )]
    );
    let paid = session.credits().apply(inv.id, None).await.expect("apply");
    assert_eq!(paid.status, InvoiceStatus::Paid);
    let dash = session.dashboard().await.expect("dash");
    assert_eq!(dash.available_retainer_payments, money(18_000, usd));
    assert!(dash.outstanding_invoices.is_zero());
    assert_eq!(
        env.gateway.charge_count(),
        1,
        "the invoice was settled without a second charge"
    );
}

on_all_backends!(
    credits_are_previewed_then_applied,
    a_paid_retainer_settles_later_invoices,
);
