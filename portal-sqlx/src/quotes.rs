//! Quotes (Q1–Q5) as the SQL store keeps them: their statements, row and list
//! request, and what only a quote does: the customer's decision and the conversion
//! to an invoice. The shared flow is the documents' ([`crate::documents`]).

use async_trait::async_trait;
use portal_core::domain::{
    CustomerId, Invoice, InvoiceId, LineItem, OrgId, Quote, QuoteDecision, QuoteId, QuoteSort,
    QuoteStatus, Signature, days_since_epoch,
};
use portal_core::store::{Entity, QuoteStore, Rule, StoreError, StoreResult};
use sqlx::Executor;
use sqlx::types::Json;
use uuid::Uuid;

use crate::documents::{Bound, SqlDocument, Statements, page_args};
use crate::engine::{Bind as _, Engine, SqlStore};
use crate::error::{corrupt, db};
use crate::shared::{at, currency_of, date_of, get, insert_notice, minor, money, opt_at};
use crate::sql::common as q;

impl SqlDocument for Quote {
    const SQL: Statements = Statements {
        select: q::SELECT_QUOTE,
        select_customer: q::SELECT_CUSTOMER_QUOTE,
        version: q::QUOTE_VERSION,
        mark_viewed: q::MARK_QUOTE_VIEWED,
    };

    fn from_row<DB: Engine>(row: &DB::Row) -> StoreResult<Self> {
        let currency = currency_of(row)?;
        let status: String = get(row, "status")?;
        let revision: i64 = get(row, "revision")?;
        Ok(Quote {
            id: QuoteId::from_uuid(get(row, "id")?),
            org: OrgId::from_uuid(get(row, "org_id")?),
            customer: CustomerId::from_uuid(get(row, "customer_id")?),
            number: get(row, "number")?,
            revision: u32::try_from(revision).map_err(|_| corrupt("revision", revision))?,
            status: QuoteStatus::from_db(&status)
                .ok_or_else(|| corrupt("quote status", &status))?,
            lines: get::<DB::Row, Json<Vec<LineItem>>>(row, "lines")?.0,
            total: money(get(row, "total_minor")?, currency),
            issue_date: date_of(row, "issue_date")?,
            expiry_date: date_of(row, "expiry_date")?,
            viewed_at: opt_at(row, "viewed_at")?,
            decided_at: opt_at(row, "decided_at")?,
            signature: get::<DB::Row, Option<Json<Signature>>>(row, "signature")?.map(|j| j.0),
            decline_reason: get(row, "decline_reason")?,
            invoice: get::<DB::Row, Option<Uuid>>(row, "invoice_id")?.map(InvoiceId::from_uuid),
            created_at: at(row, "created_at")?,
            version: get(row, "version")?,
        })
    }

