//! Credit notes, credits, their application and refunds (I11).

use std::fmt::Debug;

use async_trait::async_trait;

use crate::domain::{
    AvailableCredit, CreditApplication, CreditNote, CreditNoteId, CustomerId, Invoice, OrgId,
    Refund,
};

use super::StoreResult;

/// Credit notes and available credit (credit notes and payment excess): applying
/// credit to invoices and refunding it.
#[async_trait]
pub trait CreditStore: Debug + Send + Sync + 'static {
    /// Inserts a credit note. `NotFound(Entity::Customer)` for a customer not the
    /// organization's.
    async fn create_credit_note(&self, note: &CreditNote) -> StoreResult<()>;
    /// The customer's credit note. `NotFound` for another customer's.
    async fn customer_credit_note(
        &self,
        org: OrgId,
        customer: CustomerId,
        id: CreditNoteId,
    ) -> StoreResult<CreditNote>;
    /// The customer's available credits (credit notes and payment excess with
    /// something left), oldest first.
    async fn available_credits(
        &self,
        org: OrgId,
        customer: CustomerId,
    ) -> StoreResult<Vec<AvailableCredit>>;
    /// Applies credit to an invoice atomically: the source must have the amount
    /// available (`Conflict(Rule::CreditAvailable)`) and the invoice must be a
    /// payable regular invoice (retainer invoices are paid, never settled with
    /// credit) with at least that balance (`Conflict(Rule::InvoiceBalance)`), of
    /// which no payment in flight holds that much
    /// (`Conflict(Rule::InvoiceReserved)`: see [`crate::domain::Invoice::reserved`]).
    /// Returns the invoice after.
    async fn apply_credit(&self, application: &CreditApplication) -> StoreResult<Invoice>;
    /// Records a refund atomically: the source must have the amount available
    /// (`Conflict(Rule::CreditAvailable)` otherwise) and is reduced by it.
    async fn record_refund(&self, refund: &Refund) -> StoreResult<()>;
    /// The customer's refunds, newest first.
    async fn customer_refunds(&self, org: OrgId, customer: CustomerId) -> StoreResult<Vec<Refund>>;
}
