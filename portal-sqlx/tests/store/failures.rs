//! Failure behaviour: an unreachable server, a connection dropped in the middle of
//! an operation, an unopenable SQLite file. Clear `Unavailable` errors, no panic,
//! nothing half-written.

use crate::common;

use std::sync::Arc;
use std::time::Duration;

use portal_core::auth::{AccessToken, SecretToken, TokenPurpose};
use portal_core::domain::{
    ContactPerson, Currency, Customer, Email, EmailKind, NewContact, NewCustomer, NewOrganization,
    OrgId, Organization, OutboxEmail, PortalSlug, PortalStatus, TokenId,
};
use portal_core::store::{
    AccessStore, ContactStore, Invitation, InvitationBatch, OrgStore, OutboxStore, StoreError,
};
use portal_core::{Portal, Store};
use portal_memory::RecordingMailer;
use portal_sqlx::sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use portal_sqlx::{PostgresStore, SqliteStore, sqlx};
use time::OffsetDateTime;

fn closed_port_options() -> PgConnectOptions {
    // Port 1 on loopback: nothing listens there.
    PgConnectOptions::new()
        .host("127.0.0.1")
        .port(1)
        .username("postgres")
        .database("portal")
}

#[tokio::test]
async fn an_unreachable_server_is_unavailable_not_a_panic() {
    let err = PostgresStore::connect_with(closed_port_options())
        .await
        .expect_err("nothing listens on port 1");
    assert!(matches!(err, StoreError::Unavailable(_)), "{err:?}");
    assert!(err.to_string().starts_with("storage unavailable"), "{err}");

    // A pool that connects lazily reports the same on the first call, through the
    // services too.
    let pool = PgPoolOptions::new()
        .acquire_timeout(Duration::from_secs(2))
        .connect_lazy_with(closed_port_options());
    let store = PostgresStore::from_pool(pool);
    let err = store.org(OrgId::new()).await.expect_err("unreachable");
    assert!(matches!(err, StoreError::Unavailable(_)), "{err:?}");
    let portal = Portal::builder(Arc::new(store), Arc::new(RecordingMailer::new()))
        .build()
        .expect("portal");
    let err = portal
        .sign_in(
            "acme",
            "ana@example.com",
            "whatever password",
            &portal_core::auth::ClientKey::unknown(),
        )
        .await
        .expect_err("unreachable");
    assert_eq!(err.code(), "store_unavailable");
    // The cause is kept for the host's logs.
    assert!(std::error::Error::source(&err).is_some() || err.to_string().contains("unavailable"));
}

#[tokio::test]
async fn an_unopenable_sqlite_file_is_unavailable() {
    let err = SqliteStore::connect("sqlite:///nonexistent-dir/portal/x.db")
        .await
        .expect_err("no such folder");
    assert!(matches!(err, StoreError::Unavailable(_)), "{err:?}");
}

fn now() -> OffsetDateTime {
    portal_core::clock::truncate_to_micros(OffsetDateTime::now_utc())
}

async fn setup(store: &dyn Store) -> (Organization, Customer, Vec<ContactPerson>) {
    let t = uuid::Uuid::now_v7().simple().to_string();
    let org = Organization::create(
        NewOrganization {
            name: "Drop".into(),
            slug: PortalSlug::parse(&format!("drop-{}", &t[t.len() - 10..])).expect("slug"),
        },
        now(),
    );
    store.create_org(&org).await.expect("org");
    let customer = Customer::create(
        org.id,
        NewCustomer::new("C", Currency::from_code("USD").expect("usd")),
        now(),
    );
    let contacts: Vec<ContactPerson> = ["a", "b"]
        .iter()
        .map(|n| {
            ContactPerson::create(
                org.id,
                customer.id,
                NewContact::new(
                    *n,
                    "",
                    Some(
                        Email::parse(&format!("{n}-{}@drop.example.com", &t[t.len() - 8..]))
                            .expect("email"),
                    ),
                ),
                now(),
            )
        })
        .collect();
    store
        .create_customer(&customer, &contacts)
        .await
        .expect("customer");
    (org, customer, contacts)
}

