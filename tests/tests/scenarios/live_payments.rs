//! Payments that do not settle when they are made, as live gateways answer them: a
//! card whose bank asks the customer to confirm (3-D Secure), a bank debit that
//! settles days later, events that arrive twice, late or never. On every backend.
//!
//! The rules: while an attempt waits for the bank or is processing, its amount is
//! reserved on the invoice and shown as pending (invoice, dashboard, payments page,
//! statement), not paid; the gateway's signed event settles it (paid, receipt,
//! organization told) or fails it (reservation released, invoice as it was,
//! customer and organization told), once; recovery does the same when the event
//! never comes, and gives up on an authentication left unfinished.

use crate::common;
use crate::on_all_backends;

use common::backends::Env;
use common::paying::card;
use portal_core::Duration;
use portal_core::clock::Clock as _;
use portal_core::domain::{
    ActivitySubject, AttemptStage, DocumentRef, InvoiceStatus, PortalEvent, StatementPeriod,
};
use portal_core::gateway::{CustomerAction, GatewayError, MethodRef};
use portal_core::prelude::*;
use portal_core::service::{EventOutcome, PayOutcome};
use portal_memory::{SignedEvent, cards};

fn request(source: PaySource, key: &str) -> PayRequest {
    PayRequest {
        invoices: InvoiceSelection::AllOutstanding,
        amount: None,
        source,
        idempotency_key: key.into(),
    }
}

fn bank_settling_later() -> PaySource {
    PaySource::BankAccount(portal_core::gateway::BankDetails {
        routing_number: "110000000".into(),
        account_number: cards::BANK_SETTLES_LATER.into(),
        holder: "Pat Payer".into(),
    })
}

async fn deliver(env: &Env, event: &SignedEvent) -> EventOutcome {
    env.portal
        .handle_gateway_event("test", &event.signature, &event.payload)
        .await
        .expect("event")
}

/// A customer who owes one invoice of 120.00, may pay by bank, and is signed in.
async fn owing(
    env: &Env,
) -> (
    Organization,
    Customer,
    ContactPerson,
    PortalSession,
    Invoice,
) {
    let org = env.org().await;
    let (customer, contact, _, token) = env.signed_in_with_token(&org, "EUR").await;
    let mut allowed = env
        .store
        .customer(org.id, customer.id)
        .await
        .expect("customer");
    allowed.may_pay_by_bank_account = true;
    env.store
        .update_customer(&allowed)
        .await
        .expect("allow bank");
    let invoice = env.invoice("LIVE-1", 12_000).sent_to(&org, &customer).await;
    // Resolved after the change, so the session sees it.
    let session = env.portal.session(&token).await.expect("session");
    (org, customer, contact, session, invoice)
}

fn eur(minor: i64) -> Money {
    Money::from_minor_units(minor, Currency::from_code("EUR").expect("EUR"))
}

