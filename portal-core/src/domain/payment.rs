//! Payments, their allocation to invoices, credits and the dashboard figures
//! (SPEC H1, I3–I11).

use std::fmt;

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};

use super::customer::Address;
use super::ids::{CustomerId, InvoiceId, OrgId, PaymentId, SavedMethodId};
use super::money::{Currency, Money, MoneyError};

/// How a payment was made. Card and bank details beyond these are never stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "type")]
pub enum PaymentMethod {
    /// A card, through a gateway.
    Card {
        /// Brand, such as `visa`.
        brand: String,
        /// The last four digits.
        last4: String,
    },
    /// A bank account (ACH), through a gateway.
    BankAccount {
        /// The last four digits of the account.
        last4: String,
    },
    /// Recorded by the organization (cash, cheque, transfer...).
    Offline {
        /// How it was paid, as the organization wrote it.
        mode: String,
    },
}

/// The part of a payment that went to one invoice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Allocation {
    /// The invoice.
    pub invoice: InvoiceId,
    /// How much went to it.
    pub amount: Money,
}

/// A card or bank account the customer saved for later payments (I10). Only the
/// gateway's token, brand, last four digits and expiry are kept; `Debug` hides the
/// token.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedPaymentMethod {
    /// Identifier.
    pub id: SavedMethodId,
    /// The organization.
    pub org: OrgId,
    /// The customer it belongs to.
    pub customer: CustomerId,
    /// The gateway that holds it.
    pub gateway: String,
    /// The gateway's token for it.
    pub token: String,
    /// Brand and last four digits (or bank account's last four).
    pub method: PaymentMethod,
    /// Expiry month (cards).
    pub exp_month: Option<u8>,
    /// Expiry year (cards).
    pub exp_year: Option<u16>,
    /// Billing address.
    pub billing_address: Address,
    /// When it was saved.
    pub created_at: OffsetDateTime,
    /// Optimistic-concurrency version.
    pub version: i64,
}

impl fmt::Debug for SavedPaymentMethod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SavedPaymentMethod")
            .field("id", &self.id)
            .field("customer", &self.customer)
            .field("gateway", &self.gateway)
            .field("method", &self.method)
            .field("exp_month", &self.exp_month)
            .field("exp_year", &self.exp_year)
            .finish_non_exhaustive()
    }
}

/// A payment received from a customer: online through a gateway or recorded offline.
/// `amount = Σ allocations + unapplied`; the unapplied part is the customer's credit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Payment {
    /// Identifier.
    pub id: PaymentId,
    /// The organization.
    pub org: OrgId,
    /// The customer who paid.
    pub customer: CustomerId,
    /// The receipt's number.
    pub receipt_number: String,
    /// The amount received.
    pub amount: Money,
    /// What went to which invoice, oldest due first.
    pub allocations: Vec<Allocation>,
    /// What no invoice took (excess): available credit until used.
    pub unapplied: Money,
    /// How it was paid.
    pub method: PaymentMethod,
    /// The gateway's charge id, for online payments.
    pub reference: Option<String>,
    /// When it was paid.
    pub paid_at: OffsetDateTime,
}

/// An invoice as the allocation rule sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Payable {
    /// The invoice.
    pub invoice: InvoiceId,
    /// Its due date (earliest is paid first).
    pub due_date: Date,
    /// Its issue date (tie-break).
    pub issue_date: Date,
    /// What is left to pay on it (zero if it cannot take money now).
    pub balance: Money,
}

impl Payable {
    /// The invoice as a payment sees it: its balance while it can take money
    /// (sent or partly paid), zero otherwise.
    #[must_use]
    pub fn of(invoice: &super::Invoice) -> Self {
        Self {
            invoice: invoice.id,
            due_date: invoice.due_date,
            issue_date: invoice.issue_date,
            balance: if invoice.status.is_payable() {
                invoice.balance
            } else {
                Money::zero(invoice.currency())
            },
        }
    }
}

