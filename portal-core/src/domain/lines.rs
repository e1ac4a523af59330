//! Line items and document totals, rounded per currency.

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

use super::money::{Currency, Money, MoneyError};

/// Why line items were refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum LineError {
    /// A document needs at least one line, and at most 500.
    #[error("a document needs 1 to 500 line items (it has {0})")]
    Count(usize),
    /// Description empty or too long.
    #[error("line {0}: the description must be 1 to 2000 characters of plain text")]
    Description(usize),
    /// Quantity zero or negative.
    #[error("line {0}: the quantity must be greater than zero")]
    Quantity(usize),
    /// Rate negative.
    #[error("line {0}: the rate must not be negative")]
    Rate(usize),
    /// Discount or tax outside 0..=100 percent.
    #[error("line {0}: discount and tax must be between 0 and 100 percent")]
    Percent(usize),
    /// An amount went out of range.
    #[error(transparent)]
    Money(#[from] MoneyError),
}

/// One line of a quote or an invoice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineItem {
    /// What is sold.
    pub description: String,
    /// How many (may be fractional: hours, kilograms).
    pub quantity: Decimal,
    /// Price per unit, in the document's currency.
    pub rate: Decimal,
    /// Discount in percent of the line (0 to 100).
    pub discount_percent: Decimal,
    /// Tax in percent of the discounted line (0 to 100).
    pub tax_percent: Decimal,
}

impl LineItem {
    /// A line without discount or tax.
    #[must_use]
    pub fn new(description: impl Into<String>, quantity: Decimal, rate: Decimal) -> Self {
        Self {
            description: description.into(),
            quantity,
            rate,
            discount_percent: Decimal::ZERO,
            tax_percent: Decimal::ZERO,
        }
    }
}

/// A document's totals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Totals {
    /// Sum of quantity × rate, each line rounded.
    pub subtotal: Money,
    /// Sum of the lines' discounts.
    pub discount: Money,
    /// Sum of the lines' taxes.
    pub tax: Money,
    /// subtotal − discount + tax.
    pub total: Money,
}

const HUNDRED: Decimal = Decimal::ONE_HUNDRED;

fn round(amount: Decimal, currency: Currency) -> Result<Money, MoneyError> {
    // Commercial rounding (half away from zero), line by line, as invoices print.
    Money::rounded(amount, currency, RoundingStrategy::MidpointAwayFromZero)
}

/// One line's figures, each rounded to the currency's minor unit: what a printed
/// line shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineAmounts {
    /// Quantity × rate.
    pub gross: Money,
    /// The line's discount.
    pub discount: Money,
    /// Gross less discount: the line's amount before tax.
    pub net: Money,
    /// The tax on the net amount.
    pub tax: Money,
}

/// Checks the lines and computes each line's figures. Each figure is rounded to
/// the currency's minor unit (half away from zero), so the printed lines add up
/// exactly to the printed totals ([`totals`]).
///
/// # Errors
/// [`LineError`] naming the first bad line (1-based).
pub fn line_amounts(lines: &[LineItem], currency: Currency) -> Result<Vec<LineAmounts>, LineError> {
    if lines.is_empty() || lines.len() > 500 {
        return Err(LineError::Count(lines.len()));
    }
    let mut out = Vec::with_capacity(lines.len());
    for (index, line) in lines.iter().enumerate() {
        let n = index + 1;
        if super::text::limited("description", &line.description, 1, 2000).is_err() {
            return Err(LineError::Description(n));
        }
        if line.quantity <= Decimal::ZERO {
            return Err(LineError::Quantity(n));
        }
        if line.rate < Decimal::ZERO {
            return Err(LineError::Rate(n));
        }
        let percent_ok = |p: Decimal| p >= Decimal::ZERO && p <= HUNDRED;
        if !percent_ok(line.discount_percent) || !percent_ok(line.tax_percent) {
            return Err(LineError::Percent(n));
        }
        let gross_raw = line
            .quantity
            .checked_mul(line.rate)
            .ok_or(MoneyError::Overflow)?;
        let gross = round(gross_raw, currency)?;
        let discount = round(gross.amount() * line.discount_percent / HUNDRED, currency)?;
        let net = gross.checked_sub(&discount)?;
        let tax = round(net.amount() * line.tax_percent / HUNDRED, currency)?;
        out.push(LineAmounts {
            gross,
            discount,
            net,
            tax,
        });
    }
    Ok(out)
}