/// The whole 3-D Secure story: the charge answers "requires action" with the
/// client secret; meanwhile the balance is reserved and shown as pending (and a
/// second payment is refused); the bank's confirmation arrives as an event that
/// records the payment once, however many times it is delivered.
async fn a_card_the_bank_must_confirm_is_paid_when_the_event_arrives(env: Env) {
    let (org, customer, contact, session, invoice) = owing(&env).await;
    let outcome = session
        .invoices()
        .pay_online(request(
            card(cards::AUTHENTICATION_REQUIRED),
            "3ds-pay-0001",
        ))
        .await
        .expect("pay");
    let PayOutcome::RequiresAction { pending, action } = outcome else {
        panic!("expected requires action, got {outcome:?}");
    };
    let CustomerAction::ClientSecret(secret) = action else {
        panic!("expected a client secret");
    };
    assert!(secret.0.contains("_secret_"));
    assert!(
        !format!("{secret:?}").contains("_secret_"),
        "Debug hides it"
    );
    assert_eq!(pending.stage, AttemptStage::RequiresAction);
    assert_eq!(pending.amount, eur(12_000));
    assert_eq!(env.gateway.charge_count(), 0, "nothing charged yet");
    // Pending everywhere, paid nowhere.
    let held = session.invoices().get(invoice.id).await.expect("invoice");
    assert_eq!(held.status, InvoiceStatus::Sent);
    assert_eq!(held.balance, eur(12_000));
    assert_eq!(held.reserved, eur(12_000));
    let dashboard = session.dashboard().await.expect("dashboard");
    assert_eq!(dashboard.payments_pending, eur(12_000));
    assert_eq!(dashboard.outstanding_invoices, eur(12_000));
    assert_eq!(
        session.payments().pending().await.expect("pending"),
        vec![pending.clone()]
    );
    assert!(
        session
            .payments()
            .list(None, 10)
            .await
            .expect("list")
            .items
            .is_empty()
    );
    let statement = session
        .statement(StatementPeriod::ThisYear)
        .await
        .expect("statement");
    assert_eq!(statement.pending, vec![pending.clone()]);
    assert_eq!(statement.closing, eur(12_000), "pending is not paid");
    let printed = session
        .print()
        .statement(StatementPeriod::ThisYear)
        .await
        .expect("printable");
    assert!(
        printed
            .notes
            .iter()
            .any(|(label, value)| label.starts_with("Payment pending since")
                && value.starts_with("€120.00 (waiting for the bank")),
        "{:?}",
        printed.notes
    );
    // A second payment cannot take what the first holds.
    let err = session
        .invoices()
        .pay(request(card(cards::VISA_OK), "3ds-pay-0002"))
        .await
        .expect_err("held");
    assert_eq!(err.code(), "payment_in_progress");
    // `pay`, which waits for a final answer, says what is missing.
    let err = session
        .invoices()
        .pay(request(
            card(cards::AUTHENTICATION_REQUIRED),
            "3ds-pay-0001",
        ))
        .await
        .expect_err("not final");
    assert_eq!(err.code(), "authentication_required");
    assert_eq!(env.gateway.charge_count(), 0);
    // The customer confirms with the bank; the gateway posts its event.
    let reference = env.gateway.reference_of("3ds-pay-0001").expect("open");
    let event = env
        .gateway
        .authenticate(&reference, true, env.clock.now())
        .expect("event");
    assert_eq!(deliver(&env, &event).await, EventOutcome::Recorded);
    assert_eq!(deliver(&env, &event).await, EventOutcome::AlreadyApplied);
    let paid = session.invoices().get(invoice.id).await.expect("invoice");
    assert_eq!(paid.status, InvoiceStatus::Paid);
    assert!(paid.balance.is_zero() && paid.reserved.is_zero());
    assert!(
        session
            .payments()
            .pending()
            .await
            .expect("pending")
            .is_empty()
    );
    let payments = session.payments().list(None, 10).await.expect("payments");
    assert_eq!(payments.items.len(), 1);
    assert_eq!(payments.items[0].amount, eur(12_000));
    assert_eq!(env.gateway.charge_count(), 1);
    assert_eq!(env.gateway.charged_minor_units(), 12_000);
    // A retry of the same payment now answers with the payment.
    let again = session
        .invoices()
        .pay_online(request(
            card(cards::AUTHENTICATION_REQUIRED),
            "3ds-pay-0001",
        ))
        .await
        .expect("retry");
    assert_eq!(again, PayOutcome::Paid(payments.items[0].clone()));
    // Receipt to the customer, notice to the organization, one each.
    env.portal.dispatch_emails(100).await.expect("dispatch");
    let to = contact.email.as_ref().expect("email").as_str();
    assert_eq!(
        env.mailer
            .sent_to(to)
            .iter()
            .filter(|m| m.subject.starts_with("Receipt"))
            .count(),
        1
    );
    let feed = env
        .portal
        .org(org.id)
        .activity(customer.id, &PageRequest::first(50))
        .await
        .expect("activity");
    assert_eq!(
        feed.items
            .iter()
            .filter(|a| a.event == PortalEvent::Paid)
            .count(),
        1
    );
}

