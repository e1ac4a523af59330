//! Customers.

use std::fmt::Debug;

use async_trait::async_trait;
use time::OffsetDateTime;

use crate::domain::{ContactPerson, Customer, CustomerId, OrgId, Page, PageRequest};

use super::StoreResult;

/// Customers.
#[async_trait]
pub trait CustomerStore: Debug + Send + Sync + 'static {
    /// Inserts a customer with its contact persons.
    /// `Conflict(Rule::ContactEmail)` if a contact's email is taken in the organization.
    async fn create_customer(
        &self,
        customer: &Customer,
        contacts: &[ContactPerson],
    ) -> StoreResult<()>;
    /// The customer, deleted or not.
    async fn customer(&self, org: OrgId, id: CustomerId) -> StoreResult<Customer>;
    /// One page of the organization's live customers, newest first (keyed by id,
    /// which is time-ordered).
    async fn org_customers(&self, org: OrgId, page: &PageRequest) -> StoreResult<Page<Customer>>;
    /// Replaces the customer if its stored version is `customer.version`.
    async fn update_customer(&self, customer: &Customer) -> StoreResult<Customer>;
    /// Marks the customer and its contacts deleted, ends their sessions and voids
    /// their tokens.
    async fn delete_customer(
        &self,
        org: OrgId,
        id: CustomerId,
        at: OffsetDateTime,
    ) -> StoreResult<()>;
}
