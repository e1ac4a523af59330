//! Printable documents (D2) for a portal session: the same access rules as
//! viewing them, so a document a session may not see cannot be printed.

use tracing::instrument;

use super::sessions::PortalSession;
use crate::domain::{DocumentRef, InvoiceId, PaymentId, QuoteId, SalesOrderId, StatementPeriod};
use crate::error::{Error, Result};
use crate::i18n::Reader;
use crate::print::Printable;

/// The session's printable documents: the model a PDF renderer or a print page
/// draws, in the reader's language and formats. From [`PortalSession::print`].
#[derive(Debug, Clone)]
pub struct SessionPrint<'s>(pub(super) &'s PortalSession, Reader);

impl PortalSession {
    /// Printable documents (D2), scoped like viewing them, written for the
    /// signed-in person ([`Self::reader`]).
    #[must_use]
    pub fn print(&self) -> SessionPrint<'_> {
        SessionPrint(self, self.reader())
    }

    /// Printable documents (D2) written for `reader` (someone who opened a
    /// document link, say, reads in their browser's language).
    #[must_use]
    pub fn print_for(&self, reader: Reader) -> SessionPrint<'_> {
        SessionPrint(self, reader)
    }
}

fn lines(e: crate::domain::LineError) -> Error {
    Error::Lines(e)
}

impl SessionPrint<'_> {
    /// Any of the customer's documents, by reference: as [`Self::invoice`],
    /// [`Self::quote`], [`Self::sales_order`], [`Self::receipt`] or
    /// [`Self::credit_note`].
    ///
    /// # Errors
    /// As the kind's own.
    pub async fn document(&self, document: DocumentRef) -> Result<Printable> {
        match document {
            DocumentRef::Invoice(id) => self.invoice(id).await,
            DocumentRef::Quote(id) => self.quote(id).await,
            DocumentRef::SalesOrder(id) => self.sales_order(id).await,
            DocumentRef::Receipt(id) => self.receipt(id).await,
            DocumentRef::CreditNote(id) => self.credit_note(id).await,
        }
    }

    /// An invoice or retainer invoice (opening it counts as a view).
    ///
    /// # Errors
    /// As [`super::SessionInvoices::get`].
    #[instrument(skip_all, fields(org = %self.0.org.id, customer = %self.0.customer.id, invoice = %id))]
    pub async fn invoice(&self, id: InvoiceId) -> Result<Printable> {
        let invoice = self.0.invoices().get(id).await?;
        Printable::invoice(
            &self.0.org,
            &self.0.customer,
            &invoice,
            self.0.today(),
            &self.1,
        )
        .map_err(lines)
    }

    /// A quote, with its signature once accepted.
    ///
    /// # Errors
    /// As [`super::SessionQuotes::get`].
    #[instrument(skip_all, fields(org = %self.0.org.id, customer = %self.0.customer.id, quote = %id))]
    pub async fn quote(&self, id: QuoteId) -> Result<Printable> {
        let quote = self.0.quotes().get(id).await?;
        Printable::quote(&self.0.org, &self.0.customer, &quote, &self.1).map_err(lines)
    }

    /// A sales order.
    ///
    /// # Errors
    /// As [`super::SessionSalesOrders::get`].
    #[instrument(skip_all, fields(org = %self.0.org.id, customer = %self.0.customer.id, sales_order = %id))]
    pub async fn sales_order(&self, id: SalesOrderId) -> Result<Printable> {
        let order = self.0.sales_orders().get(id).await?;
        Printable::sales_order(&self.0.org, &self.0.customer, &order, &self.1).map_err(lines)
    }

    /// A payment receipt, naming the invoices it paid.
    ///
    /// # Errors
    /// As [`super::SessionPayments::get`].
    #[instrument(skip_all, fields(org = %self.0.org.id, customer = %self.0.customer.id, payment = %id))]
    pub async fn receipt(&self, id: PaymentId) -> Result<Printable> {
        let payment = self.0.payments().get(id).await?;
        let store = &self.0.portal.inner.store;
        let mut numbers = Vec::with_capacity(payment.allocations.len());
        for a in &payment.allocations {
            let invoice = store
                .invoices()
                .of_customer(self.0.org.id, self.0.customer.id, a.invoice)
                .await?;
            numbers.push((invoice.id, invoice.number));
        }
        Printable::receipt(&self.0.org, &self.0.customer, &payment, &numbers, &self.1)
            .map_err(lines)
    }

    /// A credit note of the customer.
    ///
    /// # Errors
    /// [`Error::Forbidden`] without payments access; `NotFound` for another
    /// customer's.
    #[instrument(skip_all, fields(org = %self.0.org.id, customer = %self.0.customer.id, credit_note = %id))]
    pub async fn credit_note(&self, id: crate::domain::CreditNoteId) -> Result<Printable> {
        self.0
            .require(crate::domain::Module::Payments, crate::domain::Action::View)?;
        let note = self
            .0
            .portal
            .inner
            .store
            .customer_credit_note(self.0.org.id, self.0.customer.id, id)
            .await?;
        Printable::credit_note(&self.0.org, &self.0.customer, &note, &self.1).map_err(lines)
    }

    /// The statement of account for `period`.
    ///
    /// # Errors
    /// As [`PortalSession::statement`].
    #[instrument(skip_all, fields(org = %self.0.org.id, customer = %self.0.customer.id))]
    pub async fn statement(&self, period: StatementPeriod) -> Result<Printable> {
        let statement = self.0.statement(period).await?;
        Ok(Printable::statement(
            &self.0.org,
            &self.0.customer,
            &statement,
            &self.1,
        ))
    }
}