/// The bank refuses the authentication: the attempt fails, its reservation is
/// released, the invoice is as it was, the customer and the organization are told
/// once; a "processing" event delivered late changes nothing.
async fn a_refused_authentication_releases_the_reservation(env: Env) {
    let (org, customer, contact, session, invoice) = owing(&env).await;
    let source = PaySource::Method(MethodRef::new("pm_card_authenticationRequired").expect("ref"));
    let outcome = session
        .invoices()
        .pay_online(request(source, "3ds-refused-1"))
        .await
        .expect("pay");
    assert!(matches!(outcome, PayOutcome::RequiresAction { .. }));
    let reference = env.gateway.reference_of("3ds-refused-1").expect("open");
    let event = env
        .gateway
        .authenticate(&reference, false, env.clock.now())
        .expect("event");
    assert_eq!(deliver(&env, &event).await, EventOutcome::Failed);
    assert_eq!(deliver(&env, &event).await, EventOutcome::AlreadyApplied);
    let after = session.invoices().get(invoice.id).await.expect("invoice");
    assert_eq!(after.status, invoice.status);
    assert_eq!(after.balance, invoice.balance);
    assert!(after.reserved.is_zero());
    assert!(
        session
            .payments()
            .pending()
            .await
            .expect("pending")
            .is_empty()
    );
    assert!(
        session
            .dashboard()
            .await
            .expect("dashboard")
            .payments_pending
            .is_zero()
    );
    assert_eq!(env.gateway.charge_count(), 0);
    env.portal.dispatch_emails(100).await.expect("dispatch");
    let to = contact.email.as_ref().expect("email").as_str();
    let told: Vec<_> = env
        .mailer
        .sent_to(to)
        .into_iter()
        .filter(|m| m.subject.contains("did not go through"))
        .collect();
    assert_eq!(told.len(), 1);
    assert!(told[0].body.contains("LIVE-1") && told[0].body.contains("bank"));
    let feed = env
        .portal
        .org(org.id)
        .activity(customer.id, &PageRequest::first(50))
        .await
        .expect("activity");
    let failed: Vec<_> = feed
        .items
        .iter()
        .filter(|a| a.event == PortalEvent::PaymentFailed)
        .collect();
    assert_eq!(failed.len(), 1);
    assert_eq!(
        failed[0].subject,
        ActivitySubject::Document(DocumentRef::Invoice(invoice.id))
    );
    // The customer pays again, with another card: nothing stands in the way.
    let paid = session
        .invoices()
        .pay(request(card(cards::VISA_OK), "3ds-refused-2"))
        .await
        .expect("paid");
    assert_eq!(paid.amount, eur(12_000));
}

