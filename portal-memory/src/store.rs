//! `MemoryStore`: every store trait over indexed in-memory maps behind one lock.
//! Each operation checks everything first and only then writes, under the lock,
//! so it is atomic like a database transaction.

use crate::documents::Documents;
use portal_core::domain::ApprovalId;
use portal_core::domain::AttemptId;
use portal_core::domain::CreditApplication;
use portal_core::domain::CreditNote;
use portal_core::domain::CreditNoteId;
use portal_core::domain::Cursor;
use portal_core::domain::Direction;
use portal_core::domain::FileId;
use portal_core::domain::Invoice;
use portal_core::domain::Page;
use portal_core::domain::PageRequest;
use portal_core::domain::Payment;
use portal_core::domain::PaymentAttempt;
use portal_core::domain::PaymentId;
use portal_core::domain::Project;
use portal_core::domain::ProjectId;
use portal_core::domain::SharedFile;
use portal_core::domain::Task;
use portal_core::domain::TaskId;
use portal_core::domain::TimeEntry;
use portal_core::domain::TimeEntryId;
use portal_core::domain::TimesheetApproval;
use portal_core::domain::{Quote, SalesOrder};
use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::{Mutex, MutexGuard, PoisonError};

use portal_core::auth::{AccessToken, SessionRecord, TokenPurpose};
use portal_core::domain::TokenHash;
use portal_core::domain::{
    Activity, ActivityId, ContactId, ContactPerson, Customer, CustomerId, Email, EmailId,
    EmailStatus, Notice, OrgId, Organization, OutboxEmail, PortalSlug, SessionId,
};
use portal_core::store::{Entity, Rule};
use portal_core::store::{StoreError, StoreResult};
use time::OffsetDateTime;

/// An in-memory [`portal_core::Store`].
#[derive(Debug, Default)]
pub struct MemoryStore {
    state: Mutex<State>,
}

#[derive(Debug, Default)]
pub(crate) struct State {
    pub(crate) orgs: HashMap<OrgId, Organization>,
    pub(crate) org_by_slug: HashMap<PortalSlug, OrgId>,
    pub(crate) customers: HashMap<CustomerId, Customer>,
    pub(crate) customers_by_org: HashMap<OrgId, BTreeSet<CustomerId>>,
    pub(crate) links: HashMap<portal_core::domain::LinkId, portal_core::domain::DocumentLink>,
    pub(crate) link_by_hash: HashMap<TokenHash, portal_core::domain::LinkId>,
    pub(crate) links_by_customer: HashMap<CustomerId, BTreeSet<portal_core::domain::LinkId>>,
    pub(crate) contacts: HashMap<ContactId, ContactPerson>,
    pub(crate) contacts_by_customer: HashMap<CustomerId, BTreeSet<ContactId>>,
    pub(crate) contact_by_email: HashMap<(OrgId, Email), ContactId>,
    pub(crate) portal_users: HashMap<OrgId, u64>,
    pub(crate) tokens: HashMap<TokenHash, AccessToken>,
    pub(crate) tokens_by_contact: HashMap<ContactId, HashSet<TokenHash>>,
    pub(crate) sessions: HashMap<TokenHash, SessionRecord>,
    pub(crate) session_hash: HashMap<SessionId, TokenHash>,
    pub(crate) sessions_by_contact: HashMap<ContactId, HashSet<SessionId>>,
    pub(crate) failures: HashMap<(OrgId, Email), Vec<portal_core::store::SignInFailure>>,
    pub(crate) outbox: HashMap<EmailId, OutboxEmail>,
    pub(crate) due: BTreeSet<(OffsetDateTime, EmailId)>,
    pub(crate) pending_by_org: HashMap<OrgId, BTreeSet<(OffsetDateTime, EmailId)>>,
    /// Rejected emails per organization, by the time of their refusal.
    pub(crate) rejected_by_org: HashMap<OrgId, BTreeSet<(OffsetDateTime, EmailId)>>,
    pub(crate) invoices: Documents<Invoice>,
    pub(crate) quotes: Documents<Quote>,
    pub(crate) sales_orders: Documents<SalesOrder>,
    pub(crate) money: MoneyState,
    pub(crate) projects: ProjectState,
    pub(crate) activity: HashMap<CustomerId, std::collections::BTreeMap<ActivityId, Activity>>,
}

