//! Every failed sign-in does the same hashing work as a successful one (A4): one
//! argon2id verification, real or against a dummy hash, so that timing tells no
//! one whether an email exists. Counted from the library's tracing event, in a
//! test binary of its own: tracing caches each call site's interest process-wide,
//! and another test's thread reaching a call site meanwhile could hide events.
mod common;

use common::{PASSWORD, World};

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
    w.contacts_of_every_kind().await;
    let count = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let subscriber = tracing_subscriber::registry().with(CountVerifications(count.clone()));
    // The default (current-thread) test runtime keeps every call on this thread,
    // and this binary runs no other test whose threads would reach the library's
    // call sites while this one counts.
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
            .sign_in(
                "acme",
                email,
                password,
                &portal_core::auth::ClientKey::unknown(),
            )
            .await
            .expect_err("refused");
        assert_eq!(err.code(), "invalid_credentials");
        let work = count.load(std::sync::atomic::Ordering::SeqCst) - before;
        assert_eq!(work, 1, "{email}: one argon2id verification, real or dummy");
    }
    tracing::callsite::rebuild_interest_cache();
    let before = count.load(std::sync::atomic::Ordering::SeqCst);
    w.portal
        .sign_in(
            "acme",
            "ana@example.com",
            PASSWORD,
            &portal_core::auth::ClientKey::unknown(),
        )
        .await
        .expect("right password");
    assert_eq!(count.load(std::sync::atomic::Ordering::SeqCst) - before, 1);
}
