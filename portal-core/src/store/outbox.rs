//! The email outbox, and forwarded documents (D3).

use std::fmt::Debug;

use async_trait::async_trait;
use time::OffsetDateTime;

use crate::domain::{ContactPerson, EmailId, OrgId, OutboxEmail};

use super::StoreResult;

/// The email outbox. Emails are queued by the operations that cause them, in
/// their transaction; a dispatcher claims and sends them.
#[async_trait]
pub trait OutboxStore: Debug + Send + Sync + 'static {
    /// Queues an email on its own (most emails are queued by the operation that
    /// causes them).
    async fn enqueue_email(&self, email: &OutboxEmail) -> StoreResult<()>;
    /// Claims up to `limit` pending emails due at `now` (the longest due first) by
    /// moving their next attempt to `lease_until`, so that another dispatcher running
    /// at the same time does not take them too. Returns them as stored after the
    /// claim, in the order they were queued (`created_at`, then id).
    async fn claim_due_emails(
        &self,
        now: OffsetDateTime,
        lease_until: OffsetDateTime,
        limit: u32,
    ) -> StoreResult<Vec<OutboxEmail>>;
    /// Marks the organization's email sent, counting the attempt, and blanks its
    /// body (it may hold a single-use link). `NotFound` if it is not that
    /// organization's.
    async fn mark_email_sent(&self, org: OrgId, id: EmailId, at: OffsetDateTime)
    -> StoreResult<()>;
    /// Records a failed attempt of the organization's email; it stays pending until
    /// `next_attempt_at`, or becomes rejected if `retry` is false.
    async fn mark_email_failed(
        &self,
        org: OrgId,
        id: EmailId,
        error: &str,
        next_attempt_at: OffsetDateTime,
        retry: bool,
    ) -> StoreResult<()>;
    /// The email.
    async fn outbox_email(&self, org: OrgId, id: EmailId) -> StoreResult<OutboxEmail>;
    /// The organization's pending emails, oldest first, at most `limit`.
    async fn pending_emails(&self, org: OrgId, limit: u32) -> StoreResult<Vec<OutboxEmail>>;
    /// The organization's emails the mail server refused for good, the latest
    /// refusal first (`next_attempt_at` holds when), at most `limit`: what an org
    /// console shows as failed, each with the server's answer in `last_error`.
    async fn rejected_emails(&self, org: OrgId, limit: u32) -> StoreResult<Vec<OutboxEmail>>;
    /// Sends a forwarded document (D3): queues `email` and, if given, adds
    /// `new_contact` to its customer, in one operation. `Conflict(Rule::ContactEmail)` if
    /// the new contact's email was taken meanwhile.
    async fn forward_document(
        &self,
        new_contact: Option<&ContactPerson>,
        email: &OutboxEmail,
    ) -> StoreResult<()>;
}