impl MemoryStore {
    /// An empty store.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    pub(crate) fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

pub(crate) fn counts(c: &ContactPerson) -> bool {
    !c.is_deleted() && c.portal_status.counts_as_portal_user()
}

impl State {
    pub(crate) fn contact_in(&self, org: OrgId, id: ContactId) -> StoreResult<&ContactPerson> {
        self.contacts
            .get(&id)
            .filter(|c| c.org == org)
            .ok_or(StoreError::NotFound(Entity::Contact))
    }

    pub(crate) fn live_contact_at(
        &self,
        org: OrgId,
        id: ContactId,
        version: i64,
    ) -> StoreResult<&ContactPerson> {
        let stored = self.contact_in(org, id)?;
        if stored.is_deleted() {
            return Err(StoreError::NotFound(Entity::Contact));
        }
        if stored.version != version {
            return Err(StoreError::ConcurrentModification(Entity::Contact));
        }
        Ok(stored)
    }

    pub(crate) fn email_taken(&self, org: OrgId, email: Option<&Email>, except: ContactId) -> bool {
        email.is_some_and(|e| {
            self.contact_by_email
                .get(&(org, e.clone()))
                .is_some_and(|id| *id != except)
        })
    }

    /// Writes a contact and keeps every index in step.
    pub(crate) fn put_contact(&mut self, contact: ContactPerson) {
        if let Some(old) = self.contacts.get(&contact.id) {
            if let Some(email) = old.email.clone().filter(|_| !old.is_deleted()) {
                self.contact_by_email.remove(&(old.org, email));
            }
            if counts(old) {
                *self.portal_users.entry(old.org).or_default() -= 1;
            }
        }
        if let Some(email) = contact.email.clone().filter(|_| !contact.is_deleted()) {
            self.contact_by_email
                .insert((contact.org, email), contact.id);
        }
        if counts(&contact) {
            *self.portal_users.entry(contact.org).or_default() += 1;
        }
        self.contacts_by_customer
            .entry(contact.customer)
            .or_default()
            .insert(contact.id);
        self.contacts.insert(contact.id, contact);
    }

    pub(crate) fn void_tokens(&mut self, contact: ContactId, purpose: Option<TokenPurpose>) {
        let Some(hashes) = self.tokens_by_contact.get_mut(&contact) else {
            return;
        };
        let doomed: Vec<TokenHash> = hashes
            .iter()
            .filter(|h| {
                self.tokens
                    .get(h)
                    .is_some_and(|t| purpose.is_none_or(|p| t.purpose == p))
            })
            .copied()
            .collect();
        for h in doomed {
            hashes.remove(&h);
            self.tokens.remove(&h);
        }
    }

    pub(crate) fn end_sessions(&mut self, contact: ContactId, keep: Option<SessionId>) {
        let Some(ids) = self.sessions_by_contact.get_mut(&contact) else {
            return;
        };
        let doomed: Vec<SessionId> = ids
            .iter()
            .filter(|id| Some(**id) != keep)
            .copied()
            .collect();
        for id in doomed {
            ids.remove(&id);
            if let Some(hash) = self.session_hash.remove(&id) {
                self.sessions.remove(&hash);
            }
        }
    }

    pub(crate) fn insert_session(&mut self, session: &SessionRecord) -> StoreResult<()> {
        if self.sessions.contains_key(&session.token_hash)
            || self.session_hash.contains_key(&session.id)
        {
            return Err(StoreError::Conflict(Rule::Exists(Entity::Session)));
        }
        self.sessions.insert(session.token_hash, session.clone());
        self.session_hash.insert(session.id, session.token_hash);
        self.sessions_by_contact
            .entry(session.contact)
            .or_default()
            .insert(session.id);
        Ok(())
    }

