//! Pay now (I3–I8): one or several invoices in one charge, with an idempotency key,
//! so that nothing is charged twice or lost.

use super::invoices::SessionInvoices;
use crate::Cursor;
use crate::Page;
use crate::service::invoices::check_limit;
use std::sync::Arc;

use sha2::{Digest, Sha256};
use time::Duration;
use tracing::instrument;

use super::Portal;
use super::invoices::{Actor, notice_of, receipt_number};
use super::sessions::PortalSession;
use crate::domain::{
    Action, AttemptId, AttemptStatus, EmailKind, Invoice, InvoiceFilter, InvoiceId, InvoiceKind,
    InvoiceQuery, Module, Money, OutboxEmail, Payment, PaymentAttempt, PaymentId, PaymentMethod,
    PortalEvent, ReservationRefusal, SavedMethodId,
};
use crate::error::{Error, Result, known_code};
use crate::gateway::{
    BankDetails, CardDetails, ChargeOutcome, ChargeRequest, ChargeSource, GatewayError,
    GatewayToken, PaymentGateway,
};
use crate::store::{AttemptStart, PaymentRecording, StoreError};
use crate::store::{Entity, Rule};

/// Which invoices to pay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InvoiceSelection {
    /// Every unpaid invoice (not retainers): "pay all outstanding".
    AllOutstanding,
    /// These invoices (the customer's own; retainers allowed).
    Chosen(Vec<InvoiceId>),
}

/// What the customer pays with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PaySource {
    /// A card typed now.
    Card(Box<CardDetails>),
    /// A bank account typed now (only for customers allowed to pay by bank).
    BankAccount(BankDetails),
    /// A method the customer saved earlier.
    Saved(SavedMethodId),
}

impl PaySource {
    /// Checks typed card or bank details before anything else looks at them.
    ///
    /// # Errors
    /// [`crate::gateway::PaymentDetailsError`].
    pub fn check(&self) -> Result<(), crate::gateway::PaymentDetailsError> {
        match self {
            PaySource::Card(card) => card.check(),
            PaySource::BankAccount(bank) => bank.check(),
            PaySource::Saved(_) => Ok(()),
        }
    }
}

/// A Pay Now request.
#[derive(Debug, Clone)]
pub struct PayRequest {
    /// The invoices.
    pub invoices: InvoiceSelection,
    /// A part payment, only for one invoice that allows it; `None` pays the balance.
    pub amount: Option<Money>,
    /// What to charge. Card numbers and CVVs go to the gateway and nowhere else.
    pub source: PaySource,
    /// The client's idempotency key (8–255 printable ASCII characters), the same for
    /// every retry of this payment: a retry returns the first result and charges
    /// nothing.
    pub idempotency_key: String,
}

/// What a recovery run did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RecoveryReport {
    /// Charged at the gateway and now recorded.
    pub recorded: u32,
    /// Never charged: marked failed.
    pub not_charged: u32,
    /// The gateway could not tell yet: left for the next run.
    pub still_pending: u32,
}

