//! Invoices and retainer invoices.

use std::fmt::Debug;

use async_trait::async_trait;
use time::OffsetDateTime;

use crate::domain::Notice;
use crate::domain::{CustomerId, Invoice, InvoiceId, InvoiceQuery, OrgId, Page};

use super::StoreResult;

/// Invoices and retainer invoices.
#[async_trait]
pub trait InvoiceStore: Debug + Send + Sync + 'static {
    /// Inserts an invoice. `NotFound(Entity::Customer)` if the customer is not the
    /// organization's or was deleted; `Conflict(Rule::InvoiceNumber)` if the number is
    /// taken in the organization.
    async fn create_invoice(&self, invoice: &Invoice) -> StoreResult<()>;
    /// The invoice, drafts included (org side).
    async fn invoice(&self, org: OrgId, id: InvoiceId) -> StoreResult<Invoice>;
    /// Replaces the invoice if its stored version is `invoice.version` (every
    /// payment, credit and reservation bumps it, so a void or edit from a stale read
    /// fails with `ConcurrentModification`). What payments in flight hold
    /// ([`Invoice::reserved`]) is kept as stored.
    async fn update_invoice(&self, invoice: &Invoice) -> StoreResult<Invoice>;
    /// The customer's invoice; drafts and other customers' invoices are not found.
    async fn customer_invoice(
        &self,
        org: OrgId,
        customer: CustomerId,
        id: InvoiceId,
    ) -> StoreResult<Invoice>;
    /// One page of the customer's invoices (never drafts), by keyset.
    async fn customer_invoices(
        &self,
        org: OrgId,
        customer: CustomerId,
        query: &InvoiceQuery,
    ) -> StoreResult<Page<Invoice>>;
    /// Marks the customer's invoice viewed at `at` unless it already was; on the first
    /// view only, records `notice`. Returns the invoice and whether this was the
    /// first view.
    async fn mark_invoice_viewed(
        &self,
        org: OrgId,
        customer: CustomerId,
        id: InvoiceId,
        at: OffsetDateTime,
        notice: &Notice,
    ) -> StoreResult<(Invoice, bool)>;
}
