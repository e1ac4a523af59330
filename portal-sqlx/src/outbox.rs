//! The outbox the notifier dispatches (N4). Plain Rust over either engine.

use crate::shared::opt_at;
use async_trait::async_trait;
use portal_core::domain::ContactPerson;
use portal_core::domain::{EmailId, OrgId, OutboxEmail};
use portal_core::store::{Entity, OutboxStore, StoreError, StoreResult};
use sqlx::Executor;
use time::OffsetDateTime;

use crate::engine::{Bind as _, Engine, RowsAffected as _, SqlStore};
use crate::error::db;
use crate::shared::insert_email;
use crate::sql::common as q;

#[async_trait]
impl<DB> OutboxStore for SqlStore<DB>
where
    DB: Engine,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
{
    async fn enqueue_email(&self, email: &OutboxEmail) -> StoreResult<()> {
        let mut conn = self.pool.acquire().await.map_err(db)?;
        insert_email(&mut conn, email).await
    }

    async fn claim_due_emails(
        &self,
        now: OffsetDateTime,
        lease_until: OffsetDateTime,
        limit: u32,
    ) -> StoreResult<Vec<OutboxEmail>> {
        // The organizations with mail due, then each one's emails, claimed
        // within it (one shard at a time when the store is distributed).
        let orgs = sqlx::query::<DB>(q::DUE_EMAIL_ORGS)
            .arg(DB::ts_to_db(now))
            .arg(i64::from(limit))
            .fetch_all(&self.pool)
            .await
            .map_err(db)?;
        let mut emails = Vec::new();
        for row in &orgs {
            let left = i64::from(limit) - i64::try_from(emails.len()).unwrap_or(i64::MAX);
            if left <= 0 {
                break;
            }
            let org: uuid::Uuid = crate::shared::get_at(row, 0)?;
            let rows = sqlx::query::<DB>(DB::CLAIM_EMAILS)
                .arg(DB::ts_to_db(now))
                .arg(DB::ts_to_db(lease_until))
                .arg(left)
                .arg(org)
                .fetch_all(&self.pool)
                .await
                .map_err(db)?;
            for row in &rows {
                emails.push(Self::email_from(row)?);
            }
        }
        emails.sort_by_key(|e| (e.created_at, e.id));
        Ok(emails)
    }

    async fn mark_email_sent(
        &self,
        org: OrgId,
        id: EmailId,
        at: OffsetDateTime,
    ) -> StoreResult<()> {
        let changed = sqlx::query::<DB>(q::MARK_EMAIL_SENT)
            .arg(id.as_uuid())
            .arg(DB::ts_to_db(at))
            .arg(org.as_uuid())
            .execute(&self.pool)
            .await
            .map_err(db)?
            .rows_affected();
        if changed == 0 {
            return Err(StoreError::NotFound(Entity::OutboxEmail));
        }
        Ok(())
    }

    async fn mark_email_failed(
        &self,
        org: OrgId,
        id: EmailId,
        error: &str,
        next_attempt_at: OffsetDateTime,
        retry: bool,
    ) -> StoreResult<()> {
        let statement = if retry {
            q::MARK_EMAIL_DEFERRED
        } else {
            q::MARK_EMAIL_REJECTED
        };
        let changed = sqlx::query::<DB>(statement)
            .arg(id.as_uuid())
            .arg(error)
            .arg(DB::ts_to_db(next_attempt_at))
            .arg(org.as_uuid())
            .execute(&self.pool)
            .await
            .map_err(db)?
            .rows_affected();
        if changed == 0 {
            return Err(StoreError::NotFound(Entity::OutboxEmail));
        }
        Ok(())
    }

    async fn outbox_email(&self, org: OrgId, id: EmailId) -> StoreResult<OutboxEmail> {
        let row = sqlx::query::<DB>(q::SELECT_EMAIL)
            .arg(org.as_uuid())
            .arg(id.as_uuid())
            .fetch_optional(&self.pool)
            .await
            .map_err(db)?
            .ok_or(StoreError::NotFound(Entity::OutboxEmail))?;
        Self::email_from(&row)
    }

    async fn rejected_emails(&self, org: OrgId, limit: u32) -> StoreResult<Vec<OutboxEmail>> {
        self.emails_of(q::SELECT_REJECTED_EMAILS, org, limit).await
    }

    async fn pending_emails(&self, org: OrgId, limit: u32) -> StoreResult<Vec<OutboxEmail>> {
        self.emails_of(q::SELECT_PENDING_EMAILS, org, limit).await
    }

    async fn forward_document(
        &self,
        new_contact: Option<&ContactPerson>,
        email: &OutboxEmail,
    ) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        if let Some(contact) = new_contact {
            let customer = sqlx::query::<DB>(q::CUSTOMER_STATE)
                .arg(contact.org.as_uuid())
                .arg(contact.customer.as_uuid())
                .fetch_optional(&mut *tx)
                .await
                .map_err(db)?;
            match customer {
                Some(row) if opt_at(&row, "deleted_at")?.is_none() => {}
                _ => return Err(StoreError::NotFound(Entity::Customer)),
            }
            Self::insert_contact(&mut tx, contact).await?;
        }
        insert_email::<DB>(&mut tx, email).await?;
        tx.commit().await.map_err(db)
    }
}

impl<DB> SqlStore<DB>
where
    DB: Engine,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
{
    /// The organization's emails `sql` selects (`$1` the organization, `$2` the
    /// limit).
    async fn emails_of(
        &self,
        sql: &'static str,
        org: OrgId,
        limit: u32,
    ) -> StoreResult<Vec<OutboxEmail>> {
        sqlx::query::<DB>(sql)
            .arg(org.as_uuid())
            .arg(i64::from(limit))
            .fetch_all(&self.pool)
            .await
            .map_err(db)?
            .iter()
            .map(Self::email_from)
            .collect()
    }
}
