//! What the services do alike for every kind of customer document (invoices,
//! quotes, sales orders), written once: a customer's page of them, on the org side
//! and in the portal, the organization's read, and the portal's read that counts
//! the first view. Each kind's service calls these and adds what only it does.

use crate::domain::{Action, CustomerDocument, CustomerId, DocumentQuery, Page};
use crate::error::Result;
use crate::store::StoredDocument;

use super::invoices::{check_cursor, check_limit};
use super::orgs::OrgAdmin;
use super::sessions::PortalSession;

/// `query` with its page size and cursor checked, on the organization's `today`.
fn checked<D: CustomerDocument>(query: &D::Query, today: time::Date) -> Result<D::Query> {
    Ok(query.with_page(
        check_limit(query.limit())?,
        check_cursor(query.after())?,
        today,
    ))
}

impl OrgAdmin<'_> {
    /// One page of a customer's documents of kind `D` as the portal lists them
    /// (never drafts).
    pub(super) async fn customer_documents<D: StoredDocument>(
        self,
        customer: CustomerId,
        query: &D::Query,
    ) -> Result<Page<D>> {
        self.customers().get(customer).await?;
        let org = self.organization().await?;
        let query = checked::<D>(query, self.portal.today_in(&org))?;
        Ok(D::table(&*self.portal.inner.store)
            .customer_page(self.org, customer, &query)
            .await?)
    }

    /// The organization's document, drafts included.
    pub(super) async fn document<D: StoredDocument>(self, id: D::Id) -> Result<D> {
        Ok(D::table(&*self.portal.inner.store)
            .get(self.org, id)
            .await?)
    }
}

impl PortalSession {
    /// One page of the customer's documents of kind `D`, when the role may view
    /// them.
    pub(super) async fn documents<D: StoredDocument>(&self, query: &D::Query) -> Result<Page<D>> {
        self.require(D::MODULE, Action::View)?;
        let query = checked::<D>(query, self.today())?;
        Ok(D::table(&*self.portal.inner.store)
            .customer_page(self.org.id, self.customer.id, &query)
            .await?)
    }

    /// Opens one of the customer's documents: the first view marks it viewed and
    /// tells the organization (activity, and the email its settings ask for).
    pub(super) async fn open<D: StoredDocument>(&self, id: D::Id) -> Result<D> {
        self.require(D::MODULE, Action::View)?;
        let table = D::table(&*self.portal.inner.store);
        let current = table.of_customer(self.org.id, self.customer.id, id).await?;
        if current.viewed_at().is_some() {
            return Ok(current);
        }
        let notice =
            self.first_view_notice(D::reference(id).into(), D::KIND.label(), current.number());
        let (doc, _) = table
            .mark_viewed(
                self.org.id,
                self.customer.id,
                id,
                self.portal.now(),
                &notice,
            )
            .await?;
        Ok(doc)
    }
}
