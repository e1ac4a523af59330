//! The parts of Stripe's objects the adapter reads, and what they mean to the
//! library.

use portal_core::domain::{AttemptStage, FailureCode, Money, PaymentMethod};
use portal_core::gateway::{ChargeRecord, ChargeState, GatewayError};
use serde::Deserialize;

use crate::api::StripeError;

/// An id, or the object it names when expanded.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub(crate) enum Expandable<T> {
    Id(String),
    Object(Box<T>),
}

/// A PaymentIntent.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct PaymentIntent {
    pub(crate) id: String,
    pub(crate) status: String,
    pub(crate) amount: i64,
    pub(crate) currency: String,
    #[serde(default)]
    pub(crate) client_secret: Option<String>,
    #[serde(default)]
    pub(crate) next_action: Option<serde_json::Value>,
    #[serde(default)]
    pub(crate) payment_method: Option<Expandable<StripeMethod>>,
    #[serde(default)]
    pub(crate) latest_charge: Option<Expandable<Charge>>,
    #[serde(default)]
    pub(crate) last_payment_error: Option<StripeError>,
    #[serde(default)]
    pub(crate) metadata: std::collections::HashMap<String, String>,
}

/// A charge (only its id is read).
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct Charge {
    pub(crate) id: String,
}

/// A PaymentMethod, or the older Card and Source objects a PaymentIntent also
/// takes (what Stripe.js `createToken` and `createSource` lead to).
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct StripeMethod {
    pub(crate) id: String,
    /// `card`, `sepa_debit`… (a Card object has none: its `object` is `card`).
    #[serde(default, rename = "type")]
    pub(crate) kind: String,
    #[serde(default)]
    pub(crate) object: String,
    /// A Card object's own fields.
    #[serde(default)]
    pub(crate) brand: Option<String>,
    #[serde(default)]
    pub(crate) last4: Option<String>,
    #[serde(default)]
    pub(crate) exp_month: Option<u8>,
    #[serde(default)]
    pub(crate) exp_year: Option<u16>,
    #[serde(default)]
    pub(crate) card: Option<CardInfo>,
    #[serde(default)]
    pub(crate) sepa_debit: Option<BankInfo>,
    #[serde(default)]
    pub(crate) us_bank_account: Option<BankInfo>,
}

/// What a card method shows.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct CardInfo {
    pub(crate) brand: String,
    pub(crate) last4: String,
    pub(crate) exp_month: u8,
    pub(crate) exp_year: u16,
}

/// What a bank method shows.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct BankInfo {
    pub(crate) last4: String,
}

/// A customer.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct Customer {
    pub(crate) id: String,
    /// The card or source it holds, when made with one.
    #[serde(default)]
    pub(crate) default_source: Option<String>,
}

/// A search result page.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct SearchPage<T> {
    pub(crate) data: Vec<T>,
}

/// A SetupIntent.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct SetupIntent {
    pub(crate) status: String,
    #[serde(default)]
    pub(crate) client_secret: Option<String>,
    #[serde(default)]
    pub(crate) customer: Option<String>,
    #[serde(default)]
    pub(crate) payment_method: Option<Expandable<StripeMethod>>,
}

/// A refund.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct Refund {
    pub(crate) id: String,
    pub(crate) status: String,
}

impl StripeMethod {
    /// The card's expiry, if it is a card.
    pub(crate) fn expiry(&self) -> Option<(u8, u16)> {
        match &self.card {
            Some(c) => Some((c.exp_month, c.exp_year)),
            None => self.exp_month.zip(self.exp_year),
        }
    }

    /// Whether it debits a bank account.
    pub(crate) fn is_bank(&self) -> bool {
        self.card.is_none() && self.object != "card" && !self.kind.is_empty() && self.kind != "card"
    }

    /// What may be stored and shown of it.
    pub(crate) fn shown(&self) -> PaymentMethod {
        if let Some(card) = &self.card {
            return PaymentMethod::Card {
                brand: card.brand.clone(),
                last4: card.last4.clone(),
            };
        }
        if self.object == "card" {
            return PaymentMethod::Card {
                brand: self
                    .brand
                    .clone()
                    .unwrap_or_else(|| "card".into())
                    .to_lowercase(),
                last4: self.last4.clone().unwrap_or_default(),
            };
        }
        let last4 = self
            .sepa_debit
            .as_ref()
            .or(self.us_bank_account.as_ref())
            .map_or_else(String::new, |b| b.last4.clone());
        PaymentMethod::BankAccount { last4 }
    }
}

impl PaymentIntent {
    /// The method it charges, as may be shown (`stripe` when Stripe did not
    /// expand it).
    pub(crate) fn method(&self) -> PaymentMethod {
        match &self.payment_method {
            Some(Expandable::Object(m)) => m.shown(),
            _ => PaymentMethod::Card {
                brand: "card".into(),
                last4: String::new(),
            },
        }
    }

    /// The charge's id (the PaymentIntent's when there is no charge yet).
    pub(crate) fn charge_id(&self) -> String {
        match &self.latest_charge {
            Some(Expandable::Id(id)) => id.clone(),
            Some(Expandable::Object(c)) => c.id.clone(),
            None => self.id.clone(),
        }
    }

    /// Whether it debits a bank account (whose failures are returned debits).
    fn is_bank_debit(&self) -> bool {
        matches!(&self.payment_method, Some(Expandable::Object(m)) if m.is_bank())
    }

    /// What it charged, in `money`'s currency.
    pub(crate) fn record(&self, amount: Money) -> ChargeRecord {
        ChargeRecord {
            charge_id: self.charge_id(),
            amount,
            method: self.method(),
        }
    }

    /// Why it failed, in the library's terms.
    pub(crate) fn failure(&self) -> (FailureCode, String) {
        let error = self.last_payment_error.clone().unwrap_or_default();
        let message = error
            .message
            .clone()
            .unwrap_or_else(|| "the payment did not go through".into());
        let code = match error.code.as_deref() {
            Some("payment_intent_authentication_failure") => FailureCode::AuthenticationFailed,
            _ if self.is_bank_debit() => FailureCode::DebitFailed,
            _ => crate::api::decline_reason(&error).failure(),
        };
        (code, message)
    }

    /// Where it stands, in the library's terms. `amount` is what it is for, in the
    /// attempt's currency.
    pub(crate) fn state(&self, amount: Money) -> ChargeState {
        match self.status.as_str() {
            "succeeded" => ChargeState::Succeeded(self.record(amount)),
            "requires_action" | "requires_confirmation" => ChargeState::Open {
                stage: AttemptStage::RequiresAction,
                reference: self.id.clone(),
            },
            "processing" | "requires_capture" => ChargeState::Open {
                stage: AttemptStage::Processing,
                reference: self.id.clone(),
            },
            "requires_payment_method" if self.last_payment_error.is_some() => {
                let (code, message) = self.failure();
                ChargeState::Failed { code, message }
            }
            _ => ChargeState::NotCharged,
        }
    }
}

/// A response that does not say what the adapter needs.
pub(crate) fn unreadable(what: &str) -> GatewayError {
    GatewayError::Unexpected(format!("Stripe's {what} is missing what the portal needs"))
}