/// Splits `amount` over `invoices`, oldest due date first (then issue date, then id),
/// never more than an invoice's balance. Returns the allocations (only non-zero ones)
/// and what is left over, which becomes credit.
///
/// # Errors
/// [`MoneyError::CurrencyMismatch`] if an invoice is in another currency.
pub fn allocate_oldest_first(
    amount: Money,
    invoices: &[Payable],
) -> Result<(Vec<Allocation>, Money), MoneyError> {
    let mut order: Vec<&Payable> = invoices.iter().collect();
    order.sort_by_key(|p| (p.due_date, p.issue_date, p.invoice));
    let mut left = amount;
    let mut out = Vec::new();
    for p in order {
        if left.is_zero() {
            break;
        }
        let take = if p.balance.amount() < left.amount() {
            p.balance
        } else {
            left
        };
        left = left.checked_sub(&take)?;
        if !take.is_zero() && !take.is_negative() {
            out.push(Allocation {
                invoice: p.invoice,
                amount: take,
            });
        }
    }
    Ok((out, left))
}

/// An invoice as a new payment attempt sees it: what is left to pay on it and what
/// other pending attempts have reserved of that.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reservable {
    /// The invoice, its dates and balance.
    pub payable: Payable,
    /// What pending attempts (other than this one) reserved on it.
    pub reserved: Money,
}

/// Why an attempt could not reserve what it would apply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReservationRefusal {
    /// Another attempt in flight holds part of the balance: wait for it.
    InProgress,
    /// The invoices do not have that much left to pay.
    ExceedsBalance {
        /// What is left to pay and not held by any attempt.
        available: Money,
    },
}

/// The outcome of [`reserve_oldest_first`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reservation {
    /// What the attempt holds on each invoice until it succeeds or fails.
    Granted(Vec<Allocation>),
    /// Nothing is held; the attempt must not be charged.
    Refused(ReservationRefusal),
}

/// Reserves `amount` over `invoices` the way a payment will apply it (oldest due
/// first), out of what is unreserved: `balance − reserved`, never below zero. An
/// attempt for more than the unreserved total is refused: [`ReservationRefusal::InProgress`]
/// when other attempts hold part of the balance, otherwise
/// [`ReservationRefusal::ExceedsBalance`]. Every store runs this inside the atomic
/// operation that records the attempt.
///
/// # Errors
/// [`MoneyError::CurrencyMismatch`] if an amount is in another currency.
pub fn reserve_oldest_first(
    amount: Money,
    invoices: &[Reservable],
) -> Result<Reservation, MoneyError> {
    let zero = Money::zero(amount.currency());
    let mut unreserved = Vec::with_capacity(invoices.len());
    let mut available = zero;
    let mut held = false;
    for r in invoices {
        let free = r.payable.balance.checked_sub(&r.reserved)?;
        let free = if free.is_negative() { zero } else { free };
        held |= !r.reserved.is_zero();
        available = available.checked_add(&free)?;
        unreserved.push(Payable {
            balance: free,
            ..r.payable.clone()
        });
    }
    if amount.amount() > available.amount() {
        return Ok(Reservation::Refused(if held {
            ReservationRefusal::InProgress
        } else {
            ReservationRefusal::ExceedsBalance { available }
        }));
    }
    let (allocations, _) = allocate_oldest_first(amount, &unreserved)?;
    Ok(Reservation::Granted(allocations))
}

