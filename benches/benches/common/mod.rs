//! What every bench needs: the two stores it compares, made fresh per size.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use portal_core::prelude::*;
use portal_memory::{MemoryStore, RecordingMailer};

/// A temporary directory for the benches' SQLite files, removed on drop.
pub(crate) struct BenchDir(PathBuf);

impl BenchDir {
    /// A fresh directory named after `bench` and this process.
    pub(crate) fn new(bench: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("portal-bench-{bench}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        Self(dir)
    }

    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for BenchDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// An empty memory store and an empty, migrated SQLite store (a file in `dir`
/// named after `size`), with their names.
pub(crate) fn stores(
    rt: &tokio::runtime::Runtime,
    dir: &BenchDir,
    size: usize,
) -> [(&'static str, Arc<dyn Backend>); 2] {
    let memory: Arc<dyn Backend> = Arc::new(MemoryStore::new());
    let path = dir.path().join(format!("bench-{size}.db"));
    let _ = std::fs::remove_file(&path);
    let sqlite: Arc<dyn Backend> = rt.block_on(async {
        let s = portal_sqlx::SqliteStore::connect(&format!("sqlite://{}", path.display()))
            .await
            .expect("sqlite");
        s.migrate().await.expect("migrate");
        Arc::new(s) as Arc<dyn Backend>
    });
    [("memory", memory), ("sqlite", sqlite)]
}

/// Invites the customer's `contact` (whose email is `email`), follows the emailed
/// link and accepts with a password: the contact signed in.
pub(crate) async fn invited_and_signed_in(
    portal: &Portal,
    mailer: &RecordingMailer,
    (org, customer, contact): (OrgId, CustomerId, ContactId),
    email: &str,
) -> SignedIn {
    portal
        .org(org)
        .contacts()
        .enable_access(customer, &[contact])
        .await
        .expect("invite");
    portal.dispatch_emails(10).await.expect("dispatch");
    let link = mailer.last_link_to(email, "/invitation/").expect("link");
    portal
        .accept_invitation(
            link.rsplit('/').next().expect("token"),
            AcceptInvitation {
                password: "bench bench bench".into(),
                password_confirmation: "bench bench bench".into(),
                preferences: None,
            },
        )
        .await
        .expect("accept")
}
