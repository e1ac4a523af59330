//! Online payment attempts (Pay Now, I3): what an attempt stores before the gateway
//! is called, where it stands, and why one failed.

use std::fmt;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::ids::{AttemptId, CustomerId, InvoiceId, OrgId, PaymentId};
use super::money::Money;

/// Where an online payment attempt stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "status")]
pub enum AttemptStatus {
    /// Stored before the gateway was called; the outcome is not known yet.
    Pending,
    /// Charged and recorded.
    Succeeded {
        /// The payment recorded.
        payment: PaymentId,
    },
    /// Not charged.
    Failed {
        /// Why (the seeds' CP codes where they apply).
        code: FailureCode,
        /// What the gateway said.
        message: String,
    },
}

/// Why a payment attempt failed: kept with the attempt, and answered to a retry of
/// it. Its text ([`Self::as_str`]) is the stable code a host sees in
/// [`crate::error::Error::code`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum FailureCode {
    /// The issuer declined the card.
    CardDeclined,
    /// The card has expired.
    CardExpired,
    /// Reference transactions are not enabled on the gateway account (CP3001).
    ReferenceTransactionsDisabled,
    /// The organization's gateway credentials are invalid (CP3002).
    InvalidCredentials,
    /// Blocked by the gateway's fraud filters (CP3003).
    FraudSuspected,
    /// Address verification failed (CP3004).
    AddressVerificationFailed,
    /// The same charge was made minutes ago (CP3005).
    DuplicateTransaction,
    /// Below the gateway's minimum amount (CP4001).
    BelowMinimum,
    /// The gateway does not support recurring payments (CP4002).
    RecurringNotSupported,
    /// The gateway does not support the currency (CP4003).
    CurrencyNotSupported,
    /// The gateway did not answer.
    GatewayUnavailable,
    /// Recovery asked the gateway and found no charge.
    NotCharged,
    /// The customer's bank refused the authentication (3-D Secure), or the
    /// customer did not complete it.
    AuthenticationFailed,
    /// The customer left the bank's authentication unfinished for longer than the
    /// portal waits ([`crate::service::PortalConfig::abandoned_authentication_after`]):
    /// the gateway's payment was cancelled and the reservation released.
    AuthenticationAbandoned,
    /// A bank debit that was processing failed (insufficient funds, disputed
    /// mandate, closed account).
    DebitFailed,
    /// A code this version of the library does not know (stored by a newer one).
    Other,
}

impl FailureCode {
    /// Every code.
    pub const ALL: [FailureCode; 16] = [
        FailureCode::CardDeclined,
        FailureCode::CardExpired,
        FailureCode::ReferenceTransactionsDisabled,
        FailureCode::InvalidCredentials,
        FailureCode::FraudSuspected,
        FailureCode::AddressVerificationFailed,
        FailureCode::DuplicateTransaction,
        FailureCode::BelowMinimum,
        FailureCode::RecurringNotSupported,
        FailureCode::CurrencyNotSupported,
        FailureCode::GatewayUnavailable,
        FailureCode::NotCharged,
        FailureCode::AuthenticationFailed,
        FailureCode::AuthenticationAbandoned,
        FailureCode::DebitFailed,
        FailureCode::Other,
    ];

    /// The stable code, as stored and as [`crate::error::Error::code`] says it.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            FailureCode::CardDeclined => "card_declined",
            FailureCode::CardExpired => "card_expired",
            FailureCode::ReferenceTransactionsDisabled => "CP3001",
            FailureCode::InvalidCredentials => "CP3002",
            FailureCode::FraudSuspected => "CP3003",
            FailureCode::AddressVerificationFailed => "CP3004",
            FailureCode::DuplicateTransaction => "CP3005",
            FailureCode::BelowMinimum => "CP4001",
            FailureCode::RecurringNotSupported => "CP4002",
            FailureCode::CurrencyNotSupported => "CP4003",
            FailureCode::GatewayUnavailable => "gateway_unavailable",
            FailureCode::NotCharged => "not_charged",
            FailureCode::AuthenticationFailed => "authentication_failed",
            FailureCode::AuthenticationAbandoned => "authentication_abandoned",
            FailureCode::DebitFailed => "debit_failed",
            FailureCode::Other => "payment_failed",
        }
    }

    /// Reads a stored code back; one this version does not know is [`Self::Other`].
    #[must_use]
    pub fn from_stored(text: &str) -> Self {
        Self::ALL
            .into_iter()
            .find(|c| c.as_str() == text)
            .unwrap_or(FailureCode::Other)
    }
}

