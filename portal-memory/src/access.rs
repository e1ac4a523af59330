//! Portal access in `MemoryStore`: invitations, tokens, sign-in failures.

use crate::MemoryStore;
use crate::store::State;
use crate::store::counts;
use async_trait::async_trait;
use portal_core::auth::{AccessToken, TokenPurpose};
use portal_core::domain::TokenKey;
use portal_core::domain::{
    ContactId, ContactPerson, Email, OrgId, OutboxEmail, PortalSlug, PortalStatus,
};
use portal_core::store::{
    AccessStore, InvitationBatch, SignInFailure, SignInSubject, StoreError, StoreResult,
    TokenRedemption,
};
use portal_core::store::{Entity, Rule};
use std::collections::HashSet;
use time::OffsetDateTime;

#[async_trait]
impl AccessStore for MemoryStore {
    async fn issue_invitations(&self, batch: &InvitationBatch) -> StoreResult<Vec<ContactPerson>> {
        let mut s = self.lock();
        let mut added: u64 = 0;
        let mut seen = HashSet::new();
        for inv in &batch.invitations {
            let c = &inv.contact;
            if c.org != batch.org || inv.token.org != batch.org || inv.email.org != batch.org {
                return Err(StoreError::Conflict(Rule::InvitationOfAnotherOrganization));
            }
            if !seen.insert(c.id) {
                return Err(StoreError::Conflict(Rule::ContactInvitedTwice));
            }
            let stored = s.live_contact_at(c.org, c.id, c.version)?;
            if !counts(stored) && c.portal_status.counts_as_portal_user() {
                added += 1;
            }
            if s.tokens.contains_key(&inv.token.hash) {
                return Err(StoreError::Conflict(Rule::Exists(Entity::Token)));
            }
            s.check_email_id(&inv.email)?;
        }
        let current = s.portal_users.get(&batch.org).copied().unwrap_or(0);
        let cap = u64::from(batch.portal_user_cap);
        if current + added > cap {
            return Err(StoreError::LimitReached {
                what: portal_core::store::Limit::PortalUsers,
                limit: cap,
            });
        }
        let mut out = Vec::with_capacity(batch.invitations.len());
        for inv in &batch.invitations {
            // Only the portal status changes; the rest is as stored (the version
            // check above proved the caller read exactly that).
            let Some(mut saved) = s.contacts.get(&inv.contact.id).cloned() else {
                return Err(StoreError::NotFound(Entity::Contact));
            };
            saved.portal_status = inv.contact.portal_status;
            saved.version += 1;
            s.void_tokens(saved.id, Some(TokenPurpose::Invitation));
            s.insert_token(&inv.token)?;
            s.put_email(inv.email.clone());
            s.put_contact(saved.clone());
            out.push(saved);
        }
        Ok(out)
    }

    async fn issue_password_reset(
        &self,
        token: &AccessToken,
        email: &OutboxEmail,
    ) -> StoreResult<()> {
        let mut s = self.lock();
        let c = s.contact_in(token.org, token.contact)?;
        if c.is_deleted() {
            return Err(StoreError::NotFound(Entity::Contact));
        }
        if s.tokens.contains_key(&token.hash) {
            return Err(StoreError::Conflict(Rule::Exists(Entity::Token)));
        }
        s.check_email_id(email)?;
        s.void_tokens(token.contact, Some(TokenPurpose::PasswordReset));
        s.insert_token(token)?;
        s.put_email(email.clone());
        Ok(())
    }

    async fn access_token(&self, key: &TokenKey) -> StoreResult<AccessToken> {
        self.lock()
            .tokens
            .get(&key.hash)
            .filter(|t| key.finds(t.org, &t.hash))
            .cloned()
            .ok_or(StoreError::NotFound(Entity::Token))
    }

