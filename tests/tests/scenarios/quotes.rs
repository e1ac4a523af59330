//! Quotes through the services on every backend (Q1–Q5).

use crate::common;
use crate::on_all_backends;

use common::backends::Env;
use portal_core::Duration;
use portal_core::domain::{
    CommentTarget, NewQuote, Quote, QuoteFilter, QuoteQuery, QuoteStatus, SignatureMark,
};
use portal_core::prelude::*;
use portal_core::service::SignatureInput;
use rust_decimal::Decimal;
use time::macros::date;

async fn sent_quote(env: &Env, org: &Organization, customer: &Customer, number: &str) -> Quote {
    let admin = env.portal.org(org.id);
    let q = admin
        .quotes()
        .create(
            customer.id,
            NewQuote {
                number: number.into(),
                lines: vec![LineItem::new(
                    "Website",
                    Decimal::ONE,
                    Decimal::new(120_000, 2),
                )],
                issue_date: date!(2026 - 05 - 01),
                expiry_date: date!(2026 - 05 - 20),
            },
        )
        .await
        .expect("quote");
    admin.quotes().send(q.id).await.expect("send")
}

async fn accept_with_a_signature_bound_to_the_content(env: Env) {
    let org = env.org().await;
    let (customer, _, session) = env.signed_in(&org, "EUR").await;
    let admin = env.portal.org(org.id);
    let sent = sent_quote(&env, &org, &customer, "Q-100").await;
    assert_eq!(session.dashboard().await.expect("dash").quotes_awaiting, 1);
    let seen = session.quotes().get(sent.id).await.expect("view");
    assert!(seen.viewed_at.is_some());
    let accepted = session
        .quotes()
        .accept(
            sent.id,
            &seen.content_hash(),
            Some(SignatureInput {
                signer_name: "Pat Payer".into(),
                mark: SignatureMark::Typed("Pat Payer".into()),
            }),
        )
        .await
        .expect("accept");
    assert_eq!(accepted.status, QuoteStatus::Accepted);
    let signature = accepted.signature.clone().expect("signed");
    assert_eq!(signature.signer_name, "Pat Payer");
    assert!(accepted.signature_matches());
    assert_eq!(session.dashboard().await.expect("dash").quotes_awaiting, 0);
    // The org sees it accepted and notified; turning it into an invoice keeps the lines.
    env.portal.dispatch_emails(100).await.expect("dispatch");
    let subjects: Vec<String> = env
        .mailer
        .sent_to("billing@acme.example.com")
        .into_iter()
        .map(|m| m.subject)
        .collect();
    assert!(
        subjects.iter().any(|s| s.contains("viewed quote Q-100")),
        "{subjects:?}"
    );
    assert!(
        subjects.iter().any(|s| s.contains("accepted quote Q-100")),
        "{subjects:?}"
    );
    let (quote, invoice) = admin
        .quotes()
        .convert_to_invoice(
            sent.id,
            "INV-Q-100",
            date!(2026 - 05 - 05),
            date!(2026 - 06 - 05),
            vec!["test".into()],
        )
        .await
        .expect("convert");
    assert_eq!(quote.status, QuoteStatus::Invoiced);
    assert_eq!(invoice.total, accepted.total);
    assert_eq!(invoice.lines, accepted.lines);
    // A later decision is refused.
    assert_eq!(
        session
            .quotes()
            .decline(sent.id, Some("changed my mind"))
            .await
            .expect_err("decided")
            .code(),
        "invalid_state"
    );
}

