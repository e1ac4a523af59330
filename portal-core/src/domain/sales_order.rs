//! Sales orders (SPEC S1–S2).

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};

use super::ids::{CustomerId, InvoiceId, OrgId, SalesOrderId};
use super::lines::{LineError, LineItem, totals};
use super::money::{Currency, Money};
use super::text::{TextError, single_line};

/// Where a sales order stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SalesOrderStatus {
    /// Being written; never visible in the portal.
    Draft,
    /// Confirmed, nothing invoiced yet.
    Open,
    /// Some of it invoiced.
    PartiallyInvoiced,
    /// Fully invoiced (fulfilled).
    Invoiced,
    /// Closed without further invoicing.
    Closed,
    /// Cancelled.
    Void,
}

/// What happens to a sales order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SalesOrderEvent {
    /// The organization confirms it (it becomes visible).
    Open,
    /// An invoice raised for part of it.
    InvoicePart,
    /// An invoice raised for the rest of it.
    InvoiceAll,
    /// The organization closes it.
    Close,
    /// The organization voids it.
    Void,
}

/// A move the sales-order lifecycle does not allow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("cannot {event:?} a sales order whose status is {from:?}")]
pub struct SalesOrderTransitionError {
    /// The status it was in.
    pub from: SalesOrderStatus,
    /// What was attempted.
    pub event: SalesOrderEvent,
}

impl SalesOrderStatus {
    /// The one transition table of sales orders.
    ///
    /// # Errors
    /// [`SalesOrderTransitionError`] for a move the lifecycle does not have.
    pub fn apply(self, event: SalesOrderEvent) -> Result<Self, SalesOrderTransitionError> {
        use SalesOrderEvent as E;
        use SalesOrderStatus as S;
        match (self, event) {
            (S::Draft, E::Open) => Ok(S::Open),
            (S::Open | S::PartiallyInvoiced, E::InvoicePart) => Ok(S::PartiallyInvoiced),
            (S::Open | S::PartiallyInvoiced, E::InvoiceAll) => Ok(S::Invoiced),
            (S::Open | S::PartiallyInvoiced, E::Close) => Ok(S::Closed),
            (S::Draft | S::Open, E::Void) => Ok(S::Void),
            (from, event) => Err(SalesOrderTransitionError { from, event }),
        }
    }

    /// The text stored in databases.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            SalesOrderStatus::Draft => "draft",
            SalesOrderStatus::Open => "open",
            SalesOrderStatus::PartiallyInvoiced => "partially_invoiced",
            SalesOrderStatus::Invoiced => "invoiced",
            SalesOrderStatus::Closed => "closed",
            SalesOrderStatus::Void => "void",
        }
    }

    /// Parses the stored text.
    #[must_use]
    pub fn from_db(text: &str) -> Option<Self> {
        [
            SalesOrderStatus::Draft,
            SalesOrderStatus::Open,
            SalesOrderStatus::PartiallyInvoiced,
            SalesOrderStatus::Invoiced,
            SalesOrderStatus::Closed,
            SalesOrderStatus::Void,
        ]
        .into_iter()
        .find(|s| s.as_str() == text)
    }
}

/// What the host app gives to create a sales order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewSalesOrder {
    /// The organization's number (1 to 50 characters).
    pub number: String,
    /// Line items.
    pub lines: Vec<LineItem>,
    /// The order's date.
    pub order_date: Date,
    /// Expected shipment date, if any.
    pub shipment_date: Option<Date>,
}

/// Why a sales order was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SalesOrderError {
    /// Bad lines.
    #[error(transparent)]
    Lines(#[from] LineError),
    /// Bad number.
    #[error(transparent)]
    Text(#[from] TextError),
}

/// A sales order confirmed with a customer, and the invoices raised from it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SalesOrder {
    /// Identifier.
    pub id: SalesOrderId,
    /// The organization.
    pub org: OrgId,
    /// The customer.
    pub customer: CustomerId,
    /// The organization's number.
    pub number: String,
    /// Status.
    pub status: SalesOrderStatus,
    /// Line items.
    pub lines: Vec<LineItem>,
    /// Total.
    pub total: Money,
    /// The order's date.
    pub order_date: Date,
    /// Expected shipment date.
    pub shipment_date: Option<Date>,
    /// Invoices raised from it, oldest first (S2).
    pub invoices: Vec<InvoiceId>,
    /// When the customer first opened it.
    pub viewed_at: Option<OffsetDateTime>,
    /// When it was created.
    pub created_at: OffsetDateTime,
    /// Optimistic-concurrency version.
    pub version: i64,
}

impl SalesOrder {
    /// A draft sales order in the customer's currency.
    ///
    /// # Errors
    /// [`SalesOrderError`] for bad lines or number.
    pub fn draft(
        org: OrgId,
        customer: CustomerId,
        currency: Currency,
        input: NewSalesOrder,
        now: OffsetDateTime,
    ) -> Result<Self, SalesOrderError> {
        single_line("sales order number", &input.number, 1, 50)?;
        let t = totals(&input.lines, currency)?;
        Ok(Self {
            id: SalesOrderId::new(),
            org,
            customer,
            number: input.number.trim().to_owned(),
            status: SalesOrderStatus::Draft,
            lines: input.lines,
            total: t.total,
            order_date: input.order_date,
            shipment_date: input.shipment_date,
            invoices: Vec::new(),
            viewed_at: None,
            created_at: now,
            version: 1,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transition_table() {
        use SalesOrderEvent as E;
        use SalesOrderStatus as S;
        let allowed = [
            (S::Draft, E::Open, S::Open),
            (S::Open, E::InvoicePart, S::PartiallyInvoiced),
            (S::PartiallyInvoiced, E::InvoicePart, S::PartiallyInvoiced),
            (S::Open, E::InvoiceAll, S::Invoiced),
            (S::PartiallyInvoiced, E::InvoiceAll, S::Invoiced),
            (S::Open, E::Close, S::Closed),
            (S::PartiallyInvoiced, E::Close, S::Closed),
            (S::Draft, E::Void, S::Void),
            (S::Open, E::Void, S::Void),
        ];
        let all = [
            S::Draft,
            S::Open,
            S::PartiallyInvoiced,
            S::Invoiced,
            S::Closed,
            S::Void,
        ];
        for from in all {
            for event in [E::Open, E::InvoicePart, E::InvoiceAll, E::Close, E::Void] {
                let expected = allowed
                    .iter()
                    .find(|(f, e, _)| *f == from && *e == event)
                    .map(|(_, _, to)| *to);
                assert_eq!(from.apply(event).ok(), expected, "{from:?} + {event:?}");
            }
            assert_eq!(SalesOrderStatus::from_db(from.as_str()), Some(from));
        }
    }
}
