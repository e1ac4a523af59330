//! Credit notes, credit applications and refunds in `MemoryStore`.

use crate::MemoryStore;
use crate::store::State;
use crate::store::money_err;
use async_trait::async_trait;
use portal_core::domain::{
    AvailableCredit, CreditApplication, CreditNote, CreditSource, CustomerId, Invoice, InvoiceKind,
    Money, OrgId,
};
use portal_core::store::CreditStore;
use portal_core::store::{Entity, Rule};
use portal_core::store::{StoreError, StoreResult};

impl State {
    /// Takes `amount` out of a credit source of the customer, or fails changing
    /// nothing.
    pub(crate) fn use_credit(
        &mut self,
        org: OrgId,
        customer: CustomerId,
        source: CreditSource,
        amount: Money,
    ) -> StoreResult<()> {
        match source {
            CreditSource::CreditNote(id) => {
                let mut note = self
                    .money
                    .credit_notes
                    .get(&id)
                    .filter(|n| n.org == org && n.customer == customer)
                    .cloned()
                    .ok_or(StoreError::NotFound(Entity::Credit))?;
                note.balance = note.balance.checked_sub(&amount).map_err(money_err)?;
                if note.balance.is_negative() {
                    return Err(StoreError::Conflict(Rule::CreditAvailable));
                }
                self.money.credit_notes.insert(id, note);
            }
            CreditSource::Payment(id) => {
                let mut payment = self
                    .money
                    .payments
                    .get(&id)
                    .filter(|p| p.org == org && p.customer == customer)
                    .cloned()
                    .ok_or(StoreError::NotFound(Entity::Credit))?;
                payment.unapplied = payment.unapplied.checked_sub(&amount).map_err(money_err)?;
                if payment.unapplied.is_negative() {
                    return Err(StoreError::Conflict(Rule::CreditAvailable));
                }
                self.money.payments.insert(id, payment);
            }
            CreditSource::Retainer(id) => {
                let mut retainer = self
                    .invoices
                    .row(id)
                    .filter(|i| {
                        i.org == org && i.customer == customer && i.kind == InvoiceKind::Retainer
                    })
                    .cloned()
                    .ok_or(StoreError::NotFound(Entity::Credit))?;
                let available = retainer.retainer_available().map_err(money_err)?;
                if available.amount() < amount.amount() {
                    return Err(StoreError::Conflict(Rule::CreditAvailable));
                }
                retainer.drawn = retainer.drawn.checked_add(&amount).map_err(money_err)?;
                retainer.version += 1;
                self.invoices.put(retainer);
            }
        }
        Ok(())
    }
}

#[async_trait]
impl CreditStore for MemoryStore {
    async fn customer_credit_note(
        &self,
        org: OrgId,
        customer: CustomerId,
        id: portal_core::domain::CreditNoteId,
    ) -> StoreResult<CreditNote> {
        self.lock()
            .money
            .credit_notes
            .get(&id)
            .filter(|n| n.org == org && n.customer == customer)
            .cloned()
            .ok_or(StoreError::NotFound(Entity::CreditNote))
    }

    async fn create_credit_note(&self, note: &CreditNote) -> StoreResult<()> {
        let mut s = self.lock();
        s.live_customer(note.org, note.customer)?;
        if s.money.credit_notes.contains_key(&note.id) {
            return Err(StoreError::Conflict(Rule::Exists(Entity::CreditNote)));
        }
        s.money
            .credit_notes_by_customer
            .entry(note.customer)
            .or_default()
            .insert(note.id);
        s.money.credit_notes.insert(note.id, note.clone());
        Ok(())
    }

    async fn available_credits(
        &self,
        org: OrgId,
        customer: CustomerId,
    ) -> StoreResult<Vec<AvailableCredit>> {
        let s = self.lock();
        let mut out: Vec<AvailableCredit> = s
            .money
            .credit_notes_by_customer
            .get(&customer)
            .into_iter()
            .flatten()
            .filter_map(|id| s.money.credit_notes.get(id))
            .filter(|n| n.org == org && !n.balance.is_zero())
            .map(|n| AvailableCredit {
                source: CreditSource::CreditNote(n.id),
                number: n.number.clone(),
                available: n.balance,
                date: n.issue_date,
            })
            .chain(
                s.money
                    .customer_payments(org, customer)
                    .filter(|p| !p.unapplied.is_zero())
                    .map(|p| AvailableCredit {
                        source: CreditSource::Payment(p.id),
                        number: p.receipt_number.clone(),
                        available: p.unapplied,
                        date: p.paid_at.date(),
                    }),
            )
            .chain(
                s.invoices
                    .customer_rows(org, customer)
                    .filter(|i| i.kind == InvoiceKind::Retainer)
                    .filter_map(|i| {
                        let available = i.retainer_available().ok()?;
                        (!available.is_zero()).then(|| AvailableCredit {
                            source: CreditSource::Retainer(i.id),
                            number: i.number.clone(),
                            available,
                            date: i.issue_date,
                        })
                    }),
            )
            .collect();
        out.sort_by_key(|c| {
            (
                c.date,
                match c.source {
                    CreditSource::CreditNote(id) => id.as_uuid(),
                    CreditSource::Payment(id) => id.as_uuid(),
                    CreditSource::Retainer(id) => id.as_uuid(),
                },
            )
        });
        Ok(out)
    }

    async fn apply_credit(&self, a: &CreditApplication) -> StoreResult<Invoice> {
        let mut s = self.lock();
        let mut invoice = s
            .invoices
            .of_customer(a.org, a.customer, a.invoice)?
            .clone();
        if !invoice.status.is_payable()
            || invoice.kind == InvoiceKind::Retainer
            || invoice.balance.amount() < a.amount.amount()
        {
            return Err(StoreError::Conflict(Rule::InvoiceBalance));
        }
        if invoice.unreserved().amount() < a.amount.amount() {
            return Err(StoreError::Conflict(Rule::InvoiceReserved));
        }
        s.use_credit(a.org, a.customer, a.source, a.amount)?;
        invoice
            .settle(a.amount, true)
            .map_err(|e| StoreError::Backend(Box::new(e)))?;
        invoice.version += 1;
        s.invoices.put(invoice.clone());
        s.money
            .applications_by_customer
            .entry(a.customer)
            .or_default()
            .push(a.clone());
        Ok(invoice)
    }

    async fn record_refund(&self, r: &portal_core::domain::Refund) -> StoreResult<()> {
        let mut s = self.lock();
        s.live_customer(r.org, r.customer)?;
        s.use_credit(r.org, r.customer, r.source, r.amount)?;
        s.money
            .refunds_by_customer
            .entry(r.customer)
            .or_default()
            .push(r.clone());
        Ok(())
    }

    async fn customer_refunds(
        &self,
        org: OrgId,
        customer: CustomerId,
    ) -> StoreResult<Vec<portal_core::domain::Refund>> {
        let s = self.lock();
        let mut out: Vec<portal_core::domain::Refund> = s
            .money
            .refunds_by_customer
            .get(&customer)
            .into_iter()
            .flatten()
            .filter(|r| r.org == org)
            .cloned()
            .collect();
        out.sort_by_key(|r| std::cmp::Reverse((r.refunded_at, r.id)));
        Ok(out)
    }
}
