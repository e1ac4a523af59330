//! Invitations, tokens, sign-in failures and password changes (A1–A10). Plain Rust over either engine.

use crate::engine::by_token;
use async_trait::async_trait;
use portal_core::auth::{AccessToken, ClientKey, TokenPurpose};
use portal_core::domain::TokenKey;
use portal_core::domain::{
    ContactId, ContactPerson, Email, OrgId, OutboxEmail, PortalSlug, PortalStatus,
};
use portal_core::store::{
    AccessStore, Entity, InvitationBatch, Rule, SignInFailure, SignInSubject, StoreError,
    StoreResult, TokenRedemption,
};
use sqlx::Executor;
use sqlx::types::Json;
use time::OffsetDateTime;

use crate::engine::{Bind as _, Engine, SqlStore};
use crate::error::db;
use crate::shared::{at, count, first, get, insert_email};
use crate::sql::common as q;
use portal_core::store::OrgStore as _;

#[async_trait]
impl<DB> AccessStore for SqlStore<DB>
where
    DB: Engine,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
{
    async fn issue_invitations(&self, batch: &InvitationBatch) -> StoreResult<Vec<ContactPerson>> {
        let mut seen = std::collections::HashSet::new();
        for inv in &batch.invitations {
            if inv.contact.org != batch.org
                || inv.token.org != batch.org
                || inv.email.org != batch.org
            {
                return Err(StoreError::Conflict(Rule::InvitationOfAnotherOrganization));
            }
            if !seen.insert(inv.contact.id) {
                return Err(StoreError::Conflict(Rule::ContactInvitedTwice));
            }
        }
        let mut tx = self.begin().await?;
        // Serializes invitations per organization so the cap holds.
        sqlx::query::<DB>(DB::LOCK_ORG)
            .arg(batch.org.as_uuid())
            .fetch_optional(&mut *tx)
            .await
            .map_err(db)?
            .ok_or(StoreError::NotFound(Entity::Organization))?;
        let mut out = Vec::with_capacity(batch.invitations.len());
        for inv in &batch.invitations {
            let c = &inv.contact;
            let row = sqlx::query::<DB>(q::SET_CONTACT_STATUS)
                .arg(c.org.as_uuid())
                .arg(c.id.as_uuid())
                .arg(c.version)
                .arg(c.portal_status.as_str())
                .fetch_optional(&mut *tx)
                .await
                .map_err(db)?;
            let Some(row) = row else {
                return Err(Self::contact_miss(&mut tx, c.org, c.id, Some(c.version)).await);
            };
            sqlx::query::<DB>(q::DELETE_TOKENS_OF_CONTACT_FOR)
                .arg(c.id.as_uuid())
                .arg(TokenPurpose::Invitation.as_str())
                .arg(c.org.as_uuid())
                .execute(&mut *tx)
                .await
                .map_err(db)?;
            Self::insert_token(&mut tx, &inv.token).await?;
            insert_email::<DB>(&mut tx, &inv.email).await?;
            out.push(Self::contact_from(&row)?);
        }
        let users: i64 = first(
            &sqlx::query::<DB>(q::COUNT_PORTAL_USERS)
                .arg(batch.org.as_uuid())
                .fetch_one(&mut *tx)
                .await
                .map_err(db)?,
        )?;
        let cap = i64::from(batch.portal_user_cap);
        if users > cap {
            return Err(StoreError::LimitReached {
                what: portal_core::store::Limit::PortalUsers,
                limit: u64::from(batch.portal_user_cap),
            });
        }
        tx.commit().await.map_err(db)?;
        Ok(out)
    }

    async fn issue_password_reset(
        &self,
        token: &AccessToken,
        email: &OutboxEmail,
    ) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        Self::live_contact(&mut tx, token.org, token.contact).await?;
        sqlx::query::<DB>(q::DELETE_TOKENS_OF_CONTACT_FOR)
            .arg(token.contact.as_uuid())
            .arg(TokenPurpose::PasswordReset.as_str())
            .arg(token.org.as_uuid())
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        Self::insert_token(&mut tx, token).await?;
        insert_email::<DB>(&mut tx, email).await?;
        tx.commit().await.map_err(db)
    }

    async fn access_token(&self, key: &TokenKey) -> StoreResult<AccessToken> {
        let row = by_token::<DB>(key, q::SELECT_TOKEN, q::SELECT_TOKEN_IN_ORG)
            .fetch_optional(&self.pool)
            .await
            .map_err(db)?
            .ok_or(StoreError::NotFound(Entity::Token))?;
        Self::token_from(&row)
    }

    async fn redeem_token(&self, r: &TokenRedemption) -> StoreResult<ContactPerson> {
        let mut tx = self.begin().await?;
        // Deleting the token first makes a concurrent redemption wait on it and
        // then find nothing.
        sqlx::query::<DB>(q::CONSUME_TOKEN)
            .arg(r.token_hash.as_bytes().as_slice())
            .arg(r.org.as_uuid())
            .arg(r.contact.as_uuid())
            .arg(r.purpose.as_str())
            .arg(DB::ts_to_db(r.now))
            .fetch_optional(&mut *tx)
            .await
            .map_err(db)?
            .ok_or(StoreError::NotFound(Entity::Token))?;
        let required = match r.purpose {
            TokenPurpose::Invitation => PortalStatus::Invited,
            TokenPurpose::PasswordReset => PortalStatus::Active,
        };
        let row = sqlx::query::<DB>(q::ACTIVATE_CONTACT)
            .arg(r.org.as_uuid())
            .arg(r.contact.as_uuid())
            .arg(required.as_str())
            .arg(r.password_hash.as_phc())
            .arg(r.preferences.as_ref().map(Json))
            .fetch_optional(&mut *tx)
            .await
            .map_err(db)?;
        let Some(row) = row else {
            return Err(
                match Self::contact_miss(&mut tx, r.org, r.contact, None).await {
                    StoreError::NotFound(_) => StoreError::Conflict(Rule::ContactPortalStatus),
                    other => other,
                },
            );
        };
        let saved = Self::contact_from(&row)?;
        sqlx::query::<DB>(q::DELETE_TOKENS_OF_CONTACT_FOR)
            .arg(r.contact.as_uuid())
            .arg(r.purpose.as_str())
            .arg(r.org.as_uuid())
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        sqlx::query::<DB>(q::DELETE_SESSIONS_OF_CONTACT)
            .arg(r.contact.as_uuid())
            .arg(r.org.as_uuid())
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        if let Some(session) = &r.new_session {
            Self::insert_session(&mut tx, session).await?;
        }
        tx.commit().await.map_err(db)?;
        Ok(saved)
    }

    async fn disable_access(
        &self,
        org: OrgId,
        contacts: &[ContactId],
    ) -> StoreResult<Vec<ContactPerson>> {
        let mut tx = self.begin().await?;
        let mut out = Vec::new();
        for id in contacts {
            let row = sqlx::query::<DB>(q::DISABLE_CONTACT)
                .arg(org.as_uuid())
                .arg(id.as_uuid())
                .fetch_optional(&mut *tx)
                .await
                .map_err(db)?;
            if let Some(row) = row {
                Self::end_all_access(&mut tx, org, *id).await?;
                out.push(Self::contact_from(&row)?);
            }
        }
        tx.commit().await.map_err(db)?;
        Ok(out)
    }

    async fn record_sign_in_failure(
        &self,
        org: OrgId,
        email: &Email,
        failure: SignInFailure,
        window_start: OffsetDateTime,
    ) -> StoreResult<u32> {
        let mut tx = self.begin().await?;
        sqlx::query::<DB>(q::INSERT_FAILURE)
            .arg(org.as_uuid())
            .arg(email.as_str())
            .arg(DB::ts_to_db(failure.at))
            .arg(failure.client.as_bytes().as_slice())
            .execute(&mut *tx)
            .await
            .map_err(|e| match db(e) {
                StoreError::NotFound(_) => StoreError::NotFound(Entity::Organization),
                other => other,
            })?;
        sqlx::query::<DB>(q::PRUNE_FAILURES)
            .arg(org.as_uuid())
            .arg(email.as_str())
            .arg(DB::ts_to_db(window_start))
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        let n: i64 = first(
            &sqlx::query::<DB>(q::COUNT_FAILURES)
                .arg(org.as_uuid())
                .arg(email.as_str())
                .fetch_one(&mut *tx)
                .await
                .map_err(db)?,
        )?;
        tx.commit().await.map_err(db)?;
        count(n, "failure count")
    }

    async fn sign_in_failures(
        &self,
        org: OrgId,
        email: &Email,
        since: OffsetDateTime,
    ) -> StoreResult<Vec<SignInFailure>> {
        sqlx::query::<DB>(q::SELECT_FAILURES)
            .arg(org.as_uuid())
            .arg(email.as_str())
            .arg(DB::ts_to_db(since))
            .fetch_all(&self.pool)
            .await
            .map_err(db)?
            .iter()
            .map(|row| {
                Ok(SignInFailure {
                    at: at(row, "failed_at")?,
                    client: ClientKey::from_stored(&get::<_, Vec<u8>>(row, "client_key")?),
                })
            })
            .collect()
    }

    async fn sign_in_subject(
        &self,
        slug: &PortalSlug,
        email: &Email,
        since: OffsetDateTime,
    ) -> StoreResult<SignInSubject> {
        // The organization first (a reference table when distributed), then
        // its contact and the email's failures, each within the organization.
        let org = self.org_by_slug(slug).await?;
        let contact = sqlx::query::<DB>(q::SELECT_SIGN_IN_CONTACT)
            .arg(org.id.as_uuid())
            .arg(email.as_str())
            .fetch_optional(&self.pool)
            .await
            .map_err(db)?
            .map(|row| {
                Ok::<_, StoreError>((
                    Self::contact_at(&row, "c_")?,
                    Self::customer_at(&row, "u_")?,
                ))
            })
            .transpose()?;
        let failures = self.sign_in_failures(org.id, email, since).await?;
        Ok(SignInSubject {
            org,
            contact,
            failures,
        })
    }

    async fn clear_sign_in_failures(&self, org: OrgId, email: &Email) -> StoreResult<()> {
        sqlx::query::<DB>(q::CLEAR_FAILURES)
            .arg(org.as_uuid())
            .arg(email.as_str())
            .execute(&self.pool)
            .await
            .map_err(db)?;
        Ok(())
    }
}
