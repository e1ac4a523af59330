//! Stripe for the customer portal: a [`PaymentGateway`] over Stripe's
//! PaymentIntents.
//!
//! - **Card numbers never reach the host.** The pay page loads Stripe.js
//!   ([`PaymentGateway::browser_form`]), which turns what the customer types into a
//!   PaymentMethod (`pm_…`); the host posts that id and the portal charges it.
//!   Typed numbers are refused ([`GatewayError::TypedDetailsRefused`]).
//! - **3-D Secure.** A charge the customer's bank must confirm answers
//!   [`ChargeOutcome::RequiresAction`] with the PaymentIntent's client secret; the
//!   page finishes it with Stripe.js (`handleNextAction`) and the outcome arrives
//!   as a webhook.
//! - **Settling later.** A SEPA or ACH debit answers [`ChargeOutcome::Processing`];
//!   `payment_intent.succeeded` or `payment_intent.payment_failed` settles it.
//! - **Webhooks.** [`PaymentGateway::verify_event`] checks `Stripe-Signature`
//!   (HMAC-SHA256 over `t.payload`, any `v1` with any configured secret, within a
//!   tolerance window, compared in constant time) and reads the PaymentIntent
//!   events; feed them to `Portal::handle_gateway_event`.
//! - **Exactly once.** Every POST carries an `Idempotency-Key` (the attempt's key
//!   for a charge), so retries on 429, 5xx and lost connections (with backoff,
//!   within [`StripeConfig::deadline`]) never charge twice; a charge whose answer is
//!   lost is found again by its key (Stripe's search over the PaymentIntent's
//!   metadata) or its id.
//! - **Saved methods** are set up in the browser through a SetupIntent
//!   ([`PaymentGateway::prepare_method`] gives the page its client secret; Stripe.js
//!   `confirmCardSetup` confirms it, with the bank if it asks) on a Stripe customer
//!   of its own, or a PaymentMethod attached to one; the token is `cus_…/pm_…`.
//!   Charged off-session (recurring payments), Stripe declines instead of asking
//!   for authentication.
//! - **Money.** Amounts go to Stripe in its minor units: zero-decimal currencies
//!   (JPY) as they are, three-decimal ones (BHD, KWD) in thousandths that Stripe
//!   requires to end in 0.
//!
//! ```no_run
//! # async fn wire() -> Result<(), Box<dyn std::error::Error>> {
//! use std::sync::Arc;
//! use portal_stripe::{StripeConfig, StripeGateway};
//!
//! let config = StripeConfig::new("sk_live_…", "pk_live_…")
//!     .with_webhook_secret("whsec_…");
//! let stripe = Arc::new(StripeGateway::new(config)?);
//! // Portal::builder(…).with_gateway(stripe).build()?;
//! # Ok(()) }
//! ```

mod api;
mod objects;

use std::fmt;
use std::time::Duration;

use async_trait::async_trait;
use portal_core::domain::{Address, Currency, FailureCode, Money, OrgId};
use portal_core::gateway::{
    BrowserForm, ChargeOutcome, ChargeRequest, ChargeSource, ChargeState, ClientSecret,
    CustomerAction, DeclineReason, EventKind, GatewayError, GatewayEvent, GatewayToken,
    PaymentGateway, SaveOutcome, signature,
};
use time::OffsetDateTime;

use api::{Api, Failure};
use objects::{Customer, PaymentIntent, Refund, SearchPage, StripeMethod, unreadable};

/// The metadata keys a PaymentIntent carries so that its events name the attempt.
const META_ORG: &str = "portal_org";
const META_KEY: &str = "portal_attempt_key";
const META_ATTEMPT: &str = "portal_attempt";

