//! Invoices and retainer invoices (SPEC I1–I6).

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};

use super::ids::{CustomerId, InvoiceId, OrgId};
use super::lines::{LineError, LineItem, totals};
use super::money::{Currency, Money, MoneyError};
use super::text::{TextError, single_line};

/// An invoice, or a retainer invoice (an advance whose payment becomes a retainer
/// balance).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InvoiceKind {
    /// A regular invoice.
    Invoice,
    /// A retainer invoice.
    Retainer,
}

impl InvoiceKind {
    /// The text stored in databases.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            InvoiceKind::Invoice => "invoice",
            InvoiceKind::Retainer => "retainer",
        }
    }

    /// Parses the stored text.
    #[must_use]
    pub fn from_db(text: &str) -> Option<Self> {
        [InvoiceKind::Invoice, InvoiceKind::Retainer]
            .into_iter()
            .find(|k| k.as_str() == text)
    }
}

/// Where an invoice stands. "Overdue" is not a status: it is an unpaid invoice whose
/// due date has passed (see [`Invoice::is_overdue`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InvoiceStatus {
    /// Being written; never visible in the portal.
    Draft,
    /// Sent, nothing paid.
    Sent,
    /// Part of it paid or credited.
    PartiallyPaid,
    /// Nothing left to pay.
    Paid,
    /// Cancelled.
    Void,
}

/// What happens to an invoice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InvoiceEvent {
    /// The organization sends it.
    Send,
    /// A payment or credit leaves part of it to pay.
    PartPayment,
    /// A payment or credit settles it.
    FullPayment,
    /// The organization voids it.
    Void,
}

/// A move the invoice lifecycle does not allow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("cannot {event:?} an invoice whose status is {from:?}")]
pub struct InvoiceTransitionError {
    /// The status it was in.
    pub from: InvoiceStatus,
    /// What was attempted.
    pub event: InvoiceEvent,
}

impl InvoiceStatus {
    /// The one transition table of invoices.
    ///
    /// # Errors
    /// [`InvoiceTransitionError`] for a move the lifecycle does not have.
    pub fn apply(self, event: InvoiceEvent) -> Result<InvoiceStatus, InvoiceTransitionError> {
        use InvoiceEvent as E;
        use InvoiceStatus as S;
        match (self, event) {
            (S::Draft, E::Send) => Ok(S::Sent),
            (S::Sent | S::PartiallyPaid, E::PartPayment) => Ok(S::PartiallyPaid),
            (S::Sent | S::PartiallyPaid, E::FullPayment) => Ok(S::Paid),
            (S::Draft | S::Sent, E::Void) => Ok(S::Void),
            (from, event) => Err(InvoiceTransitionError { from, event }),
        }
    }

    /// Whether money can still go to it.
    #[must_use]
    pub fn is_payable(self) -> bool {
        matches!(self, InvoiceStatus::Sent | InvoiceStatus::PartiallyPaid)
    }

    /// The text stored in databases.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            InvoiceStatus::Draft => "draft",
            InvoiceStatus::Sent => "sent",
            InvoiceStatus::PartiallyPaid => "partially_paid",
            InvoiceStatus::Paid => "paid",
            InvoiceStatus::Void => "void",
        }
    }

    /// Parses the stored text.
    #[must_use]
    pub fn from_db(text: &str) -> Option<Self> {
        [
            InvoiceStatus::Draft,
            InvoiceStatus::Sent,
            InvoiceStatus::PartiallyPaid,
            InvoiceStatus::Paid,
            InvoiceStatus::Void,
        ]
        .into_iter()
        .find(|s| s.as_str() == text)
    }
}

/// What the host app gives to create an invoice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewInvoice {
    /// Invoice or retainer invoice.
    pub kind: InvoiceKind,
    /// The organization's invoice number (1 to 50 characters).
    pub number: String,
    /// Line items.
    pub lines: Vec<LineItem>,
    /// Date of issue.
    pub issue_date: Date,
    /// Due date (on or after the issue date).
    pub due_date: Date,
    /// Whether the customer may pay part of it at a time.
    pub allow_partial_payments: bool,
    /// Ids of the payment gateways the customer may pay it with (empty: offline only).
    pub payment_gateways: Vec<String>,
}

