//! The Stripe adapter against localstripe, a stateful fake Stripe server started
//! by `scripts/with-localstripe` (`LOCALSTRIPE_URL`): card payments, 3-D Secure
//! confirmed in the "browser", a SEPA debit that fails days later, declines, saved
//! methods charged off-session, refunds and recovery, with localstripe's own
//! signed webhooks delivered to the portal. Under `CI=true` a missing localstripe
//! fails these tests.

use crate::common;

use std::sync::Arc;
use std::time::Duration as StdDuration;

use common::backends::{Backend, Env, env};
use portal_core::domain::{AttemptStage, InvoiceStatus, PortalEvent};
use portal_core::gateway::{MethodRef, PaymentGateway as _};
use portal_core::prelude::*;
use portal_core::service::{EventOutcome, PayOutcome};
use portal_stripe::{StripeConfig, StripeGateway};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// localstripe's address, or `None` (with the reason printed) when it is not
/// running; under `CI=true` its absence fails the test.
pub(crate) fn localstripe() -> Option<String> {
    match std::env::var("LOCALSTRIPE_URL") {
        Ok(url) => Some(url),
        Err(_) if std::env::var("CI").as_deref() == Ok("true") => {
            panic!("LOCALSTRIPE_URL is not set: run the tests through scripts/test")
        }
        Err(_) => {
            eprintln!("skipped: LOCALSTRIPE_URL is not set (scripts/with-localstripe starts it)");
            None
        }
    }
}

/// A portal paying through localstripe, whose webhooks reach a recording server.
struct Local {
    env: Env,
    base: String,
    stripe: Arc<StripeGateway>,
    hooks: MockServer,
}

async fn local(backend: Backend) -> Option<Local> {
    let base = localstripe()?;
    // Its own server, not one from wiremock's pool: localstripe keeps posting to
    // every address ever registered, and a pooled server outlives its test.
    let hooks = MockServer::builder().start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&hooks)
        .await;
    let secret = format!("whsec_{}", uuid::Uuid::now_v7().simple());
    let (status, _) = post(
        &format!("{base}/_config/webhooks/{}", uuid::Uuid::now_v7().simple()),
        &[
            ("url", &format!("{}/stripe", hooks.uri())),
            ("secret", &secret),
        ],
    )
    .await;
    assert_eq!(status, 200, "webhook registration");
    let mut config = StripeConfig::new("sk_test_portal", "pk_test_portal")
        .with_api_base(&base)
        .with_webhook_secret(&secret)
        .with_timeouts(StdDuration::from_secs(5), StdDuration::from_secs(10));
    config.describe_payments = false;
    let stripe = Arc::new(StripeGateway::new(config).expect("gateway"));
    let env = env(backend).await?.with_gateway(stripe.clone());
    // localstripe signs its events with the real time.
    env.clock.set(OffsetDateTime::now_utc());
    Some(Local {
        env,
        base,
        stripe,
        hooks,
    })
}

/// A form POST to localstripe, as the browser's Stripe.js or its config API makes
/// it: the status and the JSON answer.
async fn post(url: &str, form: &[(&str, &str)]) -> (u16, serde_json::Value) {
    let response = reqwest::Client::new()
        .post(url)
        .bearer_auth("sk_test_portal")
        .form(form)
        .send()
        .await
        .expect("localstripe answers");
    let status = response.status().as_u16();
    let body = response.json().await.unwrap_or_default();
    (status, body)
}

fn id_of(answer: &(u16, serde_json::Value)) -> String {
    assert!((200..300).contains(&answer.0), "{answer:?}");
    answer.1["id"].as_str().expect("id").to_owned()
}

impl Local {
    /// The PaymentIntent of the pending attempt `key`, as the attempt keeps it.
    async fn reference(&self, org: OrgId, key: &str) -> String {
        self.env
            .store
            .payment_attempt(org, key)
            .await
            .expect("attempt")
            .progress
            .expect("staged")
            .reference
    }

    /// What Stripe.js does in the browser with what the customer typed: a
    /// PaymentMethod, of which the host sees only the id.
    async fn card(&self, number: &str) -> MethodRef {
        let answer = post(
            &format!("{}/v1/payment_methods", self.base),
            &[
                ("type", "card"),
                ("card[number]", number),
                ("card[exp_month]", "12"),
                ("card[exp_year]", "2030"),
                ("card[cvc]", "123"),
            ],
        )
        .await;
        MethodRef::new(id_of(&answer)).expect("pm id")
    }

    async fn sepa(&self, iban: &str) -> MethodRef {
        let answer = post(
            &format!("{}/v1/payment_methods", self.base),
            &[("type", "sepa_debit"), ("sepa_debit[iban]", iban)],
        )
        .await;
        MethodRef::new(id_of(&answer)).expect("pm id")
    }

