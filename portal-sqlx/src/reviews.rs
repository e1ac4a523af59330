//! Customer reviews (C4).

use crate::engine::{Bind as _, Engine, SqlStore};
use crate::error::db;
use crate::shared::{at, get, insert_notice, live_customer_currency};
use crate::sql::common as q;
use async_trait::async_trait;
use portal_core::domain::{ContactId, CustomerId, OrgId};
use portal_core::store::ReviewStore;
use portal_core::store::{Entity, StoreError, StoreResult};
use sqlx::Executor;

#[async_trait]
impl<DB> ReviewStore for SqlStore<DB>
where
    DB: Engine,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
{
    async fn add_review(
        &self,
        r: &portal_core::domain::Review,
        notice: &portal_core::domain::Notice,
    ) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        live_customer_currency::<DB>(&mut tx, r.org, r.customer).await?;
        sqlx::query::<DB>(q::CONTACT_OF_CUSTOMER)
            .arg(r.org.as_uuid())
            .arg(r.customer.as_uuid())
            .arg(r.contact.as_uuid())
            .fetch_optional(&mut *tx)
            .await
            .map_err(db)?
            .ok_or(StoreError::NotFound(Entity::Contact))?;
        sqlx::query::<DB>(q::INSERT_REVIEW)
            .arg(r.id.as_uuid())
            .arg(r.org.as_uuid())
            .arg(r.customer.as_uuid())
            .arg(r.contact.as_uuid())
            .arg(r.body.as_str())
            .arg(DB::ts_to_db(r.created_at))
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        insert_notice::<DB>(&mut tx, notice).await?;
        tx.commit().await.map_err(db)
    }

    async fn customer_reviews(
        &self,
        org: OrgId,
        customer: CustomerId,
    ) -> StoreResult<Vec<portal_core::domain::Review>> {
        sqlx::query::<DB>(q::SELECT_REVIEWS)
            .arg(org.as_uuid())
            .arg(customer.as_uuid())
            .fetch_all(&self.pool)
            .await
            .map_err(db)?
            .iter()
            .map(|row| {
                Ok(portal_core::domain::Review {
                    id: portal_core::domain::ReviewId::from_uuid(get(row, "id")?),
                    org: OrgId::from_uuid(get(row, "org_id")?),
                    customer: CustomerId::from_uuid(get(row, "customer_id")?),
                    contact: ContactId::from_uuid(get(row, "contact_id")?),
                    body: get(row, "body")?,
                    created_at: at(row, "created_at")?,
                })
            })
            .collect()
    }
}
