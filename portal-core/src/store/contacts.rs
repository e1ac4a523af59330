//! Contact persons and the details a portal user edits (C1).

use std::fmt::Debug;

use async_trait::async_trait;
use time::OffsetDateTime;

use crate::domain::Notice;
use crate::domain::{ContactId, ContactPerson, Customer, CustomerId, Email, OrgId};

use super::StoreResult;

/// A portal user's change to their customer's and their own details (C1).
#[derive(Debug, Clone)]
pub struct DetailsChange {
    /// The organization.
    pub org: OrgId,
    /// The customer, at the version read, with the new display name, company name
    /// and addresses. Nothing else of it is written.
    pub customer: Customer,
    /// The contact, at the version read, with the new first and last name and phone.
    /// Nothing else of it is written.
    pub contact: ContactPerson,
    /// The activity row and the org's notification.
    pub notice: Notice,
}

/// Contact persons.
#[async_trait]
pub trait ContactStore: Debug + Send + Sync + 'static {
    /// Inserts a contact. `Conflict(Rule::ContactEmail)` if its email is taken among the
    /// organization's live contacts; `NotFound(Entity::Customer)` if the customer is not
    /// the organization's or was deleted.
    async fn create_contact(&self, contact: &ContactPerson) -> StoreResult<()>;
    /// The contact, deleted or not.
    async fn contact(&self, org: OrgId, id: ContactId) -> StoreResult<ContactPerson>;
    /// The customer's live contacts, oldest first.
    async fn contacts_of_customer(
        &self,
        org: OrgId,
        customer: CustomerId,
    ) -> StoreResult<Vec<ContactPerson>>;
    /// The live contact with this email in the organization.
    async fn contact_by_email(&self, org: OrgId, email: &Email) -> StoreResult<ContactPerson>;
    /// Replaces the contact if its stored version is `contact.version` (portal
    /// status, password and tokens are changed only through [`AccessStore`](super::AccessStore)).
    async fn update_contact(&self, contact: &ContactPerson) -> StoreResult<ContactPerson>;
    /// Marks the contact deleted, ends its sessions and voids its tokens.
    async fn delete_contact(
        &self,
        org: OrgId,
        id: ContactId,
        at: OffsetDateTime,
    ) -> StoreResult<()>;
    /// How many live contacts of the organization are invited or active.
    async fn count_portal_users(&self, org: OrgId) -> StoreResult<u64>;
    /// Applies a portal user's details change atomically: the customer's display
    /// name, company name and addresses and the contact's names and phone, each only
    /// at the version read (`ConcurrentModification` otherwise), with its emails.
    /// Ids, statuses, currency, email and amounts are never written.
    async fn update_details(
        &self,
        change: &DetailsChange,
    ) -> StoreResult<(Customer, ContactPerson)>;
}
