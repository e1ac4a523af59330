//! Payments and payment attempts in `MemoryStore`, with the Pay Now reservation.

use crate::MemoryStore;
use crate::store::State;
use crate::store::keyset_page;
use crate::store::micros;
use crate::store::money_err;
use async_trait::async_trait;
use portal_core::domain::{
    Allocation, AttemptId, AttemptStatus, Cursor, CustomerId, Direction, FailureCode, Invoice,
    InvoiceId, Money, OrgId, Page, Payable, Payment, PaymentAttempt, PaymentId, Reservable,
    Reservation, allocate_payment, reserve_oldest_first,
};
use portal_core::domain::{AttemptProgress, Notice};
use portal_core::store::{
    AttemptStart, FailureNotice, PaymentRecording, PaymentStore, StoreError, StoreResult,
};
use portal_core::store::{Entity, Rule};
use time::OffsetDateTime;

impl State {
    /// The attempt `id` of `org`, if it is still pending.
    fn pending_attempt(&self, org: OrgId, id: AttemptId) -> StoreResult<PaymentAttempt> {
        let attempt = self
            .money
            .attempts
            .get(&id)
            .filter(|a| a.org == org)
            .cloned()
            .ok_or(StoreError::NotFound(Entity::PaymentAttempt))?;
        if attempt.status != AttemptStatus::Pending {
            return Err(StoreError::Conflict(Rule::PaymentAttempt));
        }
        Ok(attempt)
    }

    /// The customer's invoices among `ids`, each once, in id order (others skipped).
    pub(crate) fn customer_invoices_among(
        &self,
        org: OrgId,
        customer: CustomerId,
        ids: &[InvoiceId],
    ) -> Vec<&Invoice> {
        let mut targets = ids.to_vec();
        targets.sort();
        targets.dedup();
        targets
            .iter()
            .filter_map(|id| self.invoices.row(*id))
            .filter(|i| i.org == org && i.customer == customer)
            .collect()
    }

    pub(crate) fn put_attempt(&mut self, attempt: PaymentAttempt) {
        if attempt.status == AttemptStatus::Pending {
            self.money
                .pending_attempts
                .insert((attempt.created_at, attempt.id));
            self.money
                .pending_by_customer
                .entry(attempt.customer)
                .or_default()
                .insert(attempt.id);
        } else {
            self.money
                .pending_attempts
                .remove(&(attempt.created_at, attempt.id));
            if let Some(set) = self.money.pending_by_customer.get_mut(&attempt.customer) {
                set.remove(&attempt.id);
            }
            // Settled either way: its reservation is released.
            for hold in self.money.holds.remove(&attempt.id).unwrap_or_default() {
                if let Some(mut invoice) = self.invoices.row(hold.invoice).cloned() {
                    invoice.reserved = invoice
                        .reserved
                        .checked_sub(&hold.amount)
                        .ok()
                        .filter(|left| !left.is_negative())
                        .unwrap_or_else(|| Money::zero(invoice.currency()));
                    self.invoices.put(invoice);
                }
            }
        }
        self.money.attempts.insert(attempt.id, attempt);
    }
}

#[async_trait]
impl PaymentStore for MemoryStore {
    async fn start_payment_attempt(&self, attempt: &PaymentAttempt) -> StoreResult<AttemptStart> {
        let mut s = self.lock();
        s.live_customer(attempt.org, attempt.customer)?;
        let key = (attempt.org, attempt.idempotency_key.clone());
        if let Some(existing) = s.money.attempt_by_key.get(&key) {
            let existing = s
                .money
                .attempts
                .get(existing)
                .cloned()
                .ok_or(StoreError::NotFound(Entity::PaymentAttempt))?;
            return Ok(AttemptStart::Existing(Box::new(existing)));
        }
        let invoices: Vec<Reservable> = s
            .customer_invoices_among(attempt.org, attempt.customer, &attempt.invoices)
            .into_iter()
            .map(|i| Reservable {
                payable: Payable::of(i),
                reserved: i.reserved,
            })
            .collect();
        let held = match reserve_oldest_first(attempt.amount, &invoices).map_err(money_err)? {
            Reservation::Granted(held) => held,
            Reservation::Refused(why) => return Ok(AttemptStart::Refused(why)),
        };
        for hold in &held {
            let mut invoice = s
                .invoices
                .row(hold.invoice)
                .cloned()
                .ok_or(StoreError::NotFound(Entity::Invoice))?;
            invoice.reserved = invoice
                .reserved
                .checked_add(&hold.amount)
                .map_err(money_err)?;
            invoice.version += 1;
            s.invoices.put(invoice);
        }
        s.money.holds.insert(attempt.id, held);
        s.money.attempt_by_key.insert(key, attempt.id);
        s.put_attempt(attempt.clone());
        Ok(AttemptStart::Started)
    }

