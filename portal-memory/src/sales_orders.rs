//! The sales-order part of `MemoryStore`.

use crate::MemoryStore;
use crate::store::keyset_page;
use async_trait::async_trait;
use portal_core::domain::{CustomerId, OrgId, Page, SalesOrder, SalesOrderId, SalesOrderQuery};
use portal_core::store::{SalesOrderStore, StoreResult};
use time::OffsetDateTime;

#[async_trait]
impl SalesOrderStore for MemoryStore {
    async fn create_sales_order(&self, order: &SalesOrder) -> StoreResult<()> {
        let mut s = self.lock();
        s.live_customer(order.org, order.customer)?;
        s.sales_orders.create(order.clone())
    }

    async fn sales_order(&self, org: OrgId, id: SalesOrderId) -> StoreResult<SalesOrder> {
        self.lock().sales_orders.of_org(org, id).cloned()
    }

    async fn update_sales_order(&self, order: &SalesOrder) -> StoreResult<SalesOrder> {
        self.lock().sales_orders.update(order)
    }

    async fn customer_sales_order(
        &self,
        org: OrgId,
        customer: CustomerId,
        id: SalesOrderId,
    ) -> StoreResult<SalesOrder> {
        self.lock()
            .sales_orders
            .of_customer(org, customer, id)
            .cloned()
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
            .sales_orders
            .customer_rows(org, customer)
            .filter(|o| listed.contains(&o.status));
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
        self.lock()
            .first_view(|s| &mut s.sales_orders, (org, customer, id), at, notice)
    }
}
