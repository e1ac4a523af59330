//! The customer's own actions on every backend: profile picture, email to the org,
//! reviews (C2–C4), with hostile text kept as inert plain text.

use crate::common;
use crate::on_all_backends;

use common::backends::Env;

/// Script and HTML payloads: stored and returned byte for byte, never interpreted.
const HOSTILE: [&str; 6] = [
    "שלום \u{200F}(right-to-left) 42",
    "<script>alert(document.cookie)</script>",
    "\"><img src=x onerror=alert(1)>",
    "javascript:alert('x')",
    "{{7*7}} ${7*7} <%= 7*7 %>",
    "'; DROP TABLE portal_reviews; --",
];

async fn avatar_email_and_reviews(env: Env) {
    let org = env.org().await;
    let (customer, contact, session, token) = env.signed_in_with_token(&org, "USD").await;
    let admin = env.portal.org(org.id);
    let url = session.profile().avatar_url(80).expect("has email");
    assert!(url.starts_with("https://www.gravatar.com/avatar/"));
    assert!(url.ends_with("?s=80&d=identicon"));
    let hash = url
        .trim_start_matches("https://www.gravatar.com/avatar/")
        .split('?')
        .next()
        .expect("hash");
    assert_eq!(hash.len(), 64, "a SHA-256 in hex");
    assert!(!url.contains('@'), "the email itself is not in the URL");

    session
        .messages()
        .email_org("Question about INV-7", "Can we pay in two parts?")
        .await
        .expect("send");
    assert_eq!(
        session
            .messages()
            .email_org("", "x")
            .await
            .expect_err("empty")
            .code(),
        "invalid_text"
    );
    env.portal.dispatch_emails(100).await.expect("dispatch");
    let sent = env.mailer.sent_to("billing@acme.example.com");
    let mail = sent
        .iter()
        .find(|m| m.subject == "[Portal] Question about INV-7")
        .expect("delivered");
    assert!(
        mail.body
            .contains(contact.email.as_ref().expect("email").as_str())
    );
    assert!(mail.body.contains("Can we pay in two parts?"));

    for text in HOSTILE {
        session.reviews().write(text).await.expect("review");
    }
    // Control characters (NUL, bell...) and the bidirectional overrides that
    // reorder text are refused on every backend, before storage.
    for text in ["nul\u{0}byte", "\u{202e}gnp.exe reversed"] {
        assert_eq!(
            session
                .reviews()
                .write(text)
                .await
                .expect_err("refused")
                .code(),
            "invalid_text",
            "{text:?}"
        );
    }
    assert_eq!(
        session
            .comments()
            .add(
                portal_core::domain::CommentTarget::Document(
                    portal_core::domain::DocumentRef::Quote(portal_core::domain::QuoteId::new())
                ),
                "x\u{7}"
            )
            .await
            .expect_err("bell")
            .code(),
        "invalid_text"
    );
    let reviews = admin.reviews(customer.id).await.expect("reviews");
    let mut bodies: Vec<&str> = reviews.iter().map(|r| r.body.as_str()).collect();
    bodies.reverse();
    let expected: Vec<&str> = HOSTILE.iter().map(|t| t.trim()).collect();
    assert_eq!(bodies, expected, "stored as plain text, byte for byte");
    assert!(reviews.iter().all(|r| r.contact == contact.id));
    admin
        .update_settings(|s| s.preferences.enable_reviews = false)
        .await
        .expect("settings");
    let session = env.portal.session(&token).await.expect("session");
    assert_eq!(
        session
            .reviews()
            .write("hello")
            .await
            .expect_err("off")
            .code(),
        "forbidden"
    );
}

