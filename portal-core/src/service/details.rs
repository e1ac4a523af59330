//! The customer's own details and other actions (SPEC C2, C3).

use sha2::{Digest, Sha256};
use tracing::instrument;

use super::session::PortalSession;
use crate::domain::{EmailKind, OutboxEmail, limited_text};
use crate::error::{Error, Result};
use crate::store::Entity;

impl super::org::OrgAdmin<'_> {
    /// The customer's reviews, newest first (C4, the customer's overview).
    ///
    /// # Errors
    /// Store errors.
    pub async fn reviews(
        self,
        customer: crate::domain::CustomerId,
    ) -> Result<Vec<crate::domain::Review>> {
        Ok(self
            .portal
            .inner
            .store
            .customer_reviews(self.org, customer)
            .await?)
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

/// The signed-in contact's and their customer's details, and the password (C1, C2).
/// From [`PortalSession::profile`]; every call is scoped to the session's customer.
#[derive(Debug, Clone, Copy)]
pub struct SessionProfile<'s>(pub(super) &'s PortalSession);

impl PortalSession {
    /// The signed-in contact's and their customer's details, and the password (C1, C2).
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

/// Emails from the portal user: to the organization, and forwarded documents (D3).
/// From [`PortalSession::messages`]; every call is scoped to the session's customer.
#[derive(Debug, Clone, Copy)]
pub struct SessionMessages<'s>(pub(super) &'s PortalSession);

impl PortalSession {
    /// Emails from the portal user: to the organization, and forwarded documents (D3).
    #[must_use]
    pub fn messages(&self) -> SessionMessages<'_> {
        SessionMessages(self)
    }
}

impl SessionMessages<'_> {
    /// Sends an email to the organization from the portal (C3), through the outbox.
    /// The text is plain; the sender's name and email are added so the org can reply.
    ///
    /// # Errors
    /// [`Error::Text`] for an empty or too long subject (200) or message (10 000),
    /// [`Error::NotFound`] if the organization has no contact email.
    #[instrument(skip_all, fields(org = %self.0.org.id, customer = %self.0.customer.id))]
    pub async fn email_org(self, subject: &str, message: &str) -> Result<()> {
        limited_text("subject", subject, 1, 200)?;
        limited_text("message", message, 1, 10_000)?;
        let to = self
            .0
            .org
            .settings
            .contact_details
            .email
            .clone()
            .ok_or(Error::NotFound(Entity::OrganizationEmail))?;
        let from = self
            .0
            .contact
            .email
            .as_ref()
            .map_or_else(String::new, |e| format!(" <{e}>"));
        let email = OutboxEmail::new(
            self.0.org.id,
            EmailKind::OrgNotification,
            to,
            format!("[Portal] {}", subject.trim()).replace(['\r', '\n'], " "),
            format!(
                "{}{from} of {} wrote from the customer portal:\n\n{}\n",
                self.0.contact.full_name(),
                self.0.customer.display_name,
                message.trim()
            ),
            self.0.portal.now(),
        );
        self.0.portal.inner.store.enqueue_email(&email).await?;
        Ok(())
    }
}

/// Reviews the portal user writes (N2).
/// From [`PortalSession::reviews`]; every call is scoped to the session's customer.
#[derive(Debug, Clone, Copy)]
pub struct SessionReviews<'s>(pub(super) &'s PortalSession);

impl PortalSession {
    /// Reviews the portal user writes (N2).
    #[must_use]
    pub fn reviews(&self) -> SessionReviews<'_> {
        SessionReviews(self)
    }
}

