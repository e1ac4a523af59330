//! The storage ports. Each method is a whole business operation, atomic inside the
//! adapter: it either happens entirely or not at all. Every read of customer data
//! takes the organization (and where it applies the customer), so a lookup can never
//! cross a tenant.

use std::fmt::Debug;

use async_trait::async_trait;
use time::OffsetDateTime;

use time::Date;

use crate::auth::{AccessToken, PasswordHash, SessionRecord, TokenHash, TokenPurpose};
use crate::domain::{
    Activity, ApprovalId, ApprovalStatus, DecisionOutcome, FileId, Notice, PageRequest, Project,
    ProjectId, SharedFile, Task, TaskHours, TaskId, TimeEntry, TimeEntryId, TimesheetApproval,
};
use crate::domain::{
    AttemptId, AvailableCredit, Comment, CommentTarget, ContactId, ContactPerson,
    CreditApplication, CreditNote, Cursor, Customer, CustomerId, DashboardFigures, Email, EmailId,
    Invoice, InvoiceId, InvoiceQuery, OrgId, Organization, OutboxEmail, Page, Payment,
    PaymentAttempt, PaymentId, PaymentMethod, PortalSlug, Quote, QuoteDecision, QuoteId,
    QuoteQuery, Refund, Review, SalesOrder, SalesOrderId, SalesOrderQuery, SavedMethodId,
    SavedPaymentMethod, SessionId, Statement, UserPreferences,
};

pub use crate::store_error::{Entity, Limit, Rule, StoreError, StoreResult};

/// Organizations and their portal settings and roles.
#[async_trait]
pub trait OrgStore: Debug + Send + Sync + 'static {
    /// Inserts an organization. `Conflict(Rule::PortalSlug)` if the slug is taken.
    async fn create_org(&self, org: &Organization) -> StoreResult<()>;
    /// The organization.
    async fn org(&self, id: OrgId) -> StoreResult<Organization>;
    /// The organization whose portal has this slug.
    async fn org_by_slug(&self, slug: &PortalSlug) -> StoreResult<Organization>;
    /// Replaces the organization if its stored version is `org.version`; returns it
    /// with the version bumped. `ConcurrentModification` on a stale version,
    /// `Conflict(Rule::PortalSlug)` if the new slug is taken.
    async fn update_org(&self, org: &Organization) -> StoreResult<Organization>;
}

/// Customers.
#[async_trait]
pub trait CustomerStore: Debug + Send + Sync + 'static {
    /// Inserts a customer with its contact persons.
    /// `Conflict(Rule::ContactEmail)` if a contact's email is taken in the organization.
    async fn create_customer(
        &self,
        customer: &Customer,
        contacts: &[ContactPerson],
    ) -> StoreResult<()>;
    /// The customer, deleted or not.
    async fn customer(&self, org: OrgId, id: CustomerId) -> StoreResult<Customer>;
    /// Replaces the customer if its stored version is `customer.version`.
    async fn update_customer(&self, customer: &Customer) -> StoreResult<Customer>;
    /// Marks the customer and its contacts deleted, ends their sessions and voids
    /// their tokens.
    async fn delete_customer(
        &self,
        org: OrgId,
        id: CustomerId,
        at: OffsetDateTime,
    ) -> StoreResult<()>;
}

/// A portal user's change to their customer's and their own details (C1).
#[derive(Debug, Clone)]
pub struct DetailsChange {
    /// The organization.
    pub org: OrgId,
    /// The customer, at the version read, with the new display name, company name
    /// and addresses. Nothing else of it is written.
    pub customer: Customer,
    /// The contact, at the version read, with the new first and last name and phone.
    /// Nothing else of it is written.
    pub contact: ContactPerson,
    /// The activity row and the org's notification.
    pub notice: Notice,
}

