//! Saved payment methods in `MemoryStore`.

use crate::MemoryStore;
use async_trait::async_trait;
use portal_core::domain::{CustomerId, OrgId};
use portal_core::store::PaymentMethodStore;
use portal_core::store::{Entity, Rule};
use portal_core::store::{StoreError, StoreResult};

#[async_trait]
impl PaymentMethodStore for MemoryStore {
    async fn save_payment_method(
        &self,
        m: &portal_core::domain::SavedPaymentMethod,
    ) -> StoreResult<()> {
        let mut s = self.lock();
        s.live_customer(m.org, m.customer)?;
        if s.money.methods.contains_key(&m.id) {
            return Err(StoreError::Conflict(Rule::Exists(Entity::PaymentMethod)));
        }
        s.money
            .methods_by_customer
            .entry(m.customer)
            .or_default()
            .insert(m.id);
        s.money.methods.insert(m.id, m.clone());
        Ok(())
    }

    async fn payment_methods(
        &self,
        org: OrgId,
        customer: CustomerId,
    ) -> StoreResult<Vec<portal_core::domain::SavedPaymentMethod>> {
        let s = self.lock();
        Ok(s.money
            .methods_by_customer
            .get(&customer)
            .into_iter()
            .flatten()
            .filter_map(|id| s.money.methods.get(id))
            .filter(|m| m.org == org)
            .cloned()
            .collect())
    }

    async fn payment_method(
        &self,
        org: OrgId,
        customer: CustomerId,
        id: portal_core::domain::SavedMethodId,
    ) -> StoreResult<portal_core::domain::SavedPaymentMethod> {
        self.lock()
            .money
            .methods
            .get(&id)
            .filter(|m| m.org == org && m.customer == customer)
            .cloned()
            .ok_or(StoreError::NotFound(Entity::PaymentMethod))
    }

    async fn update_payment_method(
        &self,
        m: &portal_core::domain::SavedPaymentMethod,
    ) -> StoreResult<portal_core::domain::SavedPaymentMethod> {
        let mut s = self.lock();
        let stored = s
            .money
            .methods
            .get(&m.id)
            .filter(|x| x.org == m.org && x.customer == m.customer)
            .ok_or(StoreError::NotFound(Entity::PaymentMethod))?;
        if stored.version != m.version {
            return Err(StoreError::ConcurrentModification(Entity::PaymentMethod));
        }
        let mut saved = stored.clone();
        saved.exp_month = m.exp_month;
        saved.exp_year = m.exp_year;
        saved.billing_address = m.billing_address.clone();
        saved.version += 1;
        s.money.methods.insert(saved.id, saved.clone());
        Ok(saved)
    }

    async fn delete_payment_method(
        &self,
        org: OrgId,
        customer: CustomerId,
        id: portal_core::domain::SavedMethodId,
    ) -> StoreResult<()> {
        let mut s = self.lock();
        if !s
            .money
            .methods
            .get(&id)
            .is_some_and(|m| m.org == org && m.customer == customer)
        {
            return Err(StoreError::NotFound(Entity::PaymentMethod));
        }
        s.money.methods.remove(&id);
        if let Some(set) = s.money.methods_by_customer.get_mut(&customer) {
            set.remove(&id);
        }
        Ok(())
    }
}
