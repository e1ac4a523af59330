//! Shared files (SPEC D4) and the activity feed (SPEC N3).

use std::sync::Arc;

use tracing::instrument;

use super::invoices::checked_page;
use super::orgs::OrgAdmin;
use super::sessions::PortalSession;
use crate::domain::{
    Action, ActivitySubject, CustomerId, FileId, FileOrigin, Module, Page, PageRequest,
    PortalEvent, SharedFile,
};
use crate::error::{Error, Result};
use crate::store::Entity;
use crate::store::{FileStore, StoreError};

impl super::Portal {
    fn files(&self) -> &Arc<dyn FileStore> {
        &self.inner.files
    }

    /// The customer's file record and its bytes.
    async fn read_file(
        &self,
        org: crate::domain::OrgId,
        customer: CustomerId,
        id: FileId,
    ) -> Result<(SharedFile, Vec<u8>)> {
        let file = self.inner.store.customer_file(org, customer, id).await?;
        let bytes = self.files().get_file(org, file.id).await?;
        Ok((file, bytes))
    }

    /// Checks an upload, stores its bytes, then records it (with `notice` for a
    /// portal upload). If recording fails the bytes are deleted again.
    async fn keep_file(
        &self,
        customer: (crate::domain::OrgId, CustomerId),
        origin: FileOrigin,
        name: &str,
        bytes: &[u8],
        notice: impl FnOnce(&SharedFile) -> Option<crate::domain::Notice>,
    ) -> Result<SharedFile> {
        let files = self.files();
        let file = SharedFile::check(
            customer.0,
            customer.1,
            origin,
            name,
            bytes,
            &self.inner.config.uploads,
            self.now(),
        )?;
        let notice = notice(&file);
        files.put_file(customer.0, file.id, bytes).await?;
        let Err(e) = self.inner.store.add_file(&file, notice.as_ref()).await else {
            return Ok(file);
        };
        // The record may have been written before the answer was lost (a dropped
        // connection after the commit): look before deleting the bytes, so that a
        // recorded file never loses them. Only a record that is surely absent lets
        // the bytes go; when the store cannot tell, they stay (an orphan is better
        // than a lost document).
        match self
            .inner
            .store
            .customer_file(customer.0, customer.1, file.id)
            .await
        {
            Ok(_) => {
                tracing::info!(file = %file.id, error = %e, "file recorded although the store answered an error");
                Ok(file)
            }
            Err(StoreError::NotFound(_)) => {
                if let Err(cleanup) = files.delete_file(customer.0, file.id).await {
                    tracing::warn!(file = %file.id, error = %cleanup, "orphaned file bytes left behind");
                }
                Err(e.into())
            }
            Err(unknown) => {
                tracing::warn!(file = %file.id, error = %unknown, "could not tell whether the file was recorded; its bytes are kept");
                Err(e.into())
            }
        }
    }
}

/// Files shared with customers, on the org side.
/// From [`OrgAdmin::files`]; every call is scoped to the organization.
#[derive(Debug, Clone, Copy)]
pub struct OrgFiles<'a>(pub(super) OrgAdmin<'a>);

impl<'a> OrgAdmin<'a> {
    /// Files shared with customers, on the org side.
    #[must_use]
    pub fn files(self) -> OrgFiles<'a> {
        OrgFiles(self)
    }
}

impl OrgFiles<'_> {
    /// Shares a file with a customer (D4), within the upload policy.
    ///
    /// # Errors
    /// [`Error::File`] for a file the policy refuses; `NotFound` for an unknown
    /// customer.
    #[instrument(skip_all, fields(org = %self.0.org, customer = %customer, bytes = bytes.len()))]
    pub async fn share(self, customer: CustomerId, name: &str, bytes: &[u8]) -> Result<SharedFile> {
        self.0
            .portal
            .keep_file((self.0.org, customer), FileOrigin::Org, name, bytes, |_| {
                None
            })
            .await
    }

    /// One page of the customer's files, newest first.
    ///
    /// # Errors
    /// A bad page size.
    pub async fn list(self, customer: CustomerId, req: &PageRequest) -> Result<Page<SharedFile>> {
        Ok(self
            .0
            .portal
            .inner
            .store
            .customer_files(self.0.org, customer, &checked_page(req)?)
            .await?)
    }

    /// A customer's file and its bytes.
    ///
    /// # Errors
    /// `NotFound`.
    pub async fn download(self, customer: CustomerId, id: FileId) -> Result<(SharedFile, Vec<u8>)> {
        self.0.portal.read_file(self.0.org, customer, id).await
    }
}