/// How to reach one Stripe account. `Debug` shows no key.
#[derive(Clone)]
pub struct StripeConfig {
    /// The id invoices use to name this gateway (default `stripe`).
    pub id: String,
    /// The secret key (`sk_live_…`, `sk_test_…`).
    pub secret_key: String,
    /// The publishable key Stripe.js starts with (`pk_…`; public by design).
    pub publishable_key: String,
    /// The webhook endpoint's signing secrets (`whsec_…`): any of them verifies an
    /// event, so a rotated secret and its successor both work during the rotation.
    pub webhook_secrets: Vec<String>,
    /// How far an event's signature time may be from now (default 5 minutes).
    pub webhook_tolerance: time::Duration,
    /// Stripe's API (default `https://api.stripe.com`; a test server's address in
    /// tests).
    pub api_base: String,
    /// Where the page loads Stripe.js from (default `https://js.stripe.com/v3/`).
    pub script_url: String,
    /// One request's time limit (default 10 s).
    pub request_timeout: Duration,
    /// How long retries may go on before the charge is left for recovery (default
    /// 20 s).
    pub deadline: Duration,
    /// The payment method types a PaymentIntent accepts (default card and SEPA
    /// debit).
    pub method_types: Vec<String>,
    /// Whether a PaymentIntent carries the charge's description (shown in Stripe's
    /// dashboard and on some bank statements; default `true`). localstripe refuses
    /// the field: tests against it turn this off.
    pub describe_payments: bool,
}

impl fmt::Debug for StripeConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StripeConfig")
            .field("id", &self.id)
            .field("api_base", &self.api_base)
            .field("webhook_secrets", &self.webhook_secrets.len())
            .finish_non_exhaustive()
    }
}

impl StripeConfig {
    /// A configuration with the account's keys and the defaults.
    #[must_use]
    pub fn new(secret_key: impl Into<String>, publishable_key: impl Into<String>) -> Self {
        Self {
            id: "stripe".into(),
            secret_key: secret_key.into(),
            publishable_key: publishable_key.into(),
            webhook_secrets: Vec::new(),
            webhook_tolerance: signature::DEFAULT_TOLERANCE,
            api_base: "https://api.stripe.com".into(),
            script_url: "https://js.stripe.com/v3/".into(),
            request_timeout: Duration::from_secs(10),
            deadline: Duration::from_secs(20),
            method_types: vec!["card".into(), "sepa_debit".into()],
            describe_payments: true,
        }
    }

    /// Adds a webhook signing secret.
    #[must_use]
    pub fn with_webhook_secret(mut self, secret: impl Into<String>) -> Self {
        self.webhook_secrets.push(secret.into());
        self
    }

    /// Talks to another API address (a test server), and loads Stripe.js from it.
    #[must_use]
    pub fn with_api_base(mut self, base: impl Into<String>) -> Self {
        self.api_base = base.into().trim_end_matches('/').to_owned();
        self
    }

    /// Loads Stripe.js from `url`.
    #[must_use]
    pub fn with_script_url(mut self, url: impl Into<String>) -> Self {
        self.script_url = url.into();
        self
    }

    /// Sets the request time limit and the retry deadline.
    #[must_use]
    pub fn with_timeouts(mut self, request: Duration, deadline: Duration) -> Self {
        self.request_timeout = request;
        self.deadline = deadline;
        self
    }
}

/// A refund Stripe made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StripeRefund {
    /// Stripe's id (`re_…`).
    pub id: String,
    /// `succeeded`, `pending`, `failed`…
    pub status: String,
}

/// The Stripe gateway.
#[derive(Debug, Clone)]
pub struct StripeGateway {
    api: Api,
}

/// The currencies Stripe counts in thousandths but charges in tens of them.
const THREE_DECIMAL: [&str; 5] = ["BHD", "JOD", "KWD", "OMR", "TND"];

/// `money` in Stripe's minor units.
///
/// # Errors
/// [`GatewayError::Unexpected`] for an amount Stripe cannot take: too large, or a
/// three-decimal amount not ending in 0.
pub fn stripe_amount(money: Money) -> Result<i64, GatewayError> {
    let minor = money
        .to_minor_units()
        .map_err(|e| GatewayError::Unexpected(e.to_string()))?;
    if THREE_DECIMAL.contains(&money.currency().code()) && minor % 10 != 0 {
        return Err(GatewayError::Unexpected(format!(
            "Stripe charges {} in multiples of 0.010",
            money.currency()
        )));
    }
    Ok(minor)
}

/// Stripe's minor units of `currency` (its lowercase code) as money.
fn money_of(minor: i64, currency: &str) -> Result<Money, GatewayError> {
    let currency = Currency::from_code(currency)
        .map_err(|_| GatewayError::Unexpected(format!("unknown currency {currency}")))?;
    Ok(Money::from_minor_units(minor, currency))
}

/// A saved method's token: the Stripe customer and the PaymentMethod.
fn split_token(token: &GatewayToken) -> Result<(&str, &str), GatewayError> {
    token
        .0
        .split_once('/')
        .ok_or_else(|| GatewayError::Unexpected("not a Stripe saved-method token".into()))
}

fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
    items
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

impl StripeGateway {
    /// A gateway for the account `config` names.
    ///
    /// # Errors
    /// [`GatewayError::Unexpected`] if the HTTP client cannot be built.
    pub fn new(config: StripeConfig) -> Result<Self, GatewayError> {
        Ok(Self {
            api: Api::new(config)?,
        })
    }

    fn config(&self) -> &StripeConfig {
        self.api.config()
    }

    /// Refunds `amount` (all of it when `None`) of a payment: `reference` is its
    /// charge (`ch_…`, what a recorded payment keeps) or its PaymentIntent
    /// (`pi_…`). Once per `idempotency_key`.
    ///
    /// # Errors
    /// [`GatewayError`] when Stripe refuses or cannot be reached.
    pub async fn refund(
        &self,
        reference: &str,
        amount: Option<Money>,
        idempotency_key: &str,
    ) -> Result<StripeRefund, GatewayError> {
        let field = if reference.starts_with("pi_") {
            "payment_intent"
        } else {
            "charge"
        };
        let mut form = pairs(&[(field, reference)]);
        if let Some(amount) = amount {
            form.push(("amount".into(), stripe_amount(amount)?.to_string()));
        }
        let refund: Refund = self
            .api
            .post("/v1/refunds", &form, Some(idempotency_key))
            .await
            .map_err(GatewayError::from)?;
        Ok(StripeRefund {
            id: refund.id,
            status: refund.status,
        })
    }

    /// A Stripe customer holding the card token or source `reference` (its
    /// `default_source` is then what is charged).
    async fn holder_of(
        &self,
        reference: &str,
        key: &str,
    ) -> Result<Result<Customer, DeclineReason>, GatewayError> {
        match self
            .api
            .post::<Customer>(
                "/v1/customers",
                &pairs(&[
                    ("source", reference),
                    ("description", "customer portal payer"),
                ]),
                Some(key),
            )
            .await
        {
            Ok(customer) => Ok(Ok(customer)),
            Err(Failure::Declined(reason)) => Ok(Err(reason)),
            Err(other) => Err(other.into()),
        }
    }

    /// What a SetupIntent the browser confirmed saved: its customer and method.
    async fn saved_by_setup(&self, id: &str) -> Result<SaveOutcome, GatewayError> {
        let setup: objects::SetupIntent = self
            .api
            .get(
                &format!("/v1/setup_intents/{id}"),
                &pairs(&[("expand[]", "payment_method")]),
            )
            .await
            .map_err(GatewayError::from)?;
        if setup.status != "succeeded" {
            return Ok(SaveOutcome::Declined(DeclineReason::CardDeclined));
        }
        let customer = setup.customer.ok_or_else(|| unreadable("SetupIntent"))?;
        let method = match setup.payment_method {
            Some(objects::Expandable::Object(m)) => *m,
            Some(objects::Expandable::Id(pm)) => self
                .api
                .get(&format!("/v1/payment_methods/{pm}"), &[])
                .await
                .map_err(GatewayError::from)?,
            None => return Err(unreadable("SetupIntent")),
        };
        Ok(SaveOutcome::Saved {
            token: GatewayToken(format!("{customer}/{}", method.id)),
            method: method.shown(),
            expiry: method.expiry(),
        })
    }

    /// The PaymentIntent `id`, with its method and charge expanded.
    async fn intent(&self, id: &str) -> Result<PaymentIntent, GatewayError> {
        self.api
            .get(
                &format!("/v1/payment_intents/{id}"),
                &pairs(&[
                    ("expand[]", "payment_method"),
                    ("expand[]", "latest_charge"),
                ]),
            )
            .await
            .map_err(GatewayError::from)
    }

    /// The PaymentIntent made under attempt key `key`, found by its metadata.
    async fn intent_by_key(&self, key: &str) -> Result<Option<PaymentIntent>, GatewayError> {
        let quoted = key.replace('\\', "\\\\").replace('\'', "\\'");
        let page: SearchPage<PaymentIntent> = self
            .api
            .get(
                "/v1/payment_intents/search",
                &pairs(&[
                    ("query", &format!("metadata['{META_KEY}']:'{quoted}'")),
                    ("expand[]", "data.payment_method"),
                ]),
            )
            .await
            .map_err(GatewayError::from)?;
        Ok(page.data.into_iter().next())
    }

