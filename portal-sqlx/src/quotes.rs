//! The quote store (Q1–Q5): quotes, comments on every document, reviews. Plain Rust
//! over either engine.

use async_trait::async_trait;
use portal_core::domain::{
    Cursor, CustomerId, Direction, Invoice, InvoiceId, LineItem, OrgId, Page, Quote, QuoteDecision,
    QuoteId, QuoteQuery, QuoteSort, QuoteStatus, Signature, days_since_epoch,
};
use portal_core::store::{Entity, QuoteStore, Rule, StoreError, StoreResult};
use sqlx::Executor;
use sqlx::types::Json;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::engine::{Bind as _, Engine, SqlStore};
use crate::error::{corrupt, db};
use crate::shared::{
    at, currency_of, date_of, get, insert_invoice, insert_notice, live_customer_currency, minor,
    money, opt_at, version_miss,
};
use crate::sql::common as q;

impl<DB> SqlStore<DB>
where
    DB: Engine,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
{
    pub(crate) fn quote_from(row: &DB::Row) -> StoreResult<Quote> {
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
            lines: get::<_, Json<Vec<LineItem>>>(row, "lines")?.0,
            total: money(get(row, "total_minor")?, currency),
            issue_date: date_of(row, "issue_date")?,
            expiry_date: date_of(row, "expiry_date")?,
            viewed_at: opt_at(row, "viewed_at")?,
            decided_at: opt_at(row, "decided_at")?,
            signature: get::<_, Option<Json<Signature>>>(row, "signature")?.map(|j| j.0),
            decline_reason: get(row, "decline_reason")?,
            invoice: get::<_, Option<Uuid>>(row, "invoice_id")?.map(InvoiceId::from_uuid),
            created_at: at(row, "created_at")?,
            version: get(row, "version")?,
        })
    }

    pub(crate) async fn update_quote_row(
        conn: &mut DB::Connection,
        quote: &Quote,
    ) -> StoreResult<Option<Quote>> {
        let row = sqlx::query::<DB>(q::UPDATE_QUOTE)
            .arg(quote.org.as_uuid())
            .arg(quote.id.as_uuid())
            .arg(quote.version)
            .arg(quote.number.as_str())
            .arg(i64::from(quote.revision))
            .arg(quote.status.as_str())
            .arg(Json(&quote.lines))
            .arg(minor(quote.total)?)
            .arg(days_since_epoch(quote.issue_date))
            .arg(days_since_epoch(quote.expiry_date))
            .arg(quote.decided_at.map(DB::ts_to_db))
            .arg(quote.signature.as_ref().map(Json))
            .arg(quote.decline_reason.as_deref())
            .arg(quote.invoice.map(|i| i.as_uuid()))
            .fetch_optional(&mut *conn)
            .await
            .map_err(db)?;
        row.as_ref().map(Self::quote_from).transpose()
    }
}

