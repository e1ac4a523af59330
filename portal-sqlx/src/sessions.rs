//! Portal sessions (A5). Plain Rust over either engine.

use async_trait::async_trait;
use portal_core::{
    Address, ContactPerson, Entity, PasswordChange, PortalSettings, Role, SessionId, SessionRecord,
    SessionStore, StoreError, StoreResult, TokenHash, UserPreferences,
};
use sqlx::types::Json;
use sqlx::{ColumnIndex, Decode, Encode, Executor, IntoArguments, Type};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::engine::{Engine, RowsAffected as _, SqlStore};
use crate::error::db;
use crate::sql::common as q;

#[async_trait]
impl<DB> SessionStore for SqlStore<DB>
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
    async fn create_session(&self, session: &SessionRecord) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        let exists = sqlx::query::<DB>(q::CONTACT_STATE)
            .bind(session.org.as_uuid())
            .bind(session.contact.as_uuid())
            .fetch_optional(&mut *tx)
            .await
            .map_err(db)?;
        if exists.is_none() {
            return Err(StoreError::NotFound(Entity::Contact));
        }
        Self::insert_session(&mut tx, session).await?;
        tx.commit().await.map_err(db)
    }

    async fn session(&self, token_hash: &TokenHash) -> StoreResult<SessionRecord> {
        let row = sqlx::query::<DB>(q::SELECT_SESSION)
            .bind(token_hash.as_bytes().as_slice())
            .fetch_optional(&self.pool)
            .await
            .map_err(db)?
            .ok_or(StoreError::NotFound(Entity::Session))?;
        Self::session_from(&row)
    }

    async fn touch_session(&self, id: SessionId, at: OffsetDateTime) -> StoreResult<()> {
        let changed = sqlx::query::<DB>(DB::TOUCH_SESSION)
            .bind(id.as_uuid())
            .bind(DB::ts_to_db(at))
            .execute(&self.pool)
            .await
            .map_err(db)?
            .rows_affected();
        if changed == 0 {
            return Err(StoreError::NotFound(Entity::Session));
        }
        Ok(())
    }

    async fn end_session(&self, id: SessionId) -> StoreResult<()> {
        sqlx::query::<DB>(q::DELETE_SESSION)
            .bind(id.as_uuid())
            .execute(&self.pool)
            .await
            .map_err(db)?;
        Ok(())
    }

    async fn change_password(&self, change: &PasswordChange) -> StoreResult<ContactPerson> {
        let mut tx = self.begin().await?;
        let row = sqlx::query::<DB>(q::SET_PASSWORD)
            .bind(change.org.as_uuid())
            .bind(change.contact.as_uuid())
            .bind(change.expected_version)
            .bind(change.password_hash.as_phc())
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
                .bind(change.contact.as_uuid())
                .bind(keep.as_uuid()),
            None => sqlx::query::<DB>(q::DELETE_SESSIONS_OF_CONTACT).bind(change.contact.as_uuid()),
        }
        .execute(&mut *tx)
        .await
        .map_err(db)?;
        tx.commit().await.map_err(db)?;
        Ok(saved)
    }
}
