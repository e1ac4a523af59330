//! Quotes and the customer's decision on them (Q1–Q3).

use std::fmt::Debug;

use async_trait::async_trait;
use time::OffsetDateTime;

use crate::domain::Notice;
use crate::domain::{CustomerId, Invoice, OrgId, Page, Quote, QuoteDecision, QuoteId, QuoteQuery};

use super::StoreResult;

/// A customer's decision on a quote, to record atomically.
#[derive(Debug, Clone)]
pub struct QuoteDecisionRecord {
    /// The organization.
    pub org: OrgId,
    /// The customer deciding.
    pub customer: CustomerId,
    /// The quote.
    pub quote: QuoteId,
    /// The version the customer decided on.
    pub expected_version: i64,
    /// Accept (with its signature) or decline (with its reason).
    pub decision: QuoteDecision,
    /// When.
    pub at: OffsetDateTime,
    /// The activity row and the organization's email.
    pub notice: Notice,
}

/// Quotes.
#[async_trait]
pub trait QuoteStore: Debug + Send + Sync + 'static {
    /// Inserts a quote. `NotFound(Entity::Customer)` for a customer not the
    /// organization's; `Conflict(Rule::QuoteNumber)` for a number taken in the org.
    async fn create_quote(&self, quote: &Quote) -> StoreResult<()>;
    /// The quote, drafts included (org side).
    async fn quote(&self, org: OrgId, id: QuoteId) -> StoreResult<Quote>;
    /// Replaces the quote if its stored version is `quote.version`.
    async fn update_quote(&self, quote: &Quote) -> StoreResult<Quote>;
    /// The customer's quote; drafts and other customers' quotes are not found.
    async fn customer_quote(
        &self,
        org: OrgId,
        customer: CustomerId,
        id: QuoteId,
    ) -> StoreResult<Quote>;
    /// One page of the customer's quotes (never drafts), by keyset.
    async fn customer_quotes(
        &self,
        org: OrgId,
        customer: CustomerId,
        query: &QuoteQuery,
    ) -> StoreResult<Page<Quote>>;
    /// Marks the quote viewed unless it was; on the first view only, records
    /// `notice`. Returns the quote and whether this was the first view.
    async fn mark_quote_viewed(
        &self,
        org: OrgId,
        customer: CustomerId,
        id: QuoteId,
        at: OffsetDateTime,
        notice: &Notice,
    ) -> StoreResult<(Quote, bool)>;
    /// Records the customer's decision atomically, if the quote is still sent and at
    /// `expected_version` (`ConcurrentModification` otherwise, so of two concurrent
    /// decisions exactly one wins), and queues `emails`.
    async fn decide_quote(&self, decision: &QuoteDecisionRecord) -> StoreResult<Quote>;
    /// Creates `invoice` and stores `quote` (now invoiced, naming the invoice) in one
    /// operation, if the quote is at `quote.version`.
    async fn convert_quote(&self, quote: &Quote, invoice: &Invoice) -> StoreResult<Quote>;
}