/// A bank debit is processing for days: pending meanwhile; when the bank returns
/// it the reservation is released and both sides are told; a debit that settles
/// is recorded with its receipt. Events out of order (a late "processing" after
/// the settlement) and duplicates change nothing.
async fn a_debit_that_settles_later_is_pending_then_paid_or_released(env: Env) {
    let (org, customer, _, session, invoice) = owing(&env).await;
    let outcome = session
        .invoices()
        .pay_online(request(bank_settling_later(), "debit-fails-1"))
        .await
        .expect("pay");
    let PayOutcome::Processing(pending) = outcome else {
        panic!("expected processing, got {outcome:?}");
    };
    assert_eq!(pending.stage, AttemptStage::Processing);
    assert_eq!(
        session
            .invoices()
            .get(invoice.id)
            .await
            .expect("inv")
            .reserved,
        eur(12_000)
    );
    let err = session
        .invoices()
        .pay(request(bank_settling_later(), "debit-fails-1"))
        .await
        .expect_err("processing");
    assert_eq!(err.code(), "payment_processing");
    let reference = env.gateway.reference_of("debit-fails-1").expect("open");
    // The gateway's own "processing" event, delivered late: already known.
    let processing = env
        .gateway
        .processing_event(&reference, env.clock.now())
        .expect("processing event");
    assert_eq!(
        deliver(&env, &processing).await,
        EventOutcome::AlreadyApplied
    );
    env.clock.advance(Duration::days(3));
    let returned = env
        .gateway
        .settle(&reference, false, env.clock.now())
        .expect("event");
    assert_eq!(deliver(&env, &returned).await, EventOutcome::Failed);
    let after = session.invoices().get(invoice.id).await.expect("invoice");
    assert!(after.reserved.is_zero());
    assert_eq!(after.balance, eur(12_000));
    assert_eq!(after.status, InvoiceStatus::Sent);
    // A second debit settles.
    let outcome = session
        .invoices()
        .pay_online(request(bank_settling_later(), "debit-settles-2"))
        .await
        .expect("pay");
    assert!(matches!(outcome, PayOutcome::Processing(_)));
    let reference = env.gateway.reference_of("debit-settles-2").expect("open");
    let late_processing = env
        .gateway
        .processing_event(&reference, env.clock.now())
        .expect("processing event");
    env.clock.advance(Duration::days(2));
    let settled = env
        .gateway
        .settle(&reference, true, env.clock.now())
        .expect("event");
    assert_eq!(deliver(&env, &settled).await, EventOutcome::Recorded);
    // Out of order: the "processing" event comes after the settlement, re-signed
    // now as a resend would be.
    let resent = SignedEvent {
        signature: portal_core::gateway::signature::sign(
            portal_memory::WEBHOOK_SECRET,
            env.clock.now(),
            &late_processing.payload,
        ),
        payload: late_processing.payload,
    };
    assert_eq!(deliver(&env, &resent).await, EventOutcome::AlreadyApplied);
    assert_eq!(deliver(&env, &settled).await, EventOutcome::AlreadyApplied);
    let paid = session.invoices().get(invoice.id).await.expect("invoice");
    assert_eq!(paid.status, InvoiceStatus::Paid);
    assert!(paid.reserved.is_zero());
    assert_eq!(env.gateway.charged_minor_units(), 12_000);
    let feed = env
        .portal
        .org(org.id)
        .activity(customer.id, &PageRequest::first(50))
        .await
        .expect("activity");
    let count = |event| feed.items.iter().filter(|a| a.event == event).count();
    assert_eq!(count(PortalEvent::PaymentFailed), 1);
    assert_eq!(count(PortalEvent::Paid), 1);
}

