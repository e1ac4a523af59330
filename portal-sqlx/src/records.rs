//! The records of the directory stores (organizations, customers, contacts, tokens,
//! sessions, outbox emails): how rows decode and the inserts and checks several of
//! those stores share. Plain Rust over either engine.

use portal_core::auth::{AccessToken, SessionRecord, TokenPurpose};
use portal_core::domain::{
    Address, AttachedDocument, ContactId, ContactPerson, Customer, CustomerId, Email, EmailId,
    EmailKind, EmailStatus, OrgId, Organization, OutboxEmail, PortalSettings, PortalSlug,
    PortalStatus, Role, RoleId, SessionId, TokenId, UserPreferences,
};
use portal_core::domain::{PasswordHash, TokenHash};
use portal_core::store::{Entity, Rule, StoreError, StoreResult};
use sqlx::Executor;
use sqlx::types::Json;
use uuid::Uuid;

use crate::engine::{Bind as _, Engine, RowsAffected as _, SqlStore};
use crate::error::{corrupt, db};
use crate::shared::{at, count, get, opt_at, prefixed};
use crate::sql::common as q;

fn hash_from(bytes: Vec<u8>) -> StoreResult<TokenHash> {
    let array: [u8; 32] = bytes
        .try_into()
        .map_err(|b: Vec<u8>| corrupt("token hash", format!("{} bytes", b.len())))?;
    Ok(TokenHash::from_bytes(array))
}

