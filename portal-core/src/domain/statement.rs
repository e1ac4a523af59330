//! Statements of account (SPEC D1).

use serde::{Deserialize, Serialize};
use time::{Date, Duration, Month};
use uuid::Uuid;

use super::money::{Currency, Money};

/// What a statement line is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StatementEntryKind {
    /// An invoice: raises what is owed by its total.
    Invoice,
    /// A credit note: lowers it by its total.
    CreditNote,
    /// A payment (online or offline, invoice or retainer): lowers it by its amount.
    Payment,
    /// A refund of credit: raises it by its amount.
    Refund,
}

impl StatementEntryKind {
    /// The order of kinds within one day.
    #[must_use]
    pub fn order(self) -> i64 {
        match self {
            StatementEntryKind::Invoice => 1,
            StatementEntryKind::CreditNote => 2,
            StatementEntryKind::Payment => 3,
            StatementEntryKind::Refund => 4,
        }
    }

    /// The kind with this order.
    #[must_use]
    pub fn from_order(order: i64) -> Option<Self> {
        [
            StatementEntryKind::Invoice,
            StatementEntryKind::CreditNote,
            StatementEntryKind::Payment,
            StatementEntryKind::Refund,
        ]
        .into_iter()
        .find(|k| k.order() == order)
    }
}

/// One line of a statement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatementEntry {
    /// The day it counts on (payments and refunds: their UTC date).
    pub date: Date,
    /// What it is.
    pub kind: StatementEntryKind,
    /// The document's id.
    pub id: Uuid,
    /// The document's number (for a refund: how it was paid back).
    pub number: String,
    /// Its effect on what is owed: positive raises it, negative lowers it.
    pub amount: Money,
    /// What is owed after it.
    pub balance: Money,
}

/// What regular invoices still owed at the statement's end, by days past due.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Aging {
    /// Not yet due.
    pub current: Money,
    /// 1 to 30 days past due.
    pub days_1_30: Money,
    /// 31 to 60 days past due.
    pub days_31_60: Money,
    /// 61 to 90 days past due.
    pub days_61_90: Money,
    /// More than 90 days past due.
    pub over_90: Money,
}

/// A statement of account for a date range, in the customer's currency.
///
/// `closing = opening + Σ entries`. Over all of a customer's history up to today,
/// `closing` equals the dashboard's `outstanding_invoices − available_credits −
/// available_retainer_payments`: a retainer invoice is a request for an advance, so
/// it is not a debt until paid, and once paid its money is the customer's until it
/// settles an invoice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Statement {
    /// First day (inclusive).
    pub from: Date,
    /// Last day (inclusive).
    pub to: Date,
    /// The customer's currency.
    pub currency: Currency,
    /// What was owed before `from`.
    pub opening: Money,
    /// Every invoice, credit note, payment and refund of the range, in date order.
    pub entries: Vec<StatementEntry>,
    /// What was owed at the end of `to`.
    pub closing: Money,
    /// Aging of what regular invoices owed at the end of `to`.
    pub aging: Aging,
    /// Payments in flight when the statement was made (a bank debit processing, a
    /// card waiting for the customer's bank), for a statement that reaches today:
    /// reserved, not paid, so not in [`Self::entries`] nor in the balances.
    #[serde(default)]
    pub pending: Vec<super::PendingPayment>,
}

/// The ranges a statement can cover (D1: presets and custom).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "period")]
pub enum StatementPeriod {
    /// This calendar month up to today.
    ThisMonth,
    /// The previous calendar month.
    LastMonth,
    /// This calendar quarter up to today.
    ThisQuarter,
    /// This calendar year up to today.
    ThisYear,
    /// The previous calendar year.
    LastYear,
    /// Any range (inclusive, at most 20 years).
    Custom {
        /// First day.
        from: Date,
        /// Last day.
        to: Date,
    },
}

/// A statement range that is not a range.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the statement must start on or before its end and cover at most 20 years")]
pub struct PeriodError;

fn first_of_month(d: Date) -> Date {
    d.replace_day(1).unwrap_or(d)
}

impl StatementPeriod {
    /// The inclusive range this period means on `today`.
    ///
    /// # Errors
    /// [`PeriodError`] for a custom range that ends before it starts or is too long.
    pub fn range(self, today: Date) -> Result<(Date, Date), PeriodError> {
        let (from, to) = match self {
            StatementPeriod::ThisMonth => (first_of_month(today), today),
            StatementPeriod::LastMonth => {
                let end = first_of_month(today) - Duration::days(1);
                (first_of_month(end), end)
            }
            StatementPeriod::ThisQuarter => {
                let month = today.month() as u8;
                let first = Month::try_from(((month - 1) / 3) * 3 + 1).map_err(|_| PeriodError)?;
                let start =
                    Date::from_calendar_date(today.year(), first, 1).map_err(|_| PeriodError)?;
                (start, today)
            }
            StatementPeriod::ThisYear => (
                Date::from_calendar_date(today.year(), Month::January, 1)
                    .map_err(|_| PeriodError)?,
                today,
            ),
            StatementPeriod::LastYear => (
                Date::from_calendar_date(today.year() - 1, Month::January, 1)
                    .map_err(|_| PeriodError)?,
                Date::from_calendar_date(today.year() - 1, Month::December, 31)
                    .map_err(|_| PeriodError)?,
            ),
            StatementPeriod::Custom { from, to } => (from, to),
        };
        if from > to || to - from > Duration::days(366 * 20) {
            return Err(PeriodError);
        }
        Ok((from, to))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn presets_resolve_on_a_day() {
        let today = date!(2026 - 05 - 17);
        assert_eq!(
            StatementPeriod::ThisMonth.range(today),
            Ok((date!(2026 - 05 - 01), today))
        );
        assert_eq!(
            StatementPeriod::LastMonth.range(today),
            Ok((date!(2026 - 04 - 01), date!(2026 - 04 - 30)))
        );
        assert_eq!(
            StatementPeriod::ThisQuarter.range(today),
            Ok((date!(2026 - 04 - 01), today))
        );
        assert_eq!(
            StatementPeriod::ThisYear.range(today),
            Ok((date!(2026 - 01 - 01), today))
        );
        assert_eq!(
            StatementPeriod::LastYear.range(today),
            Ok((date!(2025 - 01 - 01), date!(2025 - 12 - 31)))
        );
        assert_eq!(
            StatementPeriod::LastMonth.range(date!(2026 - 01 - 10)),
            Ok((date!(2025 - 12 - 01), date!(2025 - 12 - 31)))
        );
        assert_eq!(
            StatementPeriod::Custom {
                from: today,
                to: date!(2026 - 05 - 01)
            }
            .range(today),
            Err(PeriodError)
        );
        for k in [
            StatementEntryKind::Invoice,
            StatementEntryKind::CreditNote,
            StatementEntryKind::Payment,
            StatementEntryKind::Refund,
        ] {
            assert_eq!(StatementEntryKind::from_order(k.order()), Some(k));
        }
    }
}
