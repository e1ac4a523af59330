//! The customer's own details and other actions (SPEC C2, C3).

use sha2::{Digest, Sha256};
use tracing::instrument;

use super::session::PortalSession;
use crate::domain::{EmailKind, OutboxEmail, limited_text};
use crate::error::{Error, Result};

impl PortalSession {
    /// The signed-in person's profile picture (C2): a Gravatar URL from the SHA-256
    /// of their email (Gravatar accepts SHA-256 hashes), with an identicon when they
    /// have none. `size` is clamped to 1..=2048 pixels. `None` without an email.
    #[must_use]
    pub fn avatar_url(&self, size: u16) -> Option<String> {
        let email = self.contact.email.as_ref()?;
        let digest = Sha256::digest(email.as_str().trim().to_lowercase().as_bytes());
        let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
        Some(format!(
            "https://www.gravatar.com/avatar/{hex}?s={}&d=identicon",
            size.clamp(1, 2048)
        ))
    }

    /// Sends an email to the organization from the portal (C3), through the outbox.
    /// The text is plain; the sender's name and email are added so the org can reply.
    ///
    /// # Errors
    /// [`Error::Text`] for an empty or too long subject (200) or message (10 000),
    /// [`Error::NotFound`] if the organization has no contact email.
    #[instrument(skip_all, fields(org = %self.org.id, customer = %self.customer.id))]
    pub async fn email_org(&self, subject: &str, message: &str) -> Result<()> {
        limited_text("subject", subject, 1, 200)?;
        limited_text("message", message, 1, 10_000)?;
        let to = self
            .org
            .settings
            .contact_details
            .email
            .clone()
            .ok_or(Error::NotFound("organization email"))?;
        let from = self
            .contact
            .email
            .as_ref()
            .map_or_else(String::new, |e| format!(" <{e}>"));
        let email = OutboxEmail::new(
            self.org.id,
            EmailKind::OrgNotification,
            to,
            format!("[Portal] {}", subject.trim()).replace(['\r', '\n'], " "),
            format!(
                "{}{from} of {} wrote from the customer portal:\n\n{}\n",
                self.contact.full_name(),
                self.customer.display_name,
                message.trim()
            ),
            self.portal.now(),
        );
        self.portal.inner.store.enqueue_email(&email).await?;
        Ok(())
    }
}

impl PortalSession {
    /// Writes a review of the organization (C4), when reviews are on. It appears on
    /// the customer's overview on the org side, and the org is notified per its
    /// preferences.
    ///
    /// # Errors
    /// [`Error::Forbidden`] when reviews are off, [`Error::Text`] for the text.
    #[instrument(skip_all, fields(org = %self.org.id, customer = %self.customer.id))]
    pub async fn write_review(&self, body: &str) -> Result<crate::domain::Review> {
        if !self.org.settings.preferences.enable_reviews {
            return Err(Error::Forbidden(crate::domain::Refusal::SettingOff {
                setting: crate::domain::Setting::EnableReviews,
            }));
        }
        let body = crate::domain::comment_body(body)?;
        let review = crate::domain::Review {
            id: crate::domain::ReviewId::new(),
            org: self.org.id,
            customer: self.customer.id,
            contact: self.contact.id,
            body,
            created_at: self.portal.now(),
        };
        let emails: Vec<OutboxEmail> = super::invoices::org_notification(
            &self.org,
            crate::domain::PortalEvent::ReviewWritten,
            format!("{} wrote a review", self.customer.display_name),
            format!(
                "{} ({}) wrote:\n\n{}\n",
                self.contact.full_name(),
                self.customer.display_name,
                review.body
            ),
            self.portal.now(),
        )
        .into_iter()
        .collect();
        self.portal.inner.store.add_review(&review, &emails).await?;
        Ok(review)
    }
}

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
