//! Sends the outbox through the mailer, retrying failures with backoff (N4).

use crate::EmailKind;
use crate::Entity;
use crate::Error;
use crate::OutboxEmail;
use crate::PortalSession;
use crate::limited_text;
use time::Duration;
use tracing::instrument;

use super::Portal;
use crate::error::Result;
use crate::mailer::{EmailMessage, MailerError};

/// What one dispatch run did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DispatchReport {
    /// Emails handed to the mail server.
    pub sent: u32,
    /// Emails that failed for now and will be retried.
    pub deferred: u32,
    /// Emails the mail server refused for good.
    pub rejected: u32,
}

impl Portal {
    /// Sends up to `limit` due emails of the outbox. A failure leaves the email
    /// pending with a growing delay (30 s, 1 min, 2 min, ... up to 1 hour by
    /// default); nothing is dropped while the mail server is down. Emails are claimed
    /// with a lease first, so several dispatchers can run at once without sending
    /// an email twice (unless one dies after sending and before recording it: then
    /// the email is sent again after the lease, at least once rather than never).
    /// Call it from a timer in the host app.
    ///
    /// # Errors
    /// Store errors (mailer failures are counted in the report, not returned).
    #[instrument(skip_all)]
    pub async fn dispatch_emails(&self, limit: u32) -> Result<DispatchReport> {
        let inner = &self.inner;
        let now = self.now();
        let claimed = inner
            .store
            .claim_due_emails(now, now + inner.config.dispatch_lease, limit)
            .await?;
        let mut report = DispatchReport::default();
        for email in claimed {
            let message = EmailMessage {
                to: email.to.clone(),
                subject: email.subject.clone(),
                body: email.body.clone(),
            };
            match inner.mailer.send(&message).await {
                Ok(()) => {
                    inner.store.mark_email_sent(email.id, self.now()).await?;
                    report.sent += 1;
                }
                Err(MailerError::Rejected(why)) => {
                    tracing::warn!(email = %email.id, %why, "email rejected");
                    inner
                        .store
                        .mark_email_failed(email.id, &why, self.now(), false)
                        .await?;
                    report.rejected += 1;
                }
                Err(e) => {
                    let delay = self.retry_delay(email.attempts);
                    tracing::warn!(email = %email.id, error = %e, ?delay, "email deferred");
                    inner
                        .store
                        .mark_email_failed(email.id, &e.to_string(), self.now() + delay, true)
                        .await?;
                    report.deferred += 1;
                }
            }
        }
        Ok(report)
    }

    /// The delay before the next attempt after `attempts` earlier attempts failed.
    fn retry_delay(&self, attempts: u32) -> Duration {
        let config = &self.inner.config;
        let factor = 2_i32.saturating_pow(attempts.min(20));
        config
            .retry_base_delay
            .checked_mul(factor)
            .unwrap_or(config.retry_max_delay)
            .min(config.retry_max_delay)
    }
}

/// Emails from the portal user: to the organization, and forwarded documents (D3).
/// From [`PortalSession::messages`]; every call is scoped to the session's customer.
#[derive(Debug, Clone, Copy)]
pub struct SessionMessages<'s>(pub(super) &'s PortalSession);

impl PortalSession {
    /// Emails from the portal user: to the organization, and forwarded documents (D3).
    #[must_use]
    pub fn messages(&self) -> SessionMessages<'_> {
        SessionMessages(self)
    }
}

impl SessionMessages<'_> {
    /// Sends an email to the organization from the portal (C3), through the outbox.
    /// The text is plain; the sender's name and email are added so the org can reply.
    ///
    /// # Errors
    /// [`Error::Text`](crate::Error::Text) for an empty or too long subject (200) or message (10 000),
    /// [`Error::NotFound`](crate::Error::NotFound) if the organization has no contact email.
    #[instrument(skip_all, fields(org = %self.0.org.id, customer = %self.0.customer.id))]
    pub async fn email_org(self, subject: &str, message: &str) -> Result<()> {
        limited_text("subject", subject, 1, 200)?;
        limited_text("message", message, 1, 10_000)?;
        let to = self
            .0
            .org
            .settings
            .contact_details
            .email
            .clone()
            .ok_or(Error::NotFound(Entity::OrganizationEmail))?;
        let from = self
            .0
            .contact
            .email
            .as_ref()
            .map_or_else(String::new, |e| format!(" <{e}>"));
        let email = OutboxEmail::new(
            self.0.org.id,
            EmailKind::OrgNotification,
            to,
            format!("[Portal] {}", subject.trim()).replace(['\r', '\n'], " "),
            format!(
                "{}{from} of {} wrote from the customer portal:\n\n{}\n",
                self.0.contact.full_name(),
                self.0.customer.display_name,
                message.trim()
            ),
            self.0.portal.now(),
        );
        self.0.portal.inner.store.enqueue_email(&email).await?;
        Ok(())
    }
}

