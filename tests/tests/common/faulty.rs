//! A store that fails on purpose: wraps any backend and fails its k-th call, either
//! before the call (nothing happened) or after it (it happened, but the caller sees
//! an error, as when a connection drops after the commit). Used to prove that a
//! fault in the middle of a scenario loses nothing and that a retry succeeds.

#![allow(dead_code, unreachable_pub)]

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use async_trait::async_trait;
use portal_core::auth::*;
use portal_core::domain::*;
use portal_core::store::*;
use portal_core::{Date, OffsetDateTime};

/// Where the k-th call fails.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// The call is not made and answers `Unavailable`.
    Before,
    /// The call is made; its answer is replaced by `Unavailable`.
    After,
}

/// Wraps a store; counts its calls; fails the one numbered `fail_at` (1-based).
#[derive(Debug)]
pub struct FaultyStore {
    inner: Arc<dyn Store>,
    files: Arc<dyn FileStore>,
    calls: AtomicU64,
    fail_at: AtomicU64,
    fault: Fault,
    /// The names of the calls, in order, for reports.
    log: std::sync::Mutex<Vec<&'static str>>,
}

impl FaultyStore {
    /// A wrapper that fails nothing until [`Self::fail_call`].
    pub fn new(inner: Arc<dyn Store>, files: Arc<dyn FileStore>, fault: Fault) -> Self {
        Self {
            inner,
            files,
            calls: AtomicU64::new(0),
            fail_at: AtomicU64::new(0),
            fault,
            log: std::sync::Mutex::new(Vec::new()),
        }
    }

    /// Fails the `k`-th call from now on (1-based); 0 fails nothing.
    pub fn fail_call(&self, k: u64) {
        self.calls.store(0, Ordering::SeqCst);
        self.log.lock().expect("log").clear();
        self.fail_at.store(k, Ordering::SeqCst);
    }

    /// Fails nothing any more.
    pub fn heal(&self) {
        self.fail_at.store(0, Ordering::SeqCst);
    }

    /// Calls counted since the last [`Self::fail_call`].
    pub fn calls(&self) -> u64 {
        self.calls.load(Ordering::SeqCst)
    }

    /// The name of the call that failed, if one did.
    pub fn failed_call(&self) -> Option<&'static str> {
        let k = usize::try_from(self.fail_at.load(Ordering::SeqCst)).ok()?;
        self.log
            .lock()
            .expect("log")
            .get(k.checked_sub(1)?)
            .copied()
    }

    fn is_the_one(&self, name: &'static str) -> bool {
        self.log.lock().expect("log").push(name);
        let n = self.calls.fetch_add(1, Ordering::SeqCst) + 1;
        n == self.fail_at.load(Ordering::SeqCst)
    }

    fn injected(name: &'static str) -> StoreError {
        StoreError::Unavailable(format!("fault injected at {name}").into())
    }
}

impl FaultyStore {
    /// Runs `call` unless it is the one to fail before; fails it after if it is
    /// the one to fail after.
    async fn around<T>(
        &self,
        name: &'static str,
        call: impl std::future::Future<Output = StoreResult<T>>,
    ) -> StoreResult<T> {
        let fail = self.is_the_one(name);
        if fail && self.fault == Fault::Before {
            return Err(Self::injected(name));
        }
        let out = call.await;
        if fail {
            return Err(Self::injected(name));
        }
        out
    }
}

/// Every kind of customer document, through the wrapped store's table of it.
#[async_trait]
impl<D: StoredDocument> DocumentStore<D> for FaultyStore {
    async fn create(&self, doc: &D) -> StoreResult<()> {
        self.around("create_document", D::table(&*self.inner).create(doc))
            .await
    }
    async fn get(&self, org: OrgId, id: D::Id) -> StoreResult<D> {
        self.around("document", D::table(&*self.inner).get(org, id))
            .await
    }
    async fn update(&self, doc: &D) -> StoreResult<D> {
        self.around("update_document", D::table(&*self.inner).update(doc))
            .await
    }
    async fn of_customer(&self, org: OrgId, customer: CustomerId, id: D::Id) -> StoreResult<D> {
        let call = D::table(&*self.inner).of_customer(org, customer, id);
        self.around("customer_document", call).await
    }
    async fn customer_page(
        &self,
        org: OrgId,
        customer: CustomerId,
        query: &D::Query,
    ) -> StoreResult<Page<D>> {
        let call = D::table(&*self.inner).customer_page(org, customer, query);
        self.around("customer_documents", call).await
    }
    async fn mark_viewed(
        &self,
        org: OrgId,
        customer: CustomerId,
        id: D::Id,
        at: OffsetDateTime,
        notice: &Notice,
    ) -> StoreResult<(D, bool)> {
        let call = D::table(&*self.inner).mark_viewed(org, customer, id, at, notice);
        self.around("mark_document_viewed", call).await
    }
}

