//! Portal access: invitations, single-use tokens, access removal, sign-in throttling.

use std::fmt::Debug;

use async_trait::async_trait;
use time::OffsetDateTime;

use crate::auth::{AccessToken, ClientKey, SessionRecord, TokenPurpose};
use crate::domain::{
    ContactId, ContactPerson, Customer, Email, OrgId, Organization, OutboxEmail, PortalSlug,
    UserPreferences,
};
use crate::domain::{PasswordHash, TokenHash, TokenKey};

use super::StoreResult;

/// One contact's invitation, part of an [`InvitationBatch`].
#[derive(Debug, Clone)]
pub struct Invitation {
    /// The contact as it should be stored (status invited); `version` is the version
    /// it was read at.
    pub contact: ContactPerson,
    /// The new invitation token; every earlier invitation token of the contact is
    /// voided.
    pub token: AccessToken,
    /// The invitation email, queued in the same operation.
    pub email: OutboxEmail,
}

/// Invitations issued together (enable access, reinvite).
#[derive(Debug, Clone)]
pub struct InvitationBatch {
    /// The organization.
    pub org: OrgId,
    /// The organization's portal user cap, checked after the batch is applied.
    pub portal_user_cap: u32,
    /// The invitations.
    pub invitations: Vec<Invitation>,
}

/// The redemption of a single-use token (accept an invitation, reset a password).
#[derive(Debug, Clone)]
pub struct TokenRedemption {
    /// The organization.
    pub org: OrgId,
    /// The contact the token belongs to.
    pub contact: ContactId,
    /// The token's hash.
    pub token_hash: TokenHash,
    /// What it must be for.
    pub purpose: TokenPurpose,
    /// The time of redemption; the token must not have expired by then.
    pub now: OffsetDateTime,
    /// The new password hash.
    pub password_hash: PasswordHash,
    /// New preferences (invitations), or `None` to keep them.
    pub preferences: Option<UserPreferences>,
    /// A session to start, or `None`.
    pub new_session: Option<SessionRecord>,
}

/// What a sign-in reads before it checks the password.
#[derive(Debug, Clone)]
pub struct SignInSubject {
    /// The organization of the portal.
    pub org: Organization,
    /// Its live contact with the email and that contact's customer, if there is
    /// such a contact. The customer is returned even if it is deleted: the sign-in
    /// refuses it after the password check, like a disabled contact.
    pub contact: Option<(ContactPerson, Customer)>,
    /// The email's failed sign-ins in the organization since the given moment,
    /// from every client, oldest first.
    pub failures: Vec<SignInFailure>,
}

/// One failed sign-in: when, and from which client.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SignInFailure {
    /// When it failed.
    pub at: OffsetDateTime,
    /// The client it came from.
    pub client: ClientKey,
}

/// Portal access: invitations, single-use tokens, access removal, sign-in throttling.
#[async_trait]
pub trait AccessStore: Debug + Send + Sync + 'static {
    /// Applies a batch of invitations atomically: each contact must be live and at
    /// its expected version (`ConcurrentModification` otherwise); its earlier
    /// invitation tokens are voided; tokens and emails are inserted. If the
    /// organization's invited-or-active contacts would then exceed the cap,
    /// `LimitReached` and nothing changes. Returns the stored contacts.
    async fn issue_invitations(&self, batch: &InvitationBatch) -> StoreResult<Vec<ContactPerson>>;
    /// Inserts a password-reset token (voiding the contact's earlier ones) and its
    /// email.
    async fn issue_password_reset(
        &self,
        token: &AccessToken,
        email: &OutboxEmail,
    ) -> StoreResult<()>;
    /// The token with this key (within the organization it names, if any), if it
    /// was issued and not yet used or voided.
    async fn access_token(&self, key: &TokenKey) -> StoreResult<AccessToken>;
    /// Redeems a token atomically: it must exist for this org, contact and purpose
    /// and be unexpired at `now` (`NotFound(Entity::Token)` otherwise, so two concurrent
    /// redemptions cannot both succeed); the contact must be live and invited (for
    /// an invitation) or active (for a reset) (`Conflict` otherwise). Sets the
    /// password (and preferences), makes the contact active, voids all its tokens of
    /// that purpose, ends all its sessions and starts `new_session`.
    async fn redeem_token(&self, redemption: &TokenRedemption) -> StoreResult<ContactPerson>;
    /// Disables portal access of the given contacts of the organization (those
    /// invited or active; others are left as they are): ends their sessions and
    /// voids their tokens. Returns the contacts that changed.
    async fn disable_access(
        &self,
        org: OrgId,
        contacts: &[ContactId],
    ) -> StoreResult<Vec<ContactPerson>>;
    /// Records a failed sign-in for (org, email) from `failure.client` at
    /// `failure.at`, forgets the email's failures before `window_start`, and
    /// returns how many remain (from every client).
    async fn record_sign_in_failure(
        &self,
        org: OrgId,
        email: &Email,
        failure: SignInFailure,
        window_start: OffsetDateTime,
    ) -> StoreResult<u32>;
    /// The failed sign-ins for (org, email) at or after `since`, from every
    /// client, oldest first.
    async fn sign_in_failures(
        &self,
        org: OrgId,
        email: &Email,
        since: OffsetDateTime,
    ) -> StoreResult<Vec<SignInFailure>>;
    /// What a sign-in to the portal at `slug` by `email` reads before it checks the
    /// password, in one round trip: the organization, its live contact with that
    /// email and the contact's customer (`None` if there is no such contact) and
    /// the email's failed sign-ins at or after
    /// `since`, as [`Self::sign_in_failures`] lists them. `NotFound(Organization)`
    /// for an unknown slug.
    async fn sign_in_subject(
        &self,
        slug: &PortalSlug,
        email: &Email,
        since: OffsetDateTime,
    ) -> StoreResult<SignInSubject>;
    /// Forgets the failed sign-ins for (org, email), after a successful sign-in.
    async fn clear_sign_in_failures(&self, org: OrgId, email: &Email) -> StoreResult<()>;
}