impl SessionMessages<'_> {
    /// Forwards one of the customer's quotes, invoices or sales orders to an email
    /// address (D3),
    /// when the organization allows it. Someone who is not yet a contact person of
    /// the organization becomes one of this customer (without portal access), and
    /// receives the document's summary and the portal's address by email.
    ///
    /// # Errors
    /// [`Error::Forbidden`](crate::Error::Forbidden) when forwarding is off, `NotFound` for a document that is
    /// not the customer's, [`Error::Email`](crate::Error::Email) for a malformed address, [`Error::Text`](crate::Error::Text)
    /// for the note (at most 2000 characters).
    #[instrument(skip_all, fields(org = %self.0.org.id, customer = %self.0.customer.id))]
    pub async fn forward(
        self,
        target: crate::domain::DocumentRef,
        to: &str,
        note: Option<&str>,
    ) -> Result<()> {
        use crate::domain::{Action, ContactPerson, DocumentRef, Email, Module, NewContact};
        if !self.0.org.settings.preferences.allow_forwarding {
            return Err(Error::Forbidden(crate::domain::Refusal::SettingOff {
                setting: crate::domain::Setting::AllowForwarding,
            }));
        }
        let to = Email::parse(to)?;
        if let Some(note) = note {
            limited_text("note", note, 0, 2_000)?;
        }
        let store = &self.0.portal.inner.store;
        let summary = match target {
            DocumentRef::SalesOrder(id) => {
                self.0.require(Module::SalesOrders, Action::View)?;
                let o = store
                    .customer_sales_order(self.0.org.id, self.0.customer.id, id)
                    .await?;
                format!(
                    "Sales order {} for {}, ordered on {}.",
                    o.number, o.total, o.order_date
                )
            }
            DocumentRef::Quote(id) => {
                self.0.require(Module::Quotes, Action::View)?;
                let q = store
                    .customer_quote(self.0.org.id, self.0.customer.id, id)
                    .await?;
                format!(
                    "Quote {} for {}, valid until {}.",
                    q.number, q.total, q.expiry_date
                )
            }
            DocumentRef::Invoice(id) => {
                self.0.require(Module::Invoices, Action::View)?;
                let i = store
                    .customer_invoice(self.0.org.id, self.0.customer.id, id)
                    .await?;
                format!(
                    "Invoice {} for {}, {} due by {}.",
                    i.number, i.total, i.balance, i.due_date
                )
            }
        };
        let new_contact = match store.contact_by_email(self.0.org.id, &to).await {
            Ok(_) => None,
            Err(crate::store::StoreError::NotFound(_)) => {
                let local = to
                    .as_str()
                    .split('@')
                    .next()
                    .unwrap_or("Contact")
                    .to_owned();
                Some(ContactPerson::create(
                    self.0.org.id,
                    self.0.customer.id,
                    NewContact::new(local, "", Some(to.clone())),
                    self.0.portal.now(),
                ))
            }
            Err(e) => return Err(e.into()),
        };
        let note = note
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .map_or_else(String::new, |n| {
                format!("\n{} wrote:\n{n}\n", self.0.contact.full_name())
            });
        let email = OutboxEmail::new(
            self.0.org.id,
            EmailKind::CustomerNotification,
            to,
            format!(
                "{} forwarded a document from {}",
                self.0.contact.full_name(),
                self.0.org.name
            )
            .replace(['\r', '\n'], " "),
            format!(
                "{summary}\n{note}\nIt was sent to {} by {}. The customer portal is at {}.\n",
                self.0.customer.display_name,
                self.0.org.name,
                self.0.portal.portal_url(&self.0.org.slug)
            ),
            self.0.portal.now(),
        );
        store.forward_document(new_contact.as_ref(), &email).await?;
        Ok(())
    }
}
