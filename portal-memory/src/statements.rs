//! The account read model in `MemoryStore`: statement, dashboard, turnover.

use crate::MemoryStore;
use crate::store::money_err;
use async_trait::async_trait;
use portal_core::domain::{
    CustomerId, DashboardFigures, Invoice, InvoiceKind, Money, OrgId, Payment, PaymentId,
};
use portal_core::store::StatementStore;
use portal_core::store::{Entity, Rule};
use portal_core::store::{StoreError, StoreResult};
use time::{Date, OffsetDateTime};

#[async_trait]
impl StatementStore for MemoryStore {
    async fn statement(
        &self,
        org: OrgId,
        customer: CustomerId,
        from: Date,
        to: Date,
    ) -> StoreResult<portal_core::domain::Statement> {
        use portal_core::domain::{StatementEntryKind as K, day_of, days_since_epoch};
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
            .invoices
            .customer_rows(org, customer)
            .filter(|i| {
                i.kind == InvoiceKind::Invoice
                    && !matches!(
                        i.status,
                        portal_core::domain::InvoiceStatus::Draft
                            | portal_core::domain::InvoiceStatus::Void
                    )
            })
            .collect();
        let payments: Vec<&Payment> = s.money.customer_payments(org, customer).collect();
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
        let overflow = || money_err(portal_core::domain::MoneyError::Overflow);
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
            entries.push(portal_core::domain::StatementEntry {
                date: portal_core::domain::date_from_days(day)
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
        Ok(portal_core::domain::Statement {
            from,
            to,
            currency,
            opening: money(opening),
            entries,
            closing: money(running),
            aging: portal_core::domain::Aging {
                current: money(buckets[0]),
                days_1_30: money(buckets[1]),
                days_31_60: money(buckets[2]),
                days_61_90: money(buckets[3]),
                over_90: money(buckets[4]),
            },
            pending: Vec::new(),
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
        let amounts = s
            .invoices
            .customer_rows(org, customer)
            .map(|i| i.total)
            .chain(m.customer_payments(org, customer).map(|p| p.amount))
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
        let invoices: Vec<&Invoice> = s.invoices.customer_rows(org, customer).collect();
        for i in &invoices {
            add(
                &mut f.available_retainer_payments,
                i.retainer_available().map_err(money_err)?,
            )?;
            if i.status.is_payable() {
                add(&mut f.payments_pending, i.reserved)?;
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
        for p in s.money.customer_payments(org, customer) {
            add(&mut f.available_credits, p.unapplied)?;
            if latest.is_none_or(|(at, pid, _)| (p.paid_at, p.id) > (at, pid)) {
                latest = Some((p.paid_at, p.id, p.amount));
            }
        }
        f.last_payment = latest.map(|(at, _, amount)| (amount, at));
        f.quotes_awaiting = s
            .quotes
            .customer_rows(org, customer)
            .filter(|q| q.is_open(today))
            .count() as u64;
        Ok(f)
    }
}
