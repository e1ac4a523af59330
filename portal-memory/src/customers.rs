//! Customers in `MemoryStore`.

use crate::MemoryStore;
use crate::store::newest_first;
use async_trait::async_trait;
use portal_core::domain::{
    ContactId, ContactPerson, Customer, CustomerId, OrgId, Page, PageRequest,
};
use portal_core::store::{CustomerStore, StoreError, StoreResult};
use portal_core::store::{Entity, Rule};
use std::collections::HashSet;
use time::OffsetDateTime;

#[async_trait]
impl CustomerStore for MemoryStore {
    async fn create_customer(
        &self,
        customer: &Customer,
        contacts: &[ContactPerson],
    ) -> StoreResult<()> {
        let mut s = self.lock();
        if !s.orgs.contains_key(&customer.org) {
            return Err(StoreError::NotFound(Entity::Organization));
        }
        if s.customers.contains_key(&customer.id) {
            return Err(StoreError::Conflict(Rule::Exists(Entity::Customer)));
        }
        let mut emails = HashSet::new();
        for c in contacts {
            if c.org != customer.org || c.customer != customer.id {
                return Err(StoreError::Conflict(Rule::ContactOfAnotherCustomer));
            }
            if s.contacts.contains_key(&c.id) {
                return Err(StoreError::Conflict(Rule::Exists(Entity::Contact)));
            }
            if let Some(e) = &c.email
                && (!emails.insert(e.clone()) || s.email_taken(c.org, Some(e), c.id))
            {
                return Err(StoreError::Conflict(Rule::ContactEmail));
            }
        }
        s.customers.insert(customer.id, customer.clone());
        s.customers_by_org
            .entry(customer.org)
            .or_default()
            .insert(customer.id);
        for c in contacts {
            s.put_contact(c.clone());
        }
        Ok(())
    }

    async fn customer(&self, org: OrgId, id: CustomerId) -> StoreResult<Customer> {
        self.lock()
            .customers
            .get(&id)
            .filter(|c| c.org == org)
            .cloned()
            .ok_or(StoreError::NotFound(Entity::Customer))
    }

    async fn org_customers(&self, org: OrgId, page: &PageRequest) -> StoreResult<Page<Customer>> {
        let s = self.lock();
        let rows = s
            .customers_by_org
            .get(&org)
            .into_iter()
            .flatten()
            .filter_map(|id| s.customers.get(id))
            .filter(|c| !c.is_deleted());
        Ok(newest_first(rows, |c| (0, c.id.as_uuid()), page))
    }

    async fn update_customer(&self, customer: &Customer) -> StoreResult<Customer> {
        let mut s = self.lock();
        let stored = s
            .customers
            .get(&customer.id)
            .filter(|c| c.org == customer.org && !c.is_deleted())
            .ok_or(StoreError::NotFound(Entity::Customer))?;
        if stored.version != customer.version {
            return Err(StoreError::ConcurrentModification(Entity::Customer));
        }
        let mut saved = customer.clone();
        saved.version += 1;
        saved.deleted_at = None;
        s.customers.insert(saved.id, saved.clone());
        Ok(saved)
    }

    async fn delete_customer(
        &self,
        org: OrgId,
        id: CustomerId,
        at: OffsetDateTime,
    ) -> StoreResult<()> {
        let mut s = self.lock();
        let mut customer = s
            .customers
            .get(&id)
            .filter(|c| c.org == org)
            .cloned()
            .ok_or(StoreError::NotFound(Entity::Customer))?;
        if customer.is_deleted() {
            return Ok(());
        }
        customer.deleted_at = Some(at);
        customer.version += 1;
        s.customers.insert(id, customer);
        let contact_ids: Vec<ContactId> = s
            .contacts_by_customer
            .get(&id)
            .map(|set| set.iter().copied().collect())
            .unwrap_or_default();
        for cid in contact_ids {
            s.delete_contact_now(cid, at);
        }
        Ok(())
    }
}
