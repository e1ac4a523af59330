//! Document links. Plain Rust over either engine.

use crate::engine::by_token;
use async_trait::async_trait;
use portal_core::domain::{
    ContactId, CustomerId, DocumentLink, DocumentRef, LinkActions, LinkId, Notice, OrgId,
};
use portal_core::domain::{TokenHash, TokenKey};
use portal_core::store::{Entity, LinkStore, StoreError, StoreResult};
use sqlx::Executor;
use sqlx::types::Json;
use time::OffsetDateTime;

use crate::engine::{Bind as _, Engine, SqlStore};
use crate::error::db;
use crate::shared::{at, get, insert_notice, live_customer_currency, opt_at};
use crate::sql::common as q;

impl<DB> SqlStore<DB>
where
    DB: Engine,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
{
    fn link_from(row: &DB::Row) -> StoreResult<DocumentLink> {
        let hash: Vec<u8> = get(row, "token_hash")?;
        let hash: [u8; 32] = hash.try_into().map_err(|b: Vec<u8>| {
            crate::error::corrupt("link token hash", format!("{} bytes", b.len()))
        })?;
        Ok(DocumentLink {
            id: LinkId::from_uuid(get(row, "id")?),
            org: OrgId::from_uuid(get(row, "org_id")?),
            customer: CustomerId::from_uuid(get(row, "customer_id")?),
            contact: ContactId::from_uuid(get(row, "contact_id")?),
            document: get::<_, Json<DocumentRef>>(row, "document")?.0,
            actions: get::<_, Json<LinkActions>>(row, "actions")?.0,
            token_hash: TokenHash::from_bytes(hash),
            created_at: at(row, "created_at")?,
            expires_at: at(row, "expires_at")?,
            revoked_at: opt_at(row, "revoked_at")?,
        })
    }
}

#[async_trait]
impl<DB> LinkStore for SqlStore<DB>
where
    DB: Engine,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
{
    async fn create_link(&self, link: &DocumentLink) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        live_customer_currency::<DB>(&mut tx, link.org, link.customer).await?;
        sqlx::query::<DB>(q::LIVE_CONTACT_OF_CUSTOMER)
            .arg(link.org.as_uuid())
            .arg(link.customer.as_uuid())
            .arg(link.contact.as_uuid())
            .fetch_optional(&mut *tx)
            .await
            .map_err(db)?
            .ok_or(StoreError::NotFound(Entity::Contact))?;
        sqlx::query::<DB>(q::INSERT_LINK)
            .arg(link.id.as_uuid())
            .arg(link.org.as_uuid())
            .arg(link.customer.as_uuid())
            .arg(link.contact.as_uuid())
            .arg(Json(&link.document))
            .arg(Json(&link.actions))
            .arg(link.token_hash.as_bytes().to_vec())
            .arg(DB::ts_to_db(link.created_at))
            .arg(DB::ts_to_db(link.expires_at))
            .arg(link.revoked_at.map(DB::ts_to_db))
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        tx.commit().await.map_err(db)
    }

    async fn link_by_hash(&self, key: &TokenKey) -> StoreResult<DocumentLink> {
        let row = by_token::<DB>(key, q::LINK_BY_HASH, q::LINK_BY_HASH_IN_ORG)
            .fetch_optional(&self.pool)
            .await
            .map_err(db)?
            .ok_or(StoreError::NotFound(Entity::DocumentLink))?;
        Self::link_from(&row)
    }

    async fn customer_links(
        &self,
        org: OrgId,
        customer: CustomerId,
    ) -> StoreResult<Vec<DocumentLink>> {
        let rows = sqlx::query::<DB>(q::CUSTOMER_LINKS)
            .arg(org.as_uuid())
            .arg(customer.as_uuid())
            .fetch_all(&self.pool)
            .await
            .map_err(db)?;
        rows.iter().map(Self::link_from).collect()
    }

    async fn revoke_link(
        &self,
        org: OrgId,
        id: LinkId,
        at: OffsetDateTime,
    ) -> StoreResult<DocumentLink> {
        let row = sqlx::query::<DB>(q::REVOKE_LINK)
            .arg(org.as_uuid())
            .arg(id.as_uuid())
            .arg(DB::ts_to_db(at))
            .fetch_optional(&self.pool)
            .await
            .map_err(db)?
            .ok_or(StoreError::NotFound(Entity::DocumentLink))?;
        Self::link_from(&row)
    }

    async fn record_link_use(&self, notice: &Notice) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        insert_notice::<DB>(&mut tx, notice).await?;
        tx.commit().await.map_err(db)
    }
}
