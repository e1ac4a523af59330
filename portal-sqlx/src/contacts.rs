//! Contact persons, their portal status and forwarding (A1, D3). Plain Rust over either engine.

use async_trait::async_trait;
use portal_core::domain::{ContactId, ContactPerson, Customer, CustomerId, Email, OrgId};
use portal_core::store::{ContactStore, Entity, StoreError, StoreResult};
use sqlx::Executor;
use sqlx::types::Json;
use time::OffsetDateTime;

use crate::engine::{Bind as _, Engine, RowsAffected as _, SqlStore};
use crate::error::{corrupt, db};
use crate::shared::{first, insert_notice, opt_at};
use crate::sql::common as q;

#[async_trait]
impl<DB> ContactStore for SqlStore<DB>
where
    DB: Engine,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
{
    async fn create_contact(&self, contact: &ContactPerson) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        let customer = sqlx::query::<DB>(q::CUSTOMER_STATE)
            .arg(contact.org.as_uuid())
            .arg(contact.customer.as_uuid())
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
            .arg(org.as_uuid())
            .arg(id.as_uuid())
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
            .arg(org.as_uuid())
            .arg(customer.as_uuid())
            .fetch_all(&self.pool)
            .await
            .map_err(db)?
            .iter()
            .map(Self::contact_from)
            .collect()
    }

    async fn contact_by_email(&self, org: OrgId, email: &Email) -> StoreResult<ContactPerson> {
        let row = sqlx::query::<DB>(q::SELECT_CONTACT_BY_EMAIL)
            .arg(org.as_uuid())
            .arg(email.as_str())
            .fetch_optional(&self.pool)
            .await
            .map_err(db)?
            .ok_or(StoreError::NotFound(Entity::Contact))?;
        Self::contact_from(&row)
    }

    async fn update_contact(&self, contact: &ContactPerson) -> StoreResult<ContactPerson> {
        let mut tx = self.begin().await?;
        let row = sqlx::query::<DB>(q::UPDATE_CONTACT)
            .arg(contact.org.as_uuid())
            .arg(contact.id.as_uuid())
            .arg(contact.version)
            .arg(contact.first_name.as_str())
            .arg(contact.last_name.as_str())
            .arg(contact.email.as_ref().map(Email::as_str))
            .arg(contact.phone.as_str())
            .arg(contact.is_primary)
            .arg(contact.role.map(|r| r.as_uuid()))
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
            .arg(org.as_uuid())
            .arg(id.as_uuid())
            .fetch_optional(&mut *tx)
            .await
            .map_err(db)?;
        if state.is_none() {
            return Err(StoreError::NotFound(Entity::Contact));
        }
        let changed = sqlx::query::<DB>(q::DELETE_CONTACT)
            .arg(org.as_uuid())
            .arg(id.as_uuid())
            .arg(DB::ts_to_db(at))
            .execute(&mut *tx)
            .await
            .map_err(db)?
            .rows_affected();
        if changed > 0 {
            Self::end_all_access(&mut tx, org, id).await?;
        }
        tx.commit().await.map_err(db)
    }

    async fn update_details(
        &self,
        change: &portal_core::store::DetailsChange,
    ) -> StoreResult<(Customer, ContactPerson)> {
        let (c, p) = (&change.customer, &change.contact);
        let mut tx = self.begin().await?;
        let customer_row = sqlx::query::<DB>(q::UPDATE_CUSTOMER_DETAILS)
            .arg(change.org.as_uuid())
            .arg(c.id.as_uuid())
            .arg(c.version)
            .arg(c.display_name.as_str())
            .arg(c.company_name.as_str())
            .arg(Json(&c.billing_address))
            .arg(Json(&c.shipping_address))
            .fetch_optional(&mut *tx)
            .await
            .map_err(db)?;
        let Some(customer_row) = customer_row else {
            let state = sqlx::query::<DB>(q::CUSTOMER_STATE)
                .arg(change.org.as_uuid())
                .arg(c.id.as_uuid())
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
            .arg(change.org.as_uuid())
            .arg(c.id.as_uuid())
            .arg(p.id.as_uuid())
            .arg(p.version)
            .arg(p.first_name.as_str())
            .arg(p.last_name.as_str())
            .arg(p.phone.as_str())
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
        let n: i64 = first(
            &sqlx::query::<DB>(q::COUNT_PORTAL_USERS)
                .arg(org.as_uuid())
                .fetch_one(&self.pool)
                .await
                .map_err(db)?,
        )?;
        u64::try_from(n).map_err(|_| corrupt("count", n))
    }
}
