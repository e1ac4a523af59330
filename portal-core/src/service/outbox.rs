//! Sends the outbox through the mailer, retrying failures with backoff (N4).

use crate::domain::EmailKind;
use crate::domain::OutboxEmail;
use crate::error::Error;
use crate::service::PortalSession;
use crate::store::Entity;
use crate::{domain::limited_text, domain::single_line_text};
use futures_util::StreamExt as _;
use time::Duration;
use tracing::instrument;

use super::Portal;
use crate::error::Result;
use crate::mailer::{EmailMessage, MailerError};

/// What became of one email of a dispatch run.
enum Outcome {
    Sent,
    Deferred,
    Rejected,
}

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
    /// Sends up to `limit` due emails of the outbox,
    /// [`PortalConfig::dispatch_concurrency`](crate::PortalConfig) at once. A failure leaves the email
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
        // Each organization is read once per run, before any email goes.
        let mut orgs = std::collections::HashMap::new();
        for email in &claimed {
            if let std::collections::hash_map::Entry::Vacant(v) = orgs.entry(email.org) {
                v.insert(inner.store.org(email.org).await?);
            }
        }
        let orgs = &orgs;
        let outcomes: Vec<Result<Outcome>> = futures_util::stream::iter(claimed)
            .map(|email| async move {
                let org = orgs
                    .get(&email.org)
                    .ok_or(Error::NotFound(Entity::Organization))?;
                self.send_one(email, org).await
            })
            .buffer_unordered(inner.config.dispatch_concurrency.max(1))
            .collect()
            .await;
        let mut report = DispatchReport::default();
        for outcome in outcomes {
            match outcome? {
                Outcome::Sent => report.sent += 1,
                Outcome::Deferred => report.deferred += 1,
                Outcome::Rejected => report.rejected += 1,
            }
        }
        Ok(report)
    }

    /// Sends one claimed email and records what became of it.
    async fn send_one(
        &self,
        email: OutboxEmail,
        org: &crate::domain::Organization,
    ) -> Result<Outcome> {
        let inner = &self.inner;
        let mut message = EmailMessage::new(
            email.id,
            email.kind,
            email.to.clone(),
            email.subject.clone(),
            email.body.clone(),
        );
        self.address(&mut message, org);
        if let Some(document) = email.attachment {
            message.attachments = self.attachment(email.org, document).await;
        }
        match inner.mailer.send(&message).await {
            Ok(()) => {
                inner
                    .store
                    .mark_email_sent(email.org, email.id, self.now())
                    .await?;
                Ok(Outcome::Sent)
            }
            Err(MailerError::Rejected(why)) => {
                tracing::warn!(email = %email.id, %why, "email rejected");
                inner
                    .store
                    .mark_email_failed(email.org, email.id, &why, self.now(), false)
                    .await?;
                Ok(Outcome::Rejected)
            }
            Err(e) => {
                let delay = self.retry_delay(email.attempts);
                tracing::warn!(email = %email.id, error = %e, ?delay, "email deferred");
                inner
                    .store
                    .mark_email_failed(
                        email.org,
                        email.id,
                        &e.to_string(),
                        self.now() + delay,
                        true,
                    )
                    .await?;
                Ok(Outcome::Deferred)
            }
        }
    }

    /// Who an email is from and where its replies and unsubscriptions go: sent
    /// under the organization's name; replies to the organization's contact email
    /// (but for the organization's own notifications); the organization's
    /// notifications carry its settings page as their unsubscribe address.
    fn address(&self, message: &mut EmailMessage, org: &crate::domain::Organization) {
        message.sender_name = Some(org.name.clone());
        if message.kind == EmailKind::OrgNotification {
            message.unsubscribe = self
                .inner
                .config
                .notification_settings_url
                .as_ref()
                .map(|url| url.replace("{org}", org.slug.as_str()));
        } else {
            message
                .reply_to
                .clone_from(&org.settings.contact_details.email);
        }
    }

    /// The file of an email's document, built again from the store at every
    /// attempt. A document that cannot be built (no renderer, the document gone)
    /// leaves the email without it, and says why in the log.
    async fn attachment(
        &self,
        org: crate::domain::OrgId,
        document: crate::domain::AttachedDocument,
    ) -> Vec<crate::mailer::Attachment> {
        let Some(renderer) = self.inner.renderer.clone() else {
            return Vec::new();
        };
        match self.printable(org, document).await {
            Ok(printable) => match renderer.render(&printable) {
                Ok(bytes) => vec![crate::mailer::Attachment {
                    filename: printable.file_name(renderer.extension()),
                    content_type: renderer.content_type().to_owned(),
                    bytes,
                }],
                Err(why) => {
                    tracing::warn!(%org, %why, "attachment not rendered");
                    Vec::new()
                }
            },
            Err(e) => {
                tracing::warn!(%org, code = e.code(), "attachment's document not readable");
                Vec::new()
            }
        }
    }

    /// The printable model of an attached document, read org-side.
    async fn printable(
        &self,
        org: crate::domain::OrgId,
        document: crate::domain::AttachedDocument,
    ) -> Result<crate::print::Printable> {
        use crate::domain::DocumentRef as D;
        use crate::print::Printable;
        let store = &self.inner.store;
        let organization = store.org(org).await?;
        let reader = document.read_as.as_ref().map_or_else(
            || crate::i18n::Reader::of_org(&organization),
            crate::i18n::Reader::new,
        );
        let r = &reader;
        let customer_id = document.customer;
        let customer = store.customer(org, customer_id).await?;
        let (o, c) = (&organization, &customer);
        Ok(match document.document {
            D::Invoice(id) => {
                let invoice = store.invoices().of_customer(org, customer_id, id).await?;
                Printable::invoice(o, c, &invoice, self.today_in(o), r)?
            }
            D::Quote(id) => {
                let quote = store.quotes().of_customer(org, customer_id, id).await?;
                Printable::quote(o, c, &quote, r)?
            }
            D::SalesOrder(id) => {
                let order = store
                    .sales_orders()
                    .of_customer(org, customer_id, id)
                    .await?;
                Printable::sales_order(o, c, &order, r)?
            }
            D::Receipt(id) => {
                let payment = store.customer_payment(org, customer_id, id).await?;
                let mut numbers = Vec::with_capacity(payment.allocations.len());
                for a in &payment.allocations {
                    let i = store
                        .invoices()
                        .of_customer(org, customer_id, a.invoice)
                        .await?;
                    numbers.push((i.id, i.number));
                }
                Printable::receipt(o, c, &payment, &numbers, r)?
            }
            D::CreditNote(id) => {
                let note = store.customer_credit_note(org, customer_id, id).await?;
                Printable::credit_note(o, c, &note, r)?
            }
        })
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
    /// [`Error::Text`](crate::error::Error::Text) for an empty or too long subject (200) or message (10 000),
    /// [`Error::NotFound`](crate::error::Error::NotFound) if the organization has no contact email.
    #[instrument(skip_all, fields(org = %self.0.org.id, customer = %self.0.customer.id))]
    pub async fn email_org(self, subject: &str, message: &str) -> Result<()> {
        single_line_text("subject", subject, 1, 200)?;
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
    /// [`Error::Forbidden`](crate::error::Error::Forbidden) when forwarding is off, `NotFound` for a document that is
    /// not the customer's, [`Error::Email`](crate::error::Error::Email) for a malformed address, [`Error::Text`](crate::error::Error::Text)
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
        let text = match target {
            DocumentRef::SalesOrder(id) => {
                self.0.require(Module::SalesOrders, Action::View)?;
                let o = store
                    .sales_orders()
                    .of_customer(self.0.org.id, self.0.customer.id, id)
                    .await?;
                DocumentText::of_order(&o)
            }
            DocumentRef::Quote(id) => {
                self.0.require(Module::Quotes, Action::View)?;
                let q = store
                    .quotes()
                    .of_customer(self.0.org.id, self.0.customer.id, id)
                    .await?;
                DocumentText::of_quote(&q)
            }
            DocumentRef::Invoice(id) => {
                self.0.require(Module::Invoices, Action::View)?;
                let i = store
                    .invoices()
                    .of_customer(self.0.org.id, self.0.customer.id, id)
                    .await?;
                DocumentText::of_invoice(&i)
            }
            other @ (DocumentRef::Receipt(_) | DocumentRef::CreditNote(_)) => {
                return Err(Error::NotShareable(other.kind()));
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
        // The one forwarding writes in their own language; so does the email.
        let reader = crate::i18n::Reader::of(&self.0.contact, &self.0.org);
        let sender = self.0.contact.full_name();
        let note = note
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .map_or_else(String::new, |n| {
                reader.text(
                    "forward-note",
                    &[
                        ("sender", crate::i18n::arg(&sender)),
                        ("note", crate::i18n::arg(n)),
                    ],
                ) + "\n"
            });
        let args = [
            ("sender", crate::i18n::arg(&sender)),
            ("org", crate::i18n::arg(&self.0.org.name)),
            ("summary", crate::i18n::arg(text.summary(&reader))),
            ("note", crate::i18n::arg(note)),
            ("customer", crate::i18n::arg(&self.0.customer.display_name)),
            (
                "url",
                crate::i18n::arg(self.0.portal.portal_url(&self.0.org.slug)),
            ),
        ];
        let email = OutboxEmail::new(
            self.0.org.id,
            EmailKind::CustomerNotification,
            to,
            reader.text("forward-subject", &args),
            reader.text("forward-body", &args) + "\n",
            self.0.portal.now(),
        )
        .with_attachment(
            crate::domain::AttachedDocument::of(target, self.0.customer.id).read_by(&reader),
        );
        store.forward_document(new_contact.as_ref(), &email).await?;
        Ok(())
    }
}

impl super::OrgAdmin<'_> {
    /// Emails a sent invoice, quote or sales order to the customer's contacts who
    /// have portal access (invited or active) and an email address: a short
    /// summary, the portal's address, and the document attached (as PDF when the
    /// portal has a renderer). Returns how many emails were queued.
    ///
    /// # Errors
    /// `NotFound` for a document of another organization, or a draft (send it
    /// first).
    #[instrument(skip_all, fields(org = %self.org))]
    pub async fn email_document(self, document: crate::domain::DocumentRef) -> Result<usize> {
        let store = &self.portal.inner.store;
        let org = store.org(self.org).await?;
        let SentDocument {
            customer,
            text,
            void,
        } = sent_document(self, document).await?;
        let attachment = crate::domain::AttachedDocument::of(document, customer);
        let now = self.portal.now();
        // Each contact's way to the document: a link of their own where the
        // organization allows it, else the sign-in that opens it.
        let links = org.settings.preferences.email_document_links && !void;
        let actions = crate::domain::LinkActions {
            download: true,
            pay: matches!(document, crate::domain::DocumentRef::Invoice(_)),
            decide: matches!(document, crate::domain::DocumentRef::Quote(_)),
        };
        let mut queued = 0;
        for contact in store.contacts_of_customer(self.org, customer).await? {
            let Some(to) = contact.email.clone() else {
                continue;
            };
            if !contact.portal_status.counts_as_portal_user() {
                continue;
            }
            let url = if links && contact.portal_status != crate::domain::PortalStatus::Disabled {
                super::links::issue_link(self, &org, &contact, document, actions)
                    .await?
                    .2
            } else {
                self.portal.sign_in_url(&org.slug, document)
            };
            let reader = crate::i18n::Reader::of(&contact, &org);
            let args = [
                ("document", crate::i18n::arg(text.name(&reader))),
                ("org", crate::i18n::arg(&org.name)),
                ("name", crate::i18n::arg(&contact.first_name)),
                ("summary", crate::i18n::arg(text.summary(&reader))),
                ("url", crate::i18n::arg(&url)),
            ];
            let email = OutboxEmail::new(
                org.id,
                EmailKind::CustomerNotification,
                to,
                reader.text("document-email-subject", &args),
                reader.text("document-email-body", &args) + "\n",
                now,
            )
            .with_attachment(attachment.clone().read_by(&reader));
            store.enqueue_email(&email).await?;
            queued += 1;
        }
        Ok(queued)
    }
}

/// What emails say about a document: its kind, number and figures, written in
/// each reader's language.
#[derive(Debug, Clone)]
pub(super) enum DocumentText {
    /// An invoice: number, total, balance, due date.
    Invoice {
        number: String,
        total: crate::domain::Money,
        balance: crate::domain::Money,
        due: time::Date,
    },
    /// A quote: number, total, expiry.
    Quote {
        number: String,
        total: crate::domain::Money,
        expiry: time::Date,
    },
    /// A sales order: number, total, order date.
    SalesOrder {
        number: String,
        total: crate::domain::Money,
        date: time::Date,
    },
}

impl DocumentText {
    fn of_invoice(i: &crate::domain::Invoice) -> Self {
        Self::Invoice {
            number: i.number.clone(),
            total: i.total,
            balance: i.balance,
            due: i.due_date,
        }
    }

    fn of_quote(q: &crate::domain::Quote) -> Self {
        Self::Quote {
            number: q.number.clone(),
            total: q.total,
            expiry: q.expiry_date,
        }
    }

    fn of_order(o: &crate::domain::SalesOrder) -> Self {
        Self::SalesOrder {
            number: o.number.clone(),
            total: o.total,
            date: o.order_date,
        }
    }

    /// Its name: "Invoice INV-0001".
    pub(super) fn name(&self, reader: &crate::i18n::Reader) -> String {
        use crate::i18n::arg;
        match self {
            Self::Invoice { number, .. } => reader.text("doc-invoice", &[("number", arg(number))]),
            Self::Quote { number, .. } => reader.text("doc-quote", &[("number", arg(number))]),
            Self::SalesOrder { number, .. } => {
                reader.text("doc-sales-order", &[("number", arg(number))])
            }
        }
    }

    /// One line about it: number, amounts, the date that matters.
    pub(super) fn summary(&self, reader: &crate::i18n::Reader) -> String {
        use crate::i18n::arg;
        match self {
            Self::Invoice {
                number,
                total,
                balance,
                due,
            } => reader.text(
                "summary-invoice",
                &[
                    ("number", arg(number)),
                    ("total", arg(reader.money(total))),
                    ("balance", arg(reader.money(balance))),
                    ("due", arg(reader.date(*due))),
                ],
            ),
            Self::Quote {
                number,
                total,
                expiry,
            } => reader.text(
                "summary-quote",
                &[
                    ("number", arg(number)),
                    ("total", arg(reader.money(total))),
                    ("expiry", arg(reader.date(*expiry))),
                ],
            ),
            Self::SalesOrder {
                number,
                total,
                date,
            } => reader.text(
                "summary-sales-order",
                &[
                    ("number", arg(number)),
                    ("total", arg(reader.money(total))),
                    ("date", arg(reader.date(*date))),
                ],
            ),
        }
    }
}

/// A sent document of the organization, read org-side: what the emails and links
/// about it say.
pub(super) struct SentDocument {
    /// Its customer.
    pub(super) customer: crate::domain::CustomerId,
    /// What emails say about it.
    pub(super) text: DocumentText,
    /// Whether it is a void invoice.
    pub(super) void: bool,
}

/// The organization's document `id` if it was sent: a draft is not found, as in
/// the portal. One read.
async fn sent<D: crate::store::StoredDocument>(admin: super::OrgAdmin<'_>, id: D::Id) -> Result<D> {
    let doc: D = admin.document(id).await?;
    if doc.is_draft() {
        return Err(Error::NotFound(D::ENTITY));
    }
    Ok(doc)
}

/// Reads `document` org-side: any customer's, sent ones only.
///
/// # Errors
/// `NotFound` for a document of another organization, or a draft.
pub(super) async fn sent_document(
    admin: super::OrgAdmin<'_>,
    document: crate::domain::DocumentRef,
) -> Result<SentDocument> {
    use crate::domain::{DocumentRef, Invoice, InvoiceStatus, Quote, SalesOrder};
    Ok(match document {
        DocumentRef::Invoice(id) => {
            let i: Invoice = sent(admin, id).await?;
            SentDocument {
                customer: i.customer,
                text: DocumentText::of_invoice(&i),
                void: i.status == InvoiceStatus::Void,
            }
        }
        DocumentRef::Quote(id) => {
            let q: Quote = sent(admin, id).await?;
            SentDocument {
                customer: q.customer,
                text: DocumentText::of_quote(&q),
                void: false,
            }
        }
        DocumentRef::SalesOrder(id) => {
            let o: SalesOrder = sent(admin, id).await?;
            SentDocument {
                customer: o.customer,
                text: DocumentText::of_order(&o),
                void: false,
            }
        }
        other @ (DocumentRef::Receipt(_) | DocumentRef::CreditNote(_)) => {
            return Err(Error::NotShareable(other.kind()));
        }
    })
}
