//! The activity feed (N3) as the host app reads it. Plain Rust over either engine.

use async_trait::async_trait;
use sqlx::Executor;

use crate::engine::{Engine, SqlStore};
use portal_core::{Activity, ActivityStore, CustomerId, OrgId, Page, PageRequest, StoreResult};

use crate::sql::common as q;

#[async_trait]
impl<DB> ActivityStore for SqlStore<DB>
where
    DB: Engine,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
{
    async fn customer_activity(
        &self,
        org: OrgId,
        customer: CustomerId,
        page: &PageRequest,
    ) -> StoreResult<Page<Activity>> {
        self.id_page_of(
            q::CUSTOMER_ACTIVITY,
            (org, customer),
            page,
            Self::activity_from,
            |a| a.id.as_uuid(),
        )
        .await
    }
}
