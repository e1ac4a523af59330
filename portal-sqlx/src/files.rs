//! Shared files (D4): the records of who may see which file, and the bytes when
//! the host keeps them in the database. Plain Rust over either engine.

use crate::shared::at;
use crate::shared::get;
use async_trait::async_trait;
use portal_core::domain::ContactId;
use sqlx::Executor;
use uuid::Uuid;

use crate::engine::{Bind as _, Engine, RowsAffected as _, SqlStore};
use portal_core::FileStore;
use portal_core::domain::{
    CustomerId, FileId, FileOrigin, Notice, OrgId, Page, PageRequest, SharedFile,
};
use portal_core::store::{Entity, SharedFileStore, StoreError, StoreResult};

use crate::error::{corrupt, db};
use crate::shared::{first, insert_notice, live_customer_currency};
use crate::sql::common as q;

#[async_trait]
impl<DB> SharedFileStore for SqlStore<DB>
where
    DB: Engine,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
{
    async fn add_file(&self, f: &SharedFile, notice: Option<&Notice>) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        live_customer_currency::<DB>(&mut tx, f.org, f.customer).await?;
        let uploaded_by = match f.origin {
            FileOrigin::Org => None,
            FileOrigin::Contact(c) => Some(c.as_uuid()),
        };
        sqlx::query::<DB>(q::INSERT_FILE)
            .arg(f.id.as_uuid())
            .arg(f.org.as_uuid())
            .arg(f.customer.as_uuid())
            .arg(f.name.as_str())
            .arg(f.content_type.as_str())
            .arg(i64::try_from(f.size).map_err(|_| corrupt("file size", f.size))?)
            .arg(f.sha256.as_str())
            .arg(uploaded_by)
            .arg(DB::ts_to_db(f.created_at))
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
            .arg(org.as_uuid())
            .arg(customer.as_uuid())
            .arg(id.as_uuid())
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
{
    async fn put_file(&self, org: OrgId, id: FileId, bytes: &[u8]) -> StoreResult<()> {
        sqlx::query::<DB>(q::INSERT_BLOB)
            .arg(org.as_uuid())
            .arg(id.as_uuid())
            .arg(bytes)
            .execute(&self.pool)
            .await
            .map_err(db)?;
        Ok(())
    }

    async fn get_file(&self, org: OrgId, id: FileId) -> StoreResult<Vec<u8>> {
        let row = sqlx::query::<DB>(q::SELECT_BLOB)
            .arg(org.as_uuid())
            .arg(id.as_uuid())
            .fetch_optional(&self.pool)
            .await
            .map_err(db)?
            .ok_or(StoreError::NotFound(Entity::File))?;
        first(&row)
    }

    async fn delete_file(&self, org: OrgId, id: FileId) -> StoreResult<()> {
        sqlx::query::<DB>(q::DELETE_BLOB)
            .arg(org.as_uuid())
            .arg(id.as_uuid())
            .execute(&self.pool)
            .await
            .map_err(db)?;
        Ok(())
    }
}

impl<DB> SqlStore<DB>
where
    DB: Engine,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
{
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
}
