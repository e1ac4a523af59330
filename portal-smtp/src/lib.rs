//! SMTP for the customer portal: a [`Mailer`] over an SMTP server, on
//! [lettre](https://lettre.rs).
//!
//! - **One URL configures it** ([`SmtpConfig::from_url`]): `smtps://user:pass@host:465`
//!   (implicit TLS), `smtp://user:pass@host:587` (STARTTLS, required: if the
//!   upgrade fails nothing is sent, credentials least of all), and
//!   `smtp://127.0.0.1:2525?tls=none` (plain, refused for any host but a loopback
//!   relay). The password never shows in `Debug` or logs.
//! - **Messages as mail clients expect**: `multipart/alternative` text and HTML
//!   (the HTML made from the same text, escaped), `Message-ID`, `Date`, the sender's
//!   name, `Reply-To`, non-ASCII subjects, names and file names encoded (RFC 2047,
//!   RFC 2231), the documents the outbox attaches.
//! - **Sent as the organization**: the sender's address is the configured one, its
//!   name the organization's; replies go to the organization's contact email; the
//!   organization's own notifications carry `List-Unsubscribe` (its settings page,
//!   [`PortalConfig::notification_settings_url`](portal_core::PortalConfig)).
//! - **Outcomes the outbox acts on**: a 4xx reply, a refused connection, a TLS
//!   failure, a timeout or refused credentials is [`MailerError::Unavailable`]
//!   (retried later with backoff); any other 5xx reply is [`MailerError::Rejected`]
//!   with the server's answer (failed, not retried, shown in the outbox).
//! - **At least once, never lost, one `Message-ID`**: when the connection drops
//!   after the server took a message and before its answer arrived, the mailer
//!   cannot know the message arrived. The outbox keeps it and sends it again later,
//!   under the same `Message-ID` (`<outbox email id@sender's domain>`), so the
//!   rare second copy is the same message to any mail store that deduplicates by
//!   it. Giving up instead would lose the emails whose first answer was lost.

use std::fmt;
use std::time::Duration;

use async_trait::async_trait;
use lettre::message::header::{ContentType, HeaderName, HeaderValue};
use lettre::message::{Attachment as MailAttachment, Mailbox, MultiPart, SinglePart};
use lettre::transport::smtp::PoolConfig;
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use portal_core::mailer::{EmailMessage, Mailer, MailerError};

/// How the connection to the server is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Security {
    /// TLS from the first byte (`smtps://`, usually port 465).
    Tls,
    /// STARTTLS, required: a server that does not upgrade gets nothing (`smtp://`,
    /// usually port 587).
    StartTls,
    /// No TLS: only to a relay on the loopback interface (`?tls=none`).
    Plain,
}

/// A configuration that cannot work, and what to change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError(pub String);

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ConfigError {}

fn config_error(what: impl Into<String>) -> ConfigError {
    ConfigError(what.into())
}

/// Where and how to send. `Debug` shows no password.
#[derive(Clone)]
pub struct SmtpConfig {
    /// The server's host name (checked against its certificate).
    pub host: String,
    /// Its port.
    pub port: u16,
    /// TLS, STARTTLS or plain.
    pub security: Security,
    /// User name and password, if the server wants them.
    pub credentials: Option<(String, String)>,
    /// The sender: `Acme Books <billing@acme.example>`.
    pub from: String,
    /// Where replies go, if not to the sender.
    pub reply_to: Option<String>,
    /// The time limit of connecting (default 10 s).
    pub timeout: Duration,
    /// The time limit of one email's whole exchange with the server, from
    /// connecting to the server's last answer (default 60 s). lettre bounds only
    /// the connection itself, so without it a server that stops answering would
    /// hold the dispatcher until the server gives up (five minutes for some).
    pub send_timeout: Duration,
    /// Connections kept open for reuse (default 4; 0 opens one per email).
    pub pool_size: u32,
    /// Certificates to trust besides the system's (a private relay's CA, PEM).
    pub extra_root_pem: Option<Vec<u8>>,
}

impl fmt::Debug for SmtpConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SmtpConfig")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("security", &self.security)
            .field("user", &self.credentials.as_ref().map(|(u, _)| u))
            .field("from", &self.from)
            .finish_non_exhaustive()
    }
}