/// The idempotency record of an online payment: stored (unique per organization and
/// key) before the gateway is called, so that a retry never charges twice and a
/// charge whose recording failed can be recovered.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentAttempt {
    /// Identifier.
    pub id: AttemptId,
    /// The organization.
    pub org: OrgId,
    /// The customer paying.
    pub customer: CustomerId,
    /// The portal user who asked for it, so that a recovered payment still sends
    /// its receipt and notifications (`None` for attempts stored before it was kept).
    pub contact: Option<super::ContactId>,
    /// The client's idempotency key.
    pub idempotency_key: String,
    /// A hash of what was asked (amount, invoices, method), to refuse the same key
    /// with different parameters.
    pub fingerprint: String,
    /// The amount to charge.
    pub amount: Money,
    /// The invoices to pay, in the order asked.
    pub invoices: Vec<InvoiceId>,
    /// The gateway used.
    pub gateway: String,
    /// Where it stands.
    pub status: AttemptStatus,
    /// When it was created.
    pub created_at: OffsetDateTime,
    /// While pending: what the gateway answered, if it answered "not yet"
    /// (the customer must authenticate, or the payment settles later). `None`
    /// while the gateway's answer is not known.
    pub progress: Option<AttemptProgress>,
}

/// Why a pending attempt is not settled yet, as the gateway answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AttemptStage {
    /// The customer must confirm the payment with their bank (3-D Secure): the
    /// browser continues it with the gateway's script. The balance stays reserved
    /// until the gateway tells the outcome, or until the portal gives up waiting.
    RequiresAction,
    /// The payment is on its way and settles later (a bank debit, some cards): it
    /// shows as pending, the balance stays reserved, and the gateway's event settles
    /// it or fails it.
    Processing,
}

impl AttemptStage {
    /// The stable text, as stored.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            AttemptStage::RequiresAction => "requires_action",
            AttemptStage::Processing => "processing",
        }
    }

    /// Reads a stored stage back.
    #[must_use]
    pub fn from_stored(text: &str) -> Option<Self> {
        match text {
            "requires_action" => Some(AttemptStage::RequiresAction),
            "processing" => Some(AttemptStage::Processing),
            _ => None,
        }
    }
}

/// What the gateway said of a pending attempt that is not settled yet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttemptProgress {
    /// Requires the customer's action, or processing.
    pub stage: AttemptStage,
    /// The gateway's id of the payment (Stripe's PaymentIntent `pi_…`), to ask
    /// about it or cancel it.
    pub reference: String,
    /// When the attempt reached this stage.
    pub since: OffsetDateTime,
}

impl PaymentAttempt {
    /// Whether the attempt waits for the customer's bank or for settlement: a
    /// pending payment the customer is shown.
    #[must_use]
    pub fn stage(&self) -> Option<AttemptStage> {
        match self.status {
            AttemptStatus::Pending => self.progress.as_ref().map(|p| p.stage),
            _ => None,
        }
    }
}

impl fmt::Debug for PaymentAttempt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PaymentAttempt")
            .field("id", &self.id)
            .field("org", &self.org)
            .field("customer", &self.customer)
            .field("contact", &self.contact)
            .field("amount", &self.amount)
            .field("gateway", &self.gateway)
            .field("status", &self.status)
            .field("stage", &self.progress.as_ref().map(|p| p.stage))
            .finish_non_exhaustive()
    }
}

/// A payment the gateway accepted but has not settled: it waits for the customer's
/// bank, or it is processing. Its amount is reserved on its invoices (not paid);
/// the payments page, the invoice, the dashboard and the statement show it as
/// pending.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingPayment {
    /// The attempt.
    pub attempt: AttemptId,
    /// Its idempotency key (a retry with it continues the same payment).
    pub idempotency_key: String,
    /// The amount reserved.
    pub amount: Money,
    /// The invoices it pays.
    pub invoices: Vec<InvoiceId>,
    /// Waiting for the bank, or processing.
    pub stage: AttemptStage,
    /// When it reached that stage.
    pub since: OffsetDateTime,
}

impl PendingPayment {
    /// The pending payment an attempt is, if the gateway answered "not yet" for it
    /// and it is still pending.
    #[must_use]
    pub fn of(attempt: &PaymentAttempt) -> Option<Self> {
        let stage = attempt.stage()?;
        let progress = attempt.progress.as_ref()?;
        Some(Self {
            attempt: attempt.id,
            idempotency_key: attempt.idempotency_key.clone(),
            amount: attempt.amount,
            invoices: attempt.invoices.clone(),
            stage,
            since: progress.since,
        })
    }
}
