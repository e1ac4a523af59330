//! The org side: what the host app calls, acting for an organization.

use std::collections::HashSet;

use tracing::instrument;

use super::{MAX_RETRIES, Portal, retrying};
use crate::auth::{AccessToken, SecretToken, TokenPurpose};
use crate::domain::{
    AccessEvent, ContactId, ContactPerson, CustomerId, EmailKind, MAX_ROLES_PER_ORG,
    NewOrganization, OrgId, Organization, OutboxEmail, Permissions, PortalSettings, PortalSlug,
    Role, RoleId, RoleName, RolePreview, TemplateValues, TokenId,
};
use crate::error::{Error, Result};
use crate::store::Entity;
use crate::store::{Invitation, InvitationBatch, StoreError};

impl Portal {
    /// Creates an organization: portal on, default settings, the default role.
    ///
    /// # Errors
    /// [`Error::Text`] for a bad name, [`Error::SlugTaken`] if the slug is taken.
    #[instrument(skip_all, fields(slug = %input.slug))]
    pub async fn create_org(&self, input: NewOrganization) -> Result<Organization> {
        input.validate()?;
        let org = Organization::create(input, self.now());
        self.inner.store.create_org(&org).await?;
        tracing::info!(org = %org.id, "organization created");
        Ok(org)
    }

    /// The organization whose portal is at `slug`: how a host finds the org of a
    /// URL (an org console, a seed that runs on every start).
    ///
    /// # Errors
    /// [`Error::Slug`] for a malformed slug, [`Error::NotFound`] for an unknown one.
    pub async fn org_by_slug(&self, slug: &str) -> Result<Organization> {
        let slug = crate::domain::PortalSlug::parse(slug)?;
        Ok(self.inner.store.org_by_slug(&slug).await?)
    }

    /// The org side of `org`: what the host app does for that organization.
    #[must_use]
    pub fn org(&self, org: OrgId) -> OrgAdmin<'_> {
        OrgAdmin { portal: self, org }
    }
}

/// The org side of one organization. Every call is scoped to it: an id of another
/// organization's record answers [`Error::NotFound`].
#[derive(Debug, Clone, Copy)]
pub struct OrgAdmin<'a> {
    pub(super) portal: &'a Portal,
    pub(super) org: OrgId,
}