async fn details_are_edited_when_allowed(env: Env) {
    let org = env.org().await;
    let (customer, _, session, token) = env.signed_in_with_token(&org, "USD").await;
    let admin = env.portal.org(org.id);
    let mut update = session.profile().get().await.expect("details");
    update.company_name = "Payer & Sons Ltd".into();
    update.billing_address.street1 = "1 <Main> Street".into();
    update.phone = "+1 555 0100".into();
    let (saved, contact) = session
        .profile()
        .update(update.clone())
        .await
        .expect("update");
    assert_eq!(saved.company_name, "Payer & Sons Ltd");
    assert_eq!(saved.currency, customer.currency);
    assert_eq!(contact.phone, "+1 555 0100");
    assert_eq!(
        admin
            .customers()
            .get(customer.id)
            .await
            .expect("org side")
            .billing_address
            .street1,
        "1 <Main> Street"
    );
    env.portal.dispatch_emails(100).await.expect("dispatch");
    assert!(
        env.mailer
            .sent_to("billing@acme.example.com")
            .iter()
            .any(|m| m.subject.contains("updated their details"))
    );
    let mut bad = update.clone();
    bad.display_name = " ".into();
    assert_eq!(
        session
            .profile()
            .update(bad)
            .await
            .expect_err("empty")
            .code(),
        "invalid_text"
    );
    admin
        .update_settings(|s| s.preferences.allow_edit_details = false)
        .await
        .expect("off");
    let session = env.portal.session(&token).await.expect("session");
    assert_eq!(
        session
            .profile()
            .update(update)
            .await
            .expect_err("off")
            .code(),
        "forbidden"
    );
}

async fn documents_are_forwarded_when_allowed(env: Env) {
    let org = env.org().await;
    let (customer, _, session, token) = env.signed_in_with_token(&org, "USD").await;
    let (other, _, other_session) = env.signed_in(&org, "USD").await;
    let admin = env.portal.org(org.id);
    let draft = admin
        .invoices()
        .create(
            customer.id,
            portal_core::domain::NewInvoice {
                kind: portal_core::domain::InvoiceKind::Invoice,
                number: "FW-1".into(),
                lines: vec![portal_core::domain::LineItem::new(
                    "x",
                    rust_decimal::Decimal::ONE,
                    rust_decimal::Decimal::from(42),
                )],
                issue_date: time::macros::date!(2026 - 05 - 01),
                due_date: time::macros::date!(2026 - 05 - 31),
                allow_partial_payments: false,
                payment_gateways: vec![],
            },
        )
        .await
        .expect("invoice");
    admin.invoices().send(draft.id).await.expect("send");
    let target = portal_core::domain::DocumentRef::Invoice(draft.id);
    session
        .messages()
        .forward(
            target,
            "Accounts.Payable@payer.example.com",
            Some("Please pay this one."),
        )
        .await
        .expect("forward");
    let added = admin.contacts().list(customer.id).await.expect("contacts");
    assert!(added.iter().any(|c| {
        c.email
            .as_ref()
            .is_some_and(|e| e.as_str() == "accounts.payable@payer.example.com")
            && c.portal_status == portal_core::domain::PortalStatus::NotInvited
    }));
    env.portal.dispatch_emails(100).await.expect("dispatch");
    let mail = env.mailer.sent_to("accounts.payable@payer.example.com");
    assert_eq!(mail.len(), 1);
    assert!(mail[0].body.contains("Invoice FW-1") && mail[0].body.contains("Please pay this one."));
    // Forwarding again does not add the person twice.
    session
        .messages()
        .forward(target, "accounts.payable@payer.example.com", None)
        .await
        .expect("again");
    assert_eq!(
        admin
            .contacts()
            .list(customer.id)
            .await
            .expect("contacts")
            .len(),
        added.len()
    );
    // Someone else's document, a bad address, or forwarding turned off.
    assert_eq!(
        other_session
            .messages()
            .forward(target, "x@example.com", None)
            .await
            .expect_err("foreign")
            .code(),
        "not_found"
    );
    assert_eq!(
        session
            .messages()
            .forward(target, "not an email", None)
            .await
            .expect_err("bad")
            .code(),
        "invalid_email"
    );
    admin
        .update_settings(|s| s.preferences.allow_forwarding = false)
        .await
        .expect("off");
    let session = env.portal.session(&token).await.expect("session");
    assert_eq!(
        session
            .messages()
            .forward(target, "x@example.com", None)
            .await
            .expect_err("off")
            .code(),
        "forbidden"
    );
    let _ = other;
}