macro_rules! faulty {
    ($trait:ident { $(fn $name:ident($($arg:ident : $ty:ty),* $(,)?) -> $ret:ty;)* }) => {
        faulty!($trait, inner { $(fn $name($($arg: $ty),*) -> $ret;)* });
    };
    ($trait:ident, $inner:ident { $(fn $name:ident($($arg:ident : $ty:ty),* $(,)?) -> $ret:ty;)* }) => {
        #[async_trait]
        impl $trait for FaultyStore {
            $(
                async fn $name(&self, $($arg: $ty),*) -> $ret {
                    let fail = self.is_the_one(stringify!($name));
                    if fail && self.fault == Fault::Before {
                        return Err(Self::injected(stringify!($name)));
                    }
                    let out = self.$inner.$name($($arg),*).await;
                    if fail {
                        return Err(Self::injected(stringify!($name)));
                    }
                    out
                }
            )*
        }
    };
}

faulty!(OrgStore {
        fn create_org(org: &Organization) -> StoreResult<()>;
        fn org(id: OrgId) -> StoreResult<Organization>;
        fn org_by_slug(slug: &PortalSlug) -> StoreResult<Organization>;
        fn update_org(org: &Organization) -> StoreResult<Organization>;
});

faulty!(CustomerStore {
        fn create_customer(customer: &Customer, contacts: &[ContactPerson]) -> StoreResult<()>;
        fn customer(org: OrgId, id: CustomerId) -> StoreResult<Customer>;
        fn org_customers(org: OrgId, page: &PageRequest) -> StoreResult<Page<Customer>>;
        fn update_customer(customer: &Customer) -> StoreResult<Customer>;
        fn delete_customer(org: OrgId, id: CustomerId, at: OffsetDateTime) -> StoreResult<()>;
});

faulty!(ContactStore {
        fn create_contact(contact: &ContactPerson) -> StoreResult<()>;
        fn contact(org: OrgId, id: ContactId) -> StoreResult<ContactPerson>;
        fn contacts_of_customer(org: OrgId, customer: CustomerId) -> StoreResult<Vec<ContactPerson>>;
        fn contact_by_email(org: OrgId, email: &Email) -> StoreResult<ContactPerson>;
        fn update_contact(contact: &ContactPerson) -> StoreResult<ContactPerson>;
        fn delete_contact(org: OrgId, id: ContactId, at: OffsetDateTime) -> StoreResult<()>;
        fn count_portal_users(org: OrgId) -> StoreResult<u64>;
        fn update_details(change: &DetailsChange) -> StoreResult<(Customer, ContactPerson)>;
});

faulty!(AccessStore {
        fn issue_invitations(batch: &InvitationBatch) -> StoreResult<Vec<ContactPerson>>;
        fn issue_password_reset(token: &AccessToken, email: &OutboxEmail) -> StoreResult<()>;
        fn access_token(key: &TokenKey) -> StoreResult<AccessToken>;
        fn redeem_token(redemption: &TokenRedemption) -> StoreResult<ContactPerson>;
        fn disable_access(org: OrgId, contacts: &[ContactId]) -> StoreResult<Vec<ContactPerson>>;
        fn record_sign_in_failure(org: OrgId, email: &Email, failure: SignInFailure, window_start: OffsetDateTime) -> StoreResult<u32>;
        fn sign_in_failures(org: OrgId, email: &Email, since: OffsetDateTime) -> StoreResult<Vec<SignInFailure>>;
        fn sign_in_subject(slug: &PortalSlug, email: &Email, since: OffsetDateTime) -> StoreResult<SignInSubject>;
        fn clear_sign_in_failures(org: OrgId, email: &Email) -> StoreResult<()>;
});

faulty!(SessionStore {
        fn create_session(session: &SessionRecord) -> StoreResult<()>;
        fn session(key: &TokenKey) -> StoreResult<SessionRecord>;
        fn session_context(key: &TokenKey) -> StoreResult<SessionContext>;
        fn touch_session(org: OrgId, id: SessionId, at: OffsetDateTime) -> StoreResult<()>;
        fn end_session(org: OrgId, id: SessionId) -> StoreResult<()>;
        fn change_password(change: &PasswordChange) -> StoreResult<ContactPerson>;
});