/// Events that are not authentic change nothing: a wrong signature, one signed
/// too long ago, a body changed after signing, another gateway's id.
async fn events_that_are_not_authentic_change_nothing(env: Env) {
    let (_, _, _, session, invoice) = owing(&env).await;
    let _ = session
        .invoices()
        .pay_online(request(card(cards::AUTHENTICATION_REQUIRED), "forged-0001"))
        .await
        .expect("pay");
    let reference = env.gateway.reference_of("forged-0001").expect("open");
    let old = env
        .gateway
        .authenticate(&reference, true, env.clock.now() - Duration::minutes(10))
        .expect("event");
    let err = env
        .portal
        .handle_gateway_event("test", &old.signature, &old.payload)
        .await
        .expect_err("too old");
    assert!(matches!(err, Error::Gateway(GatewayError::InvalidEvent(_))));
    assert_eq!(err.code(), "invalid_gateway_event");
    let forged =
        portal_core::gateway::signature::sign("whsec_guess", env.clock.now(), &old.payload);
    assert!(
        env.portal
            .handle_gateway_event("test", &forged, &old.payload)
            .await
            .is_err()
    );
    let now_signed = portal_core::gateway::signature::sign(
        portal_memory::WEBHOOK_SECRET,
        env.clock.now(),
        &old.payload,
    );
    let mut changed = old.payload.clone();
    let at = changed
        .windows(9)
        .position(|w| w == b"succeeded")
        .expect("kind");
    changed[at..at + 9].copy_from_slice(b"xucceeded");
    assert!(
        env.portal
            .handle_gateway_event("test", &now_signed, &changed)
            .await
            .is_err()
    );
    assert_eq!(
        env.portal
            .handle_gateway_event("nope", &now_signed, &old.payload)
            .await
            .expect_err("unknown gateway")
            .code(),
        "no_payment_gateway"
    );
    let held = session.invoices().get(invoice.id).await.expect("invoice");
    assert_eq!(held.status, InvoiceStatus::Sent);
    assert_eq!(held.reserved, eur(12_000), "still waiting for the bank");
    // The genuine one, signed now, goes through.
    assert_eq!(
        env.portal
            .handle_gateway_event("test", &now_signed, &old.payload)
            .await
            .expect("genuine"),
        EventOutcome::Recorded
    );
}

/// Recovery: an authentication left unfinished past the configured time is
/// cancelled at the gateway and released (it can no longer be charged); a debit
/// whose settlement event was lost is recorded; one still processing stays.
async fn recovery_releases_abandoned_authentication_and_records_lost_settlements(env: Env) {
    let (_, customer, _, session, invoice) = owing(&env).await;
    let org = env.portal.store().org(customer.org).await.expect("org");
    let second = env.invoice("LIVE-2", 3_000).sent_to(&org, &customer).await;
    let third = env.invoice("LIVE-3", 2_000).sent_to(&org, &customer).await;
    let one = |id, key: &str, source| PayRequest {
        invoices: InvoiceSelection::Chosen(vec![id]),
        amount: None,
        source,
        idempotency_key: key.into(),
    };
    let _ = session
        .invoices()
        .pay_online(one(
            invoice.id,
            "abandon-3ds-1",
            card(cards::AUTHENTICATION_REQUIRED),
        ))
        .await
        .expect("3ds");
    let _ = session
        .invoices()
        .pay_online(one(second.id, "lost-settle-1", bank_settling_later()))
        .await
        .expect("debit");
    let _ = session
        .invoices()
        .pay_online(one(third.id, "still-processing-1", bank_settling_later()))
        .await
        .expect("debit");
    let abandoned_ref = env.gateway.reference_of("abandon-3ds-1").expect("open");
    let settled_ref = env.gateway.reference_of("lost-settle-1").expect("open");
    // The debit settles at the gateway, but its event never reaches the host.
    let _lost = env
        .gateway
        .settle(&settled_ref, true, env.clock.now())
        .expect("settled");
    // Twenty minutes on: too soon to give up on the bank.
    env.clock.advance(Duration::minutes(20));
    let report = env
        .portal
        .recover_payments(Duration::minutes(15), 100)
        .await
        .expect("recover");
    assert_eq!(
        (report.recorded, report.abandoned, report.still_pending),
        (1, 0, 2)
    );
    assert_eq!(
        session.invoices().get(second.id).await.expect("inv").status,
        InvoiceStatus::Paid
    );
    env.clock.advance(Duration::hours(1));
    let report = env
        .portal
        .recover_payments(Duration::minutes(15), 100)
        .await
        .expect("recover");
    assert_eq!(
        (report.recorded, report.abandoned, report.still_pending),
        (0, 1, 1)
    );
    let released = session.invoices().get(invoice.id).await.expect("inv");
    assert!(released.reserved.is_zero());
    assert_eq!(released.status, InvoiceStatus::Sent);
    // Cancelled at the gateway: the customer can no longer complete it.
    assert!(
        env.gateway
            .authenticate(&abandoned_ref, true, env.clock.now())
            .is_none()
    );
    let pending = session.payments().pending().await.expect("pending");
    assert_eq!(pending.len(), 1);
    assert_eq!(pending[0].invoices, vec![third.id]);
    assert_eq!(env.gateway.charged_minor_units(), 3_000);
}