    /// What the page's Stripe.js does to finish 3-D Secure (localstripe's stand-in
    /// for the bank's page).
    async fn authenticate(&self, reference: &str, client_secret: &str, success: bool) {
        let answer = post(
            &format!("{}/v1/payment_intents/{reference}/_authenticate", self.base),
            &[
                ("client_secret", client_secret),
                ("success", if success { "true" } else { "false" }),
                ("key", "pk_test_portal"),
            ],
        )
        .await;
        assert_eq!(answer.0, 200, "{answer:?}");
    }

    /// Waits for localstripe's webhook of `kind` about `reference` and feeds it to
    /// the portal (as the host's webhook route does), every delivery of it.
    async fn deliver(&self, kind: &str, reference: &str) -> Vec<EventOutcome> {
        for _ in 0..100 {
            let requests = self.hooks.received_requests().await.unwrap_or_default();
            let matching: Vec<_> = requests
                .iter()
                .filter(|r| {
                    let body: serde_json::Value =
                        serde_json::from_slice(&r.body).unwrap_or_default();
                    body["type"] == kind && body["data"]["object"]["id"] == reference
                })
                .collect();
            if !matching.is_empty() {
                let mut outcomes = Vec::new();
                for r in matching {
                    let signature = r
                        .headers
                        .get("Stripe-Signature")
                        .and_then(|v| v.to_str().ok())
                        .expect("signed");
                    self.env.clock.set(OffsetDateTime::now_utc());
                    outcomes.push(
                        self.env
                            .portal
                            .handle_gateway_event("stripe", signature, &r.body)
                            .await
                            .expect("event"),
                    );
                }
                return outcomes;
            }
            tokio::time::sleep(StdDuration::from_millis(100)).await;
        }
        panic!("no {kind} webhook about {reference} in 10 s");
    }

    async fn owing(&self, minor: i64) -> (Customer, PortalSession, Invoice) {
        let org = self.env.org().await;
        let (customer, _, session) = self.env.signed_in(&org, "EUR").await;
        let invoice = self
            .env
            .invoice(&format!("STRIPE-{minor}"), minor)
            .through("stripe")
            .sent_to(&org, &customer)
            .await;
        (customer, session, invoice)
    }
}

fn pay(source: MethodRef, key: &str) -> PayRequest {
    PayRequest {
        invoices: InvoiceSelection::AllOutstanding,
        amount: None,
        source: PaySource::Method(source),
        idempotency_key: key.into(),
    }
}

fn key(label: &str) -> String {
    format!("{label}-{}", uuid::Uuid::now_v7().simple())
}

/// A card that needs no confirmation is paid at once; localstripe's
/// `payment_intent.succeeded` webhook then changes nothing. A card the bank must
/// confirm waits (reserved) until the customer confirms in the browser, and the
/// webhook records it.
async fn cards_pay_at_once_or_after_the_bank_confirms(backend: Backend) {
    let Some(s) = local(backend).await else {
        return;
    };
    let (_, session, invoice) = s.owing(12_000).await;
    let visa = s.card("4242424242424242").await;
    let PayOutcome::Paid(payment) = session
        .invoices()
        .pay_online(pay(visa, &key("visa")))
        .await
        .expect("pay")
    else {
        panic!("a plain card is paid at once");
    };
    assert_eq!(payment.amount, invoice.balance);
    assert_eq!(
        payment.method,
        portal_core::domain::PaymentMethod::Card {
            brand: "visa".into(),
            last4: "4242".into()
        }
    );
    let reference = payment.reference.clone().expect("charge id");
    assert!(reference.starts_with("ch_"), "{reference}");
    assert_eq!(
        session
            .invoices()
            .get(invoice.id)
            .await
            .expect("inv")
            .status,
        InvoiceStatus::Paid
    );

    let (_, session, invoice) = s.owing(8_800).await;
    let card = s.card("4000002760003184").await;
    let outcome = session
        .invoices()
        .pay_online(pay(card, &key("3ds")))
        .await
        .expect("pay");
    let PayOutcome::RequiresAction { pending, action } = outcome else {
        panic!("expected requires action: {outcome:?}");
    };
    assert_eq!(pending.stage, AttemptStage::RequiresAction);
    let portal_core::gateway::CustomerAction::ClientSecret(secret) = action else {
        panic!("expected a client secret");
    };
    assert_eq!(
        session
            .invoices()
            .get(invoice.id)
            .await
            .expect("inv")
            .reserved,
        invoice.balance
    );
    let reference = s.reference(invoice.org, &pending.idempotency_key).await;
    s.authenticate(&reference, &secret.0, true).await;
    let outcomes = s.deliver("payment_intent.succeeded", &reference).await;
    assert_eq!(outcomes[0], EventOutcome::Recorded, "{outcomes:?}");
    let paid = session.invoices().get(invoice.id).await.expect("inv");
    assert_eq!(paid.status, InvoiceStatus::Paid);
    assert!(paid.reserved.is_zero());
}

