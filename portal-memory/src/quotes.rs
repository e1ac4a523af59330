//! The quote part of `MemoryStore`: quotes and comments.

use crate::MemoryStore;
use crate::store::keyset_page;
use async_trait::async_trait;
use portal_core::domain::{
    CustomerId, Invoice, OrgId, Page, Quote, QuoteDecision, QuoteEvent, QuoteId, QuoteQuery,
};
use portal_core::store::{QuoteStore, StoreError, StoreResult};
use time::OffsetDateTime;

use portal_core::store::{Entity, Rule};

#[async_trait]
impl QuoteStore for MemoryStore {
    async fn create_quote(&self, quote: &Quote) -> StoreResult<()> {
        let mut s = self.lock();
        s.live_customer(quote.org, quote.customer)?;
        s.quotes.create(quote.clone())
    }

    async fn quote(&self, org: OrgId, id: QuoteId) -> StoreResult<Quote> {
        self.lock().quotes.of_org(org, id).cloned()
    }

    async fn update_quote(&self, quote: &Quote) -> StoreResult<Quote> {
        self.lock().quotes.update(quote)
    }

    async fn customer_quote(
        &self,
        org: OrgId,
        customer: CustomerId,
        id: QuoteId,
    ) -> StoreResult<Quote> {
        self.lock().quotes.of_customer(org, customer, id).cloned()
    }

    async fn customer_quotes(
        &self,
        org: OrgId,
        customer: CustomerId,
        query: &QuoteQuery,
    ) -> StoreResult<Page<Quote>> {
        let s = self.lock();
        let rows = s
            .quotes
            .customer_rows(org, customer)
            .filter(|q| query.admits(q));
        Ok(keyset_page(
            rows,
            |q| (query.key_of(q), q.id.as_uuid()),
            |k, id| query.after_cursor(k, id),
            query.direction,
            query.limit,
        ))
    }

    async fn mark_quote_viewed(
        &self,
        org: OrgId,
        customer: CustomerId,
        id: QuoteId,
        at: OffsetDateTime,
        notice: &portal_core::domain::Notice,
    ) -> StoreResult<(Quote, bool)> {
        self.lock()
            .first_view(|s| &mut s.quotes, (org, customer, id), at, notice)
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
        let mut s = self.lock();
        let mut quote = s.quotes.of_customer(org, customer, id)?.clone();
        if quote.version != expected_version {
            return Err(StoreError::ConcurrentModification(Entity::Quote));
        }
        let event = match decision {
            QuoteDecision::Accept(_) => QuoteEvent::Accept,
            QuoteDecision::Decline(_) => QuoteEvent::Decline,
        };
        quote.status = quote
            .status
            .apply(event)
            .map_err(|_| StoreError::Conflict(Rule::QuoteStatus))?;
        s.check_notice(notice)?;
        match decision {
            QuoteDecision::Accept(signature) => quote.signature = signature.clone(),
            QuoteDecision::Decline(reason) => quote.decline_reason = reason.clone(),
        }
        quote.decided_at = Some(at);
        quote.version += 1;
        s.put_notice(notice);
        s.quotes.put(quote.clone());
        Ok(quote)
    }

    async fn convert_quote(&self, quote: &Quote, invoice: &Invoice) -> StoreResult<Quote> {
        let mut s = self.lock();
        let stored = s.quotes.of_org(quote.org, quote.id)?;
        if stored.version != quote.version {
            return Err(StoreError::ConcurrentModification(Entity::Quote));
        }
        s.live_customer(invoice.org, invoice.customer)?;
        s.invoices.create(invoice.clone())?;
        let mut saved = quote.clone();
        saved.version += 1;
        s.quotes.put(saved.clone());
        Ok(saved)
    }
}
