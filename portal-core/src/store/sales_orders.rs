//! Sales orders.

use std::fmt::Debug;

use async_trait::async_trait;
use time::OffsetDateTime;

use crate::domain::Notice;
use crate::domain::{CustomerId, OrgId, Page, SalesOrder, SalesOrderId, SalesOrderQuery};

use super::StoreResult;

/// Sales orders.
#[async_trait]
pub trait SalesOrderStore: Debug + Send + Sync + 'static {
    /// Inserts a sales order. `NotFound(Entity::Customer)` for a customer not the
    /// organization's; `Conflict(Rule::SalesOrderNumber)` for a number taken.
    async fn create_sales_order(&self, order: &SalesOrder) -> StoreResult<()>;
    /// The sales order, drafts included (org side).
    async fn sales_order(&self, org: OrgId, id: SalesOrderId) -> StoreResult<SalesOrder>;
    /// Replaces the sales order if its stored version is `order.version`.
    async fn update_sales_order(&self, order: &SalesOrder) -> StoreResult<SalesOrder>;
    /// The customer's sales order; drafts and others' orders are not found.
    async fn customer_sales_order(
        &self,
        org: OrgId,
        customer: CustomerId,
        id: SalesOrderId,
    ) -> StoreResult<SalesOrder>;
    /// One page of the customer's sales orders (never drafts), by keyset.
    async fn customer_sales_orders(
        &self,
        org: OrgId,
        customer: CustomerId,
        query: &SalesOrderQuery,
    ) -> StoreResult<Page<SalesOrder>>;
    /// Marks the order viewed unless it was; on the first view only, records
    /// `notice`. Returns it and whether this was the first view.
    async fn mark_sales_order_viewed(
        &self,
        org: OrgId,
        customer: CustomerId,
        id: SalesOrderId,
        at: OffsetDateTime,
        notice: &Notice,
    ) -> StoreResult<(SalesOrder, bool)>;
}
