//! The money part of `MemoryStore`: invoices, payments, attempts, credits.

use std::collections::{BTreeSet, HashMap};

use async_trait::async_trait;
use portal_core::{
    AttemptId, AttemptStart, AttemptStatus, AvailableCredit, CreditApplication, CreditNote,
    CreditNoteId, CreditSource, Cursor, CustomerId, DashboardFigures, Direction, Invoice,
    InvoiceId, InvoiceKind, InvoiceQuery, InvoiceStatus, InvoiceStore, Money, OrgId, Page, Payable,
    Payment, PaymentAttempt, PaymentId, PaymentRecording, PaymentStore, Reservable, Reservation,
    StoreError, StoreResult, allocate_oldest_first, reserve_oldest_first,
};
use time::{Date, OffsetDateTime};

use crate::MemoryStore;
use crate::store::State;
use portal_core::{Entity, Rule};

#[derive(Debug, Default)]
pub(crate) struct MoneyState {
    pub(crate) invoices: HashMap<InvoiceId, Invoice>,
    invoices_by_customer: HashMap<CustomerId, BTreeSet<InvoiceId>>,
    pub(crate) invoice_numbers: HashMap<(OrgId, String), InvoiceId>,
    payments: HashMap<PaymentId, Payment>,
    payments_by_customer: HashMap<CustomerId, BTreeSet<PaymentId>>,
    attempts: HashMap<AttemptId, PaymentAttempt>,
    attempt_by_key: HashMap<(OrgId, String), AttemptId>,
    pending_attempts: BTreeSet<(OffsetDateTime, AttemptId)>,
    /// What each pending attempt holds on each invoice, by invoice.
    reservations: HashMap<InvoiceId, HashMap<AttemptId, Money>>,
    credit_notes: HashMap<CreditNoteId, CreditNote>,
    credit_notes_by_customer: HashMap<CustomerId, BTreeSet<CreditNoteId>>,
    pub(crate) quotes: HashMap<portal_core::QuoteId, portal_core::Quote>,
    pub(crate) quotes_by_customer: HashMap<CustomerId, BTreeSet<portal_core::QuoteId>>,
    pub(crate) quote_numbers: HashMap<(OrgId, String), portal_core::QuoteId>,
    pub(crate) comments: HashMap<portal_core::CommentTarget, Vec<portal_core::Comment>>,
    methods: HashMap<portal_core::SavedMethodId, portal_core::SavedPaymentMethod>,
    refunds_by_customer: HashMap<CustomerId, Vec<portal_core::Refund>>,
    applications_by_customer: HashMap<CustomerId, Vec<CreditApplication>>,
    pub(crate) reviews_by_customer: HashMap<CustomerId, Vec<portal_core::Review>>,
    pub(crate) sales_orders: HashMap<portal_core::SalesOrderId, portal_core::SalesOrder>,
    pub(crate) sales_orders_by_customer: HashMap<CustomerId, BTreeSet<portal_core::SalesOrderId>>,
    pub(crate) sales_order_numbers: HashMap<(OrgId, String), portal_core::SalesOrderId>,
    methods_by_customer: HashMap<CustomerId, BTreeSet<portal_core::SavedMethodId>>,
}

/// One keyset page over a customer's rows: `key` gives each row's (sort key, id),
/// `after` says whether it comes after the cursor.
pub(crate) fn keyset_page<'a, T: Clone + 'a>(
    rows: impl Iterator<Item = &'a T>,
    key: impl Fn(&T) -> (i64, uuid::Uuid),
    after: impl Fn(i64, uuid::Uuid) -> bool,
    direction: Direction,
    limit: u32,
) -> Page<T> {
    let mut keyed: Vec<((i64, uuid::Uuid), &T)> = rows
        .map(|r| (key(r), r))
        .filter(|((k, id), _)| after(*k, *id))
        .collect();
    keyed.sort_by_key(|(k, _)| *k);
    if direction == Direction::Desc {
        keyed.reverse();
    }
    let fetch = usize::try_from(limit)
        .unwrap_or(usize::MAX)
        .saturating_add(1);
    keyed.truncate(fetch);
    let items: Vec<T> = keyed.into_iter().map(|(_, r)| r.clone()).collect();
    Page::from_overfetch(items, limit, |r| {
        let (k, id) = key(r);
        Cursor { key: k, id }
    })
}

