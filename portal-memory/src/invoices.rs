//! Invoices in `MemoryStore`: the customer-document table of [`crate::documents`].

use async_trait::async_trait;
use portal_core::domain::{CustomerId, Invoice, InvoiceId, InvoiceQuery, Notice, OrgId, Page};
use portal_core::store::{InvoiceStore, StoreResult};
use time::OffsetDateTime;

use crate::MemoryStore;
use crate::store::keyset_page;

#[async_trait]
impl InvoiceStore for MemoryStore {
    async fn create_invoice(&self, invoice: &Invoice) -> StoreResult<()> {
        let mut s = self.lock();
        s.live_customer(invoice.org, invoice.customer)?;
        s.invoices.create(invoice.clone())
    }

    async fn invoice(&self, org: OrgId, id: InvoiceId) -> StoreResult<Invoice> {
        self.lock().invoices.of_org(org, id).cloned()
    }

    async fn update_invoice(&self, invoice: &Invoice) -> StoreResult<Invoice> {
        self.lock().invoices.update(invoice)
    }

    async fn customer_invoice(
        &self,
        org: OrgId,
        customer: CustomerId,
        id: InvoiceId,
    ) -> StoreResult<Invoice> {
        self.lock().invoices.of_customer(org, customer, id).cloned()
    }

    async fn customer_invoices(
        &self,
        org: OrgId,
        customer: CustomerId,
        query: &InvoiceQuery,
    ) -> StoreResult<Page<Invoice>> {
        let s = self.lock();
        let rows = s
            .invoices
            .customer_rows(org, customer)
            .filter(|i| query.admits(i));
        Ok(keyset_page(
            rows,
            |i| (query.key_of(i), i.id.as_uuid()),
            |k, id| query.after_cursor(k, id),
            query.direction,
            query.limit,
        ))
    }

    async fn mark_invoice_viewed(
        &self,
        org: OrgId,
        customer: CustomerId,
        id: InvoiceId,
        at: OffsetDateTime,
        notice: &Notice,
    ) -> StoreResult<(Invoice, bool)> {
        self.lock()
            .first_view(|s| &mut s.invoices, (org, customer, id), at, notice)
    }
}
