//! Gateway events: the outcome of a payment that did not settle when it was made
//! (the customer confirmed with their bank, a bank debit settled or failed) arrives
//! as a signed event. One entry point verifies it and applies it to its attempt,
//! the same way recovery applies what it asks the gateway.

use tracing::instrument;

use crate::domain::{
    ActivitySubject, AttemptProgress, AttemptStage, AttemptStatus, DocumentRef, EmailKind,
    FailureCode, Invoice, Notice, OutboxEmail, PaymentAttempt, PaymentId, PortalEvent,
};
use crate::error::{Error, Result};
use crate::gateway::{ChargeRecord, ChargeState, EventKind, GatewayError};
use crate::service::Portal;
use crate::service::invoices::{Actor, notice_of, receipt_number};
use crate::store::{FailureNotice, PaymentRecording, Rule, StoreError};

/// What handling a gateway event did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventOutcome {
    /// The payment settled and is recorded: paid, receipt, organization told.
    Recorded,
    /// The payment failed: reservation released, invoices as they were, customer
    /// and organization told.
    Failed,
    /// The attempt moved to "waiting for the bank" or "processing".
    Staged,
    /// Nothing to do: a duplicate, or an event older than what the attempt already
    /// knows (a "processing" after it settled), or one about an attempt that is
    /// settled already.
    AlreadyApplied,
    /// Authentic, but about no payment of this portal (another system's payment on
    /// the same gateway account, or an event type the portal does not act on).
    Ignored,
}

/// What the gateway says of an attempt, from an event or from asking it.
pub(super) enum Settlement {
    /// Charged: record it.
    Charged(ChargeRecord),
    /// Not settled yet.
    Staged(AttemptStage, String),
    /// Nothing was or will be charged.
    Failed(FailureCode, String),
}

/// The records a payment's emails and notices name.
struct Parties {
    org: crate::domain::Organization,
    customer: crate::domain::Customer,
    contact: crate::domain::ContactPerson,
    invoices: Vec<Invoice>,
}

