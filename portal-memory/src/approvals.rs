//! Timesheet approvals in `MemoryStore`.

use crate::MemoryStore;
use crate::store::State;
use crate::store::newest_first;
use async_trait::async_trait;
use portal_core::domain::{
    ApprovalId, ApprovalStatus, CustomerId, EntryApproval, Notice, OrgId, Page, PageRequest,
    TimeEntry, TimesheetApproval,
};
use portal_core::store::ApprovalStore;
use portal_core::store::{ApprovalDecisionRecord, StoreError, StoreResult};
use portal_core::store::{Entity, Rule};
use time::OffsetDateTime;

impl State {
    pub(crate) fn customer_approval(
        &self,
        org: OrgId,
        customer: CustomerId,
        id: ApprovalId,
    ) -> StoreResult<&TimesheetApproval> {
        self.projects
            .approvals
            .get(&id)
            .filter(|a| a.org == org && a.customer == customer)
            .ok_or(StoreError::NotFound(Entity::Approval))
    }

    pub(crate) fn put_approval(&mut self, approval: TimesheetApproval) {
        self.projects
            .approvals_by_customer
            .entry(approval.customer)
            .or_default()
            .insert(approval.id);
        self.projects.approvals.insert(approval.id, approval);
    }
}

#[async_trait]
impl ApprovalStore for MemoryStore {
    async fn create_approval(&self, approval: &TimesheetApproval) -> StoreResult<()> {
        let mut s = self.lock();
        s.customer_project(approval.org, approval.customer, approval.project)?;
        if s.projects.approvals.contains_key(&approval.id) {
            return Err(StoreError::Conflict(Rule::Exists(Entity::Approval)));
        }
        for id in &approval.entries {
            let ok = s.projects.entries.get(id).is_some_and(|e| {
                e.org == approval.org
                    && e.project == approval.project
                    && e.approval.can_submit()
                    && !e.billed()
            });
            if !ok {
                return Err(StoreError::Conflict(Rule::TimeEntryState));
            }
        }
        for id in &approval.entries {
            if let Some(e) = s.projects.entries.get_mut(id) {
                e.approval = EntryApproval::Pending;
                e.dispute_reason = None;
            }
        }
        s.put_approval(approval.clone());
        Ok(())
    }

    async fn approval(&self, org: OrgId, id: ApprovalId) -> StoreResult<TimesheetApproval> {
        self.lock()
            .projects
            .approvals
            .get(&id)
            .filter(|a| a.org == org)
            .cloned()
            .ok_or(StoreError::NotFound(Entity::Approval))
    }

    async fn customer_approvals(
        &self,
        org: OrgId,
        customer: CustomerId,
        statuses: &[ApprovalStatus],
        page: &PageRequest,
    ) -> StoreResult<Page<TimesheetApproval>> {
        let s = self.lock();
        let rows = s
            .projects
            .approvals_by_customer
            .get(&customer)
            .into_iter()
            .flatten()
            .filter_map(|id| s.projects.approvals.get(id))
            .filter(|a| a.org == org && (statuses.is_empty() || statuses.contains(&a.status)));
        Ok(newest_first(rows, |a| (0, a.id.as_uuid()), page))
    }

    async fn approval_entries(
        &self,
        org: OrgId,
        customer: CustomerId,
        id: ApprovalId,
    ) -> StoreResult<Vec<TimeEntry>> {
        let s = self.lock();
        let approval = s.customer_approval(org, customer, id)?;
        Ok(approval
            .entries
            .iter()
            .filter_map(|e| s.projects.entries.get(e))
            .cloned()
            .collect())
    }

    async fn mark_approval_viewed(
        &self,
        org: OrgId,
        customer: CustomerId,
        id: ApprovalId,
        at: OffsetDateTime,
        notice: &Notice,
    ) -> StoreResult<(TimesheetApproval, bool)> {
        let mut s = self.lock();
        let approval = s.customer_approval(org, customer, id)?.clone();
        if approval.viewed_at.is_some() {
            return Ok((approval, false));
        }
        s.check_notice(notice)?;
        s.put_notice(notice);
        let mut saved = approval;
        saved.viewed_at = Some(at);
        s.put_approval(saved.clone());
        Ok((saved, true))
    }

    async fn decide_approval(
        &self,
        record: &ApprovalDecisionRecord,
    ) -> StoreResult<TimesheetApproval> {
        let mut s = self.lock();
        let a = &record.approval;
        let stored = s.customer_approval(a.org, a.customer, a.id)?;
        if stored.version != a.version || stored.status != ApprovalStatus::Pending {
            return Err(StoreError::ConcurrentModification(Entity::Approval));
        }
        s.check_notice(&record.notice)?;
        let mut saved = stored.clone();
        saved.status = record.outcome.status;
        saved.reason.clone_from(&record.outcome.reason);
        saved.decided_by = a.decided_by;
        saved.decided_at = a.decided_at;
        saved.version += 1;
        for (id, state, reason) in &record.outcome.entries {
            if let Some(e) = s
                .projects
                .entries
                .get_mut(id)
                .filter(|e| saved.entries.contains(&e.id))
            {
                e.approval = *state;
                e.dispute_reason.clone_from(reason);
            }
        }
        s.put_notice(&record.notice);
        s.put_approval(saved.clone());
        Ok(saved)
    }

    async fn customer_approval(
        &self,
        org: OrgId,
        customer: CustomerId,
        id: ApprovalId,
    ) -> StoreResult<TimesheetApproval> {
        self.lock().customer_approval(org, customer, id).cloned()
    }
}
