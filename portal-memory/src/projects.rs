//! Projects, timesheet approvals, shared files and the activity feed of
//! `MemoryStore`.

use crate::MemoryStore;
use crate::store::State;
use crate::store::newest_first;
use std::collections::BTreeSet;

use async_trait::async_trait;
use portal_core::domain::{
    CustomerId, EntryApproval, InvoiceId, OrgId, Page, PageRequest, Project, ProjectId,
    ProjectStatus, Task, TaskHours, TaskId, TimeEntry, TimeEntryId, days_since_epoch,
};
use portal_core::store::{ProjectStore, StoreError, StoreResult};

use portal_core::store::{Entity, Rule};

impl State {
    pub(crate) fn customer_project(
        &self,
        org: OrgId,
        customer: CustomerId,
        id: ProjectId,
    ) -> StoreResult<&Project> {
        self.projects
            .projects
            .get(&id)
            .filter(|p| p.org == org && p.customer == customer)
            .ok_or(StoreError::NotFound(Entity::Project))
    }
}

#[async_trait]
impl ProjectStore for MemoryStore {
    async fn create_project(&self, project: &Project) -> StoreResult<()> {
        let mut s = self.lock();
        s.live_customer(project.org, project.customer)?;
        if s.projects.projects.contains_key(&project.id) {
            return Err(StoreError::Conflict(Rule::Exists(Entity::Project)));
        }
        s.projects
            .by_customer
            .entry(project.customer)
            .or_default()
            .insert(project.id);
        s.projects.projects.insert(project.id, project.clone());
        Ok(())
    }

    async fn project(&self, org: OrgId, id: ProjectId) -> StoreResult<Project> {
        self.lock()
            .projects
            .projects
            .get(&id)
            .filter(|p| p.org == org)
            .cloned()
            .ok_or(StoreError::NotFound(Entity::Project))
    }

    async fn update_project(&self, project: &Project) -> StoreResult<Project> {
        let mut s = self.lock();
        let stored = s
            .projects
            .projects
            .get_mut(&project.id)
            .filter(|p| p.org == project.org)
            .ok_or(StoreError::NotFound(Entity::Project))?;
        if stored.version != project.version {
            return Err(StoreError::ConcurrentModification(Entity::Project));
        }
        stored.name.clone_from(&project.name);
        stored.description.clone_from(&project.description);
        stored.status = project.status;
        stored.version += 1;
        Ok(stored.clone())
    }

    async fn create_task(&self, task: &Task) -> StoreResult<()> {
        let mut s = self.lock();
        s.projects
            .projects
            .get(&task.project)
            .filter(|p| p.org == task.org)
            .ok_or(StoreError::NotFound(Entity::Project))?;
        if s.projects.tasks.contains_key(&task.id) {
            return Err(StoreError::Conflict(Rule::Exists(Entity::Task)));
        }
        s.projects
            .tasks_by_project
            .entry(task.project)
            .or_default()
            .insert(task.id);
        s.projects.tasks.insert(task.id, task.clone());
        Ok(())
    }

    async fn task(&self, org: OrgId, id: TaskId) -> StoreResult<Task> {
        self.lock()
            .projects
            .tasks
            .get(&id)
            .filter(|t| t.org == org)
            .cloned()
            .ok_or(StoreError::NotFound(Entity::Task))
    }

    async fn log_time(&self, entry: &TimeEntry) -> StoreResult<()> {
        let mut s = self.lock();
        let task_ok = s
            .projects
            .tasks
            .get(&entry.task)
            .is_some_and(|t| t.org == entry.org && t.project == entry.project);
        let project_ok = s
            .projects
            .projects
            .get(&entry.project)
            .is_some_and(|p| p.org == entry.org && p.customer == entry.customer);
        if !task_ok || !project_ok {
            return Err(StoreError::NotFound(Entity::Task));
        }
        if s.projects.entries.contains_key(&entry.id) {
            return Err(StoreError::Conflict(Rule::TimeEntryState));
        }
        s.projects
            .entries_by_project
            .entry(entry.project)
            .or_default()
            .insert(entry.id);
        s.projects.entries.insert(entry.id, entry.clone());
        Ok(())
    }

