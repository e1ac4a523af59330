//! The printable receipt, credit note and statement of account: the documents about
//! money received and owed. Invoices, quotes and sales orders are in the parent.

use super::{Align, Frame, PrintKind, Printable, StampKind, col, fact, row};
use crate::domain::{
    AttemptStage, CreditNote, Customer, InvoiceId, LineError, Money, Organization, Payment,
    PaymentMethod, Statement, StatementEntryKind,
};
use crate::i18n::{Reader, arg};

impl Printable {
    /// A payment receipt: what was paid, how, and to which invoices (named by
    /// `numbers`, the invoices' numbers by id), for `reader`.
    ///
    /// # Errors
    /// [`LineError::Money`] only if the allocations are not in the payment's
    /// currency, which the stores never produce.
    pub fn receipt(
        org: &Organization,
        customer: &Customer,
        payment: &Payment,
        numbers: &[(InvoiceId, String)],
        reader: &Reader,
    ) -> Result<Self, LineError> {
        let currency = payment.amount.currency();
        let frame = Frame {
            reader,
            org,
            customer,
        };
        let mut running = Money::zero(currency);
        let mut rows = Vec::with_capacity(payment.allocations.len());
        for (n, a) in payment.allocations.iter().enumerate() {
            running = running.checked_add(&a.amount)?;
            let number = numbers
                .iter()
                .find(|(id, _)| *id == a.invoice)
                .map_or_else(String::new, |(_, n)| n.clone());
            rows.push(row(
                reader,
                vec![
                    (n + 1).to_string(),
                    reader.text("doc-invoice", &[("number", arg(number))]),
                    reader.amount(&a.amount),
                ],
                running,
            ));
        }
        let method = match &payment.method {
            PaymentMethod::Card { brand, last4 } => reader.text(
                "print-card",
                &[("brand", arg(brand)), ("last4", arg(last4))],
            ),
            PaymentMethod::BankAccount { last4 } => {
                reader.text("print-bank-account", &[("last4", arg(last4))])
            }
            PaymentMethod::Offline { mode } => mode.clone(),
        };
        let mut facts = vec![
            fact(
                reader,
                "print-paid-on",
                reader.date(reader.local_date(payment.paid_at)),
            ),
            fact(reader, "print-paid-by", method),
        ];
        if let Some(r) = &payment.reference {
            facts.push(fact(reader, "print-reference", r.clone()));
        }
        let mut totals = vec![fact(reader, "print-applied", reader.money(&running))];
        if !payment.unapplied.is_zero() {
            totals.push(fact(
                reader,
                "print-kept-as-credit",
                reader.money(&payment.unapplied),
            ));
        }
        totals.push(fact(
            reader,
            "print-received",
            reader.money(&payment.amount),
        ));
        let columns = vec![
            col(reader, "#", Align::Right, 1),
            col(reader, "print-col-applied-to", Align::Left, 12),
            col(reader, "print-col-amount", Align::Right, 4),
        ];
        let mut doc = frame.document(
            PrintKind::Receipt,
            reader.text("print-receipt", &[("number", arg(&payment.receipt_number))]),
            payment.receipt_number.clone(),
            currency,
            facts,
            (columns, rows),
            "print-applied-so-far",
        );
        doc.totals = totals;
        doc.stamp = frame.stamp(Some(StampKind::Paid));
        Ok(doc)
    }