/// What a payment applies to each invoice, and what is left as credit. Each
/// invoice in `invoices` comes with what *other* pending attempts hold on it
/// (`reserved`): that part is theirs and this payment never takes it. A payment
/// that completes an attempt first settles what the attempt held (`holds`, each up
/// to what the invoice still owes beyond the others' holds); the rest, and the
/// whole of an offline payment (no holds), goes oldest due first over what no
/// attempt holds. What no invoice can take stays on the payment as credit. One
/// allocation per invoice, oldest due first.
///
/// # Errors
/// [`MoneyError::CurrencyMismatch`] if an amount is in another currency.
pub fn allocate_payment(
    amount: Money,
    invoices: &[Reservable],
    holds: &[Allocation],
) -> Result<(Vec<Allocation>, Money), MoneyError> {
    let zero = Money::zero(amount.currency());
    let mut free: Vec<Payable> = Vec::with_capacity(invoices.len());
    for r in invoices {
        let left = r.payable.balance.checked_sub(&r.reserved)?;
        free.push(Payable {
            balance: if left.is_negative() { zero } else { left },
            ..r.payable.clone()
        });
    }
    let mut left = amount;
    let mut taken: Vec<Allocation> = Vec::new();
    for hold in holds {
        let Some(invoice) = free.iter_mut().find(|p| p.invoice == hold.invoice) else {
            continue;
        };
        let take = [hold.amount, invoice.balance, left]
            .into_iter()
            .min_by(|a, b| a.amount().cmp(&b.amount()))
            .unwrap_or(zero);
        if take.is_zero() || take.is_negative() {
            continue;
        }
        invoice.balance = invoice.balance.checked_sub(&take)?;
        left = left.checked_sub(&take)?;
        taken.push(Allocation {
            invoice: hold.invoice,
            amount: take,
        });
    }
    let (rest, unapplied) = allocate_oldest_first(left, &free)?;
    taken.extend(rest);
    let mut merged: Vec<Allocation> = Vec::with_capacity(taken.len());
    for a in taken {
        match merged.iter_mut().find(|m| m.invoice == a.invoice) {
            Some(m) => m.amount = m.amount.checked_add(&a.amount)?,
            None => merged.push(a),
        }
    }
    merged.sort_by_key(|a| {
        free.iter()
            .find(|p| p.invoice == a.invoice)
            .map(|p| (p.due_date, p.issue_date, p.invoice))
    });
    Ok((merged, unapplied))
}

/// The money figures of the portal home (H1), in the customer's currency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DashboardFigures {
    /// Sum of the balances of sent and partly paid invoices.
    pub outstanding_invoices: Money,
    /// The part of that which is past due.
    pub overdue_invoices: Money,
    /// Unapplied credit-note balances plus unapplied payment excess.
    pub available_credits: Money,
    /// Sum of the balances of sent and partly paid retainer invoices.
    pub outstanding_retainers: Money,
    /// What was paid on retainer invoices and not yet applied to other invoices.
    pub available_retainer_payments: Money,
    /// The latest payment: amount and time.
    pub last_payment: Option<(Money, OffsetDateTime)>,
    /// Quotes awaiting the customer's decision (sent, not expired).
    pub quotes_awaiting: u64,
    /// What payments in flight hold on unpaid invoices (regular and retainer): a
    /// bank debit that is processing, a card waiting for the customer's bank.
    /// Reserved, not paid: it is still part of [`Self::outstanding_invoices`] and
    /// of the balance until it settles.
    pub payments_pending: Money,
}

impl DashboardFigures {
    /// What the customer owes net of the credit it holds: outstanding invoices less
    /// available credit and unapplied retainer payments (negative when the credit is
    /// larger). It is the closing balance of the statement of the whole history,
    /// the figure a host shows as "balance".
    ///
    /// # Errors
    /// [`MoneyError`] only if the figures are not in one currency, which the stores
    /// never produce.
    pub fn balance_owed(&self) -> Result<Money, MoneyError> {
        self.outstanding_invoices
            .checked_sub(&self.available_credits)?
            .checked_sub(&self.available_retainer_payments)
    }

