//! Payments and the online attempts that lead to them (I3, I4, I9).

use std::fmt::Debug;

use async_trait::async_trait;
use time::OffsetDateTime;

use crate::domain::{
    Allocation, AttemptId, AttemptProgress, Cursor, CustomerId, InvoiceId, Money, OrgId,
    OutboxEmail, Page, Payment, PaymentAttempt, PaymentId, PaymentMethod,
};
use crate::domain::{FailureCode, Notice};

use super::StoreResult;

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

/// What failing an attempt tells, queued in the same atomic operation: nothing for
/// a decline the customer saw on the page; the customer's email and the
/// organization's notice for a failure that arrived later (a bank debit that
/// failed, an authentication given up on).
#[derive(Debug, Clone, Default)]
pub struct FailureNotice {
    /// Emails to queue (the customer's).
    pub emails: Vec<OutboxEmail>,
    /// The activity row and the organization's email.
    pub notice: Option<Notice>,
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
    pub amount: Money,
    /// How it was paid.
    pub method: PaymentMethod,
    /// The gateway's charge id.
    pub reference: Option<String>,
    /// When it was paid.
    pub paid_at: OffsetDateTime,
    /// The invoices it is for. The store allocates the amount over them as they
    /// are at that moment with [`crate::domain::allocate_payment`]: what the
    /// attempt held first, then oldest due first out of what no payment in flight
    /// holds; what they cannot take stays on the payment as credit.
    pub invoices: Vec<InvoiceId>,
    /// The online attempt it completes (which must still be pending), if any.
    pub attempt: Option<AttemptId>,
    /// Emails to queue with it (the receipt).
    pub emails: Vec<OutboxEmail>,
    /// The activity row and the organization's email, for a portal payment.
    pub notice: Option<Notice>,
}

impl PaymentRecording {
    /// The payment this recording stores, with the allocations and the credit
    /// (`unapplied`) the store worked out.
    #[must_use]
    pub fn payment(&self, allocations: Vec<Allocation>, unapplied: Money) -> Payment {
        Payment {
            id: self.id,
            org: self.org,
            customer: self.customer,
            receipt_number: self.receipt_number.clone(),
            amount: self.amount,
            allocations,
            unapplied,
            method: self.method.clone(),
            reference: self.reference.clone(),
            paid_at: self.paid_at,
        }
    }
}

/// Payments and payment attempts: the Pay Now reservation, recording a payment
/// over invoices, and the customer's payments with their allocations.
#[async_trait]
pub trait PaymentStore: Debug + Send + Sync + 'static {
    /// Stores a pending attempt unless one with its (org, idempotency key) exists,
    /// and in the same atomic operation reserves what it will apply on its invoices
    /// ([`crate::domain::reserve_oldest_first`] over each invoice's balance less what
    /// other pending attempts hold), adding to each invoice's
    /// [`reserved`](crate::domain::Invoice::reserved) and bumping its version, so an
    /// update read before the reservation fails with `ConcurrentModification`. An
    /// attempt that cannot reserve its whole amount is not stored:
    /// [`AttemptStart::Refused`]. A reservation lasts while its attempt is pending:
    /// failing the attempt or recording its payment releases it.
    /// Invoices of the attempt that are not the customer's or not payable count as
    /// nothing to pay.
    async fn start_payment_attempt(&self, attempt: &PaymentAttempt) -> StoreResult<AttemptStart>;
    /// The attempt with this idempotency key.
    async fn payment_attempt(
        &self,
        org: OrgId,
        idempotency_key: &str,
    ) -> StoreResult<PaymentAttempt>;
    /// Marks a pending attempt failed, releases its reservation and queues what
    /// `tell` holds, all or nothing (`Conflict` if it is no longer pending: then
    /// nothing is queued).
    async fn fail_payment_attempt(
        &self,
        org: OrgId,
        id: AttemptId,
        code: FailureCode,
        message: &str,
        tell: &FailureNotice,
    ) -> StoreResult<()>;
    /// Records what the gateway answered of a pending attempt that is not settled
    /// yet (it waits for the customer's bank, or is processing), and queues
    /// `notice` with it; the reservation stays. `Ok(false)` and nothing queued when
    /// the attempt is already at that stage (a duplicate event);
    /// `Conflict(Rule::PaymentAttempt)` if it is no longer pending, `NotFound` if
    /// there is no such attempt in `org`.
    async fn stage_payment_attempt(
        &self,
        org: OrgId,
        id: AttemptId,
        progress: &AttemptProgress,
        notice: Option<&Notice>,
    ) -> StoreResult<bool>;
    /// The customer's pending attempts the gateway answered "not yet" for (they
    /// wait for the customer's bank or are processing): the pending payments the
    /// customer is shown, newest first. Bounded by what a customer can have in
    /// flight at once (each holds part of an unpaid balance).
    async fn customer_pending_attempts(
        &self,
        org: OrgId,
        customer: CustomerId,
    ) -> StoreResult<Vec<PaymentAttempt>>;
    /// Pending attempts created before `before`, oldest first (for recovery).
    async fn pending_payment_attempts(
        &self,
        before: OffsetDateTime,
        limit: u32,
    ) -> StoreResult<Vec<PaymentAttempt>>;
    /// Records a payment atomically: allocation over the invoices as they are
    /// ([`crate::domain::allocate_payment`], never taking what another attempt
    /// holds), new balances and statuses, the attempt's holds released, the
    /// payment and its allocations, the attempt marked succeeded, the emails queued. `Conflict(Rule::PaymentAttempt)` if the attempt is
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
    /// What went to the customer's invoice `invoice` (in `currency`, its
    /// currency): each payment's share and each credit applied, oldest first
    /// (then by source id). Empty for an invoice that is not the customer's.
    async fn invoice_applications(
        &self,
        org: OrgId,
        customer: CustomerId,
        invoice: crate::domain::InvoiceId,
        currency: crate::domain::Currency,
    ) -> StoreResult<Vec<crate::domain::InvoiceApplication>>;
}
