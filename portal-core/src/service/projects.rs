//! Projects and timesheet approvals (SPEC T1–T3, N2 for approvals).

use tracing::instrument;

use super::invoices::checked_page;
use super::org::OrgAdmin;
use super::retrying;
use super::session::PortalSession;
use crate::domain::{
    Action, ActivitySubject, ApprovalDecision, ApprovalId, ApprovalStatus, CustomerId, InvoiceId,
    Module, NewTimeEntry, Page, PageRequest, PortalEvent, Project, ProjectError, ProjectId,
    ProjectStatus, Task, TaskHours, TimeEntry, TimeEntryId, TimesheetApproval,
};
use crate::error::{Error, Result};
use crate::store::{ApprovalDecisionRecord, StoreError};
use crate::store::{Entity, Rule};

fn entry_conflict(e: StoreError, error: ProjectError) -> Error {
    match e {
        StoreError::Conflict(Rule::TimeEntryState) => Error::Project(error),
        other => other.into(),
    }
}

impl OrgAdmin<'_> {
    /// Creates an active project for a customer.
    ///
    /// # Errors
    /// [`Error::Text`] for a bad name; `NotFound` for an unknown customer.
    #[instrument(skip_all, fields(org = %self.org, customer = %customer))]
    pub async fn create_project(
        self,
        customer: CustomerId,
        name: &str,
        description: &str,
    ) -> Result<Project> {
        let project = Project::new(self.org, customer, name, description, self.portal.now())?;
        self.portal.inner.store.create_project(&project).await?;
        Ok(project)
    }

    /// Sets a project's status: a completed project leaves the portal's list.
    ///
    /// # Errors
    /// `NotFound`.
    #[instrument(skip_all, fields(org = %self.org, project = %id))]
    pub async fn set_project_status(self, id: ProjectId, status: ProjectStatus) -> Result<Project> {
        let store = &self.portal.inner.store;
        let org = self.org;
        retrying(|| async move {
            let mut project = store.project(org, id).await?;
            project.status = status;
            Ok(store.update_project(&project).await?)
        })
        .await
    }

    /// Adds a task to a project; only billable tasks are shown in the portal.
    ///
    /// # Errors
    /// [`Error::Text`]; `NotFound` for a project not the organization's.
    pub async fn add_task(self, project: ProjectId, name: &str, billable: bool) -> Result<Task> {
        let task = Task::new(self.org, project, name, billable)?;
        self.portal.inner.store.create_task(&task).await?;
        Ok(task)
    }

    /// Logs time on a task of the project.
    ///
    /// # Errors
    /// [`Error::Project`] for bad minutes or note; `NotFound` for a task not of the
    /// project.
    #[instrument(skip_all, fields(org = %self.org, project = %project))]
    pub async fn log_time(self, project: ProjectId, input: NewTimeEntry) -> Result<TimeEntry> {
        let store = &self.portal.inner.store;
        let p = store.project(self.org, project).await?;
        let task = store.task(self.org, input.task).await?;
        if task.project != p.id {
            return Err(Error::NotFound(Entity::Task));
        }
        let entry = TimeEntry::new(&p, &task, input, self.portal.now())?;
        store.log_time(&entry).await?;
        Ok(entry)
    }

    /// The organization's time entries, as they stand now.
    ///
    /// # Errors
    /// `NotFound` if any is not the organization's.
    pub async fn time_entries(self, ids: &[TimeEntryId]) -> Result<Vec<TimeEntry>> {
        Ok(self.portal.inner.store.time_entries(self.org, ids).await?)
    }

    /// Sends time entries of a project to the customer for approval (T3).
    ///
    /// # Errors
    /// [`Error::Project`]: no entries, an entry of another project, or one that is
    /// billed, pending or approved already.
    #[instrument(skip_all, fields(org = %self.org, project = %project))]
    pub async fn send_timesheet(
        self,
        project: ProjectId,
        title: &str,
        entries: &[TimeEntryId],
    ) -> Result<TimesheetApproval> {
        let store = &self.portal.inner.store;
        let p = store.project(self.org, project).await?;
        let rows = store.time_entries(self.org, entries).await?;
        let approval = TimesheetApproval::new(&p, title, &rows, self.portal.now())?;
        store
            .create_approval(&approval)
            .await
            .map_err(|e| entry_conflict(e, ProjectError::NotSubmittable))?;
        Ok(approval)
    }

    /// The approval (org side), with the customer's decision once made.
    ///
    /// # Errors
    /// `NotFound`.
    pub async fn approval(self, id: ApprovalId) -> Result<TimesheetApproval> {
        Ok(self.portal.inner.store.approval(self.org, id).await?)
    }

    /// Marks approved time as invoiced on `invoice`: only approved, billable and
    /// unbilled entries of the invoice's customer can be (T3).
    ///
    /// # Errors
    /// [`Error::Project`] with `time_not_approved` otherwise; nothing is marked.
    #[instrument(skip_all, fields(org = %self.org, invoice = %invoice))]
    pub async fn bill_time(self, invoice: InvoiceId, entries: &[TimeEntryId]) -> Result<()> {
        self.portal
            .inner
            .store
            .bill_time(self.org, invoice, entries)
            .await
            .map_err(|e| entry_conflict(e, ProjectError::NotInvoiceable))
    }
}

