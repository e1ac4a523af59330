//! Invoices, credit notes, offline payments (org side) and the money views of the
//! portal: dashboard, invoice list and view, payments, credits (H1, I1, I2, I6, I9,
//! I11).

use time::OffsetDateTime;
use tracing::instrument;

use super::orgs::OrgAdmin;
use super::retrying;
use super::sessions::PortalSession;
use crate::domain::{
    Cursor, CustomerId, EmailKind, Invoice, InvoiceEvent, InvoiceId, InvoiceQuery,
    MAX_CUSTOMER_TOTAL_MINOR_UNITS, MAX_PAGE_SIZE, Money, MoneyError, NewInvoice, Organization,
    OutboxEmail, Page, Payment, PaymentId, PaymentMethod, PortalEvent, TextError,
};
use crate::error::{Error, Result};
use crate::store::Entity;
use crate::store::PaymentRecording;

/// A receipt number: `R-` and the random tail of the payment's id.
pub(super) fn receipt_number(id: PaymentId) -> String {
    let text = id.as_uuid().simple().to_string().to_uppercase();
    format!("R-{}", &text[text.len() - 10..])
}

/// The organization's notification email for `event`, if it has an address and wants
/// this event (N1).
pub(super) fn org_notification(
    org: &Organization,
    event: PortalEvent,
    subject: String,
    body: String,
    now: OffsetDateTime,
) -> Option<OutboxEmail> {
    let to = org.settings.contact_details.email.clone()?;
    org.settings
        .preferences
        .org_notifications
        .wants(event)
        .then(|| {
            OutboxEmail::new(
                org.id,
                EmailKind::OrgNotification,
                to,
                subject.replace(['\r', '\n'], " "),
                body,
                now,
            )
        })
}

/// Who a portal event is of: the organization, the customer and the contact.
pub(super) type Actor<'a> = (
    &'a Organization,
    &'a crate::domain::Customer,
    &'a crate::domain::ContactPerson,
);

/// A portal event of `actor`: the activity row (N3) and, if the organization wants
/// it, its email (N1). `title` is the one-line summary.
pub(super) fn notice_of(
    actor: Actor<'_>,
    now: OffsetDateTime,
    event: PortalEvent,
    subject: crate::domain::ActivitySubject,
    title: String,
    body: String,
) -> crate::domain::Notice {
    let (org, customer, contact) = actor;
    let summary = title.replace(['\r', '\n'], " ");
    crate::domain::Notice {
        email: org_notification(org, event, summary.clone(), body, now),
        activity: crate::domain::Activity {
            id: crate::domain::ActivityId::new(),
            org: org.id,
            customer: customer.id,
            contact: contact.id,
            event,
            subject,
            summary,
            at: now,
        },
    }
}

impl PortalSession {
    /// This session's user, as the actor of a portal event.
    pub(super) fn actor(&self) -> Actor<'_> {
        (&self.org, &self.customer, &self.contact)
    }

    /// A portal event of this session's user: see [`notice_of`].
    pub(super) fn notice(
        &self,
        event: PortalEvent,
        subject: crate::domain::ActivitySubject,
        title: String,
        body: String,
    ) -> crate::domain::Notice {
        notice_of(self.actor(), self.portal.now(), event, subject, title, body)
    }

    /// The notice of this user's first view of a document or timesheet:
    /// "{customer} viewed {kind} {label}" in the feed, "{contact} ({customer})
    /// opened {kind} {label} in the customer portal." to the organization.
    pub(super) fn first_view_notice(
        &self,
        subject: crate::domain::ActivitySubject,
        kind: &str,
        label: &str,
    ) -> crate::domain::Notice {
        self.notice(
            PortalEvent::Viewed,
            subject,
            format!("{} viewed {kind} {label}", self.customer.display_name),
            format!(
                "{} ({}) opened {kind} {label} in the customer portal.\n",
                self.contact.full_name(),
                self.customer.display_name,
            ),
        )
    }
}

impl OrgAdmin<'_> {
    async fn move_invoice(self, id: InvoiceId, event: InvoiceEvent) -> Result<Invoice> {
        let store = &self.portal.inner.store;
        let org = self.org;
        retrying(|| async move {
            let mut invoice = store.invoices().get(org, id).await?;
            // A payment in flight may still be charged: the invoice stays payable
            // until it is recorded or fails. Reserving bumps the version, so a
            // reservation made after this read makes the update below retry.
            if event == InvoiceEvent::Void && !invoice.reserved.is_zero() {
                return Err(Error::PaymentInProgress);
            }
            invoice.status = invoice.status.apply(event)?;
            Ok(store.invoices().update(&invoice).await?)
        })
        .await
    }
}

