//! Customer reviews (C4).

use std::fmt::Debug;

use async_trait::async_trait;

use crate::domain::Notice;
use crate::domain::{CustomerId, OrgId, Review};

use super::StoreResult;

/// Customer reviews.
#[async_trait]
pub trait ReviewStore: Debug + Send + Sync + 'static {
    /// Adds a customer's review and records `notice` with it. `NotFound` if the
    /// contact is not one of the customer's.
    async fn add_review(&self, review: &Review, notice: &Notice) -> StoreResult<()>;
    /// The customer's reviews, newest first.
    async fn customer_reviews(&self, org: OrgId, customer: CustomerId) -> StoreResult<Vec<Review>>;
}
