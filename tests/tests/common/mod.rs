//! A small world for service tests: memory store, recording mailer, manual clock.

#![allow(dead_code, unreachable_pub)]

use std::sync::Arc;

use portal_core::clock::ManualClock;
use portal_core::prelude::*;
use portal_memory::{MemoryStore, RecordingMailer};
use time::macros::datetime;

pub const PASSWORD: &str = "correct horse battery staple";

pub struct World {
    pub portal: Portal,
    pub store: Arc<MemoryStore>,
    pub mailer: Arc<RecordingMailer>,
    pub clock: Arc<ManualClock>,
}

impl World {
    /// The world's clock, now.
    pub fn clock_now(&self) -> portal_core::OffsetDateTime {
        portal_core::clock::Clock::now(&*self.clock)
    }

    pub fn new() -> Self {
        Self::with_config(PortalConfig::default().with_base_url("https://portal.test"))
    }

    pub fn with_config(config: PortalConfig) -> Self {
        let store = Arc::new(MemoryStore::new());
        let mailer = Arc::new(RecordingMailer::new());
        let clock = Arc::new(ManualClock::new(datetime!(2026-05-04 09:00 UTC)));
        let portal = Portal::builder(store.clone(), mailer.clone())
            .with_clock(clock.clone())
            .with_config(config)
            .build()
            .expect("portal");
        Self {
            portal,
            store,
            mailer,
            clock,
        }
    }

    pub async fn org(&self, slug: &str) -> Organization {
        self.portal
            .create_org(NewOrganization {
                name: format!("Org {slug}"),
                slug: PortalSlug::parse(slug).expect("slug"),
            })
            .await
            .expect("org")
    }

    /// A customer whose contacts have these emails (None: no email).
    pub async fn customer(
        &self,
        org: OrgId,
        emails: &[Option<&str>],
    ) -> (Customer, Vec<ContactPerson>) {
        let contacts = emails
            .iter()
            .enumerate()
            .map(|(i, e)| {
                NewContact::new(
                    format!("Person{i}"),
                    "Test",
                    e.map(|e| Email::parse(e).expect("email")),
                )
            })
            .collect();
        self.portal
            .org(org)
            .customers()
            .create(
                NewCustomer::new("Customer", Currency::from_code("USD").expect("usd")),
                contacts,
            )
            .await
            .expect("customer")
    }

    /// Sends the outbox and returns the token of the last link containing `marker`
    /// emailed to `to`.
    pub async fn link_token(&self, to: &str, marker: &str) -> String {
        self.portal.dispatch_emails(1_000).await.expect("dispatch");
        let link = self
            .mailer
            .last_link_to(to, marker)
            .expect("a link was emailed");
        link.rsplit('/').next().expect("token").to_owned()
    }

    pub async fn accept(&self, token: &str, password: &str) -> portal_core::Result<SignedIn> {
        self.portal
            .accept_invitation(
                token,
                AcceptInvitation {
                    password: password.into(),
                    password_confirmation: password.into(),
                    preferences: None,
                },
            )
            .await
    }

    /// The code `session(token)` answers with, or `"ok"` if it gives a session.
    pub async fn session_code(&self, token: &str) -> &'static str {
        self.portal
            .session(token)
            .await
            .map_or_else(|e| e.code(), |_| "ok")
    }

    /// The code `sign_in` answers with, or `"ok"` if it signs in.
    pub async fn sign_in_code(&self, slug: &str, email: &str, password: &str) -> &'static str {
        self.portal
            .sign_in(
                slug,
                email,
                password,
                &portal_core::auth::ClientKey::unknown(),
            )
            .await
            .map_or_else(|e| e.code(), |_| "ok")
    }

    /// The "acme" portal with one customer whose contacts are every kind a sign-in
    /// can name: ana@example.com active with [`PASSWORD`], rui@example.com invited
    /// with no password yet, eva@example.com active and then disabled.
    pub async fn contacts_of_every_kind(&self) {
        let org = self.org("acme").await;
        let (customer, contacts) = self
            .customer(
                org.id,
                &[
                    Some("ana@example.com"),
                    Some("rui@example.com"),
                    Some("eva@example.com"),
                ],
            )
            .await;
        let admin = self.portal.org(org.id);
        self.activate(org.id, &customer, &contacts[0]).await;
        self.activate(org.id, &customer, &contacts[2]).await;
        admin
            .contacts()
            .disable(contacts[2].id)
            .await
            .expect("disable");
        admin
            .contacts()
            .enable_access(customer.id, &[contacts[1].id])
            .await
            .expect("invited only");
    }

    /// Invites `contact` of `customer` and accepts with [`PASSWORD`].
    pub async fn activate(
        &self,
        org: OrgId,
        customer: &Customer,
        contact: &ContactPerson,
    ) -> SignedIn {
        self.portal
            .org(org)
            .contacts()
            .enable_access(customer.id, &[contact.id])
            .await
            .expect("invite");
        let email = contact.email.clone().expect("email");
        let token = self.link_token(email.as_str(), "/invitation/").await;
        self.accept(&token, PASSWORD).await.expect("accept")
    }
}
pub mod backends;
pub mod delegating;
pub mod faulty;
pub mod instances;
pub mod paying;
pub mod timesheets;
