//! The customer-document table, once: invoices, quotes and sales orders are each a
//! [`Documents`] table of the state (`document_store` serves them as the port).

use std::collections::{BTreeSet, HashMap};

use portal_core::domain::{CustomerId, OrgId};
use portal_core::store::{Rule, StoreError, StoreResult, StoredDocument};

/// One kind of customer document, indexed by id, by customer and by number.
#[derive(Debug)]
pub(crate) struct Documents<D: StoredDocument> {
    rows: HashMap<D::Id, D>,
    by_customer: HashMap<CustomerId, BTreeSet<D::Id>>,
    numbers: HashMap<(OrgId, String), D::Id>,
}

impl<D: StoredDocument> Default for Documents<D> {
    fn default() -> Self {
        Self {
            rows: HashMap::new(),
            by_customer: HashMap::new(),
            numbers: HashMap::new(),
        }
    }
}

impl<D: StoredDocument> Documents<D> {
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