    fn outcome(intent: &PaymentIntent) -> Result<ChargeOutcome, GatewayError> {
        Ok(match intent.status.as_str() {
            "succeeded" => ChargeOutcome::Succeeded {
                charge_id: intent.charge_id(),
                method: intent.method(),
            },
            "processing" | "requires_capture" => ChargeOutcome::Processing {
                reference: intent.id.clone(),
                method: intent.method(),
            },
            "requires_action" => {
                let redirect = intent
                    .next_action
                    .as_ref()
                    .and_then(|a| a.pointer("/redirect_to_url/url"))
                    .and_then(serde_json::Value::as_str);
                let action = match (redirect, &intent.client_secret) {
                    (Some(url), _) => CustomerAction::Redirect(url.to_owned()),
                    (None, Some(secret)) => {
                        CustomerAction::ClientSecret(ClientSecret(secret.clone()))
                    }
                    (None, None) => return Err(unreadable("PaymentIntent")),
                };
                ChargeOutcome::RequiresAction {
                    reference: intent.id.clone(),
                    action,
                }
            }
            _ => ChargeOutcome::Declined(api::decline_reason(
                &intent.last_payment_error.clone().unwrap_or_default(),
            )),
        })
    }

    fn state_of(intent: &PaymentIntent) -> Result<ChargeState, GatewayError> {
        let amount = money_of(intent.amount, &intent.currency)?;
        Ok(intent.state(amount))
    }
}

/// What a webhook event carries.
#[derive(serde::Deserialize)]
struct Event {
    id: String,
    #[serde(rename = "type")]
    kind: String,
    data: EventData,
}

#[derive(serde::Deserialize)]
struct EventData {
    object: serde_json::Value,
}

#[async_trait]
impl PaymentGateway for StripeGateway {
    fn id(&self) -> &str {
        &self.config().id
    }

    fn supports_currency(&self, currency: Currency) -> bool {
        // Stripe presents 135+ currencies; those it does not take are refused at
        // the charge (CP4003).
        currency.minor_units() <= 3
    }

    fn minimum_amount(&self, currency: Currency) -> Money {
        // Stripe's minimum charge amounts (stripe.com/docs/currencies#minimum-and-maximum-charge-amounts).
        let minor = match currency.code() {
            "GBP" => 30,
            "JPY" => 50,
            "HKD" => 400,
            "MXN" => 1_000,
            "AED" | "PLN" | "RON" | "BRL" | "MYR" => 200,
            "CZK" => 1_500,
            "DKK" => 250,
            "NOK" | "SEK" => 300,
            "HUF" => 17_500,
            "THB" => 1_000,
            "BGN" => 100,
            "INR" => 5_000,
            code if THREE_DECIMAL.contains(&code) => 500,
            _ => 50,
        };
        Money::from_minor_units(minor, currency)
    }

    fn supports_bank_accounts(&self) -> bool {
        true
    }

    fn supports_recurring(&self) -> bool {
        true
    }

    fn browser_form(&self) -> Option<BrowserForm> {
        Some(BrowserForm {
            script_url: self.config().script_url.clone(),
            publishable_key: self.config().publishable_key.clone(),
        })
    }

