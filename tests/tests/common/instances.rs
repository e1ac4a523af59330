//! Two app instances over one store (two pools on one database for PostgreSQL and
//! SQLite; two portals over one MemoryStore), one shared gateway whose door a test
//! can hold shut, and a signed-in customer with one sent invoice: what the
//! concurrency suite races on.

#![allow(dead_code, unreachable_pub)]

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use portal_core::gateway::{ChargeOutcome, ChargeRequest, ChargeSource, GatewayError, SaveOutcome};
use portal_core::prelude::*;
use portal_memory::{RecordingMailer, TestGateway, cards};
use portal_sqlx::{PostgresStore, SqliteStore};
use rust_decimal::Decimal;
use time::macros::date;
use tokio::sync::{Notify, Semaphore};

/// The test gateway behind a door: while it is shut, a charge waits at it (the
/// payment is in flight) until the test opens it.
#[derive(Debug)]
pub struct Door {
    inner: Arc<TestGateway>,
    shut: AtomicBool,
    arrived: Semaphore,
    opened: Notify,
}

impl Door {
    fn new(inner: Arc<TestGateway>) -> Self {
        Self {
            inner,
            shut: AtomicBool::new(false),
            arrived: Semaphore::new(0),
            opened: Notify::new(),
        }
    }

    /// Charges wait from now on.
    pub fn shut(&self) {
        self.shut.store(true, Ordering::SeqCst);
    }

    /// Waits until `n` charges are waiting at the shut door.
    pub async fn waiting(&self, n: u32) {
        self.arrived
            .acquire_many(n)
            .await
            .expect("the door's semaphore is never closed")
            .forget();
    }

    /// Lets every waiting and later charge through.
    pub fn open(&self) {
        self.shut.store(false, Ordering::SeqCst);
        self.opened.notify_waiters();
    }
}

super::delegating::delegate_gateway!(Door, inner, {
    fn id(&self) -> &str {
        self.inner.id()
    }
    fn accepts_typed_details(&self) -> bool {
        self.inner.accepts_typed_details()
    }
    async fn charge(&self, request: &ChargeRequest) -> Result<ChargeOutcome, GatewayError> {
        if self.shut.load(Ordering::SeqCst) {
            self.arrived.add_permits(1);
            loop {
                let opened = self.opened.notified();
                tokio::pin!(opened);
                opened.as_mut().enable();
                if !self.shut.load(Ordering::SeqCst) {
                    break;
                }
                opened.await;
            }
        }
        self.inner.charge(request).await
    }
    async fn save_method(&self, source: &ChargeSource) -> Result<SaveOutcome, GatewayError> {
        self.inner.save_method(source).await
    }
});

pub struct Instances {
    pub a: Portal,
    pub b: Portal,
    pub gateway: Arc<TestGateway>,
    /// The gateway both portals charge through.
    pub door: Arc<Door>,
    pub mailer: Arc<RecordingMailer>,
    _file: Option<std::path::PathBuf>,
}

impl Drop for Instances {
    fn drop(&mut self) {
        if let Some(f) = &self._file {
            portal_sqlx::testing::remove_sqlite_files(f);
        }
    }
}

fn instances<S: Backend>(a: Arc<S>, b: Arc<S>, file: Option<std::path::PathBuf>) -> Instances {
    let gateway = Arc::new(TestGateway::new("test"));
    let door = Arc::new(Door::new(gateway.clone()));
    let mailer = Arc::new(RecordingMailer::new());
    let build = |store: Arc<S>| {
        Portal::builder(store, mailer.clone())
            .with_gateway(door.clone())
            .build()
            .expect("portal")
    };
    Instances {
        a: build(a),
        b: build(b),
        gateway,
        door,
        mailer,
        _file: file,
    }
}

pub async fn postgres_instances() -> Option<Instances> {
    let options = portal_sqlx::testing::postgres_options().await?;
    let a = PostgresStore::connect_with(options.clone())
        .await
        .expect("a");
    let b = PostgresStore::connect_with(options).await.expect("b");
    Some(instances(Arc::new(a), Arc::new(b), None))
}

