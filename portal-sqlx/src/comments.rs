//! Comments on a customer's documents (Q5, T2).

use crate::engine::{Bind as _, Engine, SqlStore};
use crate::error::{corrupt, db};
use crate::shared::{at, get, insert_email, insert_notice};
use crate::sql::common as q;
use async_trait::async_trait;
use portal_core::domain::{
    Comment, CommentAuthor, CommentId, CommentTarget, ContactId, CustomerId, InvoiceId, OrgId,
    OutboxEmail, QuoteId,
};
use portal_core::store::CommentStore;
use portal_core::store::{Entity, StoreError, StoreResult};
use sqlx::Executor;
use uuid::Uuid;

/// How a target is stored, and the statement that checks it is the customer's.
/// Only quotes and invoices among documents have comments: another is not found.
fn target_parts(target: CommentTarget) -> StoreResult<(&'static str, Uuid, &'static str)> {
    use portal_core::domain::DocumentRef as D;
    Ok(match target {
        CommentTarget::Document(D::Quote(id)) => ("quote", id.as_uuid(), q::QUOTE_OF_CUSTOMER),
        CommentTarget::Document(D::Invoice(id)) => {
            ("invoice", id.as_uuid(), q::INVOICE_OF_CUSTOMER)
        }
        CommentTarget::Project(id) => ("project", id.as_uuid(), q::PROJECT_OF_CUSTOMER),
        CommentTarget::Approval(id) => ("approval", id.as_uuid(), q::APPROVAL_OF_CUSTOMER),
        CommentTarget::Document(_) => return Err(StoreError::NotFound(Entity::Document)),
    })
}

impl<DB> SqlStore<DB>
where
    DB: Engine,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
{
    pub(crate) fn comment_from(row: &DB::Row) -> StoreResult<Comment> {
        let kind: String = get(row, "target_kind")?;
        let target: Uuid = get(row, "target_id")?;
        Ok(Comment {
            id: CommentId::from_uuid(get(row, "id")?),
            org: OrgId::from_uuid(get(row, "org_id")?),
            customer: CustomerId::from_uuid(get(row, "customer_id")?),
            target: match kind.as_str() {
                "quote" => CommentTarget::Document(portal_core::domain::DocumentRef::Quote(
                    QuoteId::from_uuid(target),
                )),
                "invoice" => CommentTarget::Document(portal_core::domain::DocumentRef::Invoice(
                    InvoiceId::from_uuid(target),
                )),
                "project" => {
                    CommentTarget::Project(portal_core::domain::ProjectId::from_uuid(target))
                }
                "approval" => {
                    CommentTarget::Approval(portal_core::domain::ApprovalId::from_uuid(target))
                }
                other => return Err(corrupt("comment target", other)),
            },
            author: match get::<_, Option<Uuid>>(row, "author_contact")? {
                Some(c) => CommentAuthor::Contact(ContactId::from_uuid(c)),
                None => CommentAuthor::Org,
            },
            body: get(row, "body")?,
            show_in_portal: get(row, "show_in_portal")?,
            created_at: at(row, "created_at")?,
        })
    }
}

#[async_trait]
impl<DB> CommentStore for SqlStore<DB>
where
    DB: Engine,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
{
    async fn add_comment(
        &self,
        c: &Comment,
        emails: &[OutboxEmail],
        notice: Option<&portal_core::domain::Notice>,
    ) -> StoreResult<()> {
        let (kind, target, check) = target_parts(c.target)?;
        let mut tx = self.begin().await?;
        sqlx::query::<DB>(check)
            .arg(c.org.as_uuid())
            .arg(c.customer.as_uuid())
            .arg(target)
            .fetch_optional(&mut *tx)
            .await
            .map_err(db)?
            .ok_or(StoreError::NotFound(Entity::Document))?;
        let author = match c.author {
            CommentAuthor::Org => None,
            CommentAuthor::Contact(id) => Some(id.as_uuid()),
        };
        sqlx::query::<DB>(q::INSERT_COMMENT)
            .arg(c.id.as_uuid())
            .arg(c.org.as_uuid())
            .arg(c.customer.as_uuid())
            .arg(kind)
            .arg(target)
            .arg(author)
            .arg(c.body.as_str())
            .arg(c.show_in_portal)
            .arg(DB::ts_to_db(c.created_at))
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        for email in emails {
            insert_email::<DB>(&mut tx, email).await?;
        }
        if let Some(n) = notice {
            insert_notice::<DB>(&mut tx, n).await?;
        }
        tx.commit().await.map_err(db)
    }

    async fn comments(
        &self,
        org: OrgId,
        customer: CustomerId,
        target: CommentTarget,
        portal_only: bool,
    ) -> StoreResult<Vec<Comment>> {
        let (kind, id, check) = target_parts(target)?;
        sqlx::query::<DB>(check)
            .arg(org.as_uuid())
            .arg(customer.as_uuid())
            .arg(id)
            .fetch_optional(&self.pool)
            .await
            .map_err(db)?
            .ok_or(StoreError::NotFound(Entity::Document))?;
        sqlx::query::<DB>(q::SELECT_COMMENTS)
            .arg(org.as_uuid())
            .arg(customer.as_uuid())
            .arg(kind)
            .arg(id)
            .arg(i64::from(portal_only))
            .fetch_all(&self.pool)
            .await
            .map_err(db)?
            .iter()
            .map(Self::comment_from)
            .collect()
    }
}