    fn insert<DB: Engine>(&self) -> StoreResult<Bound<'_, DB>> {
        Ok(sqlx::query::<DB>(q::INSERT_QUOTE)
            .arg(self.id.as_uuid())
            .arg(self.org.as_uuid())
            .arg(self.customer.as_uuid())
            .arg(self.number.as_str())
            .arg(i64::from(self.revision))
            .arg(self.status.as_str())
            .arg(Json(&self.lines))
            .arg(self.total.currency().code())
            .arg(minor(self.total)?)
            .arg(days_since_epoch(self.issue_date))
            .arg(days_since_epoch(self.expiry_date))
            .arg(self.viewed_at.map(DB::ts_to_db))
            .arg(self.decided_at.map(DB::ts_to_db))
            .arg(self.signature.as_ref().map(Json))
            .arg(self.decline_reason.as_deref())
            .arg(self.invoice.map(|i| i.as_uuid()))
            .arg(DB::ts_to_db(self.created_at))
            .arg(self.version))
    }

    fn update<DB: Engine>(&self) -> StoreResult<Bound<'_, DB>> {
        Ok(sqlx::query::<DB>(q::UPDATE_QUOTE)
            .arg(self.org.as_uuid())
            .arg(self.id.as_uuid())
            .arg(self.version)
            .arg(self.number.as_str())
            .arg(i64::from(self.revision))
            .arg(self.status.as_str())
            .arg(Json(&self.lines))
            .arg(minor(self.total)?)
            .arg(days_since_epoch(self.issue_date))
            .arg(days_since_epoch(self.expiry_date))
            .arg(self.decided_at.map(DB::ts_to_db))
            .arg(self.signature.as_ref().map(Json))
            .arg(self.decline_reason.as_deref())
            .arg(self.invoice.map(|i| i.as_uuid())))
    }

    fn list<'q, DB: Engine>(
        org: OrgId,
        customer: CustomerId,
        query: &'q Self::Query,
    ) -> Bound<'q, DB> {
        use portal_core::domain::Direction::{Asc, Desc};
        let statement = match (query.sort, query.direction) {
            (QuoteSort::IssueDate, Asc) => q::QUOTES_BY_ISSUE_ASC,
            (QuoteSort::IssueDate, Desc) => q::QUOTES_BY_ISSUE_DESC,
            (QuoteSort::ExpiryDate, Asc) => q::QUOTES_BY_EXPIRY_ASC,
            (QuoteSort::ExpiryDate, Desc) => q::QUOTES_BY_EXPIRY_DESC,
            (QuoteSort::Total, Asc) => q::QUOTES_BY_TOTAL_ASC,
            (QuoteSort::Total, Desc) => q::QUOTES_BY_TOTAL_DESC,
        };
        let statuses = query.filter.statuses();
        let status = |i: usize| statuses[i.min(statuses.len() - 1)].as_str();
        let (from, until) = query.filter.expiry_range(query.today);
        let bound = sqlx::query::<DB>(statement)
            .arg(org.as_uuid())
            .arg(customer.as_uuid())
            .arg(status(0))
            .arg(status(1))
            .arg(status(2))
            .arg(status(3))
            .arg(from)
            .arg(until);
        page_args::<DB, Self>(bound, query)
    }
}

#[async_trait]
impl<DB> QuoteStore for SqlStore<DB>
where
    DB: Engine,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
{
    async fn decide_quote(
        &self,
        d: &portal_core::store::QuoteDecisionRecord,
    ) -> StoreResult<Quote> {
        let (org, customer, id, expected_version, decision, at, notice) = (
            d.org,
            d.customer,
            d.quote,
            d.expected_version,
            &d.decision,
            d.at,
            &d.notice,
        );
        let (status, signature, reason) = match decision {
            QuoteDecision::Accept(s) => (QuoteStatus::Accepted, s.as_ref(), None),
            QuoteDecision::Decline(r) => (QuoteStatus::Declined, None, r.as_deref()),
        };
        let mut tx = self.begin().await?;
        let row = sqlx::query::<DB>(q::DECIDE_QUOTE)
            .arg(org.as_uuid())
            .arg(customer.as_uuid())
            .arg(id.as_uuid())
            .arg(expected_version)
            .arg(status.as_str())
            .arg(signature.map(Json))
            .arg(reason)
            .arg(DB::ts_to_db(at))
            .fetch_optional(&mut *tx)
            .await
            .map_err(db)?;
        let Some(row) = row else {
            let current = sqlx::query::<DB>(q::SELECT_CUSTOMER_QUOTE)
                .arg(org.as_uuid())
                .arg(customer.as_uuid())
                .arg(id.as_uuid())
                .fetch_optional(&mut *tx)
                .await
                .map_err(db)?;
            return Err(match current {
                None => StoreError::NotFound(Entity::Quote),
                Some(row) if Quote::from_row::<DB>(&row)?.version != expected_version => {
                    StoreError::ConcurrentModification(Entity::Quote)
                }
                Some(_) => StoreError::Conflict(Rule::QuoteStatus),
            });
        };
        let quote = Quote::from_row::<DB>(&row)?;
        insert_notice::<DB>(&mut tx, notice).await?;
        tx.commit().await.map_err(db)?;
        Ok(quote)
    }

    async fn convert_quote(&self, quote: &Quote, invoice: &Invoice) -> StoreResult<Quote> {
        let mut tx = self.begin().await?;
        Self::insert_document(&mut tx, invoice).await?;
        let saved = Self::update_document(&mut tx, quote).await?;
        tx.commit().await.map_err(db)?;
        Ok(saved)
    }
}
