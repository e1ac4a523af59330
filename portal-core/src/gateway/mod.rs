//! The payment-gateway port, shaped after the gateways businesses go live on.
//!
//! - **Card numbers never reach the host or the library.** The gateway's own script
//!   in the browser (Stripe.js, a drop-in) turns what the customer types into a
//!   payment-method reference ([`MethodRef`], Stripe's `pm_…`), and a charge takes that
//!   reference ([`ChargeSource::Method`]) or a method saved earlier
//!   ([`ChargeSource::Token`]). Typed details ([`ChargeSource::Card`],
//!   [`ChargeSource::BankAccount`]) are for test gateways only: a live gateway
//!   answers `false` to [`PaymentGateway::accepts_typed_details`] and the portal
//!   refuses them before anything is stored.
//! - **A charge may not settle at once.** Besides succeeded and declined, the
//!   gateway may answer that the customer must confirm with their bank
//!   ([`ChargeOutcome::RequiresAction`], with what the browser needs to continue) or
//!   that the payment settles later ([`ChargeOutcome::Processing`]). The outcome then
//!   arrives as a signed event ([`PaymentGateway::verify_event`]) that the host
//!   feeds to [`crate::service::Portal::handle_gateway_event`].

pub mod signature;

use std::fmt;

use async_trait::async_trait;

use time::OffsetDateTime;

use crate::domain::{
    Address, AttemptId, AttemptStage, Currency, FailureCode, Money, OrgId, PaymentMethod,
    TextError, single_line_text,
};

/// The last four characters of `text` (fewer if it is shorter), counted in
/// characters, never bytes: safe on any input, multibyte or not.
#[must_use]
pub fn last_four(text: &str) -> String {
    let skip = text.chars().count().saturating_sub(4);
    text.chars().skip(skip).collect()
}

/// Card or bank details that cannot be charged as typed: the field and what is
/// expected. Nothing of the value is repeated in the message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the {field} is not valid: {expected}")]
pub struct PaymentDetailsError {
    /// The field at fault.
    pub field: &'static str,
    /// What it must look like.
    pub expected: &'static str,
}

/// `text`, without spaces and dashes, if it is `min..=max` ASCII digits.
fn digits_between(text: &str, min: usize, max: usize) -> Option<String> {
    if text.chars().count() > 64 {
        return None;
    }
    let digits: String = text.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
    (digits.bytes().all(|b| b.is_ascii_digit()) && (min..=max).contains(&digits.len()))
        .then_some(digits)
}

fn details_error(field: &'static str, expected: &'static str) -> PaymentDetailsError {
    PaymentDetailsError { field, expected }
}

fn holder_error(e: &TextError) -> PaymentDetailsError {
    details_error(
        "holder name",
        match e.problem {
            crate::domain::TextProblem::Length => "at most 200 characters",
            _ => "plain text of one line, without control characters",
        },
    )
}

/// Card details typed by the customer. `Debug` shows only the last four digits.
#[derive(Clone, PartialEq, Eq)]
pub struct CardDetails {
    /// The card number (digits; spaces are ignored).
    pub number: String,
    /// The security code.
    pub cvv: String,
    /// Expiry month (1–12).
    pub exp_month: u8,
    /// Expiry year (four digits).
    pub exp_year: u16,
    /// Name on the card.
    pub holder: String,
    /// Billing address.
    pub billing_address: Address,
    /// Country (ISO 3166-1 alpha-2).
    pub country: String,
}

impl CardDetails {
    /// The digits of the number, without spaces or dashes.
    #[must_use]
    pub fn digits(&self) -> String {
        self.number.chars().filter(char::is_ascii_digit).collect()
    }

    /// The last four digits.
    #[must_use]
    pub fn last4(&self) -> String {
        last_four(&self.digits())
    }

