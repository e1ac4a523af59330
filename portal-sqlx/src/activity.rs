//! The activity feed (N3) as the host app reads it. Plain Rust over either engine.

use async_trait::async_trait;
use sqlx::types::Json;
use sqlx::{ColumnIndex, Decode, Encode, Executor, IntoArguments, Type};
use uuid::Uuid;

use crate::engine::{Engine, SqlStore};
use portal_core::{
    Activity, ActivityStore, CustomerId, OrgId, Page, PageRequest, StoreResult, TimeEntryId,
};

use crate::sql::common as q;

#[async_trait]
impl<DB> ActivityStore for SqlStore<DB>
where
    DB: Engine,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
    DB::Arguments: IntoArguments<DB>,
    for<'q> Uuid: Encode<'q, DB> + Decode<'q, DB> + Type<DB>,
    for<'q> Option<Uuid>: Encode<'q, DB> + Decode<'q, DB> + Type<DB>,
    for<'q> &'q str: Encode<'q, DB> + Type<DB>,
    for<'q> Option<&'q str>: Encode<'q, DB> + Type<DB>,
    for<'q> &'q [u8]: Encode<'q, DB> + Type<DB>,
    for<'q> String: Decode<'q, DB> + Type<DB>,
    for<'q> Option<String>: Decode<'q, DB> + Type<DB>,
    for<'q> Vec<u8>: Decode<'q, DB> + Type<DB>,
    for<'q> i64: Encode<'q, DB> + Decode<'q, DB> + Type<DB>,
    for<'q> Option<i64>: Encode<'q, DB> + Decode<'q, DB> + Type<DB>,
    for<'q> bool: Encode<'q, DB> + Decode<'q, DB> + Type<DB>,
    for<'q> Option<DB::Ts>: Encode<'q, DB> + Type<DB>,
    for<'q> Json<&'q Vec<TimeEntryId>>: Encode<'q, DB> + Type<DB>,
    for<'r> Json<Vec<TimeEntryId>>: Decode<'r, DB> + Type<DB>,
    &'static str: ColumnIndex<DB::Row>,
    usize: ColumnIndex<DB::Row>,
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