async fn an_edit_after_viewing_is_caught_and_declines_lead_to_revisions(env: Env) {
    let org = env.org().await;
    let (customer, _, session) = env.signed_in(&org, "USD").await;
    let admin = env.portal.org(org.id);
    let sent = sent_quote(&env, &org, &customer, "Q-200").await;
    let seen = session.quotes().get(sent.id).await.expect("view");
    // The org revises the quote while the customer looks at the old one.
    admin
        .quotes()
        .revise(
            sent.id,
            NewQuote {
                number: "Q-200".into(),
                lines: vec![LineItem::new(
                    "Website",
                    Decimal::ONE,
                    Decimal::new(150_000, 2),
                )],
                issue_date: date!(2026 - 05 - 02),
                expiry_date: date!(2026 - 05 - 25),
            },
        )
        .await
        .expect("revise");
    let resent = admin.quotes().send(sent.id).await.expect("send again");
    assert_eq!(resent.revision, 2);
    assert_eq!(
        session
            .quotes()
            .accept(sent.id, &seen.content_hash(), None)
            .await
            .expect_err("changed")
            .code(),
        "quote_changed"
    );
    let declined = session
        .quotes()
        .decline(sent.id, Some("Too expensive for us this year."))
        .await
        .expect("decline");
    assert_eq!(declined.status, QuoteStatus::Declined);
    assert_eq!(
        declined.decline_reason.as_deref(),
        Some("Too expensive for us this year.")
    );
    // The org revises again (history: revision numbers), the customer accepts revision 3.
    admin
        .quotes()
        .revise(
            sent.id,
            NewQuote {
                number: "Q-200".into(),
                lines: vec![LineItem::new(
                    "Website",
                    Decimal::ONE,
                    Decimal::new(110_000, 2),
                )],
                issue_date: date!(2026 - 05 - 03),
                expiry_date: date!(2026 - 05 - 30),
            },
        )
        .await
        .expect("revise");
    admin.quotes().send(sent.id).await.expect("send");
    let fresh = session.quotes().get(sent.id).await.expect("view");
    assert_eq!(fresh.revision, 3);
    assert!(fresh.decline_reason.is_none());
    session
        .quotes()
        .accept(sent.id, &fresh.content_hash(), None)
        .await
        .expect("accept");
}

async fn expired_quotes_cannot_be_accepted(env: Env) {
    let org = env.org().await;
    let (customer, _, session) = env.signed_in(&org, "USD").await;
    let sent = sent_quote(&env, &org, &customer, "Q-300").await;
    let seen = session.quotes().get(sent.id).await.expect("view");
    env.clock.advance(Duration::days(17)); // 2026-05-21, past 2026-05-20
    assert_eq!(
        session
            .quotes()
            .accept(sent.id, &seen.content_hash(), None)
            .await
            .expect_err("expired")
            .code(),
        "quote_expired"
    );
    let mut q = QuoteQuery::new(date!(2026 - 01 - 01));
    q.filter = QuoteFilter::Expired;
    assert_eq!(
        session.quotes().list(&q).await.expect("list").items.len(),
        1
    );
    q.filter = QuoteFilter::Open;
    assert!(
        session
            .quotes()
            .list(&q)
            .await
            .expect("list")
            .items
            .is_empty()
    );
    assert_eq!(session.dashboard().await.expect("dash").quotes_awaiting, 0);
}

async fn comments_from_both_sides(env: Env) {
    let org = env.org().await;
    let (customer, contact, session) = env.signed_in(&org, "USD").await;
    let (other, _, other_session) = env.signed_in(&org, "USD").await;
    let admin = env.portal.org(org.id);
    let sent = sent_quote(&env, &org, &customer, "Q-400").await;
    let target = CommentTarget::Document(portal_core::domain::DocumentRef::Quote(sent.id));
    let hostile = "<script>alert('x')</script> can we talk?";
    session
        .comments()
        .add(target, hostile)
        .await
        .expect("comment");
    admin
        .comments()
        .add(customer.id, target, "Internal: discount ok up to 5%", false)
        .await
        .expect("hidden");
    admin
        .comments()
        .add(customer.id, target, "Happy to talk — call us.", true)
        .await
        .expect("visible");
    let seen: Vec<String> = session
        .comments()
        .list(target)
        .await
        .expect("list")
        .into_iter()
        .map(|c| c.body)
        .collect();
    assert_eq!(
        seen,
        vec![hostile.to_owned(), "Happy to talk — call us.".to_owned()],
        "stored as plain text"
    );
    assert_eq!(
        admin
            .comments()
            .list(customer.id, target)
            .await
            .expect("all")
            .len(),
        3
    );
    // The other customer can neither read nor write there.
    assert_eq!(
        other_session
            .comments()
            .list(target)
            .await
            .expect_err("hidden")
            .code(),
        "not_found"
    );
    assert_eq!(
        other_session
            .comments()
            .add(target, "hi")
            .await
            .expect_err("hidden")
            .code(),
        "not_found"
    );
    assert_eq!(
        session
            .comments()
            .add(target, "   ")
            .await
            .expect_err("empty")
            .code(),
        "invalid_text"
    );
    // The org heard about the customer's comment; the customer about the visible reply.
    env.portal.dispatch_emails(100).await.expect("dispatch");
    assert!(
        env.mailer
            .sent_to("billing@acme.example.com")
            .iter()
            .any(|m| m.subject.contains("commented on quote Q-400"))
    );
    let email = contact.email.expect("email");
    let to_customer = env.mailer.sent_to(email.as_str());
    assert!(to_customer.iter().any(|m| m.body.contains("Happy to talk")));
    assert!(!to_customer.iter().any(|m| m.body.contains("Internal")));
    let _ = other;
}

