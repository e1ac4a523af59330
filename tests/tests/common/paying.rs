//! Building payment requests in tests.

#![allow(dead_code, unreachable_pub)]

use portal_core::prelude::*;

pub fn card(number: &str) -> PaySource {
    PaySource::Card(Box::new(CardDetails {
        number: number.into(),
        cvv: "314".into(),
        exp_month: 12,
        exp_year: 2030,
        holder: "Pat Payer".into(),
        billing_address: portal_core::domain::Address::default(),
        country: "US".into(),
    }))
}

pub fn money(minor: i64, currency: Currency) -> Money {
    Money::from_minor_units(minor, currency)
}

pub fn pay(invoices: InvoiceSelection, source: PaySource, key: &str) -> PayRequest {
    PayRequest {
        invoices,
        amount: None,
        source,
        idempotency_key: key.into(),
    }
}

/// `text` without the parts that are random (ids, hashes, gateway references, the
/// nanoseconds of a timestamp), in which any three digits can turn up by chance.
pub fn without_random_ids(text: &str) -> String {
    text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
        .filter(|word| {
            let random = uuid::Uuid::parse_str(word).is_ok()
                || word.starts_with("ch_")
                || word.starts_with("R-")
                || word.starts_with("pi_")
                // Fractions of a second in a timestamp's Debug text.
                || (word.len() >= 5 && word.chars().all(|c| c.is_ascii_digit()))
                || (word.len() >= 32 && word.chars().all(|c| c.is_ascii_hexdigit()));
            !random
        })
        .collect::<Vec<_>>()
        .join(" ")
}
