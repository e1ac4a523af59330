//! The services: the org side ([`OrgAdmin`]) and the portal side ([`PortalSession`]),
//! both reached from one [`Portal`].

mod access;
mod activity;
mod approvals;
mod comments;
mod contacts;
mod credits;
mod customers;
mod documents;
mod files;
mod invoices;
mod links;
mod orgs;
mod outbox;
mod payment_methods;
mod payments;
mod printing;
mod projects;
mod quotes;
mod reviews;
mod sales_orders;
mod sessions;
mod statements;

use std::sync::Arc;

use time::Duration;

pub use access::{AcceptInvitation, SignedIn};
pub use approvals::{OrgApprovals, SessionApprovals};
pub use comments::{OrgComments, SessionComments};
pub use contacts::{DetailsUpdate, OrgContacts, SessionProfile};
pub use credits::{CreditPreview, CreditUse, OrgCredits, SessionCredits};
pub use customers::OrgCustomers;
pub use files::{OrgFiles, SessionFiles};
pub use invoices::{OrgInvoices, SessionInvoices};
pub use links::{LinkAccess, OrgLinks};
pub use orgs::{OrgAdmin, OrgRoles};
pub use outbox::{DispatchReport, SessionMessages};
pub use payment_methods::SessionPaymentMethods;
pub use payments::{
    EventOutcome, InvoiceSelection, PayOutcome, PayRequest, PaySource, RecoveryReport,
    SessionPayments,
};
pub use printing::SessionPrint;
pub use projects::{OrgProjects, SessionProjects};
pub use quotes::{OrgQuotes, SessionQuotes, SignatureInput};
pub use reviews::SessionReviews;
pub use sales_orders::{OrgSalesOrders, SessionSalesOrders};
pub use sessions::{AccountOverview, ContactSummary, PortalSession};

use crate::auth::{HashingCost, HashingPool, PasswordHasherConfig, SessionPolicy, ThrottlePolicy};
use crate::clock::{Clock, SystemClock};
use crate::error::{Error, Result};
use crate::gateway::PaymentGateway;
use crate::mailer::Mailer;
use crate::store::{Backend, FileStore, Store, StoreError};

/// How many times an operation is retried after a concurrent modification.
const MAX_RETRIES: usize = 5;

/// Tunable behaviour of a [`Portal`]. `Default` gives the documented defaults.
#[derive(Debug, Clone)]
pub struct PortalConfig {
    /// The public address under which portals are served; a portal is at
    /// `{base_url}/{slug}`. Default `http://localhost:8080`.
    pub base_url: String,
    /// How long an invitation link works (default 7 days).
    pub invitation_ttl: Duration,
    /// How long a password-reset link works (default 1 hour).
    pub reset_ttl: Duration,
    /// Session lifetimes.
    pub sessions: SessionPolicy,
    /// Sign-in throttling.
    pub throttle: ThrottlePolicy,
    /// argon2id cost (never below OWASP's minimum).
    pub hashing: HashingCost,
    /// How long a dispatcher holds claimed emails before another may retry them
    /// (default 5 minutes).
    pub dispatch_lease: Duration,
    /// How many emails one dispatch run hands to the mailer at once (default 4;
    /// match the mailer's connection pool). A mail server's answer takes a round
    /// trip or more; sending one at a time waits for each in turn.
    pub dispatch_concurrency: usize,
    /// The first retry delay of a failed email; it doubles per attempt (default 30 s).
    pub retry_base_delay: Duration,
    /// The longest retry delay (default 1 hour).
    pub retry_max_delay: Duration,
    /// Size and type limits of shared files (D4), for portal uploads and files the
    /// organization shares alike.
    pub uploads: crate::domain::UploadPolicy,
    /// How long a payment may wait for the customer's bank (3-D Secure) before
    /// [`Portal::recover_payments`] cancels it at the gateway and releases its
    /// reservation (default 1 hour).
    pub abandoned_authentication_after: Duration,
    /// Where an organization chooses which portal activity emails it (the host's
    /// settings page), with `{org}` standing for the portal's slug:
    /// `https://books.example/console/{org}/settings`. When set, the notifications
    /// the organization receives carry it as their `List-Unsubscribe` address
    /// (default: none).
    pub notification_settings_url: Option<String>,
}

impl Default for PortalConfig {
    fn default() -> Self {
        Self {
            base_url: "http://localhost:8080".into(),
            invitation_ttl: Duration::days(7),
            reset_ttl: Duration::hours(1),
            sessions: SessionPolicy::default(),
            throttle: ThrottlePolicy::default(),
            hashing: HashingCost::default(),
            dispatch_lease: Duration::minutes(5),
            dispatch_concurrency: 4,
            retry_base_delay: Duration::seconds(30),
            retry_max_delay: Duration::hours(1),
            uploads: crate::domain::UploadPolicy::default(),
            abandoned_authentication_after: Duration::hours(1),
            notification_settings_url: None,
        }
    }
}