fn micros(t: OffsetDateTime) -> i64 {
    i64::try_from(t.unix_timestamp_nanos() / 1_000).unwrap_or(i64::MAX)
}

fn money_err(e: portal_core::MoneyError) -> StoreError {
    StoreError::Backend(Box::new(e))
}

impl State {
    /// The customer's invoices among `ids`, each once, in id order (others skipped).
    fn customer_invoices_among(
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
            .filter_map(|id| self.money.invoices.get(id))
            .filter(|i| i.org == org && i.customer == customer)
            .collect()
    }

    pub(crate) fn live_customer(
        &self,
        org: OrgId,
        customer: CustomerId,
    ) -> StoreResult<&portal_core::Customer> {
        self.customers
            .get(&customer)
            .filter(|c| c.org == org && !c.is_deleted())
            .ok_or(StoreError::NotFound(Entity::Customer))
    }

    fn customer_invoice(
        &self,
        org: OrgId,
        customer: CustomerId,
        id: InvoiceId,
    ) -> StoreResult<&Invoice> {
        self.money
            .invoices
            .get(&id)
            .filter(|i| i.org == org && i.customer == customer && i.status != InvoiceStatus::Draft)
            .ok_or(StoreError::NotFound(Entity::Invoice))
    }

    /// Takes `amount` out of a credit source of the customer, or fails changing
    /// nothing.
    fn use_credit(
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
                    .money
                    .invoices
                    .get(&id)
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
                self.put_invoice(retainer);
            }
        }
        Ok(())
    }

    pub(crate) fn put_invoice(&mut self, invoice: Invoice) {
        self.money
            .invoices_by_customer
            .entry(invoice.customer)
            .or_default()
            .insert(invoice.id);
        self.money.invoices.insert(invoice.id, invoice);
    }

    fn put_attempt(&mut self, attempt: PaymentAttempt) {
        if attempt.status == AttemptStatus::Pending {
            self.money
                .pending_attempts
                .insert((attempt.created_at, attempt.id));
        } else {
            self.money
                .pending_attempts
                .remove(&(attempt.created_at, attempt.id));
            // Settled either way: its reservation is released.
            for invoice in &attempt.invoices {
                if let Some(held) = self.money.reservations.get_mut(invoice) {
                    held.remove(&attempt.id);
                    if held.is_empty() {
                        self.money.reservations.remove(invoice);
                    }
                }
            }
        }
        self.money.attempts.insert(attempt.id, attempt);
    }
}

#[async_trait]
impl InvoiceStore for MemoryStore {
    async fn create_invoice(&self, invoice: &Invoice) -> StoreResult<()> {
        let mut s = self.lock();
        s.live_customer(invoice.org, invoice.customer)?;
        if s.money.invoices.contains_key(&invoice.id) {
            return Err(StoreError::Conflict(Rule::Exists(Entity::Invoice)));
        }
        let key = (invoice.org, invoice.number.clone());
        if s.money.invoice_numbers.contains_key(&key) {
            return Err(StoreError::Conflict(Rule::InvoiceNumber));
        }
        s.money.invoice_numbers.insert(key, invoice.id);
        s.put_invoice(invoice.clone());
        Ok(())
    }

    async fn invoice(&self, org: OrgId, id: InvoiceId) -> StoreResult<Invoice> {
        self.lock()
            .money
            .invoices
            .get(&id)
            .filter(|i| i.org == org)
            .cloned()
            .ok_or(StoreError::NotFound(Entity::Invoice))
    }

