//! Customers and their details (C1), with the customer-side record changes. Plain Rust over either engine.

use async_trait::async_trait;
use portal_core::{
    Address, ContactPerson, Customer, CustomerId, CustomerStore, Entity, OrgId, PortalSettings,
    Role, Rule, StoreError, StoreResult, UserPreferences,
};
use sqlx::types::Json;
use sqlx::{ColumnIndex, Decode, Encode, Executor, IntoArguments, Type};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::engine::{Engine, SqlStore};
use crate::error::db;
use crate::shared::opt_at;
use crate::sql::common as q;

#[async_trait]
impl<DB> CustomerStore for SqlStore<DB>
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
            .bind(customer.id.as_uuid())
            .bind(customer.org.as_uuid())
            .bind(customer.display_name.as_str())
            .bind(customer.company_name.as_str())
            .bind(customer.currency.code())
            .bind(Json(&customer.billing_address))
            .bind(Json(&customer.shipping_address))
            .bind(customer.may_pay_by_bank_account)
            .bind(DB::ts_to_db(customer.created_at))
            .bind(customer.deleted_at.map(DB::ts_to_db))
            .bind(customer.version)
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
            .bind(org.as_uuid())
            .bind(id.as_uuid())
            .fetch_optional(&self.pool)
            .await
            .map_err(db)?
            .ok_or(StoreError::NotFound(Entity::Customer))?;
        Self::customer_from(&row)
    }

    async fn update_customer(&self, customer: &Customer) -> StoreResult<Customer> {
        let row = sqlx::query::<DB>(q::UPDATE_CUSTOMER)
            .bind(customer.org.as_uuid())
            .bind(customer.id.as_uuid())
            .bind(customer.version)
            .bind(customer.display_name.as_str())
            .bind(customer.company_name.as_str())
            .bind(customer.currency.code())
            .bind(Json(&customer.billing_address))
            .bind(Json(&customer.shipping_address))
            .bind(customer.may_pay_by_bank_account)
            .fetch_optional(&self.pool)
            .await
            .map_err(db)?;
        if let Some(row) = row {
            return Self::customer_from(&row);
        }
        let state = sqlx::query::<DB>(q::CUSTOMER_STATE)
            .bind(customer.org.as_uuid())
            .bind(customer.id.as_uuid())
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
            .bind(org.as_uuid())
            .bind(id.as_uuid())
            .fetch_optional(&mut *tx)
            .await
            .map_err(db)?;
        if exists.is_none() {
            return Err(StoreError::NotFound(Entity::Customer));
        }
        for statement in [q::DELETE_CUSTOMER, q::DELETE_CONTACTS_OF_CUSTOMER] {
            sqlx::query::<DB>(statement)
                .bind(org.as_uuid())
                .bind(id.as_uuid())
                .bind(DB::ts_to_db(at))
                .execute(&mut *tx)
                .await
                .map_err(db)?;
        }
        for statement in [q::DELETE_SESSIONS_OF_CUSTOMER, q::DELETE_TOKENS_OF_CUSTOMER] {
            sqlx::query::<DB>(statement)
                .bind(org.as_uuid())
                .bind(id.as_uuid())
                .execute(&mut *tx)
                .await
                .map_err(db)?;
        }
        tx.commit().await.map_err(db)
    }
}
