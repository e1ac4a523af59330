//! Pay Now (I3–I8): reserve, charge once under the idempotency key, record.

use super::{InvoiceSelection, PayOutcome, PayRequest, PaySource, fingerprint};
use crate::domain::PendingPayment;
use crate::service::invoices::SessionInvoices;

use tracing::instrument;

use crate::domain::{
    Action, AttemptId, AttemptProgress, AttemptStage, AttemptStatus, Invoice, InvoiceFilter,
    InvoiceId, InvoiceKind, InvoiceQuery, Module, Money, Payment, PaymentAttempt, PaymentId,
    PaymentMethod, ReservationRefusal,
};
use crate::error::{Error, Result};
use crate::gateway::{ChargeOutcome, ChargeRequest, ChargeSource, GatewayError, GatewayToken};
use crate::service::invoices::receipt_number;
use crate::service::sessions::PortalSession;
use crate::store::{AttemptStart, FailureNotice, PaymentRecording, StoreError};
use crate::store::{Entity, Rule};

pub(super) fn valid_key(key: &str) -> bool {
    (8..=255).contains(&key.len()) && key.bytes().all(|b| b.is_ascii_graphic())
}

impl PortalSession {
    async fn payable_invoices(&self, selection: &InvoiceSelection) -> Result<Vec<Invoice>> {
        let store = &self.portal.inner.store;
        match selection {
            InvoiceSelection::AllOutstanding => {
                let mut query = InvoiceQuery::new(self.today());
                query.kind = Some(InvoiceKind::Invoice);
                query.filter = InvoiceFilter::Unpaid;
                query.limit = crate::domain::MAX_PAGE_SIZE;
                let mut out = Vec::new();
                loop {
                    let page = store
                        .invoices()
                        .customer_page(self.org.id, self.customer.id, &query)
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
                        .invoices()
                        .of_customer(self.org.id, self.customer.id, *id)
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
            // The key names another payment: that answers before any other check.
            Ok(_) => Err(Error::IdempotencyKeyReused),
            Err(_) => Err(error),
        }
    }

    /// Keeps what the gateway answered of a pending attempt ("not yet"): the
    /// pending payment, or, when the gateway's event settled the attempt first,
    /// its final answer.
    async fn staged(
        &self,
        attempt: &PaymentAttempt,
        stage: AttemptStage,
        reference: String,
    ) -> Result<std::result::Result<PendingPayment, Result<Payment>>> {
        let store = &self.portal.inner.store;
        let progress = AttemptProgress {
            stage,
            reference,
            since: self.portal.now(),
        };
        match store
            .stage_payment_attempt(self.org.id, attempt.id, &progress, None)
            .await
        {
            Ok(_) => {
                tracing::info!(attempt = %attempt.id, stage = stage.as_str(), "payment not settled yet");
                let mut staged = attempt.clone();
                staged.progress = Some(progress);
                PendingPayment::of(&staged)
                    .map(Ok)
                    .ok_or(Error::PaymentPending)
            }
            Err(StoreError::Conflict(Rule::PaymentAttempt)) => {
                let now = store
                    .payment_attempt(self.org.id, &attempt.idempotency_key)
                    .await?;
                match self.finished(&now).await? {
                    Some(done) => Ok(Err(done)),
                    None => Err(Error::PaymentPending),
                }
            }
            Err(e) => Err(e.into()),
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
                code: *code,
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
    /// [`Portal::recover_payments`](crate::service::Portal::recover_payments) completes it.
    ///
    /// # Errors
    /// [`Error::Forbidden`], [`Error::PaymentDetails`], [`Error::NotFound`], [`Error::NothingToPay`],
    /// [`Error::PartialPaymentNotAllowed`], [`Error::AmountExceedsBalance`],
    /// [`Error::PaymentInProgress`],
    /// [`Error::NoPaymentGateway`], [`Error::UnsupportedCurrency`] (CP4003),
    /// [`Error::BelowGatewayMinimum`] (CP4001), [`Error::BankPaymentNotAllowed`],
    /// [`Error::IdempotencyKeyReused`], [`Error::PaymentDeclined`] (CP3003–CP3005 and
    /// others), [`Error::Gateway`] (CP3001, CP3002), [`Error::PaymentPending`],
    /// [`Error::AuthenticationRequired`] and [`Error::PaymentProcessing`] when the
    /// gateway answered "not yet" (see [`Self::pay_online`]).
    pub async fn pay(self, request: PayRequest) -> Result<Payment> {
        self.pay_online(request).await?.paid()
    }

    /// Pays invoices online as [`Self::pay`] does, answering also the outcomes that
    /// are not final: the customer must confirm with their bank
    /// ([`PayOutcome::RequiresAction`], with what the browser does next), or the
    /// payment settles later ([`PayOutcome::Processing`]). Either way the attempt
    /// keeps its reservation, so nothing else can be charged against that balance,
    /// and the gateway's event ([`crate::service::Portal::handle_gateway_event`])
    /// settles it. A retry with the same key continues the same payment (the
    /// gateway answers the same "not yet" again) and charges nothing more.
    ///
    /// # Errors
    /// As [`Self::pay`], without the two "not yet" errors.
    #[instrument(skip_all, fields(org = %self.0.org.id, customer = %self.0.customer.id))]
    pub async fn pay_online(self, request: PayRequest) -> Result<PayOutcome> {
        self.0.require(Module::Invoices, Action::Pay)?;
        if !valid_key(&request.idempotency_key) {
            return Err(Error::InvalidIdempotencyKey);
        }
        request.source.check()?;
        let store = &self.0.portal.inner.store;
        let asked = fingerprint(self.0, &request);
        // What to charge and through which gateway. A retry of a finished attempt
        // normally passes these checks and is answered by `start_payment_attempt`
        // from the stored attempt; when a check fails (the retry comes after the
        // invoice was paid, say), the stored attempt answers instead of the failure.
        // So the happy path reads no attempt before storing its own.
        let prepared = async {
            let invoices = self.0.payable_invoices(&request.invoices).await?;
            if invoices.is_empty() {
                return Err(Error::NothingToPay);
            }
            let currency = self.0.customer.currency;
            let balance = invoices
                .iter()
                .try_fold(Money::zero(currency), |sum, i| sum.checked_add(&i.balance))?;
            if balance.is_zero() {
                return Err(Error::NothingToPay);
            }
            let amount = match request.amount {
                // The sum of the balances passes the same ceiling as a typed amount.
                None => balance.within_ceiling()?,
                Some(amount) => {
                    let amount = amount.positive_in(currency)?;
                    if (invoices.len() != 1 || !invoices[0].allow_partial_payments)
                        && amount != balance
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
            if matches!(
                request.source,
                PaySource::Card(_) | PaySource::BankAccount(_)
            ) && !gateway.accepts_typed_details()
            {
                return Err(Error::Gateway(GatewayError::TypedDetailsRefused));
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
            Ok((invoices, amount, saved, gateway))
        }
        .await;
        let (invoices, amount, saved, gateway) = match prepared {
            Ok(prepared) => prepared,
            Err(e) => {
                return self
                    .0
                    .replay_or(e, &request.idempotency_key, &asked)
                    .await
                    .map(PayOutcome::Paid);
            }
        };
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
            progress: None,
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
                    return done.map(PayOutcome::Paid);
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
            org: self.0.org.id,
            attempt: attempt.id,
            amount: attempt.amount,
            source: match (request.source, saved) {
                (PaySource::Method(m), _) => ChargeSource::Method(m),
                (PaySource::Card(c), _) => ChargeSource::Card(c),
                (PaySource::BankAccount(b), _) => ChargeSource::BankAccount(b),
                (PaySource::Saved(_), Some(m)) => ChargeSource::Token(GatewayToken(m.token)),
                (PaySource::Saved(_), None) => return Err(Error::NotFound(Entity::PaymentMethod)),
            },
            description: format!("{} invoices", self.0.org.name),
            return_url: Some(format!(
                "{}/{}/payments",
                self.0.portal.config().base_url,
                self.0.org.slug
            )),
            off_session: false,
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
                        Ok(PayOutcome::Paid(payment))
                    }
                    // A concurrent retry recorded it first: answer with its payment.
                    Err(StoreError::Conflict(Rule::PaymentAttempt)) => {
                        let existing = store
                            .payment_attempt(self.0.org.id, &attempt.idempotency_key)
                            .await?;
                        match self.0.finished(&existing).await? {
                            Some(done) => done.map(PayOutcome::Paid),
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
                        reason.failure(),
                        reason.message(),
                        &FailureNotice::default(),
                    )
                    .await;
                Err(Error::PaymentDeclined(reason))
            }
            Ok(ChargeOutcome::RequiresAction { reference, action }) => {
                let pending = self
                    .0
                    .staged(&attempt, AttemptStage::RequiresAction, reference)
                    .await?;
                Ok(match pending {
                    Ok(pending) => PayOutcome::RequiresAction { pending, action },
                    Err(done) => PayOutcome::Paid(done?),
                })
            }
            Ok(ChargeOutcome::Processing { reference, .. }) => {
                let pending = self
                    .0
                    .staged(&attempt, AttemptStage::Processing, reference)
                    .await?;
                Ok(match pending {
                    Ok(pending) => PayOutcome::Processing(pending),
                    Err(done) => PayOutcome::Paid(done?),
                })
            }
            Err(GatewayError::Unavailable(why)) => {
                tracing::warn!(attempt = %attempt.id, %why, "gateway did not answer; left for recovery");
                Err(Error::PaymentPending)
            }
            Err(e) => {
                let _ = store
                    .fail_payment_attempt(
                        self.0.org.id,
                        attempt.id,
                        e.failure(),
                        &e.to_string(),
                        &FailureNotice::default(),
                    )
                    .await;
                Err(Error::Gateway(e))
            }
        }
    }
}