    /// Checks what can be checked before the gateway sees the card: 12 to 19 digits
    /// (spaces and dashes allowed between them), a CVV of 3 or 4 digits, a plain-text
    /// holder name, a two-letter country (or none) and a valid billing address.
    /// Whether the card is good is the gateway's answer.
    ///
    /// # Errors
    /// [`PaymentDetailsError`] naming the first bad field.
    pub fn check(&self) -> Result<(), PaymentDetailsError> {
        digits_between(&self.number, 12, 19)
            .ok_or_else(|| details_error("card number", "12 to 19 digits"))?;
        if !(3..=4).contains(&self.cvv.len()) || !self.cvv.bytes().all(|b| b.is_ascii_digit()) {
            return Err(details_error("security code", "3 or 4 digits"));
        }
        single_line_text("holder", &self.holder, 0, 200).map_err(|e| holder_error(&e))?;
        if !(self.country.is_empty()
            || (self.country.len() == 2 && self.country.bytes().all(|b| b.is_ascii_alphabetic())))
        {
            return Err(details_error("country", "a two-letter ISO 3166 code"));
        }
        self.billing_address.validate().map_err(|_| {
            details_error(
                "billing address",
                "plain text of at most 200 characters a line",
            )
        })
    }
}

impl fmt::Debug for CardDetails {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CardDetails")
            .field("number", &format_args!("**** {}", self.last4()))
            .field("exp_month", &self.exp_month)
            .field("exp_year", &self.exp_year)
            .field("country", &self.country)
            .finish_non_exhaustive()
    }
}

/// Bank account (ACH) details. `Debug` shows only the last four digits.
#[derive(Clone, PartialEq, Eq)]
pub struct BankDetails {
    /// Routing number.
    pub routing_number: String,
    /// Account number.
    pub account_number: String,
    /// Account holder's name.
    pub holder: String,
}

impl BankDetails {
    /// The last four characters of the account number.
    #[must_use]
    pub fn last4(&self) -> String {
        last_four(&self.account_number)
    }

    /// Checks the details before the gateway sees them: a routing number of 9 digits,
    /// an account number of 4 to 17 digits (ACH), a holder name of 1 to 200
    /// characters of plain text.
    ///
    /// # Errors
    /// [`PaymentDetailsError`] naming the first bad field.
    pub fn check(&self) -> Result<(), PaymentDetailsError> {
        digits_between(&self.routing_number, 9, 9)
            .ok_or_else(|| details_error("routing number", "9 digits"))?;
        digits_between(&self.account_number, 4, 17)
            .ok_or_else(|| details_error("account number", "4 to 17 digits"))?;
        single_line_text("holder", &self.holder, 1, 200).map_err(|e| holder_error(&e))?;
        Ok(())
    }
}

impl fmt::Debug for BankDetails {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BankDetails")
            .field("account", &format_args!("**** {}", self.last4()))
            .finish_non_exhaustive()
    }
}

/// A payment method the gateway's own script made in the customer's browser from
/// what the customer typed there (Stripe's `pm_…`): how card and bank details reach
/// a live gateway without passing through the host. `Debug` shows only a prefix.
#[derive(Clone, PartialEq, Eq)]
pub struct MethodRef(String);

impl MethodRef {
    /// A reference as the browser posted it: 3 to 255 ASCII letters, digits, `_`
    /// and `-` (what gateways' ids are made of).
    ///
    /// # Errors
    /// [`PaymentDetailsError`] for anything else; nothing of the value is repeated.
    pub fn new(reference: impl Into<String>) -> Result<Self, PaymentDetailsError> {
        let reference = reference.into();
        if (3..=255).contains(&reference.len())
            && reference
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
        {
            Ok(Self(reference))
        } else {
            Err(details_error(
                "payment method",
                "the reference the payment form made (letters, digits, _ and -)",
            ))
        }
    }

    /// The reference.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for MethodRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let prefix: String = self.0.chars().take(6).collect();
        write!(f, "MethodRef({prefix}…)")
    }
}

/// What is charged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChargeSource {
    /// A card typed now. **Test gateways only**: a live gateway never receives card
    /// numbers (see [`PaymentGateway::accepts_typed_details`]).
    Card(Box<CardDetails>),
    /// A bank account typed now. **Test gateways only**, as [`Self::Card`].
    BankAccount(BankDetails),
    /// A payment method the gateway's script made in the browser just now.
    Method(MethodRef),
    /// A method the gateway saved earlier, by its token.
    Token(GatewayToken),
}

impl ChargeSource {
    /// Whether this carries card or bank numbers typed into the host's own form.
    #[must_use]
    pub fn is_typed(&self) -> bool {
        matches!(self, ChargeSource::Card(_) | ChargeSource::BankAccount(_))
    }
}

