//! Emails in the reader's language, on every backend: a Portuguese, a Spanish
//! and a Chinese portal user each receive their invitation (the organization's
//! default language: they have not chosen yet), then a payment receipt and a
//! notification (an organization's reply, and the invoice emailed to them) in the
//! language they chose, with amounts and dates written as their locale and their
//! chosen date format write them; an English reader of the same organization
//! keeps English. No isolation marks.

use crate::common;
use crate::on_all_backends;

use common::backends::Env;
use common::paying::{card, pay};
use portal_core::domain::{CommentTarget, DateFormat, DocumentRef, UserPreferences};
use portal_core::prelude::*;
use portal_memory::cards;

/// What each language's emails must say (subject words and body words).
struct Expected {
    tag: &'static str,
    country: &'static str,
    currency: &'static str,
    date_format: DateFormat,
    /// 12,345.67 in the invoice's currency, as the reader's locale writes it.
    amount: &'static str,
    /// The invoice's due date, 2026-05-30, in the reader's format.
    due: &'static str,
    invitation: &'static str,
    receipt: &'static str,
    receipt_body: &'static str,
    reply: &'static str,
}

const LANGUAGES: [Expected; 3] = [
    Expected {
        tag: "pt-PT",
        country: "PT",
        currency: "EUR",
        date_format: DateFormat::DayMonthYear,
        amount: "12\u{a0}345,67\u{a0}€",
        due: "30/05/2026",
        invitation: "Convite para o portal de clientes",
        receipt: "Recibo",
        receipt_body: "Obrigado pelo seu pagamento",
        reply: "respondeu no portal de clientes",
    },
    Expected {
        tag: "es",
        country: "ES",
        currency: "EUR",
        date_format: DateFormat::DayMonthYear,
        amount: "12.345,67\u{a0}€",
        due: "30/05/2026",
        invitation: "Invitación al portal de clientes",
        receipt: "Recibo",
        receipt_body: "Gracias por su pago",
        reply: "ha respondido en el portal de clientes",
    },
    Expected {
        tag: "zh-CN",
        country: "CN",
        currency: "CNY",
        date_format: DateFormat::Iso,
        amount: "¥12,345.67",
        due: "2026-05-30",
        invitation: "客户门户邀请",
        receipt: "的收据",
        receipt_body: "感谢您为",
        reply: "在客户门户中回复了您",
    },
];

async fn emails_speak_the_readers_language(env: Env) {
    for expected in LANGUAGES {
        let org = env.org().await;
        let preferences = UserPreferences {
            language: expected.tag.into(),
            country: expected.country.into(),
            date_format: expected.date_format,
            ..UserPreferences::default()
        };
        let defaults = preferences.clone();
        let org = env
            .portal
            .org(org.id)
            .update_settings(|s| s.default_user_preferences = defaults.clone())
            .await
            .expect("default language");
        let (customer, contact, session, _) = env
            .signed_in_with(&org, expected.currency, Some(preferences))
            .await;
        let to = contact.email.as_ref().expect("email").as_str().to_owned();
        let invoice = env
            .invoice(&format!("L-{}", expected.tag), 1_234_567)
            .sent_to(&org, &customer)
            .await;
        env.portal
            .org(org.id)
            .email_document(DocumentRef::Invoice(invoice.id))
            .await
            .expect("emailed");
        session
            .invoices()
            .pay(pay(
                InvoiceSelection::Chosen(vec![invoice.id]),
                card(cards::VISA_OK),
                &format!("language-receipt-{}", expected.tag),
            ))
            .await
            .expect("paid");
        env.portal
            .org(org.id)
            .comments()
            .add(
                customer.id,
                CommentTarget::Document(DocumentRef::Invoice(invoice.id)),
                "Obrigado / Gracias / 谢谢",
                true,
            )
            .await
            .expect("reply");
        env.portal.dispatch_emails(100).await.expect("dispatch");
        let mail = env.mailer.sent_to(&to);
        let subjects: Vec<&str> = mail.iter().map(|m| m.subject.as_str()).collect();
        let find = |words: &str| {
            mail.iter()
                .find(|m| m.subject.contains(words))
                .unwrap_or_else(|| {
                    panic!("{}: no email with {words:?} in {subjects:?}", expected.tag)
                })
        };
        assert!(find(expected.invitation).body.contains("/invitation/"));
        let receipt = find(expected.receipt);
        assert!(
            receipt.body.contains(expected.receipt_body) && receipt.body.contains(&invoice.number),
            "{}",
            receipt.body
        );
        assert!(
            receipt.body.contains(expected.amount),
            "{}: {:?}",
            expected.amount,
            receipt.body
        );
        assert!(find(expected.reply).body.contains("谢谢"));
        let emailed = mail
            .iter()
            .find(|m| m.body.contains(expected.due))
            .unwrap_or_else(|| {
                panic!(
                    "{}: no email with the due date {}",
                    expected.tag, expected.due
                )
            });
        assert!(emailed.body.contains(expected.amount), "{:?}", emailed.body);
        assert!(
            emailed.subject.contains(&invoice.number),
            "{:?}",
            emailed.subject
        );
        for m in &mail {
            assert!(
                !m.subject.contains(['\u{2068}', '\u{2069}'])
                    && !m.body.contains(['\u{2068}', '\u{2069}']),
                "no isolation marks: {:?}",
                m.subject
            );
        }
    }
    // An English reader of an organization whose default is Portuguese reads
    // English once they chose it.
    let org = env.org().await;
    let org = env
        .portal
        .org(org.id)
        .update_settings(|s| s.default_user_preferences.language = "pt-PT".into())
        .await
        .expect("default language");
    let (customer, contact, session, _) = env
        .signed_in_with(&org, "EUR", Some(UserPreferences::default()))
        .await;
    let invoice = env.invoice("L-en", 1_000).sent_to(&org, &customer).await;
    session
        .invoices()
        .pay(pay(
            InvoiceSelection::Chosen(vec![invoice.id]),
            card(cards::VISA_OK),
            "language-receipt-en",
        ))
        .await
        .expect("paid");
    env.portal.dispatch_emails(100).await.expect("dispatch");
    let mail = env
        .mailer
        .sent_to(contact.email.as_ref().expect("email").as_str());
    assert!(
        mail.iter().any(|m| m.subject.starts_with("Receipt ")),
        "{:?}",
        mail.iter().map(|m| &m.subject).collect::<Vec<_>>()
    );
}

