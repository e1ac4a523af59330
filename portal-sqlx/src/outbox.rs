//! The outbox the notifier dispatches (N4). Plain Rust over either engine.

use async_trait::async_trait;
use portal_core::{
    Address, EmailId, Entity, OrgId, OutboxEmail, OutboxStore, PortalSettings, Role, StoreError,
    StoreResult, UserPreferences,
};
use sqlx::types::Json;
use sqlx::{ColumnIndex, Decode, Encode, Executor, IntoArguments, Type};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::engine::{Engine, RowsAffected as _, SqlStore};
use crate::error::db;
use crate::shared::insert_email;
use crate::sql::common as q;

#[async_trait]
impl<DB> OutboxStore for SqlStore<DB>
where
    DB: Engine,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
    DB::Arguments: IntoArguments<DB>,
    for<'q> Uuid: Encode<'q, DB> + Decode<'q, DB> + Type<DB>,
    for<'q> Option<Uuid>: Encode<'q, DB> + Decode<'q, DB> + Type<DB>,
    for<'q> &'q str: Encode<'q, DB> + Type<DB>,
    for<'q> Option<&'q str>: Encode<'q, DB> + Type<DB>,
    for<'q> &'q [u8]: Encode<'q, DB> + Type<DB>,
    for<'q> Option<&'q [u8]>: Encode<'q, DB> + Type<DB>,
    for<'q> String: Decode<'q, DB> + Type<DB>,
    for<'q> Option<String>: Decode<'q, DB> + Type<DB>,
    for<'q> Vec<u8>: Decode<'q, DB> + Type<DB>,
    for<'q> Option<Vec<u8>>: Decode<'q, DB> + Type<DB>,
    for<'q> i64: Encode<'q, DB> + Decode<'q, DB> + Type<DB>,
    for<'q> Option<i64>: Encode<'q, DB> + Decode<'q, DB> + Type<DB>,
    for<'q> bool: Encode<'q, DB> + Decode<'q, DB> + Type<DB>,
    for<'q> Option<DB::Ts>: Encode<'q, DB> + Decode<'q, DB> + Type<DB>,
    for<'q> Json<&'q PortalSettings>: Encode<'q, DB> + Type<DB>,
    for<'q> Json<&'q Vec<Role>>: Encode<'q, DB> + Type<DB>,
    for<'q> Json<&'q Address>: Encode<'q, DB> + Type<DB>,
    for<'q> Option<Json<&'q UserPreferences>>: Encode<'q, DB> + Type<DB>,
    for<'r> Json<PortalSettings>: Decode<'r, DB> + Type<DB>,
    for<'r> Json<Vec<Role>>: Decode<'r, DB> + Type<DB>,
    for<'r> Json<Address>: Decode<'r, DB> + Type<DB>,
    for<'r> Option<Json<UserPreferences>>: Decode<'r, DB> + Type<DB>,
    &'static str: ColumnIndex<DB::Row>,
    usize: ColumnIndex<DB::Row>,
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
        let mut tx = self.begin().await?;
        let rows = sqlx::query::<DB>(DB::CLAIM_EMAILS)
            .bind(DB::ts_to_db(now))
            .bind(DB::ts_to_db(lease_until))
            .bind(i64::from(limit))
            .fetch_all(&mut *tx)
            .await
            .map_err(db)?;
        tx.commit().await.map_err(db)?;
        let mut emails = rows
            .iter()
            .map(Self::email_from)
            .collect::<StoreResult<Vec<_>>>()?;
        emails.sort_by_key(|e| (e.created_at, e.id));
        Ok(emails)
    }

    async fn mark_email_sent(&self, id: EmailId, at: OffsetDateTime) -> StoreResult<()> {
        let changed = sqlx::query::<DB>(q::MARK_EMAIL_SENT)
            .bind(id.as_uuid())
            .bind(DB::ts_to_db(at))
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
            .bind(id.as_uuid())
            .bind(error)
            .bind(DB::ts_to_db(next_attempt_at))
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
            .bind(org.as_uuid())
            .bind(id.as_uuid())
            .fetch_optional(&self.pool)
            .await
            .map_err(db)?
            .ok_or(StoreError::NotFound(Entity::OutboxEmail))?;
        Self::email_from(&row)
    }

    async fn pending_emails(&self, org: OrgId, limit: u32) -> StoreResult<Vec<OutboxEmail>> {
        sqlx::query::<DB>(q::SELECT_PENDING_EMAILS)
            .bind(org.as_uuid())
            .bind(i64::from(limit))
            .fetch_all(&self.pool)
            .await
            .map_err(db)?
            .iter()
            .map(Self::email_from)
            .collect()
    }
}
