//! The email outbox and forwarded documents in `MemoryStore`.

use crate::MemoryStore;
use async_trait::async_trait;
use portal_core::domain::{ContactPerson, EmailId, EmailStatus, OrgId, OutboxEmail};
use portal_core::store::{Entity, Rule};
use portal_core::store::{OutboxStore, StoreError, StoreResult};
use time::OffsetDateTime;

#[async_trait]
impl OutboxStore for MemoryStore {
    async fn forward_document(
        &self,
        new_contact: Option<&ContactPerson>,
        email: &OutboxEmail,
    ) -> StoreResult<()> {
        let mut s = self.lock();
        s.check_email_id(email)?;
        if let Some(contact) = new_contact {
            s.customers
                .get(&contact.customer)
                .filter(|c| c.org == contact.org && !c.is_deleted())
                .ok_or(StoreError::NotFound(Entity::Customer))?;
            if s.contacts.contains_key(&contact.id) {
                return Err(StoreError::Conflict(Rule::Exists(Entity::Contact)));
            }
            if s.email_taken(contact.org, contact.email.as_ref(), contact.id) {
                return Err(StoreError::Conflict(Rule::ContactEmail));
            }
            s.put_contact(contact.clone());
        }
        s.put_email(email.clone());
        Ok(())
    }

    async fn enqueue_email(&self, email: &OutboxEmail) -> StoreResult<()> {
        let mut s = self.lock();
        s.check_email_id(email)?;
        s.put_email(email.clone());
        Ok(())
    }

    async fn claim_due_emails(
        &self,
        now: OffsetDateTime,
        lease_until: OffsetDateTime,
        limit: u32,
    ) -> StoreResult<Vec<OutboxEmail>> {
        let mut s = self.lock();
        let ids: Vec<EmailId> = s
            .due
            .iter()
            .take_while(|(at, _)| *at <= now)
            .take(usize::try_from(limit).unwrap_or(usize::MAX))
            .map(|(_, id)| *id)
            .collect();
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            if let Some(mut email) = s.outbox.get(&id).cloned() {
                email.next_attempt_at = lease_until;
                s.put_email(email.clone());
                out.push(email);
            }
        }
        out.sort_by_key(|e| (e.created_at, e.id));
        Ok(out)
    }

    async fn mark_email_sent(
        &self,
        org: OrgId,
        id: EmailId,
        at: OffsetDateTime,
    ) -> StoreResult<()> {
        let mut s = self.lock();
        let mut email = s
            .outbox
            .get(&id)
            .filter(|e| e.org == org)
            .cloned()
            .ok_or(StoreError::NotFound(Entity::OutboxEmail))?;
        email.status = EmailStatus::Sent;
        email.attempts += 1;
        email.sent_at = Some(at);
        email.body = String::new();
        email.last_error = None;
        s.put_email(email);
        Ok(())
    }

    async fn mark_email_failed(
        &self,
        org: OrgId,
        id: EmailId,
        error: &str,
        next_attempt_at: OffsetDateTime,
        retry: bool,
    ) -> StoreResult<()> {
        let mut s = self.lock();
        let mut email = s
            .outbox
            .get(&id)
            .filter(|e| e.org == org)
            .cloned()
            .ok_or(StoreError::NotFound(Entity::OutboxEmail))?;
        email.attempts += 1;
        email.last_error = Some(error.to_owned());
        email.next_attempt_at = next_attempt_at;
        if !retry {
            email.status = EmailStatus::Rejected;
            email.body = String::new();
        }
        s.put_email(email);
        Ok(())
    }

    async fn outbox_email(&self, org: OrgId, id: EmailId) -> StoreResult<OutboxEmail> {
        self.lock()
            .outbox
            .get(&id)
            .filter(|e| e.org == org)
            .cloned()
            .ok_or(StoreError::NotFound(Entity::OutboxEmail))
    }

    async fn rejected_emails(&self, org: OrgId, limit: u32) -> StoreResult<Vec<OutboxEmail>> {
        let s = self.lock();
        Ok(s.rejected_by_org
            .get(&org)
            .map(|set| {
                set.iter()
                    .rev()
                    .take(usize::try_from(limit).unwrap_or(usize::MAX))
                    .filter_map(|(_, id)| s.outbox.get(id))
                    .cloned()
                    .collect()
            })
            .unwrap_or_default())
    }

    async fn pending_emails(&self, org: OrgId, limit: u32) -> StoreResult<Vec<OutboxEmail>> {
        let s = self.lock();
        Ok(s.pending_by_org
            .get(&org)
            .map(|set| {
                set.iter()
                    .take(usize::try_from(limit).unwrap_or(usize::MAX))
                    .filter_map(|(_, id)| s.outbox.get(id))
                    .cloned()
                    .collect()
            })
            .unwrap_or_default())
    }
}
