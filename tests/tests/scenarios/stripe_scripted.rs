//! The Stripe adapter against a scripted HTTP server (wiremock) for what a fake
//! Stripe does not do: declines of every kind, idempotency conflicts, rate limits,
//! outages, timeouts and answers that do not parse, each followed to what the
//! customer and recovery see; amounts in Stripe's minor units; webhook signatures;
//! and no request ever carrying a card number or a security code.

use crate::common;

use std::sync::Arc;
use std::time::Duration as StdDuration;

use common::backends::{Backend, Env, env};
use portal_core::Duration;
use portal_core::domain::{AttemptStatus, FailureCode, InvoiceStatus};
use portal_core::gateway::{EventKind, MethodRef, PaymentGateway as _, signature};
use portal_core::prelude::*;
use portal_stripe::{StripeConfig, StripeGateway, stripe_amount};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

struct Scripted {
    env: Env,
    server: MockServer,
}

fn config(base: &str) -> StripeConfig {
    StripeConfig::new("sk_test_scripted", "pk_test_scripted")
        .with_api_base(base)
        .with_webhook_secret("whsec_old")
        .with_webhook_secret("whsec_new")
        .with_timeouts(StdDuration::from_millis(300), StdDuration::from_millis(900))
}

async fn scripted() -> Scripted {
    let server = MockServer::builder().start().await;
    let stripe = Arc::new(StripeGateway::new(config(&server.uri())).expect("gateway"));
    let env = env(Backend::Memory)
        .await
        .expect("memory")
        .with_gateway(stripe);
    Scripted { env, server }
}

fn intent(status: &str, amount: i64, currency: &str) -> serde_json::Value {
    json!({
        "id": "pi_scripted",
        "object": "payment_intent",
        "status": status,
        "amount": amount,
        "currency": currency,
        "client_secret": "pi_scripted_secret_x",
        "latest_charge": "ch_scripted",
        "payment_method": {
            "id": "pm_scripted", "type": "card",
            "card": {"brand": "visa", "last4": "4242", "exp_month": 12, "exp_year": 2030}
        },
        "metadata": {}
    })
}

impl Scripted {
    async fn owing(&self, currency: &str, minor: i64) -> (PortalSession, Invoice) {
        let org = self.env.org().await;
        let (customer, _, session) = self.env.signed_in(&org, currency).await;
        let invoice = self
            .env
            .invoice("SCRIPT-1", minor)
            .through("stripe")
            .sent_to(&org, &customer)
            .await;
        (session, invoice)
    }

    async fn requests_to(&self, to: &str) -> Vec<wiremock::Request> {
        self.server
            .received_requests()
            .await
            .unwrap_or_default()
            .into_iter()
            .filter(|r| r.url.path() == to)
            .collect()
    }
}

fn pay(key: &str) -> PayRequest {
    PayRequest {
        invoices: InvoiceSelection::AllOutstanding,
        amount: None,
        source: PaySource::Method(MethodRef::new("pm_card_visa").expect("ref")),
        idempotency_key: key.into(),
    }
}

/// Every 402 Stripe answers becomes the library's code, the attempt fails with it
/// and the reservation is released; a bad key is CP3002; Stripe's refusals of the
/// amount and the currency are CP4001 and CP4003.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stripe_errors_become_the_librarys_codes() {
    let cases = [
        (
            402,
            json!({"code": "card_declined", "decline_code": "generic_decline"}),
            "card_declined",
        ),
        (
            402,
            json!({"code": "card_declined", "decline_code": "insufficient_funds"}),
            "card_declined",
        ),
        (402, json!({"code": "expired_card"}), "card_expired"),
        (
            402,
            json!({"code": "card_declined", "decline_code": "fraudulent"}),
            "CP3003",
        ),
        (402, json!({"code": "incorrect_zip"}), "CP3004"),
        (
            402,
            json!({"code": "card_declined", "decline_code": "duplicate_transaction"}),
            "CP3005",
        ),
        (
            402,
            json!({"code": "authentication_required"}),
            "card_declined",
        ),
        (401, json!({"type": "invalid_request_error"}), "CP3002"),
        (400, json!({"code": "amount_too_small"}), "CP4001"),
        (400, json!({"code": "currency_not_supported"}), "CP4003"),
    ];
    for (n, (status, error, expected)) in cases.into_iter().enumerate() {
        let s = scripted().await;
        Mock::given(method("POST"))
            .and(path("/v1/payment_intents"))
            .respond_with(ResponseTemplate::new(status).set_body_json(json!({ "error": error })))
            .mount(&s.server)
            .await;
        let (session, invoice) = s.owing("EUR", 5_000).await;
        let key = format!("scripted-error-{n}");
        let err = session
            .invoices()
            .pay(pay(&key))
            .await
            .expect_err("refused");
        assert_eq!(err.code(), expected, "{status} {error}");
        let attempt = s
            .env
            .store
            .payment_attempt(invoice.org, &key)
            .await
            .expect("attempt");
        assert!(
            matches!(attempt.status, AttemptStatus::Failed { .. }),
            "{expected}: {attempt:?}"
        );
        assert!(
            session
                .invoices()
                .get(invoice.id)
                .await
                .expect("inv")
                .reserved
                .is_zero()
        );
    }
}

