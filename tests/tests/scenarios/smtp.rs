//! The SMTP mailer against real SMTP servers on 127.0.0.1 started by
//! `scripts/with-smtp` (Debian's aiosmtpd): messages read back and parsed as a
//! mail client would; STARTTLS with a self-signed certificate and AUTH; a server
//! that answers 451, one that answers 550. Under `CI=true` missing servers fail
//! these tests.

use std::path::PathBuf;
use std::time::Duration;

use mail_parser::{MessageParser, MimeHeaders as _};
use portal_core::domain::{Email, EmailId, EmailKind};
use portal_core::mailer::{Attachment, EmailMessage, Mailer as _, MailerError};
use portal_smtp::{SmtpConfig, SmtpMailer};

/// The port of the test server `name`, or `None` (with the reason printed) when
/// they are not running; under `CI=true` their absence fails the test.
fn server(name: &str) -> Option<u16> {
    let var = format!("SMTP_{}_PORT", name.to_ascii_uppercase());
    match std::env::var(&var).ok().and_then(|p| p.parse().ok()) {
        Some(port) => Some(port),
        None if std::env::var("CI").as_deref() == Ok("true") => {
            panic!("{var} is not set: run the tests through scripts/test")
        }
        None => {
            eprintln!("skipped: {var} not set (scripts/with-smtp starts the SMTP servers)");
            None
        }
    }
}

fn spool() -> PathBuf {
    PathBuf::from(std::env::var("SMTP_SPOOL").expect("SMTP_SPOOL"))
}

/// The messages the server `name` wrote, in order.
fn received(name: &str) -> Vec<Vec<u8>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(spool())
        .expect("spool")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(&format!("{name}-")) && n.ends_with(".eml"))
        })
        .collect();
    files.sort_by_key(|p| {
        p.file_stem()
            .and_then(|s| s.to_str())
            .and_then(|s| s.rsplit('-').next())
            .and_then(|n| n.parse::<u32>().ok())
    });
    files
        .iter()
        .map(|p| std::fs::read(p).expect("read"))
        .collect()
}

fn plain(port: u16) -> SmtpConfig {
    let mut config = SmtpConfig::from_url(
        &format!("smtp://127.0.0.1:{port}?tls=none"),
        "Livraria São João <faturas@livraria.example>",
    )
    .expect("config");
    config.timeout = Duration::from_secs(5);
    config
}

/// The message comes from the organization `name` at its sending address, with
/// replies to its contact address.
fn assert_sender(parsed: &mail_parser::Message<'_>, name: &str) {
    let from = parsed.from().and_then(|a| a.first()).expect("from");
    assert_eq!(from.name(), Some(name));
    assert_eq!(from.address(), Some("faturas@livraria.example"));
    assert_eq!(
        parsed
            .reply_to()
            .and_then(|a| a.first())
            .and_then(|a| a.address()),
        Some("ola@livraria.example")
    );
}

fn email(to: &str, subject: &str, body: &str) -> EmailMessage {
    EmailMessage::new(
        EmailId::new(),
        EmailKind::CustomerNotification,
        Email::parse(to).expect("email"),
        subject.into(),
        body.into(),
    )
}

