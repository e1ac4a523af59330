//! Shared files (D4): the records of who may see which file, and the bytes when
//! the host keeps them in the database. Plain Rust over either engine.

use async_trait::async_trait;
use sqlx::types::Json;
use sqlx::{ColumnIndex, Decode, Encode, Executor, IntoArguments, Type};
use uuid::Uuid;

use crate::engine::{Engine, RowsAffected as _, SqlStore};
use portal_core::{
    CustomerId, Entity, FileId, FileOrigin, FileStore, Notice, OrgId, Page, PageRequest,
    SharedFile, SharedFileStore, StoreError, StoreResult, TimeEntryId,
};

use crate::error::{corrupt, db};
use crate::shared::{insert_notice, live_customer_currency};
use crate::sql::common as q;

#[async_trait]
impl<DB> SharedFileStore for SqlStore<DB>
where
    DB: Engine,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
    DB::Arguments: IntoArguments<DB>,
    for<'q> Uuid: Encode<'q, DB> + Decode<'q, DB> + Type<DB>,
    for<'q> Option<Uuid>: Encode<'q, DB> + Decode<'q, DB> + Type<DB>,
    for<'q> &'q str: Encode<'q, DB> + Type<DB>,
    for<'q> Option<&'q str>: Encode<'q, DB> + Type<DB>,
    for<'q> &'q [u8]: Encode<'q, DB> + Type<DB>,
    for<'q> String: Decode<'q, DB> + Type<DB>,
    for<'q> Option<String>: Decode<'q, DB> + Type<DB>,
    for<'q> Vec<u8>: Decode<'q, DB> + Type<DB>,
    for<'q> i64: Encode<'q, DB> + Decode<'q, DB> + Type<DB>,
    for<'q> Option<i64>: Encode<'q, DB> + Decode<'q, DB> + Type<DB>,
    for<'q> bool: Encode<'q, DB> + Decode<'q, DB> + Type<DB>,
    for<'q> Option<DB::Ts>: Encode<'q, DB> + Type<DB>,
    for<'q> Json<&'q Vec<TimeEntryId>>: Encode<'q, DB> + Type<DB>,
    for<'r> Json<Vec<TimeEntryId>>: Decode<'r, DB> + Type<DB>,
    &'static str: ColumnIndex<DB::Row>,
    usize: ColumnIndex<DB::Row>,
{
    async fn add_file(&self, f: &SharedFile, notice: Option<&Notice>) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        live_customer_currency::<DB>(&mut tx, f.org, f.customer).await?;
        let uploaded_by = match f.origin {
            FileOrigin::Org => None,
            FileOrigin::Contact(c) => Some(c.as_uuid()),
        };
        sqlx::query::<DB>(q::INSERT_FILE)
            .bind(f.id.as_uuid())
            .bind(f.org.as_uuid())
            .bind(f.customer.as_uuid())
            .bind(f.name.as_str())
            .bind(f.content_type.as_str())
            .bind(i64::try_from(f.size).map_err(|_| corrupt("file size", f.size))?)
            .bind(f.sha256.as_str())
            .bind(uploaded_by)
            .bind(DB::ts_to_db(f.created_at))
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        if let Some(n) = notice {
            insert_notice::<DB>(&mut tx, n).await?;
        }
        tx.commit().await.map_err(db)
    }

    async fn customer_files(
        &self,
        org: OrgId,
        customer: CustomerId,
        page: &PageRequest,
    ) -> StoreResult<Page<SharedFile>> {
        self.id_page_of(
            q::CUSTOMER_FILES,
            (org, customer),
            page,
            Self::file_from,
            |f| f.id.as_uuid(),
        )
        .await
    }

    async fn customer_file(
        &self,
        org: OrgId,
        customer: CustomerId,
        id: FileId,
    ) -> StoreResult<SharedFile> {
        let row = self
            .row_by(
                q::SELECT_CUSTOMER_FILE,
                &[org.as_uuid(), customer.as_uuid(), id.as_uuid()],
                Entity::File,
            )
            .await?;
        Self::file_from(&row)
    }

    async fn remove_file(&self, org: OrgId, customer: CustomerId, id: FileId) -> StoreResult<()> {
        let done = sqlx::query::<DB>(q::DELETE_FILE_RECORD)
            .bind(org.as_uuid())
            .bind(customer.as_uuid())
            .bind(id.as_uuid())
            .execute(&self.pool)
            .await
            .map_err(db)?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound(Entity::File));
        }
        Ok(())
    }
}

#[async_trait]
impl<DB> FileStore for SqlStore<DB>
where
    DB: Engine,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
    DB::Arguments: IntoArguments<DB>,
    for<'q> Uuid: Encode<'q, DB> + Decode<'q, DB> + Type<DB>,
    for<'q> Option<Uuid>: Encode<'q, DB> + Decode<'q, DB> + Type<DB>,
    for<'q> &'q str: Encode<'q, DB> + Type<DB>,
    for<'q> Option<&'q str>: Encode<'q, DB> + Type<DB>,
    for<'q> &'q [u8]: Encode<'q, DB> + Type<DB>,
    for<'q> String: Decode<'q, DB> + Type<DB>,
    for<'q> Option<String>: Decode<'q, DB> + Type<DB>,
    for<'q> Vec<u8>: Decode<'q, DB> + Type<DB>,
    for<'q> i64: Encode<'q, DB> + Decode<'q, DB> + Type<DB>,
    for<'q> Option<i64>: Encode<'q, DB> + Decode<'q, DB> + Type<DB>,
    for<'q> bool: Encode<'q, DB> + Decode<'q, DB> + Type<DB>,
    for<'q> Option<DB::Ts>: Encode<'q, DB> + Type<DB>,
    for<'q> Json<&'q Vec<TimeEntryId>>: Encode<'q, DB> + Type<DB>,
    for<'r> Json<Vec<TimeEntryId>>: Decode<'r, DB> + Type<DB>,
    &'static str: ColumnIndex<DB::Row>,
    usize: ColumnIndex<DB::Row>,
{
    async fn put_file(&self, id: FileId, bytes: &[u8]) -> StoreResult<()> {
        sqlx::query::<DB>(q::INSERT_BLOB)
            .bind(id.as_uuid())
            .bind(bytes)
            .execute(&self.pool)
            .await
            .map_err(db)?;
        Ok(())
    }

    async fn get_file(&self, id: FileId) -> StoreResult<Vec<u8>> {
        sqlx::query_scalar(q::SELECT_BLOB)
            .bind(id.as_uuid())
            .fetch_optional(&self.pool)
            .await
            .map_err(db)?
            .ok_or(StoreError::NotFound(Entity::File))
    }

    async fn delete_file(&self, id: FileId) -> StoreResult<()> {
        sqlx::query::<DB>(q::DELETE_BLOB)
            .bind(id.as_uuid())
            .execute(&self.pool)
            .await
            .map_err(db)?;
        Ok(())
    }
}
