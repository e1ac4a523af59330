//! Comments on documents in `MemoryStore`.

use crate::MemoryStore;
use crate::store::State;
use async_trait::async_trait;
use portal_core::domain::{Comment, CommentTarget, CustomerId, OrgId, OutboxEmail};
use portal_core::store::CommentStore;
use portal_core::store::Entity;
use portal_core::store::{StoreError, StoreResult};

impl State {
    pub(crate) fn target_belongs(
        &self,
        org: OrgId,
        customer: CustomerId,
        target: CommentTarget,
    ) -> bool {
        match target {
            CommentTarget::Document(portal_core::domain::DocumentRef::Quote(id)) => self
                .quotes
                .row(id)
                .is_some_and(|q| q.org == org && q.customer == customer),
            CommentTarget::Document(portal_core::domain::DocumentRef::Invoice(id)) => self
                .invoices
                .row(id)
                .is_some_and(|i| i.org == org && i.customer == customer),
            CommentTarget::Project(id) => self
                .projects
                .projects
                .get(&id)
                .is_some_and(|p| p.org == org && p.customer == customer),
            CommentTarget::Approval(id) => self
                .projects
                .approvals
                .get(&id)
                .is_some_and(|a| a.org == org && a.customer == customer),
            CommentTarget::Document(_) => false,
        }
    }
}

#[async_trait]
impl CommentStore for MemoryStore {
    async fn add_comment(
        &self,
        comment: &Comment,
        emails: &[OutboxEmail],
        notice: Option<&portal_core::domain::Notice>,
    ) -> StoreResult<()> {
        let mut s = self.lock();
        if !s.target_belongs(comment.org, comment.customer, comment.target) {
            return Err(StoreError::NotFound(Entity::Document));
        }
        if let portal_core::domain::CommentAuthor::Contact(id) = comment.author
            && !s
                .contacts
                .get(&id)
                .is_some_and(|c| c.org == comment.org && c.customer == comment.customer)
        {
            return Err(StoreError::NotFound(Entity::Contact));
        }
        for e in emails {
            s.check_email_id(e)?;
        }
        if let Some(n) = notice {
            s.check_notice(n)?;
            s.put_notice(n);
        }
        for e in emails {
            s.put_email(e.clone());
        }
        s.money
            .comments
            .entry(comment.target)
            .or_default()
            .push(comment.clone());
        Ok(())
    }

    async fn comments(
        &self,
        org: OrgId,
        customer: CustomerId,
        target: CommentTarget,
        portal_only: bool,
    ) -> StoreResult<Vec<Comment>> {
        let s = self.lock();
        if !s.target_belongs(org, customer, target) {
            return Err(StoreError::NotFound(Entity::Document));
        }
        let mut out: Vec<Comment> = s
            .money
            .comments
            .get(&target)
            .into_iter()
            .flatten()
            .filter(|c| !portal_only || c.show_in_portal)
            .cloned()
            .collect();
        out.sort_by_key(|c| (c.created_at, c.id));
        Ok(out)
    }
}