    pub(crate) fn insert_token(&mut self, token: &AccessToken) -> StoreResult<()> {
        if self.tokens.contains_key(&token.hash) {
            return Err(StoreError::Conflict(Rule::Exists(Entity::Token)));
        }
        self.tokens.insert(token.hash, token.clone());
        self.tokens_by_contact
            .entry(token.contact)
            .or_default()
            .insert(token.hash);
        Ok(())
    }

    pub(crate) fn check_email_id(&self, email: &OutboxEmail) -> StoreResult<()> {
        if self.outbox.contains_key(&email.id) {
            return Err(StoreError::Conflict(Rule::Exists(Entity::OutboxEmail)));
        }
        Ok(())
    }

    /// Checks that `notice` can be recorded (its email id is fresh).
    pub(crate) fn check_notice(&self, notice: &Notice) -> StoreResult<()> {
        if let Some(email) = &notice.email {
            self.check_email_id(email)?;
        }
        if self
            .activity
            .get(&notice.activity.customer)
            .is_some_and(|m| m.contains_key(&notice.activity.id))
        {
            return Err(StoreError::Conflict(Rule::Exists(Entity::Activity)));
        }
        Ok(())
    }

    /// Records `notice`: its activity row and its email.
    pub(crate) fn put_notice(&mut self, notice: &Notice) {
        if let Some(email) = &notice.email {
            self.put_email(email.clone());
        }
        self.activity
            .entry(notice.activity.customer)
            .or_default()
            .insert(notice.activity.id, notice.activity.clone());
    }

    pub(crate) fn put_email(&mut self, email: OutboxEmail) {
        if let Some(old) = self.outbox.get(&email.id) {
            self.due.remove(&(old.next_attempt_at, old.id));
            if let Some(set) = self.pending_by_org.get_mut(&old.org) {
                set.remove(&(old.created_at, old.id));
            }
            if let Some(set) = self.rejected_by_org.get_mut(&old.org) {
                set.remove(&(old.next_attempt_at, old.id));
            }
        }
        match email.status {
            EmailStatus::Pending => {
                self.due.insert((email.next_attempt_at, email.id));
                self.pending_by_org
                    .entry(email.org)
                    .or_default()
                    .insert((email.created_at, email.id));
            }
            EmailStatus::Rejected => {
                self.rejected_by_org
                    .entry(email.org)
                    .or_default()
                    .insert((email.next_attempt_at, email.id));
            }
            EmailStatus::Sent => {}
        }
        self.outbox.insert(email.id, email);
    }

