//! Document links in `MemoryStore`.

use async_trait::async_trait;
use portal_core::domain::TokenKey;
use portal_core::domain::{CustomerId, DocumentLink, LinkId, Notice, OrgId};
use portal_core::store::{Entity, LinkStore, Rule, StoreError, StoreResult};
use time::OffsetDateTime;

use crate::MemoryStore;

#[async_trait]
impl LinkStore for MemoryStore {
    async fn create_link(&self, link: &DocumentLink) -> StoreResult<()> {
        let mut s = self.lock();
        s.live_customer(link.org, link.customer)?;
        if !s
            .contacts
            .get(&link.contact)
            .is_some_and(|c| c.org == link.org && c.customer == link.customer)
        {
            return Err(StoreError::NotFound(Entity::Contact));
        }
        if s.links.contains_key(&link.id) || s.link_by_hash.contains_key(&link.token_hash) {
            return Err(StoreError::Conflict(Rule::Exists(Entity::DocumentLink)));
        }
        s.link_by_hash.insert(link.token_hash, link.id);
        s.links_by_customer
            .entry(link.customer)
            .or_default()
            .insert(link.id);
        s.links.insert(link.id, link.clone());
        Ok(())
    }

    async fn link_by_hash(&self, key: &TokenKey) -> StoreResult<DocumentLink> {
        let s = self.lock();
        s.link_by_hash
            .get(&key.hash)
            .and_then(|id| s.links.get(id))
            .filter(|l| key.finds(l.org, &l.token_hash))
            .cloned()
            .ok_or(StoreError::NotFound(Entity::DocumentLink))
    }

    async fn customer_links(
        &self,
        org: OrgId,
        customer: CustomerId,
    ) -> StoreResult<Vec<DocumentLink>> {
        let s = self.lock();
        Ok(s.links_by_customer
            .get(&customer)
            .into_iter()
            .flatten()
            .rev()
            .filter_map(|id| s.links.get(id))
            .filter(|l| l.org == org)
            .cloned()
            .collect())
    }

    async fn revoke_link(
        &self,
        org: OrgId,
        id: LinkId,
        at: OffsetDateTime,
    ) -> StoreResult<DocumentLink> {
        let mut s = self.lock();
        let link = s
            .links
            .get_mut(&id)
            .filter(|l| l.org == org)
            .ok_or(StoreError::NotFound(Entity::DocumentLink))?;
        link.revoked_at.get_or_insert(at);
        Ok(link.clone())
    }

    async fn record_link_use(&self, notice: &Notice) -> StoreResult<()> {
        let mut s = self.lock();
        s.check_notice(notice)?;
        s.put_notice(notice);
        Ok(())
    }
}
