//! Shared files and their bytes in `MemoryStore`.

use crate::MemoryStore;
use crate::store::newest_first;
use async_trait::async_trait;
use portal_core::FileStore;
use portal_core::domain::{CustomerId, FileId, Notice, OrgId, Page, PageRequest, SharedFile};
use portal_core::store::{Entity, Rule};
use portal_core::store::{SharedFileStore, StoreError, StoreResult};

#[async_trait]
impl SharedFileStore for MemoryStore {
    async fn add_file(&self, file: &SharedFile, notice: Option<&Notice>) -> StoreResult<()> {
        let mut s = self.lock();
        s.live_customer(file.org, file.customer)?;
        if s.projects.files.contains_key(&file.id) {
            return Err(StoreError::Conflict(Rule::Exists(Entity::File)));
        }
        if let Some(n) = notice {
            s.check_notice(n)?;
            s.put_notice(n);
        }
        s.projects
            .files_by_customer
            .entry(file.customer)
            .or_default()
            .insert(file.id);
        s.projects.files.insert(file.id, file.clone());
        Ok(())
    }

    async fn customer_files(
        &self,
        org: OrgId,
        customer: CustomerId,
        page: &PageRequest,
    ) -> StoreResult<Page<SharedFile>> {
        let s = self.lock();
        let rows = s
            .projects
            .files_by_customer
            .get(&customer)
            .into_iter()
            .flatten()
            .filter_map(|id| s.projects.files.get(id))
            .filter(|f| f.org == org);
        Ok(newest_first(rows, |f| (0, f.id.as_uuid()), page))
    }

    async fn customer_file(
        &self,
        org: OrgId,
        customer: CustomerId,
        id: FileId,
    ) -> StoreResult<SharedFile> {
        self.lock()
            .projects
            .files
            .get(&id)
            .filter(|f| f.org == org && f.customer == customer)
            .cloned()
            .ok_or(StoreError::NotFound(Entity::File))
    }

    async fn remove_file(&self, org: OrgId, customer: CustomerId, id: FileId) -> StoreResult<()> {
        let mut s = self.lock();
        if !s
            .projects
            .files
            .get(&id)
            .is_some_and(|f| f.org == org && f.customer == customer)
        {
            return Err(StoreError::NotFound(Entity::File));
        }
        s.projects.files.remove(&id);
        if let Some(set) = s.projects.files_by_customer.get_mut(&customer) {
            set.remove(&id);
        }
        Ok(())
    }
}

#[async_trait]
impl FileStore for MemoryStore {
    async fn put_file(&self, org: OrgId, id: FileId, bytes: &[u8]) -> StoreResult<()> {
        let mut s = self.lock();
        if s.projects.blobs.contains_key(&(org, id)) {
            return Err(StoreError::Conflict(Rule::Exists(Entity::File)));
        }
        s.projects.blobs.insert((org, id), bytes.to_vec());
        Ok(())
    }

    async fn get_file(&self, org: OrgId, id: FileId) -> StoreResult<Vec<u8>> {
        self.lock()
            .projects
            .blobs
            .get(&(org, id))
            .cloned()
            .ok_or(StoreError::NotFound(Entity::File))
    }

    async fn delete_file(&self, org: OrgId, id: FileId) -> StoreResult<()> {
        self.lock().projects.blobs.remove(&(org, id));
        Ok(())
    }
}