impl Parties {
    fn actor(&self) -> Actor<'_> {
        (&self.org, &self.customer, &self.contact)
    }

    fn numbers(&self) -> String {
        self.invoices
            .iter()
            .map(|i| i.number.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

impl Portal {
    /// The one entry point for the events a payment gateway posts to the host's
    /// webhook route. `gateway` is the id of the gateway the route is for,
    /// `signature` the signature header as received (Stripe: `Stripe-Signature`),
    /// `payload` the request body's exact bytes.
    ///
    /// The event is verified by the gateway adapter, then applied to the attempt it
    /// names: a settled payment is recorded (paid, receipt, organization notified);
    /// a failed one releases its reservation and tells the customer and the
    /// organization, in one atomic store operation each; "waiting for the bank" or
    /// "processing" is kept. Duplicates change nothing, and an event older than what
    /// the attempt knows (a "processing" after the payment settled, a failure after
    /// it was recorded) changes nothing: an attempt leaves "pending" once. Before
    /// failing an attempt the gateway's payment is cancelled, so a payment the
    /// portal gave up on cannot be charged later. Answer the gateway 2xx for any
    /// `Ok`, so that it stops resending.
    ///
    /// # Errors
    /// [`Error::NoPaymentGateway`] for an unknown gateway id; [`Error::Gateway`] with
    /// [`GatewayError::InvalidEvent`] for an event that is not authentic (answer
    /// 400; nothing changed); store errors (answer 5xx: the gateway resends later).
    #[instrument(skip_all, fields(gateway = %gateway))]
    pub async fn handle_gateway_event(
        &self,
        gateway: &str,
        signature: &str,
        payload: &[u8],
    ) -> Result<EventOutcome> {
        let gw = self
            .gateway(gateway)
            .cloned()
            .ok_or(Error::NoPaymentGateway)?;
        let Some(event) = gw.verify_event(signature, payload, self.now()).await? else {
            return Ok(EventOutcome::Ignored);
        };
        let attempt = match self
            .inner
            .store
            .payment_attempt(event.org, &event.idempotency_key)
            .await
        {
            Ok(attempt) if attempt.gateway == gw.id() => attempt,
            Ok(_) | Err(StoreError::NotFound(_)) => {
                tracing::info!(event = %event.id, "gateway event about no payment of this portal");
                return Ok(EventOutcome::Ignored);
            }
            Err(e) => return Err(e.into()),
        };
        tracing::info!(event = %event.id, attempt = %attempt.id, "gateway event");
        let settlement = match event.kind {
            EventKind::Succeeded(record) => Settlement::Charged(record),
            EventKind::Processing { .. } => {
                Settlement::Staged(AttemptStage::Processing, event.reference)
            }
            EventKind::RequiresAction => {
                Settlement::Staged(AttemptStage::RequiresAction, event.reference)
            }
            EventKind::Failed { code, message } => {
                // Make sure it can no longer be charged before giving its balance back.
                match gw
                    .cancel_charge(&attempt.idempotency_key, &event.reference)
                    .await
                {
                    Ok(ChargeState::Succeeded(record)) => Settlement::Charged(record),
                    Ok(ChargeState::Open { .. }) => {
                        return Ok(EventOutcome::AlreadyApplied);
                    }
                    Ok(_) => Settlement::Failed(code, message),
                    Err(e) => {
                        return Err(Error::Gateway(GatewayError::Unavailable(e.to_string())));
                    }
                }
            }
        };
        self.settle(&attempt, settlement).await
    }

    /// Applies what the gateway says of `attempt`, once: an attempt leaves
    /// "pending" in one atomic store operation, and a stage never goes back from
    /// "processing" to "waiting for the bank".
    pub(super) async fn settle(
        &self,
        attempt: &PaymentAttempt,
        settlement: Settlement,
    ) -> Result<EventOutcome> {
        if attempt.status != AttemptStatus::Pending {
            return Ok(EventOutcome::AlreadyApplied);
        }
        let store = &self.inner.store;
        match settlement {
            Settlement::Charged(charge) => {
                let parties = self.parties(attempt).await?;
                let id = PaymentId::new();
                let receipt = receipt_number(id);
                let (emails, notice) = match &parties {
                    Some(p) => {
                        let (emails, notice) = self.payment_emails(
                            p.actor(),
                            id,
                            charge.amount,
                            &p.invoices,
                            &receipt,
                        );
                        (emails, Some(notice))
                    }
                    None => (Vec::new(), None),
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
                    Ok(_) => {
                        tracing::info!(attempt = %attempt.id, payment = %id, "payment settled");
                        Ok(EventOutcome::Recorded)
                    }
                    Err(StoreError::Conflict(Rule::PaymentAttempt)) => {
                        Ok(EventOutcome::AlreadyApplied)
                    }
                    Err(e) => Err(e.into()),
                }
            }
            Settlement::Staged(stage, reference) => {
                let current = attempt.stage();
                if current == Some(stage) || current == Some(AttemptStage::Processing) {
                    return Ok(EventOutcome::AlreadyApplied);
                }
                let progress = AttemptProgress {
                    stage,
                    reference,
                    since: self.now(),
                };
                let notice = match stage {
                    AttemptStage::Processing => self
                        .parties(attempt)
                        .await?
                        .map(|p| self.processing_notice(&p, attempt)),
                    AttemptStage::RequiresAction => None,
                };
                match store
                    .stage_payment_attempt(attempt.org, attempt.id, &progress, notice.as_ref())
                    .await
                {
                    Ok(true) => Ok(EventOutcome::Staged),
                    Ok(false) | Err(StoreError::Conflict(Rule::PaymentAttempt)) => {
                        Ok(EventOutcome::AlreadyApplied)
                    }
                    Err(e) => Err(e.into()),
                }
            }
            Settlement::Failed(code, message) => {
                let tell = match self.parties(attempt).await? {
                    Some(p) => self.failure_notice(&p, attempt, code, &message),
                    None => FailureNotice::default(),
                };
                match store
                    .fail_payment_attempt(attempt.org, attempt.id, code, &message, &tell)
                    .await
                {
                    Ok(()) => {
                        tracing::info!(attempt = %attempt.id, code = code.as_str(), "payment failed; reservation released");
                        Ok(EventOutcome::Failed)
                    }
                    Err(StoreError::Conflict(Rule::PaymentAttempt)) => {
                        Ok(EventOutcome::AlreadyApplied)
                    }
                    Err(e) => Err(e.into()),
                }
            }
        }
    }

    /// The organization, customer, contact and invoices of an attempt, for its
    /// emails and notices (`None` for an attempt stored before attempts named their
    /// contact).
    ///
    /// # Errors
    /// A store error reading them: the attempt is then left for a later event or
    /// recovery run rather than settled without its emails.
    async fn parties(&self, attempt: &PaymentAttempt) -> Result<Option<Parties>> {
        let store = &self.inner.store;
        let Some(contact) = attempt.contact else {
            return Ok(None);
        };
        let org = store.org(attempt.org).await?;
        let customer = store.customer(attempt.org, attempt.customer).await?;
        let contact = store.contact(attempt.org, contact).await?;
        let mut invoices = Vec::with_capacity(attempt.invoices.len());
        for id in &attempt.invoices {
            invoices.push(
                store
                    .invoices()
                    .of_customer(attempt.org, attempt.customer, *id)
                    .await?,
            );
        }
        Ok(Some(Parties {
            org,
            customer,
            contact,
            invoices,
        }))
    }

    fn subject_of(attempt: &PaymentAttempt) -> ActivitySubject {
        attempt
            .invoices
            .first()
            .map_or(ActivitySubject::Customer(attempt.customer), |id| {
                ActivitySubject::Document(DocumentRef::Invoice(*id))
            })
    }

    /// The activity row and organization email of a payment that is processing.
    fn processing_notice(&self, p: &Parties, attempt: &PaymentAttempt) -> Notice {
        let amount = attempt.amount;
        notice_of(
            p.actor(),
            self.now(),
            PortalEvent::PaymentProcessing,
            Self::subject_of(attempt),
            format!("{} is paying {amount}: processing", p.customer.display_name),
            format!(
                "{} ({}) paid {amount} for {}. The payment is processing and settles later; \
                 the amount is reserved on the invoices until then.\n",
                p.contact.full_name(),
                p.customer.display_name,
                p.numbers()
            ),
        )
    }

    /// The customer's email and the organization's notice of a payment that failed
    /// after the customer left the page.
    fn failure_notice(
        &self,
        p: &Parties,
        attempt: &PaymentAttempt,
        code: crate::domain::FailureCode,
        why: &str,
    ) -> FailureNotice {
        let amount = attempt.amount;
        let numbers = p.numbers();
        let notice = notice_of(
            p.actor(),
            self.now(),
            PortalEvent::PaymentFailed,
            Self::subject_of(attempt),
            format!("{}'s payment of {amount} failed", p.customer.display_name),
            format!(
                "The payment of {amount} by {} ({}) for {numbers} failed: {why}. \
                 The invoices are unpaid again.\n",
                p.contact.full_name(),
                p.customer.display_name,
            ),
        );
        let emails = p
            .contact
            .email
            .clone()
            .map(|to| {
                use crate::i18n::arg;
                let reader = crate::i18n::Reader::of(&p.contact, &p.org);
                let args = [
                    ("org", arg(&p.org.name)),
                    ("amount", arg(reader.money(&amount))),
                    ("invoices", arg(&numbers)),
                    // Why, in the customer's words; the gateway's own text
                    // where the library has none for its code.
                    ("reason", arg(reader.failure(code.as_str(), why))),
                    (
                        "url",
                        arg(format!("{}/{}", self.config().base_url, p.org.slug)),
                    ),
                ];
                OutboxEmail::new(
                    p.org.id,
                    EmailKind::CustomerNotification,
                    to,
                    reader.text("payment-failed-subject", &args),
                    reader.text("payment-failed-body", &args) + "\n",
                    self.now(),
                )
            })
            .into_iter()
            .collect();
        FailureNotice {
            emails,
            notice: Some(notice),
        }
    }
}

impl From<ChargeState> for Settlement {
    fn from(state: ChargeState) -> Self {
        match state {
            ChargeState::Succeeded(record) => Settlement::Charged(record),
            ChargeState::NotCharged => Settlement::Failed(
                FailureCode::NotCharged,
                "the payment did not go through; nothing was charged".into(),
            ),
            ChargeState::Failed { code, message } => Settlement::Failed(code, message),
            ChargeState::Open { stage, reference } => Settlement::Staged(stage, reference),
        }
    }
}