    #[tracing::instrument(skip_all, fields(attempt = %request.attempt))]
    async fn charge(&self, request: &ChargeRequest) -> Result<ChargeOutcome, GatewayError> {
        let (customer, method) = match &request.source {
            // A card token or a source (Stripe.js `createToken`, `createSource`):
            // charged through a customer of its own that holds it.
            ChargeSource::Method(m)
                if m.as_str().starts_with("tok_") || m.as_str().starts_with("src_") =>
            {
                let holder = match self
                    .holder_of(m.as_str(), &format!("{}:customer", request.idempotency_key))
                    .await?
                {
                    Ok(holder) => holder,
                    Err(reason) => return Ok(ChargeOutcome::Declined(reason)),
                };
                (
                    Some(holder.id),
                    holder
                        .default_source
                        .unwrap_or_else(|| m.as_str().to_owned()),
                )
            }
            ChargeSource::Method(m) => (None, m.as_str().to_owned()),
            ChargeSource::Token(token) => {
                let (customer, method) = split_token(token)?;
                (Some(customer.to_owned()), method.to_owned())
            }
            ChargeSource::Card(_) | ChargeSource::BankAccount(_) => {
                return Err(GatewayError::TypedDetailsRefused);
            }
        };
        let amount = stripe_amount(request.amount)?;
        let org = request.org.to_string();
        let attempt = request.attempt.to_string();
        let mut form = pairs(&[
            ("amount", &amount.to_string()),
            (
                "currency",
                &request.amount.currency().code().to_ascii_lowercase(),
            ),
            ("payment_method", &method),
            ("confirm", "true"),
            (&format!("metadata[{META_ORG}]"), &org),
            (&format!("metadata[{META_KEY}]"), &request.idempotency_key),
            (&format!("metadata[{META_ATTEMPT}]"), &attempt),
            ("expand[]", "payment_method"),
            ("expand[]", "latest_charge"),
        ]);
        for t in &self.config().method_types {
            form.push(("payment_method_types[]".into(), t.clone()));
        }
        if let Some(customer) = customer {
            form.push(("customer".into(), customer));
        }
        if self.config().describe_payments {
            form.push(("description".into(), request.description.clone()));
        }
        if request.off_session {
            form.push(("off_session".into(), "true".into()));
        }
        match self
            .api
            .post::<PaymentIntent>("/v1/payment_intents", &form, Some(&request.idempotency_key))
            .await
        {
            Ok(intent) => Self::outcome(&intent),
            Err(Failure::Declined(reason)) => Ok(ChargeOutcome::Declined(reason)),
            Err(other) => Err(other.into()),
        }
    }

    async fn find_charge(
        &self,
        idempotency_key: &str,
        reference: Option<String>,
    ) -> Result<ChargeState, GatewayError> {
        let intent = match reference {
            Some(id) => Some(self.intent(&id).await?),
            None => self.intent_by_key(idempotency_key).await?,
        };
        match intent {
            Some(intent) => Self::state_of(&intent),
            None => Ok(ChargeState::NotCharged),
        }
    }

    async fn cancel_charge(
        &self,
        idempotency_key: &str,
        reference: &str,
    ) -> Result<ChargeState, GatewayError> {
        let cancelled = self
            .api
            .post::<PaymentIntent>(
                &format!("/v1/payment_intents/{reference}/cancel"),
                &[],
                Some(&format!("{idempotency_key}:cancel")),
            )
            .await;
        match cancelled {
            Ok(intent) if intent.status == "canceled" => Ok(ChargeState::NotCharged),
            // Not cancellable any more (it settled, or is processing): say where it is.
            Ok(_) | Err(Failure::Refused { .. }) => {
                self.find_charge(idempotency_key, Some(reference.to_owned()))
                    .await
            }
            Err(other) => Err(other.into()),
        }
    }

    async fn verify_event(
        &self,
        header: &str,
        payload: &[u8],
        now: OffsetDateTime,
    ) -> Result<Option<GatewayEvent>, GatewayError> {
        let secrets: Vec<&str> = self
            .config()
            .webhook_secrets
            .iter()
            .map(String::as_str)
            .collect();
        if secrets.is_empty() {
            return Err(GatewayError::InvalidEvent(
                "no webhook secret is configured",
            ));
        }
        signature::verify(
            header,
            payload,
            &secrets,
            now,
            self.config().webhook_tolerance,
        )?;
        let event: Event = serde_json::from_slice(payload)
            .map_err(|_| GatewayError::InvalidEvent("the event does not parse"))?;
        if !event.kind.starts_with("payment_intent.") {
            return Ok(None);
        }
        let intent: PaymentIntent = serde_json::from_value(event.data.object)
            .map_err(|_| GatewayError::InvalidEvent("the event's PaymentIntent does not parse"))?;
        let (Some(org), Some(key)) = (
            intent
                .metadata
                .get(META_ORG)
                .and_then(|o| o.parse::<OrgId>().ok()),
            intent.metadata.get(META_KEY),
        ) else {
            // A payment some other system made on the same account.
            return Ok(None);
        };
        // Events carry the PaymentIntent without its method expanded: read it as it
        // is now for the brand and last four digits a receipt shows.
        let current = match event.kind.as_str() {
            "payment_intent.succeeded" | "payment_intent.processing" => {
                self.intent(&intent.id).await.map_err(|e| match e {
                    GatewayError::Unavailable(why) => GatewayError::Unavailable(why),
                    other => GatewayError::Unavailable(other.to_string()),
                })?
            }
            _ => intent.clone(),
        };
        let kind = match event.kind.as_str() {
            "payment_intent.succeeded" => {
                EventKind::Succeeded(current.record(money_of(intent.amount, &intent.currency)?))
            }
            "payment_intent.processing" => EventKind::Processing {
                method: current.method(),
            },
            "payment_intent.requires_action" => EventKind::RequiresAction,
            "payment_intent.payment_failed" => {
                let (code, message) = intent.failure();
                EventKind::Failed { code, message }
            }
            "payment_intent.canceled" => EventKind::Failed {
                code: FailureCode::NotCharged,
                message: "the payment was cancelled; nothing was charged".into(),
            },
            _ => return Ok(None),
        };
        Ok(Some(GatewayEvent {
            id: event.id,
            org,
            idempotency_key: key.clone(),
            reference: intent.id,
            kind,
        }))
    }

