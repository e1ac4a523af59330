//! Customer reviews (C4): written in the portal, read by the organization.

use super::sessions::PortalSession;
use crate::error::{Error, Result};
use tracing::instrument;

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

impl super::orgs::OrgAdmin<'_> {
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