impl OrgAdmin<'_> {
    /// The organization's id.
    #[must_use]
    pub fn id(&self) -> OrgId {
        self.org
    }

    /// The organization with its settings and roles.
    ///
    /// # Errors
    /// [`Error::NotFound`] for an unknown organization.
    pub async fn organization(self) -> Result<Organization> {
        Ok(self.portal.inner.store.org(self.org).await?)
    }

    /// Reads the organization, applies `change`, writes it back; retried from a fresh
    /// read when someone else changed it meanwhile.
    async fn modify<T>(
        &self,
        mut change: impl FnMut(&mut Organization) -> Result<T>,
    ) -> Result<(Organization, T)> {
        let store = &self.portal.inner.store;
        for _ in 0..MAX_RETRIES {
            let mut org = store.org(self.org).await?;
            let out = change(&mut org)?;
            match store.update_org(&org).await {
                Ok(saved) => return Ok((saved, out)),
                Err(StoreError::ConcurrentModification(_)) => {}
                Err(e) => return Err(e.into()),
            }
        }
        Err(Error::Busy)
    }

    /// Changes the portal settings (P1–P5). The closure edits a copy; it is checked
    /// and saved only if valid. Templates are checked when built
    /// ([`crate::domain::InvitationTemplate::new`]), so an invalid one never gets here.
    ///
    /// # Errors
    /// [`Error::Text`] or [`Error::Preference`] for invalid values.
    #[instrument(skip_all, fields(org = %self.org))]
    pub async fn update_settings(
        &self,
        mut change: impl FnMut(&mut PortalSettings),
    ) -> Result<Organization> {
        self.modify(|org| {
            change(&mut org.settings);
            org.settings.validate()?;
            org.settings.time_zone =
                crate::domain::canonical_time_zone("time_zone", &org.settings.time_zone)?;
            org.settings.default_user_preferences.validate()?;
            org.settings.validate_languages()?;
            Ok(())
        })
        .await
        .map(|(org, ())| org)
    }

    /// Changes the organization's portal slug (its URL).
    ///
    /// # Errors
    /// [`Error::Slug`] for a malformed slug, [`Error::SlugTaken`] if taken.
    #[instrument(skip_all, fields(org = %self.org))]
    pub async fn change_slug(self, slug: &str) -> Result<Organization> {
        let slug = PortalSlug::parse(slug)?;
        self.modify(|org| {
            org.slug = slug.clone();
            Ok(())
        })
        .await
        .map(|(org, ())| org)
    }

    /// Sets the cap on portal users (invited or active contacts), enforced when
    /// inviting (P7).
    ///
    /// # Errors
    /// Store errors.
    #[instrument(skip_all, fields(org = %self.org, cap))]
    pub async fn set_portal_user_cap(self, cap: u32) -> Result<Organization> {
        self.modify(|org| {
            org.portal_user_cap = cap;
            Ok(())
        })
        .await
        .map(|(org, ())| org)
    }

    pub(super) async fn live_contact(self, contact: ContactId) -> Result<ContactPerson> {
        let c = self.portal.inner.store.contact(self.org, contact).await?;
        if c.is_deleted() {
            return Err(Error::NotFound(Entity::Contact));
        }
        Ok(c)
    }

    pub(super) async fn invite(
        &self,
        customer: CustomerId,
        chosen: &[ContactId],
        event: AccessEvent,
    ) -> Result<Vec<ContactPerson>> {
        let inner = &self.portal.inner;
        retrying(|| async move {
            let org = self.organization().await?;
            let customer_record = inner.store.customer(self.org, customer).await?;
            if customer_record.is_deleted() {
                return Err(Error::NotFound(Entity::Customer));
            }
            let all = inner.store.contacts_of_customer(self.org, customer).await?;
            if !all.iter().any(|c| c.email.is_some()) {
                return Err(Error::NoContactWithEmail);
            }
            let now = self.portal.now();
            let portal_url = self.portal.portal_url(&org.slug);
            let mut invitations = Vec::with_capacity(chosen.len());
            let mut seen = HashSet::new();
            for id in chosen.iter().filter(|id| seen.insert(**id)) {
                let mut contact = all
                    .iter()
                    .find(|c| c.id == *id)
                    .cloned()
                    .ok_or(Error::NotFound(Entity::Contact))?;
                let email = contact.email.clone().ok_or(Error::ContactHasNoEmail)?;
                contact.portal_status = contact.portal_status.apply(event)?;
                let secret = SecretToken::generate_for(contact.org)?;
                let link = format!("{portal_url}/invitation/{}", secret.expose());
                let name = contact.full_name();
                // The organization's own template in the language the person
                // reads, else its one template, as written; else the library's
                // in the person's language.
                let reader = crate::i18n::Reader::of(&contact, &org);
                let own = org.settings.invitation_template_for(reader.language());
                let (subject, body) = if let Some(template) = own {
                    template.render(&TemplateValues {
                        contact_name: &name,
                        customer_name: &customer_record.display_name,
                        org_name: &org.name,
                        portal_url: &portal_url,
                        invitation_link: &link,
                    })
                } else {
                    use crate::i18n::arg;
                    let args = [
                        ("name", arg(&name)),
                        ("org", arg(&org.name)),
                        ("customer", arg(&customer_record.display_name)),
                        ("link", arg(&link)),
                        ("url", arg(&portal_url)),
                    ];
                    (
                        reader.text("invitation-subject", &args),
                        reader.text("invitation-body", &args) + "\n",
                    )
                };
                invitations.push(Invitation {
                    token: AccessToken {
                        id: TokenId::new(),
                        org: self.org,
                        contact: contact.id,
                        purpose: TokenPurpose::Invitation,
                        hash: secret.hash(),
                        created_at: now,
                        expires_at: now + inner.config.invitation_ttl,
                    },
                    email: OutboxEmail::new(
                        self.org,
                        EmailKind::Invitation,
                        email,
                        subject,
                        body,
                        now,
                    ),
                    contact,
                });
            }
            let batch = InvitationBatch {
                org: self.org,
                portal_user_cap: org.portal_user_cap,
                invitations,
            };
            let stored = inner.store.issue_invitations(&batch).await?;
            tracing::info!(invited = stored.len(), "invitations queued");
            Ok(stored)
        })
        .await
    }
}

