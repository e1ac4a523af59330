//! Payments (I3–I9): Pay Now, recovery of payments whose outcome was lost, and
//! the customer's payments and receipts. Pay Now charges one or several invoices in
//! one charge, under an idempotency key, so that nothing is charged twice or lost.

mod events;
mod pay_now;
mod recovery;

pub use events::EventOutcome;

use crate::domain::Cursor;
use crate::domain::Page;
use crate::service::invoices::check_limit;

use sha2::{Digest, Sha256};
use tracing::instrument;

use super::sessions::PortalSession;
use crate::domain::PendingPayment;
use crate::domain::{Action, InvoiceId, Module, Money, Payment, PaymentId, SavedMethodId};
use crate::error::Result;
use crate::gateway::{BankDetails, CardDetails, CustomerAction, MethodRef};

/// Which invoices to pay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InvoiceSelection {
    /// Every unpaid invoice (not retainers): "pay all outstanding".
    AllOutstanding,
    /// These invoices (the customer's own; retainers allowed).
    Chosen(Vec<InvoiceId>),
}

/// What the customer pays with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PaySource {
    /// A payment method the gateway's own script made in the customer's browser
    /// (Stripe.js: `pm_…`): how a live portal takes cards and bank debits, without
    /// the numbers ever reaching the host.
    Method(MethodRef),
    /// A card typed into the host's own form. **Test gateways only**: refused with
    /// [`GatewayError::TypedDetailsRefused`](crate::gateway::GatewayError::TypedDetailsRefused)
    /// by a gateway that does not
    /// [accept typed details](crate::gateway::PaymentGateway::accepts_typed_details).
    Card(Box<CardDetails>),
    /// A bank account typed into the host's form (only for customers allowed to pay
    /// by bank). **Test gateways only**, as [`Self::Card`].
    BankAccount(BankDetails),
    /// A method the customer saved earlier.
    Saved(SavedMethodId),
}

impl PaySource {
    /// Checks typed card or bank details before anything else looks at them.
    ///
    /// # Errors
    /// [`crate::gateway::PaymentDetailsError`].
    pub fn check(&self) -> Result<(), crate::gateway::PaymentDetailsError> {
        match self {
            PaySource::Card(card) => card.check(),
            PaySource::BankAccount(bank) => bank.check(),
            PaySource::Saved(_) | PaySource::Method(_) => Ok(()),
        }
    }
}

/// A Pay Now request.
#[derive(Debug, Clone)]
pub struct PayRequest {
    /// The invoices.
    pub invoices: InvoiceSelection,
    /// A part payment, only for one invoice that allows it; `None` pays the balance.
    pub amount: Option<Money>,
    /// What to charge. Card numbers and CVVs go to the gateway and nowhere else.
    pub source: PaySource,
    /// The client's idempotency key (8–255 printable ASCII characters), the same for
    /// every retry of this payment: a retry returns the first result and charges
    /// nothing.
    pub idempotency_key: String,
}

/// What paying online came to.
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
pub enum PayOutcome {
    /// Charged and recorded: the receipt.
    Paid(Payment),
    /// The customer must confirm with their bank: the page continues the payment in
    /// the browser with `action` (the gateway's script, or a redirect). The balance
    /// stays reserved; the gateway's event settles it.
    RequiresAction {
        /// The payment waiting.
        pending: PendingPayment,
        /// What the browser does next.
        action: CustomerAction,
    },
    /// Accepted, settling later (a bank debit): shown as pending, the balance
    /// reserved; the gateway's event settles it or fails it.
    Processing(PendingPayment),
}

impl PayOutcome {
    /// The payment, if the charge settled now.
    ///
    /// # Errors
    /// [`Error::AuthenticationRequired`](crate::error::Error::AuthenticationRequired)
    /// or [`Error::PaymentProcessing`](crate::error::Error::PaymentProcessing) when
    /// it did not.
    pub fn paid(self) -> Result<Payment> {
        match self {
            PayOutcome::Paid(payment) => Ok(payment),
            PayOutcome::RequiresAction { .. } => Err(crate::error::Error::AuthenticationRequired),
            PayOutcome::Processing(_) => Err(crate::error::Error::PaymentProcessing),
        }
    }
}

