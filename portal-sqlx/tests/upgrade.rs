//! A database made by an earlier release upgrades in place: the SQLite migration
//! that rebuilds the comments table (to allow comments on projects and timesheets)
//! keeps every existing comment.

use std::sync::Arc;

use portal_core::domain::{
    CommentTarget, Currency, LineItem, NewCustomer, NewOrganization, NewQuote, PortalSlug,
};
use portal_core::{Backend, Portal};
use portal_memory::RecordingMailer;
use portal_sqlx::{MIGRATIONS_TABLE, SqliteStore, sqlx};

/// The migrations up to and including `last` (a version prefix), in a new folder.
fn migrations_until(last: &str) -> std::path::PathBuf {
    let source = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations/sqlite");
    let dir = std::env::temp_dir().join(format!("portal-upgrade-{}", uuid::Uuid::now_v7()));
    std::fs::create_dir_all(&dir).expect("dir");
    for entry in std::fs::read_dir(&source).expect("migrations") {
        let path = entry.expect("entry").path();
        let name = path
            .file_name()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        if name.as_str() <= last || name.starts_with(last) {
            std::fs::copy(&path, dir.join(&name)).expect("copy");
        }
    }
    dir
}

#[tokio::test]
async fn comments_survive_the_upgrade_that_widens_their_targets() {
    let path = portal_sqlx::testing::sqlite_path();
    let store = SqliteStore::connect(&format!("sqlite://{}", path.display()))
        .await
        .expect("open");
    let old = migrations_until("20261123000007");
    let mut migrator = sqlx::migrate::Migrator::new(old.as_path())
        .await
        .expect("old migrations");
    migrator.dangerous_set_table_name(MIGRATIONS_TABLE);
    assert_eq!(migrator.iter().count(), 7);
    migrator.run(store.pool()).await.expect("old schema");

    // Data written by the earlier release.
    let shared: Arc<dyn Backend> = Arc::new(store.clone());
    let portal = Portal::builder(shared, Arc::new(RecordingMailer::new()))
        .build()
        .expect("portal");
    let org = portal
        .create_org(NewOrganization {
            name: "Before".into(),
            slug: PortalSlug::parse("before-upgrade").expect("slug"),
        })
        .await
        .expect("org");
    let admin = portal.org(org.id);
    let (customer, _) = admin
        .customers()
        .create(
            NewCustomer::new("Old Co", Currency::from_code("EUR").expect("eur")),
            vec![],
        )
        .await
        .expect("customer");
    let quote = admin
        .quotes()
        .create(
            customer.id,
            NewQuote {
                number: "Q-OLD".into(),
                lines: vec![LineItem::new(
                    "x",
                    portal_core::Decimal::ONE,
                    portal_core::Decimal::TEN,
                )],
                issue_date: time::macros::date!(2026 - 01 - 01),
                expiry_date: time::macros::date!(2026 - 12 - 31),
            },
        )
        .await
        .expect("quote");
    let before = admin
        .comments()
        .add(
            customer.id,
            CommentTarget::Quote(quote.id),
            "written before",
            false,
        )
        .await
        .expect("comment");

    // The current release migrates the rest and reads it all back.
    store.migrate().await.expect("upgrade");
    assert_eq!(
        admin
            .comments()
            .list(customer.id, CommentTarget::Quote(quote.id))
            .await
            .expect("comments"),
        vec![before]
    );
    let project = admin
        .projects()
        .create(customer.id, "New", "")
        .await
        .expect("project");
    admin
        .comments()
        .add(
            customer.id,
            CommentTarget::Project(project.id),
            "after",
            false,
        )
        .await
        .expect("a comment on a project, new in this release");
    store.pool().close().await;
    portal_sqlx::testing::remove_sqlite_files(&path);
    let _ = std::fs::remove_dir_all(&old);
}
