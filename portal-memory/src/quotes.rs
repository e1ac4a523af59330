//! The quote part of `MemoryStore`: quotes and comments.

use async_trait::async_trait;
use portal_core::{
    Comment, CommentTarget, CustomerId, Invoice, OrgId, OutboxEmail, Page, Quote, QuoteDecision,
    QuoteEvent, QuoteId, QuoteQuery, QuoteStatus, QuoteStore, StoreError, StoreResult,
};
use time::OffsetDateTime;

use crate::MemoryStore;
use crate::store::State;
use portal_core::{Entity, Rule};

impl State {
    fn put_quote(&mut self, quote: Quote) {
        self.money
            .quotes_by_customer
            .entry(quote.customer)
            .or_default()
            .insert(quote.id);
        self.money.quotes.insert(quote.id, quote);
    }

    fn customer_quote(&self, org: OrgId, customer: CustomerId, id: QuoteId) -> StoreResult<&Quote> {
        self.money
            .quotes
            .get(&id)
            .filter(|q| q.org == org && q.customer == customer && q.status != QuoteStatus::Draft)
            .ok_or(StoreError::NotFound(Entity::Quote))
    }

    fn target_belongs(&self, org: OrgId, customer: CustomerId, target: CommentTarget) -> bool {
        match target {
            CommentTarget::Quote(id) => self
                .money
                .quotes
                .get(&id)
                .is_some_and(|q| q.org == org && q.customer == customer),
            CommentTarget::Invoice(id) => self
                .money
                .invoices
                .get(&id)
                .is_some_and(|i| i.org == org && i.customer == customer),
            CommentTarget::Project(id) => self
                .projects
                .projects
                .get(&id)
                .is_some_and(|p| p.org == org && p.customer == customer),
            CommentTarget::Approval(id) => self
                .projects
                .approvals
                .get(&id)
                .is_some_and(|a| a.org == org && a.customer == customer),
        }
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
        Ok(crate::money::keyset_page(
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
        notice: &portal_core::Notice,
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

    async fn decide_quote(&self, d: &portal_core::QuoteDecisionRecord) -> StoreResult<Quote> {
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

    async fn add_comment(
        &self,
        comment: &Comment,
        emails: &[OutboxEmail],
        notice: Option<&portal_core::Notice>,
    ) -> StoreResult<()> {
        let mut s = self.lock();
        if !s.target_belongs(comment.org, comment.customer, comment.target) {
            return Err(StoreError::NotFound(Entity::Document));
        }
        if let portal_core::CommentAuthor::Contact(id) = comment.author
            && !s
                .contacts
                .get(&id)
                .is_some_and(|c| c.org == comment.org && c.customer == comment.customer)
        {
            return Err(StoreError::NotFound(Entity::Contact));
        }
        for e in emails {
            s.check_email_id(e)?;
        }
        if let Some(n) = notice {
            s.check_notice(n)?;
            s.put_notice(n);
        }
        for e in emails {
            s.put_email(e.clone());
        }
        s.money
            .comments
            .entry(comment.target)
            .or_default()
            .push(comment.clone());
        Ok(())
    }

    async fn add_review(
        &self,
        review: &portal_core::Review,
        notice: &portal_core::Notice,
    ) -> StoreResult<()> {
        let mut s = self.lock();
        s.live_customer(review.org, review.customer)?;
        if !s
            .contacts
            .get(&review.contact)
            .is_some_and(|c| c.org == review.org && c.customer == review.customer)
        {
            return Err(StoreError::NotFound(Entity::Contact));
        }
        s.check_notice(notice)?;
        s.put_notice(notice);
        s.money
            .reviews_by_customer
            .entry(review.customer)
            .or_default()
            .push(review.clone());
        Ok(())
    }

    async fn customer_reviews(
        &self,
        org: OrgId,
        customer: CustomerId,
    ) -> StoreResult<Vec<portal_core::Review>> {
        let s = self.lock();
        let mut out: Vec<portal_core::Review> = s
            .money
            .reviews_by_customer
            .get(&customer)
            .into_iter()
            .flatten()
            .filter(|r| r.org == org)
            .cloned()
            .collect();
        out.sort_by_key(|r| std::cmp::Reverse((r.created_at, r.id)));
        Ok(out)
    }

    async fn comments(
        &self,
        org: OrgId,
        customer: CustomerId,
        target: CommentTarget,
        portal_only: bool,
    ) -> StoreResult<Vec<Comment>> {
        let s = self.lock();
        if !s.target_belongs(org, customer, target) {
            return Err(StoreError::NotFound(Entity::Document));
        }
        let mut out: Vec<Comment> = s
            .money
            .comments
            .get(&target)
            .into_iter()
            .flatten()
            .filter(|c| !portal_only || c.show_in_portal)
            .cloned()
            .collect();
        out.sort_by_key(|c| (c.created_at, c.id));
        Ok(out)
    }
}
