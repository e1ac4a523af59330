//! Credit notes, credits and refunds (I11): the org side and the portal side.

use super::orgs::OrgAdmin;
use super::sessions::PortalSession;
use crate::domain::{
    Action, ApplicationId, AvailableCredit, CreditApplication, CreditNote, CreditNoteId,
    CreditSource, CustomerId, Invoice, InvoiceEvent, InvoiceId, Module, Money,
};
use crate::error::{Error, Result};
use time::{Date, OffsetDateTime};
use tracing::instrument;

/// Credit notes and refunds on the org side.
/// From [`OrgAdmin::credits`]; every call is scoped to the organization.
#[derive(Debug, Clone, Copy)]
pub struct OrgCredits<'a>(pub(super) OrgAdmin<'a>);

impl<'a> OrgAdmin<'a> {
    /// Credit notes and refunds on the org side.
    #[must_use]
    pub fn credits(self) -> OrgCredits<'a> {
        OrgCredits(self)
    }
}

impl OrgCredits<'_> {
    /// Issues a credit note to a customer: available credit until applied.
    ///
    /// # Errors
    /// [`Error::Money`] for a non-positive amount or another currency.
    #[instrument(skip_all, fields(org = %self.0.org, customer = %customer))]
    pub async fn create_note(
        self,
        customer: CustomerId,
        number: &str,
        amount: Money,
        issue_date: Date,
    ) -> Result<CreditNote> {
        let c = self.0.customers().get(customer).await?;
        let amount = amount.positive_in(c.currency)?;
        crate::domain::single_line_text("credit note number", number, 1, 50)?;
        self.0.check_customer_total(customer, amount).await?;
        let note = CreditNote {
            id: CreditNoteId::new(),
            org: self.0.org,
            customer,
            number: number.trim().to_owned(),
            total: amount,
            balance: amount,
            issue_date,
            created_at: self.0.portal.now(),
        };
        self.0.portal.inner.store.create_credit_note(&note).await?;
        Ok(note)
    }
}

impl OrgCredits<'_> {
    /// Pays back available credit to the customer (a credit note's balance or a
    /// payment's excess), outside the portal: the credit shrinks by `amount`.
    ///
    /// # Errors
    /// [`Error::Money`] for a non-positive amount, [`Error::CreditNotAvailable`] if
    /// the source has less, `NotFound` for another customer's credit.
    #[instrument(skip_all, fields(org = %self.0.org, customer = %customer))]
    pub async fn refund(
        self,
        customer: CustomerId,
        source: CreditSource,
        amount: Money,
        mode: &str,
        refunded_at: OffsetDateTime,
    ) -> Result<crate::domain::Refund> {
        let c = self.0.customers().get(customer).await?;
        let amount = amount.positive_in(c.currency)?;
        crate::domain::single_line_text("refund mode", mode, 1, 50)?;
        self.0.check_customer_total(customer, amount).await?;
        let refund = crate::domain::Refund {
            id: crate::domain::RefundId::new(),
            org: self.0.org,
            customer,
            source,
            amount,
            mode: mode.trim().to_owned(),
            refunded_at: crate::clock::truncate_to_micros(refunded_at),
        };
        self.0.portal.inner.store.record_refund(&refund).await?;
        Ok(refund)
    }
}

/// The customer's available credits and applying them to invoices (I11).
/// From [`PortalSession::credits`]; every call is scoped to the session's customer.
#[derive(Debug, Clone, Copy)]
pub struct SessionCredits<'s>(pub(super) &'s PortalSession);

impl PortalSession {
    /// The customer's available credits and applying them to invoices (I11).
    #[must_use]
    pub fn credits(&self) -> SessionCredits<'_> {
        SessionCredits(self)
    }
}