/// Contact persons.
#[async_trait]
pub trait ContactStore: Debug + Send + Sync + 'static {
    /// Inserts a contact. `Conflict(Rule::ContactEmail)` if its email is taken among the
    /// organization's live contacts; `NotFound(Entity::Customer)` if the customer is not
    /// the organization's or was deleted.
    async fn create_contact(&self, contact: &ContactPerson) -> StoreResult<()>;
    /// The contact, deleted or not.
    async fn contact(&self, org: OrgId, id: ContactId) -> StoreResult<ContactPerson>;
    /// The customer's live contacts, oldest first.
    async fn contacts_of_customer(
        &self,
        org: OrgId,
        customer: CustomerId,
    ) -> StoreResult<Vec<ContactPerson>>;
    /// The live contact with this email in the organization.
    async fn contact_by_email(&self, org: OrgId, email: &Email) -> StoreResult<ContactPerson>;
    /// Replaces the contact if its stored version is `contact.version` (portal
    /// status, password and tokens are changed only through [`AccessStore`]).
    async fn update_contact(&self, contact: &ContactPerson) -> StoreResult<ContactPerson>;
    /// Marks the contact deleted, ends its sessions and voids its tokens.
    async fn delete_contact(
        &self,
        org: OrgId,
        id: ContactId,
        at: OffsetDateTime,
    ) -> StoreResult<()>;
    /// How many live contacts of the organization are invited or active.
    async fn count_portal_users(&self, org: OrgId) -> StoreResult<u64>;
    /// Sends a forwarded document (D3): queues `email` and, if given, adds
    /// `new_contact` to its customer, in one operation. `Conflict(Rule::ContactEmail)` if
    /// the new contact's email was taken meanwhile.
    async fn forward_document(
        &self,
        new_contact: Option<&ContactPerson>,
        email: &OutboxEmail,
    ) -> StoreResult<()>;
    /// Applies a portal user's details change atomically: the customer's display
    /// name, company name and addresses and the contact's names and phone, each only
    /// at the version read (`ConcurrentModification` otherwise), with its emails.
    /// Ids, statuses, currency, email and amounts are never written.
    async fn update_details(
        &self,
        change: &DetailsChange,
    ) -> StoreResult<(Customer, ContactPerson)>;
}

/// One contact's invitation, part of an [`InvitationBatch`].
#[derive(Debug, Clone)]
pub struct Invitation {
    /// The contact as it should be stored (status invited); `version` is the version
    /// it was read at.
    pub contact: ContactPerson,
    /// The new invitation token; every earlier invitation token of the contact is
    /// voided.
    pub token: AccessToken,
    /// The invitation email, queued in the same operation.
    pub email: OutboxEmail,
}

/// Invitations issued together (enable access, reinvite).
#[derive(Debug, Clone)]
pub struct InvitationBatch {
    /// The organization.
    pub org: OrgId,
    /// The organization's portal user cap, checked after the batch is applied.
    pub portal_user_cap: u32,
    /// The invitations.
    pub invitations: Vec<Invitation>,
}

/// The redemption of a single-use token (accept an invitation, reset a password).
#[derive(Debug, Clone)]
pub struct TokenRedemption {
    /// The organization.
    pub org: OrgId,
    /// The contact the token belongs to.
    pub contact: ContactId,
    /// The token's hash.
    pub token_hash: TokenHash,
    /// What it must be for.
    pub purpose: TokenPurpose,
    /// The time of redemption; the token must not have expired by then.
    pub now: OffsetDateTime,
    /// The new password hash.
    pub password_hash: PasswordHash,
    /// New preferences (invitations), or `None` to keep them.
    pub preferences: Option<UserPreferences>,
    /// A session to start, or `None`.
    pub new_session: Option<SessionRecord>,
}

/// A password change by a signed-in user.
#[derive(Debug, Clone)]
pub struct PasswordChange {
    /// The organization.
    pub org: OrgId,
    /// The contact.
    pub contact: ContactId,
    /// The version the contact was read at.
    pub expected_version: i64,
    /// The new hash.
    pub password_hash: PasswordHash,
    /// The session that stays signed in; every other session of the contact ends.
    pub keep_session: Option<SessionId>,
}