/// A gateway that takes card numbers only through its own script: typed card or
/// bank numbers are refused before anything is stored or sent to it.
async fn typed_card_numbers_are_refused_by_a_live_gateway(env: Env) {
    #[derive(Debug)]
    struct Live {
        inner: std::sync::Arc<portal_memory::TestGateway>,
    }
    common::delegating::delegate_gateway!(Live, inner, {
        fn id(&self) -> &str {
            "live"
        }
        async fn charge(
            &self,
            request: &portal_core::gateway::ChargeRequest,
        ) -> std::result::Result<portal_core::gateway::ChargeOutcome, GatewayError> {
            assert!(
                !request.source.is_typed(),
                "typed details reached the gateway"
            );
            self.inner.charge(request).await
        }
        async fn save_method(
            &self,
            source: &portal_core::gateway::ChargeSource,
        ) -> std::result::Result<portal_core::gateway::SaveOutcome, GatewayError> {
            assert!(!source.is_typed(), "typed details reached the gateway");
            self.inner.save_method(source).await
        }
    });
    let inner = std::sync::Arc::new(portal_memory::TestGateway::new("live"));
    let portal =
        Portal::builder_with_files(env.store.clone(), env.files.clone(), env.mailer.clone())
            .with_clock(env.clock.clone())
            .with_gateway(std::sync::Arc::new(Live {
                inner: inner.clone(),
            }))
            .build()
            .expect("portal");
    let org = env.org().await;
    let (customer, _, _, token) = env.signed_in_with_token(&org, "EUR").await;
    let admin = portal.org(org.id);
    let draft = admin
        .invoices()
        .create(
            customer.id,
            NewInvoice {
                kind: InvoiceKind::Invoice,
                number: "LIVE-GW-1".into(),
                lines: vec![LineItem::new("Work", Decimal::ONE, Decimal::new(5_000, 2))],
                issue_date: time::macros::date!(2026 - 04 - 01),
                due_date: time::macros::date!(2026 - 05 - 01),
                allow_partial_payments: false,
                payment_gateways: vec!["live".into()],
            },
        )
        .await
        .expect("invoice");
    let invoice = admin.invoices().send(draft.id).await.expect("send");
    let session = portal.session(&token).await.expect("session");
    let err = session
        .invoices()
        .pay(request(card(cards::VISA_OK), "typed-live-1"))
        .await
        .expect_err("typed");
    assert_eq!(err.code(), "typed_details_refused");
    assert!(
        env.store
            .payment_attempt(org.id, "typed-live-1")
            .await
            .is_err(),
        "nothing stored"
    );
    let err = session
        .payment_methods()
        .save("live", card(cards::VISA_OK))
        .await
        .expect_err("typed");
    assert_eq!(err.code(), "typed_details_refused");
    assert_eq!(inner.calls(), 0);
    // The way a live page pays: a reference made by the gateway's script.
    let paid = session
        .invoices()
        .pay(request(
            PaySource::Method(MethodRef::new("pm_card_visa").expect("ref")),
            "typed-live-2",
        ))
        .await
        .expect("paid");
    assert_eq!(paid.amount, invoice.balance);
}

on_all_backends!(
    a_card_the_bank_must_confirm_is_paid_when_the_event_arrives,
    a_refused_authentication_releases_the_reservation,
    a_debit_that_settles_later_is_pending_then_paid_or_released,
    events_that_are_not_authentic_change_nothing,
    recovery_releases_abandoned_authentication_and_records_lost_settlements,
    typed_card_numbers_are_refused_by_a_live_gateway,
);
