//! The org side: what the host app calls, acting for an organization.

use std::collections::HashSet;

use tracing::instrument;

use super::{MAX_RETRIES, Portal, retrying};
use crate::auth::{AccessToken, SecretToken, TokenPurpose};
use crate::domain::{
    AccessEvent, ContactId, ContactPerson, Customer, CustomerId, EmailKind, MAX_ROLES_PER_ORG,
    NewContact, NewCustomer, NewOrganization, OrgId, Organization, OutboxEmail, Permissions,
    PortalSettings, PortalSlug, Role, RoleId, RoleName, RolePreview, TemplateValues, TokenId,
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
    /// ([`crate::InvitationTemplate::new`]), so an invalid one never gets here.
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
            org.settings.default_user_preferences.validate()?;
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

    async fn live_contact(self, contact: ContactId) -> Result<ContactPerson> {
        let c = self.portal.inner.store.contact(self.org, contact).await?;
        if c.is_deleted() {
            return Err(Error::NotFound(Entity::Contact));
        }
        Ok(c)
    }

    async fn invite(
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
                let secret = SecretToken::generate()?;
                let link = format!("{portal_url}/invitation/{}", secret.expose());
                let name = contact.full_name();
                let (subject, body) = org.settings.invitation_template.render(&TemplateValues {
                    contact_name: &name,
                    customer_name: &customer_record.display_name,
                    org_name: &org.name,
                    portal_url: &portal_url,
                    invitation_link: &link,
                });
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

/// The organization's portal roles (P3).
/// From [`OrgAdmin::roles`]; every call is scoped to the organization.
#[derive(Debug, Clone, Copy)]
pub struct OrgRoles<'a>(pub(super) OrgAdmin<'a>);

impl<'a> OrgAdmin<'a> {
    /// The organization's portal roles (P3).
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

/// The organization's customers.
/// From [`OrgAdmin::customers`]; every call is scoped to the organization.
#[derive(Debug, Clone, Copy)]
pub struct OrgCustomers<'a>(pub(super) OrgAdmin<'a>);

impl<'a> OrgAdmin<'a> {
    /// The organization's customers.
    #[must_use]
    pub fn customers(self) -> OrgCustomers<'a> {
        OrgCustomers(self)
    }
}

impl OrgCustomers<'_> {
    /// Creates a customer with its contact persons.
    ///
    /// # Errors
    /// [`Error::Text`] for bad fields, [`Error::ContactEmailTaken`].
    #[instrument(skip_all, fields(org = %self.0.org))]
    pub async fn create(
        self,
        customer: NewCustomer,
        contacts: Vec<NewContact>,
    ) -> Result<(Customer, Vec<ContactPerson>)> {
        customer.validate()?;
        for c in &contacts {
            c.validate()?;
        }
        let mut emails = HashSet::new();
        if contacts
            .iter()
            .filter_map(|c| c.email.as_ref())
            .any(|e| !emails.insert(e.clone()))
        {
            return Err(Error::ContactEmailTaken);
        }
        let now = self.0.portal.now();
        let customer = Customer::create(self.0.org, customer, now);
        let contacts: Vec<ContactPerson> = contacts
            .into_iter()
            .map(|c| ContactPerson::create(self.0.org, customer.id, c, now))
            .collect();
        self.0
            .portal
            .inner
            .store
            .create_customer(&customer, &contacts)
            .await?;
        tracing::info!(customer = %customer.id, "customer created");
        Ok((customer, contacts))
    }

    /// The customer.
    ///
    /// # Errors
    /// [`Error::NotFound`].
    pub async fn get(self, customer: CustomerId) -> Result<Customer> {
        Ok(self
            .0
            .portal
            .inner
            .store
            .customer(self.0.org, customer)
            .await?)
    }

    /// Deletes a customer: its contacts lose the portal (a session still open gets
    /// CP1003).
    ///
    /// # Errors
    /// [`Error::NotFound`].
    #[instrument(skip_all, fields(org = %self.0.org, customer = %customer))]
    pub async fn delete(self, customer: CustomerId) -> Result<()> {
        let now = self.0.portal.now();
        Ok(self
            .0
            .portal
            .inner
            .store
            .delete_customer(self.0.org, customer, now)
            .await?)
    }

    /// Disables portal access of every contact of a customer (A8).
    ///
    /// # Errors
    /// [`Error::NotFound`] for an unknown customer.
    #[instrument(skip_all, fields(org = %self.0.org, customer = %customer))]
    pub async fn disable(self, customer: CustomerId) -> Result<Vec<ContactPerson>> {
        self.0.customers().get(customer).await?;
        let ids: Vec<ContactId> = self
            .0
            .contacts()
            .list(customer)
            .await?
            .iter()
            .map(|c| c.id)
            .collect();
        Ok(self
            .0
            .portal
            .inner
            .store
            .disable_access(self.0.org, &ids)
            .await?)
    }
}

/// Customers' contact persons and their portal access (P1, P2).
/// From [`OrgAdmin::contacts`]; every call is scoped to the organization.
#[derive(Debug, Clone, Copy)]
pub struct OrgContacts<'a>(pub(super) OrgAdmin<'a>);