/// Portal access: invitations, single-use tokens, access removal, sign-in throttling.
#[async_trait]
pub trait AccessStore: Debug + Send + Sync + 'static {
    /// Applies a batch of invitations atomically: each contact must be live and at
    /// its expected version (`ConcurrentModification` otherwise); its earlier
    /// invitation tokens are voided; tokens and emails are inserted. If the
    /// organization's invited-or-active contacts would then exceed the cap,
    /// `LimitReached` and nothing changes. Returns the stored contacts.
    async fn issue_invitations(&self, batch: &InvitationBatch) -> StoreResult<Vec<ContactPerson>>;
    /// Inserts a password-reset token (voiding the contact's earlier ones) and its
    /// email.
    async fn issue_password_reset(
        &self,
        token: &AccessToken,
        email: &OutboxEmail,
    ) -> StoreResult<()>;
    /// The token with this hash, if it was issued and not yet used or voided.
    async fn access_token(&self, hash: &TokenHash) -> StoreResult<AccessToken>;
    /// Redeems a token atomically: it must exist for this org, contact and purpose
    /// and be unexpired at `now` (`NotFound(Entity::Token)` otherwise, so two concurrent
    /// redemptions cannot both succeed); the contact must be live and invited (for
    /// an invitation) or active (for a reset) (`Conflict` otherwise). Sets the
    /// password (and preferences), makes the contact active, voids all its tokens of
    /// that purpose, ends all its sessions and starts `new_session`.
    async fn redeem_token(&self, redemption: &TokenRedemption) -> StoreResult<ContactPerson>;
    /// Disables portal access of the given contacts of the organization (those
    /// invited or active; others are left as they are): ends their sessions and
    /// voids their tokens. Returns the contacts that changed.
    async fn disable_access(
        &self,
        org: OrgId,
        contacts: &[ContactId],
    ) -> StoreResult<Vec<ContactPerson>>;
    /// Records a failed sign-in for (org, email) at `at`, forgets failures before
    /// `window_start`, and returns how many remain.
    async fn record_sign_in_failure(
        &self,
        org: OrgId,
        email: &Email,
        at: OffsetDateTime,
        window_start: OffsetDateTime,
    ) -> StoreResult<u32>;
    /// The failed sign-ins for (org, email) at or after `since`, oldest first.
    async fn sign_in_failures(
        &self,
        org: OrgId,
        email: &Email,
        since: OffsetDateTime,
    ) -> StoreResult<Vec<OffsetDateTime>>;
    /// Forgets the failed sign-ins for (org, email), after a successful sign-in.
    async fn clear_sign_in_failures(&self, org: OrgId, email: &Email) -> StoreResult<()>;
}

/// Portal sessions.
#[async_trait]
pub trait SessionStore: Debug + Send + Sync + 'static {
    /// Starts a session.
    async fn create_session(&self, session: &SessionRecord) -> StoreResult<()>;
    /// The session with this token hash.
    async fn session(&self, token_hash: &TokenHash) -> StoreResult<SessionRecord>;
    /// Records use of the session at `at`.
    async fn touch_session(&self, id: SessionId, at: OffsetDateTime) -> StoreResult<()>;
    /// Ends one session (sign-out, expiry). Ending an ended session is no error.
    async fn end_session(&self, id: SessionId) -> StoreResult<()>;
    /// Sets a new password if the contact is at `expected_version`, and ends every
    /// session of the contact but `keep_session`.
    async fn change_password(&self, change: &PasswordChange) -> StoreResult<ContactPerson>;
}

/// The email outbox.
#[async_trait]
pub trait OutboxStore: Debug + Send + Sync + 'static {
    /// Queues an email on its own (most emails are queued by the operation that
    /// causes them).
    async fn enqueue_email(&self, email: &OutboxEmail) -> StoreResult<()>;
    /// Claims up to `limit` pending emails due at `now` (the longest due first) by
    /// moving their next attempt to `lease_until`, so that another dispatcher running
    /// at the same time does not take them too. Returns them as stored after the
    /// claim, in the order they were queued (`created_at`, then id).
    async fn claim_due_emails(
        &self,
        now: OffsetDateTime,
        lease_until: OffsetDateTime,
        limit: u32,
    ) -> StoreResult<Vec<OutboxEmail>>;
    /// Marks an email sent, counting the attempt, and blanks its body (it may hold a
    /// single-use link).
    async fn mark_email_sent(&self, id: EmailId, at: OffsetDateTime) -> StoreResult<()>;
    /// Records a failed attempt; the email stays pending until `next_attempt_at`,
    /// or becomes rejected if `retry` is false.
    async fn mark_email_failed(
        &self,
        id: EmailId,
        error: &str,
        next_attempt_at: OffsetDateTime,
        retry: bool,
    ) -> StoreResult<()>;
    /// The email.
    async fn outbox_email(&self, org: OrgId, id: EmailId) -> StoreResult<OutboxEmail>;
    /// The organization's pending emails, oldest first, at most `limit`.
    async fn pending_emails(&self, org: OrgId, limit: u32) -> StoreResult<Vec<OutboxEmail>>;
}

