//! Customer documents (invoices, quotes, sales orders), once: one generic
//! [`DocumentStore`] over both engines. A kind brings its statements, how its row
//! reads and binds, and how its list request picks and binds a statement
//! ([`SqlDocument`]); the flow (transactions, version checks, the first view and
//! its notice, keyset pages) is written here only.

use async_trait::async_trait;
use portal_core::domain::{CustomerDocument, CustomerId, DocumentQuery, Notice, OrgId, Page};
use portal_core::store::{DocumentStore, StoreError, StoreResult, StoredDocument};
use sqlx::Executor;
use sqlx::query::Query;
use time::OffsetDateTime;

use crate::engine::{Bind as _, Engine, SqlStore};
use crate::error::db;
use crate::shared::{live_customer_currency, version_miss};

/// A statement with its arguments bound, ready to run.
pub(crate) type Bound<'q, DB> = Query<'q, DB, <DB as sqlx::Database>::Arguments>;

/// The statements of one kind of document. Each takes its ids in the order the
/// generic flow binds them (see each field).
pub(crate) struct Statements {
    /// `$1` org, `$2` id.
    pub(crate) select: &'static str,
    /// `$1` org, `$2` customer, `$3` id; never a draft.
    pub(crate) select_customer: &'static str,
    /// `$1` org, `$2` id: the stored version, to tell a stale update from a
    /// missing row.
    pub(crate) version: &'static str,
    /// `$1` org, `$2` customer, `$3` id, `$4` time; returns the row only when
    /// this is the first view.
    pub(crate) mark_viewed: &'static str,
}

/// A customer document as the SQL store keeps it.
pub(crate) trait SqlDocument: StoredDocument {
    /// Its statements.
    const SQL: Statements;
    /// Reads a row.
    fn from_row<DB: Engine>(row: &DB::Row) -> StoreResult<Self>;
    /// The insert, bound.
    fn insert<DB: Engine>(&self) -> StoreResult<Bound<'_, DB>>;
    /// The versioned update (`$1` org, `$2` id, `$3` version, then the columns),
    /// bound; it returns the stored row, or none when the version moved.
    fn update<DB: Engine>(&self) -> StoreResult<Bound<'_, DB>>;
    /// The list statement the request picks, bound: org, customer, the filter,
    /// the cursor and the page size plus one.
    fn list<'q, DB: Engine>(
        org: OrgId,
        customer: CustomerId,
        query: &'q Self::Query,
    ) -> Bound<'q, DB>;
}

/// A unique key the kind's insert or update broke is its number rule.
fn number_taken<D: StoredDocument>(e: sqlx::Error) -> StoreError {
    match db(e) {
        StoreError::Conflict(_) => StoreError::Conflict(D::NUMBER),
        other => other,
    }
}

impl<DB> SqlStore<DB>
where
    DB: Engine,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
{
    /// Inserts `doc` in `conn`'s transaction, after checking its customer is the
    /// organization's and not deleted.
    pub(crate) async fn insert_document<D: SqlDocument>(
        conn: &mut DB::Connection,
        doc: &D,
    ) -> StoreResult<()> {
        live_customer_currency::<DB>(conn, doc.org(), doc.customer()).await?;
        doc.insert::<DB>()?
            .execute(&mut *conn)
            .await
            .map_err(number_taken::<D>)?;
        Ok(())
    }

    /// Runs `doc`'s versioned update in `conn`'s transaction: the stored document,
    /// or `ConcurrentModification` / `NotFound`.
    pub(crate) async fn update_document<D: SqlDocument>(
        conn: &mut DB::Connection,
        doc: &D,
    ) -> StoreResult<D> {
        let row = doc
            .update::<DB>()?
            .fetch_optional(&mut *conn)
            .await
            .map_err(number_taken::<D>)?;
        match row {
            Some(row) => D::from_row::<DB>(&row),
            None => Err(version_miss(
                &mut *conn,
                D::SQL.version,
                doc.org(),
                doc.id().into(),
                D::ENTITY,
            )
            .await),
        }
    }
}

#[async_trait]
impl<DB, D> DocumentStore<D> for SqlStore<DB>
where
    DB: Engine,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
    D: SqlDocument,
{
    async fn create(&self, doc: &D) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        Self::insert_document(&mut tx, doc).await?;
        tx.commit().await.map_err(db)
    }

    async fn get(&self, org: OrgId, id: D::Id) -> StoreResult<D> {
        let row = self
            .row_by(D::SQL.select, &[org.as_uuid(), id.into()], D::ENTITY)
            .await?;
        D::from_row::<DB>(&row)
    }

    async fn update(&self, doc: &D) -> StoreResult<D> {
        // One statement, atomic on its own: no transaction round trips around it.
        let mut conn = self.pool.acquire().await.map_err(db)?;
        Self::update_document(&mut conn, doc).await
    }

    async fn of_customer(&self, org: OrgId, customer: CustomerId, id: D::Id) -> StoreResult<D> {
        let row = self
            .row_by(
                D::SQL.select_customer,
                &[org.as_uuid(), customer.as_uuid(), id.into()],
                D::ENTITY,
            )
            .await?;
        D::from_row::<DB>(&row)
    }

    async fn customer_page(
        &self,
        org: OrgId,
        customer: CustomerId,
        query: &D::Query,
    ) -> StoreResult<Page<D>> {
        let rows = D::list::<DB>(org, customer, query)
            .fetch_all(&self.pool)
            .await
            .map_err(db)?;
        let items = rows
            .iter()
            .map(D::from_row::<DB>)
            .collect::<StoreResult<Vec<_>>>()?;
        Ok(Page::from_overfetch(items, query.limit(), |d| {
            portal_core::domain::Cursor {
                key: query.key_of(d),
                id: d.id().into(),
            }
        }))
    }

    async fn mark_viewed(
        &self,
        org: OrgId,
        customer: CustomerId,
        id: D::Id,
        at: OffsetDateTime,
        notice: &Notice,
    ) -> StoreResult<(D, bool)> {
        match self
            .mark_first_view(
                D::SQL.mark_viewed,
                (org, customer, id.into()),
                at,
                notice,
                D::from_row::<DB>,
            )
            .await?
        {
            Some(doc) => Ok((doc, true)),
            None => Ok((self.of_customer(org, customer, id).await?, false)),
        }
    }
}

/// Binds the keyset position and the page size (plus one, to know whether a next
/// page exists) after a list statement's filter.
pub(crate) fn page_args<'q, DB: Engine, D: CustomerDocument>(
    query: Bound<'q, DB>,
    request: &D::Query,
) -> Bound<'q, DB> {
    let (key, id) = request.direction().start(request.after());
    query.arg(key).arg(id).arg(i64::from(request.limit()) + 1)
}