#[async_trait]
impl<DB> QuoteStore for SqlStore<DB>
where
    DB: Engine,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
{
    async fn create_quote(&self, quote: &Quote) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        live_customer_currency::<DB>(&mut tx, quote.org, quote.customer).await?;
        sqlx::query::<DB>(q::INSERT_QUOTE)
            .arg(quote.id.as_uuid())
            .arg(quote.org.as_uuid())
            .arg(quote.customer.as_uuid())
            .arg(quote.number.as_str())
            .arg(i64::from(quote.revision))
            .arg(quote.status.as_str())
            .arg(Json(&quote.lines))
            .arg(quote.total.currency().code())
            .arg(minor(quote.total)?)
            .arg(days_since_epoch(quote.issue_date))
            .arg(days_since_epoch(quote.expiry_date))
            .arg(quote.viewed_at.map(DB::ts_to_db))
            .arg(quote.decided_at.map(DB::ts_to_db))
            .arg(quote.signature.as_ref().map(Json))
            .arg(quote.decline_reason.as_deref())
            .arg(quote.invoice.map(|i| i.as_uuid()))
            .arg(DB::ts_to_db(quote.created_at))
            .arg(quote.version)
            .execute(&mut *tx)
            .await
            .map_err(|e| match db(e) {
                StoreError::Conflict(_) => StoreError::Conflict(Rule::QuoteNumber),
                other => other,
            })?;
        tx.commit().await.map_err(db)
    }

    async fn quote(&self, org: OrgId, id: QuoteId) -> StoreResult<Quote> {
        let row = self
            .row_by(
                q::SELECT_QUOTE,
                &[org.as_uuid(), id.as_uuid()],
                Entity::Quote,
            )
            .await?;
        Self::quote_from(&row)
    }

    async fn update_quote(&self, quote: &Quote) -> StoreResult<Quote> {
        let mut tx = self.begin().await?;
        let saved = Self::update_quote_row(&mut tx, quote)
            .await
            .map_err(|e| match e {
                StoreError::Conflict(_) => StoreError::Conflict(Rule::QuoteNumber),
                other => other,
            })?;
        let Some(saved) = saved else {
            return Err(version_miss(
                &mut *tx,
                q::QUOTE_VERSION,
                quote.org,
                quote.id.as_uuid(),
                Entity::Quote,
            )
            .await);
        };
        tx.commit().await.map_err(db)?;
        Ok(saved)
    }

    async fn customer_quote(
        &self,
        org: OrgId,
        customer: CustomerId,
        id: QuoteId,
    ) -> StoreResult<Quote> {
        let row = self
            .row_by(
                q::SELECT_CUSTOMER_QUOTE,
                &[org.as_uuid(), customer.as_uuid(), id.as_uuid()],
                Entity::Quote,
            )
            .await?;
        Self::quote_from(&row)
    }

    async fn customer_quotes(
        &self,
        org: OrgId,
        customer: CustomerId,
        query: &QuoteQuery,
    ) -> StoreResult<Page<Quote>> {
        use Direction::{Asc, Desc};
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
        let (key, id) = query.direction.start(query.after);
        let rows = sqlx::query::<DB>(statement)
            .arg(org.as_uuid())
            .arg(customer.as_uuid())
            .arg(status(0))
            .arg(status(1))
            .arg(status(2))
            .arg(status(3))
            .arg(from)
            .arg(until)
            .arg(key)
            .arg(id)
            .arg(i64::from(query.limit) + 1)
            .fetch_all(&self.pool)
            .await
            .map_err(db)?;
        let items = rows
            .iter()
            .map(Self::quote_from)
            .collect::<StoreResult<Vec<_>>>()?;
        Ok(Page::from_overfetch(items, query.limit, |q| Cursor {
            key: query.key_of(q),
            id: q.id.as_uuid(),
        }))
    }

    async fn mark_quote_viewed(
        &self,
        org: OrgId,
        customer: CustomerId,
        id: QuoteId,
        at: OffsetDateTime,
        notice: &portal_core::domain::Notice,
    ) -> StoreResult<(Quote, bool)> {
        match self
            .mark_first_view(
                q::MARK_QUOTE_VIEWED,
                (org, customer, id.as_uuid()),
                at,
                notice,
                Self::quote_from,
            )
            .await?
        {
            Some(record) => Ok((record, true)),
            None => Ok((self.customer_quote(org, customer, id).await?, false)),
        }
    }

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
                Some(row) if Self::quote_from(&row)?.version != expected_version => {
                    StoreError::ConcurrentModification(Entity::Quote)
                }
                Some(_) => StoreError::Conflict(Rule::QuoteStatus),
            });
        };
        let quote = Self::quote_from(&row)?;
        insert_notice::<DB>(&mut tx, notice).await?;
        tx.commit().await.map_err(db)?;
        Ok(quote)
    }

    async fn convert_quote(&self, quote: &Quote, invoice: &Invoice) -> StoreResult<Quote> {
        let mut tx = self.begin().await?;
        live_customer_currency::<DB>(&mut tx, invoice.org, invoice.customer).await?;
        insert_invoice::<DB>(&mut tx, invoice).await?;
        let Some(saved) = Self::update_quote_row(&mut tx, quote).await? else {
            return Err(version_miss(
                &mut *tx,
                q::QUOTE_VERSION,
                quote.org,
                quote.id.as_uuid(),
                Entity::Quote,
            )
            .await);
        };
        tx.commit().await.map_err(db)?;
        Ok(saved)
    }
}