/// A hash of what the client asked (not of what it came to), so a retry can be
/// recognised before anything is recomputed.
fn fingerprint(session: &PortalSession, request: &PayRequest) -> String {
    let selection = match &request.invoices {
        InvoiceSelection::AllOutstanding => "all".to_owned(),
        InvoiceSelection::Chosen(ids) => {
            let mut ids: Vec<String> = ids.iter().map(ToString::to_string).collect();
            ids.sort();
            ids.dedup();
            ids.join(",")
        }
    };
    let amount = request.amount.map_or_else(
        || "balance".to_owned(),
        |m| format!("{} {}", m.amount(), m.currency()),
    );
    let source = match &request.source {
        PaySource::Card(c) => format!("card:{}", c.last4()),
        PaySource::BankAccount(b) => format!("bank:{}", b.last4()),
        PaySource::Saved(id) => format!("saved:{id}"),
    };
    let text = format!("{}|{selection}|{amount}|{source}", session.customer.id);
    let digest = Sha256::digest(text.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

impl Portal {
    pub(super) fn gateway(&self, id: &str) -> Option<&Arc<dyn PaymentGateway>> {
        self.inner.gateways.iter().find(|g| g.id() == id)
    }

    /// The receipt to the paying contact and the org's notice of a portal payment.
    fn payment_emails(
        &self,
        actor: Actor<'_>,
        payment: PaymentId,
        amount: Money,
        invoices: &[Invoice],
        receipt: &str,
    ) -> (Vec<OutboxEmail>, crate::domain::Notice) {
        let (org, customer, contact) = actor;
        let now = self.now();
        let numbers: Vec<&str> = invoices.iter().map(|i| i.number.as_str()).collect();
        let mut emails = Vec::new();
        let notice = notice_of(
            actor,
            now,
            PortalEvent::Paid,
            crate::domain::ActivitySubject::Payment(payment),
            format!("{} paid {amount}", customer.display_name),
            format!(
                "{} ({}) paid {amount} online for {} (receipt {receipt}).\n",
                contact.full_name(),
                customer.display_name,
                numbers.join(", ")
            ),
        );
        if let Some(to) = contact.email.clone() {
            emails.push(OutboxEmail::new(
                org.id,
                EmailKind::CustomerNotification,
                to,
                format!("Receipt {receipt} from {}", org.name).replace(['\r', '\n'], " "),
                format!(
                    "Thank you for your payment of {amount} for {}.\nReceipt: {receipt}\n",
                    numbers.join(", ")
                ),
                now,
            ));
        }
        (emails, notice)
    }

    /// The receipt and notice of a recovered attempt, as the paying contact would
    /// have had them (none for an attempt stored before attempts named their
    /// contact).
    ///
    /// # Errors
    /// A store error reading the records they need: the attempt is then left for
    /// the next recovery run rather than recorded without its receipt.
    async fn recovered_payment_emails(
        &self,
        attempt: &PaymentAttempt,
        payment: PaymentId,
        amount: Money,
        receipt: &str,
    ) -> Result<(Vec<OutboxEmail>, Option<crate::domain::Notice>), StoreError> {
        let store = &self.inner.store;
        let Some(contact) = attempt.contact else {
            return Ok((Vec::new(), None));
        };
        let records = async {
            let org = store.org(attempt.org).await?;
            let customer = store.customer(attempt.org, attempt.customer).await?;
            let contact = store.contact(attempt.org, contact).await?;
            let mut invoices = Vec::new();
            for id in &attempt.invoices {
                invoices.push(
                    store
                        .customer_invoice(attempt.org, attempt.customer, *id)
                        .await?,
                );
            }
            Ok::<_, StoreError>((org, customer, contact, invoices))
        };
        let (org, customer, contact, invoices) = records.await?;
        let (emails, notice) = self.payment_emails(
            (&org, &customer, &contact),
            payment,
            amount,
            &invoices,
            receipt,
        );
        Ok((emails, Some(notice)))
    }

    /// Completes pending payment attempts whose outcome is unknown (the gateway did
    /// not answer, or the process died between the charge and its recording). For
    /// each attempt older than `older_than` (give the gateway time to settle: 15
    /// minutes is safe), the gateway is asked by idempotency key: a charge found is
    /// recorded; no charge means the attempt failed. Run it on a timer.
    ///
    /// # Errors
    /// Store errors.
    #[instrument(skip_all)]
    pub async fn recover_payments(
        &self,
        older_than: Duration,
        limit: u32,
    ) -> Result<RecoveryReport> {
        let store = &self.inner.store;
        let mut report = RecoveryReport::default();
        for attempt in store
            .pending_payment_attempts(self.now() - older_than, limit)
            .await?
        {
            let Some(gateway) = self.gateway(&attempt.gateway) else {
                report.still_pending += 1;
                continue;
            };
            match gateway.find_charge(&attempt.idempotency_key).await {
                Ok(Some(charge)) => {
                    let id = PaymentId::new();
                    let receipt = receipt_number(id);
                    let (emails, notice) = match self
                        .recovered_payment_emails(&attempt, id, charge.amount, &receipt)
                        .await
                    {
                        Ok(both) => both,
                        Err(e) => {
                            tracing::warn!(attempt = %attempt.id, error = %e, "recovery: records not readable; left for the next run");
                            report.still_pending += 1;
                            continue;
                        }
                    };
                    let result = store
                        .record_payment(&PaymentRecording {
                            id,
                            org: attempt.org,
                            customer: attempt.customer,
                            receipt_number: receipt,
                            amount: charge.amount,
                            method: charge.method,
                            reference: Some(charge.charge_id),
                            paid_at: self.now(),
                            invoices: attempt.invoices.clone(),
                            attempt: Some(attempt.id),
                            emails,
                            notice,
                        })
                        .await;
                    match result {
                        Ok(_) | Err(StoreError::Conflict(Rule::PaymentAttempt)) => {
                            report.recorded += 1
                        }
                        Err(e) => return Err(e.into()),
                    }
                    tracing::info!(attempt = %attempt.id, "payment recovered");
                }
                Ok(None) => {
                    match store
                        .fail_payment_attempt(
                            attempt.org,
                            attempt.id,
                            "not_charged",
                            "the payment did not go through; nothing was charged",
                        )
                        .await
                    {
                        Ok(()) | Err(StoreError::Conflict(_)) => report.not_charged += 1,
                        Err(e) => return Err(e.into()),
                    }
                }
                Err(e) => {
                    tracing::warn!(attempt = %attempt.id, error = %e, "recovery: gateway did not answer");
                    report.still_pending += 1;
                }
            }
        }
        Ok(report)
    }
}

fn valid_key(key: &str) -> bool {
    (8..=255).contains(&key.len()) && key.bytes().all(|b| b.is_ascii_graphic())
}

impl PortalSession {
    async fn payable_invoices(&self, selection: &InvoiceSelection) -> Result<Vec<Invoice>> {
        let store = &self.portal.inner.store;
        match selection {
            InvoiceSelection::AllOutstanding => {
                let mut query = InvoiceQuery::new(self.portal.today());
                query.kind = Some(InvoiceKind::Invoice);
                query.filter = InvoiceFilter::Unpaid;
                query.limit = crate::domain::MAX_PAGE_SIZE;
                let mut out = Vec::new();
                loop {
                    let page = store
                        .customer_invoices(self.org.id, self.customer.id, &query)
                        .await?;
                    out.extend(page.items);
                    match page.next {
                        Some(next) => query.after = Some(crate::domain::Cursor::decode(&next)?),
                        None => break,
                    }
                }
                Ok(out)
            }
            InvoiceSelection::Chosen(ids) => {
                let mut seen = std::collections::HashSet::new();
                let mut out = Vec::new();
                for id in ids.iter().filter(|id| seen.insert(**id)) {
                    let invoice = store
                        .customer_invoice(self.org.id, self.customer.id, *id)
                        .await?;
                    if !invoice.status.is_payable() {
                        return Err(Error::NothingToPay);
                    }
                    out.push(invoice);
                }
                Ok(out)
            }
        }
    }

    /// A concurrent retry of the same payment may have settled the invoices between
    /// our first look at the key and now: if an attempt with this key and request
    /// exists, answer with it; otherwise with `error`.
    async fn replay_or(&self, error: Error, key: &str, asked: &str) -> Result<Payment> {
        match self
            .portal
            .inner
            .store
            .payment_attempt(self.org.id, key)
            .await
        {
            Ok(existing)
                if existing.customer == self.customer.id && existing.fingerprint == asked =>
            {
                match self.finished(&existing).await? {
                    Some(done) => done,
                    None => Err(Error::PaymentPending),
                }
            }
            _ => Err(error),
        }
    }

    /// The answer for an attempt that is already settled, or `None` if pending.
    async fn finished(&self, attempt: &PaymentAttempt) -> Result<Option<Result<Payment>>> {
        Ok(match &attempt.status {
            AttemptStatus::Pending => None,
            AttemptStatus::Succeeded { payment } => Some(Ok(self
                .portal
                .inner
                .store
                .customer_payment(self.org.id, self.customer.id, *payment)
                .await?)),
            AttemptStatus::Failed { code, message } => Some(Err(Error::PaymentFailed {
                code: known_code(code),
                message: message.clone(),
            })),
        })
    }
}

impl SessionInvoices<'_> {
    /// Pays invoices online (I3–I8): the whole balance of one or several invoices in
    /// one charge (oldest due first), or part of one invoice that allows it.
    ///
    /// The attempt is stored under the idempotency key before the gateway is called:
    /// a retry with the same key returns the first result and charges nothing; the
    /// same key with other parameters is refused. On success one atomic store
    /// operation records the payment, allocations, balances, receipt and
    /// notifications. The attempt reserves what it will apply when it is stored, so
    /// concurrent attempts (two tabs, two devices, a double submit with fresh keys)
    /// never charge more than is owed: one for more than the unreserved balance is
    /// refused before the gateway is called. Only an offline payment the org records
    /// while this one is in flight can leave an excess, which stays as credit. If the gateway does not answer, [`Error::PaymentPending`]:
    /// [`Portal::recover_payments`] completes it.
    ///
    /// # Errors
    /// [`Error::Forbidden`], [`Error::PaymentDetails`], [`Error::NotFound`], [`Error::NothingToPay`],
    /// [`Error::PartialPaymentNotAllowed`], [`Error::AmountExceedsBalance`],
    /// [`Error::PaymentInProgress`],
    /// [`Error::NoPaymentGateway`], [`Error::UnsupportedCurrency`] (CP4003),
    /// [`Error::BelowGatewayMinimum`] (CP4001), [`Error::BankPaymentNotAllowed`],
    /// [`Error::IdempotencyKeyReused`], [`Error::PaymentDeclined`] (CP3003–CP3005 and
    /// others), [`Error::Gateway`] (CP3001, CP3002), [`Error::PaymentPending`].
    #[instrument(skip_all, fields(org = %self.0.org.id, customer = %self.0.customer.id))]
    pub async fn pay(self, request: PayRequest) -> Result<Payment> {
        self.0.require(Module::Invoices, Action::Pay)?;
        if !valid_key(&request.idempotency_key) {
            return Err(Error::InvalidIdempotencyKey);
        }
        request.source.check()?;
        let store = &self.0.portal.inner.store;
        let asked = fingerprint(self.0, &request);
        // A retry of a finished attempt answers from the record, before anything else.
        if let Ok(existing) = store
            .payment_attempt(self.0.org.id, &request.idempotency_key)
            .await
        {
            if existing.customer != self.0.customer.id || existing.fingerprint != asked {
                return Err(Error::IdempotencyKeyReused);
            }
            if let Some(done) = self.0.finished(&existing).await? {
                return done;
            }
        }
        let invoices = match self.0.payable_invoices(&request.invoices).await {
            Ok(invoices) if !invoices.is_empty() => invoices,
            Ok(_) => {
                return self
                    .0
                    .replay_or(Error::NothingToPay, &request.idempotency_key, &asked)
                    .await;
            }
            Err(e) => return self.0.replay_or(e, &request.idempotency_key, &asked).await,
        };
        let currency = self.0.customer.currency;
        let balance = invoices
            .iter()
            .try_fold(Money::zero(currency), |sum, i| sum.checked_add(&i.balance))?;
        if balance.is_zero() {
            return self
                .0
                .replay_or(Error::NothingToPay, &request.idempotency_key, &asked)
                .await;
        }
        let amount = match request.amount {
            None => balance,
            Some(amount) => {
                let amount = amount.positive_in(currency)?;
                if (invoices.len() != 1 || !invoices[0].allow_partial_payments) && amount != balance
                {
                    return Err(Error::PartialPaymentNotAllowed);
                }
                if amount.amount() > balance.amount() {
                    return Err(Error::AmountExceedsBalance { amount, balance });
                }
                amount
            }
        };
        // A saved method is charged through the gateway that holds it.
        let saved = match &request.source {
            PaySource::Saved(id) => Some(
                store
                    .payment_method(self.0.org.id, self.0.customer.id, *id)
                    .await?,
            ),
            _ => None,
        };
        // A gateway every chosen invoice names and the portal has.
        let gateway = invoices[0]
            .payment_gateways
            .iter()
            .filter(|g| invoices.iter().all(|i| i.payment_gateways.contains(g)))
            .filter(|g| saved.as_ref().is_none_or(|m| &m.gateway == *g))
            .find_map(|g| self.0.portal.gateway(g))
            .cloned()
            .ok_or(Error::NoPaymentGateway)?;
        if !gateway.supports_currency(currency) {
            return Err(Error::UnsupportedCurrency(currency));
        }
        let minimum = gateway.minimum_amount(currency);
        if amount.amount() < minimum.amount() {
            return Err(Error::BelowGatewayMinimum(minimum));
        }
        let by_bank = matches!(request.source, PaySource::BankAccount(_))
            || saved
                .as_ref()
                .is_some_and(|m| matches!(m.method, PaymentMethod::BankAccount { .. }));
        if by_bank
            && (!self.0.customer.may_pay_by_bank_account || !gateway.supports_bank_accounts())
        {
            return Err(Error::BankPaymentNotAllowed);
        }
        let ids: Vec<InvoiceId> = invoices.iter().map(|i| i.id).collect();
        let attempt = PaymentAttempt {
            id: AttemptId::new(),
            org: self.0.org.id,
            customer: self.0.customer.id,
            contact: Some(self.0.contact.id),
            idempotency_key: request.idempotency_key.clone(),
            fingerprint: asked,
            amount,
            invoices: ids,
            gateway: gateway.id().to_owned(),
            status: AttemptStatus::Pending,
            created_at: self.0.portal.now(),
        };
        let attempt = match store.start_payment_attempt(&attempt).await? {
            AttemptStart::Started => attempt,
            AttemptStart::Existing(existing) => {
                if existing.fingerprint != attempt.fingerprint
                    || existing.customer != self.0.customer.id
                {
                    return Err(Error::IdempotencyKeyReused);
                }
                if let Some(done) = self.0.finished(&existing).await? {
                    return done;
                }
                // Still pending (a retry after a crash or a timeout): charging again
                // with the same key is safe, the gateway charges once per key.
                *existing
            }
            AttemptStart::Refused(ReservationRefusal::InProgress) => {
                return Err(Error::PaymentInProgress);
            }
            AttemptStart::Refused(ReservationRefusal::ExceedsBalance { available }) => {
                return Err(Error::AmountExceedsBalance {
                    amount,
                    balance: available,
                });
            }
        };
        let charge = ChargeRequest {
            idempotency_key: attempt.idempotency_key.clone(),
            amount: attempt.amount,
            source: match (request.source, saved) {
                (PaySource::Card(c), _) => ChargeSource::Card(c),
                (PaySource::BankAccount(b), _) => ChargeSource::BankAccount(b),
                (PaySource::Saved(_), Some(m)) => ChargeSource::Token(GatewayToken(m.token)),
                (PaySource::Saved(_), None) => return Err(Error::NotFound(Entity::PaymentMethod)),
            },
            description: format!("{} invoices", self.0.org.name),
        };
        match gateway.charge(&charge).await {
            Ok(ChargeOutcome::Succeeded { charge_id, method }) => {
                let id = PaymentId::new();
                let receipt = receipt_number(id);
                let (emails, notice) = self.0.portal.payment_emails(
                    self.0.actor(),
                    id,
                    attempt.amount,
                    &invoices,
                    &receipt,
                );
                let recorded = store
                    .record_payment(&PaymentRecording {
                        id,
                        org: self.0.org.id,
                        customer: self.0.customer.id,
                        receipt_number: receipt,
                        amount: attempt.amount,
                        method,
                        reference: Some(charge_id),
                        paid_at: self.0.portal.now(),
                        invoices: attempt.invoices.clone(),
                        attempt: Some(attempt.id),
                        emails,
                        notice: Some(notice),
                    })
                    .await;
                match recorded {
                    Ok(payment) => {
                        tracing::info!(payment = %payment.id, "payment recorded");
                        Ok(payment)
                    }
                    // A concurrent retry recorded it first: answer with its payment.
                    Err(StoreError::Conflict(Rule::PaymentAttempt)) => {
                        let existing = store
                            .payment_attempt(self.0.org.id, &attempt.idempotency_key)
                            .await?;
                        match self.0.finished(&existing).await? {
                            Some(done) => done,
                            None => Err(Error::PaymentPending),
                        }
                    }
                    Err(e) => {
                        // Charged but not recorded: the attempt stays pending and
                        // recovery records it.
                        tracing::error!(attempt = %attempt.id, error = %e, "charged but not recorded; left for recovery");
                        Err(Error::PaymentPending)
                    }
                }
            }
            Ok(ChargeOutcome::Declined(reason)) => {
                let _ = store
                    .fail_payment_attempt(
                        self.0.org.id,
                        attempt.id,
                        reason.code(),
                        reason.message(),
                    )
                    .await;
                Err(Error::PaymentDeclined(reason))
            }
            Err(GatewayError::Unavailable(why)) => {
                tracing::warn!(attempt = %attempt.id, %why, "gateway did not answer; left for recovery");
                Err(Error::PaymentPending)
            }
            Err(e) => {
                let _ = store
                    .fail_payment_attempt(self.0.org.id, attempt.id, e.code(), &e.to_string())
                    .await;
                Err(Error::Gateway(e))
            }
        }
    }
}

/// The customer's payments, receipts and refunds (S1, S2).
/// From [`PortalSession::payments`]; every call is scoped to the session's customer.
#[derive(Debug, Clone, Copy)]
pub struct SessionPayments<'s>(pub(super) &'s PortalSession);