impl PortalConfig {
    /// Sets the public base address.
    #[must_use]
    pub fn with_base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = base_url.into().trim_end_matches('/').to_owned();
        self
    }

    /// Sets session lifetimes.
    #[must_use]
    pub fn with_sessions(mut self, sessions: SessionPolicy) -> Self {
        self.sessions = sessions;
        self
    }

    /// Sets the upload limits of shared files.
    #[must_use]
    pub fn with_uploads(mut self, uploads: crate::domain::UploadPolicy) -> Self {
        self.uploads = uploads;
        self
    }

    /// Sets where an organization chooses its notifications, `{org}` standing for
    /// its slug (see [`PortalConfig::notification_settings_url`]).
    #[must_use]
    pub fn with_notification_settings_url(mut self, url: impl Into<String>) -> Self {
        self.notification_settings_url = Some(url.into());
        self
    }

    /// Sets sign-in throttling.
    #[must_use]
    pub fn with_throttle(mut self, throttle: ThrottlePolicy) -> Self {
        self.throttle = throttle;
        self
    }
}

#[derive(Debug)]
struct Inner {
    store: Arc<dyn Store>,
    mailer: Arc<dyn Mailer>,
    clock: Arc<dyn Clock>,
    config: PortalConfig,
    hashing: HashingPool,
    gateways: Vec<Arc<dyn PaymentGateway>>,
    files: Arc<dyn FileStore>,
    renderer: Option<Arc<dyn crate::mailer::DocumentRenderer>>,
}

/// The customer portal: built once with a store, a mailer and a clock, then shared
/// (it is cheap to clone). It keeps no state between calls, so any number of app
/// processes can serve one store.
#[derive(Debug, Clone)]
pub struct Portal {
    inner: Arc<Inner>,
}

/// Builds a [`Portal`].
#[derive(Debug)]
pub struct PortalBuilder {
    store: Arc<dyn Store>,
    mailer: Arc<dyn Mailer>,
    clock: Arc<dyn Clock>,
    config: PortalConfig,
    gateways: Vec<Arc<dyn PaymentGateway>>,
    files: Arc<dyn FileStore>,
    renderer: Option<Arc<dyn crate::mailer::DocumentRenderer>>,
    hashing_concurrency: usize,
}

impl PortalBuilder {
    /// Runs at most `n` password hashes at once (at least one; by default as many
    /// as the process has CPUs). Sign-in, accepting an invitation, resetting and
    /// changing a password each hash once (argon2id, 10 to 20 ms of a CPU), on
    /// Tokio's blocking threads, never on the async workers: beyond `n`, they wait
    /// their turn in arrival order, so a burst of sign-ins queues instead of
    /// stalling every other request. Lower it to keep CPU for the rest of the host.
    #[must_use]
    pub fn with_hashing_concurrency(mut self, n: usize) -> Self {
        self.hashing_concurrency = n.max(1);
        self
    }

    /// Attaches documents to the emails that are about one (a receipt, a forwarded
    /// document, a document the organization emails), rendered by `renderer`
    /// (`portal_pdf::PdfRenderer`). Without one, those emails go without it.
    #[must_use]
    pub fn with_renderer(mut self, renderer: Arc<dyn crate::mailer::DocumentRenderer>) -> Self {
        self.renderer = Some(renderer);
        self
    }

    /// Uses `clock` instead of the system clock.
    #[must_use]
    pub fn with_clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// Uses `config` instead of the defaults.
    #[must_use]
    pub fn with_config(mut self, config: PortalConfig) -> Self {
        self.config = config;
        self
    }

    /// Adds a payment gateway; invoices name it by its [`PaymentGateway::id`].
    #[must_use]
    pub fn with_gateway(mut self, gateway: Arc<dyn PaymentGateway>) -> Self {
        self.gateways.push(gateway);
        self
    }

    /// Keeps shared files' bytes in `files` (D4), e.g. the host's object storage,
    /// instead of where [`Portal::builder`] or [`Portal::builder_with_files`] put
    /// them.
    #[must_use]
    pub fn with_file_store(mut self, files: Arc<dyn FileStore>) -> Self {
        self.files = files;
        self
    }