fn is_loopback(host: &str) -> bool {
    host == "localhost"
        || host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

impl SmtpConfig {
    /// A configuration from a URL: `smtps://user:pass@host:465`,
    /// `smtp://user:pass@host:587` (STARTTLS, required; `?tls=starttls` says it
    /// too), or `smtp://127.0.0.1:2525?tls=none` (plain, loopback only). User and
    /// password are percent-decoded. `from` is the sender
    /// (`Acme Books <billing@acme.example>`).
    ///
    /// # Errors
    /// [`ConfigError`] naming what is wrong: the scheme, a missing host, an unknown
    /// `tls` value, plain SMTP to a host that is not loopback, an unreadable sender.
    pub fn from_url(url: &str, from: &str) -> Result<Self, ConfigError> {
        let parsed = url::Url::parse(url)
            .map_err(|e| config_error(format!("the SMTP URL does not parse: {e}")))?;
        let host = parsed
            .host_str()
            .filter(|h| !h.is_empty())
            .ok_or_else(|| config_error("the SMTP URL has no host"))?
            .to_owned();
        let tls = parsed
            .query_pairs()
            .find(|(k, _)| k == "tls")
            .map(|(_, v)| v.into_owned());
        let security = match (parsed.scheme(), tls.as_deref()) {
            ("smtps", None | Some("tls" | "implicit")) => Security::Tls,
            ("smtp", None | Some("starttls" | "required")) => Security::StartTls,
            ("smtp", Some("none")) if is_loopback(&host) => Security::Plain,
            ("smtp", Some("none")) => {
                return Err(config_error(
                    "plain SMTP (tls=none) is only for a relay on this machine (127.0.0.1, ::1, localhost); use smtps:// or STARTTLS",
                ));
            }
            (scheme @ ("smtp" | "smtps"), Some(other)) => {
                return Err(config_error(format!(
                    "{scheme}:// with tls={other}: use tls=starttls, or tls=none for a loopback relay"
                )));
            }
            (other, _) => {
                return Err(config_error(format!(
                    "the SMTP URL's scheme is {other}: use smtps:// (TLS) or smtp:// (STARTTLS)"
                )));
            }
        };
        let port = parsed.port().unwrap_or(match security {
            Security::Tls => 465,
            Security::StartTls => 587,
            Security::Plain => 25,
        });
        let decode = |text: &str| {
            url::form_urlencoded::parse(format!("x={text}").as_bytes())
                .next()
                .map(|(_, v)| v.into_owned())
                .unwrap_or_default()
        };
        let credentials = (!parsed.username().is_empty()).then(|| {
            (
                decode(parsed.username()),
                decode(parsed.password().unwrap_or_default()),
            )
        });
        from.parse::<Mailbox>()
            .map_err(|e| config_error(format!("the sender {from:?} is not a mailbox: {e}")))?;
        Ok(Self {
            host,
            port,
            security,
            credentials,
            from: from.to_owned(),
            reply_to: None,
            timeout: Duration::from_secs(10),
            send_timeout: Duration::from_secs(60),
            pool_size: 4,
            extra_root_pem: None,
        })
    }

    /// Replies go to `reply_to`.
    #[must_use]
    pub fn with_reply_to(mut self, reply_to: impl Into<String>) -> Self {
        self.reply_to = Some(reply_to.into());
        self
    }
}

/// The SMTP mailer.
#[derive(Clone)]
pub struct SmtpMailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    reply_to: Option<Mailbox>,
    host: String,
    send_timeout: Duration,
}

impl fmt::Debug for SmtpMailer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SmtpMailer")
            .field("host", &self.host)
            .field("from", &self.from.email.to_string())
            .finish_non_exhaustive()
    }
}

