//! The portal side before a session exists: accept an invitation, sign in, reset a
//! forgotten password, resolve a session token.

use std::fmt;

use tracing::instrument;

use super::sessions::PortalSession;
use super::{Portal, not_found_as};
use crate::auth::{AccessToken, ClientKey, Password, SecretToken, SessionRecord, TokenPurpose};
use crate::domain::{
    ContactPerson, Email, EmailKind, OutboxEmail, PortalSlug, PortalStatus, SessionId, TokenId,
    UserPreferences,
};
use crate::error::{Error, Result};
use crate::store::Entity;
use crate::store::{SessionContext, SignInFailure, SignInSubject, StoreError, TokenRedemption};

/// What a person submits to accept an invitation (A3).
#[derive(Clone)]
pub struct AcceptInvitation {
    /// The new password.
    pub password: String,
    /// The password typed again.
    pub password_confirmation: String,
    /// Display preferences; `None` takes the organization's defaults.
    pub preferences: Option<UserPreferences>,
}

impl fmt::Debug for AcceptInvitation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AcceptInvitation")
            .field("preferences", &self.preferences)
            .finish_non_exhaustive()
    }
}

/// A successful sign-in: the session token to hand to the browser (in a secure,
/// http-only cookie) and the session itself.
#[derive(Debug)]
pub struct SignedIn {
    /// The session token; only its hash is stored.
    pub token: SecretToken,
    /// The scoped session.
    pub session: PortalSession,
    /// The organization's banner, when this is the user's first sign-in (P2).
    pub banner: Option<String>,
}

impl Portal {
    async fn usable_token(&self, token: &str, purpose: TokenPurpose) -> Result<AccessToken> {
        let key = SecretToken::from_text(token).key();
        let record = self
            .inner
            .store
            .access_token(&key)
            .await
            .map_err(|e| not_found_as(e, Error::InvalidLink))?;
        if !key.finds(record.org, &record.hash) || !record.usable_for(purpose, self.now()) {
            return Err(Error::InvalidLink);
        }
        Ok(record)
    }

    fn new_session(&self, contact: &ContactPerson) -> Result<(SecretToken, SessionRecord)> {
        let token = SecretToken::generate_for(contact.org)?;
        let now = self.now();
        let record = SessionRecord {
            id: SessionId::new(),
            token_hash: token.hash(),
            org: contact.org,
            customer: contact.customer,
            contact: contact.id,
            created_at: now,
            last_seen_at: now,
        };
        Ok((token, record))
    }

    /// Accepts an invitation (A3): the link's token must be valid, unused and
    /// unexpired; the password must meet the policy. The contact becomes active and
    /// is signed in.
    ///
    /// # Errors
    /// [`Error::InvalidLink`], [`Error::PasswordPolicy`],
    /// [`Error::PasswordConfirmationMismatch`], [`Error::Preference`],
    /// [`Error::PortalDisabled`].
    #[instrument(skip_all)]
    pub async fn accept_invitation(
        &self,
        token: &str,
        input: AcceptInvitation,
    ) -> Result<SignedIn> {
        let record = self.usable_token(token, TokenPurpose::Invitation).await?;
        let store = &self.inner.store;
        let org = store.org(record.org).await?;
        if !org.settings.enabled {
            return Err(Error::PortalDisabled);
        }
        let contact = store
            .contact(record.org, record.contact)
            .await
            .map_err(|e| not_found_as(e, Error::InvalidLink))?;
        let password = Password::chosen(
            &input.password,
            &input.password_confirmation,
            contact.email.as_ref(),
        )?;
        let preferences = input
            .preferences
            .unwrap_or_else(|| org.settings.default_user_preferences.clone());
        preferences.validate()?;
        let password_hash = self.inner.hashing.hash(password).await?;
        let (session_token, session) = self.new_session(&contact)?;
        let redeemed = store
            .redeem_token(&TokenRedemption {
                org: record.org,
                contact: record.contact,
                token_hash: record.hash,
                purpose: TokenPurpose::Invitation,
                now: self.now(),
                password_hash,
                preferences: Some(preferences),
                new_session: Some(session.clone()),
            })
            .await
            .map_err(|e| match e {
                StoreError::NotFound(_) | StoreError::Conflict(_) => Error::InvalidLink,
                other => other.into(),
            })?;
        tracing::info!(org = %record.org, contact = %record.contact, "invitation accepted");
        let customer = store.customer(record.org, redeemed.customer).await?;
        Ok(SignedIn {
            token: session_token,
            banner: org.settings.banner.clone(),
            session: PortalSession::new(self.clone(), session, org, customer, redeemed),
        })
    }

