//! Document links.

use std::fmt::Debug;

use async_trait::async_trait;
use time::OffsetDateTime;

use crate::domain::TokenKey;
use crate::domain::{CustomerId, DocumentLink, LinkId, Notice, OrgId};

use super::StoreResult;

/// Document links: created by the organization, found by their token's hash,
/// revoked, and every use recorded in the activity feed.
#[async_trait]
pub trait LinkStore: Debug + Send + Sync + 'static {
    /// Stores a new link. `NotFound` if its contact is not one of its customer's.
    async fn create_link(&self, link: &DocumentLink) -> StoreResult<()>;
    /// The link whose token has this key (within the organization it names, if
    /// any), live or not. `NotFound` for none.
    async fn link_by_hash(&self, key: &TokenKey) -> StoreResult<DocumentLink>;
    /// The customer's links, newest first.
    async fn customer_links(
        &self,
        org: OrgId,
        customer: CustomerId,
    ) -> StoreResult<Vec<DocumentLink>>;
    /// Revokes the organization's link (again is harmless: the first time stays).
    /// `NotFound` for another organization's.
    async fn revoke_link(
        &self,
        org: OrgId,
        id: LinkId,
        at: OffsetDateTime,
    ) -> StoreResult<DocumentLink>;
    /// Records a use of a link: its activity row and, if any, the organization's
    /// email.
    async fn record_link_use(&self, notice: &Notice) -> StoreResult<()>;
}
