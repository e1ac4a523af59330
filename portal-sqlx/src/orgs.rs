//! Organizations: their portal settings, roles and user cap (P1–P7). Plain Rust over either engine.

use async_trait::async_trait;
use portal_core::{
    Address, Entity, OrgId, OrgStore, Organization, PortalSettings, PortalSlug, Role, StoreError,
    StoreResult, UserPreferences,
};
use sqlx::types::Json;
use sqlx::{ColumnIndex, Decode, Encode, Executor, IntoArguments, Type};
use uuid::Uuid;

use crate::engine::{Engine, SqlStore};
use crate::error::db;
use crate::sql::common as q;

#[async_trait]
impl<DB> OrgStore for SqlStore<DB>
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
    async fn create_org(&self, org: &Organization) -> StoreResult<()> {
        sqlx::query::<DB>(q::INSERT_ORG)
            .bind(org.id.as_uuid())
            .bind(org.name.as_str())
            .bind(org.slug.as_str())
            .bind(Json(&org.settings))
            .bind(Json(&org.roles))
            .bind(i64::from(org.portal_user_cap))
            .bind(DB::ts_to_db(org.created_at))
            .bind(org.version)
            .execute(&self.pool)
            .await
            .map_err(db)?;
        Ok(())
    }

    async fn org(&self, id: OrgId) -> StoreResult<Organization> {
        let row = sqlx::query::<DB>(q::SELECT_ORG)
            .bind(id.as_uuid())
            .fetch_optional(&self.pool)
            .await
            .map_err(db)?
            .ok_or(StoreError::NotFound(Entity::Organization))?;
        Self::org_from(&row)
    }

    async fn org_by_slug(&self, slug: &PortalSlug) -> StoreResult<Organization> {
        let row = sqlx::query::<DB>(q::SELECT_ORG_BY_SLUG)
            .bind(slug.as_str())
            .fetch_optional(&self.pool)
            .await
            .map_err(db)?
            .ok_or(StoreError::NotFound(Entity::Organization))?;
        Self::org_from(&row)
    }

    async fn update_org(&self, org: &Organization) -> StoreResult<Organization> {
        let row = sqlx::query::<DB>(q::UPDATE_ORG)
            .bind(org.id.as_uuid())
            .bind(org.version)
            .bind(org.name.as_str())
            .bind(org.slug.as_str())
            .bind(Json(&org.settings))
            .bind(Json(&org.roles))
            .bind(i64::from(org.portal_user_cap))
            .fetch_optional(&self.pool)
            .await
            .map_err(db)?;
        match row {
            Some(row) => Self::org_from(&row),
            None => {
                let exists = sqlx::query::<DB>(q::ORG_VERSION)
                    .bind(org.id.as_uuid())
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