impl PortalSession {
    /// The customer's payments, receipts and refunds (S1, S2).
    #[must_use]
    pub fn payments(&self) -> SessionPayments<'_> {
        SessionPayments(self)
    }
}

impl SessionPayments<'_> {
    /// One page of the customer's payments, online and offline, newest first (I9).
    ///
    /// # Errors
    /// [`Error::Forbidden`], [`Error::Cursor`].
    #[instrument(skip_all, fields(org = %self.0.org.id, customer = %self.0.customer.id))]
    pub async fn list(self, after: Option<&str>, limit: u32) -> Result<Page<Payment>> {
        self.0.require(Module::Payments, Action::View)?;
        let after = after.map(Cursor::decode).transpose()?;
        Ok(self
            .0
            .portal
            .inner
            .store
            .customer_payments(
                self.0.org.id,
                self.0.customer.id,
                after,
                check_limit(limit)?,
            )
            .await?)
    }

    /// A payment with the invoices it paid: the receipt (I9).
    ///
    /// # Errors
    /// [`Error::NotFound`] for someone else's payment.
    pub async fn get(self, id: PaymentId) -> Result<Payment> {
        self.0.require(Module::Payments, Action::View)?;
        Ok(self
            .0
            .portal
            .inner
            .store
            .customer_payment(self.0.org.id, self.0.customer.id, id)
            .await?)
    }

    /// The refunds the customer received, newest first (I11).
    ///
    /// # Errors
    /// [`Error::Forbidden`].
    pub async fn refunds(self) -> Result<Vec<crate::domain::Refund>> {
        self.0.require(Module::Payments, Action::View)?;
        Ok(self
            .0
            .portal
            .inner
            .store
            .customer_refunds(self.0.org.id, self.0.customer.id)
            .await?)
    }
}