    /// Signs in to the portal with this slug (A4) from `client` (the client's
    /// network address, or a key the host trusts: see [`ClientKey`]). Sign-in is per
    /// portal: the same email can belong to contacts of several organizations. A
    /// wrong password, an unknown email, an invited-but-not-active or disabled
    /// contact all give [`Error::InvalidCredentials`] after the same amount of
    /// hashing work. After repeated failures for one email from this client, or
    /// many more from all clients together ([`ThrottlePolicy`](crate::auth::ThrottlePolicy)),
    /// [`Error::TooManyAttempts`] until the window passes: knowing a customer's
    /// email is not enough to lock them out from their own device.
    ///
    /// # Errors
    /// [`Error::NotFound`] for an unknown portal, [`Error::PortalDisabled`],
    /// [`Error::InvalidCredentials`], [`Error::TooManyAttempts`].
    #[instrument(skip_all, fields(portal = %slug))]
    pub async fn sign_in(
        &self,
        slug: &str,
        email: &str,
        password: &str,
        client: &ClientKey,
    ) -> Result<SignedIn> {
        let store = &self.inner.store;
        let slug = PortalSlug::parse(slug).map_err(|_| Error::NotFound(Entity::Portal))?;
        let portal_not_found = |e| not_found_as(e, Error::NotFound(Entity::Portal));
        let Ok(email) = Email::parse(email) else {
            let org = store.org_by_slug(&slug).await.map_err(portal_not_found)?;
            if !org.settings.enabled {
                return Err(Error::PortalDisabled);
            }
            self.inner.hashing.verify_dummy(password).await;
            return Err(Error::InvalidCredentials);
        };
        let now = self.now();
        let throttle = self.inner.config.throttle;
        // A failure counts while it is younger than the window; timestamps are whole
        // microseconds, so "at or after start + 1 µs" is "strictly inside the window".
        let window_start = now - throttle.window + time::Duration::microseconds(1);
        // The organization, the contact with its customer and the failures in one
        // read; the contact is used only if the portal is on and the throttle lets
        // the attempt through. After the password check only the session is written.
        let SignInSubject {
            org,
            contact,
            failures,
        } = store
            .sign_in_subject(&slug, &email, window_start)
            .await
            .map_err(portal_not_found)?;
        if !org.settings.enabled {
            return Err(Error::PortalDisabled);
        }
        // From this client first, then from everywhere at a much higher count.
        let from_here: Vec<_> = failures
            .iter()
            .filter(|f| f.client == *client)
            .map(|f| f.at)
            .collect();
        let from_anywhere: Vec<_> = failures.iter().map(|f| f.at).collect();
        for (seen, max) in [
            (&from_here, throttle.max_failures),
            (&from_anywhere, throttle.max_failures_per_email),
        ] {
            let max = usize::try_from(max).unwrap_or(usize::MAX).max(1);
            if seen.len() >= max {
                // Allowed again once the oldest failure that counts leaves the window.
                let retry_after = seen[seen.len() - max] + throttle.window;
                tracing::warn!(org = %org.id, "sign-in throttled");
                return Err(Error::TooManyAttempts {
                    retry_after,
                    retry_in: retry_after - now,
                });
            }
        }
        let verified = match contact
            .as_ref()
            .and_then(|(c, _)| c.password_hash.as_ref().map(|h| (c, h)))
        {
            Some((c, hash)) => {
                let ok = self.inner.hashing.verify(password, hash).await;
                ok && c.portal_status == PortalStatus::Active && !c.is_deleted()
            }
            None => {
                self.inner.hashing.verify_dummy(password).await;
                false
            }
        };
        let Some((contact, customer)) = contact.filter(|_| verified) else {
            let failure = SignInFailure {
                at: now,
                client: *client,
            };
            store
                .record_sign_in_failure(org.id, &email, failure, window_start)
                .await?;
            tracing::info!(org = %org.id, "sign-in failed");
            return Err(Error::InvalidCredentials);
        };
        // Deleting a customer deletes its contacts with it: a live contact of a
        // deleted customer was read mid-deletion. Refused, as a session check would.
        if customer.is_deleted() {
            return Err(Error::ContactDeleted);
        }
        let (token, session) = self.new_session(&contact)?;
        store.create_session(&session).await?;
        // Failures are read above; with none there is nothing to clear.
        if !failures.is_empty() {
            store.clear_sign_in_failures(org.id, &email).await?;
        }
        tracing::info!(org = %org.id, contact = %contact.id, session = %session.id, "signed in");
        Ok(SignedIn {
            token,
            banner: None,
            session: PortalSession::new(self.clone(), session, org, customer, contact),
        })
    }

