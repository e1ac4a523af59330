//! Timesheet approvals (T3): plain Rust over either engine.

use crate::engine::{Bind as _, Engine, SqlStore};
use crate::error::{corrupt, db};
use crate::shared::{at, get, insert_notice, opt_at};
use crate::sql::common as q;
use async_trait::async_trait;
use portal_core::domain::{
    ApprovalId, ApprovalStatus, ContactId, CustomerId, Notice, OrgId, Page, PageRequest, ProjectId,
    TimeEntry, TimeEntryId, TimesheetApproval,
};
use portal_core::store::ApprovalStore;
use portal_core::store::{ApprovalDecisionRecord, Entity, Rule, StoreError, StoreResult};
use sqlx::Executor;
use sqlx::types::Json;
use time::OffsetDateTime;
use uuid::Uuid;

impl<DB> SqlStore<DB>
where
    DB: Engine,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
{
    pub(crate) fn approval_from(row: &DB::Row) -> StoreResult<TimesheetApproval> {
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
}

#[async_trait]
impl<DB> ApprovalStore for SqlStore<DB>
where
    DB: Engine,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
{
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
                .arg(a.org.as_uuid())
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
}
