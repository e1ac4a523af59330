//! Exact money: ISO 4217 currencies with their minor units, and amounts in them.

use std::fmt;
use std::str::FromStr;

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

/// Why an amount or a currency was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum MoneyError {
    /// Not an ISO 4217 code, or a code with no minor unit (gold, "no currency", ...).
    #[error(
        "{0:?} is not an ISO 4217 currency code usable for payments; use a code such as USD or EUR"
    )]
    UnknownCurrency(String),
    /// A code that ISO 4217 has replaced.
    #[error("currency {old} was replaced by {new}; use {new}")]
    SupersededCurrency {
        /// The code given.
        old: String,
        /// Its replacement.
        new: String,
    },
    /// More decimal places than the currency has minor units.
    #[error("{amount} has more decimal places than {currency} allows ({minor_units})")]
    TooPrecise {
        /// The amount given.
        amount: Decimal,
        /// The currency.
        currency: Currency,
        /// The currency's minor units.
        minor_units: u32,
    },
    /// Below zero where only zero or more makes sense.
    #[error("{0} is negative; enter an amount of zero or more")]
    Negative(Decimal),
    /// Zero or below where only a positive amount makes sense.
    #[error("{0} is not positive; enter an amount greater than zero")]
    NotPositive(Decimal),
    /// Arithmetic between two currencies.
    #[error("cannot combine {left} and {right} amounts")]
    CurrencyMismatch {
        /// The left operand's currency.
        left: Currency,
        /// The right operand's currency.
        right: Currency,
    },
    /// Outside what the store can hold (integer minor units in 64 bits).
    #[error("amount is out of range")]
    Overflow,
    /// Above [`MAX_AMOUNT_MINOR_UNITS`] for one document, line or payment, or above
    /// [`MAX_CUSTOMER_TOTAL_MINOR_UNITS`] for a customer's documents together.
    #[error("{amount} is more than the largest amount accepted ({limit})")]
    TooLarge {
        /// The amount given.
        amount: Decimal,
        /// The limit, in the same currency.
        limit: Decimal,
    },
    /// Adding this would take a customer's documents together past
    /// [`MAX_CUSTOMER_TOTAL_MINOR_UNITS`].
    #[error(
        "this would take the customer's documents past {limit} together, the most one customer may have"
    )]
    CustomerTotalTooLarge {
        /// The limit, in the customer's currency.
        limit: Decimal,
    },
    /// The text is not a decimal number.
    #[error("{0:?} is not a decimal number")]
    NotANumber(String),
}

/// The largest amount one document (its lines and totals), one payment, one credit
/// note or one refund may have: 10^15 minor units (10 trillion in a currency with
/// cents). Larger amounts are refused at the door with `invalid_amount`.
pub const MAX_AMOUNT_MINOR_UNITS: i64 = 1_000_000_000_000_000;

/// The largest total a customer's documents may reach together: invoice totals,
/// payments, credit notes and refunds, added up (10^17 minor units). With it, every
/// sum the library and its SQL compute for a customer (dashboard, statement, aging)
/// fits in 64-bit minor units with ninety-fold headroom.
pub const MAX_CUSTOMER_TOTAL_MINOR_UNITS: i64 = 100_000_000_000_000_000;

/// An ISO 4217 currency that has minor units (so it can carry an amount).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Currency(iso_currency::Currency);

impl Currency {
    /// Looks a currency up by its three-letter code (case-insensitive).
    ///
    /// # Errors
    /// [`MoneyError::UnknownCurrency`] for codes that are not ISO 4217 or have no
    /// minor unit; [`MoneyError::SupersededCurrency`] for replaced codes.
    pub fn from_code(code: &str) -> Result<Self, MoneyError> {
        let upper = code.trim().to_ascii_uppercase();
        let currency = iso_currency::Currency::from_code(&upper)
            .filter(|c| c.exponent().is_some())
            .ok_or_else(|| MoneyError::UnknownCurrency(code.to_owned()))?;
        if let Some(new) = currency.is_superseded() {
            return Err(MoneyError::SupersededCurrency {
                old: upper,
                new: new.code().to_owned(),
            });
        }
        Ok(Self(currency))
    }

    /// The three-letter code.
    #[must_use]
    pub fn code(&self) -> &'static str {
        self.0.code()
    }

    /// How many decimal places the currency has (2 for USD, 0 for JPY, 3 for BHD).
    #[must_use]
    pub fn minor_units(&self) -> u32 {
        u32::from(self.0.exponent().unwrap_or(0))
    }
}

impl fmt::Debug for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Currency {
    type Err = MoneyError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::from_code(s)
    }
}

