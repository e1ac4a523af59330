//! The account read model: statement of account (D1), dashboard figures (H1) and
//! turnover, each computed by the database.

use crate::engine::{Bind as _, Engine, SqlStore};
use crate::error::{corrupt, db};
use crate::shared::{currency_of, get, get_at, money, opt_at, stored_currency, stored_date};
use crate::sql::common as q;
use async_trait::async_trait;
use portal_core::domain::{CustomerId, DashboardFigures, Money, OrgId, days_since_epoch};
use portal_core::store::StatementStore;
use portal_core::store::{Entity, StoreError, StoreResult};
use sqlx::Executor;
use time::Date;

#[async_trait]
impl<DB> StatementStore for SqlStore<DB>
where
    DB: Engine,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
{
    async fn statement(
        &self,
        org: OrgId,
        customer: CustomerId,
        from: Date,
        to: Date,
    ) -> StoreResult<portal_core::domain::Statement> {
        let (org, customer) = (org.as_uuid(), customer.as_uuid());
        let (from_day, to_day) = (days_since_epoch(from), days_since_epoch(to));
        let part = |sql: &'static str, days: &[i64]| {
            days.iter().fold(
                sqlx::query::<DB>(sql).arg(org).arg(customer),
                |query, day| query.arg(*day),
            )
        };
        let rows = if DB::STATEMENT_IN_ONE {
            part(q::STATEMENT, &[from_day, to_day])
                .fetch_all(&self.pool)
                .await
                .map_err(db)?
        } else {
            // One snapshot for the three parts.
            let mut tx = self.pool.begin().await.map_err(db)?;
            let mut rows = Vec::new();
            for (sql, days) in [
                (q::STATEMENT_OPENING, &[from_day][..]),
                (q::STATEMENT_ENTRIES, &[from_day, to_day]),
                (q::STATEMENT_AGING, &[to_day]),
            ] {
                rows.extend(part(sql, days).fetch_all(&mut *tx).await.map_err(db)?);
            }
            tx.commit().await.map_err(db)?;
            rows
        };
        // By position, in `STATEMENT`'s order: part, day, kind_order, id,
        // number, amount_minor, then aging's four buckets past due.
        let (Some(head), Some(aging)) = (rows.first(), rows.last()) else {
            return Err(StoreError::NotFound(Entity::Customer));
        };
        let part: i64 = get_at(head, 0)?;
        if part != 0 || rows.len() < 2 {
            return Err(StoreError::NotFound(Entity::Customer));
        }
        let currency = stored_currency(&get_at::<_, String>(head, 4)?)?;
        let opening: i64 = get_at(head, 5)?;
        let mut entries = Vec::with_capacity(rows.len() - 2);
        let mut closing = opening;
        for row in &rows[1..rows.len() - 1] {
            let day: i64 = get_at(row, 1)?;
            let order: i64 = get_at(row, 2)?;
            let amount: i64 = get_at(row, 5)?;
            closing = closing
                .checked_add(amount)
                .ok_or_else(|| corrupt("statement balance", amount))?;
            entries.push(portal_core::domain::StatementEntry {
                date: stored_date(day)?,
                kind: portal_core::domain::StatementEntryKind::from_order(order)
                    .ok_or_else(|| corrupt("statement entry", order))?,
                id: get_at(row, 3)?,
                number: get_at(row, 4)?,
                amount: money(amount, currency),
                balance: money(closing, currency),
            });
        }
        let bucket = |i: usize| -> StoreResult<Money> { Ok(money(get_at(aging, i)?, currency)) };
        Ok(portal_core::domain::Statement {
            from,
            to,
            currency,
            opening: money(opening, currency),
            entries,
            closing: money(closing, currency),
            aging: portal_core::domain::Aging {
                current: bucket(5)?,
                days_1_30: bucket(6)?,
                days_31_60: bucket(7)?,
                days_61_90: bucket(8)?,
                over_90: bucket(9)?,
            },
            pending: Vec::new(),
        })
    }

    async fn customer_turnover(&self, org: OrgId, customer: CustomerId) -> StoreResult<Money> {
        let row = sqlx::query::<DB>(q::CUSTOMER_TURNOVER)
            .arg(org.as_uuid())
            .arg(customer.as_uuid())
            .fetch_optional(&self.pool)
            .await
            .map_err(db)?
            .ok_or(StoreError::NotFound(Entity::Customer))?;
        let currency = currency_of(&row)?;
        ["invoices", "payments", "credit_notes", "refunds"]
            .into_iter()
            .try_fold(Money::zero(currency), |sum, column| {
                sum.checked_add(&money(get(&row, column)?, currency))
                    .map_err(|e| corrupt("turnover", e))
            })
    }

    async fn dashboard(
        &self,
        org: OrgId,
        customer: CustomerId,
        today: Date,
    ) -> StoreResult<DashboardFigures> {
        let row = sqlx::query::<DB>(q::DASHBOARD)
            .arg(org.as_uuid())
            .arg(customer.as_uuid())
            .arg(days_since_epoch(today))
            .fetch_one(&self.pool)
            .await
            .map_err(db)?;
        let code: Option<String> = get(&row, "currency")?;
        let code = code.ok_or(StoreError::NotFound(Entity::Customer))?;
        let currency = stored_currency(&code)?;
        let sum = |column: &'static str| -> StoreResult<Money> {
            Ok(money(get(&row, column)?, currency))
        };
        let credits = sum("credit_notes")?
            .checked_add(&sum("unapplied_payments")?)
            .map_err(|e| corrupt("credits", e))?;
        let last_amount: Option<i64> = get(&row, "last_amount")?;
        let last_at = opt_at(&row, "last_paid_at")?;
        let quotes_awaiting: i64 = get(&row, "quotes_awaiting")?;
        Ok(DashboardFigures {
            outstanding_invoices: sum("outstanding_invoices")?,
            overdue_invoices: sum("overdue_invoices")?,
            available_credits: credits,
            outstanding_retainers: sum("outstanding_retainers")?,
            available_retainer_payments: sum("retainer_payments")?,
            last_payment: last_amount
                .zip(last_at)
                .map(|(m, t)| (money(m, currency), t)),
            quotes_awaiting: u64::try_from(quotes_awaiting).unwrap_or_default(),
            payments_pending: sum("payments_pending")?,
        })
    }
}