/// 429 and 503 are retried with the same idempotency key until Stripe answers;
/// the payment is recorded once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rate_limits_and_outages_are_retried_with_the_same_key() {
    let s = scripted().await;
    Mock::given(method("POST"))
        .and(path("/v1/payment_intents"))
        .respond_with(ResponseTemplate::new(429))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&s.server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1/payment_intents"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .with_priority(2)
        .mount(&s.server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1/payment_intents"))
        .respond_with(ResponseTemplate::new(200).set_body_json(intent("succeeded", 5_000, "eur")))
        .with_priority(3)
        .mount(&s.server)
        .await;
    let (session, invoice) = s.owing("EUR", 5_000).await;
    let payment = session
        .invoices()
        .pay(pay("scripted-retry-1"))
        .await
        .expect("paid after retries");
    assert_eq!(payment.reference.as_deref(), Some("ch_scripted"));
    let posts = s.requests_to("/v1/payment_intents").await;
    assert_eq!(posts.len(), 3);
    for p in &posts {
        assert_eq!(
            p.headers
                .get("Idempotency-Key")
                .and_then(|v| v.to_str().ok()),
            Some("scripted-retry-1")
        );
        assert_eq!(
            p.headers.get("Authorization").and_then(|v| v.to_str().ok()),
            Some("Bearer sk_test_scripted")
        );
    }
    assert_eq!(
        session
            .invoices()
            .get(invoice.id)
            .await
            .expect("inv")
            .status,
        InvoiceStatus::Paid
    );
}

/// When Stripe keeps failing past the deadline, times out, answers 409 or an
/// unreadable body, the customer is told the payment is pending (never that it
/// failed: it may have been charged), the balance stays reserved, and recovery
/// finds the PaymentIntent by the attempt's key and records it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_outcomes_stay_pending_and_recovery_finds_them_by_key() {
    let answers = [
        ResponseTemplate::new(500),
        ResponseTemplate::new(200)
            .set_body_json(intent("succeeded", 5_000, "eur"))
            .set_delay(StdDuration::from_secs(2)),
        ResponseTemplate::new(409)
            .set_body_json(json!({"error": {"code": "idempotency_key_in_use"}})),
        ResponseTemplate::new(200).set_body_string("{\"id\": \"pi_scripted\", \"stat"),
    ];
    for (n, answer) in answers.into_iter().enumerate() {
        let s = scripted().await;
        Mock::given(method("POST"))
            .and(path("/v1/payment_intents"))
            .respond_with(answer)
            .mount(&s.server)
            .await;
        let found = intent("succeeded", 5_000, "eur");
        Mock::given(method("GET"))
            .and(path("/v1/payment_intents/search"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({"data": [found]})))
            .mount(&s.server)
            .await;
        let (session, invoice) = s.owing("EUR", 5_000).await;
        let key = format!("scripted-unknown-{n}");
        let err = session
            .invoices()
            .pay(pay(&key))
            .await
            .expect_err("unknown");
        assert_eq!(err.code(), "payment_pending", "case {n}");
        assert_eq!(
            session
                .invoices()
                .get(invoice.id)
                .await
                .expect("inv")
                .reserved,
            invoice.balance,
            "case {n}"
        );
        s.env.clock.advance(Duration::minutes(20));
        let report = s
            .env
            .portal
            .recover_payments(Duration::minutes(15), 10)
            .await
            .expect("recover");
        assert_eq!(report.recorded, 1, "case {n}: {report:?}");
        let searches = s.requests_to("/v1/payment_intents/search").await;
        let query = searches[0].url.query().unwrap_or_default().to_owned();
        assert!(
            query.contains("portal_attempt_key") && query.contains(&key),
            "{query}"
        );
        assert_eq!(
            session
                .invoices()
                .get(invoice.id)
                .await
                .expect("inv")
                .status,
            InvoiceStatus::Paid,
            "case {n}"
        );
    }
}

