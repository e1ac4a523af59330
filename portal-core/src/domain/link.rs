//! Document links: a link the organization sends that opens one document without
//! signing in, with chosen actions only, expiring, revocable, stored only as a
//! hash like every other token.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::document::DocumentRef;
use super::ids::{ContactId, CustomerId, LinkId, OrgId};
use crate::domain::TokenHash;

/// What a document link allows besides viewing the document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub struct LinkActions {
    /// Download it as PDF.
    pub download: bool,
    /// Pay it (an invoice), through the same Pay Now rules as the portal.
    pub pay: bool,
    /// Accept or decline it (a quote).
    pub decide: bool,
}

/// A link to one document of one customer, sent to one of its contacts.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentLink {
    /// Identifier.
    pub id: LinkId,
    /// The organization.
    pub org: OrgId,
    /// The customer whose document it is.
    pub customer: CustomerId,
    /// The contact it was sent to: whoever uses it acts as this contact.
    pub contact: ContactId,
    /// The document.
    pub document: DocumentRef,
    /// What it allows besides viewing.
    pub actions: LinkActions,
    /// The hash of its secret; the secret itself is only in the link.
    pub token_hash: TokenHash,
    /// When it was made.
    pub created_at: OffsetDateTime,
    /// When it stops working.
    pub expires_at: OffsetDateTime,
    /// When the organization revoked it.
    pub revoked_at: Option<OffsetDateTime>,
}

impl DocumentLink {
    /// How the store finds this link: its hash within its organization.
    #[must_use]
    pub fn key(&self) -> super::TokenKey {
        super::TokenKey {
            org: Some(self.org),
            hash: self.token_hash,
        }
    }

    /// Whether it still works at `now` (not revoked, not expired); the document and
    /// the contact are checked when it is used.
    #[must_use]
    pub fn is_live(&self, now: OffsetDateTime) -> bool {
        self.revoked_at.is_none() && now < self.expires_at
    }
}

impl std::fmt::Debug for DocumentLink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DocumentLink")
            .field("id", &self.id)
            .field("org", &self.org)
            .field("customer", &self.customer)
            .field("contact", &self.contact)
            .field("document", &self.document)
            .field("actions", &self.actions)
            .field("expires_at", &self.expires_at)
            .field("revoked_at", &self.revoked_at)
            .finish_non_exhaustive()
    }
}
