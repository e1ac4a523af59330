//! The activity feed (N3) and the outbox, on the org side.

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

impl OrgAdmin<'_> {
    /// The organization's emails waiting in the outbox (not sent yet, or failed and
    /// due again), oldest first, at most `limit` (1 to 100): what an org console
    /// shows as "the outbox".
    ///
    /// # Errors
    /// A bad limit.
    pub async fn outbox(self, limit: u32) -> Result<Vec<crate::domain::OutboxEmail>> {
        let limit = super::invoices::check_limit(limit)?;
        Ok(self
            .portal
            .inner
            .store
            .pending_emails(self.org, limit)
            .await?)
    }

    /// The organization's emails the mail server refused for good (no such
    /// mailbox, say), the latest first, at most `limit` (1 to 100), each with the
    /// server's answer in `last_error`: not retried, so the console shows them for
    /// someone to correct the address.
    ///
    /// # Errors
    /// A bad limit.
    pub async fn failed_emails(self, limit: u32) -> Result<Vec<crate::domain::OutboxEmail>> {
        let limit = super::invoices::check_limit(limit)?;
        Ok(self
            .portal
            .inner
            .store
            .rejected_emails(self.org, limit)
            .await?)
    }
}