    async fn redeem_token(&self, r: &TokenRedemption) -> StoreResult<ContactPerson> {
        let mut s = self.lock();
        let usable = s.tokens.get(&r.token_hash).is_some_and(|t| {
            t.org == r.org
                && t.contact == r.contact
                && t.purpose == r.purpose
                && r.now < t.expires_at
        });
        if !usable {
            return Err(StoreError::NotFound(Entity::Token));
        }
        let stored = s.contact_in(r.org, r.contact)?;
        let required = match r.purpose {
            TokenPurpose::Invitation => PortalStatus::Invited,
            TokenPurpose::PasswordReset => PortalStatus::Active,
        };
        if stored.is_deleted() || stored.portal_status != required {
            return Err(StoreError::Conflict(Rule::ContactPortalStatus));
        }
        if let Some(session) = &r.new_session
            && (s.sessions.contains_key(&session.token_hash)
                || s.session_hash.contains_key(&session.id))
        {
            return Err(StoreError::Conflict(Rule::Exists(Entity::Session)));
        }
        let mut saved = stored.clone();
        saved.portal_status = PortalStatus::Active;
        saved.password_hash = Some(r.password_hash.clone());
        if let Some(p) = &r.preferences {
            saved.preferences = Some(p.clone());
        }
        saved.version += 1;
        s.void_tokens(r.contact, Some(r.purpose));
        s.end_sessions(r.contact, None);
        s.put_contact(saved.clone());
        if let Some(session) = &r.new_session {
            s.insert_session(session)?;
        }
        Ok(saved)
    }

    async fn disable_access(
        &self,
        org: OrgId,
        contacts: &[ContactId],
    ) -> StoreResult<Vec<ContactPerson>> {
        let mut s = self.lock();
        let mut out = Vec::new();
        for id in contacts {
            let Some(stored) = s
                .contacts
                .get(id)
                .filter(|c| c.org == org && !c.is_deleted())
            else {
                continue;
            };
            if !stored.portal_status.counts_as_portal_user() {
                continue;
            }
            let mut saved = stored.clone();
            saved.portal_status = PortalStatus::Disabled;
            saved.version += 1;
            s.end_sessions(*id, None);
            s.void_tokens(*id, None);
            s.put_contact(saved.clone());
            out.push(saved);
        }
        Ok(out)
    }

    async fn record_sign_in_failure(
        &self,
        org: OrgId,
        email: &Email,
        failure: SignInFailure,
        window_start: OffsetDateTime,
    ) -> StoreResult<u32> {
        let mut s = self.lock();
        let list = s.failures.entry((org, email.clone())).or_default();
        list.retain(|f| f.at >= window_start);
        list.push(failure);
        Ok(u32::try_from(list.len()).unwrap_or(u32::MAX))
    }

    async fn sign_in_failures(
        &self,
        org: OrgId,
        email: &Email,
        since: OffsetDateTime,
    ) -> StoreResult<Vec<SignInFailure>> {
        Ok(self.lock().failures_since(org, email, since))
    }

    async fn sign_in_subject(
        &self,
        slug: &PortalSlug,
        email: &Email,
        since: OffsetDateTime,
    ) -> StoreResult<SignInSubject> {
        let s = self.lock();
        let org = s
            .org_by_slug
            .get(slug)
            .and_then(|id| s.orgs.get(id))
            .cloned()
            .ok_or(StoreError::NotFound(Entity::Organization))?;
        let key = (org.id, email.clone());
        let contact = s
            .contact_by_email
            .get(&key)
            .and_then(|id| s.contacts.get(id))
            .filter(|c| !c.is_deleted())
            .map(|c| {
                let customer = s
                    .customers
                    .get(&c.customer)
                    .cloned()
                    .ok_or(StoreError::NotFound(Entity::Customer))?;
                Ok::<_, StoreError>((c.clone(), customer))
            })
            .transpose()?;
        let failures = s.failures_since(org.id, email, since);
        Ok(SignInSubject {
            org,
            contact,
            failures,
        })
    }

    async fn clear_sign_in_failures(&self, org: OrgId, email: &Email) -> StoreResult<()> {
        self.lock().failures.remove(&(org, email.clone()));
        Ok(())
    }
}

impl State {
    /// The email's failures at or after `since`, oldest first.
    fn failures_since(
        &self,
        org: OrgId,
        email: &Email,
        since: OffsetDateTime,
    ) -> Vec<SignInFailure> {
        let mut list: Vec<SignInFailure> = self
            .failures
            .get(&(org, email.clone()))
            .map(|l| l.iter().filter(|f| f.at >= since).copied().collect())
            .unwrap_or_default();
        list.sort_by_key(|f| f.at);
        list
    }
}
