//! Projects, timesheet approvals, shared files and the activity feed of
//! `MemoryStore`.

use std::collections::{BTreeSet, HashMap};

use async_trait::async_trait;
use portal_core::{
    Activity, ActivityStore, ApprovalDecisionRecord, ApprovalId, ApprovalStatus, CustomerId,
    Direction, EntryApproval, FileId, FileStore, InvoiceId, Notice, OrgId, Page, PageRequest,
    Project, ProjectId, ProjectStatus, ProjectStore, SharedFile, SharedFileStore, StoreError,
    StoreResult, Task, TaskHours, TaskId, TimeEntry, TimeEntryId, TimesheetApproval,
    days_since_epoch,
};
use time::OffsetDateTime;

use crate::MemoryStore;
use crate::store::State;
use portal_core::{Entity, Rule};

#[derive(Debug, Default)]
pub(crate) struct ProjectState {
    pub(crate) projects: HashMap<ProjectId, Project>,
    by_customer: HashMap<CustomerId, BTreeSet<ProjectId>>,
    tasks: HashMap<TaskId, Task>,
    tasks_by_project: HashMap<ProjectId, BTreeSet<TaskId>>,
    entries: HashMap<TimeEntryId, TimeEntry>,
    entries_by_project: HashMap<ProjectId, BTreeSet<TimeEntryId>>,
    pub(crate) approvals: HashMap<ApprovalId, TimesheetApproval>,
    approvals_by_customer: HashMap<CustomerId, BTreeSet<ApprovalId>>,
    files: HashMap<FileId, SharedFile>,
    files_by_customer: HashMap<CustomerId, BTreeSet<FileId>>,
    blobs: HashMap<FileId, Vec<u8>>,
}

/// A page of rows in the fixed newest-first order of `req`.
fn newest_first<'a, T: Clone + 'a>(
    rows: impl Iterator<Item = &'a T>,
    key: impl Fn(&T) -> (i64, uuid::Uuid),
    req: &PageRequest,
) -> Page<T> {
    crate::money::keyset_page(
        rows,
        key,
        |k, id| req.includes(k, id),
        Direction::Desc,
        req.limit,
    )
}

impl State {
    fn customer_project(
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

    fn customer_approval(
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

    fn put_approval(&mut self, approval: TimesheetApproval) {
        self.projects
            .approvals_by_customer
            .entry(approval.customer)
            .or_default()
            .insert(approval.id);
        self.projects.approvals.insert(approval.id, approval);
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

    async fn customer_approval(
        &self,
        org: OrgId,
        customer: CustomerId,
        id: ApprovalId,
    ) -> StoreResult<TimesheetApproval> {
        self.lock().customer_approval(org, customer, id).cloned()
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

    async fn bill_time(
        &self,
        org: OrgId,
        invoice: InvoiceId,
        entries: &[TimeEntryId],
    ) -> StoreResult<()> {
        let mut s = self.lock();
        let customer = s
            .money
            .invoices
            .get(&invoice)
            .filter(|i| i.org == org)
            .map(|i| i.customer)
            .ok_or(StoreError::NotFound(Entity::Invoice))?;
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

#[async_trait]
impl SharedFileStore for MemoryStore {
    async fn add_file(&self, file: &SharedFile, notice: Option<&Notice>) -> StoreResult<()> {
        let mut s = self.lock();
        s.live_customer(file.org, file.customer)?;
        if s.projects.files.contains_key(&file.id) {
            return Err(StoreError::Conflict(Rule::Exists(Entity::File)));
        }
        if let Some(n) = notice {
            s.check_notice(n)?;
            s.put_notice(n);
        }
        s.projects
            .files_by_customer
            .entry(file.customer)
            .or_default()
            .insert(file.id);
        s.projects.files.insert(file.id, file.clone());
        Ok(())
    }

    async fn customer_files(
        &self,
        org: OrgId,
        customer: CustomerId,
        page: &PageRequest,
    ) -> StoreResult<Page<SharedFile>> {
        let s = self.lock();
        let rows = s
            .projects
            .files_by_customer
            .get(&customer)
            .into_iter()
            .flatten()
            .filter_map(|id| s.projects.files.get(id))
            .filter(|f| f.org == org);
        Ok(newest_first(rows, |f| (0, f.id.as_uuid()), page))
    }

    async fn customer_file(
        &self,
        org: OrgId,
        customer: CustomerId,
        id: FileId,
    ) -> StoreResult<SharedFile> {
        self.lock()
            .projects
            .files
            .get(&id)
            .filter(|f| f.org == org && f.customer == customer)
            .cloned()
            .ok_or(StoreError::NotFound(Entity::File))
    }

    async fn remove_file(&self, org: OrgId, customer: CustomerId, id: FileId) -> StoreResult<()> {
        let mut s = self.lock();
        if !s
            .projects
            .files
            .get(&id)
            .is_some_and(|f| f.org == org && f.customer == customer)
        {
            return Err(StoreError::NotFound(Entity::File));
        }
        s.projects.files.remove(&id);
        if let Some(set) = s.projects.files_by_customer.get_mut(&customer) {
            set.remove(&id);
        }
        Ok(())
    }
}

#[async_trait]
impl FileStore for MemoryStore {
    async fn put_file(&self, id: FileId, bytes: &[u8]) -> StoreResult<()> {
        let mut s = self.lock();
        if s.projects.blobs.contains_key(&id) {
            return Err(StoreError::Conflict(Rule::Exists(Entity::File)));
        }
        s.projects.blobs.insert(id, bytes.to_vec());
        Ok(())
    }

    async fn get_file(&self, id: FileId) -> StoreResult<Vec<u8>> {
        self.lock()
            .projects
            .blobs
            .get(&id)
            .cloned()
            .ok_or(StoreError::NotFound(Entity::File))
    }

    async fn delete_file(&self, id: FileId) -> StoreResult<()> {
        self.lock().projects.blobs.remove(&id);
        Ok(())
    }
}

#[async_trait]
impl ActivityStore for MemoryStore {
    async fn customer_activity(
        &self,
        org: OrgId,
        customer: CustomerId,
        page: &PageRequest,
    ) -> StoreResult<Page<Activity>> {
        let s = self.lock();
        let rows = s
            .activity
            .get(&customer)
            .into_iter()
            .flat_map(|m| m.values())
            .filter(|a| a.org == org);
        Ok(newest_first(rows, |a| (0, a.id.as_uuid()), page))
    }
}
