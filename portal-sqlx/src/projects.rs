//! Projects, timesheet approvals, shared files and the activity feed (T1–T3, D4,
//! N3). Plain Rust over either engine.

use async_trait::async_trait;
use portal_core::domain::{
    Cursor, CustomerId, EntryApproval, InvoiceId, OrgId, Page, PageRequest, Project, ProjectId,
    ProjectStatus, Task, TaskHours, TaskId, TimeEntry, TimeEntryId, days_since_epoch,
};
use portal_core::store::{Entity, ProjectStore, Rule, StoreError, StoreResult};
use sqlx::Executor;
use uuid::Uuid;

use crate::engine::{Bind as _, Engine, SqlStore};
use crate::error::{corrupt, db};
use crate::shared::{at, date_of, first, get, live_customer_currency};
use crate::sql::common as q;

impl<DB> SqlStore<DB>
where
    DB: Engine,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
{
    pub(crate) fn project_from(row: &DB::Row) -> StoreResult<Project> {
        let status: String = get(row, "status")?;
        Ok(Project {
            id: ProjectId::from_uuid(get(row, "id")?),
            org: OrgId::from_uuid(get(row, "org_id")?),
            customer: CustomerId::from_uuid(get(row, "customer_id")?),
            name: get(row, "name")?,
            description: get(row, "description")?,
            status: ProjectStatus::from_db(&status)
                .ok_or_else(|| corrupt("project status", &status))?,
            created_at: at(row, "created_at")?,
            version: get(row, "version")?,
        })
    }

    pub(crate) fn task_from(row: &DB::Row) -> StoreResult<Task> {
        Ok(Task {
            id: TaskId::from_uuid(get(row, "id")?),
            org: OrgId::from_uuid(get(row, "org_id")?),
            project: ProjectId::from_uuid(get(row, "project_id")?),
            name: get(row, "name")?,
            billable: get(row, "billable")?,
        })
    }

    pub(crate) fn entry_from(row: &DB::Row) -> StoreResult<TimeEntry> {
        let approval: String = get(row, "approval")?;
        let minutes: i64 = get(row, "minutes")?;
        Ok(TimeEntry {
            id: TimeEntryId::from_uuid(get(row, "id")?),
            org: OrgId::from_uuid(get(row, "org_id")?),
            customer: CustomerId::from_uuid(get(row, "customer_id")?),
            project: ProjectId::from_uuid(get(row, "project_id")?),
            task: TaskId::from_uuid(get(row, "task_id")?),
            billable: get(row, "billable")?,
            date: date_of(row, "work_date")?,
            minutes: u32::try_from(minutes).map_err(|_| corrupt("minutes", minutes))?,
            note: get(row, "note")?,
            approval: EntryApproval::from_db(&approval)
                .ok_or_else(|| corrupt("entry approval", &approval))?,
            dispute_reason: get(row, "dispute_reason")?,
            invoice: get::<_, Option<Uuid>>(row, "invoice_id")?.map(InvoiceId::from_uuid),
            created_at: at(row, "created_at")?,
        })
    }
}

