//! Invoices and retainer invoices (I1, I2) as the SQL store keeps them: their
//! statements, row and list request. The flow is the documents' ([`crate::documents`]).

use portal_core::domain::{
    CustomerId, Invoice, InvoiceFilter, InvoiceId, InvoiceKind, InvoiceSort, InvoiceStatus,
    LineItem, OrgId, days_since_epoch,
};
use portal_core::store::StoreResult;
use sqlx::types::Json;

use crate::documents::{Bound, SqlDocument, Statements, page_args};
use crate::engine::{Bind as _, Engine};
use crate::error::corrupt;
use crate::shared::{at, currency_of, date_of, get, minor, money, opt_at};
use crate::sql::common as q;

impl SqlDocument for Invoice {
    const SQL: Statements = Statements {
        select: q::SELECT_INVOICE,
        select_customer: q::SELECT_CUSTOMER_INVOICE,
        version: q::INVOICE_VERSION,
        mark_viewed: q::MARK_INVOICE_VIEWED,
    };

    fn from_row<DB: Engine>(row: &DB::Row) -> StoreResult<Self> {
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
            lines: get::<DB::Row, Json<Vec<LineItem>>>(row, "lines")?.0,
            total: money(get(row, "total_minor")?, currency),
            paid: money(get(row, "paid_minor")?, currency),
            credited: money(get(row, "credited_minor")?, currency),
            balance: money(get(row, "balance_minor")?, currency),
            reserved: money(get(row, "reserved_minor")?, currency),
            drawn: money(get(row, "retainer_drawn_minor")?, currency),
            issue_date: date_of(row, "issue_date")?,
            due_date: date_of(row, "due_date")?,
            allow_partial_payments: get(row, "allow_partial_payments")?,
            payment_gateways: get::<DB::Row, Json<Vec<String>>>(row, "payment_gateways")?.0,
            viewed_at: opt_at(row, "viewed_at")?,
            created_at: at(row, "created_at")?,
            version: get(row, "version")?,
        })
    }

    fn insert<DB: Engine>(&self) -> StoreResult<Bound<'_, DB>> {
        Ok(sqlx::query::<DB>(q::INSERT_INVOICE)
            .arg(self.id.as_uuid())
            .arg(self.org.as_uuid())
            .arg(self.customer.as_uuid())
            .arg(self.kind.as_str())
            .arg(self.number.as_str())
            .arg(self.status.as_str())
            .arg(Json(&self.lines))
            .arg(self.currency().code())
            .arg(minor(self.total)?)
            .arg(minor(self.paid)?)
            .arg(minor(self.credited)?)
            .arg(minor(self.balance)?)
            .arg(days_since_epoch(self.issue_date))
            .arg(days_since_epoch(self.due_date))
            .arg(self.allow_partial_payments)
            .arg(Json(&self.payment_gateways))
            .arg(self.viewed_at.map(DB::ts_to_db))
            .arg(DB::ts_to_db(self.created_at))
            .arg(self.version)
            .arg(minor(self.drawn)?)
            .arg(minor(self.reserved)?))
    }

    fn update<DB: Engine>(&self) -> StoreResult<Bound<'_, DB>> {
        Ok(sqlx::query::<DB>(q::UPDATE_INVOICE)
            .arg(self.org.as_uuid())
            .arg(self.id.as_uuid())
            .arg(self.version)
            .arg(self.kind.as_str())
            .arg(self.number.as_str())
            .arg(self.status.as_str())
            .arg(Json(&self.lines))
            .arg(minor(self.total)?)
            .arg(minor(self.paid)?)
            .arg(minor(self.credited)?)
            .arg(minor(self.balance)?)
            .arg(days_since_epoch(self.issue_date))
            .arg(days_since_epoch(self.due_date))
            .arg(self.allow_partial_payments)
            .arg(Json(&self.payment_gateways)))
    }

    fn list<'q, DB: Engine>(
        org: OrgId,
        customer: CustomerId,
        query: &'q Self::Query,
    ) -> Bound<'q, DB> {
        use portal_core::domain::Direction::{Asc, Desc};
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
        let due_before = if query.filter == InvoiceFilter::Overdue {
            days_since_epoch(query.today)
        } else {
            i64::MAX
        };
        let bound = sqlx::query::<DB>(statement)
            .arg(org.as_uuid())
            .arg(customer.as_uuid())
            .arg(status(0))
            .arg(status(1))
            .arg(status(2))
            .arg(status(3))
            .arg(k1)
            .arg(k2)
            .arg(due_before);
        page_args::<DB, Self>(bound, query)
    }
}