    /// A credit note: its amount, what of it was used, what is still available,
    /// for `reader`.
    ///
    /// # Errors
    /// [`LineError::Money`] only if its figures are not in one currency.
    pub fn credit_note(
        org: &Organization,
        customer: &Customer,
        note: &CreditNote,
        reader: &Reader,
    ) -> Result<Self, LineError> {
        let frame = Frame {
            reader,
            org,
            customer,
        };
        let used = note.total.checked_sub(&note.balance)?;
        let columns = vec![
            col(reader, "#", Align::Right, 1),
            col(reader, "print-col-description", Align::Left, 12),
            col(reader, "print-col-amount", Align::Right, 4),
        ];
        let rows = vec![row(
            reader,
            vec![
                "1".into(),
                reader.text("print-credit-line", &[]),
                reader.amount(&note.total),
            ],
            note.total,
        )];
        let mut doc = frame.document(
            PrintKind::CreditNote,
            reader.text("print-credit-note", &[("number", arg(&note.number))]),
            note.number.clone(),
            note.total.currency(),
            vec![fact(
                reader,
                "print-issue-date",
                reader.date(note.issue_date),
            )],
            (columns, rows),
            "print-running-total",
        );
        doc.totals = vec![
            fact(reader, "print-credit", reader.money(&note.total)),
            fact(reader, "print-used", reader.money(&used)),
            fact(reader, "print-available", reader.money(&note.balance)),
        ];
        doc.stamp = frame.stamp(note.balance.is_zero().then_some(StampKind::Used));
        Ok(doc)
    }

    /// A statement of account with its running balance and aging, for `reader`.
    #[must_use]
    pub fn statement(
        org: &Organization,
        customer: &Customer,
        statement: &Statement,
        reader: &Reader,
    ) -> Self {
        let frame = Frame {
            reader,
            org,
            customer,
        };
        let mut rows = Vec::with_capacity(statement.entries.len() + 1);
        rows.push(row(
            reader,
            vec![
                reader.date(statement.from),
                reader.text("print-opening-balance", &[]),
                String::new(),
                String::new(),
                reader.amount(&statement.opening),
            ],
            statement.opening,
        ));
        for e in &statement.entries {
            let what = match e.kind {
                StatementEntryKind::Invoice => "print-entry-invoice",
                StatementEntryKind::CreditNote => "print-entry-credit-note",
                StatementEntryKind::Payment => "print-entry-payment",
                StatementEntryKind::Refund => "print-entry-refund",
            };
            rows.push(row(
                reader,
                vec![
                    reader.date(e.date),
                    reader.text(what, &[]),
                    e.number.clone(),
                    reader.amount(&e.amount),
                    reader.amount(&e.balance),
                ],
                e.balance,
            ));
        }
        let a = &statement.aging;
        let mut notes = vec![
            fact(reader, "print-aging-current", reader.money(&a.current)),
            fact(reader, "print-aging-1-30", reader.money(&a.days_1_30)),
            fact(reader, "print-aging-31-60", reader.money(&a.days_31_60)),
            fact(reader, "print-aging-61-90", reader.money(&a.days_61_90)),
            fact(reader, "print-aging-over-90", reader.money(&a.over_90)),
        ];
        // Payments in flight are reserved, not paid: beside the balances, not in them.
        for p in &statement.pending {
            let what = match p.stage {
                AttemptStage::RequiresAction => "print-pending-action",
                AttemptStage::Processing => "print-pending-processing",
            };
            notes.push((
                reader.text(
                    "print-pending",
                    &[("date", arg(reader.date(reader.local_date(p.since))))],
                ),
                reader.text(what, &[("amount", arg(reader.money(&p.amount)))]),
            ));
        }
        let columns = vec![
            col(reader, "print-col-date", Align::Left, 3),
            col(reader, "print-col-entry", Align::Left, 3),
            col(reader, "print-col-number", Align::Left, 4),
            col(reader, "print-col-amount", Align::Right, 4),
            col(reader, "print-col-balance", Align::Right, 4),
        ];
        let mut doc = frame.document(
            PrintKind::Statement,
            reader.text("print-statement", &[]),
            format!("{}_{}", statement.from, statement.to),
            statement.currency,
            vec![
                fact(reader, "print-from", reader.date(statement.from)),
                fact(reader, "print-to", reader.date(statement.to)),
                (
                    reader.text("print-currency", &[]),
                    statement.currency.code().into(),
                ),
            ],
            (columns, rows),
            "print-col-balance",
        );
        doc.totals = vec![
            fact(
                reader,
                "print-opening-balance",
                reader.money(&statement.opening),
            ),
            fact(
                reader,
                "print-closing-balance",
                reader.money(&statement.closing),
            ),
        ];
        doc.notes = notes;
        doc
    }
}
