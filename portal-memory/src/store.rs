//! `MemoryStore`: every store trait over indexed in-memory maps behind one lock.
//! Each operation checks everything first and only then writes, under the lock,
//! so it is atomic like a database transaction.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::{Mutex, MutexGuard, PoisonError};

use async_trait::async_trait;
use portal_core::{
    AccessStore, AccessToken, Activity, ActivityId, ContactId, ContactPerson, ContactStore,
    Customer, CustomerId, CustomerStore, Email, EmailId, EmailStatus, InvitationBatch, Notice,
    OrgId, OrgStore, Organization, OutboxEmail, OutboxStore, PasswordChange, PortalSlug,
    PortalStatus, SessionId, SessionRecord, SessionStore, StoreError, StoreResult, TokenHash,
    TokenPurpose, TokenRedemption,
};
use portal_core::{Entity, Rule};
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
    pub(crate) contacts: HashMap<ContactId, ContactPerson>,
    pub(crate) contacts_by_customer: HashMap<CustomerId, BTreeSet<ContactId>>,
    pub(crate) contact_by_email: HashMap<(OrgId, Email), ContactId>,
    pub(crate) portal_users: HashMap<OrgId, u64>,
    pub(crate) tokens: HashMap<TokenHash, AccessToken>,
    pub(crate) tokens_by_contact: HashMap<ContactId, HashSet<TokenHash>>,
    pub(crate) sessions: HashMap<TokenHash, SessionRecord>,
    pub(crate) session_hash: HashMap<SessionId, TokenHash>,
    pub(crate) sessions_by_contact: HashMap<ContactId, HashSet<SessionId>>,
    pub(crate) failures: HashMap<(OrgId, Email), Vec<OffsetDateTime>>,
    pub(crate) outbox: HashMap<EmailId, OutboxEmail>,
    pub(crate) due: BTreeSet<(OffsetDateTime, EmailId)>,
    pub(crate) pending_by_org: HashMap<OrgId, BTreeSet<(OffsetDateTime, EmailId)>>,
    pub(crate) money: crate::money::MoneyState,
    pub(crate) projects: crate::projects::ProjectState,
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

fn counts(c: &ContactPerson) -> bool {
    !c.is_deleted() && c.portal_status.counts_as_portal_user()
}

impl State {
    fn contact_in(&self, org: OrgId, id: ContactId) -> StoreResult<&ContactPerson> {
        self.contacts
            .get(&id)
            .filter(|c| c.org == org)
            .ok_or(StoreError::NotFound(Entity::Contact))
    }

