//! Statements of account through the services, on every backend (D1).
use crate::common;
use crate::on_all_backends;

use common::backends::Env;
use common::paying::{card, money, pay};
use portal_core::prelude::*;
use portal_memory::cards;
use time::macros::date;

async fn statements_follow_the_account(env: Env) {
    let org = env.org().await;
    let (customer, _, session) = env.signed_in(&org, "EUR").await;
    let eur = customer.currency;
    let inv = env
        .invoice("ST-1", 20_000)
        .due(date!(2026 - 04 - 15))
        .partial()
        .sent_to(&org, &customer)
        .await;
    let mut part = pay(
        InvoiceSelection::Chosen(vec![inv.id]),
        card(cards::VISA_OK),
        "statement-pay-1",
    );
    part.amount = Some(money(5_000, eur));
    session.invoices().pay(part).await.expect("part payment");
    let month = session
        .statement(portal_core::domain::StatementPeriod::ThisMonth)
        .await
        .expect("this month");
    // The invoice was issued on 1 April, the payment today (4 May).
    assert_eq!(month.opening, money(20_000, eur));
    assert_eq!(month.entries.len(), 1);
    assert_eq!(
        month.entries[0].kind,
        portal_core::domain::StatementEntryKind::Payment
    );
    assert_eq!(month.closing, money(15_000, eur));
    assert_eq!(
        month.aging.days_1_30,
        money(15_000, eur),
        "due 15 April, 19 days late"
    );
    let year = session
        .statement(portal_core::domain::StatementPeriod::ThisYear)
        .await
        .expect("this year");
    assert!(year.opening.is_zero());
    assert_eq!(year.closing, month.closing);
    let dash = session.dashboard().await.expect("dashboard");
    assert_eq!(year.closing, dash.outstanding_invoices);
    let bad = portal_core::domain::StatementPeriod::Custom {
        from: date!(2026 - 05 - 04),
        to: date!(2026 - 05 - 01),
    };
    assert_eq!(
        session.statement(bad).await.expect_err("backwards").code(),
        "invalid_period"
    );
}

on_all_backends!(statements_follow_the_account,);