impl SessionReviews<'_> {
    /// Writes a review of the organization (C4), when reviews are on. It appears on
    /// the customer's overview on the org side, and the org is notified per its
    /// preferences.
    ///
    /// # Errors
    /// [`Error::Forbidden`] when reviews are off, [`Error::Text`] for the text.
    #[instrument(skip_all, fields(org = %self.0.org.id, customer = %self.0.customer.id))]
    pub async fn write(self, body: &str) -> Result<crate::domain::Review> {
        if !self.0.org.settings.preferences.enable_reviews {
            return Err(Error::Forbidden(crate::domain::Refusal::SettingOff {
                setting: crate::domain::Setting::EnableReviews,
            }));
        }
        let body = crate::domain::comment_body(body)?;
        let review = crate::domain::Review {
            id: crate::domain::ReviewId::new(),
            org: self.0.org.id,
            customer: self.0.customer.id,
            contact: self.0.contact.id,
            body,
            created_at: self.0.portal.now(),
        };
        let notice = self.0.notice(
            crate::domain::PortalEvent::ReviewWritten,
            crate::domain::ActivitySubject::Review(review.id),
            format!("{} wrote a review", self.0.customer.display_name),
            format!(
                "{} ({}) wrote:\n\n{}\n",
                self.0.contact.full_name(),
                self.0.customer.display_name,
                review.body
            ),
        );
        self.0
            .portal
            .inner
            .store
            .add_review(&review, &notice)
            .await?;
        Ok(review)
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
        limited_text("display_name", &update.display_name, 1, 200)?;
        limited_text("company_name", &update.company_name, 0, 200)?;
        update.billing_address.validate()?;
        update.shipping_address.validate()?;
        limited_text("first_name", &update.first_name, 1, 100)?;
        limited_text("last_name", &update.last_name, 0, 100)?;
        limited_text("phone", &update.phone, 0, 50)?;
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

impl SessionMessages<'_> {
    /// Forwards one of the customer's quotes, invoices or sales orders to an email
    /// address (D3),
    /// when the organization allows it. Someone who is not yet a contact person of
    /// the organization becomes one of this customer (without portal access), and
    /// receives the document's summary and the portal's address by email.
    ///
    /// # Errors
    /// [`Error::Forbidden`] when forwarding is off, `NotFound` for a document that is
    /// not the customer's, [`Error::Email`] for a malformed address, [`Error::Text`]
    /// for the note (at most 2000 characters).
    #[instrument(skip_all, fields(org = %self.0.org.id, customer = %self.0.customer.id))]
    pub async fn forward(
        self,
        target: crate::domain::DocumentRef,
        to: &str,
        note: Option<&str>,
    ) -> Result<()> {
        use crate::domain::{Action, ContactPerson, DocumentRef, Email, Module, NewContact};
        if !self.0.org.settings.preferences.allow_forwarding {
            return Err(Error::Forbidden(crate::domain::Refusal::SettingOff {
                setting: crate::domain::Setting::AllowForwarding,
            }));
        }
        let to = Email::parse(to)?;
        if let Some(note) = note {
            limited_text("note", note, 0, 2_000)?;
        }
        let store = &self.0.portal.inner.store;
        let summary = match target {
            DocumentRef::SalesOrder(id) => {
                self.0.require(Module::SalesOrders, Action::View)?;
                let o = store
                    .customer_sales_order(self.0.org.id, self.0.customer.id, id)
                    .await?;
                format!(
                    "Sales order {} for {}, ordered on {}.",
                    o.number, o.total, o.order_date
                )
            }
            DocumentRef::Quote(id) => {
                self.0.require(Module::Quotes, Action::View)?;
                let q = store
                    .customer_quote(self.0.org.id, self.0.customer.id, id)
                    .await?;
                format!(
                    "Quote {} for {}, valid until {}.",
                    q.number, q.total, q.expiry_date
                )
            }
            DocumentRef::Invoice(id) => {
                self.0.require(Module::Invoices, Action::View)?;
                let i = store
                    .customer_invoice(self.0.org.id, self.0.customer.id, id)
                    .await?;
                format!(
                    "Invoice {} for {}, {} due by {}.",
                    i.number, i.total, i.balance, i.due_date
                )
            }
        };
        let new_contact = match store.contact_by_email(self.0.org.id, &to).await {
            Ok(_) => None,
            Err(crate::store::StoreError::NotFound(_)) => {
                let local = to
                    .as_str()
                    .split('@')
                    .next()
                    .unwrap_or("Contact")
                    .to_owned();
                Some(ContactPerson::create(
                    self.0.org.id,
                    self.0.customer.id,
                    NewContact::new(local, "", Some(to.clone())),
                    self.0.portal.now(),
                ))
            }
            Err(e) => return Err(e.into()),
        };
        let note = note
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .map_or_else(String::new, |n| {
                format!("\n{} wrote:\n{n}\n", self.0.contact.full_name())
            });
        let email = OutboxEmail::new(
            self.0.org.id,
            EmailKind::CustomerNotification,
            to,
            format!(
                "{} forwarded a document from {}",
                self.0.contact.full_name(),
                self.0.org.name
            )
            .replace(['\r', '\n'], " "),
            format!(
                "{summary}\n{note}\nIt was sent to {} by {}. The customer portal is at {}.\n",
                self.0.customer.display_name,
                self.0.org.name,
                self.0.portal.portal_url(&self.0.org.slug)
            ),
            self.0.portal.now(),
        );
        store.forward_document(new_contact.as_ref(), &email).await?;
        Ok(())
    }
}
