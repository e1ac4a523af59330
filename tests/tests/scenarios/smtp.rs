//! The SMTP mailer against real SMTP servers on 127.0.0.1 started by
//! `scripts/with-smtp` (Debian's aiosmtpd): messages read back and parsed as a
//! mail client would; STARTTLS with a self-signed certificate and AUTH; a server
//! that answers 451, one that answers 550. Under `CI=true` missing servers fail
//! these tests.

use std::path::PathBuf;
use std::time::Duration;

use mail_parser::{MessageParser, MimeHeaders as _};
use portal_core::domain::Email;
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

fn email(to: &str, subject: &str, body: &str) -> EmailMessage {
    EmailMessage {
        to: Email::parse(to).expect("email"),
        subject: subject.into(),
        body: body.into(),
        attachments: Vec::new(),
    }
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
    let from = parsed.from().and_then(|a| a.first()).expect("from");
    assert_eq!(from.name(), Some("Livraria São João"));
    assert_eq!(from.address(), Some("faturas@livraria.example"));
    assert_eq!(
        parsed
            .reply_to()
            .and_then(|a| a.first())
            .and_then(|a| a.address()),
        Some("ola@livraria.example")
    );
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
/// told to trust) and AUTH: sent. STARTTLS required against a server that does
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
