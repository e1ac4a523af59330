//! A database made by an earlier release upgrades in place: the SQLite migration
//! that rebuilds the comments table (to allow comments on projects and timesheets)
//! keeps every existing comment, and on both engines a pending payment attempt's
//! reservation rows become its holds, which failing it gives back.

use crate::common;

use std::sync::Arc;

use common::paying::signed_in;
use portal_core::domain::{
    AttemptId, CommentTarget, Currency, InvoiceId, LineItem, NewCustomer, NewOrganization,
    NewQuote, PortalSlug,
};
use portal_core::store::PaymentStore as _;
use portal_core::{Backend, Portal};
use portal_memory::RecordingMailer;
use portal_sqlx::sqlx::Executor;
use portal_sqlx::sqlx::types::Json;
use portal_sqlx::{Engine, MIGRATIONS_TABLE, PostgresStore, SqlStore, SqliteStore, sqlx};
use uuid::Uuid;

/// The `engine`'s migrations up to and including `last` (a version prefix), in a
/// new folder.
fn migrations_until(engine: &str, last: &str) -> std::path::PathBuf {
    let source = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("migrations")
        .join(engine);
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
    let old = migrations_until("sqlite", "20261123000007");
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
            CommentTarget::Document(portal_core::domain::DocumentRef::Quote(quote.id)),
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
            .list(
                customer.id,
                CommentTarget::Document(portal_core::domain::DocumentRef::Quote(quote.id))
            )
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

/// An attempt on the first two invoices, pending, written as the release before
/// `holds` did: the attempt, a reservation row per invoice, and the invoices'
/// `reserved_minor`.
async fn pending_attempt_before_holds<DB: Engine>(
    pool: &sqlx::Pool<DB>,
    session: &portal_core::PortalSession,
    invoices: &[InvoiceId],
) -> Uuid
where
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
{
    let customer = session.customer_id().as_uuid();
    let org = session.org_id().as_uuid();
    let attempt = Uuid::now_v7();
    let ids: Vec<String> = invoices[..2]
        .iter()
        .map(|i| i.as_uuid().to_string())
        .collect();
    let insert = sqlx::query::<DB>(
        "INSERT INTO portal_payment_attempts (id, org_id, customer_id, idempotency_key, \
         fingerprint, currency, amount_minor, invoices, gateway, status, created_at) \
         VALUES ($1, $2, $3, 'before-holds', 'f', 'USD', 3500, $4, 'test', 'pending', $5)",
    );
    let insert = DB::bind(insert, attempt);
    let insert = DB::bind(insert, org);
    let insert = DB::bind(insert, customer);
    let insert = DB::bind(insert, Json(ids));
    DB::bind(insert, DB::ts_to_db(time::OffsetDateTime::now_utc()))
        .execute(pool)
        .await
        .expect("attempt");
    for (invoice, amount) in [(invoices[0], 2_500_i64), (invoices[1], 1_000)] {
        let hold = sqlx::query::<DB>(
            "INSERT INTO portal_payment_reservations (attempt_id, invoice_id, org_id, amount_minor) \
             VALUES ($1, $2, $3, $4)",
        );
        let hold = DB::bind(hold, attempt);
        let hold = DB::bind(hold, invoice.as_uuid());
        let hold = DB::bind(hold, org);
        DB::bind(hold, amount)
            .execute(pool)
            .await
            .expect("reservation");
        let reserve = sqlx::query::<DB>(
            "UPDATE portal_invoices SET reserved_minor = reserved_minor + $1 WHERE id = $2",
        );
        let reserve = DB::bind(reserve, amount);
        DB::bind(reserve, invoice.as_uuid())
            .execute(pool)
            .await
            .expect("reserve");
    }
    attempt
}

/// The invoices' `reserved_minor`, in the order given.
async fn reserved<DB: Engine>(pool: &sqlx::Pool<DB>, invoices: &[InvoiceId]) -> Vec<i64>
where
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
{
    let mut held = Vec::new();
    for invoice in invoices {
        let q = sqlx::query::<DB>("SELECT reserved_minor FROM portal_invoices WHERE id = $1");
        let row = DB::bind(q, invoice.as_uuid())
            .fetch_one(pool)
            .await
            .expect("invoice");
        held.push(DB::column::<i64>(&row, "reserved_minor").expect("reserved"));
    }
    held
}

/// The release before `holds`: the first 17 migrations of `engine`, in a folder
/// the caller removes.
async fn before_holds(engine: &str) -> (sqlx::migrate::Migrator, std::path::PathBuf) {
    let old = migrations_until(engine, "20261130000017");
    let mut migrator = sqlx::migrate::Migrator::new(old.as_path())
        .await
        .expect("old migrations");
    migrator.dangerous_set_table_name(MIGRATIONS_TABLE);
    assert_eq!(migrator.iter().count(), 17);
    (migrator, old)
}

/// On a store at the release before `holds`: writes a pending attempt the old
/// way, upgrades (`upgrade`), and fails the attempt.
async fn reservations_become_holds<DB: Engine>(store: SqlStore<DB>, upgrade: impl AsyncFnOnce())
where
    SqlStore<DB>: Backend,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
{
    let mailer = Arc::new(RecordingMailer::new());
    let portal = Portal::builder(Arc::new(store.clone()), mailer.clone())
        .build()
        .expect("portal");
    let (session, invoices) = signed_in(&portal, &mailer).await;
    let attempt = pending_attempt_before_holds(store.pool(), &session, &invoices).await;
    assert_eq!(reserved(store.pool(), &invoices).await, [2_500, 1_000, 0]);

    upgrade().await;
    let q = sqlx::query::<DB>("SELECT holds FROM portal_payment_attempts WHERE id = $1");
    let row = DB::bind(q, attempt)
        .fetch_one(store.pool())
        .await
        .expect("attempt");
    let Json(holds): Json<serde_json::Value> = DB::column(&row, "holds").expect("holds");
    let mut expected = vec![
        serde_json::json!({"invoice_id": invoices[0].as_uuid(), "amount_minor": 2_500}),
        serde_json::json!({"invoice_id": invoices[1].as_uuid(), "amount_minor": 1_000}),
    ];
    expected.sort_by_key(|h| h["invoice_id"].as_str().map(str::to_owned));
    assert_eq!(holds, serde_json::Value::Array(expected));

    // Failing it gives both holds back.
    store
        .fail_payment_attempt(
            session.org_id(),
            AttemptId::from_uuid(attempt),
            portal_core::domain::FailureCode::GatewayUnavailable,
            "never answered",
            &portal_core::store::FailureNotice::default(),
        )
        .await
        .expect("fail the attempt");
    assert_eq!(reserved(store.pool(), &invoices).await, [0, 0, 0]);
}

#[tokio::test]
async fn sqlite_reservations_become_holds() {
    let path = portal_sqlx::testing::sqlite_path();
    let store = SqliteStore::connect(&format!("sqlite://{}", path.display()))
        .await
        .expect("open");
    let (migrator, old) = before_holds("sqlite").await;
    migrator.run(store.pool()).await.expect("old schema");
    reservations_become_holds(store.clone(), async || {
        store.migrate().await.expect("upgrade");
    })
    .await;
    store.pool().close().await;
    portal_sqlx::testing::remove_sqlite_files(&path);
    let _ = std::fs::remove_dir_all(&old);
}

#[tokio::test]
async fn postgres_reservations_become_holds() {
    let Some(options) = portal_sqlx::testing::postgres_empty_schema().await else {
        return;
    };
    let store = PostgresStore::connect_with(options)
        .await
        .expect("connect to the schema");
    let (migrator, old) = before_holds("postgres").await;
    migrator.run(store.pool()).await.expect("old schema");
    reservations_become_holds(store.clone(), async || {
        store.migrate().await.expect("upgrade");
    })
    .await;
    store.pool().close().await;
    let _ = std::fs::remove_dir_all(&old);
}
