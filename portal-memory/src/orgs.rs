//! Organizations in `MemoryStore`.

use crate::MemoryStore;
use async_trait::async_trait;
use portal_core::domain::{OrgId, Organization, PortalSlug};
use portal_core::store::{Entity, Rule};
use portal_core::store::{OrgStore, StoreError, StoreResult};

#[async_trait]
impl OrgStore for MemoryStore {
    async fn create_org(&self, org: &Organization) -> StoreResult<()> {
        let mut s = self.lock();
        if s.org_by_slug.contains_key(&org.slug) {
            return Err(StoreError::Conflict(Rule::PortalSlug));
        }
        if s.orgs.contains_key(&org.id) {
            return Err(StoreError::Conflict(Rule::Exists(Entity::Organization)));
        }
        s.org_by_slug.insert(org.slug.clone(), org.id);
        s.orgs.insert(org.id, org.clone());
        Ok(())
    }

    async fn org(&self, id: OrgId) -> StoreResult<Organization> {
        self.lock()
            .orgs
            .get(&id)
            .cloned()
            .ok_or(StoreError::NotFound(Entity::Organization))
    }

    async fn org_by_slug(&self, slug: &PortalSlug) -> StoreResult<Organization> {
        let s = self.lock();
        s.org_by_slug
            .get(slug)
            .and_then(|id| s.orgs.get(id))
            .cloned()
            .ok_or(StoreError::NotFound(Entity::Organization))
    }

    async fn update_org(&self, org: &Organization) -> StoreResult<Organization> {
        let mut s = self.lock();
        let stored = s
            .orgs
            .get(&org.id)
            .ok_or(StoreError::NotFound(Entity::Organization))?;
        if stored.version != org.version {
            return Err(StoreError::ConcurrentModification(Entity::Organization));
        }
        let old_slug = stored.slug.clone();
        if old_slug != org.slug && s.org_by_slug.contains_key(&org.slug) {
            return Err(StoreError::Conflict(Rule::PortalSlug));
        }
        let mut saved = org.clone();
        saved.version += 1;
        s.org_by_slug.remove(&old_slug);
        s.org_by_slug.insert(saved.slug.clone(), saved.id);
        s.orgs.insert(saved.id, saved.clone());
        Ok(saved)
    }
}