    /// All zero in `currency`.
    #[must_use]
    pub fn zero(currency: Currency) -> Self {
        let z = Money::zero(currency);
        Self {
            outstanding_invoices: z,
            overdue_invoices: z,
            available_credits: z,
            outstanding_retainers: z,
            available_retainer_payments: z,
            last_payment: None,
            quotes_awaiting: 0,
            payments_pending: z,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::attempt::FailureCode;
    use proptest::prelude::*;
    use time::macros::date;

    fn usd() -> Currency {
        Currency::from_code("USD").expect("usd")
    }

    #[test]
    fn failure_codes_round_trip_and_unknown_ones_are_other() {
        for code in FailureCode::ALL {
            assert_eq!(FailureCode::from_stored(code.as_str()), code);
        }
        assert_eq!(
            FailureCode::from_stored("something new"),
            FailureCode::Other
        );
    }

    #[test]
    fn oldest_due_first_and_excess_is_left() {
        let a = InvoiceId::new();
        let b = InvoiceId::new();
        let invoices = vec![
            Payable {
                invoice: a,
                due_date: date!(2026 - 03 - 01),
                issue_date: date!(2026 - 02 - 01),
                balance: Money::from_minor_units(5_000, usd()),
            },
            Payable {
                invoice: b,
                due_date: date!(2026 - 02 - 01),
                issue_date: date!(2026 - 01 - 01),
                balance: Money::from_minor_units(3_000, usd()),
            },
        ];
        let (allocs, left) =
            allocate_oldest_first(Money::from_minor_units(10_000, usd()), &invoices).expect("ok");
        assert_eq!(allocs[0].invoice, b);
        assert_eq!(allocs[0].amount.to_minor_units(), Ok(3_000));
        assert_eq!(allocs[1].invoice, a);
        assert_eq!(left.to_minor_units(), Ok(2_000));
        let (allocs, left) =
            allocate_oldest_first(Money::from_minor_units(4_000, usd()), &invoices).expect("ok");
        assert_eq!(allocs.len(), 2);
        assert_eq!(allocs[1].amount.to_minor_units(), Ok(1_000));
        assert!(left.is_zero());
    }

    fn reservable(due_day: u8, balance: i64, reserved: i64) -> Reservable {
        Reservable {
            payable: Payable {
                invoice: InvoiceId::new(),
                due_date: date!(2026 - 03 - 01).replace_day(due_day).expect("day"),
                issue_date: date!(2026 - 02 - 01),
                balance: Money::from_minor_units(balance, usd()),
            },
            reserved: Money::from_minor_units(reserved, usd()),
        }
    }

    fn minor_of(allocs: &[Allocation], invoice: InvoiceId) -> i64 {
        allocs
            .iter()
            .filter(|a| a.invoice == invoice)
            .map(|a| a.amount.to_minor_units().expect("fits"))
            .sum()
    }

    #[test]
    fn a_payment_never_takes_what_other_attempts_hold() {
        // Oldest invoice: 100.00 owed, 60.00 held by another attempt.
        let old = reservable(1, 10_000, 6_000);
        let new = reservable(20, 5_000, 0);
        let invoices = [old.clone(), new.clone()];
        // An offline payment of 120.00 takes the free 40.00 of the old one, all of
        // the new one, and leaves 30.00 as credit.
        let (allocs, left) =
            allocate_payment(Money::from_minor_units(12_000, usd()), &invoices, &[]).expect("ok");
        assert_eq!(minor_of(&allocs, old.payable.invoice), 4_000);
        assert_eq!(minor_of(&allocs, new.payable.invoice), 5_000);
        assert_eq!(left.to_minor_units(), Ok(3_000));
        // An attempt's payment settles what it held first, where it held it, even
        // when an older invoice has room: 50.00 held on the new invoice.
        let holds = [Allocation {
            invoice: new.payable.invoice,
            amount: Money::from_minor_units(5_000, usd()),
        }];
        let (allocs, left) =
            allocate_payment(Money::from_minor_units(5_000, usd()), &invoices, &holds).expect("ok");
        assert_eq!(minor_of(&allocs, new.payable.invoice), 5_000);
        assert_eq!(minor_of(&allocs, old.payable.invoice), 0);
        assert!(left.is_zero());
        // More than it held: the rest goes oldest first over what is free, one
        // allocation per invoice, oldest due first.
        let (allocs, left) =
            allocate_payment(Money::from_minor_units(10_000, usd()), &invoices, &holds)
                .expect("ok");
        assert_eq!(allocs.len(), 2);
        assert_eq!(allocs[0].invoice, old.payable.invoice);
        assert_eq!(minor_of(&allocs, old.payable.invoice), 4_000);
        assert_eq!(minor_of(&allocs, new.payable.invoice), 5_000);
        assert_eq!(left.to_minor_units(), Ok(1_000));
    }

    proptest! {
        #[test]
        fn allocation_conserves_money_and_respects_balances(
            amount in 0_i64..1_000_000,
            balances in prop::collection::vec((0_i64..300_000, 0_i32..60), 0..10),
        ) {
            let invoices: Vec<Payable> = balances
                .iter()
                .map(|(b, d)| Payable {
                    invoice: InvoiceId::new(),
                    due_date: date!(2026 - 01 - 01) + time::Duration::days(i64::from(*d)),
                    issue_date: date!(2025 - 12 - 01),
                    balance: Money::from_minor_units(*b, usd()),
                })
                .collect();
            let (allocs, left) =
                allocate_oldest_first(Money::from_minor_units(amount, usd()), &invoices).expect("ok");
            let allocated: i64 = allocs.iter().map(|a| a.amount.to_minor_units().expect("fits")).sum();
            prop_assert_eq!(allocated + left.to_minor_units().expect("fits"), amount);
            prop_assert!(!left.is_negative());
            for a in &allocs {
                let inv = invoices.iter().find(|p| p.invoice == a.invoice).expect("known");
                prop_assert!(a.amount.amount() <= inv.balance.amount());
                prop_assert!(!a.amount.is_zero());
            }
            let total_balance: i64 = balances.iter().map(|(b, _)| *b).sum();
            // Left over only when every invoice is settled.
            if !left.is_zero() {
                prop_assert_eq!(allocated, total_balance);
            }
        }

        #[test]
        fn payment_allocation_conserves_money_and_leaves_others_holds(
            amount in 0_i64..1_000_000,
            rows in prop::collection::vec((0_i64..300_000, 0_i64..300_000, 0_i64..300_000, 1_u8..28), 0..8),
        ) {
            let invoices: Vec<Reservable> =
                rows.iter().map(|(b, r, _, d)| reservable(*d, *b, *r)).collect();
            let holds: Vec<Allocation> = rows
                .iter()
                .zip(&invoices)
                .filter(|((_, _, h, _), _)| *h > 0)
                .map(|((_, _, h, _), i)| Allocation {
                    invoice: i.payable.invoice,
                    amount: Money::from_minor_units(*h, usd()),
                })
                .collect();
            let (allocs, left) =
                allocate_payment(Money::from_minor_units(amount, usd()), &invoices, &holds)
                    .expect("ok");
            let allocated: i64 = allocs.iter().map(|a| a.amount.to_minor_units().expect("fits")).sum();
            prop_assert_eq!(allocated + left.to_minor_units().expect("fits"), amount);
            prop_assert!(!left.is_negative());
            for i in &invoices {
                let took = minor_of(&allocs, i.payable.invoice);
                let free = (i.payable.balance.to_minor_units().expect("fits")
                    - i.reserved.to_minor_units().expect("fits")).max(0);
                prop_assert!(took <= free, "took {} of {} free", took, free);
                prop_assert!(allocs.iter().filter(|a| a.invoice == i.payable.invoice).count() <= 1);
            }
            let total_free: i64 = invoices
                .iter()
                .map(|i| (i.payable.balance.to_minor_units().expect("fits")
                    - i.reserved.to_minor_units().expect("fits")).max(0))
                .sum();
            if !left.is_zero() {
                prop_assert_eq!(allocated, total_free);
            }
        }
    }
}
