//! The mailer port: hands an email to a mail server.

use std::fmt::Debug;

use async_trait::async_trait;

use crate::domain::{Email, EmailId, EmailKind};

/// An email ready to send, as the dispatcher hands it to the [`Mailer`].
///
/// Built with [`EmailMessage::new`]; the dispatcher also fills in the
/// organization's name and reply address, and the notification settings' address.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct EmailMessage {
    /// The outbox email's id: the same on every attempt to send it, so a mailer can
    /// derive a stable `Message-ID` from it and a copy sent twice (the connection
    /// dropped after the server took it) is recognisable as the same message.
    pub id: EmailId,
    /// What it is about: a notification may be switched off, a transaction not.
    pub kind: EmailKind,
    /// The name it is sent under: the organization's.
    pub sender_name: Option<String>,
    /// Where replies go: the organization's contact email, for emails to its
    /// customers.
    pub reply_to: Option<Email>,
    /// Where the recipient turns notifications like this one off (a
    /// `List-Unsubscribe` address), for notifications only.
    pub unsubscribe: Option<String>,
    /// Recipient.
    pub to: Email,
    /// Subject.
    pub subject: String,
    /// Plain-text body.
    pub body: String,
    /// Files attached (a document as PDF).
    pub attachments: Vec<Attachment>,
}

impl EmailMessage {
    /// An email `id` of `kind` to `to`, without attachments, sender name, reply
    /// address or unsubscribe address.
    #[must_use]
    pub fn new(id: EmailId, kind: EmailKind, to: Email, subject: String, body: String) -> Self {
        Self {
            id,
            kind,
            sender_name: None,
            reply_to: None,
            unsubscribe: None,
            to,
            subject,
            body,
            attachments: Vec::new(),
        }
    }
}

/// A file attached to an email.
#[derive(Clone, PartialEq, Eq)]
pub struct Attachment {
    /// The file's name: `invoice-INV-0001.pdf`.
    pub filename: String,
    /// Its media type: `application/pdf`.
    pub content_type: String,
    /// Its bytes.
    pub bytes: Vec<u8>,
}

impl Debug for Attachment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Attachment")
            .field("filename", &self.filename)
            .field("content_type", &self.content_type)
            .field("bytes", &self.bytes.len())
            .finish()
    }
}

/// Turns a printable document into a file (a PDF): what the dispatcher attaches to
/// receipts and forwarded documents. `portal-pdf` provides one; without a renderer
/// those emails go without attachment.
pub trait DocumentRenderer: Debug + Send + Sync + 'static {
    /// The file of `document`.
    ///
    /// # Errors
    /// Why it could not be made, for the log.
    fn render(&self, document: &crate::print::Printable) -> Result<Vec<u8>, String>;

    /// The file's media type.
    fn content_type(&self) -> &'static str {
        "application/pdf"
    }

    /// The file name extension, without the dot.
    fn extension(&self) -> &'static str {
        "pdf"
    }
}

impl Debug for EmailMessage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The body may carry a single-use link.
        f.debug_struct("EmailMessage")
            .field("id", &self.id)
            .field("kind", &self.kind)
            .field("to", &self.to)
            .field("subject", &self.subject)
            .field("attachments", &self.attachments)
            .finish_non_exhaustive()
    }
}

/// Why an email was not sent.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum MailerError {
    /// The mail server could not be reached or failed for now; the email is retried.
    #[error("mail server unavailable: {0}")]
    Unavailable(String),
    /// The mail server refused this email for good (e.g. no such mailbox); it is not
    /// retried.
    #[error("mail server rejected the email: {0}")]
    Rejected(String),
}

/// Sends email. Implement it over SMTP or an email API in the host app.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait Mailer: Debug + Send + Sync + 'static {
    /// Sends one email.
    async fn send(&self, message: &EmailMessage) -> Result<(), MailerError>;
}
