//! Emails waiting to be sent (SPEC N4): written in the same store operation as the
//! change that caused them, sent later by the dispatcher, retried until sent.

use std::fmt;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::contact::UserPreferences;
use super::document::{DocumentKind, DocumentRef};
use super::email::Email;
use super::ids::{CustomerId, EmailId, OrgId};

/// A document an email carries as a PDF: the customer's document. The outbox keeps
/// only this reference; the dispatcher builds the document again at every attempt,
/// so a retry carries it too and the outbox never holds megabytes.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(from = "StoredAttachment", into = "StoredAttachment")]
pub struct AttachedDocument {
    /// The customer whose document it is.
    pub customer: CustomerId,
    /// The document.
    pub document: DocumentRef,
    /// The preferences it is written with (the language and formats of the
    /// email that carries it); `None` reads as the organization's defaults.
    pub read_as: Option<UserPreferences>,
}

impl AttachedDocument {
    /// The customer's document `document`, to attach, written with the
    /// organization's defaults until [`Self::read_as`] says otherwise.
    #[must_use]
    pub fn of(document: DocumentRef, customer: CustomerId) -> Self {
        Self {
            customer,
            document,
            read_as: None,
        }
    }

    /// The document written as `reader` reads: the email's recipient.
    #[must_use]
    pub fn read_by(mut self, reader: &crate::i18n::Reader) -> Self {
        self.read_as = Some(reader.preferences().clone());
        self
    }
}

/// How an attachment is stored: `{"kind": "invoice", "customer": …, "id": …}`.
#[derive(Serialize, Deserialize)]
struct StoredAttachment {
    kind: DocumentKind,
    customer: CustomerId,
    id: uuid::Uuid,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    read_as: Option<UserPreferences>,
}

impl From<AttachedDocument> for StoredAttachment {
    fn from(a: AttachedDocument) -> Self {
        Self {
            kind: a.document.kind(),
            customer: a.customer,
            id: a.document.uuid(),
            read_as: a.read_as,
        }
    }
}

impl From<StoredAttachment> for AttachedDocument {
    fn from(s: StoredAttachment) -> Self {
        Self {
            customer: s.customer,
            document: DocumentRef::of(s.kind, s.id),
            read_as: s.read_as,
        }
    }
}

/// What an outbox email is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EmailKind {
    /// A portal invitation.
    Invitation,
    /// A password-reset link.
    PasswordReset,
    /// A notification to the organization.
    OrgNotification,
    /// A notification to a customer.
    CustomerNotification,
}

impl EmailKind {
    /// The text stored in databases.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            EmailKind::Invitation => "invitation",
            EmailKind::PasswordReset => "password_reset",
            EmailKind::OrgNotification => "org_notification",
            EmailKind::CustomerNotification => "customer_notification",
        }
    }

    /// Parses the stored text.
    #[must_use]
    pub fn from_db(text: &str) -> Option<Self> {
        [
            EmailKind::Invitation,
            EmailKind::PasswordReset,
            EmailKind::OrgNotification,
            EmailKind::CustomerNotification,
        ]
        .into_iter()
        .find(|k| k.as_str() == text)
    }
}

/// Where an outbox email stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EmailStatus {
    /// Waiting for its next attempt.
    Pending,
    /// Handed to the mail server.
    Sent,
    /// The mail server refused it for good (e.g. the address does not exist).
    Rejected,
}

impl EmailStatus {
    /// The text stored in databases.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            EmailStatus::Pending => "pending",
            EmailStatus::Sent => "sent",
            EmailStatus::Rejected => "rejected",
        }
    }

    /// Parses the stored text.
    #[must_use]
    pub fn from_db(text: &str) -> Option<Self> {
        [
            EmailStatus::Pending,
            EmailStatus::Sent,
            EmailStatus::Rejected,
        ]
        .into_iter()
        .find(|k| k.as_str() == text)
    }
}

/// An email in the outbox. The body may hold a single-use link, so `Debug` leaves
/// it out, and the store blanks it once the email is sent.
#[derive(Clone, PartialEq, Eq)]
pub struct OutboxEmail {
    /// Identifier.
    pub id: EmailId,
    /// The organization it is sent for.
    pub org: OrgId,
    /// What it is about.
    pub kind: EmailKind,
    /// Recipient.
    pub to: Email,
    /// Subject.
    pub subject: String,
    /// Plain-text body.
    pub body: String,
    /// Status.
    pub status: EmailStatus,
    /// Attempts made so far.
    pub attempts: u32,
    /// When it may next be tried (also the lease of a dispatcher that claimed it).
    pub next_attempt_at: OffsetDateTime,
    /// The last failure, if any.
    pub last_error: Option<String>,
    /// When it was queued.
    pub created_at: OffsetDateTime,
    /// When it was sent.
    pub sent_at: Option<OffsetDateTime>,
    /// The document it carries as a PDF, if any.
    pub attachment: Option<AttachedDocument>,
}

impl OutboxEmail {
    /// A new pending email, due at once. Its subject is one line (line breaks
    /// become spaces), and neither subject nor body keeps a bidirectional control
    /// that reorders text ([`super::is_reordering_control`]): the library refuses
    /// them in what it stores, and an email built from text stored before that
    /// cannot be spoofed by one either.
    #[must_use]
    pub fn new(
        org: OrgId,
        kind: EmailKind,
        to: Email,
        subject: String,
        body: String,
        now: OffsetDateTime,
    ) -> Self {
        let plain = |text: String| {
            if text.chars().any(super::is_reordering_control) {
                text.replace(super::is_reordering_control, "")
            } else {
                text
            }
        };
        Self {
            id: EmailId::new(),
            org,
            kind,
            to,
            subject: plain(subject).replace(['\r', '\n'], " "),
            body: plain(body),
            status: EmailStatus::Pending,
            attempts: 0,
            next_attempt_at: now,
            last_error: None,
            created_at: now,
            sent_at: None,
            attachment: None,
        }
    }

    /// The same email, carrying `document` as a PDF.
    #[must_use]
    pub fn with_attachment(mut self, document: AttachedDocument) -> Self {
        self.attachment = Some(document);
        self
    }
}

impl fmt::Debug for OutboxEmail {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OutboxEmail")
            .field("id", &self.id)
            .field("org", &self.org)
            .field("kind", &self.kind)
            .field("to", &self.to)
            .field("subject", &self.subject)
            .field("status", &self.status)
            .field("attempts", &self.attempts)
            .field("next_attempt_at", &self.next_attempt_at)
            .field("last_error", &self.last_error)
            .field("attachment", &self.attachment)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_email_keeps_no_reordering_control_and_a_one_line_subject() {
        let email = OutboxEmail::new(
            OrgId::new(),
            EmailKind::CustomerNotification,
            Email::parse("ana@example.com").expect("email"),
            "Invoice INV\u{202E}fdp.exe\nfrom Acme".into(),
            "Hello \u{2067}Ana\u{2069},\nyour invoice.".into(),
            OffsetDateTime::UNIX_EPOCH,
        );
        assert_eq!(email.subject, "Invoice INVfdp.exe from Acme");
        assert_eq!(email.body, "Hello Ana,\nyour invoice.");
    }
}