impl OrgAdmin<'_> {
    /// Refuses `adding` if it would take what the customer's documents add up to past
    /// [`MAX_CUSTOMER_TOTAL_MINOR_UNITS`]. Checked before the write: concurrent
    /// writes may pass it together, by at most their own amounts, which the ceiling's
    /// headroom absorbs.
    pub(super) async fn check_customer_total(
        self,
        customer: CustomerId,
        adding: Money,
    ) -> Result<()> {
        let turnover = self
            .portal
            .inner
            .store
            .customer_turnover(self.org, customer)
            .await?;
        let limit = Money::from_minor_units(MAX_CUSTOMER_TOTAL_MINOR_UNITS, adding.currency());
        match turnover.checked_add(&adding) {
            Ok(total) if total.amount() <= limit.amount() => Ok(()),
            _ => Err(Error::Money(MoneyError::CustomerTotalTooLarge {
                limit: limit.amount(),
            })),
        }
    }
}

/// `req` with its page size checked like [`check_limit`].
pub(super) fn checked_page(req: &crate::domain::PageRequest) -> Result<crate::domain::PageRequest> {
    Ok(crate::domain::PageRequest {
        after: check_cursor(req.after)?,
        limit: check_limit(req.limit)?,
    })
}

/// A cursor that came from a client, checked to be in range (its fields are public,
/// so a host may have built it by hand).
pub(super) fn check_cursor(after: Option<Cursor>) -> Result<Option<Cursor>> {
    if let Some(cursor) = &after {
        cursor.check()?;
    }
    Ok(after)
}

pub(super) fn check_limit(limit: u32) -> Result<u32> {
    if (1..=MAX_PAGE_SIZE).contains(&limit) {
        Ok(limit)
    } else {
        Err(Error::Text(TextError::length(
            "page size",
            1,
            MAX_PAGE_SIZE as usize,
            limit as usize,
        )))
    }
}

/// Invoices and retainer invoices on the org side: create, edit, send, void, record offline payments.
/// From [`OrgAdmin::invoices`]; every call is scoped to the organization.
#[derive(Debug, Clone, Copy)]
pub struct OrgInvoices<'a>(pub(super) OrgAdmin<'a>);

impl<'a> OrgAdmin<'a> {
    /// Invoices and retainer invoices on the org side: create, edit, send, void, record offline payments.
    #[must_use]
    pub fn invoices(self) -> OrgInvoices<'a> {
        OrgInvoices(self)
    }
}

impl OrgInvoices<'_> {
    /// One page of a customer's sent invoices and retainers, as the portal lists
    /// them (drafts are not listed). `today` in the query is the portal's.
    ///
    /// # Errors
    /// [`Error::NotFound`] for a customer of another organization, a bad page size or
    /// cursor.
    #[instrument(skip_all, fields(org = %self.0.org, customer = %customer))]
    pub async fn list(self, customer: CustomerId, query: &InvoiceQuery) -> Result<Page<Invoice>> {
        self.0.customer_documents(customer, query).await
    }

    /// Creates a draft invoice (or retainer invoice) for a customer, in the
    /// customer's currency. Drafts are never visible in the portal.
    ///
    /// # Errors
    /// [`Error::Invoice`] for bad lines, number or dates; [`Error::NotFound`] for an
    /// unknown customer; [`Error::NumberTaken`] for a number already used.
    #[instrument(skip_all, fields(org = %self.0.org, customer = %customer))]
    pub async fn create(self, customer: CustomerId, input: NewInvoice) -> Result<Invoice> {
        let c = self.0.customers().get(customer).await?;
        if c.is_deleted() {
            return Err(Error::NotFound(Entity::Customer));
        }
        let invoice = Invoice::draft(self.0.org, customer, c.currency, input, self.0.portal.now())?;
        self.0.check_customer_total(customer, invoice.total).await?;
        self.0
            .portal
            .inner
            .store
            .invoices()
            .create(&invoice)
            .await?;
        Ok(invoice)
    }

    /// The invoice (drafts included).
    ///
    /// # Errors
    /// [`Error::NotFound`].
    pub async fn get(self, id: InvoiceId) -> Result<Invoice> {
        self.0.document(id).await
    }

    /// Replaces a draft invoice's contents (lines, number, dates, gateways); only
    /// drafts can be edited.
    ///
    /// # Errors
    /// [`Error::InvoiceState`] unless it is a draft; [`Error::Invoice`] for bad input.
    #[instrument(skip_all, fields(org = %self.0.org, invoice = %id))]
    pub async fn edit_draft(self, id: InvoiceId, input: NewInvoice) -> Result<Invoice> {
        let store = &self.0.portal.inner.store;
        let org = self.0.org;
        let input = &input;
        retrying(|| async move {
            let current = store.invoices().get(org, id).await?;
            if current.status != crate::domain::InvoiceStatus::Draft {
                return Err(Error::InvoiceState(crate::domain::InvoiceTransitionError {
                    from: current.status,
                    event: InvoiceEvent::Send,
                }));
            }
            let mut edited = Invoice::draft(
                org,
                current.customer,
                current.currency(),
                input.clone(),
                current.created_at,
            )?;
            edited.id = current.id;
            edited.version = current.version;
            let growth = edited.total.checked_sub(&current.total)?;
            if !growth.is_negative() {
                self.0
                    .check_customer_total(current.customer, growth)
                    .await?;
            }
            Ok(store.invoices().update(&edited).await?)
        })
        .await
    }

    /// Sends a draft invoice: it becomes visible and payable in the portal.
    ///
    /// # Errors
    /// [`Error::InvoiceState`] if it is not a draft.
    #[instrument(skip_all, fields(org = %self.0.org, invoice = %id))]
    pub async fn send(self, id: InvoiceId) -> Result<Invoice> {
        self.0.move_invoice(id, InvoiceEvent::Send).await
    }

    /// Voids an invoice nothing was paid or credited on.
    ///
    /// # Errors
    /// [`Error::InvoiceState`] if money went to it; [`Error::PaymentInProgress`]
    /// while an online payment of it is in flight (it may still be charged).
    #[instrument(skip_all, fields(org = %self.0.org, invoice = %id))]
    pub async fn void(self, id: InvoiceId) -> Result<Invoice> {
        self.0.move_invoice(id, InvoiceEvent::Void).await
    }

    /// Records a payment received outside the portal (cash, cheque, transfer): it is
    /// allocated to `invoices` oldest due first, out of what no online payment in
    /// flight holds of their balances; any excess becomes credit (so a cheque that
    /// crosses a card payment never charges the customer twice for one balance:
    /// what the card payment held, it settles, and the cheque's excess is the
    /// customer's credit).
    ///
    /// # Errors
    /// [`Error::Money`] for a non-positive amount or another currency,
    /// [`Error::NotFound`] for an invoice not of this customer.
    #[instrument(skip_all, fields(org = %self.0.org, customer = %customer))]
    pub async fn record_offline_payment(
        self,
        customer: CustomerId,
        amount: Money,
        mode: &str,
        paid_at: OffsetDateTime,
        invoices: &[InvoiceId],
    ) -> Result<Payment> {
        let c = self.0.customers().get(customer).await?;
        let amount = amount.positive_in(c.currency)?;
        crate::domain::single_line_text("payment mode", mode, 1, 50)?;
        self.0.check_customer_total(customer, amount).await?;
        let store = &self.0.portal.inner.store;
        for id in invoices {
            store
                .invoices()
                .of_customer(self.0.org, customer, *id)
                .await?;
        }
        let id = PaymentId::new();
        let payment = store
            .record_payment(&PaymentRecording {
                id,
                org: self.0.org,
                customer,
                receipt_number: receipt_number(id),
                amount,
                method: PaymentMethod::Offline {
                    mode: mode.trim().to_owned(),
                },
                reference: None,
                paid_at: crate::clock::truncate_to_micros(paid_at),
                invoices: invoices.to_vec(),
                attempt: None,
                emails: Vec::new(),
                notice: None,
            })
            .await?;
        Ok(payment)
    }
}

