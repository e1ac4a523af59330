//! Saved payment methods (I10): plain Rust over either engine.

use crate::engine::{Bind as _, Engine, RowsAffected as _, SqlStore};
use crate::error::{corrupt, db};
use crate::shared::{at, get, live_customer_currency};
use crate::sql::common as q;
use async_trait::async_trait;
use portal_core::domain::{CustomerId, OrgId, PaymentMethod};
use portal_core::store::PaymentMethodStore;
use portal_core::store::{Entity, StoreError, StoreResult};
use sqlx::Executor;
use sqlx::types::Json;

impl<DB> SqlStore<DB>
where
    DB: Engine,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
{
    pub(crate) fn method_from(
        row: &DB::Row,
    ) -> StoreResult<portal_core::domain::SavedPaymentMethod> {
        let month: Option<i64> = get(row, "exp_month")?;
        let year: Option<i64> = get(row, "exp_year")?;
        Ok(portal_core::domain::SavedPaymentMethod {
            id: portal_core::domain::SavedMethodId::from_uuid(get(row, "id")?),
            org: OrgId::from_uuid(get(row, "org_id")?),
            customer: CustomerId::from_uuid(get(row, "customer_id")?),
            gateway: get(row, "gateway")?,
            token: get(row, "token")?,
            method: get::<_, Json<PaymentMethod>>(row, "method")?.0,
            exp_month: month
                .map(u8::try_from)
                .transpose()
                .map_err(|e| corrupt("expiry", e))?,
            exp_year: year
                .map(u16::try_from)
                .transpose()
                .map_err(|e| corrupt("expiry", e))?,
            billing_address: get::<_, Json<portal_core::domain::Address>>(row, "billing_address")?
                .0,
            created_at: at(row, "created_at")?,
            version: get(row, "version")?,
        })
    }
}

#[async_trait]
impl<DB> PaymentMethodStore for SqlStore<DB>
where
    DB: Engine,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
{
    async fn save_payment_method(
        &self,
        m: &portal_core::domain::SavedPaymentMethod,
    ) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        live_customer_currency::<DB>(&mut tx, m.org, m.customer).await?;
        sqlx::query::<DB>(q::INSERT_METHOD)
            .arg(m.id.as_uuid())
            .arg(m.org.as_uuid())
            .arg(m.customer.as_uuid())
            .arg(m.gateway.as_str())
            .arg(m.token.as_str())
            .arg(Json(&m.method))
            .arg(m.exp_month.map(i64::from))
            .arg(m.exp_year.map(i64::from))
            .arg(Json(&m.billing_address))
            .arg(DB::ts_to_db(m.created_at))
            .arg(m.version)
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        tx.commit().await.map_err(db)
    }

    async fn payment_methods(
        &self,
        org: OrgId,
        customer: CustomerId,
    ) -> StoreResult<Vec<portal_core::domain::SavedPaymentMethod>> {
        sqlx::query::<DB>(q::SELECT_METHODS)
            .arg(org.as_uuid())
            .arg(customer.as_uuid())
            .fetch_all(&self.pool)
            .await
            .map_err(db)?
            .iter()
            .map(Self::method_from)
            .collect()
    }

    async fn payment_method(
        &self,
        org: OrgId,
        customer: CustomerId,
        id: portal_core::domain::SavedMethodId,
    ) -> StoreResult<portal_core::domain::SavedPaymentMethod> {
        let row = sqlx::query::<DB>(q::SELECT_METHOD)
            .arg(org.as_uuid())
            .arg(customer.as_uuid())
            .arg(id.as_uuid())
            .fetch_optional(&self.pool)
            .await
            .map_err(db)?
            .ok_or(StoreError::NotFound(Entity::PaymentMethod))?;
        Self::method_from(&row)
    }

    async fn update_payment_method(
        &self,
        m: &portal_core::domain::SavedPaymentMethod,
    ) -> StoreResult<portal_core::domain::SavedPaymentMethod> {
        let row = sqlx::query::<DB>(q::UPDATE_METHOD)
            .arg(m.org.as_uuid())
            .arg(m.customer.as_uuid())
            .arg(m.id.as_uuid())
            .arg(m.version)
            .arg(m.exp_month.map(i64::from))
            .arg(m.exp_year.map(i64::from))
            .arg(Json(&m.billing_address))
            .fetch_optional(&self.pool)
            .await
            .map_err(db)?;
        if let Some(row) = row {
            return Self::method_from(&row);
        }
        let exists = self.payment_method(m.org, m.customer, m.id).await;
        Err(match exists {
            Ok(_) => StoreError::ConcurrentModification(Entity::PaymentMethod),
            Err(e) => e,
        })
    }

    async fn delete_payment_method(
        &self,
        org: OrgId,
        customer: CustomerId,
        id: portal_core::domain::SavedMethodId,
    ) -> StoreResult<()> {
        let deleted = sqlx::query::<DB>(q::DELETE_METHOD)
            .arg(org.as_uuid())
            .arg(customer.as_uuid())
            .arg(id.as_uuid())
            .execute(&self.pool)
            .await
            .map_err(db)?
            .rows_affected();
        if deleted == 0 {
            return Err(StoreError::NotFound(Entity::PaymentMethod));
        }
        Ok(())
    }
}