impl TryFrom<String> for Currency {
    type Error = MoneyError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::from_code(&value)
    }
}

impl From<Currency> for String {
    fn from(c: Currency) -> String {
        c.code().to_owned()
    }
}

/// An exact amount in one currency, never more precise than the currency's minor unit.
///
/// Arithmetic is checked: combining two currencies is an error, never a silent
/// conversion. Rounding happens only where asked for, with an explicit strategy.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "RawMoney", into = "RawMoney")]
pub struct Money {
    amount: Decimal,
    currency: Currency,
}

#[derive(Serialize, Deserialize)]
struct RawMoney {
    amount: Decimal,
    currency: Currency,
}

impl TryFrom<RawMoney> for Money {
    type Error = MoneyError;
    fn try_from(raw: RawMoney) -> Result<Self, Self::Error> {
        Money::new(raw.amount, raw.currency)
    }
}

impl From<Money> for RawMoney {
    fn from(m: Money) -> Self {
        RawMoney {
            amount: m.amount,
            currency: m.currency,
        }
    }
}

impl Money {
    /// An amount that must already fit the currency's minor units.
    ///
    /// # Errors
    /// [`MoneyError::TooPrecise`] if it has more decimal places than the currency.
    pub fn new(amount: Decimal, currency: Currency) -> Result<Self, MoneyError> {
        let minor_units = currency.minor_units();
        let normalized = amount.normalize();
        if normalized.scale() > minor_units {
            return Err(MoneyError::TooPrecise {
                amount,
                currency,
                minor_units,
            });
        }
        let mut amount = normalized;
        amount.rescale(minor_units);
        let money = Self { amount, currency };
        money.to_minor_units()?;
        Ok(money)
    }

    /// Parses a decimal text such as `"12.50"` in a currency.
    ///
    /// # Errors
    /// [`MoneyError::NotANumber`] or the errors of [`Money::new`].
    pub fn parse(text: &str, currency: Currency) -> Result<Self, MoneyError> {
        let amount = Decimal::from_str_exact(text.trim())
            .map_err(|_| MoneyError::NotANumber(text.to_owned()))?;
        Self::new(amount, currency)
    }

    /// Rounds any decimal to the currency's minor unit with the given strategy.
    ///
    /// # Errors
    /// [`MoneyError::Overflow`] when the result does not fit in 64-bit minor units.
    pub fn rounded(
        amount: Decimal,
        currency: Currency,
        strategy: RoundingStrategy,
    ) -> Result<Self, MoneyError> {
        Self::new(
            amount.round_dp_with_strategy(currency.minor_units(), strategy),
            currency,
        )
    }

    /// Zero in a currency.
    #[must_use]
    pub fn zero(currency: Currency) -> Self {
        let mut amount = Decimal::ZERO;
        amount.rescale(currency.minor_units());
        Self { amount, currency }
    }

    /// Builds an amount from integer minor units (cents), as stored in SQL.
    #[must_use]
    pub fn from_minor_units(minor: i64, currency: Currency) -> Self {
        Self {
            amount: Decimal::new(minor, currency.minor_units()),
            currency,
        }
    }

    /// The amount as integer minor units (cents), as stored in SQL.
    ///
    /// # Errors
    /// [`MoneyError::Overflow`] if it does not fit in an `i64`.
    pub fn to_minor_units(&self) -> Result<i64, MoneyError> {
        let scaled = self
            .amount
            .checked_mul(Decimal::from(10_i64.pow(self.currency.minor_units())))
            .ok_or(MoneyError::Overflow)?;
        i64::try_from(scaled).map_err(|_| MoneyError::Overflow)
    }

    /// The decimal amount (always at the currency's scale).
    #[must_use]
    pub fn amount(&self) -> Decimal {
        self.amount
    }

    /// The currency.
    #[must_use]
    pub fn currency(&self) -> Currency {
        self.currency
    }

    /// Whether the amount is zero.
    #[must_use]
    pub fn is_zero(&self) -> bool {
        self.amount.is_zero()
    }

    /// Whether the amount is below zero.
    #[must_use]
    pub fn is_negative(&self) -> bool {
        self.amount.is_sign_negative() && !self.amount.is_zero()
    }

    /// Refuses negative amounts.
    ///
    /// # Errors
    /// [`MoneyError::Negative`].
    pub fn non_negative(self) -> Result<Self, MoneyError> {
        if self.is_negative() {
            Err(MoneyError::Negative(self.amount))
        } else {
            Ok(self)
        }
    }

