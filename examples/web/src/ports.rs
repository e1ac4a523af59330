//! The library's ports as this host plugs them in: the mailer, the payment gateway,
//! and in development mode the mailbox that shows what was sent.
//!
//! The portal is built from these ([`Ports::builder`]); the host keeps them in
//! [`crate::AppState`] for the routes that speak to them directly. A live mailer or
//! gateway is another `Arc<dyn Mailer>` or `Arc<dyn PaymentGateway>` chosen here
//! by configuration; no handler changes.

use std::sync::Arc;

use portal_core::Backend;
use portal_core::gateway::PaymentGateway;
use portal_core::mailer::Mailer;
use portal_core::{Portal, PortalBuilder};
use portal_memory::{RecordingMailer, TestGateway};
use portal_smtp::{SmtpConfig, SmtpMailer};
use portal_stripe::{StripeConfig, StripeGateway};

/// How the app runs: with the development mailbox, or without.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// The mailbox page (`/dev/mailbox`) shows every email the portal sent,
    /// invitation, reset and document-link tokens included, to anyone who reaches
    /// the port, with no credential. Never on a server others can reach.
    Development,
    /// No mailbox.
    Production,
}

impl Mode {
    /// The mode `PORTAL_MODE` names (`development` or `production`); unset, the
    /// default of the build: development for a debug build (`cargo run`),
    /// production for a release build, what a host deploys.
    ///
    /// # Errors
    /// A message naming the accepted values when the variable holds another.
    pub fn from_env() -> Result<Self, String> {
        Self::parse(std::env::var("PORTAL_MODE").ok().as_deref())
    }

    /// The mode `value` names; `None` is the build's default.
    ///
    /// # Errors
    /// A message naming the accepted values.
    pub fn parse(value: Option<&str>) -> Result<Self, String> {
        match value {
            Some("development") => Ok(Self::Development),
            Some("production") => Ok(Self::Production),
            Some(other) => Err(format!(
                "PORTAL_MODE is {other:?}: it must be development or production"
            )),
            None if cfg!(debug_assertions) => Ok(Self::Development),
            None => Ok(Self::Production),
        }
    }
}

/// What a pay form shows of the gateway.
#[derive(Debug, Clone, Default)]
pub struct Checkout {
    /// The gateway's own script and key, when card and bank details are typed into
    /// it in the browser (they never reach this app).
    pub form: Option<portal_core::gateway::BrowserForm>,
    /// A test gateway: test cards, nothing charged; the form says so.
    pub test_mode: bool,
}

/// The ports the portal is built with.
#[derive(Clone)]
pub struct Ports {
    /// Where the portal's emails go.
    pub mailer: Arc<dyn Mailer>,
    /// Who charges cards and bank accounts.
    pub gateway: Arc<dyn PaymentGateway>,
    /// The recording mailer, served as `/dev/mailbox`: only in development mode.
    pub dev_mailbox: Option<Arc<RecordingMailer>>,
}

impl std::fmt::Debug for Ports {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Ports")
            .field("dev_mailbox", &self.dev_mailbox.is_some())
            .finish_non_exhaustive()
    }
}

/// The gateway id the seeded invoices name, whichever gateway serves it.
pub const GATEWAY_ID: &str = "card";

/// The Stripe gateway the environment configures, if `STRIPE_SECRET_KEY` is set:
/// `STRIPE_PUBLISHABLE_KEY` (required with it), `STRIPE_WEBHOOK_SECRET` (one or
/// several `whsec_…`, comma-separated while rotating), and for a test server
/// `STRIPE_API_BASE` (Stripe.js is then loaded from it too, as localstripe serves
/// it).
///
/// # Errors
/// A message naming what is missing.
pub fn stripe_from_env() -> Result<Option<StripeGateway>, String> {
    stripe_from(|name| std::env::var(name).ok())
}

/// [`stripe_from_env`] over any source of variables.
///
/// # Errors
/// A message naming what is missing.
pub fn stripe_from(var: impl Fn(&str) -> Option<String>) -> Result<Option<StripeGateway>, String> {
    let Some(secret) = var("STRIPE_SECRET_KEY") else {
        return Ok(None);
    };
    let publishable = var("STRIPE_PUBLISHABLE_KEY").ok_or_else(|| {
        "STRIPE_SECRET_KEY is set: set STRIPE_PUBLISHABLE_KEY (pk_…) too".to_owned()
    })?;
    let mut config = StripeConfig::new(secret, publishable);
    config.id = GATEWAY_ID.into();
    for s in var("STRIPE_WEBHOOK_SECRET")
        .unwrap_or_default()
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        config = config.with_webhook_secret(s);
    }
    if let Some(base) = var("STRIPE_API_BASE") {
        let base = base.trim_end_matches('/').to_owned();
        config = config
            .with_script_url(format!("{base}/js.stripe.com/v3/"))
            .with_api_base(base);
        // localstripe, the test server this is for, refuses descriptions.
        config.describe_payments = false;
    }
    StripeGateway::new(config)
        .map(Some)
        .map_err(|e| format!("Stripe: {e}"))
}