/// Invoices and retainer invoices.
#[async_trait]
pub trait InvoiceStore: Debug + Send + Sync + 'static {
    /// Inserts an invoice. `NotFound(Entity::Customer)` if the customer is not the
    /// organization's or was deleted; `Conflict(Rule::InvoiceNumber)` if the number is
    /// taken in the organization.
    async fn create_invoice(&self, invoice: &Invoice) -> StoreResult<()>;
    /// The invoice, drafts included (org side).
    async fn invoice(&self, org: OrgId, id: InvoiceId) -> StoreResult<Invoice>;
    /// Replaces the invoice if its stored version is `invoice.version` (every
    /// payment and credit bumps it, so a void or edit from a stale read fails).
    async fn update_invoice(&self, invoice: &Invoice) -> StoreResult<Invoice>;
    /// The customer's invoice; drafts and other customers' invoices are not found.
    async fn customer_invoice(
        &self,
        org: OrgId,
        customer: CustomerId,
        id: InvoiceId,
    ) -> StoreResult<Invoice>;
    /// One page of the customer's invoices (never drafts), by keyset.
    async fn customer_invoices(
        &self,
        org: OrgId,
        customer: CustomerId,
        query: &InvoiceQuery,
    ) -> StoreResult<Page<Invoice>>;
    /// Marks the customer's invoice viewed at `at` unless it already was; on the first
    /// view only, records `notice`. Returns the invoice and whether this was the
    /// first view.
    async fn mark_invoice_viewed(
        &self,
        org: OrgId,
        customer: CustomerId,
        id: InvoiceId,
        at: OffsetDateTime,
        notice: &Notice,
    ) -> StoreResult<(Invoice, bool)>;
}

/// Whether a payment attempt was stored now, already existed, or could not reserve
/// what it would apply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AttemptStart {
    /// Stored now with its reservation: go ahead and charge.
    Started,
    /// An attempt with this idempotency key already exists: this one.
    Existing(Box<PaymentAttempt>),
    /// Not stored: the invoices' unreserved balance is less than the attempt's
    /// amount. Do not charge.
    Refused(crate::domain::ReservationRefusal),
}

/// A payment to record, as one atomic operation.
#[derive(Debug, Clone)]
pub struct PaymentRecording {
    /// The new payment's id.
    pub id: PaymentId,
    /// The organization.
    pub org: OrgId,
    /// The customer who paid.
    pub customer: CustomerId,
    /// The receipt number.
    pub receipt_number: String,
    /// The amount received.
    pub amount: crate::domain::Money,
    /// How it was paid.
    pub method: PaymentMethod,
    /// The gateway's charge id.
    pub reference: Option<String>,
    /// When it was paid.
    pub paid_at: OffsetDateTime,
    /// The invoices it is for. The store allocates the amount over their balances
    /// as they are at that moment, oldest due first; what they cannot take (another
    /// payment settled them meanwhile, say) stays on the payment as credit.
    pub invoices: Vec<InvoiceId>,
    /// The online attempt it completes (which must still be pending), if any.
    pub attempt: Option<AttemptId>,
    /// Emails to queue with it (the receipt).
    pub emails: Vec<OutboxEmail>,
    /// The activity row and the organization's email, for a portal payment.
    pub notice: Option<Notice>,
}