impl SessionCredits<'_> {
    /// The customer's available credits: credit notes and payment excess (I11).
    ///
    /// # Errors
    /// [`Error::Forbidden`].
    pub async fn list(self) -> Result<Vec<AvailableCredit>> {
        self.0.require(Module::Invoices, Action::View)?;
        Ok(self
            .0
            .portal
            .inner
            .store
            .available_credits(self.0.org.id, self.0.customer.id)
            .await?)
    }

    /// What applying available credit (oldest first, up to `amount` or the
    /// balance) to an invoice would do, without doing it.
    ///
    /// # Errors
    /// [`Error::NotFound`], [`Error::InvoiceState`] for an invoice that cannot take
    /// money, [`Error::CreditNotAvailable`] if there is no credit.
    pub async fn preview(self, invoice: InvoiceId, amount: Option<Money>) -> Result<CreditPreview> {
        self.0.require(Module::Invoices, Action::Pay)?;
        let store = &self.0.portal.inner.store;
        let inv = store
            .invoices()
            .of_customer(self.0.org.id, self.0.customer.id, invoice)
            .await?;
        // A retainer invoice asks for an advance: it is paid, never settled with credit.
        if !inv.status.is_payable() || inv.kind == crate::domain::InvoiceKind::Retainer {
            return Err(Error::InvoiceState(crate::domain::InvoiceTransitionError {
                from: inv.status,
                event: InvoiceEvent::PartPayment,
            }));
        }
        // What a payment in flight holds is not the credit's to take: with the
        // whole balance held, or less free than asked, wait for that payment.
        let free = inv.unreserved();
        let mut want = match amount {
            Some(a) => {
                let a = a.positive_in(inv.currency())?;
                if a.amount() > inv.balance.amount() {
                    return Err(Error::AmountExceedsBalance {
                        amount: a,
                        balance: inv.balance,
                    });
                }
                if a.amount() > free.amount() {
                    return Err(Error::PaymentInProgress);
                }
                a
            }
            None if free.is_zero() => return Err(Error::PaymentInProgress),
            None => free,
        };
        let mut applications = Vec::new();
        for credit in store
            .available_credits(self.0.org.id, self.0.customer.id)
            .await?
        {
            if want.is_zero() {
                break;
            }
            let take = if credit.available.amount() < want.amount() {
                credit.available
            } else {
                want
            };
            want = want.checked_sub(&take)?;
            applications.push(CreditUse {
                source: credit.source,
                number: credit.number,
                date: credit.date,
                amount: take,
            });
        }
        if applications.is_empty() {
            return Err(Error::CreditNotAvailable);
        }
        let used = applications
            .iter()
            .try_fold(Money::zero(inv.currency()), |sum, used| {
                sum.checked_add(&used.amount)
            })?;
        Ok(CreditPreview {
            invoice,
            balance_before: inv.balance,
            balance_after: inv.balance.checked_sub(&used)?,
            applications,
        })
    }

    /// Applies available credit to an invoice as [`Self::preview`] shows it
    /// (I11). Each source is applied atomically; a source used up meanwhile stops
    /// the run with [`Error::CreditNotAvailable`] after what was already applied.
    ///
    /// # Errors
    /// As [`Self::preview`].
    #[instrument(skip_all, fields(org = %self.0.org.id, customer = %self.0.customer.id, invoice = %invoice))]
    pub async fn apply(self, invoice: InvoiceId, amount: Option<Money>) -> Result<Invoice> {
        let preview = self.0.credits().preview(invoice, amount).await?;
        let store = &self.0.portal.inner.store;
        let mut last = None;
        for CreditUse { source, amount, .. } in preview.applications {
            last = Some(
                store
                    .apply_credit(&CreditApplication {
                        id: ApplicationId::new(),
                        org: self.0.org.id,
                        customer: self.0.customer.id,
                        source,
                        invoice,
                        amount,
                        applied_at: self.0.portal.now(),
                    })
                    .await
                    .map_err(|e| match Error::from(e) {
                        // A payment started since the preview holds the balance.
                        Error::PaymentInProgress => Error::PaymentInProgress,
                        Error::Store(crate::store::StoreError::Conflict(_)) => {
                            Error::CreditNotAvailable
                        }
                        other => other,
                    })?,
            );
        }
        last.ok_or(Error::CreditNotAvailable)
    }
}

/// What applying credit to an invoice would do (I11, shown before it is applied).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CreditPreview {
    /// The invoice.
    pub invoice: InvoiceId,
    /// Its balance now.
    pub balance_before: Money,
    /// Credit taken from each source, oldest credit first.
    pub applications: Vec<CreditUse>,
    /// Its balance after.
    pub balance_after: Money,
}

/// One source's part of a [`CreditPreview`], with what a page shows of it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CreditUse {
    /// Where the credit comes from.
    pub source: CreditSource,
    /// The credit note's or receipt's number (the retainer invoice's for a
    /// retainer).
    pub number: String,
    /// When the credit arose.
    pub date: time::Date,
    /// How much of it is used.
    pub amount: Money,
}