#[async_trait]
impl<DB> ProjectStore for SqlStore<DB>
where
    DB: Engine,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
{
    async fn create_project(&self, p: &Project) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        live_customer_currency::<DB>(&mut tx, p.org, p.customer).await?;
        sqlx::query::<DB>(q::INSERT_PROJECT)
            .arg(p.id.as_uuid())
            .arg(p.org.as_uuid())
            .arg(p.customer.as_uuid())
            .arg(p.name.as_str())
            .arg(p.description.as_str())
            .arg(p.status.as_str())
            .arg(DB::ts_to_db(p.created_at))
            .arg(p.version)
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        tx.commit().await.map_err(db)
    }

    async fn project(&self, org: OrgId, id: ProjectId) -> StoreResult<Project> {
        let row = self
            .row_by(
                q::SELECT_PROJECT,
                &[org.as_uuid(), id.as_uuid()],
                Entity::Project,
            )
            .await?;
        Self::project_from(&row)
    }

    async fn update_project(&self, p: &Project) -> StoreResult<Project> {
        let row = sqlx::query::<DB>(q::UPDATE_PROJECT)
            .arg(p.org.as_uuid())
            .arg(p.id.as_uuid())
            .arg(p.version)
            .arg(p.name.as_str())
            .arg(p.description.as_str())
            .arg(p.status.as_str())
            .fetch_optional(&self.pool)
            .await
            .map_err(db)?;
        match row {
            Some(row) => Self::project_from(&row),
            None => {
                self.project(p.org, p.id).await?;
                Err(StoreError::ConcurrentModification(Entity::Project))
            }
        }
    }

    async fn create_task(&self, t: &Task) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        sqlx::query::<DB>(q::SELECT_PROJECT)
            .arg(t.org.as_uuid())
            .arg(t.project.as_uuid())
            .fetch_optional(&mut *tx)
            .await
            .map_err(db)?
            .ok_or(StoreError::NotFound(Entity::Project))?;
        sqlx::query::<DB>(q::INSERT_TASK)
            .arg(t.id.as_uuid())
            .arg(t.org.as_uuid())
            .arg(t.project.as_uuid())
            .arg(t.name.as_str())
            .arg(t.billable)
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        tx.commit().await.map_err(db)
    }

    async fn task(&self, org: OrgId, id: TaskId) -> StoreResult<Task> {
        let row = self
            .row_by(q::SELECT_TASK, &[org.as_uuid(), id.as_uuid()], Entity::Task)
            .await?;
        Self::task_from(&row)
    }

    async fn log_time(&self, e: &TimeEntry) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        sqlx::query::<DB>(q::TASK_OF_PROJECT)
            .arg(e.org.as_uuid())
            .arg(e.task.as_uuid())
            .arg(e.project.as_uuid())
            .arg(e.customer.as_uuid())
            .fetch_optional(&mut *tx)
            .await
            .map_err(db)?
            .ok_or(StoreError::NotFound(Entity::Task))?;
        sqlx::query::<DB>(q::INSERT_TIME_ENTRY)
            .arg(e.id.as_uuid())
            .arg(e.org.as_uuid())
            .arg(e.customer.as_uuid())
            .arg(e.project.as_uuid())
            .arg(e.task.as_uuid())
            .arg(e.billable)
            .arg(days_since_epoch(e.date))
            .arg(i64::from(e.minutes))
            .arg(e.note.as_str())
            .arg(e.approval.as_str())
            .arg(e.dispute_reason.as_deref())
            .arg(e.invoice.map(|i| i.as_uuid()))
            .arg(DB::ts_to_db(e.created_at))
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        tx.commit().await.map_err(db)
    }

    async fn time_entries(&self, org: OrgId, ids: &[TimeEntryId]) -> StoreResult<Vec<TimeEntry>> {
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            let row = self
                .row_by(
                    q::SELECT_TIME_ENTRY,
                    &[org.as_uuid(), id.as_uuid()],
                    Entity::TimeEntry,
                )
                .await?;
            out.push(Self::entry_from(&row)?);
        }
        Ok(out)
    }

    async fn customer_projects(
        &self,
        org: OrgId,
        customer: CustomerId,
        page: &PageRequest,
    ) -> StoreResult<Page<Project>> {
        self.id_page_of(
            q::CUSTOMER_PROJECTS,
            (org, customer),
            page,
            Self::project_from,
            |p| p.id.as_uuid(),
        )
        .await
    }

    async fn customer_project(
        &self,
        org: OrgId,
        customer: CustomerId,
        id: ProjectId,
    ) -> StoreResult<Project> {
        let row = self
            .row_by(
                q::SELECT_CUSTOMER_PROJECT,
                &[org.as_uuid(), customer.as_uuid(), id.as_uuid()],
                Entity::Project,
            )
            .await?;
        Self::project_from(&row)
    }

    async fn project_tasks(
        &self,
        org: OrgId,
        customer: CustomerId,
        project: ProjectId,
    ) -> StoreResult<Vec<TaskHours>> {
        self.customer_project(org, customer, project).await?;
        let rows = sqlx::query::<DB>(q::PROJECT_TASK_HOURS)
            .arg(org.as_uuid())
            .arg(customer.as_uuid())
            .arg(project.as_uuid())
            .fetch_all(&self.pool)
            .await
            .map_err(db)?;
        rows.iter()
            .map(|row| {
                let logged: i64 = get(row, "logged")?;
                let billed: i64 = get(row, "billed")?;
                Ok(TaskHours {
                    task: Self::task_from(row)?,
                    logged_minutes: logged,
                    billed_minutes: billed,
                    unbilled_minutes: logged - billed,
                })
            })
            .collect()
    }

    async fn project_time_entries(
        &self,
        org: OrgId,
        customer: CustomerId,
        project: ProjectId,
        page: &PageRequest,
    ) -> StoreResult<Page<TimeEntry>> {
        self.customer_project(org, customer, project).await?;
        let (key, id) = page.bound();
        let rows = sqlx::query::<DB>(q::PROJECT_TIME_ENTRIES)
            .arg(org.as_uuid())
            .arg(customer.as_uuid())
            .arg(project.as_uuid())
            .arg(key)
            .arg(id)
            .arg(i64::from(page.limit) + 1)
            .fetch_all(&self.pool)
            .await
            .map_err(db)?;
        let items = rows
            .iter()
            .map(Self::entry_from)
            .collect::<StoreResult<Vec<_>>>()?;
        Ok(Page::from_overfetch(items, page.limit, |e| Cursor {
            key: days_since_epoch(e.date),
            id: e.id.as_uuid(),
        }))
    }

    async fn bill_time(
        &self,
        org: OrgId,
        invoice: InvoiceId,
        entries: &[TimeEntryId],
    ) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        let customer: Uuid = first(
            &sqlx::query::<DB>(q::INVOICE_CUSTOMER)
                .arg(org.as_uuid())
                .arg(invoice.as_uuid())
                .fetch_optional(&mut *tx)
                .await
                .map_err(db)?
                .ok_or(StoreError::NotFound(Entity::Invoice))?,
        )?;
        for entry in entries {
            Self::affected_one(
                sqlx::query::<DB>(q::BILL_ENTRY)
                    .arg(org.as_uuid())
                    .arg(entry.as_uuid())
                    .arg(invoice.as_uuid())
                    .arg(customer)
                    .execute(&mut *tx)
                    .await,
                Rule::TimeEntryState,
            )?;
        }
        tx.commit().await.map_err(db)
    }
}