/// The customer's invoices and retainer invoices (I1–I11): list, read, pay.
/// From [`PortalSession::invoices`]; every call is scoped to the session's customer.
#[derive(Debug, Clone, Copy)]
pub struct SessionInvoices<'s>(pub(super) &'s PortalSession);

impl PortalSession {
    /// The customer's invoices and retainer invoices (I1–I11): list, read, pay.
    #[must_use]
    pub fn invoices(&self) -> SessionInvoices<'_> {
        SessionInvoices(self)
    }
}

impl SessionInvoices<'_> {
    /// One page of the customer's invoices and retainer invoices (I1). `today` in
    /// the query is replaced by the portal's today.
    ///
    /// # Errors
    /// [`Error::Forbidden`], a bad page size.
    #[instrument(skip_all, fields(org = %self.0.org.id, customer = %self.0.customer.id))]
    pub async fn list(self, query: &InvoiceQuery) -> Result<Page<Invoice>> {
        self.0.documents(query).await
    }

    /// Opens an invoice (I2): the first view marks it viewed and notifies the
    /// organization.
    ///
    /// # Errors
    /// [`Error::NotFound`] for a draft or someone else's invoice.
    #[instrument(skip_all, fields(org = %self.0.org.id, customer = %self.0.customer.id, invoice = %id))]
    pub async fn get(self, id: InvoiceId) -> Result<Invoice> {
        self.0.open(id).await
    }

    /// What went to `invoice` (one the page has read with [`Self::get`]): each
    /// payment's share, by its receipt, and each credit applied, oldest first.
    /// Payments and credits are listed only to those who may view payments.
    ///
    /// # Errors
    /// Store errors; nothing for another customer's invoice (the store answers
    /// only the session's own).
    #[instrument(skip_all, fields(org = %self.0.org.id, customer = %self.0.customer.id, invoice = %invoice.id))]
    pub async fn applied(
        self,
        invoice: &Invoice,
    ) -> Result<Vec<crate::domain::InvoiceApplication>> {
        if !self
            .0
            .can(crate::domain::Module::Payments, crate::domain::Action::View)
            .is_allowed()
        {
            return Ok(Vec::new());
        }
        Ok(self
            .0
            .portal
            .inner
            .store
            .invoice_applications(
                self.0.org.id,
                self.0.customer.id,
                invoice.id,
                invoice.total.currency(),
            )
            .await?)
    }
}
