//! A payment gateway for tests and demos that behaves like a real one: test card
//! numbers and Stripe's test payment-method ids, idempotency keys, payments that
//! wait for the customer's bank or settle later, signed events, and injectable
//! faults. **Test only**: it accepts card numbers typed into the host's form, which a
//! live gateway never does.

use std::collections::HashMap;
use std::sync::Mutex;

use async_trait::async_trait;
use portal_core::domain::{
    Address, AttemptStage, Currency, FailureCode, Money, OrgId, PaymentMethod,
};
use portal_core::gateway::{
    ChargeOutcome, ChargeRecord, ChargeRequest, ChargeSource, ChargeState, ClientSecret,
    CustomerAction, DeclineReason, EventKind, GatewayError, GatewayEvent, GatewayToken,
    PaymentGateway, SaveOutcome, signature,
};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// Test card numbers (Stripe's where Stripe has one):
///
/// | number | outcome |
/// |---|---|
/// | `4242 4242 4242 4242` | success (visa) |
/// | `5555 5555 5555 4444` | success (mastercard) |
/// | `4000 0000 0000 0002` | declined |
/// | `4100 0000 0000 0019` | blocked by fraud filters (CP3003) |
/// | `4000 0000 0000 0010` | address verification failed (CP3004) |
/// | `4000 0000 0000 0259` | duplicate transaction (CP3005) |
/// | `4000 0000 0000 0069` | expired card |
///
/// | `4000 0027 6000 3184` | requires authentication with the bank (3-D Secure) |
///
/// Bank accounts: `000333333335` is processing and settles later (see
/// [`TestGateway::settle`]); `000111111116` is declined; any other account number
/// succeeds at once. Any other card number is declined.
///
/// Payment methods made "in the browser" ([`portal_core::gateway::MethodRef`]) are
/// Stripe's test ids: `pm_card_visa`, `pm_card_mastercard`,
/// `pm_card_chargeDeclined`, `pm_card_chargeDeclinedExpiredCard`,
/// `pm_card_chargeDeclinedFraudulent`, `pm_card_authenticationRequired` (3-D
/// Secure), and `pm_sepa_debit` (processing, settles later).
pub mod cards {
    /// Requires authentication with the bank (3-D Secure).
    pub const AUTHENTICATION_REQUIRED: &str = "4000002760003184";
    /// A bank account whose debit is processing and settles later.
    pub const BANK_SETTLES_LATER: &str = "000333333335";
    /// Succeeds.
    pub const VISA_OK: &str = "4242424242424242";
    /// Succeeds.
    pub const MASTERCARD_OK: &str = "5555555555554444";
    /// Declined by the issuer.
    pub const DECLINED: &str = "4000000000000002";
    /// Blocked by fraud filters (CP3003).
    pub const FRAUD: &str = "4100000000000019";
    /// Address verification fails (CP3004).
    pub const AVS_FAIL: &str = "4000000000000010";
    /// Duplicate transaction (CP3005).
    pub const DUPLICATE: &str = "4000000000000259";
    /// Expired card.
    pub const EXPIRED: &str = "4000000000000069";
}

/// The secret the test gateway signs its events with.
pub const WEBHOOK_SECRET: &str = "whsec_test_portal";

/// A payment that has not settled: waiting for the bank, or processing.
#[derive(Debug, Clone)]
struct Open {
    key: String,
    org: OrgId,
    amount: Money,
    method: PaymentMethod,
    stage: AttemptStage,
}

#[derive(Debug, Default)]
struct State {
    /// Outcome per idempotency key: a repeated key returns it without charging.
    by_key: HashMap<String, ChargeOutcome>,
    /// Successful charges per key.
    charges: HashMap<String, ChargeRecord>,
    /// Payments not settled yet, by reference.
    open: HashMap<String, Open>,
    /// Payments that failed after they were accepted, per key.
    failed: HashMap<String, (FailureCode, String)>,
    calls: u64,
    fail_before: u32,
    fail_after: u32,
    invalid_credentials: bool,
    unsupported: Vec<Currency>,
    /// Saved methods by token.
    saved: HashMap<String, PaymentMethod>,
    events: u64,
}

/// A test payment gateway. See [`cards`] for the numbers it knows.
#[derive(Debug)]
pub struct TestGateway {
    id: String,
    state: Mutex<State>,
}

