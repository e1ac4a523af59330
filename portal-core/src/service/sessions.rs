//! The portal side with a session: everything a signed-in portal user does goes
//! through a [`PortalSession`], scoped to its (org, customer, contact, role).

use super::contacts::SessionProfile;
use serde::Serialize;
use tracing::instrument;

use super::Portal;
use crate::auth::SessionRecord;
use crate::domain::{
    Action, ContactId, ContactPerson, Customer, CustomerId, Decision, Email, Module,
    OrgContactDetails, OrgId, Organization, PortalStatus, Role, SessionId, UserPreferences, decide,
};
use crate::error::{Error, Result};
use crate::store::PasswordChange;

/// A signed-in portal user, scoped to one organization, customer and contact.
/// Obtained from [`Portal::session`], [`Portal::sign_in`] or
/// [`Portal::accept_invitation`]; it holds a snapshot taken when it was resolved.
#[derive(Debug, Clone)]
pub struct PortalSession {
    pub(super) portal: Portal,
    pub(super) record: SessionRecord,
    pub(super) org: Organization,
    pub(super) customer: Customer,
    pub(super) contact: ContactPerson,
}

/// One of the customer's contact persons as shown in the portal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ContactSummary {
    /// Identifier.
    pub id: ContactId,
    /// Name.
    pub name: String,
    /// Email.
    pub email: Option<Email>,
    /// Phone.
    pub phone: String,
    /// Whether this is the primary contact.
    pub is_primary: bool,
}

/// The account part of the portal home (H2): the customer's details, its contact
/// persons and the organization's contact details.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AccountOverview {
    /// The customer's display name.
    pub customer_name: String,
    /// The customer's company name.
    pub company_name: String,
    /// The customer's currency code.
    pub currency: String,
    /// Billing address.
    pub billing_address: crate::domain::Address,
    /// Shipping address.
    pub shipping_address: crate::domain::Address,
    /// The customer's live contact persons.
    pub contacts: Vec<ContactSummary>,
    /// The organization's contact details.
    pub org_contact: OrgContactDetails,
}

impl PortalSession {
    pub(super) fn new(
        portal: Portal,
        record: SessionRecord,
        org: Organization,
        customer: Customer,
        contact: ContactPerson,
    ) -> Self {
        Self {
            portal,
            record,
            org,
            customer,
            contact,
        }
    }

    /// The session's id (safe to log; it is not the secret token).
    #[must_use]
    pub fn id(&self) -> SessionId {
        self.record.id
    }

    /// The organization.
    #[must_use]
    pub fn org_id(&self) -> OrgId {
        self.org.id
    }

    /// The organization's name.
    #[must_use]
    pub fn org_name(&self) -> &str {
        &self.org.name
    }

    /// Today in the organization's time zone, by the portal's clock: what a page
    /// compares due and expiry dates with, as the library's rules do.
    #[must_use]
    pub fn today(&self) -> time::Date {
        self.portal.today_in(&self.org)
    }

    /// The organization's portal slug: a web host checks that a request for
    /// `/{slug}/...` carries a session of that portal.
    #[must_use]
    pub fn org_slug(&self) -> &crate::domain::PortalSlug {
        &self.org.slug
    }

    /// The customer.
    #[must_use]
    pub fn customer_id(&self) -> CustomerId {
        self.customer.id
    }

    /// The customer's display name.
    #[must_use]
    pub fn customer_name(&self) -> &str {
        &self.customer.display_name
    }

    /// The customer's currency: what every amount the session shows or takes is in.
    #[must_use]
    pub fn currency(&self) -> crate::domain::Currency {
        self.customer.currency
    }

    /// The signed-in contact person.
    #[must_use]
    pub fn contact_id(&self) -> ContactId {
        self.contact.id
    }

    /// The signed-in person's name.
    #[must_use]
    pub fn contact_name(&self) -> String {
        self.contact.full_name()
    }

    /// The time zone the signed-in person reads times in: their own preference
    /// (chosen when accepting the invitation, the organization's default offered),
    /// else the organization's zone.
    #[must_use]
    pub fn time_zone(&self) -> &str {
        self.contact
            .preferences
            .as_ref()
            .map_or(self.org.settings.time_zone.as_str(), |p| {
                p.time_zone.as_str()
            })
    }

    /// How the signed-in person reads: their language, formats and time zone
    /// (their preferences, else the organization's defaults).
    #[must_use]
    pub fn reader(&self) -> crate::i18n::Reader {
        crate::i18n::Reader::of(&self.contact, &self.org)
    }

    /// `at` as the signed-in person's wall-clock time (their [`Self::time_zone`]):
    /// what a page shows for when something happened.
    #[must_use]
    pub fn local_time(&self, at: time::OffsetDateTime) -> time::OffsetDateTime {
        crate::domain::local_time(self.time_zone(), at)
    }

