//! The HTTP side: form-encoded requests to Stripe's API with the secret key, the
//! idempotency key on every POST, retries with backoff on 429, 5xx and connection
//! failures within a deadline, and Stripe's errors read into the library's terms.

use std::time::Duration;

use portal_core::gateway::{DeclineReason, GatewayError};
use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::StripeConfig;

/// Stripe's error body: `{"error": {"type", "code", "decline_code", "message"}}`.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct ErrorBody {
    #[serde(default)]
    pub(crate) error: StripeError,
}

/// One Stripe error.
#[derive(Debug, Default, Clone, Deserialize)]
pub(crate) struct StripeError {
    #[serde(default)]
    pub(crate) code: Option<String>,
    #[serde(default)]
    pub(crate) decline_code: Option<String>,
    #[serde(default)]
    pub(crate) message: Option<String>,
}

/// What a request came to, short of success.
#[derive(Debug)]
pub(crate) enum Failure {
    /// 402: the card or account was declined.
    Declined(DeclineReason),
    /// 400 or 404: Stripe refused the request as made (`code`, if it said one).
    Refused { status: u16, error: StripeError },
    /// Anything else: the gateway failed (credentials, outage, an answer that does
    /// not parse).
    Gateway(GatewayError),
}

impl From<Failure> for GatewayError {
    fn from(f: Failure) -> Self {
        match f {
            Failure::Gateway(e) => e,
            Failure::Declined(_) => GatewayError::Unexpected("declined".into()),
            Failure::Refused { status, error } => refused(status, &error),
        }
    }
}

/// A 400 or 404 in the library's terms: the currency or amount Stripe does not
/// take (CP4003, CP4001), else an unexpected answer naming Stripe's code.
pub(crate) fn refused(status: u16, error: &StripeError) -> GatewayError {
    match error.code.as_deref() {
        Some("amount_too_small") => GatewayError::BelowMinimum,
        Some("currency_not_supported" | "invalid_currency") => GatewayError::CurrencyNotSupported,
        code => GatewayError::Unexpected(format!(
            "Stripe answered {status} ({}): {}",
            code.unwrap_or("no code"),
            error.message.as_deref().unwrap_or("no message")
        )),
    }
}

/// A decline in the library's terms, from Stripe's `code` and `decline_code`.
pub(crate) fn decline_reason(error: &StripeError) -> DeclineReason {
    let codes = [error.decline_code.as_deref(), error.code.as_deref()];
    if codes.iter().any(|c| {
        matches!(
            c,
            Some("fraudulent" | "stolen_card" | "lost_card" | "pickup_card")
        )
    }) {
        return DeclineReason::FraudSuspected;
    }
    if codes.iter().any(|c| matches!(c, Some("expired_card"))) {
        return DeclineReason::ExpiredCard;
    }
    if codes.iter().any(|c| {
        matches!(
            c,
            Some("incorrect_address" | "incorrect_zip" | "postal_code_invalid")
        )
    }) {
        return DeclineReason::AddressVerificationFailed;
    }
    if codes
        .iter()
        .any(|c| matches!(c, Some("duplicate_transaction")))
    {
        return DeclineReason::DuplicateTransaction;
    }
    DeclineReason::CardDeclined
}

/// A client for one Stripe account.
#[derive(Debug, Clone)]
pub(crate) struct Api {
    http: reqwest::Client,
    config: StripeConfig,
}

fn backoff(attempt: u32) -> Duration {
    // 100 ms, 200 ms, 400 ms, … capped at 2 s.
    Duration::from_millis(100_u64.saturating_mul(1 << attempt.min(5))).min(Duration::from_secs(2))
}

impl Api {
    pub(crate) fn new(config: StripeConfig) -> Result<Self, GatewayError> {
        let http = reqwest::Client::builder()
            .timeout(config.request_timeout)
            .connect_timeout(config.request_timeout)
            .user_agent(concat!("portal-stripe/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| GatewayError::Unexpected(format!("HTTP client: {e}")))?;
        Ok(Self { http, config })
    }

    pub(crate) fn config(&self) -> &StripeConfig {
        &self.config
    }

    /// POSTs `form` to `path` under `idempotency_key`, retrying what may be retried
    /// with the same key until the deadline.
    pub(crate) async fn post<T: DeserializeOwned>(
        &self,
        path: &str,
        form: &[(String, String)],
        idempotency_key: Option<&str>,
    ) -> Result<T, Failure> {
        self.send(|| {
            let mut request = self
                .http
                .post(format!("{}{path}", self.config.api_base))
                .bearer_auth(&self.config.secret_key)
                .form(form);
            if let Some(key) = idempotency_key {
                request = request.header("Idempotency-Key", key);
            }
            request
        })
        .await
    }

    /// GETs `path` with `query`.
    pub(crate) async fn get<T: DeserializeOwned>(
        &self,
        path: &str,
        query: &[(String, String)],
    ) -> Result<T, Failure> {
        self.send(|| {
            self.http
                .get(format!("{}{path}", self.config.api_base))
                .bearer_auth(&self.config.secret_key)
                .query(query)
        })
        .await
    }

    async fn send<T: DeserializeOwned>(
        &self,
        build: impl Fn() -> reqwest::RequestBuilder,
    ) -> Result<T, Failure> {
        let deadline = tokio::time::Instant::now() + self.config.deadline;
        let mut attempt = 0;
        loop {
            let outcome = build().send().await;
            let retry = match outcome {
                Ok(response) => {
                    let status = response.status().as_u16();
                    let body = response.bytes().await;
                    match (status, body) {
                        (200..=299, Ok(body)) => {
                            return serde_json::from_slice(&body).map_err(|_| {
                                Failure::Gateway(GatewayError::Unavailable(
                                    "Stripe's answer does not parse".into(),
                                ))
                            });
                        }
                        (429 | 500..=599, _) => format!("Stripe answered {status}"),
                        (_, Err(e)) => format!("reading Stripe's answer: {e}"),
                        (status, Ok(body)) => {
                            let error = serde_json::from_slice::<ErrorBody>(&body)
                                .unwrap_or_default()
                                .error;
                            return Err(match status {
                                401 | 403 => Failure::Gateway(GatewayError::InvalidCredentials),
                                402 => Failure::Declined(decline_reason(&error)),
                                // The key is in use by a request still running, or
                                // was used with other parameters: the outcome is
                                // Stripe's first request's, which recovery reads.
                                409 => Failure::Gateway(GatewayError::Unavailable(
                                    "Stripe refused the idempotency key (409)".into(),
                                )),
                                _ => Failure::Refused { status, error },
                            });
                        }
                    }
                }
                Err(e) if e.is_timeout() => "Stripe did not answer in time".to_owned(),
                Err(e) => format!("could not reach Stripe: {e}"),
            };
            let wait = backoff(attempt);
            attempt += 1;
            if tokio::time::Instant::now() + wait >= deadline {
                tracing::warn!(attempts = attempt, why = %retry, "Stripe: giving up until recovery");
                return Err(Failure::Gateway(GatewayError::Unavailable(retry)));
            }
            tracing::debug!(attempt, why = %retry, "Stripe: retrying");
            tokio::time::sleep(wait).await;
        }
    }
}
