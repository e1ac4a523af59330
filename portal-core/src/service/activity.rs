//! The activity feed (N3) on the org side.

use super::invoices::checked_page;
use super::orgs::OrgAdmin;
use crate::domain::{Activity, CustomerId, Page, PageRequest};
use crate::error::Result;

impl OrgAdmin<'_> {
    /// One page of a customer's activity feed, newest first (N3): every portal event
    /// of the customer's users.
    ///
    /// # Errors
    /// A bad page size.
    pub async fn activity(self, customer: CustomerId, req: &PageRequest) -> Result<Page<Activity>> {
        Ok(self
            .portal
            .inner
            .store
            .customer_activity(self.org, customer, &checked_page(req)?)
            .await?)
    }
}
