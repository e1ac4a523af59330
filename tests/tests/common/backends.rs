//! Runs a scenario on every backend: memory, SQLite, PostgreSQL.

#![allow(dead_code, unreachable_pub)]

use std::sync::Arc;

use portal_core::clock::ManualClock;
use portal_core::prelude::*;
use portal_memory::{MemoryStore, RecordingMailer, TestGateway};
use portal_sqlx::testing::TestDatabase;
use time::macros::datetime;

/// Which store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Memory,
    Sqlite,
    Postgres,
}

/// A portal over one backend with a test gateway named `test`.
pub struct Env {
    pub portal: Portal,
    pub store: Arc<dyn Store>,
    pub files: Arc<dyn FileStore>,
    pub mailer: Arc<RecordingMailer>,
    pub clock: Arc<ManualClock>,
    pub gateway: Arc<TestGateway>,
    _db: Option<TestDatabase>,
}

/// A backend's data store and file store (one object seen through both ports), and
/// the temporary database that must outlive them.
pub struct Stores {
    pub store: Arc<dyn Store>,
    pub files: Arc<dyn FileStore>,
    pub db: Option<TestDatabase>,
}

pub async fn store_for(backend: Backend) -> Option<Stores> {
    let db = match backend {
        Backend::Memory => {
            let memory = Arc::new(MemoryStore::new());
            return Some(Stores {
                store: memory.clone(),
                files: memory,
                db: None,
            });
        }
        Backend::Sqlite => portal_sqlx::testing::sqlite().await,
        Backend::Postgres => portal_sqlx::testing::postgres().await?,
    };
    Some(Stores {
        store: db.store(),
        files: db.files(),
        db: Some(db),
    })
}

pub async fn env(backend: Backend) -> Option<Env> {
    env_with(backend, PortalConfig::default()).await
}

/// Like [`env`], with `config` (its base URL is set to `https://portal.test`).
pub async fn env_with(backend: Backend, config: PortalConfig) -> Option<Env> {
    let Stores { store, files, db } = store_for(backend).await?;
    let mailer = Arc::new(RecordingMailer::new());
    let clock = Arc::new(ManualClock::new(datetime!(2026-05-04 09:00 UTC)));
    let gateway = Arc::new(TestGateway::new("test"));
    let portal = Portal::builder_with_files(store.clone(), files.clone(), mailer.clone())
        .with_clock(clock.clone())
        .with_gateway(gateway.clone())
        .with_config(config.with_base_url("https://portal.test"))
        .build()
        .expect("portal");
    Some(Env {
        portal,
        store,
        files,
        mailer,
        clock,
        gateway,
        _db: db,
    })
}

fn suffix() -> String {
    let t = uuid::Uuid::now_v7().simple().to_string();
    t[t.len() - 10..].to_owned()
}

impl Env {
    /// The environment's clock, now.
    pub fn clock_now(&self) -> portal_core::OffsetDateTime {
        portal_core::clock::Clock::now(&*self.clock)
    }

    /// The same environment with the host's own file store for shared files' bytes.
    pub fn with_file_store(mut self, files: Arc<dyn portal_core::FileStore>) -> Self {
        self.portal = Portal::builder_with_files(self.store.clone(), files, self.mailer.clone())
            .with_clock(self.clock.clone())
            .with_gateway(self.gateway.clone())
            .with_config(self.portal.config().clone())
            .build()
            .expect("portal");
        self
    }

    /// The same environment with `gateway` beside the test gateway.
    pub fn with_gateway(mut self, gateway: Arc<dyn portal_core::gateway::PaymentGateway>) -> Self {
        self.portal =
            Portal::builder_with_files(self.store.clone(), self.files.clone(), self.mailer.clone())
                .with_clock(self.clock.clone())
                .with_gateway(self.gateway.clone())
                .with_gateway(gateway)
                .with_config(self.portal.config().clone())
                .build()
                .expect("portal");
        self
    }

    /// The same environment with a document renderer: emails about a document
    /// carry it.
    pub fn with_renderer(
        mut self,
        renderer: Arc<dyn portal_core::mailer::DocumentRenderer>,
    ) -> Self {
        self.portal =
            Portal::builder_with_files(self.store.clone(), self.files.clone(), self.mailer.clone())
                .with_clock(self.clock.clone())
                .with_gateway(self.gateway.clone())
                .with_config(self.portal.config().clone())
                .with_renderer(renderer)
                .build()
                .expect("portal");
        self
    }

    /// An organization with a notification email.
    pub async fn org(&self) -> Organization {
        let org = self
            .portal
            .create_org(NewOrganization {
                name: "Acme".into(),
                slug: PortalSlug::parse(&format!("acme-{}", suffix())).expect("slug"),
            })
            .await
            .expect("org");
        self.portal
            .org(org.id)
            .update_settings(|s| {
                s.contact_details.email =
                    Some(Email::parse("billing@acme.example.com").expect("email"));
            })
            .await
            .expect("settings")
    }

    /// A customer with one contact, signed in to the portal.
    pub async fn signed_in(
        &self,
        org: &Organization,
        currency: &str,
    ) -> (Customer, ContactPerson, PortalSession) {
        let (customer, contact, session, _) = self.signed_in_with_token(org, currency).await;
        (customer, contact, session)
    }