    async fn update_invoice(&self, invoice: &Invoice) -> StoreResult<Invoice> {
        let mut s = self.lock();
        let stored = s
            .money
            .invoices
            .get(&invoice.id)
            .filter(|i| i.org == invoice.org)
            .ok_or(StoreError::NotFound(Entity::Invoice))?;
        if stored.version != invoice.version {
            return Err(StoreError::ConcurrentModification(Entity::Invoice));
        }
        let old_number = stored.number.clone();
        if old_number != invoice.number
            && s.money
                .invoice_numbers
                .contains_key(&(invoice.org, invoice.number.clone()))
        {
            return Err(StoreError::Conflict(Rule::InvoiceNumber));
        }
        let mut saved = invoice.clone();
        saved.customer = stored.customer;
        saved.viewed_at = stored.viewed_at;
        saved.created_at = stored.created_at;
        saved.version += 1;
        s.money.invoice_numbers.remove(&(invoice.org, old_number));
        s.money
            .invoice_numbers
            .insert((saved.org, saved.number.clone()), saved.id);
        s.put_invoice(saved.clone());
        Ok(saved)
    }

    async fn customer_invoice(
        &self,
        org: OrgId,
        customer: CustomerId,
        id: InvoiceId,
    ) -> StoreResult<Invoice> {
        self.lock().customer_invoice(org, customer, id).cloned()
    }

    async fn customer_invoices(
        &self,
        org: OrgId,
        customer: CustomerId,
        query: &InvoiceQuery,
    ) -> StoreResult<Page<Invoice>> {
        let s = self.lock();
        let rows = s
            .money
            .invoices_by_customer
            .get(&customer)
            .into_iter()
            .flatten()
            .filter_map(|id| s.money.invoices.get(id))
            .filter(|i| i.org == org && query.admits(i));
        Ok(keyset_page(
            rows,
            |i| (query.key_of(i), i.id.as_uuid()),
            |k, id| query.after_cursor(k, id),
            query.direction,
            query.limit,
        ))
    }

