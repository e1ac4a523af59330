//! Credit notes, credit applications and refunds (I11): plain Rust over either engine.

use crate::documents::SqlDocument as _;
use crate::engine::{Bind as _, Engine, RowsAffected as _, SqlStore};
use crate::error::{corrupt, db};
use crate::shared::settle_err;
use crate::shared::{at, currency_of, date_of, get, live_customer_currency, minor, money};
use crate::sql::common as q;
use async_trait::async_trait;
use portal_core::domain::{
    AvailableCredit, CreditApplication, CreditNote, CreditNoteId, CreditSource, CustomerId,
    Invoice, InvoiceId, InvoiceKind, OrgId, PaymentId, days_since_epoch,
};
use portal_core::store::CreditStore;
use portal_core::store::{Entity, Rule, StoreError, StoreResult};
use sqlx::Executor;
use uuid::Uuid;

impl<DB> SqlStore<DB>
where
    DB: Engine,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
{
    /// Takes `amount` out of a credit source of the customer, inside `conn`'s
    /// transaction; returns the source's kind and id for the records.
    pub(crate) async fn use_credit(
        conn: &mut DB::Connection,
        org: OrgId,
        customer: CustomerId,
        source: CreditSource,
        amount: i64,
    ) -> StoreResult<(&'static str, Uuid)> {
        let (use_statement, exists_statement, kind, source_id) = match source {
            CreditSource::CreditNote(id) => (
                q::USE_CREDIT_NOTE,
                q::CREDIT_NOTE_EXISTS,
                "credit_note",
                id.as_uuid(),
            ),
            CreditSource::Payment(id) => (
                q::USE_PAYMENT_CREDIT,
                q::PAYMENT_EXISTS,
                "payment",
                id.as_uuid(),
            ),
            CreditSource::Retainer(id) => (
                q::USE_RETAINER,
                q::RETAINER_EXISTS,
                "retainer",
                id.as_uuid(),
            ),
        };
        let used = sqlx::query::<DB>(use_statement)
            .arg(org.as_uuid())
            .arg(customer.as_uuid())
            .arg(source_id)
            .arg(amount)
            .execute(&mut *conn)
            .await
            .map_err(db)?
            .rows_affected();
        if used == 0 {
            let exists = sqlx::query::<DB>(exists_statement)
                .arg(org.as_uuid())
                .arg(customer.as_uuid())
                .arg(source_id)
                .fetch_optional(&mut *conn)
                .await
                .map_err(db)?;
            return Err(match exists {
                Some(_) => StoreError::Conflict(Rule::CreditAvailable),
                None => StoreError::NotFound(Entity::Credit),
            });
        }
        Ok((kind, source_id))
    }
}

