//! Timesheet approvals (T3): sent by the organization, decided in the portal.

use super::invoices::checked_page;
use super::orgs::OrgAdmin;
use super::retrying;
use super::sessions::PortalSession;
use crate::domain::{
    Action, ActivitySubject, ApprovalDecision, ApprovalId, ApprovalStatus, CustomerId, Module,
    Page, PageRequest, PortalEvent, ProjectError, ProjectId, TimeEntry, TimeEntryId,
    TimesheetApproval,
};
use crate::error::Result;
use crate::service::projects::entry_conflict;
use crate::store::ApprovalDecisionRecord;
use tracing::instrument;

/// Timesheets sent for approval, on the org side.
/// From [`OrgAdmin::approvals`]; every call is scoped to the organization.
#[derive(Debug, Clone, Copy)]
pub struct OrgApprovals<'a>(pub(super) OrgAdmin<'a>);

impl<'a> OrgAdmin<'a> {
    /// Timesheets sent for approval, on the org side.
    #[must_use]
    pub fn approvals(self) -> OrgApprovals<'a> {
        OrgApprovals(self)
    }
}

impl OrgApprovals<'_> {
    /// Sends time entries of a project to the customer for approval (T3).
    ///
    /// # Errors
    /// [`Error::Project`](crate::error::Error::Project): no entries, an entry of another project, or one that is
    /// billed, pending or approved already.
    #[instrument(skip_all, fields(org = %self.0.org, project = %project))]
    pub async fn send(
        self,
        project: ProjectId,
        title: &str,
        entries: &[TimeEntryId],
    ) -> Result<TimesheetApproval> {
        let store = &self.0.portal.inner.store;
        let p = store.project(self.0.org, project).await?;
        let rows = store.time_entries(self.0.org, entries).await?;
        let approval = TimesheetApproval::new(&p, title, &rows, self.0.portal.now())?;
        store
            .create_approval(&approval)
            .await
            .map_err(|e| entry_conflict(e, ProjectError::NotSubmittable))?;
        Ok(approval)
    }

    /// One page of a customer's timesheet approvals, newest first, in any status.
    ///
    /// # Errors
    /// A bad page size or cursor.
    pub async fn list(
        self,
        customer: CustomerId,
        req: &PageRequest,
    ) -> Result<Page<TimesheetApproval>> {
        Ok(self
            .0
            .portal
            .inner
            .store
            .customer_approvals(
                self.0.org,
                customer,
                &[],
                &super::invoices::checked_page(req)?,
            )
            .await?)
    }

    /// The approval (org side), with the customer's decision once made.
    ///
    /// # Errors
    /// `NotFound`.
    pub async fn get(self, id: ApprovalId) -> Result<TimesheetApproval> {
        Ok(self.0.portal.inner.store.approval(self.0.org, id).await?)
    }
}

/// The customer's timesheet approvals (T3).
/// From [`PortalSession::approvals`]; every call is scoped to the session's customer.
#[derive(Debug, Clone, Copy)]
pub struct SessionApprovals<'s>(pub(super) &'s PortalSession);

impl PortalSession {
    /// The customer's timesheet approvals (T3).
    #[must_use]
    pub fn approvals(&self) -> SessionApprovals<'_> {
        SessionApprovals(self)
    }
}

