//! Organizations: their portal settings, roles and user cap (P1–P7). Plain Rust over either engine.

use async_trait::async_trait;
use portal_core::domain::{OrgId, Organization, PortalSlug};
use portal_core::store::{Entity, OrgStore, StoreError, StoreResult};
use sqlx::Executor;
use sqlx::types::Json;

use crate::engine::{Bind as _, Engine, SqlStore};
use crate::error::db;
use crate::sql::common as q;

#[async_trait]
impl<DB> OrgStore for SqlStore<DB>
where
    DB: Engine,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
{
    async fn create_org(&self, org: &Organization) -> StoreResult<()> {
        sqlx::query::<DB>(q::INSERT_ORG)
            .arg(org.id.as_uuid())
            .arg(org.name.as_str())
            .arg(org.slug.as_str())
            .arg(Json(&org.settings))
            .arg(Json(&org.roles))
            .arg(i64::from(org.portal_user_cap))
            .arg(DB::ts_to_db(org.created_at))
            .arg(org.version)
            .execute(&self.pool)
            .await
            .map_err(db)?;
        Ok(())
    }

    async fn org(&self, id: OrgId) -> StoreResult<Organization> {
        let row = sqlx::query::<DB>(q::SELECT_ORG)
            .arg(id.as_uuid())
            .fetch_optional(&self.pool)
            .await
            .map_err(db)?
            .ok_or(StoreError::NotFound(Entity::Organization))?;
        Self::org_from(&row)
    }

    async fn org_by_slug(&self, slug: &PortalSlug) -> StoreResult<Organization> {
        let row = sqlx::query::<DB>(q::SELECT_ORG_BY_SLUG)
            .arg(slug.as_str())
            .fetch_optional(&self.pool)
            .await
            .map_err(db)?
            .ok_or(StoreError::NotFound(Entity::Organization))?;
        Self::org_from(&row)
    }

    async fn update_org(&self, org: &Organization) -> StoreResult<Organization> {
        let row = sqlx::query::<DB>(q::UPDATE_ORG)
            .arg(org.id.as_uuid())
            .arg(org.version)
            .arg(org.name.as_str())
            .arg(org.slug.as_str())
            .arg(Json(&org.settings))
            .arg(Json(&org.roles))
            .arg(i64::from(org.portal_user_cap))
            .fetch_optional(&self.pool)
            .await
            .map_err(db)?;
        match row {
            Some(row) => Self::org_from(&row),
            None => {
                let exists = sqlx::query::<DB>(q::ORG_VERSION)
                    .arg(org.id.as_uuid())
                    .fetch_optional(&self.pool)
                    .await
                    .map_err(db)?;
                Err(match exists {
                    Some(_) => StoreError::ConcurrentModification(Entity::Organization),
                    None => StoreError::NotFound(Entity::Organization),
                })
            }
        }
    }
}