/// A receipt with its PDF, in Portuguese and Chinese, read back from the sink:
/// headers encoded and decoded, the text and HTML alternatives, the attachment's
/// bytes exactly.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_message_reads_back_as_mail_clients_read_it() {
    let Some(port) = server("sink") else {
        return;
    };
    let mailer = SmtpMailer::new(plain(port).with_reply_to("Livraria <ola@livraria.example>"))
        .expect("mailer");
    let marker = uuid::Uuid::now_v7().simple().to_string();
    let pdf: Vec<u8> = (0..20_000_u32).map(|i| (i % 251) as u8).collect();
    let mut message = email(
        &format!("cliente.{marker}@example.com"),
        &format!("Recibo nº 12 — pagamento recebido 收据 {marker}"),
        "Olá Ana,\n\nObrigado pelo pagamento de 1.234,56 € <já recebido>.\nVeja https://portal.test/acme/payments?a=1&b=2\n\n谢谢",
    );
    message.attachments.push(Attachment {
        filename: "recibo-nº12.pdf".into(),
        content_type: "application/pdf".into(),
        bytes: pdf.clone(),
    });
    mailer.send(&message).await.expect("sent");
    let raw = received("sink")
        .into_iter()
        .find(|m| String::from_utf8_lossy(m).contains(&marker))
        .expect("the sink got it");
    let text = String::from_utf8_lossy(&raw);
    assert!(
        !text.contains("Recibo nº"),
        "the subject is encoded on the wire"
    );
    let parsed = MessageParser::default().parse(&raw).expect("parses");
    assert_eq!(
        parsed.subject(),
        Some(format!("Recibo nº 12 — pagamento recebido 收据 {marker}").as_str())
    );
    assert!(parsed.message_id().is_some_and(|id| id.contains('@')));
    assert!(parsed.date().is_some());
    assert_sender(&parsed, "Livraria São João");
    let body = parsed.body_text(0).expect("text");
    assert!(
        body.contains("1.234,56 € <já recebido>") && body.contains("谢谢"),
        "{body}"
    );
    let html = parsed.body_html(0).expect("html");
    assert!(html.contains("&lt;já recebido&gt;"), "{html}");
    assert!(html.contains("<a href=\"https://portal.test/acme/payments?a=1&amp;b=2\">"));
    let attachment = parsed.attachment(0).expect("attachment");
    assert_eq!(attachment.attachment_name(), Some("recibo-nº12.pdf"));
    assert_eq!(
        attachment.contents(),
        pdf.as_slice(),
        "the PDF's bytes exactly"
    );
}

/// STARTTLS with the server's certificate (signed by a throwaway CA the mailer is
/// told to trust) and AUTH: sent. A wrong password: unavailable (retried), never
/// rejected for good. STARTTLS required against a server that does
/// not offer it: nothing sent, no credentials given.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn starttls_and_authentication() {
    let (Some(secure), Some(sink)) = (server("secure"), server("sink")) else {
        return;
    };
    let ca = std::fs::read(std::env::var("SMTP_CA").expect("SMTP_CA")).expect("ca");
    let url = |password: &str| format!("smtp://portal:{password}@localhost:{secure}?tls=starttls");
    let mut config =
        SmtpConfig::from_url(&url("s3cret%20pass"), "a@livraria.example").expect("config");
    config.extra_root_pem = Some(ca.clone());
    let mailer = SmtpMailer::new(config).expect("mailer");
    let marker = uuid::Uuid::now_v7().simple().to_string();
    mailer
        .send(&email(
            &format!("tls.{marker}@example.com"),
            &format!("Over TLS {marker}"),
            "hi",
        ))
        .await
        .expect("sent over STARTTLS with AUTH");
    assert!(
        received("secure")
            .iter()
            .any(|m| String::from_utf8_lossy(m).contains(&marker))
    );
    // A wrong password: refused for good, nothing delivered.
    let mut wrong = SmtpConfig::from_url(&url("wrong"), "a@livraria.example").expect("config");
    wrong.extra_root_pem = Some(ca.clone());
    wrong.timeout = Duration::from_secs(5);
    wrong.pool_size = 0;
    let started = std::time::Instant::now();
    let err = SmtpMailer::new(wrong)
        .expect("mailer")
        .send(&email(
            &format!("wrong.{marker}@example.com"),
            &format!("Wrong password {marker}"),
            "x",
        ))
        .await
        .expect_err("wrong password");
    assert!(
        matches!(&err, MailerError::Unavailable(why) if why.contains("535") && why.contains("password")),
        "a wrong password is the host's to fix, so the outbox keeps the email: {err:?}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "answered, not timed out"
    );
    assert!(
        !received("secure")
            .iter()
            .any(|m| String::from_utf8_lossy(m).contains("Wrong password")),
        "nothing delivered"
    );
    // The sink offers no STARTTLS: required, so nothing goes.
    let before = received("sink").len();
    let mut downgrade = SmtpConfig::from_url(
        &format!("smtp://portal:s3cret@127.0.0.1:{sink}"),
        "a@livraria.example",
    )
    .expect("config");
    downgrade.pool_size = 0;
    let err = SmtpMailer::new(downgrade)
        .expect("mailer")
        .send(&email("y@example.com", "must not arrive", "x"))
        .await
        .expect_err("no STARTTLS");
    assert!(matches!(err, MailerError::Unavailable(_)), "{err:?}");
    assert_eq!(
        received("sink").len(),
        before,
        "nothing was sent in the clear"
    );
}