    async fn payment_attempt(
        &self,
        org: OrgId,
        idempotency_key: &str,
    ) -> StoreResult<PaymentAttempt> {
        let s = self.lock();
        s.money
            .attempt_by_key
            .get(&(org, idempotency_key.to_owned()))
            .and_then(|id| s.money.attempts.get(id))
            .cloned()
            .ok_or(StoreError::NotFound(Entity::PaymentAttempt))
    }

    async fn fail_payment_attempt(
        &self,
        org: OrgId,
        id: AttemptId,
        code: FailureCode,
        message: &str,
        tell: &FailureNotice,
    ) -> StoreResult<()> {
        let mut s = self.lock();
        let mut attempt = s.pending_attempt(org, id)?;
        for e in &tell.emails {
            s.check_email_id(e)?;
        }
        if let Some(n) = &tell.notice {
            s.check_notice(n)?;
        }
        attempt.status = AttemptStatus::Failed {
            code,
            message: message.to_owned(),
        };
        s.put_attempt(attempt);
        for e in &tell.emails {
            s.put_email(e.clone());
        }
        if let Some(n) = &tell.notice {
            s.put_notice(n);
        }
        Ok(())
    }

    async fn stage_payment_attempt(
        &self,
        org: OrgId,
        id: AttemptId,
        progress: &AttemptProgress,
        notice: Option<&Notice>,
    ) -> StoreResult<bool> {
        let mut s = self.lock();
        let mut attempt = s.pending_attempt(org, id)?;
        // Forward only: none, then waiting for the bank, then processing.
        if attempt.stage() >= Some(progress.stage) {
            return Ok(false);
        }
        if let Some(n) = notice {
            s.check_notice(n)?;
        }
        attempt.progress = Some(progress.clone());
        s.money.attempts.insert(attempt.id, attempt);
        if let Some(n) = notice {
            s.put_notice(n);
        }
        Ok(true)
    }

    async fn customer_pending_attempts(
        &self,
        org: OrgId,
        customer: CustomerId,
    ) -> StoreResult<Vec<PaymentAttempt>> {
        let s = self.lock();
        let mut out: Vec<PaymentAttempt> = s
            .money
            .pending_by_customer
            .get(&customer)
            .into_iter()
            .flatten()
            .filter_map(|id| s.money.attempts.get(id))
            .filter(|a| a.org == org && a.stage().is_some())
            .cloned()
            .collect();
        out.sort_by_key(|a| std::cmp::Reverse((a.created_at, a.id)));
        Ok(out)
    }

    async fn pending_payment_attempts(
        &self,
        before: OffsetDateTime,
        limit: u32,
    ) -> StoreResult<Vec<PaymentAttempt>> {
        let s = self.lock();
        Ok(s.money
            .pending_attempts
            .iter()
            .take_while(|(at, _)| *at < before)
            .take(usize::try_from(limit).unwrap_or(usize::MAX))
            .filter_map(|(_, id)| s.money.attempts.get(id))
            .cloned()
            .collect())
    }