    pub(crate) fn delete_contact_now(&mut self, id: ContactId, at: OffsetDateTime) {
        if let Some(mut c) = self.contacts.get(&id).cloned() {
            if c.is_deleted() {
                return;
            }
            c.deleted_at = Some(at);
            c.version += 1;
            self.put_contact(c);
            self.end_sessions(id, None);
            self.void_tokens(id, None);
        }
    }
}

#[derive(Debug, Default)]
pub(crate) struct MoneyState {
    pub(crate) payments: HashMap<PaymentId, Payment>,
    pub(crate) payments_by_customer: HashMap<CustomerId, BTreeSet<PaymentId>>,
    pub(crate) attempts: HashMap<AttemptId, PaymentAttempt>,
    pub(crate) attempt_by_key: HashMap<(OrgId, String), AttemptId>,
    pub(crate) pending_attempts: BTreeSet<(OffsetDateTime, AttemptId)>,
    /// Each customer's pending attempts.
    pub(crate) pending_by_customer: HashMap<CustomerId, BTreeSet<AttemptId>>,
    /// What each pending attempt holds on each invoice (also summed on each
    /// invoice's `reserved`).
    pub(crate) holds: HashMap<AttemptId, Vec<portal_core::domain::Allocation>>,
    pub(crate) credit_notes: HashMap<CreditNoteId, CreditNote>,
    pub(crate) credit_notes_by_customer: HashMap<CustomerId, BTreeSet<CreditNoteId>>,
    pub(crate) comments:
        HashMap<portal_core::domain::CommentTarget, Vec<portal_core::domain::Comment>>,
    pub(crate) methods:
        HashMap<portal_core::domain::SavedMethodId, portal_core::domain::SavedPaymentMethod>,
    pub(crate) refunds_by_customer: HashMap<CustomerId, Vec<portal_core::domain::Refund>>,
    pub(crate) applications_by_customer: HashMap<CustomerId, Vec<CreditApplication>>,
    pub(crate) reviews_by_customer: HashMap<CustomerId, Vec<portal_core::domain::Review>>,
    pub(crate) methods_by_customer:
        HashMap<CustomerId, BTreeSet<portal_core::domain::SavedMethodId>>,
}

impl MoneyState {
    /// The customer's payments in `org`, in id order.
    pub(crate) fn customer_payments(
        &self,
        org: OrgId,
        customer: CustomerId,
    ) -> impl Iterator<Item = &Payment> {
        self.payments_by_customer
            .get(&customer)
            .into_iter()
            .flatten()
            .filter_map(|id| self.payments.get(id))
            .filter(move |p| p.org == org)
    }
}

/// One keyset page over a customer's rows: `key` gives each row's (sort key, id),
/// `after` says whether it comes after the cursor.
pub(crate) fn keyset_page<'a, T: Clone + 'a>(
    rows: impl Iterator<Item = &'a T>,
    key: impl Fn(&T) -> (i64, uuid::Uuid),
    after: impl Fn(i64, uuid::Uuid) -> bool,
    direction: Direction,
    limit: u32,
) -> Page<T> {
    let mut keyed: Vec<((i64, uuid::Uuid), &T)> = rows
        .map(|r| (key(r), r))
        .filter(|((k, id), _)| after(*k, *id))
        .collect();
    keyed.sort_by_key(|(k, _)| *k);
    if direction == Direction::Desc {
        keyed.reverse();
    }
    let fetch = usize::try_from(limit)
        .unwrap_or(usize::MAX)
        .saturating_add(1);
    keyed.truncate(fetch);
    let items: Vec<T> = keyed.into_iter().map(|(_, r)| r.clone()).collect();
    Page::from_overfetch(items, limit, |r| {
        let (k, id) = key(r);
        Cursor { key: k, id }
    })
}

pub(crate) fn micros(t: OffsetDateTime) -> i64 {
    i64::try_from(t.unix_timestamp_nanos() / 1_000).unwrap_or(i64::MAX)
}

pub(crate) fn money_err(e: portal_core::domain::MoneyError) -> StoreError {
    StoreError::Backend(Box::new(e))
}

impl State {
    pub(crate) fn live_customer(
        &self,
        org: OrgId,
        customer: CustomerId,
    ) -> StoreResult<&portal_core::domain::Customer> {
        self.customers
            .get(&customer)
            .filter(|c| c.org == org && !c.is_deleted())
            .ok_or(StoreError::NotFound(Entity::Customer))
    }
}

#[derive(Debug, Default)]
pub(crate) struct ProjectState {
    pub(crate) projects: HashMap<ProjectId, Project>,
    pub(crate) by_customer: HashMap<CustomerId, BTreeSet<ProjectId>>,
    pub(crate) tasks: HashMap<TaskId, Task>,
    pub(crate) tasks_by_project: HashMap<ProjectId, BTreeSet<TaskId>>,
    pub(crate) entries: HashMap<TimeEntryId, TimeEntry>,
    pub(crate) entries_by_project: HashMap<ProjectId, BTreeSet<TimeEntryId>>,
    pub(crate) approvals: HashMap<ApprovalId, TimesheetApproval>,
    pub(crate) approvals_by_customer: HashMap<CustomerId, BTreeSet<ApprovalId>>,
    pub(crate) files: HashMap<FileId, SharedFile>,
    pub(crate) files_by_customer: HashMap<CustomerId, BTreeSet<FileId>>,
    pub(crate) blobs: HashMap<(OrgId, FileId), Vec<u8>>,
}

/// A page of rows in the fixed newest-first order of `req`.
pub(crate) fn newest_first<'a, T: Clone + 'a>(
    rows: impl Iterator<Item = &'a T>,
    key: impl Fn(&T) -> (i64, uuid::Uuid),
    req: &PageRequest,
) -> Page<T> {
    keyset_page(
        rows,
        key,
        |k, id| req.includes(k, id),
        Direction::Desc,
        req.limit,
    )
}
