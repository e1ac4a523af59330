//! Sales orders through the services on every backend (S1–S2).

use crate::common;
use crate::on_all_backends;

use common::backends::Env;
use portal_core::domain::{NewSalesOrder, SalesOrderEvent, SalesOrderQuery, SalesOrderStatus};
use portal_core::prelude::*;
use rust_decimal::Decimal;
use time::macros::date;

async fn visible_only_when_enabled_with_their_invoices(env: Env) {
    let org = env.org().await;
    let (customer, _, session, token) = env.signed_in_with_token(&org, "USD").await;
    let (_, _, _, other_token) = env.signed_in_with_token(&org, "USD").await;
    let admin = env.portal.org(org.id);
    let order = admin
        .sales_orders()
        .create(
            customer.id,
            NewSalesOrder {
                number: "SO-100".into(),
                lines: vec![LineItem::new(
                    "Widgets",
                    Decimal::from(10),
                    Decimal::from(12),
                )],
                order_date: date!(2026 - 04 - 20),
                shipment_date: None,
            },
        )
        .await
        .expect("order");
    // Off by default: the module is hidden, with the setting as the reason.
    assert_eq!(
        session
            .sales_orders()
            .list(&SalesOrderQuery::new())
            .await
            .expect_err("off")
            .code(),
        "forbidden"
    );
    admin
        .update_settings(|s| s.preferences.show_sales_orders = true)
        .await
        .expect("on");
    let session = env.portal.session(&token).await.expect("session");
    // Drafts stay hidden.
    assert!(
        session
            .sales_orders()
            .list(&SalesOrderQuery::new())
            .await
            .expect("list")
            .items
            .is_empty()
    );
    assert_eq!(
        session
            .sales_orders()
            .get(order.id)
            .await
            .expect_err("draft")
            .code(),
        "not_found"
    );
    admin
        .sales_orders()
        .move_to(order.id, SalesOrderEvent::Open)
        .await
        .expect("confirm");
    let listed = session
        .sales_orders()
        .list(&SalesOrderQuery::new())
        .await
        .expect("list");
    assert_eq!(listed.items.len(), 1);
    let seen = session.sales_orders().get(order.id).await.expect("view");
    assert!(seen.viewed_at.is_some());
    assert_eq!(seen.total.amount(), Decimal::from(120));
    // Invoices raised from it show on it once sent (S2).
    let raised = admin
        .invoices()
        .create(
            customer.id,
            NewInvoice {
                kind: InvoiceKind::Invoice,
                number: "INV-SO-100".into(),
                lines: seen.lines.clone(),
                issue_date: date!(2026 - 05 - 01),
                due_date: date!(2026 - 05 - 31),
                allow_partial_payments: false,
                payment_gateways: vec![],
            },
        )
        .await
        .expect("invoice");
    let linked = admin
        .sales_orders()
        .link_invoice(order.id, raised.id, true)
        .await
        .expect("link");
    assert_eq!(linked.status, SalesOrderStatus::Invoiced);
    assert!(
        session
            .sales_orders()
            .invoices(order.id)
            .await
            .expect("invoices")
            .is_empty(),
        "draft invoice hidden"
    );
    admin.invoices().send(raised.id).await.expect("send");
    let shown = session
        .sales_orders()
        .invoices(order.id)
        .await
        .expect("invoices");
    assert_eq!(
        shown.iter().map(|i| i.number.as_str()).collect::<Vec<_>>(),
        vec!["INV-SO-100"]
    );
    assert_eq!(
        admin
            .sales_orders()
            .move_to(order.id, SalesOrderEvent::Void)
            .await
            .expect_err("invoiced")
            .code(),
        "invalid_state"
    );
    // It can be forwarded like a quote or an invoice (D3).
    session
        .messages()
        .forward(
            portal_core::domain::DocumentRef::SalesOrder(order.id),
            "warehouse@payer.example.com",
            None,
        )
        .await
        .expect("forward");
    // The org was told about the first view; another customer sees nothing.
    env.portal.dispatch_emails(100).await.expect("dispatch");
    assert!(
        env.mailer
            .sent_to("billing@acme.example.com")
            .iter()
            .any(|m| m.subject.contains("viewed sales order SO-100"))
    );
    let other = env
        .portal
        .session(&other_token)
        .await
        .expect("other session");
    assert_eq!(
        other
            .sales_orders()
            .get(order.id)
            .await
            .expect_err("foreign")
            .code(),
        "not_found"
    );
    assert_eq!(
        other
            .sales_orders()
            .invoices(order.id)
            .await
            .expect_err("foreign")
            .code(),
        "not_found"
    );
    assert!(
        other
            .sales_orders()
            .list(&SalesOrderQuery::new())
            .await
            .expect("list")
            .items
            .is_empty()
    );
}

on_all_backends!(visible_only_when_enabled_with_their_invoices);