    async fn prepare_method(&self) -> Result<Option<ClientSecret>, GatewayError> {
        let key = format!("setup:{}", uuid::Uuid::now_v7().simple());
        let customer: Customer = self
            .api
            .post(
                "/v1/customers",
                &pairs(&[("description", "customer portal saved payment method")]),
                Some(&format!("{key}:customer")),
            )
            .await
            .map_err(GatewayError::from)?;
        let setup: objects::SetupIntent = self
            .api
            .post(
                "/v1/setup_intents",
                &pairs(&[
                    ("customer", &customer.id),
                    ("usage", "off_session"),
                    ("payment_method_types[]", "card"),
                ]),
                Some(&key),
            )
            .await
            .map_err(GatewayError::from)?;
        setup
            .client_secret
            .map(|s| Some(ClientSecret(s)))
            .ok_or_else(|| unreadable("SetupIntent"))
    }

    async fn save_method(&self, source: &ChargeSource) -> Result<SaveOutcome, GatewayError> {
        let ChargeSource::Method(method) = source else {
            return Err(GatewayError::TypedDetailsRefused);
        };
        if method.as_str().starts_with("seti_") {
            return self.saved_by_setup(method.as_str()).await;
        }
        let customer: Customer = self
            .api
            .post(
                "/v1/customers",
                &pairs(&[("description", "customer portal saved payment method")]),
                Some(&format!("save:{}", method.as_str())),
            )
            .await
            .map_err(GatewayError::from)?;
        let attached = self
            .api
            .post::<StripeMethod>(
                &format!("/v1/payment_methods/{}/attach", method.as_str()),
                &pairs(&[("customer", &customer.id)]),
                Some(&format!("attach:{}", method.as_str())),
            )
            .await;
        let attached = match attached {
            Ok(m) => m,
            Err(Failure::Declined(reason)) => return Ok(SaveOutcome::Declined(reason)),
            Err(other) => return Err(other.into()),
        };
        Ok(SaveOutcome::Saved {
            token: GatewayToken(format!("{}/{}", customer.id, attached.id)),
            method: attached.shown(),
            expiry: attached.expiry(),
        })
    }

    async fn update_method(
        &self,
        token: &GatewayToken,
        exp_month: u8,
        exp_year: u16,
        billing_address: &Address,
    ) -> Result<(), GatewayError> {
        let (_, method) = split_token(token)?;
        let mut form = pairs(&[
            ("card[exp_month]", &exp_month.to_string()),
            ("card[exp_year]", &exp_year.to_string()),
        ]);
        for (field, value) in [
            ("line1", &billing_address.street1),
            ("line2", &billing_address.street2),
            ("city", &billing_address.city),
            ("state", &billing_address.state),
            ("postal_code", &billing_address.zip),
            ("country", &billing_address.country),
        ] {
            if !value.is_empty() {
                form.push((format!("billing_details[address][{field}]"), value.clone()));
            }
        }
        self.api
            .post::<StripeMethod>(&format!("/v1/payment_methods/{method}"), &form, None)
            .await
            .map(|_| ())
            .map_err(GatewayError::from)
    }

    async fn remove_method(&self, token: &GatewayToken) -> Result<(), GatewayError> {
        let (_, method) = split_token(token)?;
        self.api
            .post::<StripeMethod>(&format!("/v1/payment_methods/{method}/detach"), &[], None)
            .await
            .map(|_| ())
            .map_err(GatewayError::from)
    }
}