impl SessionApprovals<'_> {
    /// One page of the customer's timesheet approvals with one of `statuses` (all
    /// when empty), newest first (T3).
    ///
    /// # Errors
    /// [`Error::Forbidden`](crate::error::Error::Forbidden).
    #[instrument(skip_all, fields(org = %self.0.org.id, customer = %self.0.customer.id))]
    pub async fn list(
        self,
        statuses: &[ApprovalStatus],
        req: &PageRequest,
    ) -> Result<Page<TimesheetApproval>> {
        self.0.require(Module::Timesheets, Action::View)?;
        Ok(self
            .0
            .portal
            .inner
            .store
            .customer_approvals(
                self.0.org.id,
                self.0.customer.id,
                statuses,
                &checked_page(req)?,
            )
            .await?)
    }

    /// Opens a timesheet approval: the first view marks it viewed and notifies the
    /// org (T3, N2).
    ///
    /// # Errors
    /// [`Error::Forbidden`](crate::error::Error::Forbidden); `NotFound` for someone else's approval.
    #[instrument(skip_all, fields(org = %self.0.org.id, customer = %self.0.customer.id, approval = %id))]
    pub async fn get(self, id: ApprovalId) -> Result<TimesheetApproval> {
        self.0.require(Module::Timesheets, Action::View)?;
        let store = &self.0.portal.inner.store;
        let current = store
            .customer_approval(self.0.org.id, self.0.customer.id, id)
            .await?;
        if current.viewed_at.is_some() {
            return Ok(current);
        }
        let notice = self.0.first_view_notice(
            crate::domain::ActivitySubject::Approval(id),
            "timesheet",
            &current.title,
        );
        let (approval, _) = store
            .mark_approval_viewed(
                self.0.org.id,
                self.0.customer.id,
                id,
                self.0.portal.now(),
                &notice,
            )
            .await?;
        Ok(approval)
    }

    /// The time entries of one of the customer's approvals, in the order sent.
    ///
    /// # Errors
    /// As [`Self::get`].
    pub async fn entries(self, id: ApprovalId) -> Result<Vec<TimeEntry>> {
        self.0.require(Module::Timesheets, Action::View)?;
        Ok(self
            .0
            .portal
            .inner
            .store
            .approval_entries(self.0.org.id, self.0.customer.id, id)
            .await?)
    }

    /// Approves a timesheet, rejects it with a reason, or approves it except the
    /// disputed entries, each with its reason (T3). Approved entries can then be
    /// invoiced. The org is notified: "approved" when every entry is, "rejected"
    /// when any entry is rejected or disputed.
    ///
    /// # Errors
    /// [`Error::Forbidden`](crate::error::Error::Forbidden); [`Error::Project`](crate::error::Error::Project) for a missing reason, an entry not in
    /// the timesheet, or a timesheet already decided.
    #[instrument(skip_all, fields(org = %self.0.org.id, customer = %self.0.customer.id, approval = %id))]
    pub async fn decide(
        self,
        id: ApprovalId,
        decision: &ApprovalDecision,
    ) -> Result<TimesheetApproval> {
        self.0.require(Module::Timesheets, Action::Approve)?;
        let store = &self.0.portal.inner.store;
        retrying(|| async move {
            let mut approval = store
                .customer_approval(self.0.org.id, self.0.customer.id, id)
                .await?;
            let outcome = approval.decide(decision)?;
            let (event, verb) = match outcome.status {
                ApprovalStatus::Approved => (PortalEvent::TimesheetApproved, "approved"),
                ApprovalStatus::PartiallyApproved => {
                    (PortalEvent::TimesheetRejected, "disputed entries of")
                }
                _ => (PortalEvent::TimesheetRejected, "rejected"),
            };
            let reasons: String = outcome
                .entries
                .iter()
                .filter_map(|(entry, _, why)| why.as_ref().map(|w| format!("- {entry}: {w}\n")))
                .collect();
            let notice = self.0.notice(
                event,
                ActivitySubject::Approval(id),
                format!(
                    "{} {verb} timesheet {}",
                    self.0.customer.display_name, approval.title
                ),
                format!(
                    "{} ({}) {verb} timesheet {}.\n{reasons}",
                    self.0.contact.full_name(),
                    self.0.customer.display_name,
                    approval.title
                ),
            );
            approval.decided_by = Some(self.0.contact.id);
            approval.decided_at = Some(self.0.portal.now());
            Ok(store
                .decide_approval(&ApprovalDecisionRecord {
                    approval,
                    outcome,
                    notice,
                })
                .await?)
        })
        .await
    }
}
