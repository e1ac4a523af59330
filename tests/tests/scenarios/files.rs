//! Shared files through the services on every backend (D4, N1, N3 for uploads).

use crate::common;

use common::backends::{Backend, Env, env_with};
use portal_core::domain::{FileOrigin, PortalEvent, UploadPolicy};
use portal_core::prelude::*;
use portal_core::store::Entity;

const PDF: &[u8] = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n%%EOF\n";
const PNG: &[u8] = &[
    0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, b'I', b'H', b'D', b'R',
];

/// A portal whose uploads are at most 64 bytes of PDF or plain text.
async fn small_uploads(backend: Backend) -> Option<Env> {
    env_with(
        backend,
        PortalConfig::default().with_uploads(UploadPolicy {
            max_bytes: 64,
            allowed_types: vec!["application/pdf".into(), "text/plain".into()],
        }),
    )
    .await
}

async fn share_upload_download(env: Env) {
    let org = env.org().await;
    let (customer, contact, session, token) = env.signed_in_with_token(&org, "USD").await;
    let (_, _, other, _) = env.signed_in_with_token(&org, "USD").await;
    let admin = env.portal.org(org.id);
    let contract = admin
        .files()
        .share(customer.id, "contract.pdf", PDF)
        .await
        .expect("share");
    assert_eq!(contract.content_type, "application/pdf");
    assert_eq!(contract.origin, FileOrigin::Org);
    let upload = session
        .files()
        .upload("timesheet.txt", b"40 hours, week 17\n")
        .await
        .expect("upload");
    assert_eq!(upload.origin, FileOrigin::Contact(contact.id));
    let listed = session
        .files()
        .list(&PageRequest::default())
        .await
        .expect("files");
    assert_eq!(listed.items, vec![upload.clone(), contract.clone()]);
    let (meta, bytes) = session
        .files()
        .download(contract.id)
        .await
        .expect("download");
    assert_eq!((meta, bytes.as_slice()), (contract.clone(), PDF));
    assert_eq!(
        admin
            .files()
            .download(customer.id, upload.id)
            .await
            .expect("org")
            .1,
        b"40 hours, week 17\n"
    );

    // Limits: size, type by content, name against content, path tricks.
    let too_big = vec![b'a'; 65];
    for (name, bytes, code) in [
        ("big.txt", too_big.as_slice(), "file_too_large"),
        ("scan.png", PNG, "file_type_not_allowed"),
        (
            "invoice.pdf",
            b"<html><script>alert(1)</script></html>".as_slice(),
            "file_type_not_allowed",
        ),
        (
            "notes.pdf",
            b"just text".as_slice(),
            "file_type_not_allowed",
        ),
        ("../../etc/passwd", b"x".as_slice(), "invalid_file"),
        ("empty.txt", b"".as_slice(), "invalid_file"),
    ] {
        assert_eq!(
            session
                .files()
                .upload(name, bytes)
                .await
                .expect_err(name)
                .code(),
            code,
            "{name}"
        );
    }
    // Nobody else's files, whatever the id.
    for id in [contract.id, upload.id] {
        assert_eq!(
            other
                .files()
                .download(id)
                .await
                .expect_err("foreign")
                .code(),
            "not_found"
        );
        assert_eq!(
            other.files().delete(id).await.expect_err("foreign").code(),
            "not_found"
        );
    }
    assert!(
        other
            .files()
            .list(&PageRequest::default())
            .await
            .expect("list")
            .items
            .is_empty()
    );
    // A portal user deletes their own uploads, never the org's files.
    assert_eq!(
        session
            .files()
            .delete(contract.id)
            .await
            .expect_err("org's file")
            .code(),
        "not_found"
    );
    session.files().delete(upload.id).await.expect("delete own");
    assert_eq!(
        session
            .files()
            .download(upload.id)
            .await
            .expect_err("gone")
            .code(),
        "not_found"
    );
    assert!(matches!(
        env.files.get_file(org.id, upload.id).await,
        Err(portal_core::store::StoreError::NotFound(_))
    ));

    // Uploads off: viewing still works, uploading is refused.
    admin
        .update_settings(|s| s.preferences.allow_uploads = false)
        .await
        .expect("off");
    let session = env.portal.session(&token).await.expect("session");
    assert_eq!(
        session
            .files()
            .upload("more.txt", b"more")
            .await
            .expect_err("off")
            .code(),
        "forbidden"
    );
    session
        .files()
        .download(contract.id)
        .await
        .expect("still downloads");

    // N1 and N3: the upload emailed the org and is in the feed, once.
    env.portal.dispatch_emails(100).await.expect("dispatch");
    assert!(
        env.mailer
            .sent_to("billing@acme.example.com")
            .iter()
            .any(|m| m.subject == "Payer uploaded timesheet.txt")
    );
    let feed = admin
        .activity(customer.id, &PageRequest::default())
        .await
        .expect("feed");
    assert_eq!(
        feed.items.iter().map(|a| a.event).collect::<Vec<_>>(),
        vec![PortalEvent::FileUploaded]
    );
}