on_all_backends!(emails_speak_the_readers_language,);

/// An organization writes its invitation per language: an invitee who reads
/// Spanish gets the organization's Spanish one; one who reads Portuguese, for
/// which it wrote none, gets the library's in Portuguese; once it writes one
/// template of its own, a language without its own gets that one. A template
/// for a language the portal is not written in is refused and changes nothing.
async fn invitations_are_written_per_language_with_a_fallback(env: Env) {
    use portal_core::domain::InvitationTemplate;
    let org = env.org().await;
    let admin = env.portal.org(org.id);
    let spanish = InvitationTemplate::new(
        "{org_name} le da la bienvenida a su portal",
        "Hola {contact_name}: entre aquí {invitation_link}",
    )
    .expect("template");
    admin
        .update_settings(|s| {
            s.invitation_templates.insert("es".into(), spanish.clone());
        })
        .await
        .expect("saved");
    let refused = admin
        .update_settings(|s| {
            s.invitation_templates.insert("de".into(), spanish.clone());
        })
        .await
        .expect_err("a language the portal is not written in");
    assert_eq!(refused.code(), "invalid_preference");
    assert!(
        !env.portal
            .org(org.id)
            .organization()
            .await
            .expect("org")
            .settings
            .invitation_templates
            .contains_key("de"),
        "nothing changed"
    );
    // Invitees who have not chosen read the organization's default language.
    let invite = |language: &'static str, name: &'static str| {
        let (env, org) = (&env, &org);
        async move {
            let admin = env.portal.org(org.id);
            admin
                .update_settings(|s| s.default_user_preferences.language = language.into())
                .await
                .expect("default language");
            let email = format!("{name}-{language}@example.com").to_lowercase();
            env.invited(org, (name, "EUR"), (name, "Lopes"), &email)
                .await;
            env.mailer
                .sent_to(&email)
                .into_iter()
                .find(|m| m.body.contains("/invitation/"))
                .expect("the invitation")
        }
    };
    let es = invite("es", "Rosa").await;
    assert_eq!(
        es.subject,
        format!("{} le da la bienvenida a su portal", org.name)
    );
    assert!(
        es.body.starts_with("Hola Rosa Lopes: entre aquí "),
        "{}",
        es.body
    );
    let pt = invite("pt-PT", "Rui").await;
    assert!(
        pt.subject.starts_with("Convite para o portal de clientes"),
        "{}",
        pt.subject
    );
    admin
        .update_settings(|s| {
            s.invitation_template =
                InvitationTemplate::new("Join {org_name}", "Here: {invitation_link}").expect("own");
        })
        .await
        .expect("saved");
    let zh = invite("zh-CN", "Li").await;
    assert_eq!(zh.subject, format!("Join {}", org.name));
    let es = invite("es", "Ana").await;
    assert!(es.subject.ends_with("le da la bienvenida a su portal"));
}

on_all_backends!(invitations_are_written_per_language_with_a_fallback,);