/// Payments, payment attempts, credit notes, credits and the dashboard figures.
#[async_trait]
pub trait PaymentStore: Debug + Send + Sync + 'static {
    /// Stores a pending attempt unless one with its (org, idempotency key) exists,
    /// and in the same atomic operation reserves what it will apply on its invoices
    /// ([`crate::domain::reserve_oldest_first`] over each invoice's balance less what
    /// other pending attempts hold). An attempt that cannot reserve its whole amount
    /// is not stored: [`AttemptStart::Refused`]. A reservation lasts while its
    /// attempt is pending: failing the attempt or recording its payment releases it.
    /// Invoices of the attempt that are not the customer's or not payable count as
    /// nothing to pay.
    async fn start_payment_attempt(&self, attempt: &PaymentAttempt) -> StoreResult<AttemptStart>;
    /// The attempt with this idempotency key.
    async fn payment_attempt(
        &self,
        org: OrgId,
        idempotency_key: &str,
    ) -> StoreResult<PaymentAttempt>;
    /// Marks a pending attempt failed and releases its reservation (`Conflict` if it
    /// is no longer pending).
    async fn fail_payment_attempt(
        &self,
        org: OrgId,
        id: AttemptId,
        code: &str,
        message: &str,
    ) -> StoreResult<()>;
    /// Pending attempts created before `before`, oldest first (for recovery).
    async fn pending_payment_attempts(
        &self,
        before: OffsetDateTime,
        limit: u32,
    ) -> StoreResult<Vec<PaymentAttempt>>;
    /// Records a payment atomically: allocation over the invoices' current balances,
    /// new balances and statuses, the payment and its allocations, the attempt marked
    /// succeeded, the emails queued. `Conflict(Rule::PaymentAttempt)` if the attempt is
    /// no longer pending (it was recorded already).
    async fn record_payment(&self, recording: &PaymentRecording) -> StoreResult<Payment>;
    /// One page of the customer's payments, newest first.
    async fn customer_payments(
        &self,
        org: OrgId,
        customer: CustomerId,
        after: Option<Cursor>,
        limit: u32,
    ) -> StoreResult<Page<Payment>>;
    /// The customer's payment with its allocations (the receipt).
    async fn customer_payment(
        &self,
        org: OrgId,
        customer: CustomerId,
        id: PaymentId,
    ) -> StoreResult<Payment>;
    /// Inserts a credit note. `NotFound(Entity::Customer)` for a customer not the
    /// organization's.
    async fn create_credit_note(&self, note: &CreditNote) -> StoreResult<()>;
    /// The customer's available credits (credit notes and payment excess with
    /// something left), oldest first.
    async fn available_credits(
        &self,
        org: OrgId,
        customer: CustomerId,
    ) -> StoreResult<Vec<AvailableCredit>>;
    /// Applies credit to an invoice atomically: the source must have the amount
    /// available and the invoice must be a payable regular invoice (retainer invoices
    /// are paid, never settled with credit) with at least that balance (`Conflict`
    /// otherwise). Returns the invoice after.
    async fn apply_credit(&self, application: &CreditApplication) -> StoreResult<Invoice>;
    /// Records a refund atomically: the source must have the amount available
    /// (`Conflict(Rule::CreditAvailable)` otherwise) and is reduced by it.
    async fn record_refund(&self, refund: &Refund) -> StoreResult<()>;
    /// The customer's refunds, newest first.
    async fn customer_refunds(&self, org: OrgId, customer: CustomerId) -> StoreResult<Vec<Refund>>;
    /// Stores a saved payment method. `NotFound(Entity::Customer)` for a customer not the
    /// organization's.
    async fn save_payment_method(&self, method: &SavedPaymentMethod) -> StoreResult<()>;
    /// The customer's saved payment methods, oldest first.
    async fn payment_methods(
        &self,
        org: OrgId,
        customer: CustomerId,
    ) -> StoreResult<Vec<SavedPaymentMethod>>;
    /// One of the customer's saved payment methods.
    async fn payment_method(
        &self,
        org: OrgId,
        customer: CustomerId,
        id: SavedMethodId,
    ) -> StoreResult<SavedPaymentMethod>;
    /// Replaces a saved method's expiry and billing address if it is at
    /// `method.version`.
    async fn update_payment_method(
        &self,
        method: &SavedPaymentMethod,
    ) -> StoreResult<SavedPaymentMethod>;
    /// Deletes one of the customer's saved methods.
    async fn delete_payment_method(
        &self,
        org: OrgId,
        customer: CustomerId,
        id: SavedMethodId,
    ) -> StoreResult<()>;
    /// The customer's statement of account for `from..=to` (days): opening balance,
    /// every entry in order with its running balance, closing balance, and aging at
    /// the end. Computed by the database on SQL backends (three statements).
    async fn statement(
        &self,
        org: OrgId,
        customer: CustomerId,
        from: Date,
        to: Date,
    ) -> StoreResult<Statement>;
    /// The dashboard's money figures, computed by the store in one pass (one query on
    /// SQL backends), in the customer's currency.
    async fn dashboard(
        &self,
        org: OrgId,
        customer: CustomerId,
        today: Date,
    ) -> StoreResult<DashboardFigures>;
    /// What the customer's documents add up to, in the customer's currency: every
    /// invoice total (drafts and void ones too), payment, credit note and refund. The
    /// services keep it under [`crate::domain::MAX_CUSTOMER_TOTAL_MINOR_UNITS`] so
    /// that every sum a store computes for the customer fits. One query on SQL
    /// backends.
    async fn customer_turnover(
        &self,
        org: OrgId,
        customer: CustomerId,
    ) -> StoreResult<crate::domain::Money>;
}