faulty!(OutboxStore {
        fn enqueue_email(email: &OutboxEmail) -> StoreResult<()>;
        fn claim_due_emails(now: OffsetDateTime, lease_until: OffsetDateTime, limit: u32) -> StoreResult<Vec<OutboxEmail>>;
        fn mark_email_sent(org: OrgId, id: EmailId, at: OffsetDateTime) -> StoreResult<()>;
        fn mark_email_failed(org: OrgId, id: EmailId, error: &str, next_attempt_at: OffsetDateTime, retry: bool) -> StoreResult<()>;
        fn outbox_email(org: OrgId, id: EmailId) -> StoreResult<OutboxEmail>;
        fn pending_emails(org: OrgId, limit: u32) -> StoreResult<Vec<OutboxEmail>>;
        fn rejected_emails(org: OrgId, limit: u32) -> StoreResult<Vec<OutboxEmail>>;
        fn forward_document(new_contact: Option<&ContactPerson>, email: &OutboxEmail) -> StoreResult<()>;
});

faulty!(PaymentStore {
        fn start_payment_attempt(attempt: &PaymentAttempt) -> StoreResult<AttemptStart>;
        fn payment_attempt(org: OrgId, idempotency_key: &str) -> StoreResult<PaymentAttempt>;
        fn fail_payment_attempt(org: OrgId, id: AttemptId, code: FailureCode, message: &str, tell: &FailureNotice) -> StoreResult<()>;
        fn stage_payment_attempt(org: OrgId, id: AttemptId, progress: &AttemptProgress, notice: Option<&Notice>) -> StoreResult<bool>;
        fn customer_pending_attempts(org: OrgId, customer: CustomerId) -> StoreResult<Vec<PaymentAttempt>>;
        fn pending_payment_attempts(before: OffsetDateTime, limit: u32) -> StoreResult<Vec<PaymentAttempt>>;
        fn record_payment(recording: &PaymentRecording) -> StoreResult<Payment>;
        fn customer_payments(org: OrgId, customer: CustomerId, after: Option<Cursor>, limit: u32) -> StoreResult<Page<Payment>>;
        fn customer_payment(org: OrgId, customer: CustomerId, id: PaymentId) -> StoreResult<Payment>;
        fn invoice_applications(org: OrgId, customer: CustomerId, invoice: InvoiceId, currency: Currency) -> StoreResult<Vec<InvoiceApplication>>;
});

faulty!(CreditStore {
        fn customer_credit_note(org: OrgId, customer: CustomerId, id: CreditNoteId) -> StoreResult<CreditNote>;
        fn create_credit_note(note: &CreditNote) -> StoreResult<()>;
        fn available_credits(org: OrgId, customer: CustomerId) -> StoreResult<Vec<AvailableCredit>>;
        fn apply_credit(application: &CreditApplication) -> StoreResult<Invoice>;
        fn record_refund(refund: &Refund) -> StoreResult<()>;
        fn customer_refunds(org: OrgId, customer: CustomerId) -> StoreResult<Vec<Refund>>;
});

faulty!(PaymentMethodStore {
        fn save_payment_method(method: &SavedPaymentMethod) -> StoreResult<()>;
        fn payment_methods(org: OrgId, customer: CustomerId) -> StoreResult<Vec<SavedPaymentMethod>>;
        fn payment_method(org: OrgId, customer: CustomerId, id: SavedMethodId) -> StoreResult<SavedPaymentMethod>;
        fn update_payment_method(method: &SavedPaymentMethod) -> StoreResult<SavedPaymentMethod>;
        fn delete_payment_method(org: OrgId, customer: CustomerId, id: SavedMethodId) -> StoreResult<()>;
});

faulty!(StatementStore {
        fn statement(org: OrgId, customer: CustomerId, from: Date, to: Date) -> StoreResult<Statement>;
        fn dashboard(org: OrgId, customer: CustomerId, today: Date) -> StoreResult<DashboardFigures>;
        fn customer_turnover(org: OrgId, customer: CustomerId) -> StoreResult<Money>;
});

faulty!(QuoteStore {
        fn decide_quote(decision: &QuoteDecisionRecord) -> StoreResult<Quote>;
        fn convert_quote(quote: &Quote, invoice: &Invoice) -> StoreResult<Quote>;
});

