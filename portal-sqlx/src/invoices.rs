//! Invoices and retainer invoices (I1, I2): plain Rust over either engine.

use crate::engine::{Bind as _, Engine, SqlStore};
use crate::error::{corrupt, db};
use crate::shared::{
    at, currency_of, date_of, get, insert_invoice, live_customer_currency, minor, money, opt_at,
    version_miss,
};
use crate::sql::common as q;
use async_trait::async_trait;
use portal_core::domain::{
    Cursor, CustomerId, Direction, Invoice, InvoiceId, InvoiceKind, InvoiceQuery, InvoiceSort,
    InvoiceStatus, LineItem, OrgId, Page, days_since_epoch,
};
use portal_core::store::{Entity, InvoiceStore, StoreResult};
use sqlx::Executor;
use sqlx::types::Json;
use time::OffsetDateTime;

impl<DB> SqlStore<DB>
where
    DB: Engine,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
{
    pub(crate) fn invoice_from(row: &DB::Row) -> StoreResult<Invoice> {
        let currency = currency_of(row)?;
        let kind: String = get(row, "kind")?;
        let status: String = get(row, "status")?;
        Ok(Invoice {
            id: InvoiceId::from_uuid(get(row, "id")?),
            org: OrgId::from_uuid(get(row, "org_id")?),
            customer: CustomerId::from_uuid(get(row, "customer_id")?),
            kind: InvoiceKind::from_db(&kind).ok_or_else(|| corrupt("invoice kind", &kind))?,
            number: get(row, "number")?,
            status: InvoiceStatus::from_db(&status)
                .ok_or_else(|| corrupt("invoice status", &status))?,
            lines: get::<_, Json<Vec<LineItem>>>(row, "lines")?.0,
            total: money(get(row, "total_minor")?, currency),
            paid: money(get(row, "paid_minor")?, currency),
            credited: money(get(row, "credited_minor")?, currency),
            balance: money(get(row, "balance_minor")?, currency),
            reserved: money(get(row, "reserved_minor")?, currency),
            drawn: money(get(row, "retainer_drawn_minor")?, currency),
            issue_date: date_of(row, "issue_date")?,
            due_date: date_of(row, "due_date")?,
            allow_partial_payments: get(row, "allow_partial_payments")?,
            payment_gateways: get::<_, Json<Vec<String>>>(row, "payment_gateways")?.0,
            viewed_at: opt_at(row, "viewed_at")?,
            created_at: at(row, "created_at")?,
            version: get(row, "version")?,
        })
    }
}