/// 451: unavailable now (the outbox retries), delivered on the next try; 550:
/// rejected with the server's answer (the outbox fails it, not retried).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn temporary_and_permanent_refusals() {
    let (Some(tempfail), Some(reject)) = (server("tempfail"), server("reject")) else {
        return;
    };
    let marker = uuid::Uuid::now_v7().simple().to_string();
    let message = email(
        &format!("later.{marker}@example.com"),
        &format!("Later {marker}"),
        "x",
    );
    let mailer = SmtpMailer::new(plain(tempfail)).expect("mailer");
    let first = mailer.send(&message).await.expect_err("451");
    assert!(
        matches!(&first, MailerError::Unavailable(why) if why.contains("451")),
        "{first:?}"
    );
    mailer.send(&message).await.expect("delivered on the retry");
    assert!(
        received("tempfail")
            .iter()
            .any(|m| String::from_utf8_lossy(m).contains(&marker))
    );
    let err = SmtpMailer::new(plain(reject))
        .expect("mailer")
        .send(&email("nobody@example.com", "x", "x"))
        .await
        .expect_err("550");
    assert!(
        matches!(&err, MailerError::Rejected(why) if why.contains("550") && why.contains("No such mailbox")),
        "{err:?}"
    );
}

/// A portal whose outbox is sent through `mailer`, on the memory store, with a
/// manual clock and an organization whose contact email is `ola@livraria.example`.
async fn portal_with(
    mailer: SmtpMailer,
    config: portal_core::PortalConfig,
) -> (
    portal_core::Portal,
    std::sync::Arc<portal_memory::MemoryStore>,
    std::sync::Arc<portal_core::clock::ManualClock>,
    portal_core::domain::Organization,
) {
    use portal_core::domain::{NewOrganization, PortalSlug};
    let store = std::sync::Arc::new(portal_memory::MemoryStore::new());
    let clock = std::sync::Arc::new(portal_core::clock::ManualClock::new(
        time::macros::datetime!(2026-05-04 09:00 UTC),
    ));
    let portal = portal_core::Portal::builder(store.clone(), std::sync::Arc::new(mailer))
        .with_clock(clock.clone())
        .with_config(config)
        .build()
        .expect("portal");
    let org = portal
        .create_org(NewOrganization {
            name: "Livraria Café Ñandú".into(),
            slug: PortalSlug::parse("livraria").expect("slug"),
        })
        .await
        .expect("org");
    let org = portal
        .org(org.id)
        .update_settings(|s| {
            s.contact_details.email = Some(Email::parse("ola@livraria.example").expect("email"));
        })
        .await
        .expect("settings");
    (portal, store, clock, org)
}