/// The organization's portal roles (P6).
/// From [`OrgAdmin::roles`]; every call is scoped to the organization.
#[derive(Debug, Clone, Copy)]
pub struct OrgRoles<'a>(pub(super) OrgAdmin<'a>);

impl<'a> OrgAdmin<'a> {
    /// The organization's portal roles (P6).
    #[must_use]
    pub fn roles(self) -> OrgRoles<'a> {
        OrgRoles(self)
    }
}

impl OrgRoles<'_> {
    /// Adds a portal role (P6); at most [`MAX_ROLES_PER_ORG`] per organization.
    ///
    /// # Errors
    /// [`Error::Text`] for a bad name, [`Error::RoleLimitReached`].
    #[instrument(skip_all, fields(org = %self.0.org))]
    pub async fn create(self, name: &str, permissions: Permissions) -> Result<Role> {
        let name = RoleName::parse(name)?;
        let role = Role {
            id: RoleId::new(),
            name,
            permissions,
            is_default: false,
        };
        self.0
            .modify(|org| {
                if org.roles.len() >= MAX_ROLES_PER_ORG {
                    return Err(Error::RoleLimitReached(MAX_ROLES_PER_ORG));
                }
                org.roles.push(role.clone());
                Ok(())
            })
            .await?;
        Ok(role)
    }

    /// Replaces a role's permissions (the default role's too).
    ///
    /// # Errors
    /// [`Error::NotFound`] for an unknown role.
    #[instrument(skip_all, fields(org = %self.0.org, role = %role))]
    pub async fn set_permissions(self, role: RoleId, permissions: Permissions) -> Result<Role> {
        self.0
            .modify(|org| {
                let found = org
                    .roles
                    .iter_mut()
                    .find(|r| r.id == role)
                    .ok_or(Error::NotFound(Entity::Role))?;
                found.permissions = permissions.clone();
                Ok(found.clone())
            })
            .await
            .map(|(_, role)| role)
    }

    /// Deletes a role; its users fall back to the default role.
    ///
    /// # Errors
    /// [`Error::NotFound`], [`Error::DefaultRoleIsPermanent`].
    #[instrument(skip_all, fields(org = %self.0.org, role = %role))]
    pub async fn delete(self, role: RoleId) -> Result<()> {
        self.0
            .modify(|org| {
                let index = org
                    .roles
                    .iter()
                    .position(|r| r.id == role)
                    .ok_or(Error::NotFound(Entity::Role))?;
                if org.roles[index].is_default {
                    return Err(Error::DefaultRoleIsPermanent);
                }
                org.roles.remove(index);
                Ok(())
            })
            .await
            .map(|_| ())
    }

    /// What a user of `role` would see and be allowed to do, under the current
    /// settings (P6 preview).
    ///
    /// # Errors
    /// [`Error::NotFound`] for an unknown role.
    pub async fn preview(self, role: RoleId) -> Result<RolePreview> {
        let org = self.0.organization().await?;
        let role = org
            .roles
            .iter()
            .find(|r| r.id == role)
            .ok_or(Error::NotFound(Entity::Role))?;
        Ok(RolePreview::of(role, &org.settings))
    }

    /// Gives a contact a role (`None`: the default role).
    ///
    /// # Errors
    /// [`Error::NotFound`] for an unknown role or contact.
    #[instrument(skip_all, fields(org = %self.0.org, contact = %contact))]
    pub async fn assign(self, contact: ContactId, role: Option<RoleId>) -> Result<ContactPerson> {
        if let Some(role) = role {
            let org = self.0.organization().await?;
            if !org.roles.iter().any(|r| r.id == role) {
                return Err(Error::NotFound(Entity::Role));
            }
        }
        let store = &self.0.portal.inner.store;
        retrying(|| async move {
            let mut c = self.0.live_contact(contact).await?;
            c.role = role;
            Ok(store.update_contact(&c).await?)
        })
        .await
    }
}