/// Checks the lines and computes the totals: the sums of [`line_amounts`], so the
/// printed lines add up exactly to the printed total.
///
/// # Errors
/// [`LineError`] naming the first bad line (1-based).
pub fn totals(lines: &[LineItem], currency: Currency) -> Result<Totals, LineError> {
    let mut subtotal = Money::zero(currency);
    let mut discount = Money::zero(currency);
    let mut tax = Money::zero(currency);
    for line in line_amounts(lines, currency)? {
        subtotal = subtotal.checked_add(&line.gross)?;
        discount = discount.checked_add(&line.discount)?;
        tax = tax.checked_add(&line.tax)?;
    }
    let total = subtotal.checked_sub(&discount)?.checked_add(&tax)?;
    for figure in [subtotal, discount, tax, total] {
        figure.within_ceiling()?;
    }
    Ok(Totals {
        subtotal,
        discount,
        tax,
        total,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn usd() -> Currency {
        Currency::from_code("USD").expect("usd")
    }

    #[test]
    fn lines_round_each_and_add_up() {
        let lines = vec![
            LineItem {
                description: "Consulting".into(),
                quantity: Decimal::new(15, 1), // 1.5 h
                rate: Decimal::new(3333, 2),   // 33.33
                discount_percent: Decimal::new(10, 0),
                tax_percent: Decimal::new(23, 0),
            },
            LineItem::new("Travel", Decimal::ONE, Decimal::new(1999, 2)),
        ];
        let t = totals(&lines, usd()).expect("valid");
        // 1.5 × 33.33 = 49.995 → 50.00; discount 5.00; net 45.00; tax 10.35
        assert_eq!(t.subtotal.to_minor_units(), Ok(5000 + 1999));
        assert_eq!(t.discount.to_minor_units(), Ok(500));
        assert_eq!(t.tax.to_minor_units(), Ok(1035));
        assert_eq!(t.total.to_minor_units(), Ok(4500 + 1035 + 1999));
    }

    #[test]
    fn bad_lines_are_refused_with_their_number() {
        let ok = LineItem::new("x", Decimal::ONE, Decimal::ONE);
        assert_eq!(totals(&[], usd()), Err(LineError::Count(0)));
        let mut bad = ok.clone();
        bad.quantity = Decimal::ZERO;
        assert_eq!(
            totals(&[ok.clone(), bad], usd()),
            Err(LineError::Quantity(2))
        );
        let mut bad = ok.clone();
        bad.rate = Decimal::NEGATIVE_ONE;
        assert_eq!(totals(&[bad], usd()), Err(LineError::Rate(1)));
        let mut bad = ok.clone();
        bad.tax_percent = Decimal::new(101, 0);
        assert_eq!(totals(&[bad], usd()), Err(LineError::Percent(1)));
        let mut bad = ok;
        bad.description = " ".into();
        assert_eq!(totals(&[bad], usd()), Err(LineError::Description(1)));
    }

    proptest! {
        #[test]
        fn total_is_subtotal_minus_discount_plus_tax_and_never_negative(
            lines in prop::collection::vec(
                (1_i64..100_000, 0_i64..10_000_000, 0_i64..=100, 0_i64..=100),
                1..20,
            ),
            code in prop::sample::select(vec!["USD", "JPY", "BHD"]),
        ) {
            let currency = Currency::from_code(code).expect("currency");
            let items: Vec<LineItem> = lines
                .iter()
                .map(|(q, r, d, t)| LineItem {
                    description: "item".into(),
                    quantity: Decimal::new(*q, 2),
                    rate: Decimal::new(*r, 3),
                    discount_percent: Decimal::from(*d),
                    tax_percent: Decimal::from(*t),
                })
                .collect();
            let t = totals(&items, currency).expect("valid");
            prop_assert_eq!(
                t.total.to_minor_units().expect("fits"),
                t.subtotal.to_minor_units().expect("fits") - t.discount.to_minor_units().expect("fits")
                    + t.tax.to_minor_units().expect("fits")
            );
            prop_assert!(!t.total.is_negative());
            prop_assert!(t.discount.amount() <= t.subtotal.amount());
        }
    }
}
