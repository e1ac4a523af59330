//! Customers and their details (C1), with the customer-side record changes. Plain Rust over either engine.

use async_trait::async_trait;
use portal_core::domain::{ContactPerson, Customer, CustomerId, OrgId, Page, PageRequest};
use portal_core::store::{CustomerStore, Entity, Rule, StoreError, StoreResult};
use sqlx::Executor;
use sqlx::types::Json;
use time::OffsetDateTime;

use crate::engine::{Bind as _, Engine, SqlStore};
use crate::error::db;
use crate::shared::opt_at;
use crate::sql::common as q;

#[async_trait]
impl<DB> CustomerStore for SqlStore<DB>
where
    DB: Engine,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
{
    async fn create_customer(
        &self,
        customer: &Customer,
        contacts: &[ContactPerson],
    ) -> StoreResult<()> {
        if contacts
            .iter()
            .any(|c| c.org != customer.org || c.customer != customer.id)
        {
            return Err(StoreError::Conflict(Rule::ContactOfAnotherCustomer));
        }
        let mut tx = self.begin().await?;
        sqlx::query::<DB>(q::INSERT_CUSTOMER)
            .arg(customer.id.as_uuid())
            .arg(customer.org.as_uuid())
            .arg(customer.display_name.as_str())
            .arg(customer.company_name.as_str())
            .arg(customer.currency.code())
            .arg(Json(&customer.billing_address))
            .arg(Json(&customer.shipping_address))
            .arg(customer.may_pay_by_bank_account)
            .arg(DB::ts_to_db(customer.created_at))
            .arg(customer.deleted_at.map(DB::ts_to_db))
            .arg(customer.version)
            .execute(&mut *tx)
            .await
            .map_err(|e| match db(e) {
                StoreError::NotFound(_) => StoreError::NotFound(Entity::Organization),
                other => other,
            })?;
        for c in contacts {
            Self::insert_contact(&mut tx, c).await?;
        }
        tx.commit().await.map_err(db)
    }

    async fn customer(&self, org: OrgId, id: CustomerId) -> StoreResult<Customer> {
        let row = sqlx::query::<DB>(q::SELECT_CUSTOMER)
            .arg(org.as_uuid())
            .arg(id.as_uuid())
            .fetch_optional(&self.pool)
            .await
            .map_err(db)?
            .ok_or(StoreError::NotFound(Entity::Customer))?;
        Self::customer_from(&row)
    }

    async fn org_customers(&self, org: OrgId, page: &PageRequest) -> StoreResult<Page<Customer>> {
        let (key, id) = page.bound();
        let rows = sqlx::query::<DB>(q::ORG_CUSTOMERS)
            .arg(org.as_uuid())
            .arg(key)
            .arg(id)
            .arg(i64::from(page.limit) + 1)
            .fetch_all(&self.pool)
            .await
            .map_err(db)?;
        Self::id_page(&rows, Self::customer_from, page.limit, |c| c.id.as_uuid())
    }

    async fn update_customer(&self, customer: &Customer) -> StoreResult<Customer> {
        let row = sqlx::query::<DB>(q::UPDATE_CUSTOMER)
            .arg(customer.org.as_uuid())
            .arg(customer.id.as_uuid())
            .arg(customer.version)
            .arg(customer.display_name.as_str())
            .arg(customer.company_name.as_str())
            .arg(customer.currency.code())
            .arg(Json(&customer.billing_address))
            .arg(Json(&customer.shipping_address))
            .arg(customer.may_pay_by_bank_account)
            .fetch_optional(&self.pool)
            .await
            .map_err(db)?;
        if let Some(row) = row {
            return Self::customer_from(&row);
        }
        let state = sqlx::query::<DB>(q::CUSTOMER_STATE)
            .arg(customer.org.as_uuid())
            .arg(customer.id.as_uuid())
            .fetch_optional(&self.pool)
            .await
            .map_err(db)?;
        Err(match state {
            Some(row) if opt_at(&row, "deleted_at")?.is_none() => {
                StoreError::ConcurrentModification(Entity::Customer)
            }
            _ => StoreError::NotFound(Entity::Customer),
        })
    }

    async fn delete_customer(
        &self,
        org: OrgId,
        id: CustomerId,
        at: OffsetDateTime,
    ) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        let exists = sqlx::query::<DB>(q::CUSTOMER_STATE)
            .arg(org.as_uuid())
            .arg(id.as_uuid())
            .fetch_optional(&mut *tx)
            .await
            .map_err(db)?;
        if exists.is_none() {
            return Err(StoreError::NotFound(Entity::Customer));
        }
        for statement in [q::DELETE_CUSTOMER, q::DELETE_CONTACTS_OF_CUSTOMER] {
            sqlx::query::<DB>(statement)
                .arg(org.as_uuid())
                .arg(id.as_uuid())
                .arg(DB::ts_to_db(at))
                .execute(&mut *tx)
                .await
                .map_err(db)?;
        }
        for statement in [q::DELETE_SESSIONS_OF_CUSTOMER, q::DELETE_TOKENS_OF_CUSTOMER] {
            sqlx::query::<DB>(statement)
                .arg(org.as_uuid())
                .arg(id.as_uuid())
                .execute(&mut *tx)
                .await
                .map_err(db)?;
        }
        tx.commit().await.map_err(db)
    }
}
