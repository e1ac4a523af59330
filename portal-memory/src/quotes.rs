//! The quote part of `MemoryStore`: quotes and comments.

use crate::MemoryStore;
use async_trait::async_trait;
use portal_core::domain::{Invoice, Quote, QuoteDecision, QuoteEvent};
use portal_core::store::{QuoteStore, StoreError, StoreResult};

use portal_core::store::{Entity, Rule};

#[async_trait]
impl QuoteStore for MemoryStore {
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