async fn only_drafts_are_edited(env: Env) {
    let org = env.org().await;
    let (customer, _, session) = env.signed_in(&org, "USD").await;
    let admin = env.portal.org(org.id);
    let draft = admin
        .quotes()
        .create(
            customer.id,
            NewQuote {
                number: "Q-500".into(),
                lines: vec![LineItem::new("A", Decimal::ONE, Decimal::from(10))],
                issue_date: date!(2026 - 05 - 01),
                expiry_date: date!(2026 - 05 - 20),
            },
        )
        .await
        .expect("draft");
    let new = || NewQuote {
        number: "Q-500".into(),
        lines: vec![LineItem::new("B", Decimal::from(2), Decimal::from(10))],
        issue_date: date!(2026 - 05 - 01),
        expiry_date: date!(2026 - 05 - 20),
    };
    let edited = admin
        .quotes()
        .edit_draft(draft.id, new())
        .await
        .expect("edit");
    assert_eq!(edited.total.amount(), Decimal::from(20));
    assert_eq!(edited.revision, 1);
    admin.quotes().send(draft.id).await.expect("send");
    assert_eq!(
        admin
            .quotes()
            .edit_draft(draft.id, new())
            .await
            .expect_err("sent")
            .code(),
        "invalid_state"
    );
    assert_eq!(
        session.quotes().get(draft.id).await.expect("visible").lines[0].description,
        "B"
    );
    // Invoices likewise.
    let inv = admin
        .invoices()
        .create(
            customer.id,
            portal_core::domain::NewInvoice {
                kind: portal_core::domain::InvoiceKind::Invoice,
                number: "I-500".into(),
                lines: vec![LineItem::new("A", Decimal::ONE, Decimal::from(10))],
                issue_date: date!(2026 - 05 - 01),
                due_date: date!(2026 - 05 - 20),
                allow_partial_payments: false,
                payment_gateways: vec![],
            },
        )
        .await
        .expect("invoice");
    let changed = admin
        .invoices()
        .edit_draft(
            inv.id,
            portal_core::domain::NewInvoice {
                kind: portal_core::domain::InvoiceKind::Invoice,
                number: "I-500".into(),
                lines: vec![LineItem::new("A", Decimal::from(3), Decimal::from(10))],
                issue_date: date!(2026 - 05 - 01),
                due_date: date!(2026 - 05 - 20),
                allow_partial_payments: true,
                payment_gateways: vec!["test".into()],
            },
        )
        .await
        .expect("edit invoice");
    assert_eq!(changed.balance.amount(), Decimal::from(30));
    admin.invoices().send(inv.id).await.expect("send");
    let again = admin
        .invoices()
        .edit_draft(
            inv.id,
            portal_core::domain::NewInvoice {
                kind: portal_core::domain::InvoiceKind::Invoice,
                number: "I-500".into(),
                lines: vec![LineItem::new("A", Decimal::ONE, Decimal::ONE)],
                issue_date: date!(2026 - 05 - 01),
                due_date: date!(2026 - 05 - 20),
                allow_partial_payments: true,
                payment_gateways: vec![],
            },
        )
        .await;
    assert_eq!(again.expect_err("sent").code(), "invalid_state");
}

on_all_backends!(
    only_drafts_are_edited,
    accept_with_a_signature_bound_to_the_content,
    an_edit_after_viewing_is_caught_and_declines_lead_to_revisions,
    expired_quotes_cannot_be_accepted,
    comments_from_both_sides,
);
