//! Sales orders (S1–S2) as the SQL store keeps them: their statements, row and list
//! request. The flow is the documents' ([`crate::documents`]).

use portal_core::domain::{
    CustomerId, InvoiceId, LineItem, OrgId, SalesOrder, SalesOrderId, SalesOrderSort,
    SalesOrderStatus, days_since_epoch,
};
use portal_core::store::StoreResult;
use sqlx::types::Json;

use crate::documents::{Bound, SqlDocument, Statements, page_args};
use crate::engine::{Bind as _, Engine};
use crate::error::corrupt;
use crate::shared::{at, currency_of, date_of, get, minor, money, opt_at, stored_date};
use crate::sql::common as q;

impl SqlDocument for SalesOrder {
    const SQL: Statements = Statements {
        select: q::SELECT_SALES_ORDER,
        select_customer: q::SELECT_CUSTOMER_SALES_ORDER,
        version: q::SALES_ORDER_VERSION,
        mark_viewed: q::MARK_SALES_ORDER_VIEWED,
    };

    fn from_row<DB: Engine>(row: &DB::Row) -> StoreResult<Self> {
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
            lines: get::<DB::Row, Json<Vec<LineItem>>>(row, "lines")?.0,
            total: money(get(row, "total_minor")?, currency),
            order_date: date_of(row, "order_date")?,
            shipment_date: shipment.map(stored_date).transpose()?,
            invoices: get::<DB::Row, Json<Vec<InvoiceId>>>(row, "invoices")?.0,
            viewed_at: opt_at(row, "viewed_at")?,
            created_at: at(row, "created_at")?,
            version: get(row, "version")?,
        })
    }

    fn insert<DB: Engine>(&self) -> StoreResult<Bound<'_, DB>> {
        Ok(sqlx::query::<DB>(q::INSERT_SALES_ORDER)
            .arg(self.id.as_uuid())
            .arg(self.org.as_uuid())
            .arg(self.customer.as_uuid())
            .arg(self.number.as_str())
            .arg(self.status.as_str())
            .arg(Json(&self.lines))
            .arg(self.total.currency().code())
            .arg(minor(self.total)?)
            .arg(days_since_epoch(self.order_date))
            .arg(self.shipment_date.map(days_since_epoch))
            .arg(Json(&self.invoices))
            .arg(self.viewed_at.map(DB::ts_to_db))
            .arg(DB::ts_to_db(self.created_at))
            .arg(self.version))
    }

    fn update<DB: Engine>(&self) -> StoreResult<Bound<'_, DB>> {
        Ok(sqlx::query::<DB>(q::UPDATE_SALES_ORDER)
            .arg(self.org.as_uuid())
            .arg(self.id.as_uuid())
            .arg(self.version)
            .arg(self.number.as_str())
            .arg(self.status.as_str())
            .arg(Json(&self.lines))
            .arg(minor(self.total)?)
            .arg(days_since_epoch(self.order_date))
            .arg(self.shipment_date.map(days_since_epoch))
            .arg(Json(&self.invoices)))
    }

    fn list<'q, DB: Engine>(
        org: OrgId,
        customer: CustomerId,
        query: &'q Self::Query,
    ) -> Bound<'q, DB> {
        use portal_core::domain::Direction::{Asc, Desc};
        let statement = match (query.sort, query.direction) {
            (SalesOrderSort::OrderDate, Asc) => q::SALES_ORDERS_BY_DATE_ASC,
            (SalesOrderSort::OrderDate, Desc) => q::SALES_ORDERS_BY_DATE_DESC,
            (SalesOrderSort::Total, Asc) => q::SALES_ORDERS_BY_TOTAL_ASC,
            (SalesOrderSort::Total, Desc) => q::SALES_ORDERS_BY_TOTAL_DESC,
        };
        // A request that lists no status (drafts only) binds a status no row has.
        let listed = query.listed();
        let status = |i: usize| {
            listed
                .get(i.min(listed.len().saturating_sub(1)))
                .map_or("", |s| s.as_str())
        };
        let bound = sqlx::query::<DB>(statement)
            .arg(org.as_uuid())
            .arg(customer.as_uuid())
            .arg(status(0))
            .arg(status(1))
            .arg(status(2))
            .arg(status(3))
            .arg(status(4));
        page_args::<DB, Self>(bound, query)
    }
}