impl PortalSession {
    /// One page of the customer's active projects (T1), newest first.
    ///
    /// # Errors
    /// [`Error::Forbidden`] when projects are off or the role lacks them.
    #[instrument(skip_all, fields(org = %self.org.id, customer = %self.customer.id))]
    pub async fn projects(&self, req: &PageRequest) -> Result<Page<Project>> {
        self.require(Module::Projects, Action::View)?;
        Ok(self
            .portal
            .inner
            .store
            .customer_projects(self.org.id, self.customer.id, &checked_page(req)?)
            .await?)
    }

    /// One of the customer's projects.
    ///
    /// # Errors
    /// [`Error::Forbidden`]; `NotFound` for someone else's project.
    pub async fn project(&self, id: ProjectId) -> Result<Project> {
        self.require(Module::Projects, Action::View)?;
        Ok(self
            .portal
            .inner
            .store
            .customer_project(self.org.id, self.customer.id, id)
            .await?)
    }

    /// The project's billable tasks with logged, billed and unbilled minutes (T1).
    ///
    /// # Errors
    /// As [`Self::project`].
    pub async fn project_tasks(&self, id: ProjectId) -> Result<Vec<TaskHours>> {
        self.require(Module::Projects, Action::View)?;
        Ok(self
            .portal
            .inner
            .store
            .project_tasks(self.org.id, self.customer.id, id)
            .await?)
    }

    /// One page of the project's billable time entries with their billing and
    /// approval status (T1), newest day first.
    ///
    /// # Errors
    /// As [`Self::project`].
    pub async fn project_time(&self, id: ProjectId, req: &PageRequest) -> Result<Page<TimeEntry>> {
        self.require(Module::Projects, Action::View)?;
        Ok(self
            .portal
            .inner
            .store
            .project_time_entries(self.org.id, self.customer.id, id, &checked_page(req)?)
            .await?)
    }

    /// One page of the customer's timesheet approvals with one of `statuses` (all
    /// when empty), newest first (T3).
    ///
    /// # Errors
    /// [`Error::Forbidden`].
    #[instrument(skip_all, fields(org = %self.org.id, customer = %self.customer.id))]
    pub async fn approvals(
        &self,
        statuses: &[ApprovalStatus],
        req: &PageRequest,
    ) -> Result<Page<TimesheetApproval>> {
        self.require(Module::Timesheets, Action::View)?;
        Ok(self
            .portal
            .inner
            .store
            .customer_approvals(self.org.id, self.customer.id, statuses, &checked_page(req)?)
            .await?)
    }

    /// Opens a timesheet approval: the first view marks it viewed and notifies the
    /// org (T3, N2).
    ///
    /// # Errors
    /// [`Error::Forbidden`]; `NotFound` for someone else's approval.
    #[instrument(skip_all, fields(org = %self.org.id, customer = %self.customer.id, approval = %id))]
    pub async fn approval(&self, id: ApprovalId) -> Result<TimesheetApproval> {
        self.require(Module::Timesheets, Action::View)?;
        let store = &self.portal.inner.store;
        let current = store
            .customer_approval(self.org.id, self.customer.id, id)
            .await?;
        if current.viewed_at.is_some() {
            return Ok(current);
        }
        let notice = self.notice(
            PortalEvent::Viewed,
            ActivitySubject::Approval(id),
            format!(
                "{} viewed timesheet {}",
                self.customer.display_name, current.title
            ),
            format!(
                "{} opened timesheet {} in the customer portal.\n",
                self.contact.full_name(),
                current.title
            ),
        );
        let (approval, _) = store
            .mark_approval_viewed(
                self.org.id,
                self.customer.id,
                id,
                self.portal.now(),
                &notice,
            )
            .await?;
        Ok(approval)
    }

    /// The time entries of one of the customer's approvals, in the order sent.
    ///
    /// # Errors
    /// As [`Self::approval`].
    pub async fn approval_entries(&self, id: ApprovalId) -> Result<Vec<TimeEntry>> {
        self.require(Module::Timesheets, Action::View)?;
        Ok(self
            .portal
            .inner
            .store
            .approval_entries(self.org.id, self.customer.id, id)
            .await?)
    }

    /// Approves a timesheet, rejects it with a reason, or approves it except the
    /// disputed entries, each with its reason (T3). Approved entries can then be
    /// invoiced. The org is notified: "approved" when every entry is, "rejected"
    /// when any entry is rejected or disputed.
    ///
    /// # Errors
    /// [`Error::Forbidden`]; [`Error::Project`] for a missing reason, an entry not in
    /// the timesheet, or a timesheet already decided.
    #[instrument(skip_all, fields(org = %self.org.id, customer = %self.customer.id, approval = %id))]
    pub async fn decide_timesheet(
        &self,
        id: ApprovalId,
        decision: &ApprovalDecision,
    ) -> Result<TimesheetApproval> {
        self.require(Module::Timesheets, Action::Approve)?;
        let store = &self.portal.inner.store;
        retrying(|| async move {
            let mut approval = store
                .customer_approval(self.org.id, self.customer.id, id)
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
            let notice = self.notice(
                event,
                ActivitySubject::Approval(id),
                format!(
                    "{} {verb} timesheet {}",
                    self.customer.display_name, approval.title
                ),
                format!(
                    "{} ({}) {verb} timesheet {}.\n{reasons}",
                    self.contact.full_name(),
                    self.customer.display_name,
                    approval.title
                ),
            );
            approval.decided_by = Some(self.contact.id);
            approval.decided_at = Some(self.portal.now());
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