/// A customer's decision on a quote, to record atomically.
#[derive(Debug, Clone)]
pub struct QuoteDecisionRecord {
    /// The organization.
    pub org: OrgId,
    /// The customer deciding.
    pub customer: CustomerId,
    /// The quote.
    pub quote: QuoteId,
    /// The version the customer decided on.
    pub expected_version: i64,
    /// Accept (with its signature) or decline (with its reason).
    pub decision: QuoteDecision,
    /// When.
    pub at: OffsetDateTime,
    /// The activity row and the organization's email.
    pub notice: Notice,
}

/// Quotes and comments on documents.
#[async_trait]
pub trait QuoteStore: Debug + Send + Sync + 'static {
    /// Inserts a quote. `NotFound(Entity::Customer)` for a customer not the
    /// organization's; `Conflict(Rule::QuoteNumber)` for a number taken in the org.
    async fn create_quote(&self, quote: &Quote) -> StoreResult<()>;
    /// The quote, drafts included (org side).
    async fn quote(&self, org: OrgId, id: QuoteId) -> StoreResult<Quote>;
    /// Replaces the quote if its stored version is `quote.version`.
    async fn update_quote(&self, quote: &Quote) -> StoreResult<Quote>;
    /// The customer's quote; drafts and other customers' quotes are not found.
    async fn customer_quote(
        &self,
        org: OrgId,
        customer: CustomerId,
        id: QuoteId,
    ) -> StoreResult<Quote>;
    /// One page of the customer's quotes (never drafts), by keyset.
    async fn customer_quotes(
        &self,
        org: OrgId,
        customer: CustomerId,
        query: &QuoteQuery,
    ) -> StoreResult<Page<Quote>>;
    /// Marks the quote viewed unless it was; on the first view only, records
    /// `notice`. Returns the quote and whether this was the first view.
    async fn mark_quote_viewed(
        &self,
        org: OrgId,
        customer: CustomerId,
        id: QuoteId,
        at: OffsetDateTime,
        notice: &Notice,
    ) -> StoreResult<(Quote, bool)>;
    /// Records the customer's decision atomically, if the quote is still sent and at
    /// `expected_version` (`ConcurrentModification` otherwise, so of two concurrent
    /// decisions exactly one wins), and queues `emails`.
    async fn decide_quote(&self, decision: &QuoteDecisionRecord) -> StoreResult<Quote>;
    /// Creates `invoice` and stores `quote` (now invoiced, naming the invoice) in one
    /// operation, if the quote is at `quote.version`.
    async fn convert_quote(&self, quote: &Quote, invoice: &Invoice) -> StoreResult<Quote>;
    /// Adds a comment, queues `emails` (to the customer) and records `notice` (a
    /// portal user's comment) with it.
    async fn add_comment(
        &self,
        comment: &Comment,
        emails: &[OutboxEmail],
        notice: Option<&Notice>,
    ) -> StoreResult<()>;
    /// Adds a customer's review and records `notice` with it. `NotFound` if the
    /// contact is not one of the customer's.
    async fn add_review(&self, review: &Review, notice: &Notice) -> StoreResult<()>;
    /// The customer's reviews, newest first.
    async fn customer_reviews(&self, org: OrgId, customer: CustomerId) -> StoreResult<Vec<Review>>;
    /// The comments on a document of the customer, oldest first; with `portal_only`,
    /// only those visible in the portal.
    async fn comments(
        &self,
        org: OrgId,
        customer: CustomerId,
        target: CommentTarget,
        portal_only: bool,
    ) -> StoreResult<Vec<Comment>>;
}

