//! The customer-document shape, once: invoices, quotes and sales orders are each a
//! [`Documents`] table with the same six operations (create, org-side read,
//! versioned update, customer-side read, the customer's rows, first view).

use std::collections::{BTreeSet, HashMap};
use std::hash::Hash;

use portal_core::domain::{
    CustomerId, Invoice, InvoiceStatus, OrgId, Quote, QuoteStatus, SalesOrder, SalesOrderStatus,
};
use portal_core::store::{Entity, Rule, StoreError, StoreResult};
use time::OffsetDateTime;

/// What the table needs to know about a customer document.
pub(crate) trait Document: Clone {
    /// Its id type.
    type Id: Copy + Eq + Hash + Ord;
    /// What `NotFound` and `ConcurrentModification` name.
    const ENTITY: Entity;
    /// The rule a number taken in the organization breaks.
    const NUMBER: Rule;
    fn id(&self) -> Self::Id;
    fn org(&self) -> OrgId;
    fn customer(&self) -> CustomerId;
    fn number(&self) -> &str;
    fn version(&self) -> i64;
    /// Drafts are the organization's alone: the portal never sees them.
    fn is_draft(&self) -> bool;
    fn viewed_at(&self) -> Option<OffsetDateTime>;
    /// Takes what an update never changes (customer, first view, creation; an
    /// invoice's reservation) from the stored row and bumps the version.
    fn saved_over(&mut self, stored: &Self);
    fn set_viewed_at(&mut self, at: OffsetDateTime);
}

macro_rules! document {
    ($ty:ty, $id:ty, $entity:expr, $number:expr, $draft:expr $(, keeps $kept:ident)*) => {
        impl Document for $ty {
            type Id = $id;
            const ENTITY: Entity = $entity;
            const NUMBER: Rule = $number;
            fn id(&self) -> $id {
                self.id
            }
            fn org(&self) -> OrgId {
                self.org
            }
            fn customer(&self) -> CustomerId {
                self.customer
            }
            fn number(&self) -> &str {
                &self.number
            }
            fn version(&self) -> i64 {
                self.version
            }
            fn is_draft(&self) -> bool {
                self.status == $draft
            }
            fn viewed_at(&self) -> Option<OffsetDateTime> {
                self.viewed_at
            }
            fn saved_over(&mut self, stored: &Self) {
                self.customer = stored.customer;
                self.viewed_at = stored.viewed_at;
                self.created_at = stored.created_at;
                $(self.$kept = stored.$kept;)*
                self.version = stored.version + 1;
            }
            fn set_viewed_at(&mut self, at: OffsetDateTime) {
                self.viewed_at = Some(at);
            }
        }
    };
}

document!(
    Invoice,
    portal_core::domain::InvoiceId,
    Entity::Invoice,
    Rule::InvoiceNumber,
    InvoiceStatus::Draft,
    keeps reserved
);
document!(
    Quote,
    portal_core::domain::QuoteId,
    Entity::Quote,
    Rule::QuoteNumber,
    QuoteStatus::Draft
);
document!(
    SalesOrder,
    portal_core::domain::SalesOrderId,
    Entity::SalesOrder,
    Rule::SalesOrderNumber,
    SalesOrderStatus::Draft
);

/// One kind of customer document, indexed by id, by customer and by number.
#[derive(Debug)]
pub(crate) struct Documents<D: Document> {
    rows: HashMap<D::Id, D>,
    by_customer: HashMap<CustomerId, BTreeSet<D::Id>>,
    numbers: HashMap<(OrgId, String), D::Id>,
}

impl<D: Document> Default for Documents<D> {
    fn default() -> Self {
        Self {
            rows: HashMap::new(),
            by_customer: HashMap::new(),
            numbers: HashMap::new(),
        }
    }
}

impl<D: Document> Documents<D> {
    /// The row with this id, whoever's it is (for checks inside the store).
    pub(crate) fn row(&self, id: D::Id) -> Option<&D> {
        self.rows.get(&id)
    }

    /// The organization's document, drafts included.
    pub(crate) fn of_org(&self, org: OrgId, id: D::Id) -> StoreResult<&D> {
        self.rows
            .get(&id)
            .filter(|d| d.org() == org)
            .ok_or(StoreError::NotFound(D::ENTITY))
    }

    /// The customer's document as the portal sees it: never a draft, never another
    /// customer's.
    pub(crate) fn of_customer(
        &self,
        org: OrgId,
        customer: CustomerId,
        id: D::Id,
    ) -> StoreResult<&D> {
        self.rows
            .get(&id)
            .filter(|d| d.org() == org && d.customer() == customer && !d.is_draft())
            .ok_or(StoreError::NotFound(D::ENTITY))
    }

    /// Every document of the customer in the organization, drafts included.
    pub(crate) fn customer_rows(
        &self,
        org: OrgId,
        customer: CustomerId,
    ) -> impl Iterator<Item = &D> {
        self.by_customer
            .get(&customer)
            .into_iter()
            .flatten()
            .filter_map(|id| self.rows.get(id))
            .filter(move |d| d.org() == org)
    }

    /// Inserts a new document: `Conflict(Exists)` for a used id, `Conflict(NUMBER)`
    /// for a number taken in the organization.
    pub(crate) fn create(&mut self, doc: D) -> StoreResult<()> {
        if self.rows.contains_key(&doc.id()) {
            return Err(StoreError::Conflict(Rule::Exists(D::ENTITY)));
        }
        let key = (doc.org(), doc.number().to_owned());
        if self.numbers.contains_key(&key) {
            return Err(StoreError::Conflict(D::NUMBER));
        }
        self.numbers.insert(key, doc.id());
        self.put(doc);
        Ok(())
    }

    /// Replaces the document if it is at `doc.version()`, keeping what an update
    /// never changes; returns it as stored.
    pub(crate) fn update(&mut self, doc: &D) -> StoreResult<D> {
        let stored = self.of_org(doc.org(), doc.id())?;
        if stored.version() != doc.version() {
            return Err(StoreError::ConcurrentModification(D::ENTITY));
        }
        let old = (doc.org(), stored.number().to_owned());
        let new = (doc.org(), doc.number().to_owned());
        if old != new && self.numbers.contains_key(&new) {
            return Err(StoreError::Conflict(D::NUMBER));
        }
        let mut saved = doc.clone();
        saved.saved_over(stored);
        self.numbers.remove(&old);
        self.numbers.insert(new, saved.id());
        self.put(saved.clone());
        Ok(saved)
    }

    /// Writes a document already checked (its number unchanged).
    pub(crate) fn put(&mut self, doc: D) {
        self.by_customer
            .entry(doc.customer())
            .or_default()
            .insert(doc.id());
        self.rows.insert(doc.id(), doc);
    }
}