    /// Refuses zero and negative amounts.
    ///
    /// # Errors
    /// [`MoneyError::NotPositive`].
    pub fn positive(self) -> Result<Self, MoneyError> {
        if self.is_negative() || self.is_zero() {
            Err(MoneyError::NotPositive(self.amount))
        } else {
            Ok(self)
        }
    }

    /// Refuses amounts above [`MAX_AMOUNT_MINOR_UNITS`] (in absolute value).
    ///
    /// # Errors
    /// [`MoneyError::TooLarge`].
    pub fn within_ceiling(self) -> Result<Self, MoneyError> {
        let limit = Money::from_minor_units(MAX_AMOUNT_MINOR_UNITS, self.currency).amount;
        if self.amount.abs() > limit {
            Err(MoneyError::TooLarge {
                amount: self.amount,
                limit,
            })
        } else {
            Ok(self)
        }
    }

    /// Refuses zero, negative, too large ([`MAX_AMOUNT_MINOR_UNITS`]) and
    /// other-currency amounts: what an amount paid, credited or refunded to a
    /// customer of `currency` must pass.
    ///
    /// # Errors
    /// [`MoneyError::NotPositive`], [`MoneyError::TooLarge`] or
    /// [`MoneyError::CurrencyMismatch`].
    pub fn positive_in(self, currency: Currency) -> Result<Self, MoneyError> {
        let money = self.positive()?.within_ceiling()?;
        if money.currency != currency {
            return Err(MoneyError::CurrencyMismatch {
                left: currency,
                right: money.currency,
            });
        }
        Ok(money)
    }

    fn same_currency(&self, other: &Money) -> Result<(), MoneyError> {
        if self.currency == other.currency {
            Ok(())
        } else {
            Err(MoneyError::CurrencyMismatch {
                left: self.currency,
                right: other.currency,
            })
        }
    }

    /// `self + other`, in the same currency.
    ///
    /// # Errors
    /// [`MoneyError::CurrencyMismatch`] or [`MoneyError::Overflow`].
    pub fn checked_add(&self, other: &Money) -> Result<Money, MoneyError> {
        self.same_currency(other)?;
        let amount = self
            .amount
            .checked_add(other.amount)
            .ok_or(MoneyError::Overflow)?;
        Money::new(amount, self.currency)
    }

    /// `self - other`, in the same currency.
    ///
    /// # Errors
    /// [`MoneyError::CurrencyMismatch`] or [`MoneyError::Overflow`].
    pub fn checked_sub(&self, other: &Money) -> Result<Money, MoneyError> {
        self.same_currency(other)?;
        let amount = self
            .amount
            .checked_sub(other.amount)
            .ok_or(MoneyError::Overflow)?;
        Money::new(amount, self.currency)
    }

    /// Splits the amount in proportion to `weights` so that the parts add back up to
    /// exactly the whole: each part is rounded down to the minor unit and the
    /// remaining minor units go, one each, to the parts with the largest remainders
    /// (earliest first on ties). All-zero or empty weights give an error-free empty
    /// or all-zero split only when the amount is zero.
    ///
    /// # Errors
    /// [`MoneyError::Overflow`] if the amount cannot be expressed in minor units, or
    /// [`MoneyError::NotPositive`] if the weights sum to zero while the amount does not.
    pub fn allocate(&self, weights: &[u64]) -> Result<Vec<Money>, MoneyError> {
        let total_minor = i128::from(self.to_minor_units()?);
        let weight_sum: i128 = weights.iter().map(|w| i128::from(*w)).sum();
        if weight_sum == 0 {
            if total_minor == 0 {
                return Ok(weights.iter().map(|_| Money::zero(self.currency)).collect());
            }
            return Err(MoneyError::NotPositive(Decimal::ZERO));
        }
        let mut parts: Vec<i128> = Vec::with_capacity(weights.len());
        let mut remainders: Vec<(i128, usize)> = Vec::with_capacity(weights.len());
        for (index, weight) in weights.iter().enumerate() {
            let product = total_minor * i128::from(*weight);
            parts.push(product.div_euclid(weight_sum));
            remainders.push((product.rem_euclid(weight_sum), index));
        }
        let mut left = total_minor - parts.iter().sum::<i128>();
        remainders.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        for (_, index) in remainders {
            if left == 0 {
                break;
            }
            parts[index] += 1;
            left -= 1;
        }
        parts
            .into_iter()
            .map(|minor| {
                i64::try_from(minor)
                    .map(|m| Money::from_minor_units(m, self.currency))
                    .map_err(|_| MoneyError::Overflow)
            })
            .collect()
    }
}

