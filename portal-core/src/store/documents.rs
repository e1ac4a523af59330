//! Customer documents (invoices, quotes, sales orders): the part every kind
//! shares, one port generic over the kind. What only one kind does is in its own
//! area (`quotes`: decide, convert; `payments`: what money does to an invoice).

use std::fmt::Debug;

use async_trait::async_trait;
use time::OffsetDateTime;

use crate::domain::{
    CustomerDocument, CustomerId, Invoice, Notice, OrgId, Page, Quote, SalesOrder,
};

use super::{Entity, Rule, Store, StoreResult};

/// One kind of customer document, `D`.
#[async_trait]
pub trait DocumentStore<D: CustomerDocument>: Debug + Send + Sync {
    /// Inserts a document. `NotFound(Entity::Customer)` if the customer is not the
    /// organization's or was deleted; `Conflict` of the kind's number rule if the
    /// number is taken in the organization.
    async fn create(&self, doc: &D) -> StoreResult<()>;
    /// The organization's document, drafts included (org side).
    async fn get(&self, org: OrgId, id: D::Id) -> StoreResult<D>;
    /// Replaces the document if its stored version is `doc.version()`
    /// (`ConcurrentModification` otherwise), keeping what an update never changes
    /// ([`CustomerDocument::saved_over`]); returns it as stored.
    async fn update(&self, doc: &D) -> StoreResult<D>;
    /// The customer's document; drafts and other customers' documents are not
    /// found.
    async fn of_customer(&self, org: OrgId, customer: CustomerId, id: D::Id) -> StoreResult<D>;
    /// One page of the customer's documents (never drafts), by keyset.
    async fn customer_page(
        &self,
        org: OrgId,
        customer: CustomerId,
        query: &D::Query,
    ) -> StoreResult<Page<D>>;
    /// Marks the customer's document viewed at `at` unless it already was; on the
    /// first view only, records `notice`. Returns the document and whether this was
    /// the first view.
    async fn mark_viewed(
        &self,
        org: OrgId,
        customer: CustomerId,
        id: D::Id,
        at: OffsetDateTime,
        notice: &Notice,
    ) -> StoreResult<(D, bool)>;
}

/// A customer document the store keeps: where its table is, and what its
/// errors name.
pub trait StoredDocument: CustomerDocument {
    /// What `NotFound` and `ConcurrentModification` name.
    const ENTITY: Entity;
    /// The rule a number taken in the organization breaks.
    const NUMBER: Rule;
    /// The store's table of this kind.
    fn table(store: &dyn Store) -> &dyn DocumentStore<Self>;
}

impl StoredDocument for Invoice {
    const ENTITY: Entity = Entity::Invoice;
    const NUMBER: Rule = Rule::InvoiceNumber;
    fn table(store: &dyn Store) -> &dyn DocumentStore<Self> {
        store.invoices()
    }
}

impl StoredDocument for Quote {
    const ENTITY: Entity = Entity::Quote;
    const NUMBER: Rule = Rule::QuoteNumber;
    fn table(store: &dyn Store) -> &dyn DocumentStore<Self> {
        store.quotes()
    }
}

impl StoredDocument for SalesOrder {
    const ENTITY: Entity = Entity::SalesOrder;
    const NUMBER: Rule = Rule::SalesOrderNumber;
    fn table(store: &dyn Store) -> &dyn DocumentStore<Self> {
        store.sales_orders()
    }
}