/// A SEPA debit that the bank returns: processing (pending) first, then
/// localstripe's `payment_intent.payment_failed` releases it.
async fn a_sepa_debit_that_fails_later_is_released_by_the_webhook(backend: Backend) {
    let Some(s) = local(backend).await else {
        return;
    };
    let (customer, session, invoice) = s.owing(4_200).await;
    let debit = s.sepa("DE62370400440532013001").await;
    let outcome = session
        .invoices()
        .pay_online(pay(debit, &key("sepa")))
        .await
        .expect("pay");
    let PayOutcome::Processing(pending) = outcome else {
        panic!("expected processing: {outcome:?}");
    };
    let reference = s.reference(invoice.org, &pending.idempotency_key).await;
    assert_eq!(
        session.payments().pending().await.expect("pending"),
        vec![pending]
    );
    let outcomes = s.deliver("payment_intent.payment_failed", &reference).await;
    assert_eq!(outcomes[0], EventOutcome::Failed, "{outcomes:?}");
    let after = session.invoices().get(invoice.id).await.expect("inv");
    assert!(after.reserved.is_zero());
    assert_eq!(after.balance, invoice.balance);
    let attempt = s
        .env
        .store
        .customer_pending_attempts(invoice.org, customer.id)
        .await
        .expect("pending");
    assert!(attempt.is_empty());
    let feed = s
        .env
        .portal
        .org(invoice.org)
        .activity(customer.id, &PageRequest::first(20))
        .await
        .expect("activity");
    assert!(
        feed.items
            .iter()
            .any(|a| a.event == PortalEvent::PaymentFailed)
    );
}

/// Declines come back as the library's codes; typed numbers never leave.
async fn declines_saved_methods_refunds_and_recovery(backend: Backend) {
    let Some(s) = local(backend).await else {
        return;
    };
    let (_, session, invoice) = s.owing(3_000).await;
    let failing = MethodRef::new("pm_card_chargeCustomerFail").expect("ref");
    let err = session
        .invoices()
        .pay(pay(failing, &key("declined")))
        .await
        .expect_err("declined");
    assert_eq!(err.code(), "card_declined");
    assert!(
        session
            .invoices()
            .get(invoice.id)
            .await
            .expect("inv")
            .reserved
            .is_zero()
    );
    // Save a card (attached to a Stripe customer of its own) and pay with it.
    let visa = s.card("4242424242424242").await;
    let saved = session
        .payment_methods()
        .save("stripe", PaySource::Method(visa))
        .await
        .expect("save");
    assert_eq!((saved.exp_month, saved.exp_year), (Some(12), Some(2030)));
    assert!(saved.token.starts_with("cus_"));
    let payment = session
        .invoices()
        .pay(PayRequest {
            invoices: InvoiceSelection::Chosen(vec![invoice.id]),
            amount: None,
            source: PaySource::Saved(saved.id),
            idempotency_key: key("saved"),
        })
        .await
        .expect("paid with the saved card");
    assert_eq!(payment.amount, invoice.balance);
    // Recovery finds a charge by its PaymentIntent.
    let attempt_ref = {
        let (_, session, invoice) = s.owing(2_500).await;
        let k = key("recover");
        let card = s.card("4000002760003184").await;
        let _ = session
            .invoices()
            .pay_online(pay(card, &k))
            .await
            .expect("pay");
        s.reference(invoice.org, &k).await
    };
    let state = s
        .stripe
        .find_charge("unused", Some(attempt_ref.clone()))
        .await
        .expect("find");
    assert_eq!(
        state,
        portal_core::gateway::ChargeState::Open {
            stage: AttemptStage::RequiresAction,
            reference: attempt_ref.clone()
        }
    );
    // Abandoned: cancelled at Stripe, so it can no longer be charged.
    let state = s
        .stripe
        .cancel_charge("unused", &attempt_ref)
        .await
        .expect("cancel");
    assert_eq!(state, portal_core::gateway::ChargeState::NotCharged);
    // A refund of part of the saved-card payment, once per key.
    let charge = payment.reference.clone().expect("charge");
    let k = key("refund");
    let refund = s
        .stripe
        .refund(
            &charge,
            Some(Money::from_minor_units(1_000, invoice.currency())),
            &k,
        )
        .await
        .expect("refund");
    assert!(refund.id.starts_with("re_"), "{refund:?}");
    assert_eq!(refund.status, "succeeded");
}