/// Files shared with the customer, and the portal user's uploads (D4).
/// From [`PortalSession::files`]; every call is scoped to the session's customer.
#[derive(Debug, Clone, Copy)]
pub struct SessionFiles<'s>(pub(super) &'s PortalSession);

impl PortalSession {
    /// Files shared with the customer, and the portal user's uploads (D4).
    #[must_use]
    pub fn files(&self) -> SessionFiles<'_> {
        SessionFiles(self)
    }
}

impl SessionFiles<'_> {
    /// One page of the files shared with the customer, newest first (D4).
    ///
    /// # Errors
    /// [`Error::Forbidden`].
    #[instrument(skip_all, fields(org = %self.0.org.id, customer = %self.0.customer.id))]
    pub async fn list(self, req: &PageRequest) -> Result<Page<SharedFile>> {
        self.0.require(Module::Documents, Action::View)?;
        Ok(self
            .0
            .portal
            .inner
            .store
            .customer_files(self.0.org.id, self.0.customer.id, &checked_page(req)?)
            .await?)
    }

    /// Downloads one of the customer's files. The content type is the one detected
    /// at upload; serve it with `Content-Disposition: attachment`.
    ///
    /// # Errors
    /// [`Error::Forbidden`]; `NotFound` for someone else's file.
    #[instrument(skip_all, fields(org = %self.0.org.id, customer = %self.0.customer.id, file = %id))]
    pub async fn download(self, id: FileId) -> Result<(SharedFile, Vec<u8>)> {
        self.0.require(Module::Documents, Action::View)?;
        self.0
            .portal
            .read_file(self.0.org.id, self.0.customer.id, id)
            .await
    }

    /// Uploads a file to the customer's folder (D4), when uploads are allowed: within
    /// the size limit and of an allowed type, checked against the content. The org is
    /// notified per its preferences.
    ///
    /// # Errors
    /// [`Error::Forbidden`]; [`Error::File`] for a file the policy refuses.
    #[instrument(skip_all, fields(org = %self.0.org.id, customer = %self.0.customer.id, bytes = bytes.len()))]
    pub async fn upload(self, name: &str, bytes: &[u8]) -> Result<SharedFile> {
        self.0.require(Module::Documents, Action::Upload)?;
        self.0
            .portal
            .keep_file(
                (self.0.org.id, self.0.customer.id),
                FileOrigin::Contact(self.0.contact.id),
                name,
                bytes,
                |file| {
                    Some(self.0.notice(
                        PortalEvent::FileUploaded,
                        ActivitySubject::File(file.id),
                        format!("{} uploaded {}", self.0.customer.display_name, file.name),
                        format!(
                            "{} ({}) uploaded {} ({} bytes, {}).\n",
                            self.0.contact.full_name(),
                            self.0.customer.display_name,
                            file.name,
                            file.size,
                            file.content_type
                        ),
                    ))
                },
            )
            .await
    }

    /// Deletes a file this portal user uploaded.
    ///
    /// # Errors
    /// [`Error::Forbidden`]; `NotFound` for a file they did not upload.
    pub async fn delete(self, id: FileId) -> Result<()> {
        self.0.require(Module::Documents, Action::Delete)?;
        let store = &self.0.portal.inner.store;
        let file = store
            .customer_file(self.0.org.id, self.0.customer.id, id)
            .await?;
        if file.origin != FileOrigin::Contact(self.0.contact.id) {
            return Err(Error::NotFound(Entity::File));
        }
        store
            .remove_file(self.0.org.id, self.0.customer.id, id)
            .await?;
        // The record is gone, so nobody can reach the bytes any more; failing to
        // delete them only leaves garbage for the host to sweep.
        if let Err(e) = self.0.portal.files().delete_file(self.0.org.id, id).await {
            tracing::warn!(file = %id, error = %e, "orphaned file bytes left behind");
        }
        Ok(())
    }
}