fn invitation(org: OrgId, contact: &ContactPerson) -> (SecretToken, Invitation) {
    let secret = SecretToken::generate().expect("random");
    let mut invited = contact.clone();
    invited.portal_status = PortalStatus::Invited;
    let token = AccessToken {
        id: TokenId::new(),
        org,
        contact: contact.id,
        purpose: TokenPurpose::Invitation,
        hash: secret.hash(),
        created_at: now(),
        expires_at: now() + time::Duration::days(7),
    };
    let email = OutboxEmail::new(
        org,
        EmailKind::Invitation,
        contact.email.clone().expect("email"),
        "s".into(),
        "b".into(),
        now(),
    );
    (
        secret,
        Invitation {
            contact: invited,
            token,
            email,
        },
    )
}

#[tokio::test]
async fn a_connection_dropped_mid_operation_writes_nothing() {
    let Some(options) = common::fresh_schema().await else {
        return;
    };
    let store = Arc::new(
        PostgresStore::connect_with(options.clone())
            .await
            .expect("connect"),
    );
    let (org, _customer, contacts) = setup(&*store).await;

    // Another session holds a lock on the second contact, so the invitation batch
    // writes the first contact's invitation and then waits.
    let admin = PgPoolOptions::new()
        .max_connections(2)
        .connect_with(options)
        .await
        .expect("admin");
    let mut blocker = admin.begin().await.expect("begin");
    sqlx::query("SELECT id FROM portal_contacts WHERE id = $1 FOR UPDATE")
        .bind(contacts[1].id.as_uuid())
        .fetch_one(&mut *blocker)
        .await
        .expect("lock");

    let (first_secret, first) = invitation(org.id, &contacts[0]);
    let (_, second) = invitation(org.id, &contacts[1]);
    let batch = InvitationBatch {
        org: org.id,
        portal_user_cap: 100,
        invitations: vec![first, second],
    };
    let task = {
        let store = store.clone();
        tokio::spawn(async move { store.issue_invitations(&batch).await })
    };

    // Find the waiting backend and kill its connection, as a crash or a network cut
    // would.
    let mut pid = None;
    for _ in 0..200 {
        pid = sqlx::query_scalar::<_, i32>(
            "SELECT pid FROM pg_stat_activity WHERE wait_event_type = 'Lock' \
             AND query LIKE 'UPDATE portal_contacts%' LIMIT 1",
        )
        .fetch_optional(&admin)
        .await
        .expect("pg_stat_activity");
        if pid.is_some() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    let pid = pid.expect("the batch is waiting on the lock");
    let killed: bool = sqlx::query_scalar("SELECT pg_terminate_backend($1)")
        .bind(pid)
        .fetch_one(&admin)
        .await
        .expect("terminate");
    assert!(killed);

    let err = task
        .await
        .expect("no panic")
        .expect_err("the operation failed");
    assert!(matches!(err, StoreError::Unavailable(_)), "{err:?}");
    blocker.rollback().await.expect("release");

    // Nothing of the half-done batch is there, and the store still works.
    for c in &contacts {
        let read = store.contact(org.id, c.id).await.expect("read");
        assert_eq!(read.portal_status, PortalStatus::NotInvited);
        assert_eq!(read.version, c.version);
    }
    assert!(matches!(
        store.access_token(&first_secret.key()).await,
        Err(StoreError::NotFound(_))
    ));
    assert!(
        store
            .pending_emails(org.id, 10)
            .await
            .expect("pending")
            .is_empty()
    );
    assert_eq!(store.count_portal_users(org.id).await.expect("count"), 0);
}

/// The pool skips sqlx's ping before every statement but still pings a connection
/// that has sat idle: one the server ended meanwhile (a restart, an idle timeout, a
/// network cut) is replaced before the statement runs, and the call succeeds.
#[tokio::test]
async fn a_connection_ended_while_idle_is_replaced_before_use() {
    let Some(options) = common::fresh_schema().await else {
        return;
    };
    let name = format!("idle-{}", uuid::Uuid::now_v7().simple());
    let store = PostgresStore::connect_with(options.clone().application_name(&name))
        .await
        .expect("connect");
    let (org, _, _) = setup(&store).await;
    store.org(org.id).await.expect("a first call");

    let admin = PgPoolOptions::new()
        .max_connections(1)
        .connect_with(options)
        .await
        .expect("admin");
    let ended: Vec<bool> = sqlx::query_scalar(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1",
    )
    .bind(&name)
    .fetch_all(&admin)
    .await
    .expect("terminate");
    assert!(
        !ended.is_empty() && ended.iter().all(|e| *e),
        "the store's connections are ended: {ended:?}"
    );

    tokio::time::sleep(Duration::from_millis(600)).await;
    let again = store
        .org(org.id)
        .await
        .expect("a new connection serves the call");
    assert_eq!(again.id, org.id);
}