/// Why an invoice was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum InvoiceError {
    /// Bad lines.
    #[error(transparent)]
    Lines(#[from] LineError),
    /// Bad number.
    #[error(transparent)]
    Text(#[from] TextError),
    /// Due before issued.
    #[error("the due date must not be before the issue date")]
    DueBeforeIssue,
    /// Amount trouble.
    #[error(transparent)]
    Money(#[from] MoneyError),
}

/// An invoice or retainer invoice. Always `balance = total − paid − credited`, never
/// below zero.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Invoice {
    /// Identifier.
    pub id: InvoiceId,
    /// The organization.
    pub org: OrgId,
    /// The customer billed.
    pub customer: CustomerId,
    /// Invoice or retainer.
    pub kind: InvoiceKind,
    /// The organization's number.
    pub number: String,
    /// Status.
    pub status: InvoiceStatus,
    /// Line items.
    pub lines: Vec<LineItem>,
    /// Total to pay.
    pub total: Money,
    /// Paid by payments.
    pub paid: Money,
    /// Settled by applied credits.
    pub credited: Money,
    /// Left to pay.
    pub balance: Money,
    /// What online payments in flight hold of the balance: charged or being
    /// charged, not yet recorded. Never more than the balance. Meanwhile only the
    /// rest ([`Invoice::unreserved`]) can be paid or credited, and the invoice
    /// cannot be voided. The store keeps it; an update from the organization
    /// never changes it.
    pub reserved: Money,
    /// For a retainer invoice: how much of what was paid on it has since been applied
    /// to other invoices (the rest is the available retainer balance). Zero otherwise.
    pub drawn: Money,
    /// Date of issue.
    pub issue_date: Date,
    /// Due date.
    pub due_date: Date,
    /// Whether part payments are allowed.
    pub allow_partial_payments: bool,
    /// Payment gateways the customer may use for it.
    pub payment_gateways: Vec<String>,
    /// When the customer first opened it in the portal.
    pub viewed_at: Option<OffsetDateTime>,
    /// When it was created.
    pub created_at: OffsetDateTime,
    /// Optimistic-concurrency version.
    pub version: i64,
}

impl Invoice {
    /// Builds a draft invoice in the customer's currency.
    ///
    /// # Errors
    /// [`InvoiceError`] for bad lines, number or dates.
    pub fn draft(
        org: OrgId,
        customer: CustomerId,
        currency: Currency,
        input: NewInvoice,
        now: OffsetDateTime,
    ) -> Result<Self, InvoiceError> {
        single_line("invoice number", &input.number, 1, 50)?;
        if input.due_date < input.issue_date {
            return Err(InvoiceError::DueBeforeIssue);
        }
        for gateway in &input.payment_gateways {
            single_line("payment gateway id", gateway, 1, 50)?;
        }
        let t = totals(&input.lines, currency)?;
        Ok(Self {
            id: InvoiceId::new(),
            org,
            customer,
            kind: input.kind,
            number: input.number.trim().to_owned(),
            status: InvoiceStatus::Draft,
            lines: input.lines,
            total: t.total,
            paid: Money::zero(currency),
            credited: Money::zero(currency),
            balance: t.total,
            reserved: Money::zero(currency),
            drawn: Money::zero(currency),
            issue_date: input.issue_date,
            due_date: input.due_date,
            allow_partial_payments: input.allow_partial_payments,
            payment_gateways: input.payment_gateways,
            viewed_at: None,
            created_at: now,
            version: 1,
        })
    }

    /// The invoice's currency.
    #[must_use]
    pub fn currency(&self) -> Currency {
        self.total.currency()
    }

    /// For a retainer invoice: what was paid on it and not yet applied elsewhere.
    ///
    /// # Errors
    /// [`MoneyError::Overflow`] never in practice (`drawn <= paid`).
    pub fn retainer_available(&self) -> Result<Money, MoneyError> {
        if self.kind == InvoiceKind::Retainer {
            self.paid.checked_sub(&self.drawn)
        } else {
            Ok(Money::zero(self.currency()))
        }
    }

    /// What of the balance no online payment in flight holds: what an offline
    /// payment, a credit or another payment can still take. Never below zero.
    #[must_use]
    pub fn unreserved(&self) -> Money {
        match self.balance.checked_sub(&self.reserved) {
            Ok(free) if !free.is_negative() => free,
            _ => Money::zero(self.currency()),
        }
    }

    /// Unpaid and past its due date on `today`.
    #[must_use]
    pub fn is_overdue(&self, today: Date) -> bool {
        self.status.is_payable() && self.due_date < today
    }

    /// Puts `amount` of a payment (or of a credit, with `credit`) towards the
    /// invoice, moving its status.
    ///
    /// # Errors
    /// [`InvoiceTransitionError`] if it cannot take money now, or
    /// [`MoneyError::NotPositive`] / [`MoneyError::Negative`] if `amount` is not
    /// positive or exceeds the balance.
    pub fn settle(&mut self, amount: Money, credit: bool) -> Result<(), SettleError> {
        let amount = amount.positive()?;
        let balance = self.balance.checked_sub(&amount)?;
        if balance.is_negative() {
            return Err(SettleError::ExceedsBalance {
                balance: self.balance,
                amount,
            });
        }
        let event = if balance.is_zero() {
            InvoiceEvent::FullPayment
        } else {
            InvoiceEvent::PartPayment
        };
        self.status = self.status.apply(event)?;
        if credit {
            self.credited = self.credited.checked_add(&amount)?;
        } else {
            self.paid = self.paid.checked_add(&amount)?;
        }
        self.balance = balance;
        Ok(())
    }
}

/// Why money could not go to an invoice.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SettleError {
    /// More than what is left to pay.
    #[error("{amount} is more than the balance of {balance}")]
    ExceedsBalance {
        /// The balance.
        balance: Money,
        /// The amount offered.
        amount: Money,
    },
    /// The invoice cannot take money in its status.
    #[error(transparent)]
    Status(#[from] InvoiceTransitionError),
    /// Bad amount.
    #[error(transparent)]
    Money(#[from] MoneyError),
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::Decimal;
    use time::macros::date;

    fn invoice(total_cents: i64) -> Invoice {
        let usd = Currency::from_code("USD").expect("usd");
        let mut inv = Invoice::draft(
            OrgId::new(),
            CustomerId::new(),
            usd,
            NewInvoice {
                kind: InvoiceKind::Invoice,
                number: "INV-1".into(),
                lines: vec![LineItem::new(
                    "x",
                    Decimal::ONE,
                    Decimal::new(total_cents, 2),
                )],
                issue_date: date!(2026 - 01 - 01),
                due_date: date!(2026 - 01 - 31),
                allow_partial_payments: true,
                payment_gateways: vec![],
            },
            OffsetDateTime::UNIX_EPOCH,
        )
        .expect("valid");
        inv.status = inv.status.apply(InvoiceEvent::Send).expect("send");
        inv
    }

    #[test]
    fn transition_table() {
        use InvoiceEvent as E;
        use InvoiceStatus as S;
        let allowed = [
            (S::Draft, E::Send, S::Sent),
            (S::Sent, E::PartPayment, S::PartiallyPaid),
            (S::PartiallyPaid, E::PartPayment, S::PartiallyPaid),
            (S::Sent, E::FullPayment, S::Paid),
            (S::PartiallyPaid, E::FullPayment, S::Paid),
            (S::Draft, E::Void, S::Void),
            (S::Sent, E::Void, S::Void),
        ];
        for from in [S::Draft, S::Sent, S::PartiallyPaid, S::Paid, S::Void] {
            for event in [E::Send, E::PartPayment, E::FullPayment, E::Void] {
                let expected = allowed
                    .iter()
                    .find(|(f, e, _)| *f == from && *e == event)
                    .map(|(_, _, to)| *to);
                assert_eq!(from.apply(event).ok(), expected, "{from:?} + {event:?}");
            }
        }
    }

    proptest::proptest! {
        /// Random sends, voids, payments and credits never break the invoice's
        /// invariants, whatever is refused along the way.
        #[test]
        fn random_actions_keep_invoices_legal(
            actions in proptest::collection::vec((0_u8..4, 1_i64..6_000), 0..40),
        ) {
            let mut inv = invoice(10_000);
            inv.status = InvoiceStatus::Draft;
            let usd = inv.currency();
            for (action, minor) in actions {
                let before = inv.clone();
                let result = match action {
                    0 => inv.status.apply(InvoiceEvent::Send).map(|s| inv.status = s).map_err(|_| ()),
                    1 => inv.status.apply(InvoiceEvent::Void).map(|s| inv.status = s).map_err(|_| ()),
                    2 => inv.settle(Money::from_minor_units(minor, usd), false).map_err(|_| ()),
                    _ => inv.settle(Money::from_minor_units(minor, usd), true).map_err(|_| ()),
                };
                if result.is_err() {
                    proptest::prop_assert_eq!(&inv, &before, "a refused action changes nothing");
                }
                let (total, paid, credited, balance) = (
                    inv.total.to_minor_units().expect("fits"),
                    inv.paid.to_minor_units().expect("fits"),
                    inv.credited.to_minor_units().expect("fits"),
                    inv.balance.to_minor_units().expect("fits"),
                );
                proptest::prop_assert_eq!(balance, total - paid - credited);
                proptest::prop_assert!(balance >= 0);
                match inv.status {
                    InvoiceStatus::Draft | InvoiceStatus::Sent | InvoiceStatus::Void => {
                        proptest::prop_assert_eq!(paid + credited, 0);
                    }
                    InvoiceStatus::PartiallyPaid => proptest::prop_assert!(balance > 0 && paid + credited > 0),
                    InvoiceStatus::Paid => proptest::prop_assert_eq!(balance, 0),
                }
            }
        }
    }

    #[test]
    fn settling_moves_balance_and_status() {
        let mut inv = invoice(10_000);
        let usd = inv.currency();
        inv.settle(Money::from_minor_units(2_500, usd), false)
            .expect("part");
        assert_eq!(inv.status, InvoiceStatus::PartiallyPaid);
        inv.settle(Money::from_minor_units(2_500, usd), true)
            .expect("credit");
        assert!(matches!(
            inv.settle(Money::from_minor_units(5_001, usd), false),
            Err(SettleError::ExceedsBalance { .. })
        ));
        inv.settle(Money::from_minor_units(5_000, usd), false)
            .expect("rest");
        assert_eq!(inv.status, InvoiceStatus::Paid);
        assert_eq!(inv.balance.to_minor_units(), Ok(0));
        assert_eq!(inv.paid.to_minor_units(), Ok(7_500));
        assert_eq!(inv.credited.to_minor_units(), Ok(2_500));
        assert!(inv.settle(Money::from_minor_units(1, usd), false).is_err());
        assert!(!inv.is_overdue(date!(2026 - 12 - 31)));
    }
}
