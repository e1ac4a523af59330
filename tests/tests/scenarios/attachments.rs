//! Emails about a document carry it (D2): the receipt after a payment and a
//! forwarded document, rendered by the portal's document renderer at every
//! attempt from the reference the outbox keeps; without a renderer they go
//! without. On every backend.
use crate::common;
use crate::on_all_backends;

use std::sync::Arc;

use common::backends::Env;
use common::paying::{card, pay};
use portal_core::domain::DocumentRef;
use portal_core::mailer::DocumentRenderer;
use portal_core::prelude::*;
use portal_core::print::Printable;
use portal_memory::cards;

/// A renderer that writes the document's title and totals as text: what the
/// email carried can be read back.
#[derive(Debug)]
struct TextRenderer;

impl DocumentRenderer for TextRenderer {
    fn render(&self, document: &Printable) -> Result<Vec<u8>, String> {
        let totals: Vec<String> = document
            .totals
            .iter()
            .map(|(l, v)| format!("{l}: {v}"))
            .collect();
        Ok(format!(
            "{}\n{}\n{}",
            document.title,
            document.to.name,
            totals.join("\n")
        )
        .into_bytes())
    }

    fn content_type(&self) -> &'static str {
        "text/plain"
    }

    fn extension(&self) -> &'static str {
        "txt"
    }
}

async fn receipts_and_forwards_carry_their_document(env: Env) {
    let env = env.with_renderer(Arc::new(TextRenderer));
    let org = env.org().await;
    let (customer, contact, session) = env.signed_in(&org, "USD").await;
    let invoice = env.invoice("INV-7", 12_300).sent_to(&org, &customer).await;
    // The mail server is down for the first attempt: the retry still carries it.
    let paid = session
        .invoices()
        .pay(pay(
            InvoiceSelection::Chosen(vec![invoice.id]),
            card(cards::VISA_OK),
            "attach-key-1",
        ))
        .await
        .expect("pay");
    let to = contact.email.clone().expect("email");
    let queued = env
        .portal
        .org(org.id)
        .outbox(100)
        .await
        .expect("outbox")
        .into_iter()
        .find(|e| e.to == to && e.subject.starts_with("Receipt"))
        .expect("the receipt waits");
    let attached = queued.attachment.clone().expect("the receipt attached");
    assert_eq!(
        (attached.document, attached.customer),
        (DocumentRef::Receipt(paid.id), customer.id)
    );
    assert_eq!(
        attached.read_as,
        Some(
            portal_core::i18n::Reader::of(&contact, &org)
                .preferences()
                .clone()
        ),
        "written as the email's reader reads"
    );
    assert!(
        queued.body.len() < 1_000,
        "the outbox keeps a reference, not the file"
    );
    env.mailer.set_down(true);
    let first = env.portal.dispatch_emails(100).await.expect("dispatch");
    assert!(first.deferred > 0 && first.sent == 0, "{first:?}");
    env.mailer.set_down(false);
    env.clock.advance(portal_core::Duration::hours(1));
    env.portal.dispatch_emails(100).await.expect("retry");
    let receipt = env
        .mailer
        .sent_to(to.as_str())
        .into_iter()
        .find(|m| m.subject.starts_with("Receipt"))
        .expect("receipt sent on the retry");
    assert_eq!(receipt.attachments.len(), 1);
    let file = &receipt.attachments[0];
    assert_eq!(
        file.filename,
        format!("receipt-{}.txt", paid.receipt_number)
    );
    assert_eq!(file.content_type, "text/plain");
    let text = String::from_utf8(file.bytes.clone()).expect("text");
    assert!(
        text.contains(&format!("Receipt {}", paid.receipt_number))
            && text.contains("Received: $123.00")
    );

    // A forwarded invoice carries the invoice.
    session
        .messages()
        .forward(
            DocumentRef::Invoice(invoice.id),
            "accounts@payer.example.com",
            None,
        )
        .await
        .expect("forward");
    env.portal.dispatch_emails(100).await.expect("dispatch");
    let forwarded = env.mailer.sent_to("accounts@payer.example.com");
    assert_eq!(forwarded.len(), 1);
    let file = &forwarded[0].attachments[0];
    assert_eq!(file.filename, "invoice-INV-7.txt");
    let text = String::from_utf8(file.bytes.clone()).expect("text");
    assert!(
        text.contains("Invoice INV-7") && text.contains("Balance due: $0.00"),
        "{text}"
    );
}

