//! Portal sessions (A5). Plain Rust over either engine.

use crate::engine::by_token;
use async_trait::async_trait;
use portal_core::auth::SessionRecord;
use portal_core::domain::TokenKey;
use portal_core::domain::{ContactPerson, OrgId, SessionId};
use portal_core::store::{
    Entity, PasswordChange, SessionContext, SessionStore, StoreError, StoreResult,
};
use sqlx::Executor;
use time::OffsetDateTime;

use crate::engine::{Bind as _, Engine, RowsAffected as _, SqlStore};
use crate::error::db;
use crate::sql::common as q;

#[async_trait]
impl<DB> SessionStore for SqlStore<DB>
where
    DB: Engine,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
{
    async fn create_session(&self, session: &SessionRecord) -> StoreResult<()> {
        let mut conn = self.relaxed.acquire().await.map_err(db)?;
        Self::insert_session(&mut conn, session).await
    }

    async fn session(&self, key: &TokenKey) -> StoreResult<SessionRecord> {
        let row = by_token::<DB>(key, q::SELECT_SESSION, q::SELECT_SESSION_IN_ORG)
            .fetch_optional(&self.pool)
            .await
            .map_err(db)?
            .ok_or(StoreError::NotFound(Entity::Session))?;
        Self::session_from(&row)
    }

    async fn session_context(&self, key: &TokenKey) -> StoreResult<SessionContext> {
        let row = by_token::<DB>(
            key,
            q::SELECT_SESSION_CONTEXT,
            q::SELECT_SESSION_CONTEXT_IN_ORG,
        )
        .fetch_optional(&self.pool)
        .await
        .map_err(db)?
        .ok_or(StoreError::NotFound(Entity::Session))?;
        Ok(SessionContext {
            session: Self::session_from(&row)?,
            contact: Self::contact_at(&row, "c_")?,
            customer: Self::customer_at(&row, "u_")?,
            org: Self::org_at(&row, "o_")?,
        })
    }

    async fn touch_session(
        &self,
        org: OrgId,
        id: SessionId,
        at: OffsetDateTime,
    ) -> StoreResult<()> {
        let changed = sqlx::query::<DB>(DB::TOUCH_SESSION)
            .arg(id.as_uuid())
            .arg(DB::ts_to_db(at))
            .arg(org.as_uuid())
            .execute(&self.relaxed)
            .await
            .map_err(db)?
            .rows_affected();
        if changed == 0 {
            return Err(StoreError::NotFound(Entity::Session));
        }
        Ok(())
    }

    async fn end_session(&self, org: OrgId, id: SessionId) -> StoreResult<()> {
        sqlx::query::<DB>(q::DELETE_SESSION)
            .arg(id.as_uuid())
            .arg(org.as_uuid())
            .execute(&self.pool)
            .await
            .map_err(db)?;
        Ok(())
    }

    async fn change_password(&self, change: &PasswordChange) -> StoreResult<ContactPerson> {
        let mut tx = self.begin().await?;
        let row = sqlx::query::<DB>(q::SET_PASSWORD)
            .arg(change.org.as_uuid())
            .arg(change.contact.as_uuid())
            .arg(change.expected_version)
            .arg(change.password_hash.as_phc())
            .fetch_optional(&mut *tx)
            .await
            .map_err(db)?;
        let Some(row) = row else {
            return Err(Self::contact_miss(
                &mut tx,
                change.org,
                change.contact,
                Some(change.expected_version),
            )
            .await);
        };
        let saved = Self::contact_from(&row)?;
        match change.keep_session {
            Some(keep) => sqlx::query::<DB>(q::DELETE_OTHER_SESSIONS_OF_CONTACT)
                .arg(change.contact.as_uuid())
                .arg(keep.as_uuid())
                .arg(change.org.as_uuid()),
            None => sqlx::query::<DB>(q::DELETE_SESSIONS_OF_CONTACT)
                .arg(change.contact.as_uuid())
                .arg(change.org.as_uuid()),
        }
        .execute(&mut *tx)
        .await
        .map_err(db)?;
        tx.commit().await.map_err(db)?;
        Ok(saved)
    }
}