    /// Like [`Self::signed_in`], with the session token to resolve it again later.
    pub async fn signed_in_with_token(
        &self,
        org: &Organization,
        currency: &str,
    ) -> (Customer, ContactPerson, PortalSession, String) {
        self.signed_in_with(org, currency, None).await
    }

    /// Like [`Self::signed_in_with_token`], accepting the invitation with
    /// `preferences` (`None`: the organization's defaults).
    pub async fn signed_in_with(
        &self,
        org: &Organization,
        currency: &str,
        preferences: Option<portal_core::domain::UserPreferences>,
    ) -> (Customer, ContactPerson, PortalSession, String) {
        let email = format!("payer-{}@example.com", suffix());
        let (customer, contact) = self
            .invited(org, ("Payer", currency), ("Pat", "Payer"), &email)
            .await;
        let link = self
            .mailer
            .last_link_to(&email, "/invitation/")
            .expect("link");
        let token = link.rsplit('/').next().expect("token");
        let signed = self
            .portal
            .accept_invitation(
                token,
                portal_core::service::AcceptInvitation {
                    password: "pay me back soon please".into(),
                    password_confirmation: "pay me back soon please".into(),
                    preferences,
                },
            )
            .await
            .expect("accept");
        let token = signed.token.expose().to_owned();
        (customer, contact, signed.session, token)
    }

    /// A new customer `(name, currency)` of `org` with one contact `(first,
    /// last)` at `email`, invited to the portal, the invitation sent.
    pub async fn invited(
        &self,
        org: &Organization,
        (name, currency): (&str, &str),
        (first, last): (&str, &str),
        email: &str,
    ) -> (Customer, ContactPerson) {
        let admin = self.portal.org(org.id);
        let (customer, contacts) = admin
            .customers()
            .create(
                NewCustomer::new(name, Currency::from_code(currency).expect("currency")),
                vec![NewContact::new(
                    first,
                    last,
                    Some(Email::parse(email).expect("email")),
                )],
            )
            .await
            .expect("customer");
        admin
            .contacts()
            .enable_access(customer.id, &[contacts[0].id])
            .await
            .expect("invite");
        self.portal.dispatch_emails(100).await.expect("dispatch");
        (customer, contacts[0].clone())
    }
}

/// An invoice to send through the org side: `env.invoice("INV-1", 12_345)` is one
/// line of that many minor units in the customer's currency, issued 2026-04-01, due
/// 2026-05-30, paid in full only, through the gateway `test`.
pub struct InvoiceFixture<'a> {
    env: &'a Env,
    number: String,
    minor: i64,
    due: time::Date,
    partial: bool,
    gateway: String,
}

impl InvoiceFixture<'_> {
    /// Due on `day`.
    pub fn due(mut self, day: time::Date) -> Self {
        self.due = day;
        self
    }

    /// Part payments allowed.
    pub fn partial(mut self) -> Self {
        self.partial = true;
        self
    }

    /// Paid through the gateway `id` (instead of `test`).
    pub fn through(mut self, id: &str) -> Self {
        self.gateway = id.into();
        self
    }

    /// Creates and sends it to `customer`.
    pub async fn sent_to(
        self,
        org: &Organization,
        customer: &Customer,
    ) -> portal_core::domain::Invoice {
        let admin = self.env.portal.org(org.id);
        let rate =
            portal_core::domain::Money::from_minor_units(self.minor, customer.currency).amount();
        let draft = admin
            .invoices()
            .create(
                customer.id,
                portal_core::domain::NewInvoice {
                    kind: portal_core::domain::InvoiceKind::Invoice,
                    number: self.number,
                    lines: vec![portal_core::domain::LineItem::new(
                        "Services",
                        rust_decimal::Decimal::ONE,
                        rate,
                    )],
                    issue_date: time::macros::date!(2026 - 04 - 01),
                    due_date: self.due,
                    allow_partial_payments: self.partial,
                    payment_gateways: vec![self.gateway],
                },
            )
            .await
            .expect("invoice");
        admin.invoices().send(draft.id).await.expect("send")
    }
}

impl Env {
    /// An invoice to send: see [`InvoiceFixture`].
    pub fn invoice(&self, number: &str, minor: i64) -> InvoiceFixture<'_> {
        InvoiceFixture {
            env: self,
            number: number.into(),
            minor,
            due: time::macros::date!(2026 - 05 - 30),
            partial: false,
            gateway: "test".into(),
        }
    }
}

/// Turns `async fn scenario(env: Env)` functions into one test per backend.
#[macro_export]
macro_rules! on_all_backends {
    ($($scenario:ident),* $(,)?) => {
        $(
            mod $scenario {
                use super::*;
                use common::backends::{Backend, env};

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn memory() {
                    super::$scenario(env(Backend::Memory).await.expect("memory")).await;
                }

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    super::$scenario(env(Backend::Sqlite).await.expect("sqlite")).await;
                }

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    if let Some(env) = env(Backend::Postgres).await {
                        super::$scenario(env).await;
                    }
                }
            }
        )*
    };
}