/// What a recovery run did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RecoveryReport {
    /// Charged at the gateway and now recorded.
    pub recorded: u32,
    /// Never charged: marked failed.
    pub not_charged: u32,
    /// The gateway could not tell yet: left for the next run.
    pub still_pending: u32,
    /// Left unfinished at the customer's bank for too long: cancelled at the
    /// gateway, reservation released.
    pub abandoned: u32,
    /// Failed at the gateway (a bank debit returned) without its event arriving:
    /// marked failed, reservation released, customer and organization told.
    pub failed: u32,
}

/// A hash of what the client asked (not of what it came to), so a retry can be
/// recognised before anything is recomputed.
pub(super) fn fingerprint(session: &PortalSession, request: &PayRequest) -> String {
    let selection = match &request.invoices {
        InvoiceSelection::AllOutstanding => "all".to_owned(),
        InvoiceSelection::Chosen(ids) => {
            let mut ids: Vec<String> = ids.iter().map(ToString::to_string).collect();
            ids.sort();
            ids.dedup();
            ids.join(",")
        }
    };
    let amount = request.amount.map_or_else(
        || "balance".to_owned(),
        |m| format!("{} {}", m.amount(), m.currency()),
    );
    let source = match &request.source {
        PaySource::Card(c) => format!("card:{}", c.last4()),
        PaySource::BankAccount(b) => format!("bank:{}", b.last4()),
        PaySource::Saved(id) => format!("saved:{id}"),
        PaySource::Method(m) => format!("method:{}", m.as_str()),
    };
    let text = format!("{}|{selection}|{amount}|{source}", session.customer.id);
    let digest = Sha256::digest(text.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// The customer's payments, receipts and refunds (I9, I11).
/// From [`PortalSession::payments`]; every call is scoped to the session's customer.
#[derive(Debug, Clone, Copy)]
pub struct SessionPayments<'s>(pub(in crate::service) &'s PortalSession);

impl PortalSession {
    /// The customer's payments, receipts and refunds (I9, I11).
    #[must_use]
    pub fn payments(&self) -> SessionPayments<'_> {
        SessionPayments(self)
    }
}

impl SessionPayments<'_> {
    /// One page of the customer's payments, online and offline, newest first (I9).
    ///
    /// # Errors
    /// [`Error::Forbidden`](crate::error::Error::Forbidden), [`Error::Cursor`](crate::error::Error::Cursor).
    #[instrument(skip_all, fields(org = %self.0.org.id, customer = %self.0.customer.id))]
    pub async fn list(self, after: Option<&str>, limit: u32) -> Result<Page<Payment>> {
        self.0.require(Module::Payments, Action::View)?;
        let after = after.map(Cursor::decode).transpose()?;
        Ok(self
            .0
            .portal
            .inner
            .store
            .customer_payments(
                self.0.org.id,
                self.0.customer.id,
                after,
                check_limit(limit)?,
            )
            .await?)
    }

    /// A payment with the invoices it paid: the receipt (I9).
    ///
    /// # Errors
    /// [`Error::NotFound`](crate::error::Error::NotFound) for someone else's payment.
    pub async fn get(self, id: PaymentId) -> Result<Payment> {
        self.0.require(Module::Payments, Action::View)?;
        Ok(self
            .0
            .portal
            .inner
            .store
            .customer_payment(self.0.org.id, self.0.customer.id, id)
            .await?)
    }

    /// The customer's payments that are not settled yet (waiting for their bank,
    /// or processing), newest first: shown as pending, reserved and not paid.
    ///
    /// # Errors
    /// [`Error::Forbidden`](crate::error::Error::Forbidden).
    pub async fn pending(self) -> Result<Vec<PendingPayment>> {
        self.0.require(Module::Payments, Action::View)?;
        Ok(self
            .0
            .portal
            .inner
            .store
            .customer_pending_attempts(self.0.org.id, self.0.customer.id)
            .await?
            .iter()
            .filter_map(PendingPayment::of)
            .collect())
    }

    /// The refunds the customer received, newest first (I11).
    ///
    /// # Errors
    /// [`Error::Forbidden`](crate::error::Error::Forbidden).
    pub async fn refunds(self) -> Result<Vec<crate::domain::Refund>> {
        self.0.require(Module::Payments, Action::View)?;
        Ok(self
            .0
            .portal
            .inner
            .store
            .customer_refunds(self.0.org.id, self.0.customer.id)
            .await?)
    }
}