/// A secret the gateway gives the browser to continue a payment (Stripe's
/// PaymentIntent `client_secret`). Handed to the page that continues the payment
/// and nowhere else: never stored, `Debug` shows nothing of it.
#[derive(Clone, PartialEq, Eq)]
pub struct ClientSecret(pub String);

impl fmt::Debug for ClientSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ClientSecret(…)")
    }
}

/// What the customer's browser does to continue a payment the bank must confirm.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CustomerAction {
    /// Continue with the gateway's script (Stripe.js `handleNextAction`) using
    /// this secret.
    ClientSecret(ClientSecret),
    /// Send the browser to this address (the bank's page); it comes back to the
    /// charge's `return_url`.
    Redirect(String),
}

/// A gateway's token for a saved card or bank account. `Debug` shows only a prefix.
#[derive(Clone, PartialEq, Eq)]
pub struct GatewayToken(pub String);

impl fmt::Debug for GatewayToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let prefix: String = self.0.chars().take(6).collect();
        write!(f, "GatewayToken({prefix}…)")
    }
}

/// A card or bank account the gateway stored for later charges.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SaveOutcome {
    /// Stored: its token and what may be shown of it.
    Saved {
        /// The gateway's token.
        token: GatewayToken,
        /// Brand and last four digits.
        method: PaymentMethod,
        /// The card's expiry (month, year) as the gateway knows it, for a method
        /// made in the browser.
        expiry: Option<(u8, u16)>,
    },
    /// Refused (the card is invalid, say).
    Declined(DeclineReason),
}

/// A charge request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChargeRequest {
    /// The idempotency key: the gateway charges once per key. It is the attempt's
    /// key, and the gateway keeps it with the payment (Stripe: metadata) so that its
    /// events name the attempt.
    pub idempotency_key: String,
    /// The organization paid (kept with the payment, as the key is).
    pub org: OrgId,
    /// The attempt this charge is.
    pub attempt: AttemptId,
    /// The amount.
    pub amount: Money,
    /// What to charge.
    pub source: ChargeSource,
    /// A description for the customer's statement.
    pub description: String,
    /// Where the customer's bank sends the browser back after a redirect.
    pub return_url: Option<String>,
    /// Whether the customer is absent (a saved method charged on a schedule): the
    /// gateway then declines instead of asking for authentication.
    pub off_session: bool,
}

/// Why a gateway refused a charge: a business outcome, not a failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeclineReason {
    /// The issuer declined the card.
    CardDeclined,
    /// Blocked by the gateway's fraud filters (CP3003).
    FraudSuspected,
    /// Address verification failed (CP3004).
    AddressVerificationFailed,
    /// The same charge was made minutes ago (CP3005).
    DuplicateTransaction,
    /// The card has expired.
    ExpiredCard,
}

impl DeclineReason {
    /// The stable code.
    #[must_use]
    pub fn code(self) -> &'static str {
        self.failure().as_str()
    }

    /// The attempt's failure this decline is.
    #[must_use]
    pub fn failure(self) -> FailureCode {
        match self {
            DeclineReason::CardDeclined => FailureCode::CardDeclined,
            DeclineReason::FraudSuspected => FailureCode::FraudSuspected,
            DeclineReason::AddressVerificationFailed => FailureCode::AddressVerificationFailed,
            DeclineReason::DuplicateTransaction => FailureCode::DuplicateTransaction,
            DeclineReason::ExpiredCard => FailureCode::CardExpired,
        }
    }

    /// A message the customer can act on.
    #[must_use]
    pub fn message(self) -> &'static str {
        match self {
            DeclineReason::CardDeclined => {
                "the card was declined; try another card or contact your bank"
            }
            DeclineReason::FraudSuspected => {
                "the payment was blocked by the gateway's fraud filters; contact the organization"
            }
            DeclineReason::AddressVerificationFailed => {
                "the billing address does not match the card's; check the address"
            }
            DeclineReason::DuplicateTransaction => {
                "the same payment was made a few minutes ago; check your payments before trying again"
            }
            DeclineReason::ExpiredCard => "the card has expired; use another card",
        }
    }
}