impl fmt::Debug for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.amount, self.currency)
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.amount, self.currency)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn usd() -> Currency {
        Currency::from_code("usd").expect("usd")
    }

    #[test]
    fn currencies_have_their_minor_units() {
        assert_eq!(usd().minor_units(), 2);
        assert_eq!(Currency::from_code("JPY").expect("jpy").minor_units(), 0);
        assert_eq!(Currency::from_code("BHD").expect("bhd").minor_units(), 3);
        assert!(matches!(
            Currency::from_code("XAU"),
            Err(MoneyError::UnknownCurrency(_))
        ));
        assert!(matches!(
            Currency::from_code("ZZZ"),
            Err(MoneyError::UnknownCurrency(_))
        ));
    }

    #[test]
    fn refuses_over_precise_amounts() {
        assert!(matches!(
            Money::parse("1.005", usd()),
            Err(MoneyError::TooPrecise { .. })
        ));
        assert!(Money::parse("1", Currency::from_code("JPY").expect("jpy")).is_ok());
        assert!(matches!(
            Money::parse("1.5", Currency::from_code("JPY").expect("jpy")),
            Err(MoneyError::TooPrecise { .. })
        ));
        // Trailing zeros are not extra precision.
        assert_eq!(
            Money::parse("1.500", usd()).expect("ok").to_minor_units(),
            Ok(150)
        );
        assert!(matches!(
            Money::parse("abc", usd()),
            Err(MoneyError::NotANumber(_))
        ));
    }

    #[test]
    fn arithmetic_refuses_mixed_currencies() {
        let eur = Money::zero(Currency::from_code("EUR").expect("eur"));
        assert!(matches!(
            Money::zero(usd()).checked_add(&eur),
            Err(MoneyError::CurrencyMismatch { .. })
        ));
    }

    #[test]
    fn rounding_is_explicit() {
        let m = Money::rounded(
            Decimal::new(1005, 3),
            usd(),
            RoundingStrategy::MidpointNearestEven,
        )
        .expect("ok");
        assert_eq!(m.to_minor_units(), Ok(100));
        let m = Money::rounded(
            Decimal::new(1005, 3),
            usd(),
            RoundingStrategy::MidpointAwayFromZero,
        )
        .expect("ok");
        assert_eq!(m.to_minor_units(), Ok(101));
    }

    #[test]
    fn allocation_example() {
        let parts = Money::parse("100.00", usd())
            .expect("ok")
            .allocate(&[1, 1, 1])
            .expect("ok");
        let minors: Vec<i64> = parts
            .iter()
            .map(|p| p.to_minor_units().expect("ok"))
            .collect();
        assert_eq!(minors, vec![3334, 3333, 3333]);
    }

    proptest! {
        #[test]
        fn minor_units_round_trip(minor in -1_000_000_000_000_i64..1_000_000_000_000, code in prop::sample::select(vec!["USD", "JPY", "BHD", "EUR", "CLF"])) {
            let currency = Currency::from_code(code).expect("known");
            let money = Money::from_minor_units(minor, currency);
            prop_assert_eq!(money.to_minor_units(), Ok(minor));
            let reparsed = Money::parse(&money.amount().to_string(), currency).expect("re-parses");
            prop_assert_eq!(reparsed, money);
            let json = serde_json::to_string(&money).expect("serializes");
            let back: Money = serde_json::from_str(&json).expect("deserializes");
            prop_assert_eq!(back, money);
        }

        #[test]
        fn scale_beyond_minor_units_is_refused(mantissa in 1_i64..1_000_000_000, extra in 1_u32..6) {
            let currency = usd();
            let scale = currency.minor_units() + extra;
            let amount = Decimal::new(mantissa, scale);
            let result = Money::new(amount, currency);
            if amount.normalize().scale() > currency.minor_units() {
                let is_too_precise = matches!(result, Err(MoneyError::TooPrecise { .. }));
                prop_assert!(is_too_precise);
            } else {
                prop_assert!(result.is_ok());
            }
        }

        #[test]
        fn allocation_adds_up_exactly(minor in 0_i64..10_000_000_000, weights in prop::collection::vec(0_u64..1000, 1..12)) {
            prop_assume!(weights.iter().any(|w| *w > 0));
            let money = Money::from_minor_units(minor, usd());
            let parts = money.allocate(&weights).expect("allocates");
            prop_assert_eq!(parts.len(), weights.len());
            let sum: i64 = parts.iter().map(|p| p.to_minor_units().expect("fits")).sum();
            prop_assert_eq!(sum, minor);
            for (part, weight) in parts.iter().zip(&weights) {
                prop_assert!(!part.is_negative());
                if *weight == 0 { prop_assert!(part.is_zero()); }
            }
        }
    }
}
