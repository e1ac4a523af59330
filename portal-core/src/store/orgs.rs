//! Organizations, with their portal settings and roles.

use std::fmt::Debug;

use async_trait::async_trait;

use crate::domain::{OrgId, Organization, PortalSlug};

use super::StoreResult;

/// Organizations and their portal settings and roles.
#[async_trait]
pub trait OrgStore: Debug + Send + Sync + 'static {
    /// Inserts an organization. `Conflict(Rule::PortalSlug)` if the slug is taken.
    async fn create_org(&self, org: &Organization) -> StoreResult<()>;
    /// The organization.
    async fn org(&self, id: OrgId) -> StoreResult<Organization>;
    /// The organization whose portal has this slug.
    async fn org_by_slug(&self, slug: &PortalSlug) -> StoreResult<Organization>;
    /// Replaces the organization if its stored version is `org.version`; returns it
    /// with the version bumped. `ConcurrentModification` on a stale version,
    /// `Conflict(Rule::PortalSlug)` if the new slug is taken.
    async fn update_org(&self, org: &Organization) -> StoreResult<Organization>;
}