mod share_upload_download {
    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn memory() {
        share_upload_download(small_uploads(Backend::Memory).await.expect("memory")).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite() {
        share_upload_download(small_uploads(Backend::Sqlite).await.expect("sqlite")).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres() {
        if let Some(env) = small_uploads(Backend::Postgres).await {
            share_upload_download(env).await;
        }
    }
}

/// A file store that can be told to fail, and remembers what it holds.
#[derive(Debug, Default)]
struct FlakyFiles {
    fail_puts: std::sync::atomic::AtomicBool,
    held: std::sync::Mutex<std::collections::HashMap<portal_core::domain::FileId, Vec<u8>>>,
}

impl FlakyFiles {
    fn held(&self) -> usize {
        self.held.lock().expect("lock").len()
    }
}

#[async_trait::async_trait]
impl portal_core::FileStore for FlakyFiles {
    async fn put_file(
        &self,
        _org: portal_core::domain::OrgId,
        id: portal_core::domain::FileId,
        bytes: &[u8],
    ) -> portal_core::store::StoreResult<()> {
        if self.fail_puts.load(std::sync::atomic::Ordering::SeqCst) {
            return Err(portal_core::store::StoreError::Unavailable(
                "bucket offline".into(),
            ));
        }
        self.held.lock().expect("lock").insert(id, bytes.to_vec());
        Ok(())
    }

    async fn get_file(
        &self,
        _org: portal_core::domain::OrgId,
        id: portal_core::domain::FileId,
    ) -> portal_core::store::StoreResult<Vec<u8>> {
        self.held
            .lock()
            .expect("lock")
            .get(&id)
            .cloned()
            .ok_or(portal_core::store::StoreError::NotFound(Entity::File))
    }

    async fn delete_file(
        &self,
        _org: portal_core::domain::OrgId,
        id: portal_core::domain::FileId,
    ) -> portal_core::store::StoreResult<()> {
        self.held.lock().expect("lock").remove(&id);
        Ok(())
    }
}

/// With the host's own file store: bytes go there, not to the store; a failed byte
/// write records nothing; a failed record leaves no bytes behind.
#[tokio::test]
async fn a_host_file_store_holds_the_bytes_and_failures_leave_nothing() {
    let files = std::sync::Arc::new(FlakyFiles::default());
    let env = common::backends::env(Backend::Sqlite)
        .await
        .expect("sqlite")
        .with_file_store(files.clone());
    let org = env.org().await;
    let (customer, _, session) = env.signed_in(&org, "USD").await;
    let shared = env
        .portal
        .org(org.id)
        .files()
        .share(customer.id, "report.pdf", PDF)
        .await
        .expect("share");
    assert_eq!(files.held(), 1);
    assert!(
        env.files.get_file(org.id, shared.id).await.is_err(),
        "the store itself holds no bytes"
    );
    assert_eq!(
        session
            .files()
            .download(shared.id)
            .await
            .expect("download")
            .1,
        PDF
    );

    files
        .fail_puts
        .store(true, std::sync::atomic::Ordering::SeqCst);
    assert_eq!(
        session
            .files()
            .upload("notes.txt", b"hello")
            .await
            .expect_err("bucket offline")
            .code(),
        "store_unavailable"
    );
    files
        .fail_puts
        .store(false, std::sync::atomic::Ordering::SeqCst);
    assert_eq!(
        session
            .files()
            .list(&PageRequest::default())
            .await
            .expect("list")
            .items,
        vec![shared.clone()],
        "nothing recorded for the failed upload"
    );
    assert!(
        env.portal
            .org(org.id)
            .activity(customer.id, &PageRequest::default())
            .await
            .expect("feed")
            .items
            .is_empty(),
        "and nothing in the feed"
    );
    // Sharing with a customer that does not exist: the record fails, the bytes go.
    assert_eq!(
        env.portal
            .org(org.id)
            .files()
            .share(portal_core::domain::CustomerId::new(), "x.txt", b"x")
            .await
            .expect_err("no such customer")
            .code(),
        "not_found"
    );
    assert_eq!(files.held(), 1, "no orphaned bytes");
}
