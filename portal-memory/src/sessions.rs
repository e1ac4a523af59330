//! Portal sessions and password changes in `MemoryStore`.

use crate::MemoryStore;
use async_trait::async_trait;
use portal_core::auth::SessionRecord;
use portal_core::domain::TokenKey;
use portal_core::domain::{ContactPerson, OrgId, PortalStatus, SessionId};
use portal_core::store::{Entity, Rule};
use portal_core::store::{PasswordChange, SessionContext, SessionStore, StoreError, StoreResult};
use time::OffsetDateTime;

#[async_trait]
impl SessionStore for MemoryStore {
    async fn create_session(&self, session: &SessionRecord) -> StoreResult<()> {
        let mut s = self.lock();
        s.contact_in(session.org, session.contact)?;
        s.insert_session(session)
    }

    async fn session(&self, key: &TokenKey) -> StoreResult<SessionRecord> {
        self.lock()
            .sessions
            .get(&key.hash)
            .filter(|s| key.finds(s.org, &s.token_hash))
            .cloned()
            .ok_or(StoreError::NotFound(Entity::Session))
    }

    async fn session_context(&self, key: &TokenKey) -> StoreResult<SessionContext> {
        let s = self.lock();
        let session = s
            .sessions
            .get(&key.hash)
            .filter(|s| key.finds(s.org, &s.token_hash))
            .cloned()
            .ok_or(StoreError::NotFound(Entity::Session))?;
        let contact = s.contact_in(session.org, session.contact)?.clone();
        let customer = s
            .customers
            .get(&session.customer)
            .filter(|c| c.org == session.org)
            .cloned()
            .ok_or(StoreError::NotFound(Entity::Customer))?;
        let org = s
            .orgs
            .get(&session.org)
            .cloned()
            .ok_or(StoreError::NotFound(Entity::Organization))?;
        Ok(SessionContext {
            session,
            contact,
            customer,
            org,
        })
    }

    async fn touch_session(
        &self,
        org: OrgId,
        id: SessionId,
        at: OffsetDateTime,
    ) -> StoreResult<()> {
        let mut s = self.lock();
        let hash = *s
            .session_hash
            .get(&id)
            .ok_or(StoreError::NotFound(Entity::Session))?;
        match s.sessions.get_mut(&hash) {
            Some(session) if session.org == org => {
                session.last_seen_at = session.last_seen_at.max(at);
                Ok(())
            }
            _ => Err(StoreError::NotFound(Entity::Session)),
        }
    }

    async fn end_session(&self, org: OrgId, id: SessionId) -> StoreResult<()> {
        let mut s = self.lock();
        let Some(hash) = s.session_hash.get(&id).copied() else {
            return Ok(());
        };
        if s.sessions
            .get(&hash)
            .is_none_or(|session| session.org != org)
        {
            return Ok(());
        }
        if let Some(hash) = s.session_hash.remove(&id)
            && let Some(session) = s.sessions.remove(&hash)
            && let Some(set) = s.sessions_by_contact.get_mut(&session.contact)
        {
            set.remove(&id);
        }
        Ok(())
    }

    async fn change_password(&self, change: &PasswordChange) -> StoreResult<ContactPerson> {
        let mut s = self.lock();
        let stored = s.live_contact_at(change.org, change.contact, change.expected_version)?;
        if stored.portal_status != PortalStatus::Active {
            return Err(StoreError::Conflict(Rule::ContactPortalStatus));
        }
        let mut saved = stored.clone();
        saved.password_hash = Some(change.password_hash.clone());
        saved.version += 1;
        s.end_sessions(change.contact, change.keep_session);
        s.put_contact(saved.clone());
        Ok(saved)
    }
}