async fn the_org_emails_a_document_to_the_contacts_with_access(env: Env) {
    let env = env.with_renderer(Arc::new(TextRenderer));
    let org = env.org().await;
    let (customer, contact, _session) = env.signed_in(&org, "USD").await;
    let other_org = env.org().await;
    let invoice = env.invoice("INV-9", 4_200).sent_to(&org, &customer).await;
    let admin = env.portal.org(org.id);
    env.portal.dispatch_emails(100).await.expect("earlier mail");
    let queued = admin
        .email_document(DocumentRef::Invoice(invoice.id))
        .await
        .expect("email");
    assert_eq!(queued, 1, "the one contact with access");
    env.portal.dispatch_emails(100).await.expect("dispatch");
    let to = contact.email.expect("email");
    let mail = env
        .mailer
        .sent_to(to.as_str())
        .into_iter()
        .find(|m| m.subject.starts_with("Invoice INV-9"))
        .expect("the invoice email");
    // The email opens that invoice: behind the sign-in, which returns to it.
    assert!(
        mail.body.contains(&format!(
            "https://portal.test/{0}/sign-in?next=/{0}/invoices/{1}",
            org.slug, invoice.id
        )),
        "{}",
        mail.body
    );
    assert_eq!(mail.attachments[0].filename, "invoice-INV-9.txt");
    // Where the organization allows it, through a link of the contact's own
    // that opens the invoice without signing in, ready to pay.
    admin
        .update_settings(|s| s.preferences.email_document_links = true)
        .await
        .expect("links on");
    admin
        .email_document(DocumentRef::Invoice(invoice.id))
        .await
        .expect("email");
    env.portal.dispatch_emails(100).await.expect("dispatch");
    let mail = env
        .mailer
        .sent_to(to.as_str())
        .into_iter()
        .rfind(|m| m.subject.starts_with("Invoice INV-9"))
        .expect("the second invoice email");
    let prefix = format!("https://portal.test/{}/d/", org.slug);
    let token = mail
        .body
        .split(&prefix)
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap_or_else(|| panic!("a document link in {}", mail.body));
    let opened = env.portal.open_link(token).await.expect("the link opens");
    assert_eq!(opened.link().document, DocumentRef::Invoice(invoice.id));
    assert_eq!(opened.link().contact, contact.id);
    assert!(opened.link().actions.pay && opened.link().actions.download);
    // Another organization cannot email it; a made-up id is not found either.
    let theirs = env
        .portal
        .org(other_org.id)
        .email_document(DocumentRef::Invoice(invoice.id))
        .await;
    assert_eq!(
        theirs.map(|_| ()).expect_err("not theirs").code(),
        "not_found"
    );
}

async fn without_a_renderer_the_email_goes_without_attachment(env: Env) {
    let org = env.org().await;
    let (customer, contact, session) = env.signed_in(&org, "USD").await;
    let invoice = env.invoice("INV-8", 5_000).sent_to(&org, &customer).await;
    session
        .invoices()
        .pay(pay(
            InvoiceSelection::Chosen(vec![invoice.id]),
            card(cards::VISA_OK),
            "attach-key-2",
        ))
        .await
        .expect("pay");
    env.portal.dispatch_emails(100).await.expect("dispatch");
    let to = contact.email.expect("email");
    let receipt = env
        .mailer
        .sent_to(to.as_str())
        .into_iter()
        .find(|m| m.subject.starts_with("Receipt"))
        .expect("receipt");
    assert!(receipt.attachments.is_empty());
}

on_all_backends!(
    receipts_and_forwards_carry_their_document,
    the_org_emails_a_document_to_the_contacts_with_access,
    without_a_renderer_the_email_goes_without_attachment
);
