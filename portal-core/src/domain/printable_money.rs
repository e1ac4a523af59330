//! The printable receipt, credit note and statement of account: the documents about
//! money received and owed. Invoices, quotes and sales orders are in `printable`.

use super::customer::Customer;
use super::lines::LineError;
use super::money::Money;
use super::payment::{Payment, PaymentMethod};
use super::printable::*;
use super::settings::Organization;
use super::statement::{Statement, StatementEntryKind};

impl Printable {
    /// A payment receipt: what was paid, how, and to which invoices (named by
    /// `numbers`, the invoices' numbers by id).
    ///
    /// # Errors
    /// [`LineError::Money`] only if the allocations are not in the payment's
    /// currency, which the stores never produce.
    pub fn receipt(
        org: &Organization,
        customer: &Customer,
        payment: &Payment,
        numbers: &[(super::ids::InvoiceId, String)],
    ) -> Result<Self, LineError> {
        let currency = payment.amount.currency();
        let mut running = Money::zero(currency);
        let mut rows = Vec::with_capacity(payment.allocations.len());
        for (n, a) in payment.allocations.iter().enumerate() {
            running = running.checked_add(&a.amount)?;
            let number = numbers
                .iter()
                .find(|(id, _)| *id == a.invoice)
                .map_or_else(String::new, |(_, n)| n.clone());
            rows.push(PrintRow {
                cells: vec![
                    (n + 1).to_string(),
                    format!("Invoice {number}"),
                    a.amount.amount().to_string(),
                ],
                carry: running,
            });
        }
        let method = match &payment.method {
            PaymentMethod::Card { brand, last4 } => format!("{brand} card ending {last4}"),
            PaymentMethod::BankAccount { last4 } => format!("bank account ending {last4}"),
            PaymentMethod::Offline { mode } => mode.clone(),
        };
        let mut facts = vec![
            ("Paid on".into(), payment.paid_at.date().to_string()),
            ("Paid by".into(), method),
        ];
        if let Some(r) = &payment.reference {
            facts.push(("Reference".into(), r.clone()));
        }
        let mut totals = vec![("Applied to invoices".into(), running.to_string())];
        if !payment.unapplied.is_zero() {
            totals.push(("Kept as credit".into(), payment.unapplied.to_string()));
        }
        totals.push(("Received".into(), payment.amount.to_string()));
        Ok(Self {
            kind: PrintKind::Receipt,
            title: format!("Receipt {}", payment.receipt_number),
            number: payment.receipt_number.clone(),
            currency: currency.code().into(),
            from: PrintParty::org(org),
            to: PrintParty::customer(customer),
            facts,
            columns: vec![
                col("#", Align::Right, 1),
                col("Applied to", Align::Left, 12),
                col("Amount", Align::Right, 4),
            ],
            rows,
            carry_label: "Applied so far".into(),
            totals,
            stamp: Some("PAID".into()),
            signature: None,
            notes: Vec::new(),
        })
    }

    /// A credit note: its amount, what of it was used, what is still available.
    ///
    /// # Errors
    /// [`LineError::Money`] only if its figures are not in one currency.
    pub fn credit_note(
        org: &Organization,
        customer: &Customer,
        note: &super::credit::CreditNote,
    ) -> Result<Self, LineError> {
        let used = note.total.checked_sub(&note.balance)?;
        let stamp = if note.balance.is_zero() {
            Some("USED".to_owned())
        } else {
            None
        };
        Ok(Self {
            kind: PrintKind::CreditNote,
            title: format!("Credit note {}", note.number),
            number: note.number.clone(),
            currency: note.total.currency().code().into(),
            from: PrintParty::org(org),
            to: PrintParty::customer(customer),
            facts: vec![("Issue date".into(), note.issue_date.to_string())],
            columns: vec![
                col("#", Align::Right, 1),
                col("Description", Align::Left, 12),
                col("Amount", Align::Right, 4),
            ],
            rows: vec![PrintRow {
                cells: vec![
                    "1".into(),
                    "Credit to your account".into(),
                    note.total.amount().to_string(),
                ],
                carry: note.total,
            }],
            carry_label: "Running total".into(),
            totals: vec![
                ("Credit".into(), note.total.to_string()),
                ("Used".into(), used.to_string()),
                ("Available".into(), note.balance.to_string()),
            ],
            stamp,
            signature: None,
            notes: Vec::new(),
        })
    }

    /// A statement of account with its running balance and aging.
    #[must_use]
    pub fn statement(org: &Organization, customer: &Customer, statement: &Statement) -> Self {
        let mut rows = vec![PrintRow {
            cells: vec![
                statement.from.to_string(),
                "Opening balance".into(),
                String::new(),
                String::new(),
                statement.opening.amount().to_string(),
            ],
            carry: statement.opening,
        }];
        for e in &statement.entries {
            let what = match e.kind {
                StatementEntryKind::Invoice => "Invoice",
                StatementEntryKind::CreditNote => "Credit note",
                StatementEntryKind::Payment => "Payment",
                StatementEntryKind::Refund => "Refund",
            };
            rows.push(PrintRow {
                cells: vec![
                    e.date.to_string(),
                    what.into(),
                    e.number.clone(),
                    e.amount.amount().to_string(),
                    e.balance.amount().to_string(),
                ],
                carry: e.balance,
            });
        }
        let a = &statement.aging;
        let mut notes = vec![
            ("Current".into(), a.current.to_string()),
            ("1–30 days overdue".into(), a.days_1_30.to_string()),
            ("31–60 days overdue".into(), a.days_31_60.to_string()),
            ("61–90 days overdue".into(), a.days_61_90.to_string()),
            ("Over 90 days overdue".into(), a.over_90.to_string()),
        ];
        // Payments in flight are reserved, not paid: beside the balances, not in them.
        for p in &statement.pending {
            let what = match p.stage {
                super::AttemptStage::RequiresAction => "waiting for the bank's confirmation",
                super::AttemptStage::Processing => "processing",
            };
            notes.push((
                format!("Payment pending since {}", p.since.date()),
                format!("{} ({what}; not in the balance yet)", p.amount),
            ));
        }
        Self {
            kind: PrintKind::Statement,
            title: "Statement of account".into(),
            number: format!("{}_{}", statement.from, statement.to),
            currency: statement.currency.code().into(),
            from: PrintParty::org(org),
            to: PrintParty::customer(customer),
            facts: vec![
                ("From".into(), statement.from.to_string()),
                ("To".into(), statement.to.to_string()),
                ("Currency".into(), statement.currency.code().into()),
            ],
            columns: vec![
                col("Date", Align::Left, 3),
                col("Entry", Align::Left, 3),
                col("Number", Align::Left, 4),
                col("Amount", Align::Right, 4),
                col("Balance", Align::Right, 4),
            ],
            rows,
            carry_label: "Balance".into(),
            totals: vec![
                ("Opening balance".into(), statement.opening.to_string()),
                ("Closing balance".into(), statement.closing.to_string()),
            ],
            stamp: None,
            signature: None,
            notes,
        }
    }
}