faulty!(CommentStore {
        fn add_comment(comment: &Comment, emails: &[OutboxEmail], notice: Option<&Notice>) -> StoreResult<()>;
        fn comments(org: OrgId, customer: CustomerId, target: CommentTarget, portal_only: bool) -> StoreResult<Vec<Comment>>;
});

faulty!(ReviewStore {
        fn add_review(review: &Review, notice: &Notice) -> StoreResult<()>;
        fn customer_reviews(org: OrgId, customer: CustomerId) -> StoreResult<Vec<Review>>;
});

faulty!(LinkStore {
        fn create_link(link: &DocumentLink) -> StoreResult<()>;
        fn link_by_hash(key: &TokenKey) -> StoreResult<DocumentLink>;
        fn customer_links(org: OrgId, customer: CustomerId) -> StoreResult<Vec<DocumentLink>>;
        fn revoke_link(org: OrgId, id: LinkId, at: OffsetDateTime) -> StoreResult<DocumentLink>;
        fn record_link_use(notice: &Notice) -> StoreResult<()>;
});

faulty!(ProjectStore {
        fn create_project(project: &Project) -> StoreResult<()>;
        fn project(org: OrgId, id: ProjectId) -> StoreResult<Project>;
        fn update_project(project: &Project) -> StoreResult<Project>;
        fn create_task(task: &Task) -> StoreResult<()>;
        fn task(org: OrgId, id: TaskId) -> StoreResult<Task>;
        fn log_time(entry: &TimeEntry) -> StoreResult<()>;
        fn time_entries(org: OrgId, ids: &[TimeEntryId]) -> StoreResult<Vec<TimeEntry>>;
        fn customer_projects(org: OrgId, customer: CustomerId, page: &PageRequest) -> StoreResult<Page<Project>>;
        fn customer_project(org: OrgId, customer: CustomerId, id: ProjectId) -> StoreResult<Project>;
        fn project_tasks(org: OrgId, customer: CustomerId, project: ProjectId) -> StoreResult<Vec<TaskHours>>;
        fn project_time_entries(org: OrgId, customer: CustomerId, project: ProjectId, page: &PageRequest) -> StoreResult<Page<TimeEntry>>;
        fn bill_time(org: OrgId, invoice: InvoiceId, entries: &[TimeEntryId]) -> StoreResult<()>;
});

faulty!(ApprovalStore {
        fn create_approval(approval: &TimesheetApproval) -> StoreResult<()>;
        fn approval(org: OrgId, id: ApprovalId) -> StoreResult<TimesheetApproval>;
        fn customer_approvals(org: OrgId, customer: CustomerId, statuses: &[ApprovalStatus], page: &PageRequest) -> StoreResult<Page<TimesheetApproval>>;
        fn customer_approval(org: OrgId, customer: CustomerId, id: ApprovalId) -> StoreResult<TimesheetApproval>;
        fn approval_entries(org: OrgId, customer: CustomerId, id: ApprovalId) -> StoreResult<Vec<TimeEntry>>;
        fn mark_approval_viewed(org: OrgId, customer: CustomerId, id: ApprovalId, at: OffsetDateTime, notice: &Notice) -> StoreResult<(TimesheetApproval, bool)>;
        fn decide_approval(record: &ApprovalDecisionRecord) -> StoreResult<TimesheetApproval>;
});

faulty!(SharedFileStore {
        fn add_file(file: &SharedFile, notice: Option<&Notice>) -> StoreResult<()>;
        fn customer_files(org: OrgId, customer: CustomerId, page: &PageRequest) -> StoreResult<Page<SharedFile>>;
        fn customer_file(org: OrgId, customer: CustomerId, id: FileId) -> StoreResult<SharedFile>;
        fn remove_file(org: OrgId, customer: CustomerId, id: FileId) -> StoreResult<()>;
});

faulty!(ActivityStore {
        fn customer_activity(org: OrgId, customer: CustomerId, page: &PageRequest) -> StoreResult<Page<Activity>>;
});

faulty!(FileStore, files {
        fn put_file(org: OrgId, id: FileId, bytes: &[u8]) -> StoreResult<()>;
        fn get_file(org: OrgId, id: FileId) -> StoreResult<Vec<u8>>;
        fn delete_file(org: OrgId, id: FileId) -> StoreResult<()>;
});
