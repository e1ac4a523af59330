//! Signing in through the services (A4, A8): throttling per email, one answer for
//! every failure. (The same hashing work for every failure: `sign_in_work.rs`.)
use crate::common;

use common::{PASSWORD, World};
use portal_core::Duration;
use portal_core::auth::{ClientKey, ThrottlePolicy};
use portal_core::prelude::*;
use portal_core::store::AccessStore;

fn throttled_world() -> World {
    World::with_config(
        portal_core::PortalConfig::default().with_throttle(ThrottlePolicy {
            max_failures: 3,
            max_failures_per_email: 6,
            window: Duration::minutes(10),
        }),
    )
}

#[tokio::test]
async fn sign_in_is_throttled_per_email_and_client_without_a_permanent_lock() {
    let w = throttled_world();
    let org = w.org("acme").await;
    let (customer, contacts) = w
        .customer(org.id, &[Some("ana@example.com"), Some("rui@example.com")])
        .await;
    w.activate(org.id, &customer, &contacts[0]).await;
    let guesser = ClientKey::opaque("guesser");
    for i in 0..3 {
        w.clock.advance(Duration::minutes(1));
        let err = w
            .portal
            .sign_in("acme", "ana@example.com", "wrong guess number", &guesser)
            .await
            .expect_err("wrong");
        assert_eq!(err.code(), "invalid_credentials", "attempt {i}");
    }
    // Even the right password waits now, from that client; the answer says until
    // when, and the message says how long in words.
    let err = w
        .portal
        .sign_in("acme", "ana@example.com", PASSWORD, &guesser)
        .await
        .expect_err("throttled");
    assert_eq!(
        err.to_string(),
        "too many failed sign-ins; try again in 8 minutes"
    );
    let Error::TooManyAttempts {
        retry_after,
        retry_in,
    } = err
    else {
        panic!("expected throttling, got {err:?}");
    };
    assert_eq!(
        retry_after,
        w.clock_now() - Duration::minutes(2) + Duration::minutes(10)
    );
    assert_eq!(retry_in, Duration::minutes(8));
    // Another email of the same portal is not affected.
    assert_eq!(
        w.portal
            .sign_in("acme", "rui@example.com", PASSWORD, &guesser)
            .await
            .expect_err("not active")
            .code(),
        "invalid_credentials"
    );
    // Unknown emails are throttled the same way (nothing tells them apart).
    for _ in 0..3 {
        let _ = w
            .portal
            .sign_in("acme", "ghost@example.com", "whatever it is", &guesser)
            .await;
    }
    assert_eq!(
        w.portal
            .sign_in("acme", "ghost@example.com", "whatever it is", &guesser)
            .await
            .expect_err("throttled")
            .code(),
        "too_many_attempts"
    );
    w.clock.set(retry_after);
    w.portal
        .sign_in("acme", "ana@example.com", PASSWORD, &guesser)
        .await
        .expect("window passed");
    // Success clears the record.
    let failures = w
        .store
        .sign_in_failures(
            org.id,
            &portal_core::domain::Email::parse("ana@example.com").expect("email"),
            retry_after - Duration::hours(1),
        )
        .await
        .expect("read");
    assert!(failures.is_empty());
}

/// Knowing a customer's email is not enough to lock them out: the failures of
/// someone else's client do not stop theirs. Only many failures from many clients
/// (the per-email threshold) stop every client, for the window.
#[tokio::test]
async fn a_stranger_who_knows_the_email_cannot_lock_the_customer_out() {
    let w = throttled_world();
    let org = w.org("acme").await;
    let (customer, contacts) = w.customer(org.id, &[Some("ana@example.com")]).await;
    w.activate(org.id, &customer, &contacts[0]).await;
    let ip = |s: &str| ClientKey::from_ip(s.parse().expect("address"));
    let (stranger, ana) = (ip("198.51.100.9"), ip("203.0.113.20"));
    for _ in 0..5 {
        let _ = w
            .portal
            .sign_in("acme", "ana@example.com", "let me in please", &stranger)
            .await;
    }
    assert_eq!(
        w.portal
            .sign_in("acme", "ana@example.com", PASSWORD, &stranger)
            .await
            .expect_err("the stranger is throttled")
            .code(),
        "too_many_attempts"
    );
    w.portal
        .sign_in("acme", "ana@example.com", PASSWORD, &ana)
        .await
        .expect("Ana signs in from her own device");
    // Spread over many addresses, the failures reach the per-email threshold:
    // then every client waits, Ana included, until the window passes.
    for n in 0..6 {
        let _ = w
            .portal
            .sign_in(
                "acme",
                "ana@example.com",
                "let me in please",
                &ip(&format!("192.0.2.{n}")),
            )
            .await;
    }
    let err = w
        .portal
        .sign_in("acme", "ana@example.com", PASSWORD, &ana)
        .await
        .expect_err("the email's threshold");
    assert_eq!(err.code(), "too_many_attempts");
    assert_eq!(
        err.to_string(),
        "too many failed sign-ins; try again in 10 minutes"
    );
    w.clock.advance(Duration::minutes(10));
    w.portal
        .sign_in("acme", "ana@example.com", PASSWORD, &ana)
        .await
        .expect("the window passed");
}

#[tokio::test]
async fn failed_sign_in_says_the_same_for_every_cause() {
    let w = World::new();
    w.contacts_of_every_kind().await;
    let cases = [
        ("ana@example.com", "wrong password!"), // wrong password
        ("nobody@example.com", PASSWORD),       // unknown email
        ("rui@example.com", PASSWORD),          // invited, not active
        ("eva@example.com", PASSWORD),          // disabled
        ("not an email", PASSWORD),             // malformed
    ];
    let messages: Vec<String> = futures_collect(&w, &cases).await;
    assert!(messages.iter().all(|m| m == &messages[0]), "{messages:?}");
    assert_eq!(
        w.sign_in_code("nope-portal", "ana@example.com", PASSWORD)
            .await,
        "not_found"
    );
}

async fn futures_collect(w: &World, cases: &[(&str, &str)]) -> Vec<String> {
    let mut out = Vec::new();
    for (email, password) in cases {
        let e = w
            .portal
            .sign_in(
                "acme",
                email,
                password,
                &portal_core::auth::ClientKey::unknown(),
            )
            .await
            .expect_err("refused");
        assert_eq!(e.code(), "invalid_credentials", "{email}");
        out.push(e.to_string());
    }
    out
}
