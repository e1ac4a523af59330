//! The activity feed (N3) and the org's notification preferences (N1) on every
//! backend: every portal event lands in the feed, in the same operation as the
//! change; the org's email follows its preferences; a failed action records nothing.

use crate::common;
use crate::on_all_backends;

use std::collections::BTreeSet;

use common::backends::Env;
use portal_core::domain::{
    ActivitySubject, CommentTarget, NewQuote, NewSalesOrder, OrgNotifications, PortalEvent,
    SalesOrderEvent,
};
use portal_core::prelude::*;
use portal_memory::cards;
use rust_decimal::Decimal;
use time::macros::date;

async fn every_event_is_in_the_feed(env: Env) {
    let org = env.org().await;
    let admin = env.portal.org(org.id);
    // The org wants email about payments only.
    admin
        .update_settings(|s| {
            s.preferences.show_sales_orders = true;
            s.preferences.org_notifications =
                OrgNotifications::Chosen(BTreeSet::from([PortalEvent::Paid]));
        })
        .await
        .expect("preferences");
    let (customer, contact, _, token) = env.signed_in_with_token(&org, "USD").await;
    let (other, _, _) = env.signed_in(&org, "USD").await;
    let invoice = admin
        .invoices()
        .create(
            customer.id,
            NewInvoice {
                kind: InvoiceKind::Invoice,
                number: "INV-F-1".into(),
                lines: vec![LineItem::new("Work", Decimal::ONE, Decimal::from(300))],
                issue_date: date!(2026 - 05 - 01),
                due_date: date!(2026 - 05 - 31),
                allow_partial_payments: true,
                payment_gateways: vec!["test".into()],
            },
        )
        .await
        .expect("invoice");
    admin.invoices().send(invoice.id).await.expect("send");
    let mut quotes = Vec::new();
    for n in 0..2 {
        let q = admin
            .quotes()
            .create(
                customer.id,
                NewQuote {
                    number: format!("Q-F-{n}"),
                    lines: vec![LineItem::new("Plan", Decimal::ONE, Decimal::from(90))],
                    issue_date: date!(2026 - 05 - 01),
                    expiry_date: date!(2026 - 06 - 30),
                },
            )
            .await
            .expect("quote");
        admin.quotes().send(q.id).await.expect("send quote");
        quotes.push(q);
    }
    let order = admin
        .sales_orders()
        .create(
            customer.id,
            NewSalesOrder {
                number: "SO-F-1".into(),
                lines: vec![LineItem::new("Kit", Decimal::ONE, Decimal::from(40))],
                order_date: date!(2026 - 05 - 01),
                shipment_date: None,
            },
        )
        .await
        .expect("order");
    admin
        .sales_orders()
        .move_to(order.id, SalesOrderEvent::Open)
        .await
        .expect("open");
    let session = env.portal.session(&token).await.expect("session");
    session
        .sales_orders()
        .get(order.id)
        .await
        .expect("view order");

    session
        .invoices()
        .get(invoice.id)
        .await
        .expect("view invoice");
    session
        .invoices()
        .get(invoice.id)
        .await
        .expect("view again: no new row");
    let seen = session
        .quotes()
        .get(quotes[0].id)
        .await
        .expect("view quote");
    session
        .quotes()
        .accept(quotes[0].id, &seen.content_hash(), None)
        .await
        .expect("accept");
    session
        .quotes()
        .decline(quotes[1].id, Some("Too early"))
        .await
        .expect("decline");
    session
        .comments()
        .add(
            CommentTarget::Document(portal_core::domain::DocumentRef::Invoice(invoice.id)),
            "Paid today",
        )
        .await
        .expect("comment");
    let payment = session
        .invoices()
        .pay(PayRequest {
            invoices: InvoiceSelection::Chosen(vec![invoice.id]),
            amount: Some(Money::from_minor_units(10_000, customer.currency)),
            source: PaySource::Card(Box::new(CardDetails {
                number: cards::VISA_OK.into(),
                cvv: "123".into(),
                exp_month: 1,
                exp_year: 2031,
                holder: "Pat".into(),
                billing_address: portal_core::domain::Address::default(),
                country: "US".into(),
            })),
            idempotency_key: "feed-payment-1".into(),
        })
        .await
        .expect("pay");
    let mut details = session.profile().get().await.expect("details");
    details.phone = "+1 555 0100".into();
    session.profile().update(details).await.expect("details");
    let review = session
        .reviews()
        .write("Quick and clear.")
        .await
        .expect("review");
    let file = session
        .files()
        .upload("notes.txt", b"see attached")
        .await
        .expect("upload");

    // Failed actions record nothing.
    assert!(
        session
            .comments()
            .add(
                CommentTarget::Document(portal_core::domain::DocumentRef::Invoice(invoice.id)),
                ""
            )
            .await
            .is_err()
    );
    assert!(
        session
            .files()
            .upload("bad.exe", &[0x4D, 0x5A, 0x90, 0])
            .await
            .is_err()
    );
    assert!(
        session.quotes().decline(quotes[0].id, None).await.is_err(),
        "already accepted"
    );

    let feed = admin
        .activity(customer.id, &PageRequest::first(3))
        .await
        .expect("feed");
    assert_eq!(feed.items.len(), 3);
    let mut all = feed.items.clone();
    let mut next = feed.next.clone();
    while let Some(cursor) = next {
        let page = admin
            .activity(
                customer.id,
                &PageRequest::after(&cursor, 3).expect("cursor"),
            )
            .await
            .expect("page");
        all.extend(page.items);
        next = page.next;
    }
    all.reverse();
    let got: Vec<(PortalEvent, ActivitySubject)> =
        all.iter().map(|a| (a.event, a.subject)).collect();
    assert_eq!(
        got,
        vec![
            (
                PortalEvent::Viewed,
                ActivitySubject::Document(portal_core::domain::DocumentRef::SalesOrder(order.id))
            ),
            (
                PortalEvent::Viewed,
                ActivitySubject::Document(portal_core::domain::DocumentRef::Invoice(invoice.id))
            ),
            (
                PortalEvent::Viewed,
                ActivitySubject::Document(portal_core::domain::DocumentRef::Quote(quotes[0].id))
            ),
            (
                PortalEvent::QuoteAccepted,
                ActivitySubject::Document(portal_core::domain::DocumentRef::Quote(quotes[0].id))
            ),
            (
                PortalEvent::QuoteDeclined,
                ActivitySubject::Document(portal_core::domain::DocumentRef::Quote(quotes[1].id))
            ),
            (
                PortalEvent::Commented,
                ActivitySubject::Document(portal_core::domain::DocumentRef::Invoice(invoice.id))
            ),
            (
                PortalEvent::Paid,
                ActivitySubject::Document(portal_core::domain::DocumentRef::Receipt(payment.id))
            ),
            (
                PortalEvent::DetailsUpdated,
                ActivitySubject::Customer(customer.id)
            ),
            (
                PortalEvent::ReviewWritten,
                ActivitySubject::Review(review.id)
            ),
            (PortalEvent::FileUploaded, ActivitySubject::File(file.id)),
        ]
    );
    assert!(
        all.iter()
            .all(|a| a.contact == contact.id && a.org == org.id)
    );
    assert!(
        all.iter()
            .all(|a| !a.summary.contains('\n') && !a.summary.is_empty()),
        "summaries are one line"
    );
    // Per the preferences, only the payment emailed the org.
    env.portal.dispatch_emails(100).await.expect("dispatch");
    let to_org: Vec<String> = env
        .mailer
        .sent_to("billing@acme.example.com")
        .into_iter()
        .map(|m| m.subject)
        .collect();
    assert_eq!(to_org, vec!["Payer paid 100.00 USD".to_owned()]);
    // Another customer's feed is their own (empty).
    assert!(
        admin
            .activity(other.id, &PageRequest::default())
            .await
            .expect("other feed")
            .items
            .is_empty()
    );
}

on_all_backends!(every_event_is_in_the_feed);