/// The outcome of a charge the gateway processed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChargeOutcome {
    /// Charged.
    Succeeded {
        /// The gateway's charge id.
        charge_id: String,
        /// What was charged, as may be stored (brand and last four digits only).
        method: PaymentMethod,
    },
    /// Refused.
    Declined(DeclineReason),
    /// The customer must confirm with their bank (3-D Secure) before anything is
    /// charged. The outcome arrives later as an event.
    RequiresAction {
        /// The gateway's id of the payment.
        reference: String,
        /// What the browser does next.
        action: CustomerAction,
    },
    /// Accepted and on its way; it settles (or fails) later, told by an event.
    Processing {
        /// The gateway's id of the payment.
        reference: String,
        /// What is being charged, as may be stored.
        method: PaymentMethod,
    },
}

/// What the gateway has on record for an attempt, asked by recovery or after a
/// cancellation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChargeState {
    /// Nothing was charged and nothing will be (no payment under the key, or it
    /// was cancelled or failed).
    NotCharged,
    /// Charged.
    Succeeded(ChargeRecord),
    /// Not settled yet: waiting for the customer's bank, or processing.
    Open {
        /// Which of the two.
        stage: AttemptStage,
        /// The gateway's id of the payment.
        reference: String,
    },
    /// It failed (a bank debit returned, an authentication refused).
    Failed {
        /// Why.
        code: FailureCode,
        /// What the gateway said, for the customer.
        message: String,
    },
}

/// What a gateway event says about one attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EventKind {
    /// The payment settled: record it.
    Succeeded(ChargeRecord),
    /// It is processing and settles later.
    Processing {
        /// What is being charged.
        method: PaymentMethod,
    },
    /// It waits for the customer's bank.
    RequiresAction,
    /// It failed: release the reservation.
    Failed {
        /// Why.
        code: FailureCode,
        /// What the gateway said, for the customer.
        message: String,
    },
}

/// A verified gateway event about one payment attempt (from a webhook).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GatewayEvent {
    /// The gateway's id of the event (duplicates share it).
    pub id: String,
    /// The organization, as the charge request named it.
    pub org: OrgId,
    /// The attempt's idempotency key, as the charge request named it.
    pub idempotency_key: String,
    /// The gateway's id of the payment.
    pub reference: String,
    /// What happened.
    pub kind: EventKind,
}

/// The gateway failed (as opposed to declining).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum GatewayError {
    /// Reference transactions are not enabled on the gateway account (CP3001).
    #[error("reference transactions are not enabled on the payment gateway account")]
    ReferenceTransactionsDisabled,
    /// The organization's gateway credentials are wrong (CP3002).
    #[error("the payment gateway credentials are invalid; the organization must update them")]
    InvalidCredentials,
    /// The gateway does not support recurring payments (CP4002).
    #[error("the payment gateway does not support recurring payments")]
    RecurringNotSupported,
    /// The gateway could not be reached or did not answer in time: the charge may or
    /// may not have happened (recovery asks the gateway later).
    #[error("the payment gateway did not answer: {0}")]
    Unavailable(String),
    /// An event whose signature does not verify, is outside the tolerance window,
    /// or does not parse: it is ignored, nothing changes.
    #[error("the gateway event is not authentic or not readable: {0}")]
    InvalidEvent(&'static str),
    /// Typed card or bank numbers offered to a gateway that only takes references
    /// made by its own script in the browser.
    #[error(
        "this payment gateway takes card details only through its own payment form; the host must not collect them"
    )]
    TypedDetailsRefused,
    /// The gateway refused the amount as below its minimum (CP4001).
    #[error("the amount is below the payment gateway's minimum")]
    BelowMinimum,
    /// The gateway refused the currency (CP4003).
    #[error("the payment gateway does not support this currency")]
    CurrencyNotSupported,
    /// The gateway answered something the adapter does not understand.
    #[error("the payment gateway answered unexpectedly: {0}")]
    Unexpected(String),
}