/// A card saved the way a live page saves it: a SetupIntent's client secret from
/// the portal, confirmed in the browser with the card typed into the gateway's
/// form, its id posted back; then charged on-session from the portal and
/// off-session (a recurring charge, the customer absent) through the adapter.
async fn a_card_saved_through_a_setup_intent_is_charged_off_session(backend: Backend) {
    let Some(s) = local(backend).await else {
        return;
    };
    let (_, session, invoice) = s.owing(6_000).await;
    let secret = session
        .payment_methods()
        .prepare("stripe")
        .await
        .expect("prepare")
        .expect("a client secret");
    assert!(
        !format!("{secret:?}").contains("_secret_"),
        "Debug hides it"
    );
    let seti = secret.0.split("_secret_").next().expect("seti").to_owned();
    // What Stripe.js confirmCardSetup sends from the page.
    let confirmed = post(
        &format!("{}/v1/setup_intents/{seti}/confirm", s.base),
        &[
            ("key", "pk_test_portal"),
            ("client_secret", &secret.0),
            ("payment_method_data[type]", "card"),
            ("payment_method_data[card][number]", "4242424242424242"),
            ("payment_method_data[card][exp_month]", "11"),
            ("payment_method_data[card][exp_year]", "2031"),
            ("payment_method_data[card][cvc]", "123"),
        ],
    )
    .await;
    assert_eq!(confirmed.0, 200, "{confirmed:?}");
    assert_eq!(confirmed.1["status"], "succeeded");
    let saved = session
        .payment_methods()
        .save(
            "stripe",
            PaySource::Method(MethodRef::new(&seti).expect("ref")),
        )
        .await
        .expect("saved");
    assert!(
        saved.token.starts_with("cus_") && saved.token.contains("/pm_"),
        "{}",
        saved.token
    );
    assert_eq!((saved.exp_month, saved.exp_year), (Some(11), Some(2031)));
    assert_eq!(
        saved.method,
        portal_core::domain::PaymentMethod::Card {
            brand: "visa".into(),
            last4: "4242".into()
        }
    );
    let payment = session
        .invoices()
        .pay(PayRequest {
            invoices: InvoiceSelection::Chosen(vec![invoice.id]),
            amount: None,
            source: PaySource::Saved(saved.id),
            idempotency_key: key("setup-saved"),
        })
        .await
        .expect("paid with the saved card");
    assert_eq!(payment.amount, invoice.balance);
    // Off-session: what a recurring charge would send.
    let outcome = s
        .stripe
        .charge(&portal_core::gateway::ChargeRequest {
            idempotency_key: key("off-session"),
            org: invoice.org,
            attempt: portal_core::domain::AttemptId::new(),
            amount: invoice.balance,
            source: portal_core::gateway::ChargeSource::Token(portal_core::gateway::GatewayToken(
                saved.token.clone(),
            )),
            description: "recurring".into(),
            return_url: None,
            off_session: true,
        })
        .await
        .expect("charge");
    assert!(
        matches!(
            outcome,
            portal_core::gateway::ChargeOutcome::Succeeded { .. }
        ),
        "{outcome:?}"
    );
    // A setup the browser never confirmed saves nothing.
    let unconfirmed = session
        .payment_methods()
        .prepare("stripe")
        .await
        .expect("prepare")
        .expect("secret");
    let seti = unconfirmed
        .0
        .split("_secret_")
        .next()
        .expect("seti")
        .to_owned();
    let err = session
        .payment_methods()
        .save(
            "stripe",
            PaySource::Method(MethodRef::new(&seti).expect("ref")),
        )
        .await
        .expect_err("not confirmed");
    assert_eq!(err.code(), "card_declined");
}

mod on_memory {
    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_card_saved_through_a_setup_intent_is_charged_off_session() {
        super::a_card_saved_through_a_setup_intent_is_charged_off_session(Backend::Memory).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn cards_pay_at_once_or_after_the_bank_confirms() {
        super::cards_pay_at_once_or_after_the_bank_confirms(Backend::Memory).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_sepa_debit_that_fails_later_is_released_by_the_webhook() {
        super::a_sepa_debit_that_fails_later_is_released_by_the_webhook(Backend::Memory).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn declines_saved_methods_refunds_and_recovery() {
        super::declines_saved_methods_refunds_and_recovery(Backend::Memory).await;
    }
}

mod on_postgres {
    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn cards_pay_at_once_or_after_the_bank_confirms() {
        super::cards_pay_at_once_or_after_the_bank_confirms(Backend::Postgres).await;
    }
}
