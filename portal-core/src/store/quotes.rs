//! Quotes and the customer's decision on them (Q1–Q3).

use std::fmt::Debug;

use async_trait::async_trait;
use time::OffsetDateTime;

use crate::domain::Notice;
use crate::domain::{CustomerId, Invoice, OrgId, Quote, QuoteDecision, QuoteId};

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
    /// Records the customer's decision atomically, if the quote is still sent and at
    /// `expected_version` (`ConcurrentModification` otherwise, so of two concurrent
    /// decisions exactly one wins), and queues `emails`.
    async fn decide_quote(&self, decision: &QuoteDecisionRecord) -> StoreResult<Quote>;
    /// Creates `invoice` and stores `quote` (now invoiced, naming the invoice) in one
    /// operation, if the quote is at `quote.version`.
    async fn convert_quote(&self, quote: &Quote, invoice: &Invoice) -> StoreResult<Quote>;
}
