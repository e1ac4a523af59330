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

impl Ports {
    /// The ports configuration names: `PORTAL_GATEWAY` (`test`, the test gateway
    /// and its test cards, is the one this app knows today) and the mode. Emails
    /// are recorded; in development mode the mailbox shows them.
    ///
    /// # Errors
    /// A message naming the accepted values of a variable that holds another.
    pub fn from_env(mode: Mode) -> Result<Self, String> {
        let gateway: Arc<dyn PaymentGateway> = match std::env::var("PORTAL_GATEWAY").ok().as_deref()
        {
            None | Some("test") => Arc::new(TestGateway::new("card")),
            Some(other) => {
                return Err(format!(
                    "PORTAL_GATEWAY is {other:?}: this app knows `test` (test cards only)"
                ));
            }
        };
        let mailbox = Arc::new(RecordingMailer::new());
        Ok(Self {
            mailer: mailbox.clone(),
            gateway,
            dev_mailbox: (mode == Mode::Development).then_some(mailbox),
        })
    }

    /// A portal builder over `backend` with these ports.
    #[must_use]
    pub fn builder(&self, backend: Arc<dyn Backend>) -> PortalBuilder {
        Portal::builder(backend, self.mailer.clone()).with_gateway(self.gateway.clone())
    }
}
