//! Signing in through the services (A4, A8): throttling per email, one answer for
//! every failure. (The same hashing work for every failure: `sign_in_work.rs`.)
mod common;

use common::{PASSWORD, World};
use portal_core::Duration;
use portal_core::auth::ThrottlePolicy;
use portal_core::prelude::*;
use portal_core::store::AccessStore;

#[tokio::test]
async fn sign_in_is_throttled_per_email_without_a_permanent_lock() {
    let w = World::with_config(portal_core::PortalConfig::default().with_throttle(
        ThrottlePolicy {
            max_failures: 3,
            window: Duration::minutes(10),
        },
    ));
    let org = w.org("acme").await;
    let (customer, contacts) = w
        .customer(org.id, &[Some("ana@example.com"), Some("rui@example.com")])
        .await;
    w.activate(org.id, &customer, &contacts[0]).await;
    for i in 0..3 {
        w.clock.advance(Duration::minutes(1));
        assert_eq!(
            w.sign_in_code("acme", "ana@example.com", "wrong guess number")
                .await,
            "invalid_credentials",
            "attempt {i}"
        );
    }
    // Even the right password waits now; the answer says until when.
    let err = w
        .portal
        .sign_in("acme", "ana@example.com", PASSWORD)
        .await
        .expect_err("throttled");
    let Error::TooManyAttempts { retry_after } = err else {
        panic!("expected throttling, got {err:?}");
    };
    assert_eq!(
        retry_after,
        w.clock_now() - Duration::minutes(2) + Duration::minutes(10)
    );
    // Another email of the same portal is not affected.
    assert_eq!(
        w.sign_in_code("acme", "rui@example.com", PASSWORD).await,
        "invalid_credentials"
    );
    // Unknown emails are throttled the same way (nothing tells them apart).
    for _ in 0..3 {
        let _ = w
            .portal
            .sign_in("acme", "ghost@example.com", "whatever it is")
            .await;
    }
    assert_eq!(
        w.sign_in_code("acme", "ghost@example.com", "whatever it is")
            .await,
        "too_many_attempts"
    );
    w.clock.set(retry_after);
    w.portal
        .sign_in("acme", "ana@example.com", PASSWORD)
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
            .sign_in("acme", email, password)
            .await
            .expect_err("refused");
        assert_eq!(e.code(), "invalid_credentials", "{email}");
        out.push(e.to_string());
    }
    out
}
