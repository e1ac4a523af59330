//! Invoices in `MemoryStore`.

use crate::MemoryStore;
use crate::store::State;
use crate::store::keyset_page;
use async_trait::async_trait;
use portal_core::domain::{
    CustomerId, Invoice, InvoiceId, InvoiceQuery, InvoiceStatus, OrgId, Page,
};
use portal_core::store::{Entity, Rule};
use portal_core::store::{InvoiceStore, StoreError, StoreResult};
use time::OffsetDateTime;

impl State {
    pub(crate) fn customer_invoice(
        &self,
        org: OrgId,
        customer: CustomerId,
        id: InvoiceId,
    ) -> StoreResult<&Invoice> {
        self.money
            .invoices
            .get(&id)
            .filter(|i| i.org == org && i.customer == customer && i.status != InvoiceStatus::Draft)
            .ok_or(StoreError::NotFound(Entity::Invoice))
    }

    pub(crate) fn put_invoice(&mut self, invoice: Invoice) {
        self.money
            .invoices_by_customer
            .entry(invoice.customer)
            .or_default()
            .insert(invoice.id);
        self.money.invoices.insert(invoice.id, invoice);
    }
}

#[async_trait]
impl InvoiceStore for MemoryStore {
    async fn create_invoice(&self, invoice: &Invoice) -> StoreResult<()> {
        let mut s = self.lock();
        s.live_customer(invoice.org, invoice.customer)?;
        if s.money.invoices.contains_key(&invoice.id) {
            return Err(StoreError::Conflict(Rule::Exists(Entity::Invoice)));
        }
        let key = (invoice.org, invoice.number.clone());
        if s.money.invoice_numbers.contains_key(&key) {
            return Err(StoreError::Conflict(Rule::InvoiceNumber));
        }
        s.money.invoice_numbers.insert(key, invoice.id);
        s.put_invoice(invoice.clone());
        Ok(())
    }

    async fn invoice(&self, org: OrgId, id: InvoiceId) -> StoreResult<Invoice> {
        self.lock()
            .money
            .invoices
            .get(&id)
            .filter(|i| i.org == org)
            .cloned()
            .ok_or(StoreError::NotFound(Entity::Invoice))
    }

    async fn update_invoice(&self, invoice: &Invoice) -> StoreResult<Invoice> {
        let mut s = self.lock();
        let stored = s
            .money
            .invoices
            .get(&invoice.id)
            .filter(|i| i.org == invoice.org)
            .ok_or(StoreError::NotFound(Entity::Invoice))?;
        if stored.version != invoice.version {
            return Err(StoreError::ConcurrentModification(Entity::Invoice));
        }
        let old_number = stored.number.clone();
        if old_number != invoice.number
            && s.money
                .invoice_numbers
                .contains_key(&(invoice.org, invoice.number.clone()))
        {
            return Err(StoreError::Conflict(Rule::InvoiceNumber));
        }
        let mut saved = invoice.clone();
        saved.customer = stored.customer;
        saved.viewed_at = stored.viewed_at;
        saved.created_at = stored.created_at;
        saved.version += 1;
        s.money.invoice_numbers.remove(&(invoice.org, old_number));
        s.money
            .invoice_numbers
            .insert((saved.org, saved.number.clone()), saved.id);
        s.put_invoice(saved.clone());
        Ok(saved)
    }

    async fn customer_invoice(
        &self,
        org: OrgId,
        customer: CustomerId,
        id: InvoiceId,
    ) -> StoreResult<Invoice> {
        self.lock().customer_invoice(org, customer, id).cloned()
    }

    async fn customer_invoices(
        &self,
        org: OrgId,
        customer: CustomerId,
        query: &InvoiceQuery,
    ) -> StoreResult<Page<Invoice>> {
        let s = self.lock();
        let rows = s
            .money
            .invoices_by_customer
            .get(&customer)
            .into_iter()
            .flatten()
            .filter_map(|id| s.money.invoices.get(id))
            .filter(|i| i.org == org && query.admits(i));
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
        notice: &portal_core::domain::Notice,
    ) -> StoreResult<(Invoice, bool)> {
        let mut s = self.lock();
        let invoice = s.customer_invoice(org, customer, id)?.clone();
        if invoice.viewed_at.is_some() {
            return Ok((invoice, false));
        }
        s.check_notice(notice)?;
        s.put_notice(notice);
        let mut saved = invoice;
        saved.viewed_at = Some(at);
        s.put_invoice(saved.clone());
        Ok((saved, true))
    }
}
