//! The activity feed in `MemoryStore`.

use crate::MemoryStore;
use crate::store::newest_first;
use async_trait::async_trait;
use portal_core::domain::{Activity, CustomerId, OrgId, Page, PageRequest};
use portal_core::store::{ActivityStore, StoreResult};

#[async_trait]
impl ActivityStore for MemoryStore {
    async fn customer_activity(
        &self,
        org: OrgId,
        customer: CustomerId,
        page: &PageRequest,
    ) -> StoreResult<Page<Activity>> {
        let s = self.lock();
        let rows = s
            .activity
            .get(&customer)
            .into_iter()
            .flat_map(|m| m.values())
            .filter(|a| a.org == org);
        Ok(newest_first(rows, |a| (0, a.id.as_uuid()), page))
    }
}
