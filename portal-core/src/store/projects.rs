//! Projects, tasks and time entries (T1, T2).

use std::fmt::Debug;

use async_trait::async_trait;

use crate::domain::{CustomerId, InvoiceId, OrgId, Page};
use crate::domain::{
    PageRequest, Project, ProjectId, Task, TaskHours, TaskId, TimeEntry, TimeEntryId,
};

use super::StoreResult;

/// Projects, tasks and time entries (SPEC T1, T2), and billing time.
#[async_trait]
pub trait ProjectStore: Debug + Send + Sync + 'static {
    /// Inserts a project. `NotFound(Entity::Customer)` for a customer not the org's.
    async fn create_project(&self, project: &Project) -> StoreResult<()>;
    /// The project (org side).
    async fn project(&self, org: OrgId, id: ProjectId) -> StoreResult<Project>;
    /// Replaces name, description and status if the stored version is
    /// `project.version`.
    async fn update_project(&self, project: &Project) -> StoreResult<Project>;
    /// Inserts a task. `NotFound(Entity::Project)` for a project not the org's.
    async fn create_task(&self, task: &Task) -> StoreResult<()>;
    /// The task (org side).
    async fn task(&self, org: OrgId, id: TaskId) -> StoreResult<Task>;
    /// Inserts a time entry. `NotFound(Entity::Task)` unless its task is of its project.
    async fn log_time(&self, entry: &TimeEntry) -> StoreResult<()>;
    /// The named entries of the organization (org side), in the order named.
    /// `NotFound(Entity::TimeEntry)` if any is missing.
    async fn time_entries(&self, org: OrgId, ids: &[TimeEntryId]) -> StoreResult<Vec<TimeEntry>>;
    /// One page of the customer's active projects, newest first.
    async fn customer_projects(
        &self,
        org: OrgId,
        customer: CustomerId,
        page: &PageRequest,
    ) -> StoreResult<Page<Project>>;
    /// The customer's project (active or completed).
    async fn customer_project(
        &self,
        org: OrgId,
        customer: CustomerId,
        id: ProjectId,
    ) -> StoreResult<Project>;
    /// The project's billable tasks with logged, billed and unbilled minutes
    /// (aggregated by the backend), by name.
    async fn project_tasks(
        &self,
        org: OrgId,
        customer: CustomerId,
        project: ProjectId,
    ) -> StoreResult<Vec<TaskHours>>;
    /// One page of the project's billable time entries, newest day first.
    async fn project_time_entries(
        &self,
        org: OrgId,
        customer: CustomerId,
        project: ProjectId,
        page: &PageRequest,
    ) -> StoreResult<Page<TimeEntry>>;
    /// Marks the entries billed on `invoice`, atomically. `Conflict(Rule::TimeEntryState)`
    /// unless every entry is approved, billable, unbilled and of the invoice's
    /// customer.
    async fn bill_time(
        &self,
        org: OrgId,
        invoice: InvoiceId,
        entries: &[TimeEntryId],
    ) -> StoreResult<()>;
}