    async fn mark_invoice_viewed(
        &self,
        org: OrgId,
        customer: CustomerId,
        id: InvoiceId,
        at: OffsetDateTime,
        notice: &portal_core::Notice,
    ) -> StoreResult<(Invoice, bool)> {
        let mut s = self.lock();
        let invoice = s.customer_invoice(org, customer, id)?.clone();
        if invoice.viewed_at.is_some() {
            return Ok((invoice, false));
        }
        s.check_notice(notice)?;
        s.put_notice(notice);
        let mut saved = invoice;
        saved.viewed_at = Some(at);
        s.put_invoice(saved.clone());
        Ok((saved, true))
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
        let currency = attempt.amount.currency();
        let invoices: Vec<Reservable> = s
            .customer_invoices_among(attempt.org, attempt.customer, &attempt.invoices)
            .into_iter()
            .map(|i| {
                let reserved = s
                    .money
                    .reservations
                    .get(&i.id)
                    .into_iter()
                    .flat_map(HashMap::values)
                    .try_fold(Money::zero(currency), |sum, m| sum.checked_add(m))?;
                Ok(Reservable {
                    payable: Payable::of(i),
                    reserved,
                })
            })
            .collect::<Result<_, portal_core::MoneyError>>()
            .map_err(money_err)?;
        let held = match reserve_oldest_first(attempt.amount, &invoices).map_err(money_err)? {
            Reservation::Granted(held) => held,
            Reservation::Refused(why) => return Ok(AttemptStart::Refused(why)),
        };
        for a in held {
            s.money
                .reservations
                .entry(a.invoice)
                .or_default()
                .insert(attempt.id, a.amount);
        }
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
        code: &str,
        message: &str,
    ) -> StoreResult<()> {
        let mut s = self.lock();
        let mut attempt = s
            .money
            .attempts
            .get(&id)
            .filter(|a| a.org == org)
            .cloned()
            .ok_or(StoreError::NotFound(Entity::PaymentAttempt))?;
        if attempt.status != AttemptStatus::Pending {
            return Err(StoreError::Conflict(Rule::PaymentAttempt));
        }
        attempt.status = AttemptStatus::Failed {
            code: code.to_owned(),
            message: message.to_owned(),
        };
        s.put_attempt(attempt);
        Ok(())
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
        let payables: Vec<Payable> = s
            .customer_invoices_among(r.org, r.customer, &r.invoices)
            .into_iter()
            .map(Payable::of)
            .collect();
        let (allocations, unapplied) =
            allocate_oldest_first(r.amount, &payables).map_err(money_err)?;
        let mut updated = Vec::with_capacity(allocations.len());
        for a in &allocations {
            let mut invoice = s
                .money
                .invoices
                .get(&a.invoice)
                .cloned()
                .ok_or(StoreError::NotFound(Entity::Invoice))?;
            invoice
                .settle(a.amount, false)
                .map_err(|e| StoreError::Backend(Box::new(e)))?;
            invoice.version += 1;
            updated.push(invoice);
        }
        for invoice in updated {
            s.put_invoice(invoice);
        }
        let payment = Payment {
            id: r.id,
            org: r.org,
            customer: r.customer,
            receipt_number: r.receipt_number.clone(),
            amount: r.amount,
            allocations,
            unapplied,
            method: r.method.clone(),
            reference: r.reference.clone(),
            paid_at: r.paid_at,
        };
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
        let rows = s
            .money
            .payments_by_customer
            .get(&customer)
            .into_iter()
            .flatten()
            .filter_map(|id| s.money.payments.get(id))
            .filter(|p| p.org == org);
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
                    .payments_by_customer
                    .get(&customer)
                    .into_iter()
                    .flatten()
                    .filter_map(|id| s.money.payments.get(id))
                    .filter(|p| p.org == org && !p.unapplied.is_zero())
                    .map(|p| AvailableCredit {
                        source: CreditSource::Payment(p.id),
                        number: p.receipt_number.clone(),
                        available: p.unapplied,
                        date: p.paid_at.date(),
                    }),
            )
            .chain(
                s.money
                    .invoices_by_customer
                    .get(&customer)
                    .into_iter()
                    .flatten()
                    .filter_map(|id| s.money.invoices.get(id))
                    .filter(|i| i.org == org && i.kind == InvoiceKind::Retainer)
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
        let mut invoice = s.customer_invoice(a.org, a.customer, a.invoice)?.clone();
        if !invoice.status.is_payable()
            || invoice.kind == InvoiceKind::Retainer
            || invoice.balance.amount() < a.amount.amount()
        {
            return Err(StoreError::Conflict(Rule::InvoiceBalance));
        }
        s.use_credit(a.org, a.customer, a.source, a.amount)?;
        invoice
            .settle(a.amount, true)
            .map_err(|e| StoreError::Backend(Box::new(e)))?;
        invoice.version += 1;
        s.put_invoice(invoice.clone());
        s.money
            .applications_by_customer
            .entry(a.customer)
            .or_default()
            .push(a.clone());
        Ok(invoice)
    }

