//! Reviews in `MemoryStore`.

use crate::MemoryStore;
use async_trait::async_trait;
use portal_core::domain::{CustomerId, OrgId};
use portal_core::store::Entity;
use portal_core::store::ReviewStore;
use portal_core::store::{StoreError, StoreResult};

#[async_trait]
impl ReviewStore for MemoryStore {
    async fn add_review(
        &self,
        review: &portal_core::domain::Review,
        notice: &portal_core::domain::Notice,
    ) -> StoreResult<()> {
        let mut s = self.lock();
        s.live_customer(review.org, review.customer)?;
        if !s
            .contacts
            .get(&review.contact)
            .is_some_and(|c| c.org == review.org && c.customer == review.customer)
        {
            return Err(StoreError::NotFound(Entity::Contact));
        }
        s.check_notice(notice)?;
        s.put_notice(notice);
        s.money
            .reviews_by_customer
            .entry(review.customer)
            .or_default()
            .push(review.clone());
        Ok(())
    }

    async fn customer_reviews(
        &self,
        org: OrgId,
        customer: CustomerId,
    ) -> StoreResult<Vec<portal_core::domain::Review>> {
        let s = self.lock();
        let mut out: Vec<portal_core::domain::Review> = s
            .money
            .reviews_by_customer
            .get(&customer)
            .into_iter()
            .flatten()
            .filter(|r| r.org == org)
            .cloned()
            .collect();
        out.sort_by_key(|r| std::cmp::Reverse((r.created_at, r.id)));
        Ok(out)
    }
}
