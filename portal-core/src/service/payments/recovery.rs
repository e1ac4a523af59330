//! Recovery: payments whose gateway outcome was lost are asked again by key and
//! recorded.

use super::RecoveryReport;
use super::events::{EventOutcome, Settlement};
use std::sync::Arc;

use time::Duration;
use tracing::instrument;

use crate::domain::{
    AttemptStage, EmailKind, FailureCode, Invoice, Money, OutboxEmail, PaymentId, PortalEvent,
};
use crate::error::{Error, Result};
use crate::gateway::{ChargeState, PaymentGateway};
use crate::service::Portal;
use crate::service::invoices::{Actor, notice_of};
use crate::store::StoreError;

impl Portal {
    pub(in crate::service) fn gateway(&self, id: &str) -> Option<&Arc<dyn PaymentGateway>> {
        self.inner.gateways.iter().find(|g| g.id() == id)
    }

    /// The receipt to the paying contact and the org's notice of a portal payment.
    pub(in crate::service) fn payment_emails(
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
            crate::domain::ActivitySubject::Document(crate::domain::DocumentRef::Receipt(payment)),
            format!("{} paid {amount}", customer.display_name),
            format!(
                "{} ({}) paid {amount} online for {} (receipt {receipt}).\n",
                contact.full_name(),
                customer.display_name,
                numbers.join(", ")
            ),
        );
        if let Some(to) = contact.email.clone() {
            use crate::i18n::arg;
            let reader = crate::i18n::Reader::of(contact, org);
            let invoices: Vec<String> = numbers.iter().map(|n| (*n).to_owned()).collect();
            let args = [
                ("receipt", arg(receipt)),
                ("org", arg(&org.name)),
                ("amount", arg(reader.money(&amount))),
                (
                    "invoices",
                    arg(crate::i18n::list(reader.language(), &invoices)),
                ),
            ];
            emails.push(
                OutboxEmail::new(
                    org.id,
                    EmailKind::CustomerNotification,
                    to,
                    reader.text("receipt-subject", &args),
                    reader.text("receipt-body", &args) + "\n",
                    now,
                )
                .with_attachment(
                    crate::domain::AttachedDocument::of(
                        crate::domain::DocumentRef::Receipt(payment),
                        customer.id,
                    )
                    .read_by(&reader),
                ),
            );
        }
        (emails, notice)
    }

    /// Completes pending payment attempts whose outcome never arrived. For each
    /// attempt older than `older_than` (give the gateway time to settle: 15 minutes
    /// is safe), the gateway is asked by idempotency key (and its payment id, once
    /// known): a charge found is recorded; a payment that failed or never happened
    /// is marked failed and its reservation released; one still processing stays
    /// pending. An attempt left waiting for the customer's bank for longer than
    /// [`PortalConfig::abandoned_authentication_after`](crate::service::PortalConfig::abandoned_authentication_after)
    /// is cancelled at the gateway first, then released (unless it settled
    /// meanwhile: then it is recorded). Run it on a timer.
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
        let now = self.now();
        let abandon_after = self.config().abandoned_authentication_after;
        for attempt in store
            .pending_payment_attempts(now - older_than, limit)
            .await?
        {
            let Some(gateway) = self.gateway(&attempt.gateway).cloned() else {
                report.still_pending += 1;
                continue;
            };
            let key = attempt.idempotency_key.as_str();
            let asked = match &attempt.progress {
                Some(p)
                    if p.stage == AttemptStage::RequiresAction
                        && now - p.since >= abandon_after =>
                {
                    gateway
                        .cancel_charge(key, &p.reference)
                        .await
                        .map(|state| match state {
                            ChargeState::NotCharged => ChargeState::Failed {
                                code: FailureCode::AuthenticationAbandoned,
                                message: "the payment was not confirmed with the bank in time; \
                                          nothing was charged"
                                    .into(),
                            },
                            other => other,
                        })
                }
                progress => {
                    gateway
                        .find_charge(key, progress.as_ref().map(|p| p.reference.clone()))
                        .await
                }
            };
            let state = match asked {
                Ok(state) => state,
                Err(e) => {
                    tracing::warn!(attempt = %attempt.id, error = %e, "recovery: gateway did not answer");
                    report.still_pending += 1;
                    continue;
                }
            };
            let abandoned = matches!(
                &state,
                ChargeState::Failed {
                    code: FailureCode::AuthenticationAbandoned,
                    ..
                }
            );
            let never_charged = matches!(state, ChargeState::NotCharged);
            match self.settle(&attempt, Settlement::from(state)).await {
                Ok(EventOutcome::Recorded) => {
                    tracing::info!(attempt = %attempt.id, "payment recovered");
                    report.recorded += 1;
                }
                Ok(EventOutcome::Failed) if abandoned => report.abandoned += 1,
                Ok(EventOutcome::Failed) if never_charged => report.not_charged += 1,
                Ok(EventOutcome::Failed) => report.failed += 1,
                Ok(EventOutcome::AlreadyApplied) if never_charged => report.not_charged += 1,
                Ok(EventOutcome::AlreadyApplied) if attempt.progress.is_none() => {
                    report.recorded += 1;
                }
                Ok(_) => report.still_pending += 1,
                Err(Error::Store(e)) if !matches!(e, StoreError::Unavailable(_)) => {
                    tracing::warn!(attempt = %attempt.id, error = %e, "recovery: records not readable; left for the next run");
                    report.still_pending += 1;
                }
                Err(e) => return Err(e),
            }
        }
        Ok(report)
    }
}