/// Sales orders.
#[async_trait]
pub trait SalesOrderStore: Debug + Send + Sync + 'static {
    /// Inserts a sales order. `NotFound(Entity::Customer)` for a customer not the
    /// organization's; `Conflict(Rule::SalesOrderNumber)` for a number taken.
    async fn create_sales_order(&self, order: &SalesOrder) -> StoreResult<()>;
    /// The sales order, drafts included (org side).
    async fn sales_order(&self, org: OrgId, id: SalesOrderId) -> StoreResult<SalesOrder>;
    /// Replaces the sales order if its stored version is `order.version`.
    async fn update_sales_order(&self, order: &SalesOrder) -> StoreResult<SalesOrder>;
    /// The customer's sales order; drafts and others' orders are not found.
    async fn customer_sales_order(
        &self,
        org: OrgId,
        customer: CustomerId,
        id: SalesOrderId,
    ) -> StoreResult<SalesOrder>;
    /// One page of the customer's sales orders (never drafts), by keyset.
    async fn customer_sales_orders(
        &self,
        org: OrgId,
        customer: CustomerId,
        query: &SalesOrderQuery,
    ) -> StoreResult<Page<SalesOrder>>;
    /// Marks the order viewed unless it was; on the first view only, records
    /// `notice`. Returns it and whether this was the first view.
    async fn mark_sales_order_viewed(
        &self,
        org: OrgId,
        customer: CustomerId,
        id: SalesOrderId,
        at: OffsetDateTime,
        notice: &Notice,
    ) -> StoreResult<(SalesOrder, bool)>;
}

/// A customer's answer to a timesheet approval, as the store records it.
#[derive(Debug, Clone)]
pub struct ApprovalDecisionRecord {
    /// The approval as read (its `version` is checked); status, reason and decider
    /// set to the decision's.
    pub approval: TimesheetApproval,
    /// Each entry's outcome.
    pub outcome: DecisionOutcome,
    /// The activity row and the organization's email.
    pub notice: Notice,
}

/// Projects, tasks, time entries and timesheet approvals (SPEC T1–T3).
#[async_trait]
pub trait ProjectStore: Debug + Send + Sync + 'static {
    /// Inserts a project. `NotFound(Entity::Customer)` for a customer not the org's.
    async fn create_project(&self, project: &Project) -> StoreResult<()>;
    /// The project (org side).
    async fn project(&self, org: OrgId, id: ProjectId) -> StoreResult<Project>;
    /// Replaces name, description and status if the stored version is
    /// `project.version`.
    async fn update_project(&self, project: &Project) -> StoreResult<Project>;
    /// Inserts a task. `NotFound(Entity::Project)` for a project not the org's.
    async fn create_task(&self, task: &Task) -> StoreResult<()>;
    /// The task (org side).
    async fn task(&self, org: OrgId, id: TaskId) -> StoreResult<Task>;
    /// Inserts a time entry. `NotFound(Entity::Task)` unless its task is of its project.
    async fn log_time(&self, entry: &TimeEntry) -> StoreResult<()>;
    /// The named entries of the organization (org side), in the order named.
    /// `NotFound(Entity::TimeEntry)` if any is missing.
    async fn time_entries(&self, org: OrgId, ids: &[TimeEntryId]) -> StoreResult<Vec<TimeEntry>>;
    /// One page of the customer's active projects, newest first.
    async fn customer_projects(
        &self,
        org: OrgId,
        customer: CustomerId,
        page: &PageRequest,
    ) -> StoreResult<Page<Project>>;
    /// The customer's project (active or completed).
    async fn customer_project(
        &self,
        org: OrgId,
        customer: CustomerId,
        id: ProjectId,
    ) -> StoreResult<Project>;
    /// The project's billable tasks with logged, billed and unbilled minutes
    /// (aggregated by the backend), by name.
    async fn project_tasks(
        &self,
        org: OrgId,
        customer: CustomerId,
        project: ProjectId,
    ) -> StoreResult<Vec<TaskHours>>;
    /// One page of the project's billable time entries, newest day first.
    async fn project_time_entries(
        &self,
        org: OrgId,
        customer: CustomerId,
        project: ProjectId,
        page: &PageRequest,
    ) -> StoreResult<Page<TimeEntry>>;
    /// Inserts a pending approval and marks its entries pending, atomically.
    /// `Conflict(Rule::TimeEntryState)` if any entry is not of the approval's project, is
    /// billed, or is pending or approved already (checked at write time).
    async fn create_approval(&self, approval: &TimesheetApproval) -> StoreResult<()>;
    /// The approval (org side).
    async fn approval(&self, org: OrgId, id: ApprovalId) -> StoreResult<TimesheetApproval>;
    /// One page of the customer's approvals with one of `statuses` (all when empty),
    /// newest first.
    async fn customer_approvals(
        &self,
        org: OrgId,
        customer: CustomerId,
        statuses: &[ApprovalStatus],
        page: &PageRequest,
    ) -> StoreResult<Page<TimesheetApproval>>;
    /// The customer's approval.
    async fn customer_approval(
        &self,
        org: OrgId,
        customer: CustomerId,
        id: ApprovalId,
    ) -> StoreResult<TimesheetApproval>;
    /// The entries of the customer's approval, in the order sent.
    async fn approval_entries(
        &self,
        org: OrgId,
        customer: CustomerId,
        id: ApprovalId,
    ) -> StoreResult<Vec<TimeEntry>>;
    /// Marks the approval viewed unless it was; on the first view only, records
    /// `notice`. Returns it and whether this was the first view.
    async fn mark_approval_viewed(
        &self,
        org: OrgId,
        customer: CustomerId,
        id: ApprovalId,
        at: OffsetDateTime,
        notice: &Notice,
    ) -> StoreResult<(TimesheetApproval, bool)>;
    /// Records the customer's decision: the approval, every entry's outcome and the
    /// notice, atomically. `ConcurrentModification(Entity::Approval)` if it changed.
    async fn decide_approval(
        &self,
        record: &ApprovalDecisionRecord,
    ) -> StoreResult<TimesheetApproval>;
    /// Marks the entries billed on `invoice`, atomically. `Conflict(Rule::TimeEntryState)`
    /// unless every entry is approved, billable, unbilled and of the invoice's
    /// customer.
    async fn bill_time(
        &self,
        org: OrgId,
        invoice: InvoiceId,
        entries: &[TimeEntryId],
    ) -> StoreResult<()>;
}