    /// Starts a password reset (A7): if an active portal user has this email in this
    /// portal, a single-use, short-lived link is emailed. Answers the same whether or
    /// not the email exists.
    ///
    /// # Errors
    /// [`Error::NotFound`] for an unknown portal, [`Error::Email`] for a malformed
    /// address.
    #[instrument(skip_all, fields(portal = %slug))]
    pub async fn request_password_reset(&self, slug: &str, email: &str) -> Result<()> {
        let store = &self.inner.store;
        let slug = PortalSlug::parse(slug).map_err(|_| Error::NotFound(Entity::Portal))?;
        let org = store
            .org_by_slug(&slug)
            .await
            .map_err(|e| not_found_as(e, Error::NotFound(Entity::Portal)))?;
        let email = Email::parse(email)?;
        let contact = match store.contact_by_email(org.id, &email).await {
            Ok(c) if c.portal_status == PortalStatus::Active && org.settings.enabled => c,
            Ok(_) | Err(StoreError::NotFound(_)) => return Ok(()),
            Err(e) => return Err(e.into()),
        };
        let secret = SecretToken::generate_for(org.id)?;
        let now = self.now();
        let link = format!(
            "{}/reset-password/{}",
            self.portal_url(&org.slug),
            secret.expose()
        );
        let minutes = self.inner.config.reset_ttl.whole_minutes();
        let reader = crate::i18n::Reader::of(&contact, &org);
        let args = [
            ("name", crate::i18n::arg(contact.full_name())),
            ("org", crate::i18n::arg(&org.name)),
            ("link", crate::i18n::arg(&link)),
            ("minutes", crate::i18n::FluentValue::from(minutes)),
        ];
        let body = reader.text("reset-body", &args) + "\n";
        let subject = reader.text("reset-subject", &args);
        let token = AccessToken {
            id: TokenId::new(),
            org: org.id,
            contact: contact.id,
            purpose: TokenPurpose::PasswordReset,
            hash: secret.hash(),
            created_at: now,
            expires_at: now + self.inner.config.reset_ttl,
        };
        let mail = OutboxEmail::new(org.id, EmailKind::PasswordReset, email, subject, body, now);
        store.issue_password_reset(&token, &mail).await?;
        tracing::info!(org = %org.id, contact = %contact.id, "password reset issued");
        Ok(())
    }