/// An event as the test gateway posts it (its own JSON shape, signed like
/// Stripe's).
#[derive(Debug, Serialize, Deserialize)]
struct EventBody {
    id: String,
    org: OrgId,
    key: String,
    reference: String,
    #[serde(rename = "type")]
    kind: String,
    amount: Option<Money>,
    charge_id: Option<String>,
    method: Option<PaymentMethod>,
    code: Option<String>,
    message: Option<String>,
}

/// A signed event, as a webhook request carries it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedEvent {
    /// The signature header's value.
    pub signature: String,
    /// The body.
    pub payload: Vec<u8>,
}

impl TestGateway {
    /// A gateway that invoices name `id`.
    #[must_use]
    pub fn new(id: impl Into<String>) -> Self {
        Self {
            id: id.into(),
            state: Mutex::new(State::default()),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Every charge fails with invalid credentials (CP3002) until turned off.
    pub fn set_invalid_credentials(&self, on: bool) {
        self.lock().invalid_credentials = on;
    }

    /// The gateway refuses `currency` (CP4003).
    pub fn refuse_currency(&self, currency: Currency) {
        self.lock().unsupported.push(currency);
    }

    /// The next `n` charges fail before anything is charged (the gateway is down).
    pub fn fail_before_charge(&self, n: u32) {
        self.lock().fail_before = n;
    }

    /// The next `n` charges succeed at the gateway but the answer is lost (a
    /// timeout after the charge): the caller sees an error, the money was taken.
    pub fn fail_after_charge(&self, n: u32) {
        self.lock().fail_after = n;
    }

    /// How many distinct successful charges were made.
    #[must_use]
    pub fn charge_count(&self) -> usize {
        self.lock().charges.len()
    }

    /// How many times `charge` was called.
    #[must_use]
    pub fn calls(&self) -> u64 {
        self.lock().calls
    }

    /// The total charged.
    #[must_use]
    pub fn charged_minor_units(&self) -> i64 {
        self.lock()
            .charges
            .values()
            .filter_map(|c| c.amount.to_minor_units().ok())
            .sum()
    }

    /// The reference of the unsettled payment made under `idempotency_key`.
    #[must_use]
    pub fn reference_of(&self, idempotency_key: &str) -> Option<String> {
        self.lock()
            .open
            .iter()
            .find(|(_, o)| o.key == idempotency_key)
            .map(|(r, _)| r.clone())
    }

    /// The customer finishes (`approve`) or fails the bank's authentication of
    /// the payment `reference`: it succeeds, or it fails. Answers the event the
    /// gateway posts about it, signed at `at`; `None` if no payment waits for the
    /// bank under that reference.
    pub fn authenticate(
        &self,
        reference: &str,
        approve: bool,
        at: OffsetDateTime,
    ) -> Option<SignedEvent> {
        self.conclude(reference, AttemptStage::RequiresAction, approve, at)
    }

    /// A processing payment settles (`ok`) or fails (the debit was returned).
    /// Answers the event the gateway posts, signed at `at`.
    pub fn settle(&self, reference: &str, ok: bool, at: OffsetDateTime) -> Option<SignedEvent> {
        self.conclude(reference, AttemptStage::Processing, ok, at)
    }

    /// The "processing" event of an unsettled payment, signed at `at` (the gateway
    /// posts one when a bank debit is accepted; tests deliver it late, or twice).
    #[must_use]
    pub fn processing_event(&self, reference: &str, at: OffsetDateTime) -> Option<SignedEvent> {
        let mut s = self.lock();
        let open = s.open.get(reference)?.clone();
        (open.stage == AttemptStage::Processing).then(|| {
            Self::event(
                &mut s,
                &open,
                reference,
                "processing",
                EventBody::default_for(),
                at,
            )
        })
    }

    fn conclude(
        &self,
        reference: &str,
        stage: AttemptStage,
        ok: bool,
        at: OffsetDateTime,
    ) -> Option<SignedEvent> {
        let mut s = self.lock();
        if s.open.get(reference)?.stage != stage {
            return None;
        }
        let open = s.open.remove(reference)?;
        if ok {
            let record = ChargeRecord {
                charge_id: random_id("ch_test_"),
                amount: open.amount,
                method: open.method.clone(),
            };
            s.charges.insert(open.key.clone(), record.clone());
            s.by_key.insert(
                open.key.clone(),
                ChargeOutcome::Succeeded {
                    charge_id: record.charge_id.clone(),
                    method: record.method.clone(),
                },
            );
            let mut body = EventBody::default_for();
            body.amount = Some(record.amount);
            body.charge_id = Some(record.charge_id);
            body.method = Some(record.method);
            Some(Self::event(&mut s, &open, reference, "succeeded", body, at))
        } else {
            let (code, message) = match stage {
                AttemptStage::RequiresAction => (
                    FailureCode::AuthenticationFailed,
                    "the bank did not confirm the payment",
                ),
                AttemptStage::Processing => (
                    FailureCode::DebitFailed,
                    "the bank returned the debit (insufficient funds)",
                ),
            };
            s.failed
                .insert(open.key.clone(), (code, message.to_owned()));
            s.by_key.insert(
                open.key.clone(),
                ChargeOutcome::Declined(DeclineReason::CardDeclined),
            );
            let mut body = EventBody::default_for();
            body.code = Some(code.as_str().to_owned());
            body.message = Some(message.to_owned());
            Some(Self::event(&mut s, &open, reference, "failed", body, at))
        }
    }

    fn event(
        s: &mut State,
        open: &Open,
        reference: &str,
        kind: &str,
        mut body: EventBody,
        at: OffsetDateTime,
    ) -> SignedEvent {
        s.events += 1;
        body.id = format!("evt_test_{}", s.events);
        body.org = open.org;
        body.key.clone_from(&open.key);
        body.reference = reference.to_owned();
        body.kind = kind.to_owned();
        if body.method.is_none() {
            body.method = Some(open.method.clone());
        }
        let payload = serde_json::to_vec(&body).unwrap_or_default();
        SignedEvent {
            signature: signature::sign(WEBHOOK_SECRET, at, &payload),
            payload,
        }
    }
}

impl EventBody {
    fn default_for() -> Self {
        Self {
            id: String::new(),
            org: OrgId::from_uuid(uuid::Uuid::nil()),
            key: String::new(),
            reference: String::new(),
            kind: String::new(),
            amount: None,
            charge_id: None,
            method: None,
            code: None,
            message: None,
        }
    }
}

fn random_id(prefix: &str) -> String {
    let tail = portal_core::auth::SecretToken::generate()
        .map(|t| t.expose().chars().take(16).collect::<String>())
        .unwrap_or_else(|_| "0000000000000000".into());
    format!("{prefix}{tail}")
}

/// What the test gateway does with a source.
enum Behaviour {
    Succeed(PaymentMethod),
    Decline(DeclineReason),
    Authenticate(PaymentMethod),
    SettleLater(PaymentMethod),
}

fn card(brand: &str, last4: &str) -> PaymentMethod {
    PaymentMethod::Card {
        brand: brand.into(),
        last4: last4.into(),
    }
}

fn behaviour_of(source: &ChargeSource, saved: &HashMap<String, PaymentMethod>) -> Behaviour {
    use Behaviour::{Authenticate, Decline, SettleLater, Succeed};
    match source {
        ChargeSource::Card(c) => match c.digits().as_str() {
            cards::VISA_OK => Succeed(card("visa", &c.last4())),
            cards::MASTERCARD_OK => Succeed(card("mastercard", &c.last4())),
            cards::AUTHENTICATION_REQUIRED => Authenticate(card("visa", &c.last4())),
            cards::FRAUD => Decline(DeclineReason::FraudSuspected),
            cards::AVS_FAIL => Decline(DeclineReason::AddressVerificationFailed),
            cards::DUPLICATE => Decline(DeclineReason::DuplicateTransaction),
            cards::EXPIRED => Decline(DeclineReason::ExpiredCard),
            _ => Decline(DeclineReason::CardDeclined),
        },
        ChargeSource::BankAccount(bank) => match bank.account_number.as_str() {
            "000111111116" => Decline(DeclineReason::CardDeclined),
            cards::BANK_SETTLES_LATER => SettleLater(PaymentMethod::BankAccount {
                last4: bank.last4(),
            }),
            _ => Succeed(PaymentMethod::BankAccount {
                last4: bank.last4(),
            }),
        },
        ChargeSource::Method(m) => match m.as_str() {
            "pm_card_visa" => Succeed(card("visa", "4242")),
            "pm_card_mastercard" => Succeed(card("mastercard", "4444")),
            "pm_card_authenticationRequired" => Authenticate(card("visa", "3184")),
            "pm_card_chargeDeclinedExpiredCard" => Decline(DeclineReason::ExpiredCard),
            "pm_card_chargeDeclinedFraudulent" => Decline(DeclineReason::FraudSuspected),
            "pm_sepa_debit" => SettleLater(PaymentMethod::BankAccount {
                last4: "3000".into(),
            }),
            _ => Decline(DeclineReason::CardDeclined),
        },
        ChargeSource::Token(token) => match saved.get(&token.0) {
            Some(method @ PaymentMethod::BankAccount { last4 }) if last4 == "3000" => {
                SettleLater(method.clone())
            }
            Some(method) => Succeed(method.clone()),
            None => Decline(DeclineReason::CardDeclined),
        },
    }
}

#[async_trait]
impl PaymentGateway for TestGateway {
    fn id(&self) -> &str {
        &self.id
    }

    fn supports_currency(&self, currency: Currency) -> bool {
        !self.lock().unsupported.contains(&currency)
    }

    fn minimum_amount(&self, currency: Currency) -> Money {
        Money::from_minor_units(50, currency)
    }

    fn supports_bank_accounts(&self) -> bool {
        true
    }

    fn supports_recurring(&self) -> bool {
        true
    }

    fn accepts_typed_details(&self) -> bool {
        true
    }

    async fn charge(&self, request: &ChargeRequest) -> Result<ChargeOutcome, GatewayError> {
        let mut s = self.lock();
        s.calls += 1;
        if s.invalid_credentials {
            return Err(GatewayError::InvalidCredentials);
        }
        if let Some(first) = s.by_key.get(&request.idempotency_key) {
            return Ok(first.clone());
        }
        if s.fail_before > 0 {
            s.fail_before -= 1;
            return Err(GatewayError::Unavailable(
                "test gateway: connection refused".into(),
            ));
        }
        let key = request.idempotency_key.clone();
        let open = |s: &mut State, method: PaymentMethod, stage| {
            let reference = random_id("pi_test_");
            s.open.insert(
                reference.clone(),
                Open {
                    key: key.clone(),
                    org: request.org,
                    amount: request.amount,
                    method,
                    stage,
                },
            );
            reference
        };
        let outcome = match behaviour_of(&request.source, &s.saved) {
            Behaviour::Succeed(method) => {
                let charge_id = random_id("ch_test_");
                s.charges.insert(
                    key.clone(),
                    ChargeRecord {
                        charge_id: charge_id.clone(),
                        amount: request.amount,
                        method: method.clone(),
                    },
                );
                ChargeOutcome::Succeeded { charge_id, method }
            }
            Behaviour::Decline(reason) => ChargeOutcome::Declined(reason),
            // A customer who is not there cannot authenticate: declined.
            Behaviour::Authenticate(_) if request.off_session => {
                ChargeOutcome::Declined(DeclineReason::CardDeclined)
            }
            Behaviour::Authenticate(method) => {
                let reference = open(&mut s, method, AttemptStage::RequiresAction);
                ChargeOutcome::RequiresAction {
                    action: CustomerAction::ClientSecret(ClientSecret(format!(
                        "{reference}_secret_{}",
                        random_id("")
                    ))),
                    reference,
                }
            }
            Behaviour::SettleLater(method) => {
                let reference = open(&mut s, method.clone(), AttemptStage::Processing);
                ChargeOutcome::Processing { reference, method }
            }
        };
        s.by_key.insert(key, outcome.clone());
        if s.fail_after > 0 {
            s.fail_after -= 1;
            return Err(GatewayError::Unavailable(
                "test gateway: timed out after charging".into(),
            ));
        }
        Ok(outcome)
    }

    async fn find_charge(
        &self,
        idempotency_key: &str,
        _reference: Option<String>,
    ) -> Result<ChargeState, GatewayError> {
        let s = self.lock();
        if let Some(record) = s.charges.get(idempotency_key) {
            return Ok(ChargeState::Succeeded(record.clone()));
        }
        if let Some((reference, open)) = s.open.iter().find(|(_, o)| o.key == idempotency_key) {
            return Ok(ChargeState::Open {
                stage: open.stage,
                reference: reference.clone(),
            });
        }
        if let Some((code, message)) = s.failed.get(idempotency_key) {
            return Ok(ChargeState::Failed {
                code: *code,
                message: message.clone(),
            });
        }
        Ok(ChargeState::NotCharged)
    }

    async fn cancel_charge(
        &self,
        idempotency_key: &str,
        reference: &str,
    ) -> Result<ChargeState, GatewayError> {
        {
            let mut s = self.lock();
            match s.open.get(reference).map(|o| o.stage) {
                Some(AttemptStage::RequiresAction) => {
                    s.open.remove(reference);
                    s.by_key.insert(
                        idempotency_key.to_owned(),
                        ChargeOutcome::Declined(DeclineReason::CardDeclined),
                    );
                    return Ok(ChargeState::NotCharged);
                }
                Some(stage) => {
                    return Ok(ChargeState::Open {
                        stage,
                        reference: reference.to_owned(),
                    });
                }
                None => {}
            }
        }
        self.find_charge(idempotency_key, Some(reference.to_owned()))
            .await
    }

    async fn verify_event(
        &self,
        header: &str,
        payload: &[u8],
        now: OffsetDateTime,
    ) -> Result<Option<GatewayEvent>, GatewayError> {
        signature::verify(
            header,
            payload,
            &[WEBHOOK_SECRET],
            now,
            signature::DEFAULT_TOLERANCE,
        )?;
        let body: EventBody = serde_json::from_slice(payload)
            .map_err(|_| GatewayError::InvalidEvent("the event does not parse"))?;
        let kind = match body.kind.as_str() {
            "succeeded" => EventKind::Succeeded(ChargeRecord {
                charge_id: body
                    .charge_id
                    .ok_or(GatewayError::InvalidEvent("no charge id"))?,
                amount: body.amount.ok_or(GatewayError::InvalidEvent("no amount"))?,
                method: body.method.ok_or(GatewayError::InvalidEvent("no method"))?,
            }),
            "failed" => EventKind::Failed {
                code: FailureCode::from_stored(body.code.as_deref().unwrap_or_default()),
                message: body.message.unwrap_or_default(),
            },
            "processing" => EventKind::Processing {
                method: body.method.ok_or(GatewayError::InvalidEvent("no method"))?,
            },
            "requires_action" => EventKind::RequiresAction,
            _ => return Ok(None),
        };
        Ok(Some(GatewayEvent {
            id: body.id,
            org: body.org,
            idempotency_key: body.key,
            reference: body.reference,
            kind,
        }))
    }

    async fn save_method(&self, source: &ChargeSource) -> Result<SaveOutcome, GatewayError> {
        let mut s = self.lock();
        if s.invalid_credentials {
            return Err(GatewayError::InvalidCredentials);
        }
        match behaviour_of(source, &s.saved) {
            Behaviour::Succeed(method)
            | Behaviour::Authenticate(method)
            | Behaviour::SettleLater(method) => {
                let token = random_id("pm_test_");
                s.saved.insert(token.clone(), method.clone());
                Ok(SaveOutcome::Saved {
                    token: GatewayToken(token),
                    method,
                    expiry: matches!(source, ChargeSource::Method(_)).then_some((12, 2034)),
                })
            }
            Behaviour::Decline(reason) => Ok(SaveOutcome::Declined(reason)),
        }
    }
    async fn update_method(
        &self,
        token: &GatewayToken,
        exp_month: u8,
        _exp_year: u16,
        _billing_address: &Address,
    ) -> Result<(), GatewayError> {
        let s = self.lock();
        if !s.saved.contains_key(&token.0) || !(1..=12).contains(&exp_month) {
            return Err(GatewayError::Unavailable(
                "test gateway: unknown payment method".into(),
            ));
        }
        Ok(())
    }

    async fn remove_method(&self, token: &GatewayToken) -> Result<(), GatewayError> {
        self.lock().saved.remove(&token.0);
        Ok(())
    }
}
