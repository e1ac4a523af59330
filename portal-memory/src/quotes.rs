//! The quote part of `MemoryStore`: quotes and comments.

use crate::MemoryStore;
use crate::store::State;
use crate::store::keyset_page;
use async_trait::async_trait;
use portal_core::domain::{
    CustomerId, Invoice, OrgId, Page, Quote, QuoteDecision, QuoteEvent, QuoteId, QuoteQuery,
    QuoteStatus,
};
use portal_core::store::{QuoteStore, StoreError, StoreResult};
use time::OffsetDateTime;

use portal_core::store::{Entity, Rule};

impl State {
    pub(crate) fn put_quote(&mut self, quote: Quote) {
        self.money
            .quotes_by_customer
            .entry(quote.customer)
            .or_default()
            .insert(quote.id);
        self.money.quotes.insert(quote.id, quote);
    }

    pub(crate) fn customer_quote(
        &self,
        org: OrgId,
        customer: CustomerId,
        id: QuoteId,
    ) -> StoreResult<&Quote> {
        self.money
            .quotes
            .get(&id)
            .filter(|q| q.org == org && q.customer == customer && q.status != QuoteStatus::Draft)
            .ok_or(StoreError::NotFound(Entity::Quote))
    }
}

#[async_trait]
impl QuoteStore for MemoryStore {
    async fn create_quote(&self, quote: &Quote) -> StoreResult<()> {
        let mut s = self.lock();
        s.live_customer(quote.org, quote.customer)?;
        let key = (quote.org, quote.number.clone());
        if s.money.quote_numbers.contains_key(&key) {
            return Err(StoreError::Conflict(Rule::QuoteNumber));
        }
        if s.money.quotes.contains_key(&quote.id) {
            return Err(StoreError::Conflict(Rule::Exists(Entity::Quote)));
        }
        s.money.quote_numbers.insert(key, quote.id);
        s.put_quote(quote.clone());
        Ok(())
    }

    async fn quote(&self, org: OrgId, id: QuoteId) -> StoreResult<Quote> {
        self.lock()
            .money
            .quotes
            .get(&id)
            .filter(|q| q.org == org)
            .cloned()
            .ok_or(StoreError::NotFound(Entity::Quote))
    }

    async fn update_quote(&self, quote: &Quote) -> StoreResult<Quote> {
        let mut s = self.lock();
        let stored = s
            .money
            .quotes
            .get(&quote.id)
            .filter(|q| q.org == quote.org)
            .ok_or(StoreError::NotFound(Entity::Quote))?;
        if stored.version != quote.version {
            return Err(StoreError::ConcurrentModification(Entity::Quote));
        }
        let old_number = stored.number.clone();
        if old_number != quote.number
            && s.money
                .quote_numbers
                .contains_key(&(quote.org, quote.number.clone()))
        {
            return Err(StoreError::Conflict(Rule::QuoteNumber));
        }
        let mut saved = quote.clone();
        saved.customer = stored.customer;
        saved.viewed_at = stored.viewed_at;
        saved.created_at = stored.created_at;
        saved.version += 1;
        s.money.quote_numbers.remove(&(quote.org, old_number));
        s.money
            .quote_numbers
            .insert((saved.org, saved.number.clone()), saved.id);
        s.put_quote(saved.clone());
        Ok(saved)
    }

    async fn customer_quote(
        &self,
        org: OrgId,
        customer: CustomerId,
        id: QuoteId,
    ) -> StoreResult<Quote> {
        self.lock().customer_quote(org, customer, id).cloned()
    }

    async fn customer_quotes(
        &self,
        org: OrgId,
        customer: CustomerId,
        query: &QuoteQuery,
    ) -> StoreResult<Page<Quote>> {
        let s = self.lock();
        let rows = s
            .money
            .quotes_by_customer
            .get(&customer)
            .into_iter()
            .flatten()
            .filter_map(|id| s.money.quotes.get(id))
            .filter(|q| q.org == org && query.admits(q));
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
        let mut s = self.lock();
        let quote = s.customer_quote(org, customer, id)?.clone();
        if quote.viewed_at.is_some() {
            return Ok((quote, false));
        }
        s.check_notice(notice)?;
        s.put_notice(notice);
        let mut saved = quote;
        saved.viewed_at = Some(at);
        s.put_quote(saved.clone());
        Ok((saved, true))
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
        let mut quote = s.customer_quote(org, customer, id)?.clone();
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
        s.put_quote(quote.clone());
        Ok(quote)
    }

    async fn convert_quote(&self, quote: &Quote, invoice: &Invoice) -> StoreResult<Quote> {
        let mut s = self.lock();
        let stored = s
            .money
            .quotes
            .get(&quote.id)
            .filter(|q| q.org == quote.org)
            .ok_or(StoreError::NotFound(Entity::Quote))?;
        if stored.version != quote.version {
            return Err(StoreError::ConcurrentModification(Entity::Quote));
        }
        s.live_customer(invoice.org, invoice.customer)?;
        let key = (invoice.org, invoice.number.clone());
        if s.money.invoice_numbers.contains_key(&key) {
            return Err(StoreError::Conflict(Rule::InvoiceNumber));
        }
        s.money.invoice_numbers.insert(key, invoice.id);
        s.put_invoice(invoice.clone());
        let mut saved = quote.clone();
        saved.version += 1;
        s.put_quote(saved.clone());
        Ok(saved)
    }
}
