//! Projects, timesheet approvals, shared files and the activity feed (T1–T3, D4,
//! N3). Plain Rust over either engine.

use async_trait::async_trait;
use portal_core::{
    Activity, ActivityId, ActivitySubject, ApprovalDecisionRecord, ApprovalId, ApprovalStatus,
    ContactId, Cursor, CustomerId, Entity, EntryApproval, FileId, FileOrigin, InvoiceId, Notice,
    OrgId, Page, PageRequest, PortalEvent, Project, ProjectId, ProjectStatus, ProjectStore, Rule,
    SharedFile, StoreError, StoreResult, Task, TaskHours, TaskId, TimeEntry, TimeEntryId,
    TimesheetApproval, days_since_epoch,
};
use sqlx::Executor;
use sqlx::types::Json;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::engine::{Bind as _, Engine, RowsAffected as _, SqlStore};
use crate::error::{corrupt, db};
use crate::shared::{at, date_of, first, get, insert_notice, live_customer_currency, opt_at};
use crate::sql::common as q;

impl<DB> SqlStore<DB>
where
    DB: Engine,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
{
    fn project_from(row: &DB::Row) -> StoreResult<Project> {
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

    fn task_from(row: &DB::Row) -> StoreResult<Task> {
        Ok(Task {
            id: TaskId::from_uuid(get(row, "id")?),
            org: OrgId::from_uuid(get(row, "org_id")?),
            project: ProjectId::from_uuid(get(row, "project_id")?),
            name: get(row, "name")?,
            billable: get(row, "billable")?,
        })
    }

    fn entry_from(row: &DB::Row) -> StoreResult<TimeEntry> {
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

    fn approval_from(row: &DB::Row) -> StoreResult<TimesheetApproval> {
        let status: String = get(row, "status")?;
        Ok(TimesheetApproval {
            id: ApprovalId::from_uuid(get(row, "id")?),
            org: OrgId::from_uuid(get(row, "org_id")?),
            customer: CustomerId::from_uuid(get(row, "customer_id")?),
            project: ProjectId::from_uuid(get(row, "project_id")?),
            title: get(row, "title")?,
            entries: get::<_, Json<Vec<TimeEntryId>>>(row, "entries")?.0,
            total_minutes: get(row, "total_minutes")?,
            status: ApprovalStatus::from_db(&status)
                .ok_or_else(|| corrupt("approval status", &status))?,
            reason: get(row, "reason")?,
            decided_by: get::<_, Option<Uuid>>(row, "decided_by")?.map(ContactId::from_uuid),
            decided_at: opt_at(row, "decided_at")?,
            viewed_at: opt_at(row, "viewed_at")?,
            created_at: at(row, "created_at")?,
            version: get(row, "version")?,
        })
    }

    pub(crate) fn file_from(row: &DB::Row) -> StoreResult<SharedFile> {
        let size: i64 = get(row, "size_bytes")?;
        Ok(SharedFile {
            id: FileId::from_uuid(get(row, "id")?),
            org: OrgId::from_uuid(get(row, "org_id")?),
            customer: CustomerId::from_uuid(get(row, "customer_id")?),
            name: get(row, "name")?,
            content_type: get(row, "content_type")?,
            size: u64::try_from(size).map_err(|_| corrupt("file size", size))?,
            sha256: get(row, "sha256")?,
            origin: match get::<_, Option<Uuid>>(row, "uploaded_by")? {
                Some(c) => FileOrigin::Contact(ContactId::from_uuid(c)),
                None => FileOrigin::Org,
            },
            created_at: at(row, "created_at")?,
        })
    }

    pub(crate) fn activity_from(row: &DB::Row) -> StoreResult<Activity> {
        let event: String = get(row, "event")?;
        let kind: String = get(row, "subject_kind")?;
        Ok(Activity {
            id: ActivityId::from_uuid(get(row, "id")?),
            org: OrgId::from_uuid(get(row, "org_id")?),
            customer: CustomerId::from_uuid(get(row, "customer_id")?),
            contact: ContactId::from_uuid(get(row, "contact_id")?),
            event: PortalEvent::from_db(&event).ok_or_else(|| corrupt("activity event", &event))?,
            subject: ActivitySubject::from_db(&kind, get(row, "subject_id")?)
                .ok_or_else(|| corrupt("activity subject", &kind))?,
            summary: get(row, "summary")?,
            at: at(row, "at")?,
        })
    }

    /// Rows fetched with one extra, as a newest-first page keyed by id only.
    pub(crate) fn id_page<T>(
        rows: &[DB::Row],
        from: fn(&DB::Row) -> StoreResult<T>,
        limit: u32,
        id_of: fn(&T) -> Uuid,
    ) -> StoreResult<Page<T>> {
        let items = rows.iter().map(from).collect::<StoreResult<Vec<_>>>()?;
        Ok(Page::from_overfetch(items, limit, |r| Cursor {
            key: 0,
            id: id_of(r),
        }))
    }

    fn affected_one(result: Result<DB::QueryResult, sqlx::Error>, what: Rule) -> StoreResult<()> {
        match result.map_err(db)?.rows_affected() {
            1 => Ok(()),
            _ => Err(StoreError::Conflict(what)),
        }
    }

    /// The one row `statement` finds with `ids` bound in order, or
    /// `NotFound(what)`.
    pub(crate) async fn row_by(
        &self,
        statement: &'static str,
        ids: &[Uuid],
        what: Entity,
    ) -> StoreResult<DB::Row> {
        let mut query = sqlx::query::<DB>(statement);
        for id in ids {
            query = query.arg(*id);
        }
        query
            .fetch_optional(&self.pool)
            .await
            .map_err(db)?
            .ok_or(StoreError::NotFound(what))
    }

    /// One newest-first page of a customer's rows keyed by id only:
    /// `statement` takes `$1` org, `$2` customer, `$3, $4` the cursor and
    /// `$5` the limit.
    pub(crate) async fn id_page_of<T>(
        &self,
        statement: &'static str,
        (org, customer): (OrgId, CustomerId),
        page: &PageRequest,
        from: fn(&DB::Row) -> StoreResult<T>,
        id_of: fn(&T) -> Uuid,
    ) -> StoreResult<Page<T>> {
        let (key, id) = page.bound();
        let rows = sqlx::query::<DB>(statement)
            .arg(org.as_uuid())
            .arg(customer.as_uuid())
            .arg(key)
            .arg(id)
            .arg(i64::from(page.limit) + 1)
            .fetch_all(&self.pool)
            .await
            .map_err(db)?;
        Self::id_page(&rows, from, page.limit, id_of)
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

    async fn create_approval(&self, a: &TimesheetApproval) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        sqlx::query::<DB>(q::PROJECT_OF_CUSTOMER)
            .arg(a.org.as_uuid())
            .arg(a.customer.as_uuid())
            .arg(a.project.as_uuid())
            .fetch_optional(&mut *tx)
            .await
            .map_err(db)?
            .ok_or(StoreError::NotFound(Entity::Project))?;
        sqlx::query::<DB>(q::INSERT_APPROVAL)
            .arg(a.id.as_uuid())
            .arg(a.org.as_uuid())
            .arg(a.customer.as_uuid())
            .arg(a.project.as_uuid())
            .arg(a.title.as_str())
            .arg(Json(&a.entries))
            .arg(a.total_minutes)
            .arg(a.status.as_str())
            .arg(a.reason.as_deref())
            .arg(a.decided_by.map(|c| c.as_uuid()))
            .arg(a.decided_at.map(DB::ts_to_db))
            .arg(a.viewed_at.map(DB::ts_to_db))
            .arg(DB::ts_to_db(a.created_at))
            .arg(a.version)
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        for (position, entry) in (0_i64..).zip(&a.entries) {
            Self::affected_one(
                sqlx::query::<DB>(q::SUBMIT_ENTRY)
                    .arg(a.org.as_uuid())
                    .arg(a.project.as_uuid())
                    .arg(entry.as_uuid())
                    .execute(&mut *tx)
                    .await,
                Rule::TimeEntryState,
            )?;
            sqlx::query::<DB>(q::INSERT_APPROVAL_ENTRY)
                .arg(a.id.as_uuid())
                .arg(position)
                .arg(entry.as_uuid())
                .execute(&mut *tx)
                .await
                .map_err(db)?;
        }
        tx.commit().await.map_err(db)
    }

    async fn approval(&self, org: OrgId, id: ApprovalId) -> StoreResult<TimesheetApproval> {
        let row = self
            .row_by(
                q::SELECT_APPROVAL,
                &[org.as_uuid(), id.as_uuid()],
                Entity::Approval,
            )
            .await?;
        Self::approval_from(&row)
    }

    async fn customer_approvals(
        &self,
        org: OrgId,
        customer: CustomerId,
        statuses: &[ApprovalStatus],
        page: &PageRequest,
    ) -> StoreResult<Page<TimesheetApproval>> {
        let all = ApprovalStatus::ALL;
        let listed: Vec<ApprovalStatus> = if statuses.is_empty() {
            all.to_vec()
        } else {
            all.into_iter().filter(|s| statuses.contains(s)).collect()
        };
        let status = |i: usize| listed[i.min(listed.len() - 1)].as_str();
        let (key, id) = page.bound();
        let rows = sqlx::query::<DB>(q::CUSTOMER_APPROVALS)
            .arg(org.as_uuid())
            .arg(customer.as_uuid())
            .arg(status(0))
            .arg(status(1))
            .arg(status(2))
            .arg(status(3))
            .arg(key)
            .arg(id)
            .arg(i64::from(page.limit) + 1)
            .fetch_all(&self.pool)
            .await
            .map_err(db)?;
        Self::id_page(&rows, Self::approval_from, page.limit, |a| a.id.as_uuid())
    }

    async fn customer_approval(
        &self,
        org: OrgId,
        customer: CustomerId,
        id: ApprovalId,
    ) -> StoreResult<TimesheetApproval> {
        let row = self
            .row_by(
                q::SELECT_CUSTOMER_APPROVAL,
                &[org.as_uuid(), customer.as_uuid(), id.as_uuid()],
                Entity::Approval,
            )
            .await?;
        Self::approval_from(&row)
    }

    async fn approval_entries(
        &self,
        org: OrgId,
        customer: CustomerId,
        id: ApprovalId,
    ) -> StoreResult<Vec<TimeEntry>> {
        self.customer_approval(org, customer, id).await?;
        let rows = sqlx::query::<DB>(q::APPROVAL_ENTRIES)
            .arg(org.as_uuid())
            .arg(customer.as_uuid())
            .arg(id.as_uuid())
            .fetch_all(&self.pool)
            .await
            .map_err(db)?;
        rows.iter().map(Self::entry_from).collect()
    }

    async fn mark_approval_viewed(
        &self,
        org: OrgId,
        customer: CustomerId,
        id: ApprovalId,
        at: OffsetDateTime,
        notice: &Notice,
    ) -> StoreResult<(TimesheetApproval, bool)> {
        match self
            .mark_first_view(
                q::MARK_APPROVAL_VIEWED,
                (org, customer, id.as_uuid()),
                at,
                notice,
                Self::approval_from,
            )
            .await?
        {
            Some(record) => Ok((record, true)),
            None => Ok((self.customer_approval(org, customer, id).await?, false)),
        }
    }

    async fn decide_approval(&self, r: &ApprovalDecisionRecord) -> StoreResult<TimesheetApproval> {
        let a = &r.approval;
        let mut tx = self.begin().await?;
        let row = sqlx::query::<DB>(q::DECIDE_APPROVAL)
            .arg(a.org.as_uuid())
            .arg(a.customer.as_uuid())
            .arg(a.id.as_uuid())
            .arg(a.version)
            .arg(r.outcome.status.as_str())
            .arg(r.outcome.reason.as_deref())
            .arg(a.decided_by.map(|c| c.as_uuid()))
            .arg(a.decided_at.map(DB::ts_to_db))
            .fetch_optional(&mut *tx)
            .await
            .map_err(db)?;
        let Some(row) = row else {
            drop(tx);
            self.customer_approval(a.org, a.customer, a.id).await?;
            return Err(StoreError::ConcurrentModification(Entity::Approval));
        };
        let saved = Self::approval_from(&row)?;
        for (entry, state, reason) in &r.outcome.entries {
            if !saved.entries.contains(entry) {
                return Err(StoreError::Conflict(Rule::TimeEntryState));
            }
            Self::affected_one(
                sqlx::query::<DB>(q::SET_ENTRY_OUTCOME)
                    .arg(a.org.as_uuid())
                    .arg(entry.as_uuid())
                    .arg(state.as_str())
                    .arg(reason.as_deref())
                    .execute(&mut *tx)
                    .await,
                Rule::TimeEntryState,
            )?;
        }
        insert_notice::<DB>(&mut tx, &r.notice).await?;
        tx.commit().await.map_err(db)?;
        Ok(saved)
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