    /// The signed-in person's email.
    #[must_use]
    pub fn email(&self) -> Option<&Email> {
        self.contact.email.as_ref()
    }

    /// The organization's portal preferences as of this session: what a host reads
    /// to hide what the portal would refuse (forwarding, reviews, uploads, sales
    /// orders, projects). The library checks them again on every call.
    #[must_use]
    pub fn portal_preferences(&self) -> &crate::domain::PortalPreferences {
        &self.org.settings.preferences
    }

    /// The organization's portal banner (P2), shown to a user at first sign-in.
    #[must_use]
    pub fn banner(&self) -> Option<&str> {
        self.org.settings.banner.as_deref()
    }

    /// Whether this customer may pay by bank account (the gateway must support it
    /// too): a host offers the bank form only when it is true.
    #[must_use]
    pub fn may_pay_by_bank_account(&self) -> bool {
        self.customer.may_pay_by_bank_account
    }

    /// The person's display preferences.
    #[must_use]
    pub fn preferences(&self) -> UserPreferences {
        self.contact
            .preferences
            .clone()
            .unwrap_or_else(|| self.org.settings.default_user_preferences.clone())
    }

    /// The person's portal role.
    #[must_use]
    pub fn role(&self) -> &Role {
        self.org.role_or_default(self.contact.role)
    }

    /// Whether the user may take `action` in `module`, and if not, why (the
    /// setting, role or status that decided).
    #[must_use]
    pub fn can(&self, module: Module, action: Action) -> Decision {
        decide(
            &self.org.settings,
            self.role(),
            self.contact.portal_status,
            module,
            action,
        )
    }

    /// Like [`Self::can`], as a `Result` for `?`.
    ///
    /// # Errors
    /// [`Error::Forbidden`] with the reason.
    pub fn require(&self, module: Module, action: Action) -> Result<()> {
        match self.can(module, action) {
            Decision::Allowed => Ok(()),
            Decision::Refused(why) => Err(Error::Forbidden(why)),
        }
    }

    /// The account part of the home page (H2).
    ///
    /// # Errors
    /// Store errors.
    #[instrument(skip_all, fields(org = %self.org.id, customer = %self.customer.id))]
    pub async fn account(&self) -> Result<AccountOverview> {
        let contacts = self
            .portal
            .inner
            .store
            .contacts_of_customer(self.org.id, self.customer.id)
            .await?;
        Ok(AccountOverview {
            customer_name: self.customer.display_name.clone(),
            company_name: self.customer.company_name.clone(),
            currency: self.customer.currency.code().to_owned(),
            billing_address: self.customer.billing_address.clone(),
            shipping_address: self.customer.shipping_address.clone(),
            contacts: contacts
                .into_iter()
                .map(|c| ContactSummary {
                    id: c.id,
                    name: c.full_name(),
                    email: c.email,
                    phone: c.phone,
                    is_primary: c.is_primary,
                })
                .collect(),
            org_contact: self.org.settings.contact_details.clone(),
        })
    }

    /// Signs out: the session ends at once.
    ///
    /// # Errors
    /// Store errors.
    #[instrument(skip_all, fields(org = %self.org.id, session = %self.record.id))]
    pub async fn sign_out(self) -> Result<()> {
        self.portal
            .inner
            .store
            .end_session(self.record.org, self.record.id)
            .await?;
        Ok(())
    }
}

impl SessionProfile<'_> {
    /// Changes the password (A6): the current password, a new one meeting the
    /// policy and its confirmation. Every other session of this user ends; this one
    /// stays.
    ///
    /// # Errors
    /// [`Error::WrongPassword`], [`Error::PasswordPolicy`],
    /// [`Error::PasswordConfirmationMismatch`], [`Error::SessionExpired`] if the
    /// session ended meanwhile.
    #[instrument(skip_all, fields(org = %self.0.org.id, customer = %self.0.customer.id, session = %self.0.record.id))]
    pub async fn change_password(self, current: &str, new: &str, confirmation: &str) -> Result<()> {
        let inner = &self.0.portal.inner;
        let contact = inner
            .store
            .contact(self.0.org.id, self.0.contact.id)
            .await?;
        if contact.is_deleted() {
            return Err(Error::ContactDeleted);
        }
        if contact.portal_status != PortalStatus::Active {
            return Err(Error::SessionExpired);
        }
        let ok = match &contact.password_hash {
            Some(h) => inner.hashing.verify(current, h).await,
            None => false,
        };
        if !ok {
            return Err(Error::WrongPassword);
        }
        let password = crate::auth::Password::chosen(new, confirmation, contact.email.as_ref())?;
        let password_hash = inner.hashing.hash(password).await?;
        inner
            .store
            .change_password(&PasswordChange {
                org: self.0.org.id,
                contact: self.0.contact.id,
                expected_version: contact.version,
                password_hash,
                keep_session: Some(self.0.record.id),
            })
            .await?;
        tracing::info!("password changed");
        Ok(())
    }
}
