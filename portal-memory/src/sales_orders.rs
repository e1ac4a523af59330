//! The sales-order part of `MemoryStore`.

use crate::MemoryStore;
use crate::store::State;
use crate::store::keyset_page;
use async_trait::async_trait;
use portal_core::domain::{
    CustomerId, OrgId, Page, SalesOrder, SalesOrderId, SalesOrderQuery, SalesOrderStatus,
};
use portal_core::store::{SalesOrderStore, StoreError, StoreResult};
use time::OffsetDateTime;

use portal_core::store::{Entity, Rule};

impl State {
    fn put_sales_order(&mut self, order: SalesOrder) {
        self.money
            .sales_orders_by_customer
            .entry(order.customer)
            .or_default()
            .insert(order.id);
        self.money.sales_orders.insert(order.id, order);
    }

    fn customer_sales_order(
        &self,
        org: OrgId,
        customer: CustomerId,
        id: SalesOrderId,
    ) -> StoreResult<&SalesOrder> {
        self.money
            .sales_orders
            .get(&id)
            .filter(|o| {
                o.org == org && o.customer == customer && o.status != SalesOrderStatus::Draft
            })
            .ok_or(StoreError::NotFound(Entity::SalesOrder))
    }
}

#[async_trait]
impl SalesOrderStore for MemoryStore {
    async fn create_sales_order(&self, order: &SalesOrder) -> StoreResult<()> {
        let mut s = self.lock();
        s.live_customer(order.org, order.customer)?;
        let key = (order.org, order.number.clone());
        if s.money.sales_order_numbers.contains_key(&key) {
            return Err(StoreError::Conflict(Rule::SalesOrderNumber));
        }
        if s.money.sales_orders.contains_key(&order.id) {
            return Err(StoreError::Conflict(Rule::Exists(Entity::SalesOrder)));
        }
        s.money.sales_order_numbers.insert(key, order.id);
        s.put_sales_order(order.clone());
        Ok(())
    }

    async fn sales_order(&self, org: OrgId, id: SalesOrderId) -> StoreResult<SalesOrder> {
        self.lock()
            .money
            .sales_orders
            .get(&id)
            .filter(|o| o.org == org)
            .cloned()
            .ok_or(StoreError::NotFound(Entity::SalesOrder))
    }

    async fn update_sales_order(&self, order: &SalesOrder) -> StoreResult<SalesOrder> {
        let mut s = self.lock();
        let stored = s
            .money
            .sales_orders
            .get(&order.id)
            .filter(|o| o.org == order.org)
            .ok_or(StoreError::NotFound(Entity::SalesOrder))?;
        if stored.version != order.version {
            return Err(StoreError::ConcurrentModification(Entity::SalesOrder));
        }
        let old_number = stored.number.clone();
        if old_number != order.number
            && s.money
                .sales_order_numbers
                .contains_key(&(order.org, order.number.clone()))
        {
            return Err(StoreError::Conflict(Rule::SalesOrderNumber));
        }
        let mut saved = order.clone();
        saved.customer = stored.customer;
        saved.viewed_at = stored.viewed_at;
        saved.created_at = stored.created_at;
        saved.version += 1;
        s.money.sales_order_numbers.remove(&(order.org, old_number));
        s.money
            .sales_order_numbers
            .insert((saved.org, saved.number.clone()), saved.id);
        s.put_sales_order(saved.clone());
        Ok(saved)
    }

    async fn customer_sales_order(
        &self,
        org: OrgId,
        customer: CustomerId,
        id: SalesOrderId,
    ) -> StoreResult<SalesOrder> {
        self.lock().customer_sales_order(org, customer, id).cloned()
    }

    async fn customer_sales_orders(
        &self,
        org: OrgId,
        customer: CustomerId,
        query: &SalesOrderQuery,
    ) -> StoreResult<Page<SalesOrder>> {
        let s = self.lock();
        let listed = query.listed();
        let rows = s
            .money
            .sales_orders_by_customer
            .get(&customer)
            .into_iter()
            .flatten()
            .filter_map(|id| s.money.sales_orders.get(id))
            .filter(|o| o.org == org && listed.contains(&o.status));
        Ok(keyset_page(
            rows,
            |o| (query.key_of(o), o.id.as_uuid()),
            |k, id| query.after_cursor(k, id),
            query.direction,
            query.limit,
        ))
    }

    async fn mark_sales_order_viewed(
        &self,
        org: OrgId,
        customer: CustomerId,
        id: SalesOrderId,
        at: OffsetDateTime,
        notice: &portal_core::domain::Notice,
    ) -> StoreResult<(SalesOrder, bool)> {
        let mut s = self.lock();
        let order = s.customer_sales_order(org, customer, id)?.clone();
        if order.viewed_at.is_some() {
            return Ok((order, false));
        }
        s.check_notice(notice)?;
        s.put_notice(notice);
        let mut saved = order;
        saved.viewed_at = Some(at);
        s.put_sales_order(saved.clone());
        Ok((saved, true))
    }
}
