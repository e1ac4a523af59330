//! The one [`DocumentStore`] of `MemoryStore`, for every kind of customer document:
//! each kind is a [`Documents`] table of the state.

use async_trait::async_trait;
use portal_core::domain::{
    CustomerId, DocumentQuery, Invoice, Notice, OrgId, Page, Quote, SalesOrder,
};
use portal_core::store::{DocumentStore, StoreResult, StoredDocument};
use time::OffsetDateTime;

use crate::MemoryStore;
use crate::documents::Documents;
use crate::store::{State, keyset_page};

/// A customer document `MemoryStore` keeps: which table of the state is its.
pub(crate) trait Document: StoredDocument {
    fn rows(state: &State) -> &Documents<Self>;
    fn rows_mut(state: &mut State) -> &mut Documents<Self>;
}

macro_rules! tables {
    ($($ty:ty => $field:ident),*) => {
        $(impl Document for $ty {
            fn rows(state: &State) -> &Documents<Self> {
                &state.$field
            }
            fn rows_mut(state: &mut State) -> &mut Documents<Self> {
                &mut state.$field
            }
        })*
    };
}

tables!(Invoice => invoices, Quote => quotes, SalesOrder => sales_orders);

#[async_trait]
impl<D: Document> DocumentStore<D> for MemoryStore {
    async fn create(&self, doc: &D) -> StoreResult<()> {
        let mut s = self.lock();
        s.live_customer(doc.org(), doc.customer())?;
        D::rows_mut(&mut s).create(doc.clone())
    }

    async fn get(&self, org: OrgId, id: D::Id) -> StoreResult<D> {
        D::rows(&self.lock()).of_org(org, id).cloned()
    }

    async fn update(&self, doc: &D) -> StoreResult<D> {
        D::rows_mut(&mut self.lock()).update(doc)
    }

    async fn of_customer(&self, org: OrgId, customer: CustomerId, id: D::Id) -> StoreResult<D> {
        D::rows(&self.lock())
            .of_customer(org, customer, id)
            .cloned()
    }

    async fn customer_page(
        &self,
        org: OrgId,
        customer: CustomerId,
        query: &D::Query,
    ) -> StoreResult<Page<D>> {
        let s = self.lock();
        let rows = D::rows(&s)
            .customer_rows(org, customer)
            .filter(|d| query.admits(d));
        Ok(keyset_page(
            rows,
            |d| (query.key_of(d), d.id().into()),
            |k, id| query.after_cursor(k, id),
            query.direction(),
            query.limit(),
        ))
    }

    async fn mark_viewed(
        &self,
        org: OrgId,
        customer: CustomerId,
        id: D::Id,
        at: OffsetDateTime,
        notice: &Notice,
    ) -> StoreResult<(D, bool)> {
        let mut s = self.lock();
        let doc = D::rows(&s).of_customer(org, customer, id)?.clone();
        if doc.viewed_at().is_some() {
            return Ok((doc, false));
        }
        s.check_notice(notice)?;
        s.put_notice(notice);
        let mut saved = doc;
        saved.set_viewed_at(at);
        D::rows_mut(&mut s).put(saved.clone());
        Ok((saved, true))
    }
}