    /// Builds the portal.
    ///
    /// # Errors
    /// [`Error::Hashing`] if the argon2 parameters are refused.
    pub fn build(self) -> Result<Portal> {
        let hasher = PasswordHasherConfig::new(self.config.hashing)?;
        Ok(Portal {
            inner: Arc::new(Inner {
                store: self.store,
                mailer: self.mailer,
                clock: self.clock,
                config: self.config,
                hashing: HashingPool::new(hasher, self.hashing_concurrency),
                files: self.files,
                gateways: self.gateways,
                renderer: self.renderer,
            }),
        })
    }
}

impl Portal {
    /// Starts building a portal on `backend` and `mailer`, with the system clock and
    /// the default configuration. The backend keeps shared files' bytes too (the
    /// memory and the SQL stores do); [`PortalBuilder::with_file_store`] moves them
    /// elsewhere.
    #[must_use]
    pub fn builder(backend: Arc<dyn Backend>, mailer: Arc<dyn Mailer>) -> PortalBuilder {
        Self::builder_with_files(backend.clone(), backend, mailer)
    }

    /// Starts building a portal on `store`, keeping shared files' bytes in `files`
    /// (D4): for a store that does not hold bytes, or a store behind `dyn Store`.
    #[must_use]
    pub fn builder_with_files(
        store: Arc<dyn Store>,
        files: Arc<dyn FileStore>,
        mailer: Arc<dyn Mailer>,
    ) -> PortalBuilder {
        PortalBuilder {
            store,
            mailer,
            clock: Arc::new(SystemClock),
            config: PortalConfig::default(),
            gateways: Vec::new(),
            renderer: None,
            files,
            hashing_concurrency: HashingPool::default_concurrency(),
        }
    }

    /// The store.
    #[must_use]
    pub fn store(&self) -> &Arc<dyn Store> {
        &self.inner.store
    }

    /// The configuration.
    #[must_use]
    pub fn config(&self) -> &PortalConfig {
        &self.inner.config
    }

    /// The portal's clock, now: what a host shows and queries with, so that pages
    /// agree with the library's rules (due dates, expiry) under a test clock too.
    #[must_use]
    pub fn now(&self) -> time::OffsetDateTime {
        self.inner.clock.now()
    }

    /// Today's date in UTC. An organization's rules (due and overdue, expiry,
    /// statement periods) use its own day: [`Portal::today_in`].
    #[must_use]
    pub fn today(&self) -> time::Date {
        self.now().date()
    }

    /// Today's date in `org`'s time zone
    /// ([`PortalSettings::time_zone`](crate::domain::PortalSettings)): an invoice
    /// due today turns overdue when the organization's day ends, wherever the
    /// server runs.
    #[must_use]
    pub fn today_in(&self, org: &crate::domain::Organization) -> time::Date {
        crate::domain::local_date(&org.settings.time_zone, self.now())
    }

    fn portal_url(&self, slug: &crate::domain::PortalSlug) -> String {
        format!("{}/{}", self.inner.config.base_url, slug)
    }

    /// The portal path of one of a customer's documents, as the web host
    /// serves it: `/{slug}/invoices/{id}`, `/{slug}/quotes/{id}`,
    /// `/{slug}/sales-orders/{id}`, `/{slug}/payments/{id}` (a receipt),
    /// `/{slug}/credits/{id}`.
    #[must_use]
    pub fn document_path(slug: &str, document: crate::domain::DocumentRef) -> String {
        use crate::domain::DocumentKind as K;
        let area = match document.kind() {
            K::Quote => "quotes",
            K::Invoice => "invoices",
            K::SalesOrder => "sales-orders",
            K::Receipt => "payments",
            K::CreditNote => "credits",
        };
        format!("/{slug}/{area}/{}", document.uuid())
    }

    /// The portal's sign-in address that opens `document` once signed in:
    /// `{base}/{slug}/sign-in?next=/{slug}/invoices/{id}`.
    #[must_use]
    pub fn sign_in_url(
        &self,
        slug: &crate::domain::PortalSlug,
        document: crate::domain::DocumentRef,
    ) -> String {
        format!(
            "{}/sign-in?next={}",
            self.portal_url(slug),
            Self::document_path(slug.as_str(), document)
        )
    }
}

/// Runs `attempt` again while it fails with a concurrent modification.
async fn retrying<T, F, Fut>(mut attempt: F) -> Result<T>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<T>>,
{
    for _ in 0..MAX_RETRIES {
        match attempt().await {
            Err(Error::Busy) => {}
            other => return other,
        }
    }
    Err(Error::Busy)
}

fn not_found_as(e: StoreError, error: Error) -> Error {
    match e {
        StoreError::NotFound(_) => error,
        other => other.into(),
    }
}