/// What the store keeps about shared files (SPEC D4); the bytes are in a
/// [`FileStore`].
#[async_trait]
pub trait SharedFileStore: Debug + Send + Sync + 'static {
    /// Records a file in the customer's folder, with the notice of a portal upload.
    /// `NotFound(Entity::Customer)` for a customer not the org's.
    async fn add_file(&self, file: &SharedFile, notice: Option<&Notice>) -> StoreResult<()>;
    /// One page of the customer's files, newest first.
    async fn customer_files(
        &self,
        org: OrgId,
        customer: CustomerId,
        page: &PageRequest,
    ) -> StoreResult<Page<SharedFile>>;
    /// The customer's file.
    async fn customer_file(
        &self,
        org: OrgId,
        customer: CustomerId,
        id: FileId,
    ) -> StoreResult<SharedFile>;
    /// Removes the customer's file record.
    async fn remove_file(&self, org: OrgId, customer: CustomerId, id: FileId) -> StoreResult<()>;
}

/// The activity feed (SPEC N3). Rows are written by the operations that record
/// portal events; this trait reads them.
#[async_trait]
pub trait ActivityStore: Debug + Send + Sync + 'static {
    /// One page of the customer's activity, newest first.
    async fn customer_activity(
        &self,
        org: OrgId,
        customer: CustomerId,
        page: &PageRequest,
    ) -> StoreResult<Page<Activity>>;
}

/// Where file bytes live: the memory and SQL stores implement it, and a host can
/// plug object storage. Keys are [`FileId`]s; the [`SharedFileStore`] decides who
/// may read them.
#[async_trait]
pub trait FileStore: Debug + Send + Sync + 'static {
    /// Stores `bytes` under `id` (replacing nothing: ids are fresh).
    async fn put_file(&self, id: FileId, bytes: &[u8]) -> StoreResult<()>;
    /// The bytes under `id`; `NotFound(Entity::File)` if none.
    async fn get_file(&self, id: FileId) -> StoreResult<Vec<u8>>;
    /// Deletes the bytes under `id` (no error if there were none).
    async fn delete_file(&self, id: FileId) -> StoreResult<()>;
}

/// Everything the portal stores. Implemented by every type that implements the
/// per-aggregate traits.
pub trait Store:
    OrgStore
    + CustomerStore
    + ContactStore
    + AccessStore
    + SessionStore
    + OutboxStore
    + InvoiceStore
    + PaymentStore
    + QuoteStore
    + SalesOrderStore
    + ProjectStore
    + SharedFileStore
    + ActivityStore
    + FileStore
{
}

impl<T> Store for T where
    T: OrgStore
        + CustomerStore
        + ContactStore
        + AccessStore
        + SessionStore
        + OutboxStore
        + InvoiceStore
        + PaymentStore
        + QuoteStore
        + SalesOrderStore
        + ProjectStore
        + SharedFileStore
        + ActivityStore
        + FileStore
{
}
