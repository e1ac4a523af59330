//! The activity feed (N3) as the host app reads it. Plain Rust over either engine.

use crate::error::corrupt;
use crate::shared::at;
use crate::shared::get;
use async_trait::async_trait;
use portal_core::domain::ActivitySubject;
use portal_core::domain::PortalEvent;
use portal_core::domain::{ActivityId, ContactId};
use sqlx::Executor;

use crate::engine::{Engine, SqlStore};
use portal_core::domain::{Activity, CustomerId, OrgId, Page, PageRequest};
use portal_core::store::{ActivityStore, StoreResult};

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

impl<DB> SqlStore<DB>
where
    DB: Engine,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
{
    pub(crate) fn activity_from(row: &DB::Row) -> StoreResult<Activity> {
        let event: String = get(row, "event")?;
        let kind: String = get(row, "subject_kind")?;
        Ok(Activity {
            id: ActivityId::from_uuid(get(row, "id")?),
            org: OrgId::from_uuid(get(row, "org_id")?),
            customer: CustomerId::from_uuid(get(row, "customer_id")?),
            contact: ContactId::from_uuid(get(row, "contact_id")?),
            event: PortalEvent::from_db(&event).ok_or_else(|| corrupt("activity event", &event))?,
            subject: ActivitySubject::from_db(&kind, get(row, "subject_id")?)
                .ok_or_else(|| corrupt("activity subject", &kind))?,
            summary: get(row, "summary")?,
            at: at(row, "at")?,
        })
    }
}