impl GatewayError {
    /// The attempt's failure this error is.
    #[must_use]
    pub fn failure(&self) -> FailureCode {
        match self {
            GatewayError::ReferenceTransactionsDisabled => {
                FailureCode::ReferenceTransactionsDisabled
            }
            GatewayError::InvalidCredentials => FailureCode::InvalidCredentials,
            GatewayError::RecurringNotSupported => FailureCode::RecurringNotSupported,
            GatewayError::Unavailable(_) | GatewayError::Unexpected(_) => {
                FailureCode::GatewayUnavailable
            }
            GatewayError::BelowMinimum => FailureCode::BelowMinimum,
            GatewayError::CurrencyNotSupported => FailureCode::CurrencyNotSupported,
            GatewayError::InvalidEvent(_) | GatewayError::TypedDetailsRefused => FailureCode::Other,
        }
    }

    /// The stable code.
    #[must_use]
    pub fn code(&self) -> &'static str {
        match self {
            GatewayError::InvalidEvent(_) => "invalid_gateway_event",
            GatewayError::TypedDetailsRefused => "typed_details_refused",
            _ => self.failure().as_str(),
        }
    }
}

/// A charge the gateway has on record for an idempotency key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChargeRecord {
    /// The gateway's charge id.
    pub charge_id: String,
    /// The amount charged.
    pub amount: Money,
    /// What was charged.
    pub method: PaymentMethod,
}

/// What a payment page loads so that the gateway's own script collects card and
/// bank details in the browser.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrowserForm {
    /// The script's address (Stripe: `https://js.stripe.com/v3/`).
    pub script_url: String,
    /// The publishable key the script is started with (public by design).
    pub publishable_key: String,
}