/// Recovery that finds nothing under the key marks the attempt not charged and
/// releases it; while Stripe cannot be reached it waits.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn recovery_waits_for_stripe_and_releases_what_was_never_charged() {
    let s = scripted().await;
    Mock::given(method("POST"))
        .and(path("/v1/payment_intents"))
        .respond_with(ResponseTemplate::new(502))
        .mount(&s.server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/payment_intents/search"))
        .respond_with(ResponseTemplate::new(503))
        // Four tries fit the 0.9 s deadline (after 0.1, 0.3 and 0.7 s): the first
        // run gives up; the second gets through.
        .up_to_n_times(4)
        .with_priority(1)
        .mount(&s.server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/payment_intents/search"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"data": []})))
        .with_priority(2)
        .mount(&s.server)
        .await;
    let (session, invoice) = s.owing("EUR", 5_000).await;
    let err = session
        .invoices()
        .pay(pay("scripted-never"))
        .await
        .expect_err("down");
    assert_eq!(err.code(), "payment_pending");
    s.env.clock.advance(Duration::minutes(20));
    let first = s
        .env
        .portal
        .recover_payments(Duration::minutes(15), 10)
        .await
        .expect("recover");
    assert_eq!(first.still_pending, 1, "{first:?}");
    let second = s
        .env
        .portal
        .recover_payments(Duration::minutes(15), 10)
        .await
        .expect("recover");
    assert_eq!(second.not_charged, 1, "{second:?}");
    let attempt = s
        .env
        .store
        .payment_attempt(invoice.org, "scripted-never")
        .await
        .expect("attempt");
    assert!(matches!(
        attempt.status,
        AttemptStatus::Failed {
            code: FailureCode::NotCharged,
            ..
        }
    ));
    assert!(
        session
            .invoices()
            .get(invoice.id)
            .await
            .expect("inv")
            .reserved
            .is_zero()
    );
}

/// Amounts go to Stripe in its minor units: cents, yen as they are, fils in
/// thousandths ending in 0; and the request carries no card number or CVV.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn amounts_in_stripes_minor_units_and_no_card_numbers_on_the_wire() {
    for (currency, minor, sent) in [
        ("EUR", 1_234, "1234"),
        ("JPY", 1_200, "1200"),
        ("BHD", 1_230, "1230"),
    ] {
        let s = scripted().await;
        Mock::given(method("POST"))
            .and(path("/v1/payment_intents"))
            .respond_with(ResponseTemplate::new(200).set_body_json(intent(
                "succeeded",
                minor,
                &currency.to_ascii_lowercase(),
            )))
            .mount(&s.server)
            .await;
        let (session, invoice) = s.owing(currency, minor).await;
        let payment = session
            .invoices()
            .pay(pay(&format!("scripted-amount-{currency}")))
            .await
            .expect("paid");
        assert_eq!(payment.amount, invoice.total);
        let posts = s.requests_to("/v1/payment_intents").await;
        let body = String::from_utf8_lossy(&posts[0].body).to_string();
        assert!(
            body.contains(&format!("amount={sent}&")),
            "{currency}: {body}"
        );
        assert!(
            body.contains(&format!("currency={}", currency.to_ascii_lowercase())),
            "{body}"
        );
        // Typed numbers are refused before anything is sent.
        let typed = session
            .invoices()
            .pay(PayRequest {
                invoices: InvoiceSelection::AllOutstanding,
                amount: None,
                source: common::paying::card(portal_memory::cards::VISA_OK),
                idempotency_key: format!("scripted-typed-{currency}"),
            })
            .await
            .expect_err("typed");
        assert!(
            matches!(typed.code(), "typed_details_refused" | "nothing_to_pay"),
            "{typed}"
        );
        for r in s.server.received_requests().await.unwrap_or_default() {
            let text = format!("{} {}", r.url, String::from_utf8_lossy(&r.body));
            assert!(
                !text.contains("4242424242424242") && !text.contains("cvc"),
                "{text}"
            );
            assert!(
                !common::paying::without_random_ids(&text).contains("314"),
                "the test card's CVV: {text}"
            );
        }
    }
    let bhd = Currency::from_code("BHD").expect("BHD");
    assert!(stripe_amount(Money::from_minor_units(1_235, bhd)).is_err());
    assert_eq!(stripe_amount(Money::from_minor_units(500, bhd)), Ok(500));
}

