//! Contact persons, their portal status and forwarding (A1, D3). Plain Rust over either engine.

use async_trait::async_trait;
use portal_core::{
    Address, ContactId, ContactPerson, ContactStore, Customer, CustomerId, Email, Entity, OrgId,
    OutboxEmail, PortalSettings, Role, StoreError, StoreResult, UserPreferences,
};
use sqlx::types::Json;
use sqlx::{ColumnIndex, Decode, Encode, Executor, IntoArguments, Type};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::engine::{Engine, RowsAffected as _, SqlStore};
use crate::error::{corrupt, db};
use crate::shared::{insert_email, insert_notice, opt_at};
use crate::sql::common as q;

#[async_trait]
impl<DB> ContactStore for SqlStore<DB>
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
    async fn create_contact(&self, contact: &ContactPerson) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        let customer = sqlx::query::<DB>(q::CUSTOMER_STATE)
            .bind(contact.org.as_uuid())
            .bind(contact.customer.as_uuid())
            .fetch_optional(&mut *tx)
            .await
            .map_err(db)?;
        match customer {
            Some(row) if opt_at(&row, "deleted_at")?.is_none() => {}
            _ => return Err(StoreError::NotFound(Entity::Customer)),
        }
        Self::insert_contact(&mut tx, contact).await?;
        tx.commit().await.map_err(db)
    }

    async fn contact(&self, org: OrgId, id: ContactId) -> StoreResult<ContactPerson> {
        let row = sqlx::query::<DB>(q::SELECT_CONTACT)
            .bind(org.as_uuid())
            .bind(id.as_uuid())
            .fetch_optional(&self.pool)
            .await
            .map_err(db)?
            .ok_or(StoreError::NotFound(Entity::Contact))?;
        Self::contact_from(&row)
    }

    async fn contacts_of_customer(
        &self,
        org: OrgId,
        customer: CustomerId,
    ) -> StoreResult<Vec<ContactPerson>> {
        sqlx::query::<DB>(q::SELECT_CONTACTS_OF_CUSTOMER)
            .bind(org.as_uuid())
            .bind(customer.as_uuid())
            .fetch_all(&self.pool)
            .await
            .map_err(db)?
            .iter()
            .map(Self::contact_from)
            .collect()
    }

    async fn contact_by_email(&self, org: OrgId, email: &Email) -> StoreResult<ContactPerson> {
        let row = sqlx::query::<DB>(q::SELECT_CONTACT_BY_EMAIL)
            .bind(org.as_uuid())
            .bind(email.as_str())
            .fetch_optional(&self.pool)
            .await
            .map_err(db)?
            .ok_or(StoreError::NotFound(Entity::Contact))?;
        Self::contact_from(&row)
    }

    async fn update_contact(&self, contact: &ContactPerson) -> StoreResult<ContactPerson> {
        let mut tx = self.begin().await?;
        let row = sqlx::query::<DB>(q::UPDATE_CONTACT)
            .bind(contact.org.as_uuid())
            .bind(contact.id.as_uuid())
            .bind(contact.version)
            .bind(contact.first_name.as_str())
            .bind(contact.last_name.as_str())
            .bind(contact.email.as_ref().map(Email::as_str))
            .bind(contact.phone.as_str())
            .bind(contact.is_primary)
            .bind(contact.role.map(|r| r.as_uuid()))
            .fetch_optional(&mut *tx)
            .await
            .map_err(db)?;
        let Some(row) = row else {
            return Err(Self::contact_miss(
                &mut tx,
                contact.org,
                contact.id,
                Some(contact.version),
            )
            .await);
        };
        let saved = Self::contact_from(&row)?;
        tx.commit().await.map_err(db)?;
        Ok(saved)
    }

    async fn delete_contact(
        &self,
        org: OrgId,
        id: ContactId,
        at: OffsetDateTime,
    ) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        let state = sqlx::query::<DB>(q::CONTACT_STATE)
            .bind(org.as_uuid())
            .bind(id.as_uuid())
            .fetch_optional(&mut *tx)
            .await
            .map_err(db)?;
        if state.is_none() {
            return Err(StoreError::NotFound(Entity::Contact));
        }
        let changed = sqlx::query::<DB>(q::DELETE_CONTACT)
            .bind(org.as_uuid())
            .bind(id.as_uuid())
            .bind(DB::ts_to_db(at))
            .execute(&mut *tx)
            .await
            .map_err(db)?
            .rows_affected();
        if changed > 0 {
            Self::end_all_access(&mut tx, id).await?;
        }
        tx.commit().await.map_err(db)
    }

    async fn forward_document(
        &self,
        new_contact: Option<&ContactPerson>,
        email: &OutboxEmail,
    ) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        if let Some(contact) = new_contact {
            let customer = sqlx::query::<DB>(q::CUSTOMER_STATE)
                .bind(contact.org.as_uuid())
                .bind(contact.customer.as_uuid())
                .fetch_optional(&mut *tx)
                .await
                .map_err(db)?;
            match customer {
                Some(row) if opt_at(&row, "deleted_at")?.is_none() => {}
                _ => return Err(StoreError::NotFound(Entity::Customer)),
            }
            Self::insert_contact(&mut tx, contact).await?;
        }
        insert_email::<DB>(&mut tx, email).await?;
        tx.commit().await.map_err(db)
    }

    async fn update_details(
        &self,
        change: &portal_core::DetailsChange,
    ) -> StoreResult<(Customer, ContactPerson)> {
        let (c, p) = (&change.customer, &change.contact);
        let mut tx = self.begin().await?;
        let customer_row = sqlx::query::<DB>(q::UPDATE_CUSTOMER_DETAILS)
            .bind(change.org.as_uuid())
            .bind(c.id.as_uuid())
            .bind(c.version)
            .bind(c.display_name.as_str())
            .bind(c.company_name.as_str())
            .bind(Json(&c.billing_address))
            .bind(Json(&c.shipping_address))
            .fetch_optional(&mut *tx)
            .await
            .map_err(db)?;
        let Some(customer_row) = customer_row else {
            let state = sqlx::query::<DB>(q::CUSTOMER_STATE)
                .bind(change.org.as_uuid())
                .bind(c.id.as_uuid())
                .fetch_optional(&mut *tx)
                .await
                .map_err(db)?;
            return Err(match state {
                Some(row) if opt_at(&row, "deleted_at")?.is_none() => {
                    StoreError::ConcurrentModification(Entity::Customer)
                }
                _ => StoreError::NotFound(Entity::Customer),
            });
        };
        let contact_row = sqlx::query::<DB>(q::UPDATE_CONTACT_DETAILS)
            .bind(change.org.as_uuid())
            .bind(c.id.as_uuid())
            .bind(p.id.as_uuid())
            .bind(p.version)
            .bind(p.first_name.as_str())
            .bind(p.last_name.as_str())
            .bind(p.phone.as_str())
            .fetch_optional(&mut *tx)
            .await
            .map_err(db)?;
        let Some(contact_row) = contact_row else {
            return Err(
                match Self::contact_miss(&mut tx, change.org, p.id, Some(p.version)).await {
                    StoreError::ConcurrentModification(w) => StoreError::ConcurrentModification(w),
                    // Deleted, unknown, or another customer's contact.
                    _ => StoreError::NotFound(Entity::Contact),
                },
            );
        };
        insert_notice::<DB>(&mut tx, &change.notice).await?;
        let out = (
            Self::customer_from(&customer_row)?,
            Self::contact_from(&contact_row)?,
        );
        tx.commit().await.map_err(db)?;
        Ok(out)
    }

    async fn count_portal_users(&self, org: OrgId) -> StoreResult<u64> {
        let n: i64 = sqlx::query_scalar(q::COUNT_PORTAL_USERS)
            .bind(org.as_uuid())
            .fetch_one(&self.pool)
            .await
            .map_err(db)?;
        u64::try_from(n).map_err(|_| corrupt("count", n))
    }
}