/// An online payment gateway. Implement it over the gateway's API in the host app
/// (or use `portal_memory::TestGateway` in tests).
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait PaymentGateway: fmt::Debug + Send + Sync + 'static {
    /// The id invoices use to name this gateway.
    fn id(&self) -> &str;
    /// Whether it can charge in `currency` (CP4003 otherwise).
    fn supports_currency(&self, currency: Currency) -> bool;
    /// The least it can charge in `currency` (CP4001 below it).
    fn minimum_amount(&self, currency: Currency) -> Money;
    /// Whether it supports bank-account (ACH) payments.
    fn supports_bank_accounts(&self) -> bool;
    /// Whether it supports recurring (off-session) charges; a host that schedules
    /// recurring payments checks it and reports CP4002 otherwise.
    fn supports_recurring(&self) -> bool;
    /// Whether it takes card and bank numbers typed into the host's form
    /// ([`ChargeSource::Card`], [`ChargeSource::BankAccount`]). Only test gateways
    /// do; the default is `false`, and the portal refuses typed details for a
    /// gateway that answers `false` before storing anything.
    fn accepts_typed_details(&self) -> bool {
        false
    }
    /// What the web page loads to collect payment details in the browser (the
    /// gateway's script and its publishable key), or `None` for a gateway whose
    /// test form the host renders itself.
    fn browser_form(&self) -> Option<BrowserForm> {
        None
    }
    /// Charges once per idempotency key: a repeated key returns the first outcome.
    async fn charge(&self, request: &ChargeRequest) -> Result<ChargeOutcome, GatewayError>;
    /// What the gateway has for this idempotency key (`reference`, the gateway's
    /// payment id, when the attempt knows it), for recovery.
    async fn find_charge(
        &self,
        idempotency_key: &str,
        reference: Option<String>,
    ) -> Result<ChargeState, GatewayError>;
    /// Cancels the payment `reference` if it can still be cancelled (it waits for
    /// the customer's bank) and answers what the gateway has after: `NotCharged`
    /// once cancelled, `Succeeded` if it settled first, `Open` if it is processing
    /// and can no longer be cancelled.
    async fn cancel_charge(
        &self,
        idempotency_key: &str,
        reference: &str,
    ) -> Result<ChargeState, GatewayError>;
    /// Verifies and reads an event the gateway posted to the host's webhook route:
    /// `signature` is the signature header as received, `payload` the body's exact
    /// bytes, `now` the time to check the signature's tolerance window against.
    /// `Ok(None)` for an authentic event that says nothing about a payment attempt.
    /// An adapter may ask the gateway for what the event leaves out (the method's
    /// brand and last four digits).
    ///
    /// # Errors
    /// [`GatewayError::InvalidEvent`] when the signature does not verify, is too old,
    /// or the payload does not parse; [`GatewayError::Unavailable`] when what the
    /// adapter asks for cannot be read now (the host answers 5xx: the gateway
    /// resends).
    async fn verify_event(
        &self,
        signature: &str,
        payload: &[u8],
        now: OffsetDateTime,
    ) -> Result<Option<GatewayEvent>, GatewayError>;
    /// Starts saving a method in the browser, for a gateway whose own script
    /// collects it: the secret the page hands the script (Stripe: a SetupIntent's
    /// client secret, on a gateway customer of its own, for charges without the
    /// customer present). The script confirms it (with the bank, if it asks), and
    /// the page posts the setup's id (`seti_…`) to [`Self::save_method`] as a
    /// [`ChargeSource::Method`]. `None` for a gateway without such a flow.
    async fn prepare_method(&self) -> Result<Option<ClientSecret>, GatewayError> {
        Ok(None)
    }
    /// Stores a card or bank account for later charges (its number never comes
    /// back): a method made in the browser (Stripe: a SetupIntent's payment method,
    /// attached to a gateway customer for charges without the customer present), or
    /// typed details on a test gateway.
    async fn save_method(&self, source: &ChargeSource) -> Result<SaveOutcome, GatewayError>;
    /// Updates a saved card's expiry and billing address.
    async fn update_method(
        &self,
        token: &GatewayToken,
        exp_month: u8,
        exp_year: u16,
        billing_address: &Address,
    ) -> Result<(), GatewayError>;
    /// Forgets a saved method.
    async fn remove_method(&self, token: &GatewayToken) -> Result<(), GatewayError>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_card_and_bank_numbers() {
        let card = CardDetails {
            number: "4242 4242 4242 4242".into(),
            cvv: "123".into(),
            exp_month: 12,
            exp_year: 2030,
            holder: "Ana".into(),
            billing_address: Address::default(),
            country: "PT".into(),
        };
        let text = format!("{card:?}");
        assert!(text.contains("**** 4242"));
        assert!(!text.contains("4242 4242") && !text.contains("424242"));
        assert!(!text.contains("123"));
        let bank = BankDetails {
            routing_number: "110000000".into(),
            account_number: "000123456789".into(),
            holder: "Ana".into(),
        };
        assert!(!format!("{bank:?}").contains("000123456789"));
    }

    #[test]
    fn last_four_counts_characters_not_bytes() {
        assert_eq!(last_four("12€4"), "12€4");
        assert_eq!(last_four("9912€4"), "12€4");
        assert_eq!(last_four("€"), "€");
        assert_eq!(last_four(""), "");
        assert_eq!(last_four(&"€".repeat(1_000)), "€€€€");
        assert_eq!(last_four("a\u{85}bcd"), "\u{85}bcd");
        let bank = BankDetails {
            routing_number: "110000000".into(),
            account_number: "12€4".into(),
            holder: "Ana".into(),
        };
        assert_eq!(
            format!("{bank:?}"),
            "BankDetails { account: **** 12€4, .. }"
        );
        assert_eq!(
            bank.check(),
            Err(details_error("account number", "4 to 17 digits"))
        );
    }

    #[test]
    fn card_and_bank_checks() {
        let mut card = CardDetails {
            number: "4242-4242 4242 4242".into(),
            cvv: "123".into(),
            exp_month: 12,
            exp_year: 2030,
            holder: "Ana".into(),
            billing_address: Address::default(),
            country: "PT".into(),
        };
        assert_eq!(card.check(), Ok(()));
        card.number = "4242 4242 4242 424x".into();
        assert_eq!(card.check().map_err(|e| e.field), Err("card number"));
        card.number = "4242424242424242".into();
        card.cvv = "12\u{0}".into();
        assert_eq!(card.check().map_err(|e| e.field), Err("security code"));
        card.cvv = "1234".into();
        card.holder = "A\u{0}na".into();
        assert_eq!(card.check().map_err(|e| e.field), Err("holder name"));
        card.holder = "Ana".into();
        card.country = "P€".into();
        assert_eq!(card.check().map_err(|e| e.field), Err("country"));
        let bank = BankDetails {
            routing_number: "110000000".into(),
            account_number: "000123456789".into(),
            holder: "Ana".into(),
        };
        assert_eq!(bank.check(), Ok(()));
        assert!(
            BankDetails {
                holder: String::new(),
                ..bank.clone()
            }
            .check()
            .is_err()
        );
    }
}
