//! Portal sessions and password changes.

use std::fmt::Debug;

use async_trait::async_trait;
use time::OffsetDateTime;

use crate::auth::SessionRecord;
use crate::domain::{ContactId, ContactPerson, Customer, OrgId, Organization, SessionId};
use crate::domain::{PasswordHash, TokenKey};

use super::StoreResult;

/// A password change by a signed-in user.
#[derive(Debug, Clone)]
pub struct PasswordChange {
    /// The organization.
    pub org: OrgId,
    /// The contact.
    pub contact: ContactId,
    /// The version the contact was read at.
    pub expected_version: i64,
    /// The new hash.
    pub password_hash: PasswordHash,
    /// The session that stays signed in; every other session of the contact ends.
    pub keep_session: Option<SessionId>,
}

/// A session with what every request of it needs: its contact, the contact's
/// customer and the organization, as one read.
#[derive(Debug, Clone)]
pub struct SessionContext {
    /// The session.
    pub session: SessionRecord,
    /// The signed-in contact (possibly deleted or disabled since).
    pub contact: ContactPerson,
    /// The contact's customer (possibly deleted since).
    pub customer: Customer,
    /// The organization.
    pub org: Organization,
}

/// Portal sessions.
#[async_trait]
pub trait SessionStore: Debug + Send + Sync + 'static {
    /// Starts a session.
    async fn create_session(&self, session: &SessionRecord) -> StoreResult<()>;
    /// The session with this token key (within the organization it names, if
    /// any).
    async fn session(&self, key: &TokenKey) -> StoreResult<SessionRecord>;
    /// The session with this token hash and its contact, customer and organization,
    /// in one round trip: what [`Portal::session`](crate::service::Portal::session) runs on
    /// every request. `NotFound(Session)` for an unknown hash.
    async fn session_context(&self, key: &TokenKey) -> StoreResult<SessionContext>;
    /// Records use of the organization's session at `at` (never moving it back).
    /// `NotFound(Session)` if it is not that organization's.
    async fn touch_session(&self, org: OrgId, id: SessionId, at: OffsetDateTime)
    -> StoreResult<()>;
    /// Ends one of the organization's sessions (sign-out, expiry). Ending an ended
    /// session, or another organization's, changes nothing and is no error.
    async fn end_session(&self, org: OrgId, id: SessionId) -> StoreResult<()>;
    /// Sets a new password if the contact is at `expected_version`, and ends every
    /// session of the contact but `keep_session`.
    async fn change_password(&self, change: &PasswordChange) -> StoreResult<ContactPerson>;
}