#[async_trait]
impl<DB> InvoiceStore for SqlStore<DB>
where
    DB: Engine,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
{
    async fn create_invoice(&self, invoice: &Invoice) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        live_customer_currency::<DB>(&mut tx, invoice.org, invoice.customer).await?;
        insert_invoice::<DB>(&mut tx, invoice).await?;
        tx.commit().await.map_err(db)
    }

    async fn invoice(&self, org: OrgId, id: InvoiceId) -> StoreResult<Invoice> {
        let row = self
            .row_by(
                q::SELECT_INVOICE,
                &[org.as_uuid(), id.as_uuid()],
                Entity::Invoice,
            )
            .await?;
        Self::invoice_from(&row)
    }

    async fn update_invoice(&self, invoice: &Invoice) -> StoreResult<Invoice> {
        let row = sqlx::query::<DB>(q::UPDATE_INVOICE)
            .arg(invoice.org.as_uuid())
            .arg(invoice.id.as_uuid())
            .arg(invoice.version)
            .arg(invoice.kind.as_str())
            .arg(invoice.number.as_str())
            .arg(invoice.status.as_str())
            .arg(Json(&invoice.lines))
            .arg(minor(invoice.total)?)
            .arg(minor(invoice.paid)?)
            .arg(minor(invoice.credited)?)
            .arg(minor(invoice.balance)?)
            .arg(days_since_epoch(invoice.issue_date))
            .arg(days_since_epoch(invoice.due_date))
            .arg(invoice.allow_partial_payments)
            .arg(Json(&invoice.payment_gateways))
            .fetch_optional(&self.pool)
            .await
            .map_err(db)?;
        if let Some(row) = row {
            return Self::invoice_from(&row);
        }
        Err(version_miss(
            &self.pool,
            q::INVOICE_VERSION,
            invoice.org,
            invoice.id.as_uuid(),
            Entity::Invoice,
        )
        .await)
    }

    async fn customer_invoice(
        &self,
        org: OrgId,
        customer: CustomerId,
        id: InvoiceId,
    ) -> StoreResult<Invoice> {
        let row = self
            .row_by(
                q::SELECT_CUSTOMER_INVOICE,
                &[org.as_uuid(), customer.as_uuid(), id.as_uuid()],
                Entity::Invoice,
            )
            .await?;
        Self::invoice_from(&row)
    }

    async fn customer_invoices(
        &self,
        org: OrgId,
        customer: CustomerId,
        query: &InvoiceQuery,
    ) -> StoreResult<Page<Invoice>> {
        use Direction::{Asc, Desc};
        let statement = match (query.sort, query.direction) {
            (InvoiceSort::IssueDate, Asc) => q::INVOICES_BY_ISSUE_ASC,
            (InvoiceSort::IssueDate, Desc) => q::INVOICES_BY_ISSUE_DESC,
            (InvoiceSort::DueDate, Asc) => q::INVOICES_BY_DUE_ASC,
            (InvoiceSort::DueDate, Desc) => q::INVOICES_BY_DUE_DESC,
            (InvoiceSort::Total, Asc) => q::INVOICES_BY_TOTAL_ASC,
            (InvoiceSort::Total, Desc) => q::INVOICES_BY_TOTAL_DESC,
            (InvoiceSort::Balance, Asc) => q::INVOICES_BY_BALANCE_ASC,
            (InvoiceSort::Balance, Desc) => q::INVOICES_BY_BALANCE_DESC,
        };
        let statuses = query.filter.statuses();
        let status = |i: usize| statuses[i.min(statuses.len() - 1)].as_str();
        let (k1, k2) = match query.kind {
            Some(k) => (k.as_str(), k.as_str()),
            None => (
                InvoiceKind::Invoice.as_str(),
                InvoiceKind::Retainer.as_str(),
            ),
        };
        let due_before = if query.filter == portal_core::domain::InvoiceFilter::Overdue {
            days_since_epoch(query.today)
        } else {
            i64::MAX
        };
        let (key, id) = query.direction.start(query.after);
        let rows = sqlx::query::<DB>(statement)
            .arg(org.as_uuid())
            .arg(customer.as_uuid())
            .arg(status(0))
            .arg(status(1))
            .arg(status(2))
            .arg(status(3))
            .arg(k1)
            .arg(k2)
            .arg(due_before)
            .arg(key)
            .arg(id)
            .arg(i64::from(query.limit) + 1)
            .fetch_all(&self.pool)
            .await
            .map_err(db)?;
        let items = rows
            .iter()
            .map(Self::invoice_from)
            .collect::<StoreResult<Vec<_>>>()?;
        Ok(Page::from_overfetch(items, query.limit, |i| Cursor {
            key: query.key_of(i),
            id: i.id.as_uuid(),
        }))
    }

    async fn mark_invoice_viewed(
        &self,
        org: OrgId,
        customer: CustomerId,
        id: InvoiceId,
        at: OffsetDateTime,
        notice: &portal_core::domain::Notice,
    ) -> StoreResult<(Invoice, bool)> {
        match self
            .mark_first_view(
                q::MARK_INVOICE_VIEWED,
                (org, customer, id.as_uuid()),
                at,
                notice,
                Self::invoice_from,
            )
            .await?
        {
            Some(record) => Ok((record, true)),
            None => Ok((self.customer_invoice(org, customer, id).await?, false)),
        }
    }
}
