//! Shared files (D4): what the store keeps about them, and where their bytes live.

use std::fmt::Debug;

use async_trait::async_trait;

use crate::domain::{CustomerId, OrgId, Page};
use crate::domain::{FileId, Notice, PageRequest, SharedFile};

use super::StoreResult;

/// What the store keeps about shared files (SPEC D4); the bytes are in a
/// [`FileStore`].
#[async_trait]
pub trait SharedFileStore: Debug + Send + Sync + 'static {
    /// Records a file in the customer's folder, with the notice of a portal upload.
    /// `NotFound(Entity::Customer)` for a customer not the org's.
    async fn add_file(&self, file: &SharedFile, notice: Option<&Notice>) -> StoreResult<()>;
    /// One page of the customer's files, newest first.
    async fn customer_files(
        &self,
        org: OrgId,
        customer: CustomerId,
        page: &PageRequest,
    ) -> StoreResult<Page<SharedFile>>;
    /// The customer's file.
    async fn customer_file(
        &self,
        org: OrgId,
        customer: CustomerId,
        id: FileId,
    ) -> StoreResult<SharedFile>;
    /// Removes the customer's file record.
    async fn remove_file(&self, org: OrgId, customer: CustomerId, id: FileId) -> StoreResult<()>;
}

/// Where file bytes live: the memory and SQL stores implement it, and a host can
/// plug object storage. Keys are an organization and a [`FileId`] (an object
/// store's key could be `{org}/{id}`), so that bytes live with the rest of the
/// organization's data when the store is distributed by organization; the
/// [`SharedFileStore`] decides who may read them.
#[async_trait]
pub trait FileStore: Debug + Send + Sync + 'static {
    /// Stores `bytes` under `org`'s `id` (replacing nothing: ids are fresh).
    async fn put_file(&self, org: OrgId, id: FileId, bytes: &[u8]) -> StoreResult<()>;
    /// The bytes under `org`'s `id`; `NotFound(Entity::File)` if none (another
    /// organization's id included).
    async fn get_file(&self, org: OrgId, id: FileId) -> StoreResult<Vec<u8>>;
    /// Deletes the bytes under `org`'s `id` (no error if there were none).
    async fn delete_file(&self, org: OrgId, id: FileId) -> StoreResult<()>;
}