    async fn record_payment(&self, r: &PaymentRecording) -> StoreResult<Payment> {
        let mut s = self.lock();
        let currency = s.live_customer(r.org, r.customer)?.currency;
        if r.amount.currency() != currency {
            return Err(StoreError::Conflict(Rule::PaymentCurrency));
        }
        if s.money.payments.contains_key(&r.id) {
            return Err(StoreError::Conflict(Rule::Exists(Entity::Payment)));
        }
        let attempt = match r.attempt {
            Some(id) => {
                let a = s
                    .money
                    .attempts
                    .get(&id)
                    .filter(|a| a.org == r.org && a.customer == r.customer)
                    .cloned()
                    .ok_or(StoreError::NotFound(Entity::PaymentAttempt))?;
                if a.status != AttemptStatus::Pending {
                    return Err(StoreError::Conflict(Rule::PaymentAttempt));
                }
                Some(a)
            }
            None => None,
        };
        for e in &r.emails {
            s.check_email_id(e)?;
        }
        if let Some(n) = &r.notice {
            s.check_notice(n)?;
        }
        let holds: &[Allocation] = attempt
            .as_ref()
            .and_then(|a| s.money.holds.get(&a.id))
            .map_or(&[], Vec::as_slice);
        let invoices = s
            .customer_invoices_among(r.org, r.customer, &r.invoices)
            .into_iter()
            .map(|i| {
                // What other attempts hold: the invoice's reservation less this
                // attempt's own hold on it.
                let own = holds
                    .iter()
                    .filter(|h| h.invoice == i.id)
                    .try_fold(Money::zero(i.currency()), |sum, h| {
                        sum.checked_add(&h.amount)
                    })?;
                Ok(Reservable {
                    payable: Payable::of(i),
                    reserved: i.reserved.checked_sub(&own)?,
                })
            })
            .collect::<Result<Vec<_>, portal_core::domain::MoneyError>>()
            .map_err(money_err)?;
        let (allocations, unapplied) =
            allocate_payment(r.amount, &invoices, holds).map_err(money_err)?;
        let mut updated = Vec::with_capacity(allocations.len());
        for a in &allocations {
            let mut invoice = s
                .invoices
                .row(a.invoice)
                .cloned()
                .ok_or(StoreError::NotFound(Entity::Invoice))?;
            invoice
                .settle(a.amount, false)
                .map_err(|e| StoreError::Backend(Box::new(e)))?;
            invoice.version += 1;
            updated.push(invoice);
        }
        for invoice in updated {
            s.invoices.put(invoice);
        }
        let payment = r.payment(allocations, unapplied);
        s.money
            .payments_by_customer
            .entry(r.customer)
            .or_default()
            .insert(payment.id);
        s.money.payments.insert(payment.id, payment.clone());
        if let Some(mut a) = attempt {
            a.status = AttemptStatus::Succeeded {
                payment: payment.id,
            };
            s.put_attempt(a);
        }
        for e in &r.emails {
            s.put_email(e.clone());
        }
        if let Some(n) = &r.notice {
            s.put_notice(n);
        }
        Ok(payment)
    }

    async fn customer_payments(
        &self,
        org: OrgId,
        customer: CustomerId,
        after: Option<Cursor>,
        limit: u32,
    ) -> StoreResult<Page<Payment>> {
        let s = self.lock();
        let rows = s.money.customer_payments(org, customer);
        Ok(keyset_page(
            rows,
            |p| (micros(p.paid_at), p.id.as_uuid()),
            |k, id| after.is_none_or(|c| (k, id) < (c.key, c.id)),
            Direction::Desc,
            limit,
        ))
    }

    async fn customer_payment(
        &self,
        org: OrgId,
        customer: CustomerId,
        id: PaymentId,
    ) -> StoreResult<Payment> {
        self.lock()
            .money
            .payments
            .get(&id)
            .filter(|p| p.org == org && p.customer == customer)
            .cloned()
            .ok_or(StoreError::NotFound(Entity::Payment))
    }

    async fn invoice_applications(
        &self,
        org: OrgId,
        customer: CustomerId,
        invoice: portal_core::domain::InvoiceId,
        _currency: portal_core::domain::Currency,
    ) -> StoreResult<Vec<portal_core::domain::InvoiceApplication>> {
        use portal_core::domain::{AppliedFrom, CreditSource, InvoiceApplication};
        let s = self.lock();
        let mut found: Vec<(InvoiceApplication, uuid::Uuid)> = Vec::new();
        for p in s.money.customer_payments(org, customer) {
            for a in p.allocations.iter().filter(|a| a.invoice == invoice) {
                found.push((
                    InvoiceApplication {
                        from: AppliedFrom::Payment {
                            payment: p.id,
                            receipt_number: p.receipt_number.clone(),
                        },
                        at: p.paid_at,
                        amount: a.amount,
                    },
                    p.id.as_uuid(),
                ));
            }
        }
        for c in s
            .money
            .applications_by_customer
            .get(&customer)
            .into_iter()
            .flatten()
            .filter(|c| c.org == org && c.invoice == invoice)
        {
            let source = match c.source {
                CreditSource::CreditNote(id) => id.as_uuid(),
                CreditSource::Payment(id) => id.as_uuid(),
                CreditSource::Retainer(id) => id.as_uuid(),
            };
            found.push((
                InvoiceApplication {
                    from: AppliedFrom::Credit(c.source),
                    at: c.applied_at,
                    amount: c.amount,
                },
                source,
            ));
        }
        found.sort_by_key(|(a, id)| (a.at, *id));
        Ok(found.into_iter().map(|(a, _)| a).collect())
    }
}
