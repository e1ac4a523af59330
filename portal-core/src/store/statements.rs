//! The read model of a customer's account: statement, dashboard figures, turnover.

use std::fmt::Debug;

use async_trait::async_trait;
use time::Date;

use crate::domain::{CustomerId, DashboardFigures, OrgId, Statement};

use super::StoreResult;

/// The read model of a customer's account: the statement of account (D1), the
/// dashboard's money figures (H1) and the customer's turnover. Reads only,
/// computed by the store (SQL aggregates on SQL backends).
#[async_trait]
pub trait StatementStore: Debug + Send + Sync + 'static {
    /// The customer's statement of account for `from..=to` (days): opening balance,
    /// every entry in order with its running balance, closing balance, and aging at
    /// the end. Computed by the database on SQL backends (three statements).
    async fn statement(
        &self,
        org: OrgId,
        customer: CustomerId,
        from: Date,
        to: Date,
    ) -> StoreResult<Statement>;
    /// The dashboard's money figures, computed by the store in one pass (one query on
    /// SQL backends), in the customer's currency.
    async fn dashboard(
        &self,
        org: OrgId,
        customer: CustomerId,
        today: Date,
    ) -> StoreResult<DashboardFigures>;
    /// What the customer's documents add up to, in the customer's currency: every
    /// invoice total (drafts and void ones too), payment, credit note and refund. The
    /// services keep it under [`crate::domain::MAX_CUSTOMER_TOTAL_MINOR_UNITS`] so
    /// that every sum a store computes for the customer fits. One query on SQL
    /// backends.
    async fn customer_turnover(
        &self,
        org: OrgId,
        customer: CustomerId,
    ) -> StoreResult<crate::domain::Money>;
}