impl<'a> OrgAdmin<'a> {
    /// Customers' contact persons and their portal access (P1, P2).
    #[must_use]
    pub fn contacts(self) -> OrgContacts<'a> {
        OrgContacts(self)
    }
}

impl OrgContacts<'_> {
    /// Adds a contact person to a customer.
    ///
    /// # Errors
    /// [`Error::NotFound`] for an unknown or deleted customer,
    /// [`Error::ContactEmailTaken`].
    #[instrument(skip_all, fields(org = %self.0.org, customer = %customer))]
    pub async fn add(self, customer: CustomerId, contact: NewContact) -> Result<ContactPerson> {
        contact.validate()?;
        let c = ContactPerson::create(self.0.org, customer, contact, self.0.portal.now());
        self.0.portal.inner.store.create_contact(&c).await?;
        Ok(c)
    }

    /// Changes a contact's name, email and phone.
    ///
    /// # Errors
    /// [`Error::NotFound`], [`Error::ContactEmailTaken`], [`Error::Text`].
    #[instrument(skip_all, fields(org = %self.0.org, contact = %contact))]
    pub async fn update(self, contact: ContactId, details: NewContact) -> Result<ContactPerson> {
        details.validate()?;
        let details = &details;
        let store = &self.0.portal.inner.store;
        retrying(|| async move {
            let mut c = self.0.live_contact(contact).await?;
            c.first_name.clone_from(&details.first_name);
            c.last_name.clone_from(&details.last_name);
            c.email.clone_from(&details.email);
            c.phone.clone_from(&details.phone);
            c.is_primary = details.is_primary;
            Ok(store.update_contact(&c).await?)
        })
        .await
    }

    /// The customer's live contact persons.
    ///
    /// # Errors
    /// [`Error::NotFound`] never (an unknown customer has no contacts).
    pub async fn list(self, customer: CustomerId) -> Result<Vec<ContactPerson>> {
        Ok(self
            .0
            .portal
            .inner
            .store
            .contacts_of_customer(self.0.org, customer)
            .await?)
    }

    /// The contact person.
    ///
    /// # Errors
    /// [`Error::NotFound`].
    pub async fn get(self, contact: ContactId) -> Result<ContactPerson> {
        Ok(self
            .0
            .portal
            .inner
            .store
            .contact(self.0.org, contact)
            .await?)
    }

    /// Deletes a contact person (a session still open gets CP1003).
    ///
    /// # Errors
    /// [`Error::NotFound`].
    #[instrument(skip_all, fields(org = %self.0.org, contact = %contact))]
    pub async fn delete(self, contact: ContactId) -> Result<()> {
        let now = self.0.portal.now();
        Ok(self
            .0
            .portal
            .inner
            .store
            .delete_contact(self.0.org, contact, now)
            .await?)
    }

    /// Enables portal access for the chosen contacts of a customer (A1): each gets
    /// an invitation email with a single-use link. Re-enabling a disabled contact
    /// sends a new invitation (A8). All or nothing.
    ///
    /// # Errors
    /// [`Error::NoContactWithEmail`] if the customer has no contact with an email,
    /// [`Error::NotFound`] for a contact not of this customer,
    /// [`Error::ContactHasNoEmail`], [`Error::InvalidTransition`] for a contact
    /// already invited or active, [`Error::PortalUserCapReached`].
    #[instrument(skip_all, fields(org = %self.0.org, customer = %customer, contacts = contacts.len()))]
    pub async fn enable_access(
        self,
        customer: CustomerId,
        contacts: &[ContactId],
    ) -> Result<Vec<ContactPerson>> {
        self.0.invite(customer, contacts, AccessEvent::Invite).await
    }

    /// Sends a fresh invitation link to an invited contact (A2); its earlier links
    /// stop working.
    ///
    /// # Errors
    /// [`Error::NotFound`], [`Error::InvalidTransition`] if not invited.
    #[instrument(skip_all, fields(org = %self.0.org, contact = %contact))]
    pub async fn reinvite(self, contact: ContactId) -> Result<ContactPerson> {
        let c = self.0.live_contact(contact).await?;
        let mut out = self
            .0
            .invite(c.customer, &[contact], AccessEvent::Reinvite)
            .await?;
        out.pop().ok_or(Error::NotFound(Entity::Contact))
    }

    /// Disables portal access of one contact (A8): its sessions end at once.
    ///
    /// # Errors
    /// [`Error::NotFound`], [`Error::InvalidTransition`] if it had no access.
    #[instrument(skip_all, fields(org = %self.0.org, contact = %contact))]
    pub async fn disable(self, contact: ContactId) -> Result<ContactPerson> {
        let c = self.0.live_contact(contact).await?;
        c.portal_status.apply(AccessEvent::Disable)?;
        let mut changed = self
            .0
            .portal
            .inner
            .store
            .disable_access(self.0.org, &[contact])
            .await?;
        // A concurrent disable may have won; report the contact as it is now.
        match changed.pop() {
            Some(c) => Ok(c),
            None => self.0.contacts().get(contact).await,
        }
    }
}