    async fn record_refund(&self, r: &portal_core::Refund) -> StoreResult<()> {
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
    ) -> StoreResult<Vec<portal_core::Refund>> {
        let s = self.lock();
        let mut out: Vec<portal_core::Refund> = s
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

    async fn save_payment_method(&self, m: &portal_core::SavedPaymentMethod) -> StoreResult<()> {
        let mut s = self.lock();
        s.live_customer(m.org, m.customer)?;
        if s.money.methods.contains_key(&m.id) {
            return Err(StoreError::Conflict(Rule::Exists(Entity::PaymentMethod)));
        }
        s.money
            .methods_by_customer
            .entry(m.customer)
            .or_default()
            .insert(m.id);
        s.money.methods.insert(m.id, m.clone());
        Ok(())
    }

    async fn payment_methods(
        &self,
        org: OrgId,
        customer: CustomerId,
    ) -> StoreResult<Vec<portal_core::SavedPaymentMethod>> {
        let s = self.lock();
        Ok(s.money
            .methods_by_customer
            .get(&customer)
            .into_iter()
            .flatten()
            .filter_map(|id| s.money.methods.get(id))
            .filter(|m| m.org == org)
            .cloned()
            .collect())
    }

    async fn payment_method(
        &self,
        org: OrgId,
        customer: CustomerId,
        id: portal_core::SavedMethodId,
    ) -> StoreResult<portal_core::SavedPaymentMethod> {
        self.lock()
            .money
            .methods
            .get(&id)
            .filter(|m| m.org == org && m.customer == customer)
            .cloned()
            .ok_or(StoreError::NotFound(Entity::PaymentMethod))
    }

    async fn update_payment_method(
        &self,
        m: &portal_core::SavedPaymentMethod,
    ) -> StoreResult<portal_core::SavedPaymentMethod> {
        let mut s = self.lock();
        let stored = s
            .money
            .methods
            .get(&m.id)
            .filter(|x| x.org == m.org && x.customer == m.customer)
            .ok_or(StoreError::NotFound(Entity::PaymentMethod))?;
        if stored.version != m.version {
            return Err(StoreError::ConcurrentModification(Entity::PaymentMethod));
        }
        let mut saved = stored.clone();
        saved.exp_month = m.exp_month;
        saved.exp_year = m.exp_year;
        saved.billing_address = m.billing_address.clone();
        saved.version += 1;
        s.money.methods.insert(saved.id, saved.clone());
        Ok(saved)
    }

    async fn delete_payment_method(
        &self,
        org: OrgId,
        customer: CustomerId,
        id: portal_core::SavedMethodId,
    ) -> StoreResult<()> {
        let mut s = self.lock();
        if !s
            .money
            .methods
            .get(&id)
            .is_some_and(|m| m.org == org && m.customer == customer)
        {
            return Err(StoreError::NotFound(Entity::PaymentMethod));
        }
        s.money.methods.remove(&id);
        if let Some(set) = s.money.methods_by_customer.get_mut(&customer) {
            set.remove(&id);
        }
        Ok(())
    }

    async fn statement(
        &self,
        org: OrgId,
        customer: CustomerId,
        from: Date,
        to: Date,
    ) -> StoreResult<portal_core::Statement> {
        use portal_core::{StatementEntryKind as K, day_of, days_since_epoch};
        let s = self.lock();
        let currency = s
            .customers
            .get(&customer)
            .filter(|c| c.org == org)
            .ok_or(StoreError::NotFound(Entity::Customer))?
            .currency;
        let money = |minor: i64| Money::from_minor_units(minor, currency);
        let minor = |m: Money| m.to_minor_units().map_err(money_err);
        let invoices: Vec<&Invoice> = s
            .money
            .invoices_by_customer
            .get(&customer)
            .into_iter()
            .flatten()
            .filter_map(|id| s.money.invoices.get(id))
            .filter(|i| {
                i.org == org
                    && i.kind == InvoiceKind::Invoice
                    && !matches!(
                        i.status,
                        portal_core::InvoiceStatus::Draft | portal_core::InvoiceStatus::Void
                    )
            })
            .collect();
        let payments: Vec<&Payment> = s
            .money
            .payments_by_customer
            .get(&customer)
            .into_iter()
            .flatten()
            .filter_map(|id| s.money.payments.get(id))
            .filter(|p| p.org == org)
            .collect();
        // (day, kind, id, number, amount)
        let mut all: Vec<(i64, K, uuid::Uuid, String, i64)> = Vec::new();
        for i in &invoices {
            all.push((
                days_since_epoch(i.issue_date),
                K::Invoice,
                i.id.as_uuid(),
                i.number.clone(),
                minor(i.total)?,
            ));
        }
        for n in s
            .money
            .credit_notes_by_customer
            .get(&customer)
            .into_iter()
            .flatten()
            .filter_map(|id| s.money.credit_notes.get(id))
            .filter(|n| n.org == org)
        {
            all.push((
                days_since_epoch(n.issue_date),
                K::CreditNote,
                n.id.as_uuid(),
                n.number.clone(),
                -minor(n.total)?,
            ));
        }
        for p in &payments {
            all.push((
                day_of(p.paid_at),
                K::Payment,
                p.id.as_uuid(),
                p.receipt_number.clone(),
                -minor(p.amount)?,
            ));
        }
        for r in s
            .money
            .refunds_by_customer
            .get(&customer)
            .into_iter()
            .flatten()
            .filter(|r| r.org == org)
        {
            all.push((
                day_of(r.refunded_at),
                K::Refund,
                r.id.as_uuid(),
                r.mode.clone(),
                minor(r.amount)?,
            ));
        }
        all.sort_by_key(|(day, kind, id, _, _)| (*day, *kind, *id));
        let (from_day, to_day) = (days_since_epoch(from), days_since_epoch(to));
        let overflow = || money_err(portal_core::MoneyError::Overflow);
        let opening = all
            .iter()
            .filter(|e| e.0 < from_day)
            .try_fold(0_i64, |sum, e| sum.checked_add(e.4))
            .ok_or_else(overflow)?;
        let mut running = opening;
        let mut entries = Vec::new();
        for (day, kind, id, number, amount) in all
            .into_iter()
            .filter(|e| (from_day..=to_day).contains(&e.0))
        {
            running = running.checked_add(amount).ok_or_else(overflow)?;
            entries.push(portal_core::StatementEntry {
                date: portal_core::date_from_days(day)
                    .ok_or(StoreError::Conflict(Rule::DateOutOfRange))?,
                kind,
                id,
                number,
                amount: money(amount),
                balance: money(running),
            });
        }
        // Aging: what each regular invoice still owed at the end of `to`.
        let mut buckets = [0_i64; 5];
        for i in invoices.iter().filter(|i| i.issue_date <= to) {
            let mut open = minor(i.total)?;
            for p in payments.iter().filter(|p| day_of(p.paid_at) <= to_day) {
                for a in p.allocations.iter().filter(|a| a.invoice == i.id) {
                    open = open.checked_sub(minor(a.amount)?).ok_or_else(overflow)?;
                }
            }
            for a in s
                .money
                .applications_by_customer
                .get(&customer)
                .into_iter()
                .flatten()
                .filter(|a| a.invoice == i.id && day_of(a.applied_at) <= to_day)
            {
                open = open.checked_sub(minor(a.amount)?).ok_or_else(overflow)?;
            }
            let late = to_day - days_since_epoch(i.due_date);
            let bucket = match late {
                i64::MIN..=0 => 0,
                1..=30 => 1,
                31..=60 => 2,
                61..=90 => 3,
                _ => 4,
            };
            buckets[bucket] = buckets[bucket].checked_add(open).ok_or_else(overflow)?;
        }
        Ok(portal_core::Statement {
            from,
            to,
            currency,
            opening: money(opening),
            entries,
            closing: money(running),
            aging: portal_core::Aging {
                current: money(buckets[0]),
                days_1_30: money(buckets[1]),
                days_31_60: money(buckets[2]),
                days_61_90: money(buckets[3]),
                over_90: money(buckets[4]),
            },
        })
    }

    async fn customer_turnover(&self, org: OrgId, customer: CustomerId) -> StoreResult<Money> {
        let s = self.lock();
        let currency = s
            .customers
            .get(&customer)
            .filter(|c| c.org == org)
            .ok_or(StoreError::NotFound(Entity::Customer))?
            .currency;
        let m = &s.money;
        let amounts = m
            .invoices_by_customer
            .get(&customer)
            .into_iter()
            .flatten()
            .filter_map(|id| m.invoices.get(id))
            .filter(|i| i.org == org)
            .map(|i| i.total)
            .chain(
                m.payments_by_customer
                    .get(&customer)
                    .into_iter()
                    .flatten()
                    .filter_map(|id| m.payments.get(id))
                    .filter(|p| p.org == org)
                    .map(|p| p.amount),
            )
            .chain(
                m.credit_notes_by_customer
                    .get(&customer)
                    .into_iter()
                    .flatten()
                    .filter_map(|id| m.credit_notes.get(id))
                    .filter(|n| n.org == org)
                    .map(|n| n.total),
            )
            .chain(
                m.refunds_by_customer
                    .get(&customer)
                    .into_iter()
                    .flatten()
                    .filter(|r| r.org == org)
                    .map(|r| r.amount),
            )
            .collect::<Vec<Money>>();
        amounts
            .iter()
            .try_fold(Money::zero(currency), |sum, m| sum.checked_add(m))
            .map_err(money_err)
    }

    async fn dashboard(
        &self,
        org: OrgId,
        customer: CustomerId,
        today: Date,
    ) -> StoreResult<DashboardFigures> {
        let s = self.lock();
        let currency = s
            .customers
            .get(&customer)
            .filter(|c| c.org == org)
            .ok_or(StoreError::NotFound(Entity::Customer))?
            .currency;
        let mut f = DashboardFigures::zero(currency);
        let add = |sum: &mut Money, m: Money| -> StoreResult<()> {
            *sum = sum.checked_add(&m).map_err(money_err)?;
            Ok(())
        };
        let invoices: Vec<&Invoice> = s
            .money
            .invoices_by_customer
            .get(&customer)
            .into_iter()
            .flatten()
            .filter_map(|id| s.money.invoices.get(id))
            .filter(|i| i.org == org)
            .collect();
        for i in &invoices {
            add(
                &mut f.available_retainer_payments,
                i.retainer_available().map_err(money_err)?,
            )?;
            if i.status.is_payable() {
                match i.kind {
                    InvoiceKind::Invoice => {
                        add(&mut f.outstanding_invoices, i.balance)?;
                        if i.due_date < today {
                            add(&mut f.overdue_invoices, i.balance)?;
                        }
                    }
                    InvoiceKind::Retainer => add(&mut f.outstanding_retainers, i.balance)?,
                }
            }
        }
        for id in s
            .money
            .credit_notes_by_customer
            .get(&customer)
            .into_iter()
            .flatten()
        {
            if let Some(n) = s.money.credit_notes.get(id).filter(|n| n.org == org) {
                add(&mut f.available_credits, n.balance)?;
            }
        }
        let mut latest: Option<(OffsetDateTime, PaymentId, Money)> = None;
        for id in s
            .money
            .payments_by_customer
            .get(&customer)
            .into_iter()
            .flatten()
        {
            let Some(p) = s.money.payments.get(id).filter(|p| p.org == org) else {
                continue;
            };
            add(&mut f.available_credits, p.unapplied)?;
            if latest.is_none_or(|(at, pid, _)| (p.paid_at, p.id) > (at, pid)) {
                latest = Some((p.paid_at, p.id, p.amount));
            }
        }
        f.last_payment = latest.map(|(at, _, amount)| (amount, at));
        f.quotes_awaiting = s
            .money
            .quotes_by_customer
            .get(&customer)
            .into_iter()
            .flatten()
            .filter_map(|id| s.money.quotes.get(id))
            .filter(|q| q.org == org && q.is_open(today))
            .count() as u64;
        Ok(f)
    }
}