pub async fn memory_instances() -> Instances {
    let store = Arc::new(portal_memory::MemoryStore::new());
    instances(store.clone(), store, None)
}

pub async fn sqlite_instances() -> Option<Instances> {
    let path = portal_sqlx::testing::sqlite_path();
    let a: SqliteStore = portal_sqlx::testing::sqlite_at(&path).await;
    let b: SqliteStore = portal_sqlx::testing::sqlite_at(&path).await;
    Some(instances(Arc::new(a), Arc::new(b), Some(path)))
}

pub fn card() -> PaySource {
    PaySource::Card(Box::new(CardDetails {
        number: cards::VISA_OK.into(),
        cvv: "123".into(),
        exp_month: 1,
        exp_year: 2031,
        holder: "P".into(),
        billing_address: portal_core::domain::Address::default(),
        country: "US".into(),
    }))
}

/// An org, a signed-in customer (its session token) and one sent invoice.
pub async fn setup(
    i: &Instances,
    total_minor: i64,
    partial: bool,
) -> (String, portal_core::domain::InvoiceId) {
    let t = uuid::Uuid::now_v7().simple().to_string();
    let org =
        i.a.create_org(NewOrganization {
            name: "Busy".into(),
            slug: PortalSlug::parse(&format!("busy-{}", &t[t.len() - 10..])).expect("slug"),
        })
        .await
        .expect("org");
    let admin = i.a.org(org.id);
    let email = format!("busy-{}@example.com", &t[t.len() - 10..]);
    let usd = Currency::from_code("USD").expect("usd");
    let (customer, contacts) = admin
        .customers()
        .create(
            NewCustomer::new("Busy Customer", usd),
            vec![NewContact::new(
                "B",
                "",
                Some(Email::parse(&email).expect("email")),
            )],
        )
        .await
        .expect("customer");
    admin
        .contacts()
        .enable_access(customer.id, &[contacts[0].id])
        .await
        .expect("invite");
    i.a.dispatch_emails(10).await.expect("dispatch");
    let link = i.mailer.last_link_to(&email, "/invitation/").expect("link");
    let signed =
        i.a.accept_invitation(
            link.rsplit('/').next().expect("token"),
            AcceptInvitation {
                password: "concurrency is fun".into(),
                password_confirmation: "concurrency is fun".into(),
                preferences: None,
            },
        )
        .await
        .expect("accept");
    let draft = admin
        .invoices()
        .create(
            customer.id,
            NewInvoice {
                kind: InvoiceKind::Invoice,
                number: "BUSY-1".into(),
                lines: vec![LineItem::new(
                    "x",
                    Decimal::ONE,
                    Money::from_minor_units(total_minor, usd).amount(),
                )],
                issue_date: date!(2026 - 04 - 01),
                due_date: date!(2026 - 04 - 30),
                allow_partial_payments: partial,
                payment_gateways: vec!["test".into()],
            },
        )
        .await
        .expect("invoice");
    admin.invoices().send(draft.id).await.expect("send");
    (signed.token.expose().to_owned(), draft.id)
}

/// Runs each scenario (an `async fn(Instances)`) as three tests: on the memory
/// store, on PostgreSQL (when a server is configured) and on SQLite. The calling
/// module imports `memory_instances`, `postgres_instances` and `sqlite_instances`.
#[allow(unused_macros)]
macro_rules! on_every_backend {
    ($($scenario:ident),*) => {
        $(
            mod $scenario {
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn memory() {
                    super::$scenario(super::memory_instances().await).await;
                }

                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn postgres() {
                    if let Some(i) = super::postgres_instances().await {
                        super::$scenario(i).await;
                    }
                }

                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn sqlite() {
                    let i = super::sqlite_instances().await.expect("sqlite");
                    super::$scenario(i).await;
                }
            }
        )*
    };
}

#[allow(unused_imports)]
pub(crate) use on_every_backend;
