//! Contact persons and their details in `MemoryStore`.

use crate::MemoryStore;
use async_trait::async_trait;
use portal_core::domain::{ContactId, ContactPerson, Customer, CustomerId, Email, OrgId};
use portal_core::store::{ContactStore, StoreError, StoreResult};
use portal_core::store::{Entity, Rule};
use time::OffsetDateTime;

#[async_trait]
impl ContactStore for MemoryStore {
    async fn create_contact(&self, contact: &ContactPerson) -> StoreResult<()> {
        let mut s = self.lock();
        s.customers
            .get(&contact.customer)
            .filter(|c| c.org == contact.org && !c.is_deleted())
            .ok_or(StoreError::NotFound(Entity::Customer))?;
        if s.contacts.contains_key(&contact.id) {
            return Err(StoreError::Conflict(Rule::Exists(Entity::Contact)));
        }
        if s.email_taken(contact.org, contact.email.as_ref(), contact.id) {
            return Err(StoreError::Conflict(Rule::ContactEmail));
        }
        s.put_contact(contact.clone());
        Ok(())
    }

    async fn contact(&self, org: OrgId, id: ContactId) -> StoreResult<ContactPerson> {
        self.lock().contact_in(org, id).cloned()
    }

    async fn contacts_of_customer(
        &self,
        org: OrgId,
        customer: CustomerId,
    ) -> StoreResult<Vec<ContactPerson>> {
        let s = self.lock();
        let Some(ids) = s.contacts_by_customer.get(&customer) else {
            return Ok(Vec::new());
        };
        Ok(ids
            .iter()
            .filter_map(|id| s.contacts.get(id))
            .filter(|c| c.org == org && !c.is_deleted())
            .cloned()
            .collect())
    }

    async fn contact_by_email(&self, org: OrgId, email: &Email) -> StoreResult<ContactPerson> {
        let s = self.lock();
        s.contact_by_email
            .get(&(org, email.clone()))
            .and_then(|id| s.contacts.get(id))
            .cloned()
            .ok_or(StoreError::NotFound(Entity::Contact))
    }

    async fn update_contact(&self, contact: &ContactPerson) -> StoreResult<ContactPerson> {
        let mut s = self.lock();
        let stored = s.live_contact_at(contact.org, contact.id, contact.version)?;
        // Access fields change only through the access operations.
        let mut saved = contact.clone();
        saved.customer = stored.customer;
        saved.portal_status = stored.portal_status;
        saved.password_hash = stored.password_hash.clone();
        saved.preferences = stored.preferences.clone();
        saved.created_at = stored.created_at;
        saved.deleted_at = None;
        saved.version += 1;
        if s.email_taken(saved.org, saved.email.as_ref(), saved.id) {
            return Err(StoreError::Conflict(Rule::ContactEmail));
        }
        s.put_contact(saved.clone());
        Ok(saved)
    }

    async fn delete_contact(
        &self,
        org: OrgId,
        id: ContactId,
        at: OffsetDateTime,
    ) -> StoreResult<()> {
        let mut s = self.lock();
        s.contact_in(org, id)?;
        s.delete_contact_now(id, at);
        Ok(())
    }

    async fn count_portal_users(&self, org: OrgId) -> StoreResult<u64> {
        Ok(self.lock().portal_users.get(&org).copied().unwrap_or(0))
    }

    async fn update_details(
        &self,
        change: &portal_core::store::DetailsChange,
    ) -> StoreResult<(Customer, ContactPerson)> {
        let mut s = self.lock();
        let stored_customer = s
            .customers
            .get(&change.customer.id)
            .filter(|c| c.org == change.org && !c.is_deleted())
            .ok_or(StoreError::NotFound(Entity::Customer))?;
        if stored_customer.version != change.customer.version {
            return Err(StoreError::ConcurrentModification(Entity::Customer));
        }
        let stored_contact =
            s.live_contact_at(change.org, change.contact.id, change.contact.version)?;
        if stored_contact.customer != change.customer.id {
            return Err(StoreError::NotFound(Entity::Contact));
        }
        s.check_notice(&change.notice)?;
        let mut customer = stored_customer.clone();
        customer
            .display_name
            .clone_from(&change.customer.display_name);
        customer
            .company_name
            .clone_from(&change.customer.company_name);
        customer.billing_address = change.customer.billing_address.clone();
        customer.shipping_address = change.customer.shipping_address.clone();
        customer.version += 1;
        let mut contact = s
            .contacts
            .get(&change.contact.id)
            .cloned()
            .ok_or(StoreError::NotFound(Entity::Contact))?;
        contact.first_name.clone_from(&change.contact.first_name);
        contact.last_name.clone_from(&change.contact.last_name);
        contact.phone.clone_from(&change.contact.phone);
        contact.version += 1;
        s.customers.insert(customer.id, customer.clone());
        s.put_contact(contact.clone());
        s.put_notice(&change.notice);
        Ok((customer, contact))
    }
}
