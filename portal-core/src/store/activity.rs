//! The activity feed (N3).

use std::fmt::Debug;

use async_trait::async_trait;

use crate::domain::{Activity, PageRequest};
use crate::domain::{CustomerId, OrgId, Page};

use super::StoreResult;

/// The activity feed (SPEC N3). Rows are written by the operations that record
/// portal events; this trait reads them.
#[async_trait]
pub trait ActivityStore: Debug + Send + Sync + 'static {
    /// One page of the customer's activity, newest first.
    async fn customer_activity(
        &self,
        org: OrgId,
        customer: CustomerId,
        page: &PageRequest,
    ) -> StoreResult<Page<Activity>>;
}
