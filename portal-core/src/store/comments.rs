//! Comments on a customer's documents (Q5, T2).

use std::fmt::Debug;

use async_trait::async_trait;

use crate::domain::Notice;
use crate::domain::{Comment, CommentTarget, CustomerId, OrgId, OutboxEmail};

use super::StoreResult;

/// Comments on a customer's quotes, invoices, projects and timesheet approvals.
#[async_trait]
pub trait CommentStore: Debug + Send + Sync + 'static {
    /// Adds a comment, queues `emails` (to the customer) and records `notice` (a
    /// portal user's comment) with it.
    async fn add_comment(
        &self,
        comment: &Comment,
        emails: &[OutboxEmail],
        notice: Option<&Notice>,
    ) -> StoreResult<()>;
    /// The comments on a document of the customer, oldest first; with `portal_only`,
    /// only those visible in the portal.
    async fn comments(
        &self,
        org: OrgId,
        customer: CustomerId,
        target: CommentTarget,
        portal_only: bool,
    ) -> StoreResult<Vec<Comment>>;
}
