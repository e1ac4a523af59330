//! Customers on the org side.

use crate::domain::{
    ContactId, ContactPerson, Customer, CustomerId, NewContact, NewCustomer, Page, PageRequest,
};
use crate::error::{Error, Result};
use crate::service::OrgAdmin;
use std::collections::HashSet;
use tracing::instrument;

/// The organization's customers.
/// From [`OrgAdmin::customers`]; every call is scoped to the organization.
#[derive(Debug, Clone, Copy)]
pub struct OrgCustomers<'a>(pub(super) OrgAdmin<'a>);

impl<'a> OrgAdmin<'a> {
    /// The organization's customers.
    #[must_use]
    pub fn customers(self) -> OrgCustomers<'a> {
        OrgCustomers(self)
    }
}

impl OrgCustomers<'_> {
    /// Creates a customer with its contact persons.
    ///
    /// # Errors
    /// [`Error::Text`] for bad fields, [`Error::ContactEmailTaken`].
    #[instrument(skip_all, fields(org = %self.0.org))]
    pub async fn create(
        self,
        customer: NewCustomer,
        contacts: Vec<NewContact>,
    ) -> Result<(Customer, Vec<ContactPerson>)> {
        customer.validate()?;
        for c in &contacts {
            c.validate()?;
        }
        let mut emails = HashSet::new();
        if contacts
            .iter()
            .filter_map(|c| c.email.as_ref())
            .any(|e| !emails.insert(e.clone()))
        {
            return Err(Error::ContactEmailTaken);
        }
        let now = self.0.portal.now();
        let customer = Customer::create(self.0.org, customer, now);
        let contacts: Vec<ContactPerson> = contacts
            .into_iter()
            .map(|c| ContactPerson::create(self.0.org, customer.id, c, now))
            .collect();
        self.0
            .portal
            .inner
            .store
            .create_customer(&customer, &contacts)
            .await?;
        tracing::info!(customer = %customer.id, "customer created");
        Ok((customer, contacts))
    }

    /// One page of the organization's customers, newest first (deleted ones are
    /// left out).
    ///
    /// # Errors
    /// A bad page size or cursor.
    pub async fn list(self, req: &PageRequest) -> Result<Page<Customer>> {
        Ok(self
            .0
            .portal
            .inner
            .store
            .org_customers(self.0.org, &super::invoices::checked_page(req)?)
            .await?)
    }

    /// The customer.
    ///
    /// # Errors
    /// [`Error::NotFound`].
    pub async fn get(self, customer: CustomerId) -> Result<Customer> {
        Ok(self
            .0
            .portal
            .inner
            .store
            .customer(self.0.org, customer)
            .await?)
    }

    /// Deletes a customer: its contacts lose the portal (a session still open gets
    /// CP1003).
    ///
    /// # Errors
    /// [`Error::NotFound`].
    #[instrument(skip_all, fields(org = %self.0.org, customer = %customer))]
    pub async fn delete(self, customer: CustomerId) -> Result<()> {
        let now = self.0.portal.now();
        Ok(self
            .0
            .portal
            .inner
            .store
            .delete_customer(self.0.org, customer, now)
            .await?)
    }

    /// Disables portal access of every contact of a customer (A8).
    ///
    /// # Errors
    /// [`Error::NotFound`] for an unknown customer.
    #[instrument(skip_all, fields(org = %self.0.org, customer = %customer))]
    pub async fn disable(self, customer: CustomerId) -> Result<Vec<ContactPerson>> {
        self.0.customers().get(customer).await?;
        let ids: Vec<ContactId> = self
            .0
            .contacts()
            .list(customer)
            .await?
            .iter()
            .map(|c| c.id)
            .collect();
        Ok(self
            .0
            .portal
            .inner
            .store
            .disable_access(self.0.org, &ids)
            .await?)
    }
}