/// Webhook signatures: either of two secrets (rotation), any of several `v1`,
/// inside the tolerance window only; a PaymentIntent event names its attempt
/// through the metadata; events about payments the portal did not make, and other
/// event types, are ignored.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn webhook_events_are_verified_and_read() {
    // Stripe, read for the method of a settled payment (events leave it out).
    let server = MockServer::builder().start().await;
    Mock::given(method("GET"))
        .and(path("/v1/payment_intents/pi_scripted"))
        .respond_with(ResponseTemplate::new(200).set_body_json(intent("succeeded", 5_000, "eur")))
        .mount(&server)
        .await;
    let stripe = StripeGateway::new(config(&server.uri())).expect("gateway");
    let now = OffsetDateTime::now_utc();
    let org = OrgId::new();
    let event = |kind: &str, status: &str, metadata: serde_json::Value| {
        let mut object = intent(status, 5_000, "eur");
        object["metadata"] = metadata;
        // As Stripe sends it: ids, nothing expanded.
        object["payment_method"] = json!("pm_scripted");
        object["last_payment_error"] = if status == "requires_payment_method" {
            json!({"code": "payment_intent_authentication_failure", "message": "bank said no"})
        } else {
            serde_json::Value::Null
        };
        serde_json::to_vec(&json!({"id": "evt_1", "type": kind, "data": {"object": object}}))
            .expect("json")
    };
    let ours = json!({"portal_org": org.to_string(), "portal_attempt_key": "key-1"});
    let succeeded = event("payment_intent.succeeded", "succeeded", ours.clone());
    for secret in ["whsec_old", "whsec_new"] {
        let header = signature::sign(secret, now, &succeeded);
        let read = stripe
            .verify_event(&header, &succeeded, now)
            .await
            .expect("verified")
            .expect("an attempt's event");
        assert_eq!(read.org, org);
        assert_eq!(read.idempotency_key, "key-1");
        assert_eq!(read.reference, "pi_scripted");
        let EventKind::Succeeded(record) = read.kind else {
            panic!("succeeded");
        };
        assert_eq!(
            record.amount,
            Money::from_minor_units(5_000, Currency::from_code("EUR").expect("EUR"))
        );
        assert_eq!(record.charge_id, "ch_scripted");
        assert_eq!(
            record.method,
            portal_core::domain::PaymentMethod::Card {
                brand: "visa".into(),
                last4: "4242".into()
            },
            "read from Stripe: the event leaves the method out"
        );
    }
    let stale = signature::sign("whsec_new", now - Duration::minutes(6), &succeeded);
    assert!(stripe.verify_event(&stale, &succeeded, now).await.is_err());
    let foreign = signature::sign("whsec_other", now, &succeeded);
    assert!(
        stripe
            .verify_event(&foreign, &succeeded, now)
            .await
            .is_err()
    );
    let failed = event(
        "payment_intent.payment_failed",
        "requires_payment_method",
        ours.clone(),
    );
    let read = stripe
        .verify_event(&signature::sign("whsec_new", now, &failed), &failed, now)
        .await
        .expect("verified")
        .expect("event");
    assert_eq!(
        read.kind,
        EventKind::Failed {
            code: FailureCode::AuthenticationFailed,
            message: "bank said no".into()
        }
    );
    for ignored in [
        event("payment_intent.succeeded", "succeeded", json!({})),
        event("charge.refunded", "succeeded", ours.clone()),
    ] {
        let header = signature::sign("whsec_old", now, &ignored);
        assert_eq!(stripe.verify_event(&header, &ignored, now).await, Ok(None));
    }
    let garbage = b"not json".to_vec();
    let header = signature::sign("whsec_old", now, &garbage);
    assert!(stripe.verify_event(&header, &garbage, now).await.is_err());
    // Debug shows no key.
    let shown = format!("{:?}", config("http://x"));
    assert!(
        !shown.contains("sk_test") && !shown.contains("whsec"),
        "{shown}"
    );
}
