//! Projects and timesheet approvals (SPEC T1–T3, N2 for approvals).

use tracing::instrument;

use super::invoices::checked_page;
use super::orgs::OrgAdmin;
use super::retrying;
use super::sessions::PortalSession;
use crate::domain::{
    Action, CustomerId, InvoiceId, Module, NewTimeEntry, Page, PageRequest, Project, ProjectError,
    ProjectId, ProjectStatus, Task, TaskHours, TimeEntry, TimeEntryId,
};
use crate::error::{Error, Result};
use crate::store::StoreError;
use crate::store::{Entity, Rule};

pub(super) fn entry_conflict(e: StoreError, error: ProjectError) -> Error {
    match e {
        StoreError::Conflict(Rule::TimeEntryState) => Error::Project(error),
        other => other.into(),
    }
}

/// Projects, tasks and time on the org side.
/// From [`OrgAdmin::projects`]; every call is scoped to the organization.
#[derive(Debug, Clone, Copy)]
pub struct OrgProjects<'a>(pub(super) OrgAdmin<'a>);

impl<'a> OrgAdmin<'a> {
    /// Projects, tasks and time on the org side.
    #[must_use]
    pub fn projects(self) -> OrgProjects<'a> {
        OrgProjects(self)
    }
}

impl OrgProjects<'_> {
    /// One page of a customer's projects, newest first.
    ///
    /// # Errors
    /// A bad page size or cursor.
    pub async fn list(self, customer: CustomerId, req: &PageRequest) -> Result<Page<Project>> {
        Ok(self
            .0
            .portal
            .inner
            .store
            .customer_projects(self.0.org, customer, &checked_page(req)?)
            .await?)
    }

    /// A customer's project's billable tasks with their logged, billed and unbilled
    /// minutes.
    ///
    /// # Errors
    /// `NotFound` for a project that is not the customer's.
    pub async fn tasks(self, customer: CustomerId, id: ProjectId) -> Result<Vec<TaskHours>> {
        Ok(self
            .0
            .portal
            .inner
            .store
            .project_tasks(self.0.org, customer, id)
            .await?)
    }

    /// One page of a customer's project's billable time entries, newest day first,
    /// each with its approval state (what a console sends for approval).
    ///
    /// # Errors
    /// `NotFound`; a bad page size or cursor.
    pub async fn time(
        self,
        customer: CustomerId,
        id: ProjectId,
        req: &PageRequest,
    ) -> Result<Page<TimeEntry>> {
        Ok(self
            .0
            .portal
            .inner
            .store
            .project_time_entries(self.0.org, customer, id, &checked_page(req)?)
            .await?)
    }

    /// Creates an active project for a customer.
    ///
    /// # Errors
    /// [`Error::Text`] for a bad name; `NotFound` for an unknown customer.
    #[instrument(skip_all, fields(org = %self.0.org, customer = %customer))]
    pub async fn create(
        self,
        customer: CustomerId,
        name: &str,
        description: &str,
    ) -> Result<Project> {
        let project = Project::new(self.0.org, customer, name, description, self.0.portal.now())?;
        self.0.portal.inner.store.create_project(&project).await?;
        Ok(project)
    }

    /// Sets a project's status: a completed project leaves the portal's list.
    ///
    /// # Errors
    /// `NotFound`.
    #[instrument(skip_all, fields(org = %self.0.org, project = %id))]
    pub async fn set_status(self, id: ProjectId, status: ProjectStatus) -> Result<Project> {
        let store = &self.0.portal.inner.store;
        let org = self.0.org;
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
        let task = Task::new(self.0.org, project, name, billable)?;
        self.0.portal.inner.store.create_task(&task).await?;
        Ok(task)
    }

    /// Logs time on a task of the project.
    ///
    /// # Errors
    /// [`Error::Project`] for bad minutes or note; `NotFound` for a task not of the
    /// project.
    #[instrument(skip_all, fields(org = %self.0.org, project = %project))]
    pub async fn log_time(self, project: ProjectId, input: NewTimeEntry) -> Result<TimeEntry> {
        let store = &self.0.portal.inner.store;
        let p = store.project(self.0.org, project).await?;
        let task = store.task(self.0.org, input.task).await?;
        if task.project != p.id {
            return Err(Error::NotFound(Entity::Task));
        }
        let entry = TimeEntry::new(&p, &task, input, self.0.portal.now())?;
        store.log_time(&entry).await?;
        Ok(entry)
    }

    /// The organization's time entries, as they stand now.
    ///
    /// # Errors
    /// `NotFound` if any is not the organization's.
    pub async fn time_entries(self, ids: &[TimeEntryId]) -> Result<Vec<TimeEntry>> {
        Ok(self
            .0
            .portal
            .inner
            .store
            .time_entries(self.0.org, ids)
            .await?)
    }

    /// Marks approved time as invoiced on `invoice`: only approved, billable and
    /// unbilled entries of the invoice's customer can be (T3).
    ///
    /// # Errors
    /// [`Error::Project`] with `time_not_approved` otherwise; nothing is marked.
    #[instrument(skip_all, fields(org = %self.0.org, invoice = %invoice))]
    pub async fn bill_time(self, invoice: InvoiceId, entries: &[TimeEntryId]) -> Result<()> {
        self.0
            .portal
            .inner
            .store
            .bill_time(self.0.org, invoice, entries)
            .await
            .map_err(|e| entry_conflict(e, ProjectError::NotInvoiceable))
    }
}

