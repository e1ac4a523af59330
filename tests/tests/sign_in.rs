//! Signing in through the services (A4, A8): throttling per email, one answer for
//! every failure, the same hashing work for every failure.
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
    let org = w.org("acme").await;
    let (customer, contacts) = w
        .customer(
            org.id,
            &[
                Some("ana@example.com"),
                Some("rui@example.com"),
                Some("eva@example.com"),
            ],
        )
        .await;
    let admin = w.portal.org(org.id);
    w.activate(org.id, &customer, &contacts[0]).await;
    w.activate(org.id, &customer, &contacts[2]).await;
    admin
        .contacts()
        .disable(contacts[2].id)
        .await
        .expect("disable");
    admin
        .contacts()
        .enable_access(customer.id, &[contacts[1].id])
        .await
        .expect("invited only");
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

/// Counts argon2id verifications on this thread (the library logs each one, real or
/// dummy, with the same event and no secret).
struct CountVerifications(std::sync::Arc<std::sync::atomic::AtomicUsize>);

impl<S: tracing::Subscriber> tracing_subscriber::Layer<S> for CountVerifications {
    fn on_event(&self, event: &tracing::Event<'_>, _: tracing_subscriber::layer::Context<'_, S>) {
        if event.metadata().target() == "portal_core::password" {
            self.0.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        }
    }
}

#[tokio::test]
async fn every_failed_sign_in_does_the_same_hashing_work() {
    use tracing_subscriber::layer::SubscriberExt as _;
    let w = World::new();
    let org = w.org("acme").await;
    let (customer, contacts) = w
        .customer(
            org.id,
            &[
                Some("ana@example.com"),
                Some("rui@example.com"),
                Some("eva@example.com"),
            ],
        )
        .await;
    w.activate(org.id, &customer, &contacts[0]).await;
    w.activate(org.id, &customer, &contacts[2]).await;
    w.portal
        .org(org.id)
        .contacts()
        .disable(contacts[2].id)
        .await
        .expect("disable");
    w.portal
        .org(org.id)
        .contacts()
        .enable_access(customer.id, &[contacts[1].id])
        .await
        .expect("invited only");
    let count = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let subscriber = tracing_subscriber::registry().with(CountVerifications(count.clone()));
    // The default (current-thread) test runtime keeps every call on this thread.
    let _guard = tracing::subscriber::set_default(subscriber);
    for (email, password) in [
        ("ana@example.com", "wrong password!"), // known, wrong password
        ("nobody@example.com", PASSWORD),       // unknown email
        ("rui@example.com", PASSWORD),          // invited, no password yet
        ("eva@example.com", PASSWORD),          // disabled
        ("not an email", PASSWORD),             // malformed
    ] {
        // Call-site interest is cached process-wide, and another test's thread that
        // first reaches a call site computes it against its own (empty) dispatcher
        // while this test's subscriber is the only one registered: recompute it here,
        // on this thread, so the count sees every verification.
        tracing::callsite::rebuild_interest_cache();
        let before = count.load(std::sync::atomic::Ordering::SeqCst);
        let err = w
            .portal
            .sign_in("acme", email, password)
            .await
            .expect_err("refused");
        assert_eq!(err.code(), "invalid_credentials");
        let work = count.load(std::sync::atomic::Ordering::SeqCst) - before;
        assert_eq!(work, 1, "{email}: one argon2id verification, real or dummy");
    }
    tracing::callsite::rebuild_interest_cache();
    let before = count.load(std::sync::atomic::Ordering::SeqCst);
    w.portal
        .sign_in("acme", "ana@example.com", PASSWORD)
        .await
        .expect("right password");
    assert_eq!(count.load(std::sync::atomic::Ordering::SeqCst) - before, 1);
}