    async fn time_entries(&self, org: OrgId, ids: &[TimeEntryId]) -> StoreResult<Vec<TimeEntry>> {
        let s = self.lock();
        ids.iter()
            .map(|id| {
                s.projects
                    .entries
                    .get(id)
                    .filter(|e| e.org == org)
                    .cloned()
                    .ok_or(StoreError::NotFound(Entity::TimeEntry))
            })
            .collect()
    }

    async fn customer_projects(
        &self,
        org: OrgId,
        customer: CustomerId,
        page: &PageRequest,
    ) -> StoreResult<Page<Project>> {
        let s = self.lock();
        let rows = s
            .projects
            .by_customer
            .get(&customer)
            .into_iter()
            .flatten()
            .filter_map(|id| s.projects.projects.get(id))
            .filter(|p| p.org == org && p.status == ProjectStatus::Active);
        Ok(newest_first(rows, |p| (0, p.id.as_uuid()), page))
    }

    async fn customer_project(
        &self,
        org: OrgId,
        customer: CustomerId,
        id: ProjectId,
    ) -> StoreResult<Project> {
        self.lock().customer_project(org, customer, id).cloned()
    }

    async fn project_tasks(
        &self,
        org: OrgId,
        customer: CustomerId,
        project: ProjectId,
    ) -> StoreResult<Vec<TaskHours>> {
        let s = self.lock();
        s.customer_project(org, customer, project)?;
        let mut out: Vec<TaskHours> = s
            .projects
            .tasks_by_project
            .get(&project)
            .into_iter()
            .flatten()
            .filter_map(|id| s.projects.tasks.get(id))
            .filter(|t| t.billable)
            .map(|t| TaskHours {
                task: t.clone(),
                logged_minutes: 0,
                billed_minutes: 0,
                unbilled_minutes: 0,
            })
            .collect();
        for e in s
            .projects
            .entries_by_project
            .get(&project)
            .into_iter()
            .flatten()
            .filter_map(|id| s.projects.entries.get(id))
        {
            if let Some(h) = out.iter_mut().find(|h| h.task.id == e.task) {
                let m = i64::from(e.minutes);
                h.logged_minutes += m;
                if e.billed() {
                    h.billed_minutes += m;
                } else {
                    h.unbilled_minutes += m;
                }
            }
        }
        out.sort_by(|a, b| (&a.task.name, a.task.id).cmp(&(&b.task.name, b.task.id)));
        Ok(out)
    }

    async fn project_time_entries(
        &self,
        org: OrgId,
        customer: CustomerId,
        project: ProjectId,
        page: &PageRequest,
    ) -> StoreResult<Page<TimeEntry>> {
        let s = self.lock();
        s.customer_project(org, customer, project)?;
        let rows = s
            .projects
            .entries_by_project
            .get(&project)
            .into_iter()
            .flatten()
            .filter_map(|id| s.projects.entries.get(id))
            .filter(|e| e.billable);
        Ok(newest_first(
            rows,
            |e| (days_since_epoch(e.date), e.id.as_uuid()),
            page,
        ))
    }

    async fn bill_time(
        &self,
        org: OrgId,
        invoice: InvoiceId,
        entries: &[TimeEntryId],
    ) -> StoreResult<()> {
        let mut s = self.lock();
        let customer = s.invoices.of_org(org, invoice)?.customer;
        let mut seen = BTreeSet::new();
        for id in entries {
            let ok = s.projects.entries.get(id).is_some_and(|e| {
                e.org == org
                    && e.customer == customer
                    && e.billable
                    && e.approval == EntryApproval::Approved
                    && !e.billed()
            });
            if !ok || !seen.insert(*id) {
                return Err(StoreError::Conflict(Rule::TimeEntryState));
            }
        }
        for id in entries {
            if let Some(e) = s.projects.entries.get_mut(id) {
                e.invoice = Some(invoice);
            }
        }
        Ok(())
    }
}