/// The customer's projects, their tasks and time (T1, T2).
/// From [`PortalSession::projects`]; every call is scoped to the session's customer.
#[derive(Debug, Clone, Copy)]
pub struct SessionProjects<'s>(pub(super) &'s PortalSession);

impl PortalSession {
    /// The customer's projects, their tasks and time (T1, T2).
    #[must_use]
    pub fn projects(&self) -> SessionProjects<'_> {
        SessionProjects(self)
    }
}

impl SessionProjects<'_> {
    /// One page of the customer's active projects (T1), newest first.
    ///
    /// # Errors
    /// [`Error::Forbidden`] when projects are off or the role lacks them.
    #[instrument(skip_all, fields(org = %self.0.org.id, customer = %self.0.customer.id))]
    pub async fn list(self, req: &PageRequest) -> Result<Page<Project>> {
        self.0.require(Module::Projects, Action::View)?;
        Ok(self
            .0
            .portal
            .inner
            .store
            .customer_projects(self.0.org.id, self.0.customer.id, &checked_page(req)?)
            .await?)
    }

    /// One of the customer's projects.
    ///
    /// # Errors
    /// [`Error::Forbidden`]; `NotFound` for someone else's project.
    pub async fn get(self, id: ProjectId) -> Result<Project> {
        self.0.require(Module::Projects, Action::View)?;
        Ok(self
            .0
            .portal
            .inner
            .store
            .customer_project(self.0.org.id, self.0.customer.id, id)
            .await?)
    }

    /// The project's billable tasks with logged, billed and unbilled minutes (T1).
    ///
    /// # Errors
    /// As [`Self::get`].
    pub async fn tasks(self, id: ProjectId) -> Result<Vec<TaskHours>> {
        self.0.require(Module::Projects, Action::View)?;
        Ok(self
            .0
            .portal
            .inner
            .store
            .project_tasks(self.0.org.id, self.0.customer.id, id)
            .await?)
    }

    /// One page of the project's billable time entries with their billing and
    /// approval status (T1), newest day first.
    ///
    /// # Errors
    /// As [`Self::get`].
    pub async fn time(self, id: ProjectId, req: &PageRequest) -> Result<Page<TimeEntry>> {
        self.0.require(Module::Projects, Action::View)?;
        Ok(self
            .0
            .portal
            .inner
            .store
            .project_time_entries(self.0.org.id, self.0.customer.id, id, &checked_page(req)?)
            .await?)
    }
}