/// Through the outbox: an email to a customer is sent under the organization's
/// name with its contact email as `Reply-To` and no unsubscribe address (it is a
/// transaction); the organization's own notification carries its settings page as
/// `List-Unsubscribe`. The `Message-ID` is the outbox email's id.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_outbox_sends_under_the_organizations_name() {
    use portal_core::domain::OutboxEmail;
    use portal_core::store::OutboxStore as _;
    let Some(port) = server("sink") else {
        return;
    };
    let config = portal_core::PortalConfig::default()
        .with_notification_settings_url("https://books.example/console/{org}/settings");
    let (portal, store, clock, org) =
        portal_with(SmtpMailer::new(plain(port)).expect("mailer"), config).await;
    let marker = uuid::Uuid::now_v7().simple().to_string();
    let now = portal_core::clock::Clock::now(&*clock);
    let to_customer = OutboxEmail::new(
        org.id,
        EmailKind::CustomerNotification,
        Email::parse(&format!("ana.{marker}@example.com")).expect("email"),
        format!("Receipt {marker}"),
        "Thank you.".into(),
        now,
    );
    let to_org = OutboxEmail::new(
        org.id,
        EmailKind::OrgNotification,
        Email::parse("ola@livraria.example").expect("email"),
        format!("Quote accepted {marker}"),
        "Ana accepted QT-1.".into(),
        now,
    );
    store.enqueue_email(&to_customer).await.expect("queued");
    store.enqueue_email(&to_org).await.expect("queued");
    let report = portal.dispatch_emails(10).await.expect("dispatch");
    assert_eq!(report.sent, 2, "{report:?}");
    let read = |subject: String| {
        received("sink")
            .into_iter()
            .find(|m| {
                MessageParser::default()
                    .parse(m)
                    .is_some_and(|p| p.subject() == Some(subject.as_str()))
            })
            .expect("the sink got it")
    };
    let raw = read(format!("Receipt {marker}"));
    let parsed = MessageParser::default().parse(&raw).expect("parses");
    assert_sender(&parsed, "Livraria Café Ñandú");
    assert_eq!(
        parsed.message_id(),
        Some(format!("{}@livraria.example", to_customer.id.as_uuid().simple()).as_str())
    );
    assert!(parsed.header("List-Unsubscribe").is_none());
    let raw = read(format!("Quote accepted {marker}"));
    let parsed = MessageParser::default().parse(&raw).expect("parses");
    assert!(
        parsed.reply_to().is_none(),
        "the organization's own notification"
    );
    assert_eq!(
        parsed.header_raw("List-Unsubscribe").map(str::trim),
        Some("<https://books.example/console/livraria/settings>")
    );
}

/// The connection drops after the server took the message and before its answer
/// is read: the mailer cannot know the message arrived, so the outbox keeps it and
/// a later dispatch sends it again, under the same `Message-ID`. The guarantee is
/// at least once, never lost; a second copy is the same message by its id (mail
/// stores that deduplicate by `Message-ID` show it once).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dropped_connection_sends_again_under_the_same_message_id() {
    use portal_core::domain::OutboxEmail;
    use portal_core::store::OutboxStore as _;
    let Some(port) = server("drop") else {
        return;
    };
    let mut config = plain(port);
    config.pool_size = 0;
    let (portal, store, clock, org) = portal_with(
        SmtpMailer::new(config).expect("mailer"),
        portal_core::PortalConfig::default(),
    )
    .await;
    let marker = uuid::Uuid::now_v7().simple().to_string();
    let email = OutboxEmail::new(
        org.id,
        EmailKind::CustomerNotification,
        Email::parse(&format!("ana.{marker}@example.com")).expect("email"),
        format!("Invoice {marker}"),
        "Your invoice.".into(),
        portal_core::clock::Clock::now(&*clock),
    );
    store.enqueue_email(&email).await.expect("queued");
    let first = portal.dispatch_emails(10).await.expect("dispatch");
    let kept = store.outbox_email(org.id, email.id).await.expect("outbox");
    assert_eq!(
        (first.sent, first.deferred),
        (0, 1),
        "{first:?} {:?}",
        kept.last_error
    );
    let kept = store.outbox_email(org.id, email.id).await.expect("outbox");
    assert_eq!(
        (kept.status, kept.attempts),
        (portal_core::domain::EmailStatus::Pending, 1),
        "kept for a retry"
    );
    clock.advance(time::Duration::minutes(1));
    let second = portal.dispatch_emails(10).await.expect("dispatch");
    assert_eq!((second.sent, second.deferred), (1, 0), "{second:?}");
    let copies: Vec<String> = received("drop")
        .iter()
        .filter_map(|m| {
            let parsed = MessageParser::default().parse(m)?;
            (parsed.subject() == Some(format!("Invoice {marker}").as_str()))
                .then(|| parsed.message_id().map(str::to_owned))
                .flatten()
        })
        .collect();
    assert_eq!(
        copies,
        vec![format!("{}@livraria.example", email.id.as_uuid().simple()); 2],
        "two copies, one Message-ID"
    );
}