/// The SMTP mailer the environment configures, if `PORTAL_SMTP_URL` is set
/// (`smtps://user:password@host:465`, `smtp://user:password@host:587` for
/// STARTTLS, `smtp://127.0.0.1:25?tls=none` for a relay on this machine):
/// `PORTAL_SMTP_FROM` (required with it: `Acme Books <billing@acme.example>`, the
/// address every email is sent from, under the organization's name) and
/// `PORTAL_SMTP_CA` (the path of a PEM certificate to trust besides the system's,
/// for a private relay).
///
/// # Errors
/// A message naming what is missing or malformed.
pub fn smtp_from_env() -> Result<Option<SmtpMailer>, String> {
    smtp_from(|name| std::env::var(name).ok())
}

/// [`smtp_from_env`] over any source of variables.
///
/// # Errors
/// A message naming what is missing or malformed.
pub fn smtp_from(var: impl Fn(&str) -> Option<String>) -> Result<Option<SmtpMailer>, String> {
    let Some(url) = var("PORTAL_SMTP_URL") else {
        return Ok(None);
    };
    let from = var("PORTAL_SMTP_FROM").ok_or_else(|| {
        "PORTAL_SMTP_URL is set: set PORTAL_SMTP_FROM too (`Acme Books <billing@acme.example>`)"
            .to_owned()
    })?;
    let mut config =
        SmtpConfig::from_url(&url, &from).map_err(|e| format!("PORTAL_SMTP_URL: {e}"))?;
    if let Some(path) = var("PORTAL_SMTP_CA") {
        config.extra_root_pem =
            Some(std::fs::read(&path).map_err(|e| format!("PORTAL_SMTP_CA ({path}): {e}"))?);
    }
    SmtpMailer::new(config)
        .map(Some)
        .map_err(|e| format!("SMTP: {e}"))
}

impl Ports {
    /// The ports configuration names. The gateway: Stripe when `STRIPE_SECRET_KEY`
    /// is set ([`stripe_from_env`]), else the test gateway and its test cards
    /// (`PORTAL_GATEWAY=test`, the default; pages then show a test-mode banner).
    /// Emails go to the SMTP server when `PORTAL_SMTP_URL` is set
    /// ([`smtp_from_env`]); else they are recorded, and in development mode the
    /// mailbox shows them.
    ///
    /// # Errors
    /// A message naming the accepted values of a variable that holds another.
    pub fn from_env(mode: Mode) -> Result<Self, String> {
        Self::from_vars(mode, |name| std::env::var(name).ok())
    }

    /// [`Ports::from_env`] over any source of variables.
    ///
    /// # Errors
    /// As [`Ports::from_env`].
    pub fn from_vars(mode: Mode, var: impl Fn(&str) -> Option<String>) -> Result<Self, String> {
        let gateway: Arc<dyn PaymentGateway> =
            match (stripe_from(&var)?, var("PORTAL_GATEWAY").as_deref()) {
                (Some(stripe), None | Some("stripe")) => Arc::new(stripe),
                (None, None | Some("test")) => Arc::new(TestGateway::new(GATEWAY_ID)),
                (_, Some(other)) => {
                    return Err(format!(
                        "PORTAL_GATEWAY is {other:?}: this app knows `test` (test cards) and \
                     `stripe` (with STRIPE_SECRET_KEY set)"
                    ));
                }
            };
        if let Some(smtp) = smtp_from(&var)? {
            return Ok(Self {
                mailer: Arc::new(smtp),
                gateway,
                dev_mailbox: None,
            });
        }
        let mailbox = Arc::new(RecordingMailer::new());
        Ok(Self {
            mailer: mailbox.clone(),
            gateway,
            dev_mailbox: (mode == Mode::Development).then_some(mailbox),
        })
    }

    /// What a pay form needs to know of the gateway.
    #[must_use]
    pub fn checkout(&self) -> Checkout {
        Checkout {
            form: self.gateway.browser_form(),
            test_mode: self.gateway.accepts_typed_details(),
        }
    }

    /// The Content-Security-Policy of every page: the app's own strict policy,
    /// opened for the gateway's script, frames and API when its form runs in the
    /// browser.
    #[must_use]
    pub fn content_security_policy(&self) -> String {
        let Some(form) = self.gateway.browser_form() else {
            return crate::security::CSP.to_owned();
        };
        let origin = |url: &str| -> String {
            let rest = url.split_once("://").map_or(url, |(_, r)| r);
            let host = rest.split('/').next().unwrap_or(rest);
            let scheme = url.split_once("://").map_or("https", |(s, _)| s);
            format!("{scheme}://{host}")
        };
        let script = origin(&form.script_url);
        // Stripe.js frames its card fields and 3-D Secure pages from these, and
        // talks to its API; a test server serves all three from one origin.
        let (frames, connect) = if script == "https://js.stripe.com" {
            (
                "https://js.stripe.com https://hooks.stripe.com".to_owned(),
                "https://api.stripe.com".to_owned(),
            )
        } else {
            (script.clone(), script.clone())
        };
        format!(
            "default-src 'none'; script-src 'self' {script}; style-src 'self'; \
             img-src 'self' data: {script}; frame-src {frames}; connect-src {connect}; \
             form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
        )
    }

    /// A portal builder over `backend` with these ports.
    #[must_use]
    pub fn builder(&self, backend: Arc<dyn Backend>) -> PortalBuilder {
        Portal::builder(backend, self.mailer.clone()).with_gateway(self.gateway.clone())
    }
}