    fn live_contact_at(
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

    fn email_taken(&self, org: OrgId, email: Option<&Email>, except: ContactId) -> bool {
        email.is_some_and(|e| {
            self.contact_by_email
                .get(&(org, e.clone()))
                .is_some_and(|id| *id != except)
        })
    }

    /// Writes a contact and keeps every index in step.
    fn put_contact(&mut self, contact: ContactPerson) {
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

    fn void_tokens(&mut self, contact: ContactId, purpose: Option<TokenPurpose>) {
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

    fn end_sessions(&mut self, contact: ContactId, keep: Option<SessionId>) {
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

    fn insert_session(&mut self, session: &SessionRecord) -> StoreResult<()> {
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

    fn insert_token(&mut self, token: &AccessToken) -> StoreResult<()> {
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
        }
        if email.status == EmailStatus::Pending {
            self.due.insert((email.next_attempt_at, email.id));
            self.pending_by_org
                .entry(email.org)
                .or_default()
                .insert((email.created_at, email.id));
        }
        self.outbox.insert(email.id, email);
    }

    fn delete_contact_now(&mut self, id: ContactId, at: OffsetDateTime) {
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

#[async_trait]
impl OrgStore for MemoryStore {
    async fn create_org(&self, org: &Organization) -> StoreResult<()> {
        let mut s = self.lock();
        if s.org_by_slug.contains_key(&org.slug) {
            return Err(StoreError::Conflict(Rule::PortalSlug));
        }
        if s.orgs.contains_key(&org.id) {
            return Err(StoreError::Conflict(Rule::Exists(Entity::Organization)));
        }
        s.org_by_slug.insert(org.slug.clone(), org.id);
        s.orgs.insert(org.id, org.clone());
        Ok(())
    }

    async fn org(&self, id: OrgId) -> StoreResult<Organization> {
        self.lock()
            .orgs
            .get(&id)
            .cloned()
            .ok_or(StoreError::NotFound(Entity::Organization))
    }

    async fn org_by_slug(&self, slug: &PortalSlug) -> StoreResult<Organization> {
        let s = self.lock();
        s.org_by_slug
            .get(slug)
            .and_then(|id| s.orgs.get(id))
            .cloned()
            .ok_or(StoreError::NotFound(Entity::Organization))
    }

    async fn update_org(&self, org: &Organization) -> StoreResult<Organization> {
        let mut s = self.lock();
        let stored = s
            .orgs
            .get(&org.id)
            .ok_or(StoreError::NotFound(Entity::Organization))?;
        if stored.version != org.version {
            return Err(StoreError::ConcurrentModification(Entity::Organization));
        }
        let old_slug = stored.slug.clone();
        if old_slug != org.slug && s.org_by_slug.contains_key(&org.slug) {
            return Err(StoreError::Conflict(Rule::PortalSlug));
        }
        let mut saved = org.clone();
        saved.version += 1;
        s.org_by_slug.remove(&old_slug);
        s.org_by_slug.insert(saved.slug.clone(), saved.id);
        s.orgs.insert(saved.id, saved.clone());
        Ok(saved)
    }
}

#[async_trait]
impl CustomerStore for MemoryStore {
    async fn create_customer(
        &self,
        customer: &Customer,
        contacts: &[ContactPerson],
    ) -> StoreResult<()> {
        let mut s = self.lock();
        if !s.orgs.contains_key(&customer.org) {
            return Err(StoreError::NotFound(Entity::Organization));
        }
        if s.customers.contains_key(&customer.id) {
            return Err(StoreError::Conflict(Rule::Exists(Entity::Customer)));
        }
        let mut emails = HashSet::new();
        for c in contacts {
            if c.org != customer.org || c.customer != customer.id {
                return Err(StoreError::Conflict(Rule::ContactOfAnotherCustomer));
            }
            if s.contacts.contains_key(&c.id) {
                return Err(StoreError::Conflict(Rule::Exists(Entity::Contact)));
            }
            if let Some(e) = &c.email
                && (!emails.insert(e.clone()) || s.email_taken(c.org, Some(e), c.id))
            {
                return Err(StoreError::Conflict(Rule::ContactEmail));
            }
        }
        s.customers.insert(customer.id, customer.clone());
        for c in contacts {
            s.put_contact(c.clone());
        }
        Ok(())
    }

    async fn customer(&self, org: OrgId, id: CustomerId) -> StoreResult<Customer> {
        self.lock()
            .customers
            .get(&id)
            .filter(|c| c.org == org)
            .cloned()
            .ok_or(StoreError::NotFound(Entity::Customer))
    }

    async fn update_customer(&self, customer: &Customer) -> StoreResult<Customer> {
        let mut s = self.lock();
        let stored = s
            .customers
            .get(&customer.id)
            .filter(|c| c.org == customer.org && !c.is_deleted())
            .ok_or(StoreError::NotFound(Entity::Customer))?;
        if stored.version != customer.version {
            return Err(StoreError::ConcurrentModification(Entity::Customer));
        }
        let mut saved = customer.clone();
        saved.version += 1;
        saved.deleted_at = None;
        s.customers.insert(saved.id, saved.clone());
        Ok(saved)
    }

    async fn delete_customer(
        &self,
        org: OrgId,
        id: CustomerId,
        at: OffsetDateTime,
    ) -> StoreResult<()> {
        let mut s = self.lock();
        let mut customer = s
            .customers
            .get(&id)
            .filter(|c| c.org == org)
            .cloned()
            .ok_or(StoreError::NotFound(Entity::Customer))?;
        if customer.is_deleted() {
            return Ok(());
        }
        customer.deleted_at = Some(at);
        customer.version += 1;
        s.customers.insert(id, customer);
        let contact_ids: Vec<ContactId> = s
            .contacts_by_customer
            .get(&id)
            .map(|set| set.iter().copied().collect())
            .unwrap_or_default();
        for cid in contact_ids {
            s.delete_contact_now(cid, at);
        }
        Ok(())
    }
}

#[async_trait]
impl ContactStore for MemoryStore {
    async fn create_contact(&self, contact: &ContactPerson) -> StoreResult<()> {
        let mut s = self.lock();
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
        Ok(())
    }

    async fn contact(&self, org: OrgId, id: ContactId) -> StoreResult<ContactPerson> {
        self.lock().contact_in(org, id).cloned()
    }

    async fn contacts_of_customer(
        &self,
        org: OrgId,
        customer: CustomerId,
    ) -> StoreResult<Vec<ContactPerson>> {
        let s = self.lock();
        let Some(ids) = s.contacts_by_customer.get(&customer) else {
            return Ok(Vec::new());
        };
        Ok(ids
            .iter()
            .filter_map(|id| s.contacts.get(id))
            .filter(|c| c.org == org && !c.is_deleted())
            .cloned()
            .collect())
    }

    async fn contact_by_email(&self, org: OrgId, email: &Email) -> StoreResult<ContactPerson> {
        let s = self.lock();
        s.contact_by_email
            .get(&(org, email.clone()))
            .and_then(|id| s.contacts.get(id))
            .cloned()
            .ok_or(StoreError::NotFound(Entity::Contact))
    }

    async fn update_contact(&self, contact: &ContactPerson) -> StoreResult<ContactPerson> {
        let mut s = self.lock();
        let stored = s.live_contact_at(contact.org, contact.id, contact.version)?;
        // Access fields change only through the access operations.
        let mut saved = contact.clone();
        saved.customer = stored.customer;
        saved.portal_status = stored.portal_status;
        saved.password_hash = stored.password_hash.clone();
        saved.preferences = stored.preferences.clone();
        saved.created_at = stored.created_at;
        saved.deleted_at = None;
        saved.version += 1;
        if s.email_taken(saved.org, saved.email.as_ref(), saved.id) {
            return Err(StoreError::Conflict(Rule::ContactEmail));
        }
        s.put_contact(saved.clone());
        Ok(saved)
    }

    async fn delete_contact(
        &self,
        org: OrgId,
        id: ContactId,
        at: OffsetDateTime,
    ) -> StoreResult<()> {
        let mut s = self.lock();
        s.contact_in(org, id)?;
        s.delete_contact_now(id, at);
        Ok(())
    }

    async fn count_portal_users(&self, org: OrgId) -> StoreResult<u64> {
        Ok(self.lock().portal_users.get(&org).copied().unwrap_or(0))
    }

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

    async fn update_details(
        &self,
        change: &portal_core::DetailsChange,
    ) -> StoreResult<(Customer, ContactPerson)> {
        let mut s = self.lock();
        let stored_customer = s
            .customers
            .get(&change.customer.id)
            .filter(|c| c.org == change.org && !c.is_deleted())
            .ok_or(StoreError::NotFound(Entity::Customer))?;
        if stored_customer.version != change.customer.version {
            return Err(StoreError::ConcurrentModification(Entity::Customer));
        }
        let stored_contact =
            s.live_contact_at(change.org, change.contact.id, change.contact.version)?;
        if stored_contact.customer != change.customer.id {
            return Err(StoreError::NotFound(Entity::Contact));
        }
        s.check_notice(&change.notice)?;
        let mut customer = stored_customer.clone();
        customer
            .display_name
            .clone_from(&change.customer.display_name);
        customer
            .company_name
            .clone_from(&change.customer.company_name);
        customer.billing_address = change.customer.billing_address.clone();
        customer.shipping_address = change.customer.shipping_address.clone();
        customer.version += 1;
        let mut contact = s
            .contacts
            .get(&change.contact.id)
            .cloned()
            .ok_or(StoreError::NotFound(Entity::Contact))?;
        contact.first_name.clone_from(&change.contact.first_name);
        contact.last_name.clone_from(&change.contact.last_name);
        contact.phone.clone_from(&change.contact.phone);
        contact.version += 1;
        s.customers.insert(customer.id, customer.clone());
        s.put_contact(contact.clone());
        s.put_notice(&change.notice);
        Ok((customer, contact))
    }
}

#[async_trait]
impl AccessStore for MemoryStore {
    async fn issue_invitations(&self, batch: &InvitationBatch) -> StoreResult<Vec<ContactPerson>> {
        let mut s = self.lock();
        let mut added: u64 = 0;
        let mut seen = HashSet::new();
        for inv in &batch.invitations {
            let c = &inv.contact;
            if c.org != batch.org || inv.token.org != batch.org || inv.email.org != batch.org {
                return Err(StoreError::Conflict(Rule::InvitationOfAnotherOrganization));
            }
            if !seen.insert(c.id) {
                return Err(StoreError::Conflict(Rule::ContactInvitedTwice));
            }
            let stored = s.live_contact_at(c.org, c.id, c.version)?;
            if !counts(stored) && c.portal_status.counts_as_portal_user() {
                added += 1;
            }
            if s.tokens.contains_key(&inv.token.hash) {
                return Err(StoreError::Conflict(Rule::Exists(Entity::Token)));
            }
            s.check_email_id(&inv.email)?;
        }
        let current = s.portal_users.get(&batch.org).copied().unwrap_or(0);
        let cap = u64::from(batch.portal_user_cap);
        if current + added > cap {
            return Err(StoreError::LimitReached {
                what: portal_core::Limit::PortalUsers,
                limit: cap,
            });
        }
        let mut out = Vec::with_capacity(batch.invitations.len());
        for inv in &batch.invitations {
            // Only the portal status changes; the rest is as stored (the version
            // check above proved the caller read exactly that).
            let Some(mut saved) = s.contacts.get(&inv.contact.id).cloned() else {
                return Err(StoreError::NotFound(Entity::Contact));
            };
            saved.portal_status = inv.contact.portal_status;
            saved.version += 1;
            s.void_tokens(saved.id, Some(TokenPurpose::Invitation));
            s.insert_token(&inv.token)?;
            s.put_email(inv.email.clone());
            s.put_contact(saved.clone());
            out.push(saved);
        }
        Ok(out)
    }

    async fn issue_password_reset(
        &self,
        token: &AccessToken,
        email: &OutboxEmail,
    ) -> StoreResult<()> {
        let mut s = self.lock();
        let c = s.contact_in(token.org, token.contact)?;
        if c.is_deleted() {
            return Err(StoreError::NotFound(Entity::Contact));
        }
        if s.tokens.contains_key(&token.hash) {
            return Err(StoreError::Conflict(Rule::Exists(Entity::Token)));
        }
        s.check_email_id(email)?;
        s.void_tokens(token.contact, Some(TokenPurpose::PasswordReset));
        s.insert_token(token)?;
        s.put_email(email.clone());
        Ok(())
    }

    async fn access_token(&self, hash: &TokenHash) -> StoreResult<AccessToken> {
        self.lock()
            .tokens
            .get(hash)
            .cloned()
            .ok_or(StoreError::NotFound(Entity::Token))
    }

    async fn redeem_token(&self, r: &TokenRedemption) -> StoreResult<ContactPerson> {
        let mut s = self.lock();
        let usable = s.tokens.get(&r.token_hash).is_some_and(|t| {
            t.org == r.org
                && t.contact == r.contact
                && t.purpose == r.purpose
                && r.now < t.expires_at
        });
        if !usable {
            return Err(StoreError::NotFound(Entity::Token));
        }
        let stored = s.contact_in(r.org, r.contact)?;
        let required = match r.purpose {
            TokenPurpose::Invitation => PortalStatus::Invited,
            TokenPurpose::PasswordReset => PortalStatus::Active,
        };
        if stored.is_deleted() || stored.portal_status != required {
            return Err(StoreError::Conflict(Rule::ContactPortalStatus));
        }
        if let Some(session) = &r.new_session
            && (s.sessions.contains_key(&session.token_hash)
                || s.session_hash.contains_key(&session.id))
        {
            return Err(StoreError::Conflict(Rule::Exists(Entity::Session)));
        }
        let mut saved = stored.clone();
        saved.portal_status = PortalStatus::Active;
        saved.password_hash = Some(r.password_hash.clone());
        if let Some(p) = &r.preferences {
            saved.preferences = Some(p.clone());
        }
        saved.version += 1;
        s.void_tokens(r.contact, Some(r.purpose));
        s.end_sessions(r.contact, None);
        s.put_contact(saved.clone());
        if let Some(session) = &r.new_session {
            s.insert_session(session)?;
        }
        Ok(saved)
    }

    async fn disable_access(
        &self,
        org: OrgId,
        contacts: &[ContactId],
    ) -> StoreResult<Vec<ContactPerson>> {
        let mut s = self.lock();
        let mut out = Vec::new();
        for id in contacts {
            let Some(stored) = s
                .contacts
                .get(id)
                .filter(|c| c.org == org && !c.is_deleted())
            else {
                continue;
            };
            if !stored.portal_status.counts_as_portal_user() {
                continue;
            }
            let mut saved = stored.clone();
            saved.portal_status = PortalStatus::Disabled;
            saved.version += 1;
            s.end_sessions(*id, None);
            s.void_tokens(*id, None);
            s.put_contact(saved.clone());
            out.push(saved);
        }
        Ok(out)
    }

    async fn record_sign_in_failure(
        &self,
        org: OrgId,
        email: &Email,
        at: OffsetDateTime,
        window_start: OffsetDateTime,
    ) -> StoreResult<u32> {
        let mut s = self.lock();
        let list = s.failures.entry((org, email.clone())).or_default();
        list.retain(|t| *t >= window_start);
        list.push(at);
        Ok(u32::try_from(list.len()).unwrap_or(u32::MAX))
    }

    async fn sign_in_failures(
        &self,
        org: OrgId,
        email: &Email,
        since: OffsetDateTime,
    ) -> StoreResult<Vec<OffsetDateTime>> {
        let s = self.lock();
        let mut list: Vec<OffsetDateTime> = s
            .failures
            .get(&(org, email.clone()))
            .map(|l| l.iter().filter(|t| **t >= since).copied().collect())
            .unwrap_or_default();
        list.sort();
        Ok(list)
    }

    async fn clear_sign_in_failures(&self, org: OrgId, email: &Email) -> StoreResult<()> {
        self.lock().failures.remove(&(org, email.clone()));
        Ok(())
    }
}

#[async_trait]
impl SessionStore for MemoryStore {
    async fn create_session(&self, session: &SessionRecord) -> StoreResult<()> {
        let mut s = self.lock();
        s.contact_in(session.org, session.contact)?;
        s.insert_session(session)
    }

    async fn session(&self, token_hash: &TokenHash) -> StoreResult<SessionRecord> {
        self.lock()
            .sessions
            .get(token_hash)
            .cloned()
            .ok_or(StoreError::NotFound(Entity::Session))
    }

    async fn touch_session(&self, id: SessionId, at: OffsetDateTime) -> StoreResult<()> {
        let mut s = self.lock();
        let hash = *s
            .session_hash
            .get(&id)
            .ok_or(StoreError::NotFound(Entity::Session))?;
        if let Some(session) = s.sessions.get_mut(&hash) {
            session.last_seen_at = session.last_seen_at.max(at);
        }
        Ok(())
    }

    async fn end_session(&self, id: SessionId) -> StoreResult<()> {
        let mut s = self.lock();
        if let Some(hash) = s.session_hash.remove(&id)
            && let Some(session) = s.sessions.remove(&hash)
            && let Some(set) = s.sessions_by_contact.get_mut(&session.contact)
        {
            set.remove(&id);
        }
        Ok(())
    }

    async fn change_password(&self, change: &PasswordChange) -> StoreResult<ContactPerson> {
        let mut s = self.lock();
        let stored = s.live_contact_at(change.org, change.contact, change.expected_version)?;
        if stored.portal_status != PortalStatus::Active {
            return Err(StoreError::Conflict(Rule::ContactPortalStatus));
        }
        let mut saved = stored.clone();
        saved.password_hash = Some(change.password_hash.clone());
        saved.version += 1;
        s.end_sessions(change.contact, change.keep_session);
        s.put_contact(saved.clone());
        Ok(saved)
    }
}

#[async_trait]
impl OutboxStore for MemoryStore {
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

    async fn mark_email_sent(&self, id: EmailId, at: OffsetDateTime) -> StoreResult<()> {
        let mut s = self.lock();
        let mut email = s
            .outbox
            .get(&id)
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
        id: EmailId,
        error: &str,
        next_attempt_at: OffsetDateTime,
        retry: bool,
    ) -> StoreResult<()> {
        let mut s = self.lock();
        let mut email = s
            .outbox
            .get(&id)
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
