//! The sales-order store (S1–S2), in plain Rust over either engine.

use async_trait::async_trait;
use portal_core::domain::{
    Cursor, CustomerId, Direction, InvoiceId, LineItem, Notice, OrgId, Page, SalesOrder,
    SalesOrderId, SalesOrderQuery, SalesOrderSort, SalesOrderStatus, days_since_epoch,
};
use portal_core::store::{Entity, Rule, SalesOrderStore, StoreError, StoreResult};
use sqlx::types::Json;
use sqlx::{Executor, Row};
use time::OffsetDateTime;

use crate::engine::{Bind as _, Engine, SqlStore};
use crate::error::{corrupt, db};
use crate::shared::{
    at, currency_of, date_of, get, live_customer_currency, minor, money, opt_at, stored_date,
    version_miss,
};
use crate::sql::common as q;

fn order_from<R>(row: &R) -> StoreResult<SalesOrder>
where
    R: Row,
    R::Database: Engine<Row = R>,
{
    let currency = currency_of(row)?;
    let status: String = get(row, "status")?;
    let shipment: Option<i64> = get(row, "shipment_date")?;
    Ok(SalesOrder {
        id: SalesOrderId::from_uuid(get(row, "id")?),
        org: OrgId::from_uuid(get(row, "org_id")?),
        customer: CustomerId::from_uuid(get(row, "customer_id")?),
        number: get(row, "number")?,
        status: SalesOrderStatus::from_db(&status)
            .ok_or_else(|| corrupt("sales order status", &status))?,
        lines: get::<R, Json<Vec<LineItem>>>(row, "lines")?.0,
        total: money(get(row, "total_minor")?, currency),
        order_date: date_of(row, "order_date")?,
        shipment_date: shipment.map(stored_date).transpose()?,
        invoices: get::<R, Json<Vec<InvoiceId>>>(row, "invoices")?.0,
        viewed_at: opt_at(row, "viewed_at")?,
        created_at: at(row, "created_at")?,
        version: get(row, "version")?,
    })
}

/// A number already used answers the number rule, whatever the engine calls it.
fn number_taken(e: sqlx::Error) -> StoreError {
    match db(e) {
        StoreError::Conflict(_) => StoreError::Conflict(Rule::SalesOrderNumber),
        other => other,
    }
}

#[async_trait]
impl<DB> SalesOrderStore for SqlStore<DB>
where
    DB: Engine,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
{
    async fn create_sales_order(&self, o: &SalesOrder) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        live_customer_currency::<DB>(&mut tx, o.org, o.customer).await?;
        sqlx::query::<DB>(q::INSERT_SALES_ORDER)
            .arg(o.id.as_uuid())
            .arg(o.org.as_uuid())
            .arg(o.customer.as_uuid())
            .arg(o.number.as_str())
            .arg(o.status.as_str())
            .arg(Json(&o.lines))
            .arg(o.total.currency().code())
            .arg(minor(o.total)?)
            .arg(days_since_epoch(o.order_date))
            .arg(o.shipment_date.map(days_since_epoch))
            .arg(Json(&o.invoices))
            .arg(o.viewed_at.map(DB::ts_to_db))
            .arg(DB::ts_to_db(o.created_at))
            .arg(o.version)
            .execute(&mut *tx)
            .await
            .map_err(number_taken)?;
        tx.commit().await.map_err(db)
    }

    async fn sales_order(&self, org: OrgId, id: SalesOrderId) -> StoreResult<SalesOrder> {
        let row = self
            .row_by(
                q::SELECT_SALES_ORDER,
                &[org.as_uuid(), id.as_uuid()],
                Entity::SalesOrder,
            )
            .await?;
        order_from(&row)
    }

    async fn update_sales_order(&self, o: &SalesOrder) -> StoreResult<SalesOrder> {
        let row = sqlx::query::<DB>(q::UPDATE_SALES_ORDER)
            .arg(o.org.as_uuid())
            .arg(o.id.as_uuid())
            .arg(o.version)
            .arg(o.number.as_str())
            .arg(o.status.as_str())
            .arg(Json(&o.lines))
            .arg(minor(o.total)?)
            .arg(days_since_epoch(o.order_date))
            .arg(o.shipment_date.map(days_since_epoch))
            .arg(Json(&o.invoices))
            .fetch_optional(&self.pool)
            .await
            .map_err(number_taken)?;
        if let Some(row) = row {
            return order_from(&row);
        }
        Err(version_miss(
            &self.pool,
            q::SALES_ORDER_VERSION,
            o.org,
            o.id.as_uuid(),
            Entity::SalesOrder,
        )
        .await)
    }

    async fn customer_sales_order(
        &self,
        org: OrgId,
        customer: CustomerId,
        id: SalesOrderId,
    ) -> StoreResult<SalesOrder> {
        let row = self
            .row_by(
                q::SELECT_CUSTOMER_SALES_ORDER,
                &[org.as_uuid(), customer.as_uuid(), id.as_uuid()],
                Entity::SalesOrder,
            )
            .await?;
        order_from(&row)
    }

    async fn customer_sales_orders(
        &self,
        org: OrgId,
        customer: CustomerId,
        query: &SalesOrderQuery,
    ) -> StoreResult<Page<SalesOrder>> {
        use Direction::{Asc, Desc};
        let statement = match (query.sort, query.direction) {
            (SalesOrderSort::OrderDate, Asc) => q::SALES_ORDERS_BY_DATE_ASC,
            (SalesOrderSort::OrderDate, Desc) => q::SALES_ORDERS_BY_DATE_DESC,
            (SalesOrderSort::Total, Asc) => q::SALES_ORDERS_BY_TOTAL_ASC,
            (SalesOrderSort::Total, Desc) => q::SALES_ORDERS_BY_TOTAL_DESC,
        };
        let listed = query.listed();
        if listed.is_empty() {
            return Ok(Page {
                items: Vec::new(),
                next: None,
            });
        }
        let status = |i: usize| listed[i.min(listed.len() - 1)].as_str();
        let (key, id) = query.direction.start(query.after);
        let rows = sqlx::query::<DB>(statement)
            .arg(org.as_uuid())
            .arg(customer.as_uuid())
            .arg(status(0))
            .arg(status(1))
            .arg(status(2))
            .arg(status(3))
            .arg(status(4))
            .arg(key)
            .arg(id)
            .arg(i64::from(query.limit) + 1)
            .fetch_all(&self.pool)
            .await
            .map_err(db)?;
        let items = rows
            .iter()
            .map(order_from)
            .collect::<StoreResult<Vec<_>>>()?;
        Ok(Page::from_overfetch(items, query.limit, |o| Cursor {
            key: query.key_of(o),
            id: o.id.as_uuid(),
        }))
    }

    async fn mark_sales_order_viewed(
        &self,
        org: OrgId,
        customer: CustomerId,
        id: SalesOrderId,
        at: OffsetDateTime,
        notice: &Notice,
    ) -> StoreResult<(SalesOrder, bool)> {
        match self
            .mark_first_view(
                q::MARK_SALES_ORDER_VIEWED,
                (org, customer, id.as_uuid()),
                at,
                notice,
                order_from::<DB::Row>,
            )
            .await?
        {
            Some(record) => Ok((record, true)),
            None => Ok((self.customer_sales_order(org, customer, id).await?, false)),
        }
    }
}
