//! Recovery: payments whose gateway outcome was lost are asked again by key and
//! recorded.

use super::RecoveryReport;
use std::sync::Arc;

use time::Duration;
use tracing::instrument;

use crate::domain::{
    EmailKind, Invoice, Money, OutboxEmail, PaymentAttempt, PaymentId, PortalEvent,
};
use crate::error::Result;
use crate::gateway::PaymentGateway;
use crate::service::Portal;
use crate::service::invoices::{Actor, notice_of, receipt_number};
use crate::store::Rule;
use crate::store::{PaymentRecording, StoreError};

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
            emails.push(
                OutboxEmail::new(
                    org.id,
                    EmailKind::CustomerNotification,
                    to,
                    format!("Receipt {receipt} from {}", org.name).replace(['\r', '\n'], " "),
                    format!(
                        "Thank you for your payment of {amount} for {}.\nReceipt: {receipt}\n",
                        numbers.join(", ")
                    ),
                    now,
                )
                .with_attachment(crate::domain::AttachedDocument::of(
                    crate::domain::DocumentRef::Receipt(payment),
                    customer.id,
                )),
            );
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
                        .invoices()
                        .of_customer(attempt.org, attempt.customer, *id)
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
                            crate::domain::FailureCode::NotCharged,
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
