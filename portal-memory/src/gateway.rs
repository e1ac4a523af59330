//! A payment gateway for tests and demos that behaves like a real one: test card
//! numbers, idempotency keys, and injectable faults.

use std::collections::HashMap;
use std::sync::Mutex;

use async_trait::async_trait;
use portal_core::domain::{Address, Currency, Money, PaymentMethod};
use portal_core::gateway::{
    ChargeOutcome, ChargeRecord, ChargeRequest, ChargeSource, DeclineReason, GatewayError,
    GatewayToken, PaymentGateway, SaveOutcome,
};

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
/// Bank accounts: any account number succeeds except `000111111116` (declined).
/// Any other card number is declined.
pub mod cards {
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

#[derive(Debug, Default)]
struct State {
    /// Outcome per idempotency key: a repeated key returns it without charging.
    by_key: HashMap<String, ChargeOutcome>,
    /// Successful charges per key.
    charges: HashMap<String, ChargeRecord>,
    calls: u64,
    fail_before: u32,
    fail_after: u32,
    invalid_credentials: bool,
    unsupported: Vec<Currency>,
    /// Saved methods by token.
    saved: HashMap<String, PaymentMethod>,
}

/// A test payment gateway. See [`cards`] for the numbers it knows.
#[derive(Debug)]
pub struct TestGateway {
    id: String,
    state: Mutex<State>,
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
}

fn random_id(prefix: &str) -> String {
    let tail = portal_core::auth::SecretToken::generate()
        .map(|t| t.expose().chars().take(16).collect::<String>())
        .unwrap_or_else(|_| "0000000000000000".into());
    format!("{prefix}{tail}")
}

fn outcome_for(
    source: &ChargeSource,
    key: &str,
    saved: &HashMap<String, PaymentMethod>,
) -> ChargeOutcome {
    let succeeded = |method| ChargeOutcome::Succeeded {
        charge_id: format!(
            "ch_test_{}",
            &portal_core::auth::SecretToken::generate().map_or_else(
                |_| key.to_owned(),
                |t| t.expose().chars().take(16).collect()
            )
        ),
        method,
    };
    match source {
        ChargeSource::Card(card) => {
            let brand = match card.digits().as_str() {
                cards::VISA_OK => "visa",
                cards::MASTERCARD_OK => "mastercard",
                cards::FRAUD => return ChargeOutcome::Declined(DeclineReason::FraudSuspected),
                cards::AVS_FAIL => {
                    return ChargeOutcome::Declined(DeclineReason::AddressVerificationFailed);
                }
                cards::DUPLICATE => {
                    return ChargeOutcome::Declined(DeclineReason::DuplicateTransaction);
                }
                cards::EXPIRED => return ChargeOutcome::Declined(DeclineReason::ExpiredCard),
                _ => return ChargeOutcome::Declined(DeclineReason::CardDeclined),
            };
            succeeded(PaymentMethod::Card {
                brand: brand.into(),
                last4: card.last4(),
            })
        }
        ChargeSource::BankAccount(bank) => {
            if bank.account_number == "000111111116" {
                return ChargeOutcome::Declined(DeclineReason::CardDeclined);
            }
            succeeded(PaymentMethod::BankAccount {
                last4: bank.last4(),
            })
        }
        ChargeSource::Token(token) => match saved.get(&token.0) {
            Some(method) => succeeded(method.clone()),
            None => ChargeOutcome::Declined(DeclineReason::CardDeclined),
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
        let outcome = outcome_for(&request.source, &request.idempotency_key, &s.saved);
        s.by_key
            .insert(request.idempotency_key.clone(), outcome.clone());
        if let ChargeOutcome::Succeeded { charge_id, method } = &outcome {
            s.charges.insert(
                request.idempotency_key.clone(),
                ChargeRecord {
                    charge_id: charge_id.clone(),
                    amount: request.amount,
                    method: method.clone(),
                },
            );
        }
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
    ) -> Result<Option<ChargeRecord>, GatewayError> {
        Ok(self.lock().charges.get(idempotency_key).cloned())
    }

    async fn save_method(&self, source: &ChargeSource) -> Result<SaveOutcome, GatewayError> {
        let mut s = self.lock();
        if s.invalid_credentials {
            return Err(GatewayError::InvalidCredentials);
        }
        match outcome_for(source, "save", &s.saved) {
            ChargeOutcome::Succeeded { method, .. } => {
                let token = random_id("pm_test_");
                s.saved.insert(token.clone(), method.clone());
                Ok(SaveOutcome::Saved {
                    token: GatewayToken(token),
                    method,
                })
            }
            ChargeOutcome::Declined(reason) => Ok(SaveOutcome::Declined(reason)),
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