    /// Sets a new password with a reset link (A7). Every session of the user ends;
    /// they sign in with the new password.
    ///
    /// # Errors
    /// [`Error::InvalidLink`], [`Error::PasswordPolicy`],
    /// [`Error::PasswordConfirmationMismatch`].
    #[instrument(skip_all)]
    pub async fn reset_password(
        &self,
        token: &str,
        password: &str,
        confirmation: &str,
    ) -> Result<()> {
        let record = self
            .usable_token(token, TokenPurpose::PasswordReset)
            .await?;
        let store = &self.inner.store;
        let contact = store
            .contact(record.org, record.contact)
            .await
            .map_err(|e| not_found_as(e, Error::InvalidLink))?;
        let password = Password::chosen(password, confirmation, contact.email.as_ref())?;
        let password_hash = self.inner.hashing.hash(password).await?;
        store
            .redeem_token(&TokenRedemption {
                org: record.org,
                contact: record.contact,
                token_hash: record.hash,
                purpose: TokenPurpose::PasswordReset,
                now: self.now(),
                password_hash,
                preferences: None,
                new_session: None,
            })
            .await
            .map_err(|e| match e {
                StoreError::NotFound(_) | StoreError::Conflict(_) => Error::InvalidLink,
                other => other.into(),
            })?;
        if let Some(email) = &contact.email {
            store.clear_sign_in_failures(record.org, email).await?;
        }
        tracing::info!(org = %record.org, contact = %record.contact, "password reset");
        Ok(())
    }

    /// Resolves a session token into a [`PortalSession`] scoped to its organization,
    /// customer and contact (A5). Expired sessions end here.
    ///
    /// # Errors
    /// [`Error::SessionExpired`] for an unknown, ended or expired session;
    /// [`Error::ContactDeleted`] (CP1003) if the contact or customer was deleted;
    /// [`Error::PortalDisabled`].
    #[instrument(skip_all)]
    pub async fn session(&self, token: &str) -> Result<PortalSession> {
        let key = SecretToken::from_text(token).key();
        let store = &self.inner.store;
        let SessionContext {
            session: mut record,
            contact,
            customer,
            org,
        } = store.session_context(&key).await.map_err(|e| match e {
            StoreError::NotFound(Entity::Session) => Error::SessionExpired,
            e => not_found_as(e, Error::ContactDeleted),
        })?;
        let now = self.now();
        let policy = self.inner.config.sessions;
        if !key.finds(record.org, &record.token_hash) {
            return Err(Error::SessionExpired);
        }
        if let Some(why) = policy.expiry(&record, now) {
            store.end_session(record.org, record.id).await?;
            tracing::info!(session = %record.id, ?why, "session expired");
            return Err(Error::SessionExpired);
        }
        if contact.is_deleted() || customer.is_deleted() {
            return Err(Error::ContactDeleted);
        }
        if contact.portal_status != PortalStatus::Active {
            store.end_session(record.org, record.id).await?;
            return Err(Error::SessionExpired);
        }
        if !org.settings.enabled {
            return Err(Error::PortalDisabled);
        }
        if policy.needs_touch(&record, now) {
            store.touch_session(record.org, record.id, now).await?;
            record.last_seen_at = now;
        }
        Ok(PortalSession::new(
            self.clone(),
            record,
            org,
            customer,
            contact,
        ))
    }

    /// Signs out the session with this token (A5). Unknown tokens are no error.
    ///
    /// # Errors
    /// Store errors.
    #[instrument(skip_all)]
    pub async fn sign_out(&self, token: &str) -> Result<()> {
        let key = SecretToken::from_text(token).key();
        match self.inner.store.session(&key).await {
            Ok(record) => {
                self.inner.store.end_session(record.org, record.id).await?;
                tracing::info!(session = %record.id, "signed out");
                Ok(())
            }
            Err(StoreError::NotFound(_)) => Ok(()),
            Err(e) => Err(e.into()),
        }
    }
}
