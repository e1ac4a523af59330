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
