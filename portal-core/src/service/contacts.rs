//! Contact persons: the org side (contacts and their portal access) and the portal side (the signed-in contact's details, C1).

use super::retrying;
use crate::domain::single_line_text;
use crate::domain::{AccessEvent, ContactId, ContactPerson, CustomerId, NewContact};
use crate::error::{Error, Result};
use crate::service::OrgAdmin;
use crate::service::PortalSession;
use crate::store::Entity;
use sha2::{Digest, Sha256};
use tracing::instrument;

/// Customers' contact persons and their portal access (A1, A2, A8).
/// From [`OrgAdmin::contacts`]; every call is scoped to the organization.
#[derive(Debug, Clone, Copy)]
pub struct OrgContacts<'a>(pub(super) OrgAdmin<'a>);

impl<'a> OrgAdmin<'a> {
    /// Customers' contact persons and their portal access (A1, A2, A8).
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

/// The signed-in contact's and their customer's details, and the password (C1, C2, A6).
/// From [`PortalSession::profile`]; every call is scoped to the session's customer.
#[derive(Debug, Clone, Copy)]
pub struct SessionProfile<'s>(pub(super) &'s PortalSession);

impl PortalSession {
    /// The signed-in contact's and their customer's details, and the password (C1, C2, A6).
    #[must_use]
    pub fn profile(&self) -> SessionProfile<'_> {
        SessionProfile(self)
    }
}

impl SessionProfile<'_> {
    /// The signed-in person's profile picture (C2): a Gravatar URL from the SHA-256
    /// of their email (Gravatar accepts SHA-256 hashes), with an identicon when they
    /// have none. `size` is clamped to 1..=2048 pixels. `None` without an email.
    #[must_use]
    pub fn avatar_url(self, size: u16) -> Option<String> {
        let email = self.0.contact.email.as_ref()?;
        let digest = Sha256::digest(email.as_str().trim().to_lowercase().as_bytes());
        let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
        Some(format!(
            "https://www.gravatar.com/avatar/{hex}?s={}&d=identicon",
            size.clamp(1, 2048)
        ))
    }
}

impl SessionProfile<'_> {
    /// The current details, to prefill an edit form.
    ///
    /// # Errors
    /// Store errors.
    pub async fn get(self) -> Result<DetailsUpdate> {
        let store = &self.0.portal.inner.store;
        let c = store.customer(self.0.org.id, self.0.customer.id).await?;
        let p = store.contact(self.0.org.id, self.0.contact.id).await?;
        Ok(DetailsUpdate {
            display_name: c.display_name,
            company_name: c.company_name,
            billing_address: c.billing_address,
            shipping_address: c.shipping_address,
            first_name: p.first_name,
            last_name: p.last_name,
            phone: p.phone,
        })
    }

    /// Changes the customer's and the signed-in person's details (C1), when the
    /// organization allows it: the change lands in the org's customer record and the
    /// org is notified, in one operation.
    ///
    /// # Errors
    /// [`Error::Forbidden`] when editing is off or the role lacks it,
    /// [`Error::Text`] for bad fields, [`Error::Busy`] if the record keeps changing.
    #[instrument(skip_all, fields(org = %self.0.org.id, customer = %self.0.customer.id))]
    pub async fn update(
        self,
        update: DetailsUpdate,
    ) -> Result<(crate::domain::Customer, crate::domain::ContactPerson)> {
        self.0
            .require(crate::domain::Module::Profile, crate::domain::Action::Edit)?;
        single_line_text("display_name", &update.display_name, 1, 200)?;
        single_line_text("company_name", &update.company_name, 0, 200)?;
        update.billing_address.validate()?;
        update.shipping_address.validate()?;
        single_line_text("first_name", &update.first_name, 1, 100)?;
        single_line_text("last_name", &update.last_name, 0, 100)?;
        single_line_text("phone", &update.phone, 0, 50)?;
        let store = &self.0.portal.inner.store;
        let update = &update;
        super::retrying(|| async move {
            let mut customer = store.customer(self.0.org.id, self.0.customer.id).await?;
            let mut contact = store.contact(self.0.org.id, self.0.contact.id).await?;
            customer.display_name = update.display_name.trim().to_owned();
            customer.company_name = update.company_name.trim().to_owned();
            customer.billing_address = update.billing_address.clone();
            customer.shipping_address = update.shipping_address.clone();
            contact.first_name = update.first_name.trim().to_owned();
            contact.last_name = update.last_name.trim().to_owned();
            contact.phone = update.phone.trim().to_owned();
            let notice = self.0.notice(
                crate::domain::PortalEvent::DetailsUpdated,
                crate::domain::ActivitySubject::Customer(customer.id),
                format!("{} updated their details", customer.display_name),
                format!(
                    "{} updated the details of {} in the customer portal.\n",
                    contact.full_name(),
                    customer.display_name
                ),
            );
            Ok(store
                .update_details(&crate::store::DetailsChange {
                    org: self.0.org.id,
                    customer,
                    contact,
                    notice,
                })
                .await?)
        })
        .await
    }
}

/// What a portal user may change about their customer and themselves (C1). The
/// customer's currency, payment permissions and the contact's email (the sign-in
/// identity) are not here, so they cannot change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DetailsUpdate {
    /// The customer's display name (1 to 200 characters).
    pub display_name: String,
    /// The company name (up to 200 characters).
    pub company_name: String,
    /// Billing address.
    pub billing_address: crate::domain::Address,
    /// Shipping address.
    pub shipping_address: crate::domain::Address,
    /// The signed-in person's first name.
    pub first_name: String,
    /// Their last name.
    pub last_name: String,
    /// Their phone.
    pub phone: String,
}