#[async_trait]
impl<DB> CreditStore for SqlStore<DB>
where
    DB: Engine,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
{
    async fn customer_credit_note(
        &self,
        org: OrgId,
        customer: CustomerId,
        id: portal_core::domain::CreditNoteId,
    ) -> StoreResult<CreditNote> {
        let row = self
            .row_by(
                q::SELECT_CUSTOMER_CREDIT_NOTE,
                &[org.as_uuid(), customer.as_uuid(), id.as_uuid()],
                Entity::CreditNote,
            )
            .await?;
        let currency = currency_of(&row)?;
        Ok(CreditNote {
            id,
            org,
            customer,
            number: get(&row, "number")?,
            total: money(get(&row, "total_minor")?, currency),
            balance: money(get(&row, "balance_minor")?, currency),
            issue_date: date_of(&row, "issue_date")?,
            created_at: at(&row, "created_at")?,
        })
    }

    async fn create_credit_note(&self, note: &CreditNote) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        live_customer_currency::<DB>(&mut tx, note.org, note.customer).await?;
        sqlx::query::<DB>(q::INSERT_CREDIT_NOTE)
            .arg(note.id.as_uuid())
            .arg(note.org.as_uuid())
            .arg(note.customer.as_uuid())
            .arg(note.number.as_str())
            .arg(note.total.currency().code())
            .arg(minor(note.total)?)
            .arg(minor(note.balance)?)
            .arg(days_since_epoch(note.issue_date))
            .arg(DB::ts_to_db(note.created_at))
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        tx.commit().await.map_err(db)
    }

    async fn available_credits(
        &self,
        org: OrgId,
        customer: CustomerId,
    ) -> StoreResult<Vec<AvailableCredit>> {
        let notes = sqlx::query::<DB>(q::SELECT_CREDIT_NOTE_CREDITS)
            .arg(org.as_uuid())
            .arg(customer.as_uuid())
            .fetch_all(&self.pool)
            .await
            .map_err(db)?;
        let payments = sqlx::query::<DB>(q::SELECT_PAYMENT_CREDITS)
            .arg(org.as_uuid())
            .arg(customer.as_uuid())
            .fetch_all(&self.pool)
            .await
            .map_err(db)?;
        let retainers = sqlx::query::<DB>(q::SELECT_RETAINER_CREDITS)
            .arg(org.as_uuid())
            .arg(customer.as_uuid())
            .fetch_all(&self.pool)
            .await
            .map_err(db)?;
        let mut out = Vec::with_capacity(notes.len() + payments.len() + retainers.len());
        for row in &retainers {
            out.push(AvailableCredit {
                source: CreditSource::Retainer(InvoiceId::from_uuid(get(row, "id")?)),
                number: get(row, "number")?,
                available: money(get(row, "available_minor")?, currency_of(row)?),
                date: date_of(row, "issue_date")?,
            });
        }
        for row in &notes {
            out.push(AvailableCredit {
                source: CreditSource::CreditNote(CreditNoteId::from_uuid(get(row, "id")?)),
                number: get(row, "number")?,
                available: money(get(row, "balance_minor")?, currency_of(row)?),
                date: date_of(row, "issue_date")?,
            });
        }
        for row in &payments {
            out.push(AvailableCredit {
                source: CreditSource::Payment(PaymentId::from_uuid(get(row, "id")?)),
                number: get(row, "receipt_number")?,
                available: money(get(row, "unapplied_minor")?, currency_of(row)?),
                date: at(row, "paid_at")?.date(),
            });
        }
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
        let mut tx = self.begin().await?;
        let row = sqlx::query::<DB>(DB::LOCK_CUSTOMER_INVOICE)
            .arg(a.org.as_uuid())
            .arg(a.customer.as_uuid())
            .arg(a.invoice.as_uuid())
            .fetch_optional(&mut *tx)
            .await
            .map_err(db)?
            .ok_or(StoreError::NotFound(Entity::Invoice))?;
        let mut invoice = Invoice::from_row::<DB>(&row)?;
        if !invoice.status.is_payable()
            || invoice.kind == InvoiceKind::Retainer
            || invoice.balance.amount() < a.amount.amount()
        {
            return Err(StoreError::Conflict(Rule::InvoiceBalance));
        }
        // Read under the invoice's lock: no attempt can reserve meanwhile.
        if invoice.unreserved().amount() < a.amount.amount() {
            return Err(StoreError::Conflict(Rule::InvoiceReserved));
        }
        let amount = minor(a.amount)?;
        let (kind, source_id) =
            Self::use_credit(&mut tx, a.org, a.customer, a.source, amount).await?;
        invoice.settle(a.amount, true).map_err(settle_err)?;
        Self::settle_row(&mut tx, &invoice).await?;
        invoice.version += 1;
        sqlx::query::<DB>(q::INSERT_CREDIT_APPLICATION)
            .arg(a.id.as_uuid())
            .arg(a.org.as_uuid())
            .arg(a.customer.as_uuid())
            .arg(kind)
            .arg(source_id)
            .arg(a.invoice.as_uuid())
            .arg(amount)
            .arg(DB::ts_to_db(a.applied_at))
            .arg(portal_core::domain::day_of(a.applied_at))
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        tx.commit().await.map_err(db)?;
        Ok(invoice)
    }

    async fn record_refund(&self, r: &portal_core::domain::Refund) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        live_customer_currency::<DB>(&mut tx, r.org, r.customer).await?;
        let amount = minor(r.amount)?;
        let (kind, source_id) =
            Self::use_credit(&mut tx, r.org, r.customer, r.source, amount).await?;
        sqlx::query::<DB>(q::INSERT_REFUND)
            .arg(r.id.as_uuid())
            .arg(r.org.as_uuid())
            .arg(r.customer.as_uuid())
            .arg(kind)
            .arg(source_id)
            .arg(r.amount.currency().code())
            .arg(amount)
            .arg(r.mode.as_str())
            .arg(DB::ts_to_db(r.refunded_at))
            .arg(portal_core::domain::day_of(r.refunded_at))
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        tx.commit().await.map_err(db)
    }

    async fn customer_refunds(
        &self,
        org: OrgId,
        customer: CustomerId,
    ) -> StoreResult<Vec<portal_core::domain::Refund>> {
        sqlx::query::<DB>(q::SELECT_REFUNDS)
            .arg(org.as_uuid())
            .arg(customer.as_uuid())
            .fetch_all(&self.pool)
            .await
            .map_err(db)?
            .iter()
            .map(|row| {
                let kind: String = get(row, "source_kind")?;
                let source: Uuid = get(row, "source_id")?;
                Ok(portal_core::domain::Refund {
                    id: portal_core::domain::RefundId::from_uuid(get(row, "id")?),
                    org: OrgId::from_uuid(get(row, "org_id")?),
                    customer: CustomerId::from_uuid(get(row, "customer_id")?),
                    source: credit_source(&kind, source)?,
                    amount: money(get(row, "amount_minor")?, currency_of(row)?),
                    mode: get(row, "mode")?,
                    refunded_at: at(row, "refunded_at")?,
                })
            })
            .collect()
    }
}

/// A credit source as stored: its kind (`credit_note`, `payment`, `retainer`)
/// and id.
pub(crate) fn credit_source(kind: &str, id: Uuid) -> StoreResult<CreditSource> {
    Ok(match kind {
        "credit_note" => CreditSource::CreditNote(CreditNoteId::from_uuid(id)),
        "payment" => CreditSource::Payment(PaymentId::from_uuid(id)),
        "retainer" => CreditSource::Retainer(InvoiceId::from_uuid(id)),
        other => return Err(corrupt("credit source", other)),
    })
}