/// `text` as HTML paragraphs: escaped, blank lines between paragraphs, line breaks
/// kept, and links made clickable.
#[must_use]
pub fn html_of(text: &str) -> String {
    let escape = |s: &str| {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;")
    };
    let mut html = String::from(
        "<!doctype html><html><head><meta charset=\"utf-8\"></head><body style=\"font-family:sans-serif\">",
    );
    for paragraph in text.split("\n\n").filter(|p| !p.trim().is_empty()) {
        let lines: Vec<String> = paragraph
            .lines()
            .map(|line| {
                line.split(' ')
                    .map(|word| {
                        if word.starts_with("https://") || word.starts_with("http://") {
                            let w = escape(word);
                            format!("<a href=\"{w}\">{w}</a>")
                        } else {
                            escape(word)
                        }
                    })
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect();
        html.push_str("<p>");
        html.push_str(&lines.join("<br>"));
        html.push_str("</p>");
    }
    html.push_str("</body></html>");
    html
}

impl SmtpMailer {
    /// A mailer for `config`.
    ///
    /// # Errors
    /// [`ConfigError`] for a sender or reply-to that is not a mailbox, or extra
    /// certificates that do not parse.
    pub fn new(config: SmtpConfig) -> Result<Self, ConfigError> {
        let from: Mailbox = config
            .from
            .parse()
            .map_err(|e| config_error(format!("the sender is not a mailbox: {e}")))?;
        let reply_to = config
            .reply_to
            .as_deref()
            .map(str::parse::<Mailbox>)
            .transpose()
            .map_err(|e| config_error(format!("the reply-to is not a mailbox: {e}")))?;
        let mut tls = TlsParameters::builder(config.host.clone());
        if let Some(pem) = &config.extra_root_pem {
            let certificate = lettre::transport::smtp::client::Certificate::from_pem(pem)
                .map_err(|e| config_error(format!("the extra certificate: {e}")))?;
            tls = tls.add_root_certificate(certificate);
        }
        let tls = tls
            .build_rustls()
            .map_err(|e| config_error(format!("TLS: {e}")))?;
        let mut builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&config.host)
            .port(config.port)
            .timeout(Some(config.timeout))
            .tls(match config.security {
                Security::Tls => Tls::Wrapper(tls),
                Security::StartTls => Tls::Required(tls),
                Security::Plain => Tls::None,
            });
        if let Some((user, password)) = &config.credentials {
            builder = builder.credentials(Credentials::new(user.clone(), password.clone()));
        }
        if config.pool_size > 0 {
            builder = builder.pool_config(PoolConfig::new().max_size(config.pool_size));
        }
        Ok(Self {
            transport: builder.build(),
            from,
            reply_to,
            host: config.host,
            send_timeout: config.send_timeout,
        })
    }

    /// The message `email` becomes: text and HTML alternatives, then its
    /// attachments.
    ///
    /// # Errors
    /// [`MailerError::Rejected`] for a recipient or attachment type that cannot be
    /// written (the outbox would fail it again on every try).
    pub fn message(&self, email: &EmailMessage) -> Result<Message, MailerError> {
        let to: Mailbox =
            email.to.as_str().parse().map_err(|e| {
                MailerError::Rejected(format!("the recipient is not a mailbox: {e}"))
            })?;
        let from = match &email.sender_name {
            Some(name) if !name.trim().is_empty() => {
                Mailbox::new(Some(name.trim().to_owned()), self.from.email.clone())
            }
            _ => self.from.clone(),
        };
        let mut builder = Message::builder()
            .from(from)
            .to(to)
            .subject(email.subject.clone())
            .date_now()
            .message_id(Some(format!(
                "<{}@{}>",
                email.id.as_uuid().simple(),
                self.from.email.domain()
            )));
        let reply_to = match &email.reply_to {
            Some(address) => address.as_str().parse::<Mailbox>().ok(),
            None => None,
        };
        if let Some(reply_to) = reply_to.or_else(|| self.reply_to.clone()) {
            builder = builder.reply_to(reply_to);
        }
        if let Some(url) = email
            .unsubscribe
            .as_deref()
            .filter(|u| u.is_ascii() && !u.contains(['<', '>', '\r', '\n']))
        {
            builder = builder.raw_header(HeaderValue::new(
                HeaderName::new_from_ascii_str("List-Unsubscribe"),
                format!("<{url}>"),
            ));
        }
        let alternative = MultiPart::alternative()
            .singlepart(SinglePart::plain(email.body.clone()))
            .singlepart(SinglePart::html(html_of(&email.body)));
        let body = if email.attachments.is_empty() {
            alternative
        } else {
            let mut mixed = MultiPart::mixed().multipart(alternative);
            for a in &email.attachments {
                let kind = ContentType::parse(&a.content_type).map_err(|e| {
                    MailerError::Rejected(format!("attachment type {}: {e}", a.content_type))
                })?;
                mixed = mixed.singlepart(
                    MailAttachment::new(a.filename.clone()).body(a.bytes.clone(), kind),
                );
            }
            mixed
        };
        builder
            .multipart(body)
            .map_err(|e| MailerError::Rejected(format!("the message cannot be written: {e}")))
    }
}

#[async_trait]
impl Mailer for SmtpMailer {
    #[tracing::instrument(skip_all, fields(host = %self.host))]
    async fn send(&self, email: &EmailMessage) -> Result<(), MailerError> {
        let message = self.message(email)?;
        let sent = tokio::time::timeout(self.send_timeout, self.transport.send(message)).await;
        match sent {
            Ok(Ok(_)) => Ok(()),
            Ok(Err(e)) => Err(outcome(&e)),
            Err(_) => Err(MailerError::Unavailable(format!(
                "the mail server did not answer within {:?}",
                self.send_timeout
            ))),
        }
    }
}

/// What a failed exchange means for the email. A 5xx answer rejects it, except
/// the answers about the mailer's own credentials (530, 534, 535, 538): those are
/// the host's configuration to fix, and every email would be lost meanwhile, so the
/// outbox keeps retrying them. Everything else (4xx, connection, TLS, timeouts) is
/// for now.
fn outcome(e: &lettre::transport::smtp::Error) -> MailerError {
    let code = e.status().map(|c| c.to_string());
    match code.as_deref() {
        Some("530" | "534" | "535" | "538") => MailerError::Unavailable(format!(
            "the mail server refused the portal's credentials ({e}): check the SMTP URL's user and password"
        )),
        _ if e.is_permanent() => MailerError::Rejected(format!("the mail server refused it: {e}")),
        _ => MailerError::Unavailable(format!("{e}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_choose_tls_starttls_or_loopback_plain() {
        let c = SmtpConfig::from_url(
            "smtps://ana%40acme:p%C3%A4ss%3Aword@mail.acme.example",
            "A <a@acme.example>",
        )
        .expect("smtps");
        assert_eq!((c.security, c.port), (Security::Tls, 465));
        assert_eq!(c.credentials, Some(("ana@acme".into(), "päss:word".into())));
        let shown = format!("{c:?}");
        assert!(
            !shown.contains("päss") && !shown.contains("word"),
            "{shown}"
        );
        let c = SmtpConfig::from_url("smtp://mail.acme.example?tls=starttls", "a@acme.example")
            .expect("starttls");
        assert_eq!((c.security, c.port), (Security::StartTls, 587));
        assert_eq!(
            SmtpConfig::from_url("smtp://127.0.0.1:2525?tls=none", "a@acme.example")
                .expect("loopback")
                .security,
            Security::Plain
        );
        for bad in [
            "smtp://mail.acme.example?tls=none",
            "smtp://mail.acme.example?tls=maybe",
            "http://mail.acme.example",
            "smtp://",
        ] {
            assert!(
                SmtpConfig::from_url(bad, "a@acme.example").is_err(),
                "{bad}"
            );
        }
        assert!(SmtpConfig::from_url("smtps://h", "not a mailbox").is_err());
    }

    /// A server that accepts the connection and never says a word: the send ends
    /// at `send_timeout` as unavailable (lettre alone would wait for ever).
    #[tokio::test]
    async fn a_silent_server_times_out() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("listen");
        let port = listener.local_addr().expect("addr").port();
        let silent = tokio::spawn(async move {
            let mut open = Vec::new();
            while let Ok((socket, _)) = listener.accept().await {
                open.push(socket);
            }
        });
        let mut config =
            SmtpConfig::from_url(&format!("smtp://127.0.0.1:{port}?tls=none"), "a@b.example")
                .expect("config");
        config.send_timeout = Duration::from_millis(300);
        config.pool_size = 0;
        let mailer = SmtpMailer::new(config).expect("mailer");
        let email = EmailMessage::new(
            portal_core::domain::EmailId::new(),
            portal_core::domain::EmailKind::Invitation,
            portal_core::domain::Email::parse("c@d.example").expect("email"),
            "s".into(),
            "b".into(),
        );
        let started = std::time::Instant::now();
        let err = mailer.send(&email).await.expect_err("silent");
        assert!(
            matches!(&err, MailerError::Unavailable(why) if why.contains("did not answer")),
            "{err:?}"
        );
        assert!(started.elapsed() < Duration::from_secs(3));
        silent.abort();
    }

    #[test]
    fn html_is_escaped_and_links_clickable() {
        let html =
            html_of("Hi <b>Ana</b> & co\nline two\n\nOpen https://portal.test/a?b=1&c=2 now");
        assert!(html.contains("Hi &lt;b&gt;Ana&lt;/b&gt; &amp; co<br>line two</p><p>"));
        assert!(html.contains("<a href=\"https://portal.test/a?b=1&amp;c=2\">"));
    }
}