/// The corpus in every other text a portal user writes: messages to the org, project
/// and timesheet comments, dispute reasons, file names. All come back byte for
/// byte; email subjects never carry a line break (no header injection).
async fn hostile_text_everywhere_is_inert(env: Env) {
    let org = env.org().await;
    let (customer, _, _, token) = env.signed_in_with_token(&org, "USD").await;
    let admin = env.portal.org(org.id);
    admin
        .update_settings(|s| s.preferences.show_projects = true)
        .await
        .expect("projects on");
    let session = env.portal.session(&token).await.expect("session");
    let project = admin
        .projects()
        .create(customer.id, "<b>Site</b>", "")
        .await
        .expect("project");
    let task = admin
        .projects()
        .add_task(project.id, "Build", true)
        .await
        .expect("task");
    let mut entries = Vec::new();
    for (i, _) in HOSTILE.iter().enumerate() {
        let day = u8::try_from(i + 1).expect("day");
        let e = admin
            .projects()
            .log_time(
                project.id,
                portal_core::domain::NewTimeEntry {
                    task: task.id,
                    date: time::macros::date!(2026 - 04 - 01)
                        .replace_day(day)
                        .expect("day"),
                    minutes: 30,
                    note: String::new(),
                },
            )
            .await
            .expect("time");
        entries.push(e.id);
    }
    let sheet = admin
        .approvals()
        .send(project.id, "W", &entries)
        .await
        .expect("send");
    session
        .approvals()
        .decide(
            sheet.id,
            &portal_core::domain::ApprovalDecision::Dispute {
                entries: entries
                    .iter()
                    .zip(HOSTILE)
                    .map(|(id, text)| (*id, text.to_owned()))
                    .collect(),
            },
        )
        .await
        .expect("dispute");
    let reasons: Vec<String> = session
        .approvals()
        .entries(sheet.id)
        .await
        .expect("entries")
        .into_iter()
        .map(|e| e.dispute_reason.expect("reason"))
        .collect();
    assert_eq!(reasons, HOSTILE.to_vec());
    for text in HOSTILE {
        session
            .comments()
            .add(
                portal_core::domain::CommentTarget::Project(project.id),
                text,
            )
            .await
            .expect("comment");
        // A subject is one line: a header smuggled after a line break is refused.
        assert_eq!(
            session
                .messages()
                .email_org(&format!("{text}\r\nBcc: victim@example.com"), text)
                .await
                .expect_err("two lines")
                .code(),
            "invalid_text"
        );
        session
            .messages()
            .email_org(text, text)
            .await
            .expect("message");
        let name = format!("{}.txt", text.replace(['/', '\\'], "_"));
        if text.contains('\u{200f}') {
            // Even a direction mark could move the extension about in a name.
            assert_eq!(
                session
                    .files()
                    .upload(&name, b"plain words")
                    .await
                    .expect_err("bidi")
                    .code(),
                "invalid_file"
            );
            continue;
        }
        let file = session
            .files()
            .upload(&name, b"plain words")
            .await
            .expect("upload");
        assert_eq!(file.name, name.trim());
        assert_eq!(
            session.files().download(file.id).await.expect("download").1,
            b"plain words"
        );
    }
    // Markup as content is recognised and refused, whatever the name says.
    assert_eq!(
        session
            .files()
            .upload("notes.txt", b"<html><script>alert(1)</script></html>")
            .await
            .expect_err("html")
            .code(),
        "file_type_not_allowed"
    );
    let comments: Vec<String> = session
        .comments()
        .list(portal_core::domain::CommentTarget::Project(project.id))
        .await
        .expect("comments")
        .into_iter()
        .map(|c| c.body)
        .collect();
    assert_eq!(comments, HOSTILE.to_vec());
    env.portal.dispatch_emails(100).await.expect("dispatch");
    let to_org = env.mailer.sent_to("billing@acme.example.com");
    for text in HOSTILE {
        assert!(
            to_org.iter().any(|m| m.body.contains(text)),
            "{text} reached the org as written"
        );
    }
    assert!(
        to_org
            .iter()
            .all(|m| !m.subject.contains('\n') && !m.subject.contains('\r')),
        "no line break in any subject"
    );
}

on_all_backends!(
    hostile_text_everywhere_is_inert,
    avatar_email_and_reviews,
    details_are_edited_when_allowed,
    documents_are_forwarded_when_allowed
);
