//! Timesheet approvals (T3).

use std::fmt::Debug;

use async_trait::async_trait;
use time::OffsetDateTime;

use crate::domain::{
    ApprovalId, ApprovalStatus, DecisionOutcome, Notice, PageRequest, TimeEntry, TimesheetApproval,
};
use crate::domain::{CustomerId, OrgId, Page};

use super::StoreResult;

/// A customer's answer to a timesheet approval, as the store records it.
#[derive(Debug, Clone)]
pub struct ApprovalDecisionRecord {
    /// The approval as read (its `version` is checked); status, reason and decider
    /// set to the decision's.
    pub approval: TimesheetApproval,
    /// Each entry's outcome.
    pub outcome: DecisionOutcome,
    /// The activity row and the organization's email.
    pub notice: Notice,
}

/// Timesheet approvals (SPEC T3): sent by the organization, decided by the
/// customer entry by entry.
#[async_trait]
pub trait ApprovalStore: Debug + Send + Sync + 'static {
    /// Inserts a pending approval and marks its entries pending, atomically.
    /// `Conflict(Rule::TimeEntryState)` if any entry is not of the approval's project, is
    /// billed, or is pending or approved already (checked at write time).
    async fn create_approval(&self, approval: &TimesheetApproval) -> StoreResult<()>;
    /// The approval (org side).
    async fn approval(&self, org: OrgId, id: ApprovalId) -> StoreResult<TimesheetApproval>;
    /// One page of the customer's approvals with one of `statuses` (all when empty),
    /// newest first.
    async fn customer_approvals(
        &self,
        org: OrgId,
        customer: CustomerId,
        statuses: &[ApprovalStatus],
        page: &PageRequest,
    ) -> StoreResult<Page<TimesheetApproval>>;
    /// The customer's approval.
    async fn customer_approval(
        &self,
        org: OrgId,
        customer: CustomerId,
        id: ApprovalId,
    ) -> StoreResult<TimesheetApproval>;
    /// The entries of the customer's approval, in the order sent.
    async fn approval_entries(
        &self,
        org: OrgId,
        customer: CustomerId,
        id: ApprovalId,
    ) -> StoreResult<Vec<TimeEntry>>;
    /// Marks the approval viewed unless it was; on the first view only, records
    /// `notice`. Returns it and whether this was the first view.
    async fn mark_approval_viewed(
        &self,
        org: OrgId,
        customer: CustomerId,
        id: ApprovalId,
        at: OffsetDateTime,
        notice: &Notice,
    ) -> StoreResult<(TimesheetApproval, bool)>;
    /// Records the customer's decision: the approval, every entry's outcome and the
    /// notice, atomically. `ConcurrentModification(Entity::Approval)` if it changed.
    async fn decide_approval(
        &self,
        record: &ApprovalDecisionRecord,
    ) -> StoreResult<TimesheetApproval>;
}