impl<DB> SqlStore<DB>
where
    DB: Engine,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
{
    pub(crate) fn org_from(row: &DB::Row) -> StoreResult<Organization> {
        Self::org_at(row, "")
    }

    /// As [`Self::org_from`], from the columns named `prefix` + name.
    pub(crate) fn org_at(row: &DB::Row, p: &str) -> StoreResult<Organization> {
        let slug: String = get(row, &prefixed(p, "slug"))?;
        Ok(Organization {
            id: OrgId::from_uuid(get(row, &prefixed(p, "id"))?),
            name: get(row, &prefixed(p, "name"))?,
            slug: PortalSlug::parse(&slug).map_err(|e| corrupt("portal slug", e))?,
            settings: get::<_, Json<PortalSettings>>(row, &prefixed(p, "settings"))?.0,
            roles: get::<_, Json<Vec<Role>>>(row, &prefixed(p, "roles"))?.0,
            portal_user_cap: count(
                get(row, &prefixed(p, "portal_user_cap"))?,
                "portal user cap",
            )?,
            created_at: at(row, &prefixed(p, "created_at"))?,
            version: get(row, &prefixed(p, "version"))?,
        })
    }

    pub(crate) fn customer_from(row: &DB::Row) -> StoreResult<Customer> {
        Self::customer_at(row, "")
    }

    /// As [`Self::customer_from`], from the columns named `prefix` + name.
    pub(crate) fn customer_at(row: &DB::Row, p: &str) -> StoreResult<Customer> {
        let currency: String = get(row, &prefixed(p, "currency"))?;
        Ok(Customer {
            id: CustomerId::from_uuid(get(row, &prefixed(p, "id"))?),
            org: OrgId::from_uuid(get(row, &prefixed(p, "org_id"))?),
            display_name: get(row, &prefixed(p, "display_name"))?,
            company_name: get(row, &prefixed(p, "company_name"))?,
            currency: crate::shared::stored_currency(&currency)?,
            billing_address: get::<_, Json<Address>>(row, &prefixed(p, "billing_address"))?.0,
            shipping_address: get::<_, Json<Address>>(row, &prefixed(p, "shipping_address"))?.0,
            may_pay_by_bank_account: get(row, &prefixed(p, "may_pay_by_bank_account"))?,
            created_at: at(row, &prefixed(p, "created_at"))?,
            deleted_at: opt_at(row, &prefixed(p, "deleted_at"))?,
            version: get(row, &prefixed(p, "version"))?,
        })
    }

    pub(crate) fn contact_from(row: &DB::Row) -> StoreResult<ContactPerson> {
        Self::contact_at(row, "")
    }

    /// As [`Self::contact_from`], from the columns named `prefix` + name.
    pub(crate) fn contact_at(row: &DB::Row, p: &str) -> StoreResult<ContactPerson> {
        let email: Option<String> = get(row, &prefixed(p, "email"))?;
        let status: String = get(row, &prefixed(p, "portal_status"))?;
        Ok(ContactPerson {
            id: ContactId::from_uuid(get(row, &prefixed(p, "id"))?),
            org: OrgId::from_uuid(get(row, &prefixed(p, "org_id"))?),
            customer: CustomerId::from_uuid(get(row, &prefixed(p, "customer_id"))?),
            first_name: get(row, &prefixed(p, "first_name"))?,
            last_name: get(row, &prefixed(p, "last_name"))?,
            email: email
                .map(|e| Email::parse(&e).map_err(|err| corrupt("contact email", err)))
                .transpose()?,
            phone: get(row, &prefixed(p, "phone"))?,
            is_primary: get(row, &prefixed(p, "is_primary"))?,
            portal_status: PortalStatus::from_db(&status)
                .ok_or_else(|| corrupt("portal status", &status))?,
            role: get::<_, Option<Uuid>>(row, &prefixed(p, "role_id"))?.map(RoleId::from_uuid),
            password_hash: get::<_, Option<String>>(row, &prefixed(p, "password_hash"))?
                .map(PasswordHash::from_phc),
            preferences: get::<_, Option<Json<UserPreferences>>>(row, &prefixed(p, "preferences"))?
                .map(|j| j.0),
            created_at: at(row, &prefixed(p, "created_at"))?,
            deleted_at: opt_at(row, &prefixed(p, "deleted_at"))?,
            version: get(row, &prefixed(p, "version"))?,
        })
    }

    pub(crate) fn token_from(row: &DB::Row) -> StoreResult<AccessToken> {
        let purpose: String = get(row, "purpose")?;
        Ok(AccessToken {
            id: TokenId::from_uuid(get(row, "id")?),
            org: OrgId::from_uuid(get(row, "org_id")?),
            contact: ContactId::from_uuid(get(row, "contact_id")?),
            purpose: TokenPurpose::from_db(&purpose)
                .ok_or_else(|| corrupt("token purpose", &purpose))?,
            hash: hash_from(get(row, "hash")?)?,
            created_at: at(row, "created_at")?,
            expires_at: at(row, "expires_at")?,
        })
    }

    pub(crate) fn session_from(row: &DB::Row) -> StoreResult<SessionRecord> {
        Ok(SessionRecord {
            id: SessionId::from_uuid(get(row, "id")?),
            token_hash: hash_from(get(row, "token_hash")?)?,
            org: OrgId::from_uuid(get(row, "org_id")?),
            customer: CustomerId::from_uuid(get(row, "customer_id")?),
            contact: ContactId::from_uuid(get(row, "contact_id")?),
            created_at: at(row, "created_at")?,
            last_seen_at: at(row, "last_seen_at")?,
        })
    }

    pub(crate) fn email_from(row: &DB::Row) -> StoreResult<OutboxEmail> {
        let kind: String = get(row, "kind")?;
        let status: String = get(row, "status")?;
        let to: String = get(row, "recipient")?;
        Ok(OutboxEmail {
            id: EmailId::from_uuid(get(row, "id")?),
            org: OrgId::from_uuid(get(row, "org_id")?),
            kind: EmailKind::from_db(&kind).ok_or_else(|| corrupt("email kind", &kind))?,
            to: Email::parse(&to).map_err(|e| corrupt("recipient", e))?,
            subject: get(row, "subject")?,
            body: get(row, "body")?,
            status: EmailStatus::from_db(&status)
                .ok_or_else(|| corrupt("email status", &status))?,
            attempts: count(get(row, "attempts")?, "attempts")?,
            next_attempt_at: at(row, "next_attempt_at")?,
            last_error: get(row, "last_error")?,
            created_at: at(row, "created_at")?,
            sent_at: opt_at(row, "sent_at")?,
            attachment: get::<_, Option<Json<AttachedDocument>>>(row, "attachment")?.map(|j| j.0),
        })
    }

    pub(crate) async fn insert_contact(
        conn: &mut DB::Connection,
        c: &ContactPerson,
    ) -> StoreResult<()> {
        sqlx::query::<DB>(q::INSERT_CONTACT)
            .arg(c.id.as_uuid())
            .arg(c.org.as_uuid())
            .arg(c.customer.as_uuid())
            .arg(c.first_name.as_str())
            .arg(c.last_name.as_str())
            .arg(c.email.as_ref().map(Email::as_str))
            .arg(c.phone.as_str())
            .arg(c.is_primary)
            .arg(c.portal_status.as_str())
            .arg(c.role.map(|r| r.as_uuid()))
            .arg(c.password_hash.as_ref().map(PasswordHash::as_phc))
            .arg(c.preferences.as_ref().map(Json))
            .arg(DB::ts_to_db(c.created_at))
            .arg(c.deleted_at.map(DB::ts_to_db))
            .arg(c.version)
            .execute(&mut *conn)
            .await
            .map_err(db)?;
        Ok(())
    }

    pub(crate) async fn insert_token(
        conn: &mut DB::Connection,
        t: &AccessToken,
    ) -> StoreResult<()> {
        sqlx::query::<DB>(q::INSERT_TOKEN)
            .arg(t.id.as_uuid())
            .arg(t.org.as_uuid())
            .arg(t.contact.as_uuid())
            .arg(t.purpose.as_str())
            .arg(t.hash.as_bytes().as_slice())
            .arg(DB::ts_to_db(t.created_at))
            .arg(DB::ts_to_db(t.expires_at))
            .execute(&mut *conn)
            .await
            .map_err(db)?;
        Ok(())
    }

    /// Inserts a session for its contact (nothing, and `NotFound`, if the contact
    /// is gone), on `conn`: a relaxed connection, or a transaction's.
    pub(crate) async fn insert_session(
        conn: &mut DB::Connection,
        s: &SessionRecord,
    ) -> StoreResult<()> {
        let inserted = sqlx::query::<DB>(q::INSERT_SESSION)
            .arg(s.id.as_uuid())
            .arg(s.token_hash.as_bytes().as_slice())
            .arg(s.org.as_uuid())
            .arg(s.customer.as_uuid())
            .arg(s.contact.as_uuid())
            .arg(DB::ts_to_db(s.created_at))
            .arg(DB::ts_to_db(s.last_seen_at))
            .execute(&mut *conn)
            .await
            .map_err(db)
            .map_err(|e| match e {
                StoreError::Conflict(_) => StoreError::Conflict(Rule::Exists(Entity::Session)),
                other => other,
            })?;
        if inserted.rows_affected() == 0 {
            return Err(StoreError::NotFound(Entity::Contact));
        }
        Ok(())
    }

    /// Why a conditional update of a contact touched no row.
    pub(crate) async fn contact_miss(
        conn: &mut DB::Connection,
        org: OrgId,
        id: ContactId,
        version: Option<i64>,
    ) -> StoreError {
        let row = sqlx::query::<DB>(q::CONTACT_STATE)
            .arg(org.as_uuid())
            .arg(id.as_uuid())
            .fetch_optional(&mut *conn)
            .await;
        match row {
            Err(e) => db(e),
            Ok(None) => StoreError::NotFound(Entity::Contact),
            Ok(Some(row)) => {
                let deleted = opt_at(&row, "deleted_at")
                    .map(|d| d.is_some())
                    .unwrap_or(true);
                let stored: i64 = get(&row, "version").unwrap_or_default();
                if deleted {
                    StoreError::NotFound(Entity::Contact)
                } else if version.is_some_and(|v| v != stored) {
                    StoreError::ConcurrentModification(Entity::Contact)
                } else {
                    StoreError::Conflict(Rule::ContactPortalStatus)
                }
            }
        }
    }

    pub(crate) async fn live_contact(
        conn: &mut DB::Connection,
        org: OrgId,
        id: ContactId,
    ) -> StoreResult<ContactPerson> {
        let row = sqlx::query::<DB>(q::SELECT_CONTACT)
            .arg(org.as_uuid())
            .arg(id.as_uuid())
            .fetch_optional(&mut *conn)
            .await
            .map_err(db)?
            .ok_or(StoreError::NotFound(Entity::Contact))?;
        let contact = Self::contact_from(&row)?;
        if contact.is_deleted() {
            return Err(StoreError::NotFound(Entity::Contact));
        }
        Ok(contact)
    }

    pub(crate) async fn end_all_access(
        conn: &mut DB::Connection,
        org: OrgId,
        contact: ContactId,
    ) -> StoreResult<()> {
        sqlx::query::<DB>(q::DELETE_SESSIONS_OF_CONTACT)
            .arg(contact.as_uuid())
            .arg(org.as_uuid())
            .execute(&mut *conn)
            .await
            .map_err(db)?;
        sqlx::query::<DB>(q::DELETE_TOKENS_OF_CONTACT)
            .arg(contact.as_uuid())
            .arg(org.as_uuid())
            .execute(&mut *conn)
            .await
            .map_err(db)?;
        Ok(())
    }
}
