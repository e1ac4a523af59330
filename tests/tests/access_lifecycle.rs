//! The access lifecycle A1–A10 through the services, with a manual clock.

mod common;

use common::{PASSWORD, World};
use portal_core::Duration;
use portal_core::auth::ThrottlePolicy;
use portal_core::domain::{
    Decision, InvitationTemplate, Permissions, PortalStatus, Refusal, Setting,
};
use portal_core::prelude::*;
use portal_core::store::{AccessStore, ContactStore, OutboxStore};

#[tokio::test]
async fn invitation_accept_sign_in_and_sign_out() {
    let w = World::new();
    let org = w.org("acme").await;
    let (customer, contacts) = w.customer(org.id, &[Some("ana@example.com")]).await;
    let admin = w.portal.org(org.id);
    let invited = admin
        .contacts()
        .enable_access(customer.id, &[contacts[0].id])
        .await
        .expect("invite");
    assert_eq!(invited[0].portal_status, PortalStatus::Invited);
    let token = w.link_token("ana@example.com", "/invitation/").await;
    let sent = w.mailer.sent_to("ana@example.com");
    assert_eq!(sent.len(), 1);
    assert!(sent[0].subject.contains("Org acme"));
    assert!(
        sent[0]
            .body
            .contains("https://portal.test/acme/invitation/")
    );

    let signed = w.accept(&token, PASSWORD).await.expect("accept");
    assert_eq!(signed.session.customer_id(), customer.id);
    assert_eq!(signed.session.contact_id(), contacts[0].id);
    assert_eq!(
        admin
            .contacts()
            .get(contacts[0].id)
            .await
            .expect("read")
            .portal_status,
        PortalStatus::Active
    );
    // The link is single-use.
    assert_eq!(
        w.accept(&token, PASSWORD).await.expect_err("used").code(),
        "invalid_link"
    );

    let again = w
        .portal
        .sign_in("acme", "ANA@example.com", PASSWORD)
        .await
        .expect("sign in");
    let session = w
        .portal
        .session(again.token.expose())
        .await
        .expect("resolve");
    assert_eq!(session.org_id(), org.id);
    session.sign_out().await.expect("sign out");
    assert_eq!(
        w.session_code(again.token.expose()).await,
        "session_expired"
    );
    // The first session is unaffected by the other's sign-out.
    w.portal
        .session(signed.token.expose())
        .await
        .expect("other session");
    w.portal
        .sign_out(signed.token.expose())
        .await
        .expect("sign out by token");
    w.portal
        .sign_out(signed.token.expose())
        .await
        .expect("twice is fine");
    assert!(w.portal.session(signed.token.expose()).await.is_err());
}

#[tokio::test]
async fn invitation_links_expire_and_reinvite_voids_older_links() {
    let w = World::new();
    let org = w.org("acme").await;
    let (customer, contacts) = w.customer(org.id, &[Some("ana@example.com")]).await;
    let admin = w.portal.org(org.id);
    admin
        .contacts()
        .enable_access(customer.id, &[contacts[0].id])
        .await
        .expect("invite");
    let first = w.link_token("ana@example.com", "/invitation/").await;
    admin
        .contacts()
        .reinvite(contacts[0].id)
        .await
        .expect("reinvite");
    let second = w.link_token("ana@example.com", "/invitation/").await;
    assert_ne!(first, second);
    assert_eq!(
        w.accept(&first, PASSWORD).await.expect_err("voided").code(),
        "invalid_link"
    );
    w.clock.advance(Duration::days(7));
    assert_eq!(
        w.accept(&second, PASSWORD)
            .await
            .expect_err("expired")
            .code(),
        "invalid_link"
    );
    admin
        .contacts()
        .reinvite(contacts[0].id)
        .await
        .expect("reinvite");
    let third = w.link_token("ana@example.com", "/invitation/").await;
    w.clock.advance(Duration::days(7) - Duration::seconds(1));
    w.accept(&third, PASSWORD).await.expect("just in time");
    // An active contact cannot be reinvited.
    assert_eq!(
        admin
            .contacts()
            .reinvite(contacts[0].id)
            .await
            .expect_err("active")
            .code(),
        "invalid_state"
    );
}

#[tokio::test]
async fn accepting_checks_password_policy_and_changes_nothing_on_bad_input() {
    let w = World::new();
    let org = w.org("acme").await;
    let (customer, contacts) = w.customer(org.id, &[Some("ana.silva@example.com")]).await;
    w.portal
        .org(org.id)
        .contacts()
        .enable_access(customer.id, &[contacts[0].id])
        .await
        .expect("invite");
    let token = w.link_token("ana.silva@example.com", "/invitation/").await;
    for (password, code) in [
        ("short", "weak_password"),
        ("password1", "weak_password"),
        ("ana.silva", "weak_password"),
        ("ana.silva@example.com", "weak_password"),
    ] {
        assert_eq!(
            w.accept(&token, password).await.expect_err(password).code(),
            code
        );
    }
    let mismatch = w
        .portal
        .accept_invitation(
            &token,
            portal_core::service::AcceptInvitation {
                password: PASSWORD.into(),
                password_confirmation: "something else entirely".into(),
                preferences: None,
            },
        )
        .await;
    assert_eq!(
        mismatch.expect_err("mismatch").code(),
        "password_confirmation_mismatch"
    );
    let bad_prefs = w
        .portal
        .accept_invitation(
            &token,
            portal_core::service::AcceptInvitation {
                password: PASSWORD.into(),
                password_confirmation: PASSWORD.into(),
                preferences: Some(portal_core::domain::UserPreferences {
                    country: "Portugal".into(),
                    ..portal_core::domain::UserPreferences::default()
                }),
            },
        )
        .await;
    assert_eq!(
        bad_prefs.expect_err("bad prefs").code(),
        "invalid_preference"
    );
    let contact = w
        .portal
        .org(org.id)
        .contacts()
        .get(contacts[0].id)
        .await
        .expect("read");
    assert_eq!(contact.portal_status, PortalStatus::Invited);
    assert!(contact.password_hash.is_none());
    // The link still works after all the refusals.
    let signed = w.accept(&token, PASSWORD).await.expect("accept");
    assert_eq!(
        signed.session.preferences(),
        org.settings.default_user_preferences
    );
}

#[tokio::test]
async fn sessions_expire_when_idle_and_absolutely() {
    let w = World::new();
    let org = w.org("acme").await;
    let (customer, contacts) = w.customer(org.id, &[Some("ana@example.com")]).await;
    let signed = w.activate(org.id, &customer, &contacts[0]).await;
    let token = signed.token.expose().to_owned();
    // Used every 20 minutes, the session lives until the 12-hour limit.
    for _ in 0..35 {
        w.clock.advance(Duration::minutes(20));
        w.portal.session(&token).await.expect("still alive");
    }
    w.clock.advance(Duration::minutes(20)); // 12 h since sign-in
    assert_eq!(w.session_code(&token).await, "session_expired");

    let idle = w
        .portal
        .sign_in("acme", "ana@example.com", PASSWORD)
        .await
        .expect("sign in");
    w.clock.advance(Duration::minutes(29));
    w.portal
        .session(idle.token.expose())
        .await
        .expect("29 minutes idle is fine");
    w.clock.advance(Duration::minutes(30));
    assert_eq!(w.session_code(idle.token.expose()).await, "session_expired");
}

#[tokio::test]
async fn session_lifetimes_are_configurable() {
    let w = World::with_config(
        portal_core::PortalConfig::default().with_sessions(SessionPolicy {
            idle_timeout: Duration::minutes(5),
            absolute_timeout: Duration::hours(1),
            touch_interval: Duration::seconds(10),
        }),
    );
    let org = w.org("acme").await;
    let (customer, contacts) = w.customer(org.id, &[Some("ana@example.com")]).await;
    let signed = w.activate(org.id, &customer, &contacts[0]).await;
    w.clock.advance(Duration::minutes(5));
    assert!(w.portal.session(signed.token.expose()).await.is_err());
}

#[tokio::test]
async fn change_password_ends_other_sessions_only() {
    let w = World::new();
    let org = w.org("acme").await;
    let (customer, contacts) = w.customer(org.id, &[Some("ana@example.com")]).await;
    let first = w.activate(org.id, &customer, &contacts[0]).await;
    let second = w
        .portal
        .sign_in("acme", "ana@example.com", PASSWORD)
        .await
        .expect("sign in");
    let session = w
        .portal
        .session(second.token.expose())
        .await
        .expect("resolve");
    let new = "a brand new pass phrase";
    assert_eq!(
        session
            .profile()
            .change_password("not the password", new, new)
            .await
            .expect_err("wrong")
            .code(),
        "wrong_password"
    );
    assert_eq!(
        session
            .profile()
            .change_password(PASSWORD, new, "different")
            .await
            .expect_err("mismatch")
            .code(),
        "password_confirmation_mismatch"
    );
    assert_eq!(
        session
            .profile()
            .change_password(PASSWORD, "iloveyou", "iloveyou")
            .await
            .expect_err("common")
            .code(),
        "weak_password"
    );
    // Nothing changed so far.
    w.portal
        .session(first.token.expose())
        .await
        .expect("first still valid");
    session
        .profile()
        .change_password(PASSWORD, new, new)
        .await
        .expect("change");
    assert!(w.portal.session(first.token.expose()).await.is_err());
    w.portal
        .session(second.token.expose())
        .await
        .expect("this one stays");
    assert_eq!(
        w.sign_in_code("acme", "ana@example.com", PASSWORD).await,
        "invalid_credentials"
    );
    w.portal
        .sign_in("acme", "ana@example.com", new)
        .await
        .expect("new password");
}

#[tokio::test]
async fn forgot_password_resets_with_a_short_lived_single_use_link() {
    let w = World::new();
    let org = w.org("acme").await;
    let (customer, contacts) = w.customer(org.id, &[Some("ana@example.com")]).await;
    let signed = w.activate(org.id, &customer, &contacts[0]).await;

    // Unknown emails get the same answer and no email.
    w.portal
        .request_password_reset("acme", "nobody@example.com")
        .await
        .expect("same answer");
    assert!(w.mailer.sent_to("nobody@example.com").is_empty());

    w.portal
        .request_password_reset("acme", "ana@example.com")
        .await
        .expect("request");
    let expired = w.link_token("ana@example.com", "/reset-password/").await;
    w.clock.advance(Duration::hours(1));
    assert_eq!(
        w.portal
            .reset_password(&expired, "new pass phrase here", "new pass phrase here")
            .await
            .expect_err("expired")
            .code(),
        "invalid_link"
    );
    w.portal
        .request_password_reset("acme", "ana@example.com")
        .await
        .expect("request");
    let older = w.link_token("ana@example.com", "/reset-password/").await;
    w.portal
        .request_password_reset("acme", "ana@example.com")
        .await
        .expect("request");
    let token = w.link_token("ana@example.com", "/reset-password/").await;
    assert_eq!(
        w.portal
            .reset_password(&older, "new pass phrase here", "new pass phrase here")
            .await
            .expect_err("voided")
            .code(),
        "invalid_link"
    );
    // A reset link is no invitation.
    assert_eq!(
        w.accept(&token, PASSWORD)
            .await
            .expect_err("purpose")
            .code(),
        "invalid_link"
    );
    w.portal
        .reset_password(&token, "new pass phrase here", "new pass phrase here")
        .await
        .expect("reset");
    assert_eq!(
        w.portal
            .reset_password(&token, "another pass phrase", "another pass phrase")
            .await
            .expect_err("used")
            .code(),
        "invalid_link"
    );
    // Every session ended; the new password works.
    w.clock.advance(Duration::minutes(1));
    assert!(w.portal.session(signed.token.expose()).await.is_err());
    w.portal
        .sign_in("acme", "ana@example.com", "new pass phrase here")
        .await
        .expect("sign in");
}

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

trait ClockNow {
    fn clock_now(&self) -> portal_core::OffsetDateTime;
}

impl ClockNow for World {
    fn clock_now(&self) -> portal_core::OffsetDateTime {
        use portal_core::clock::Clock;
        self.clock.now()
    }
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

#[tokio::test]
async fn disabling_ends_sessions_and_blocks_sign_in_and_reenabling_invites_again() {
    let w = World::new();
    let org = w.org("acme").await;
    let (customer, contacts) = w
        .customer(org.id, &[Some("ana@example.com"), Some("rui@example.com")])
        .await;
    let admin = w.portal.org(org.id);
    let ana = w.activate(org.id, &customer, &contacts[0]).await;
    let rui = w.activate(org.id, &customer, &contacts[1]).await;
    let changed = admin
        .customers()
        .disable(customer.id)
        .await
        .expect("disable all");
    assert_eq!(changed.len(), 2);
    for s in [&ana, &rui] {
        assert_eq!(w.session_code(s.token.expose()).await, "session_expired");
    }
    assert_eq!(
        w.sign_in_code("acme", "ana@example.com", PASSWORD).await,
        "invalid_credentials"
    );
    assert_eq!(
        admin
            .contacts()
            .disable(contacts[0].id)
            .await
            .expect_err("already")
            .code(),
        "invalid_state"
    );
    admin
        .contacts()
        .enable_access(customer.id, &[contacts[0].id])
        .await
        .expect("re-enable");
    let token = w.link_token("ana@example.com", "/invitation/").await;
    w.accept(&token, "a different pass phrase")
        .await
        .expect("accept again");
    w.portal
        .sign_in("acme", "ana@example.com", "a different pass phrase")
        .await
        .expect("back in");
}

#[tokio::test]
async fn deleted_contact_or_customer_behind_a_session_gives_cp1003() {
    let w = World::new();
    let org = w.org("acme").await;
    let (customer, contacts) = w.customer(org.id, &[Some("ana@example.com")]).await;
    let (other, others) = w.customer(org.id, &[Some("rui@example.com")]).await;
    let ana = w.activate(org.id, &customer, &contacts[0]).await;
    let rui = w.activate(org.id, &other, &others[0]).await;
    // Simulate the host deleting rows behind live sessions (a session record that
    // outlived its contact): the store's own deletes end sessions, so recreate one.
    let admin = w.portal.org(org.id);
    let kept_ana = ana.session.clone();
    admin
        .contacts()
        .delete(contacts[0].id)
        .await
        .expect("delete contact");
    assert_eq!(w.session_code(ana.token.expose()).await, "session_expired");
    let record = portal_core::auth::SessionRecord {
        id: portal_core::domain::SessionId::new(),
        token_hash: ana.token.hash(),
        org: org.id,
        customer: customer.id,
        contact: kept_ana.contact_id(),
        created_at: w.clock_now(),
        last_seen_at: w.clock_now(),
    };
    portal_core::store::SessionStore::create_session(&*w.store, &record)
        .await
        .expect("session");
    let err = w
        .portal
        .session(ana.token.expose())
        .await
        .expect_err("deleted contact");
    assert_eq!(err.code(), "CP1003");
    assert!(err.to_string().contains("deleted customer contact"));

    admin
        .customers()
        .delete(other.id)
        .await
        .expect("delete customer");
    let record = portal_core::auth::SessionRecord {
        id: portal_core::domain::SessionId::new(),
        token_hash: rui.token.hash(),
        org: org.id,
        customer: other.id,
        contact: others[0].id,
        created_at: w.clock_now(),
        last_seen_at: w.clock_now(),
    };
    portal_core::store::SessionStore::create_session(&*w.store, &record)
        .await
        .expect("session");
    assert_eq!(w.session_code(rui.token.expose()).await, "CP1003");
}

#[tokio::test]
async fn enabling_access_needs_an_email_and_is_all_or_nothing() {
    let w = World::new();
    let org = w.org("acme").await;
    let admin = w.portal.org(org.id);
    let (no_email, silent) = w.customer(org.id, &[None]).await;
    assert_eq!(
        admin
            .contacts()
            .enable_access(no_email.id, &[silent[0].id])
            .await
            .expect_err("none")
            .code(),
        "no_contact_with_email"
    );
    let (customer, contacts) = w.customer(org.id, &[Some("ana@example.com"), None]).await;
    assert_eq!(
        admin
            .contacts()
            .enable_access(customer.id, &[contacts[0].id, contacts[1].id])
            .await
            .expect_err("one without")
            .code(),
        "contact_has_no_email"
    );
    assert_eq!(
        admin
            .contacts()
            .enable_access(customer.id, &[contacts[0].id, silent[0].id])
            .await
            .expect_err("other customer's")
            .code(),
        "not_found"
    );
    assert_eq!(
        admin
            .contacts()
            .get(contacts[0].id)
            .await
            .expect("read")
            .portal_status,
        PortalStatus::NotInvited
    );
    assert!(
        w.store
            .pending_emails(org.id, 10)
            .await
            .expect("pending")
            .is_empty()
    );
}

#[tokio::test]
async fn portal_user_cap_is_enforced_at_invitation() {
    let w = World::new();
    let org = w.org("acme").await;
    let admin = w.portal.org(org.id);
    admin.set_portal_user_cap(2).await.expect("cap");
    let (customer, contacts) = w
        .customer(
            org.id,
            &[
                Some("a@example.com"),
                Some("b@example.com"),
                Some("c@example.com"),
            ],
        )
        .await;
    let all: Vec<_> = contacts.iter().map(|c| c.id).collect();
    let err = admin
        .contacts()
        .enable_access(customer.id, &all)
        .await
        .expect_err("over cap");
    assert_eq!(err.code(), "portal_user_cap_reached");
    assert_eq!(w.store.count_portal_users(org.id).await.expect("count"), 0);
    admin
        .contacts()
        .enable_access(customer.id, &all[..2])
        .await
        .expect("within cap");
    assert_eq!(
        admin
            .contacts()
            .enable_access(customer.id, &all[2..])
            .await
            .expect_err("full")
            .code(),
        "portal_user_cap_reached"
    );
    // Disabling frees a seat.
    admin.contacts().disable(all[0]).await.expect("disable");
    admin
        .contacts()
        .enable_access(customer.id, &all[2..])
        .await
        .expect("seat freed");
}

#[tokio::test]
async fn roles_are_capped_and_decide_with_reasons() {
    let w = World::new();
    let org = w.org("acme").await;
    let admin = w.portal.org(org.id);
    let viewer = admin
        .roles()
        .create(
            "Viewer",
            Permissions::none()
                .with(Module::Invoices, Action::View)
                .and_then(|p| p.with(Module::Quotes, Action::View))
                .expect("permissions"),
        )
        .await
        .expect("role");
    for i in 0..3 {
        admin
            .roles()
            .create(&format!("Role {i}"), Permissions::none())
            .await
            .expect("role");
    }
    assert_eq!(
        admin
            .roles()
            .create("Sixth", Permissions::none())
            .await
            .expect_err("cap")
            .code(),
        "role_limit_reached"
    );
    let default = admin.organization().await.expect("org").default_role().id;
    assert_eq!(
        admin
            .roles()
            .delete(default)
            .await
            .expect_err("default")
            .code(),
        "default_role_is_permanent"
    );
    assert_eq!(
        admin
            .roles()
            .create("  ", Permissions::none())
            .await
            .expect_err("name")
            .code(),
        "invalid_text"
    );

    let (customer, contacts) = w.customer(org.id, &[Some("ana@example.com")]).await;
    let signed = w.activate(org.id, &customer, &contacts[0]).await;
    assert!(
        signed
            .session
            .can(Module::Invoices, Action::Pay)
            .is_allowed()
    );
    admin
        .roles()
        .assign(contacts[0].id, Some(viewer.id))
        .await
        .expect("assign");
    let session = w
        .portal
        .session(signed.token.expose())
        .await
        .expect("resolve");
    assert_eq!(session.role().name.as_str(), "Viewer");
    assert!(session.can(Module::Invoices, Action::View).is_allowed());
    assert_eq!(
        session.can(Module::Invoices, Action::Pay),
        Decision::Refused(Refusal::RoleLacks {
            role: "Viewer".into(),
            module: Module::Invoices,
            action: Action::Pay
        })
    );
    let err = session
        .require(Module::Invoices, Action::Pay)
        .expect_err("refused");
    assert_eq!(err.code(), "forbidden");
    assert!(err.to_string().contains("Viewer"));

    let preview = admin.roles().preview(viewer.id).await.expect("preview");
    assert_eq!(
        preview.visible_modules(),
        vec![Module::Quotes, Module::Invoices]
    );
    admin
        .update_settings(|s| s.preferences.show_sales_orders = true)
        .await
        .expect("settings");
    let full = admin.roles().preview(default).await.expect("preview");
    assert!(full.visible_modules().contains(&Module::SalesOrders));

    // Deleting the role puts its users back on the default role.
    admin.roles().delete(viewer.id).await.expect("delete");
    let session = w
        .portal
        .session(signed.token.expose())
        .await
        .expect("resolve");
    assert!(session.role().is_default);
    assert_eq!(
        admin
            .roles()
            .assign(contacts[0].id, Some(viewer.id))
            .await
            .expect_err("gone")
            .code(),
        "not_found"
    );
}

#[tokio::test]
async fn settings_slug_and_template_are_checked_when_saved() {
    let w = World::new();
    let org = w.org("acme").await;
    let _other = w.org("taken").await;
    let admin = w.portal.org(org.id);
    assert_eq!(
        admin.change_slug("taken").await.expect_err("taken").code(),
        "slug_taken"
    );
    assert_eq!(
        admin.change_slug("Bad Slug").await.expect_err("bad").code(),
        "invalid_slug"
    );
    let moved = admin.change_slug("acme-books").await.expect("change");
    assert_eq!(moved.slug.as_str(), "acme-books");
    assert!(
        w.portal
            .sign_in("acme", "x@example.com", PASSWORD)
            .await
            .is_err()
    );

    let err = InvitationTemplate::new("Hi {first_name}", "{invitation_link}").expect_err("unknown");
    assert_eq!(Error::from(err).code(), "invalid_template");
    let template = InvitationTemplate::new(
        "{org_name} invites {contact_name}",
        "Join {customer_name} at {portal_url}: {invitation_link}",
    )
    .expect("valid");
    admin
        .update_settings(|s| {
            s.invitation_template = template.clone();
            s.banner = Some("Hello!".into());
        })
        .await
        .expect("save");
    assert_eq!(
        admin
            .update_settings(|s| s.banner = Some(String::new()))
            .await
            .expect_err("empty banner")
            .code(),
        "invalid_text"
    );
    let (customer, contacts) = w.customer(org.id, &[Some("ana@example.com")]).await;
    admin
        .contacts()
        .enable_access(customer.id, &[contacts[0].id])
        .await
        .expect("invite");
    w.portal.dispatch_emails(10).await.expect("dispatch");
    let mail = w.mailer.sent_to("ana@example.com").pop().expect("sent");
    assert_eq!(mail.subject, "Org acme invites Person0 Test");
    assert!(mail.body.starts_with("Join Customer at https://portal.test/acme-books: https://portal.test/acme-books/invitation/"));
    let token = w.link_token("ana@example.com", "/invitation/").await;
    let signed = w.accept(&token, PASSWORD).await.expect("accept");
    assert_eq!(signed.banner.as_deref(), Some("Hello!"));
    let later = w
        .portal
        .sign_in("acme-books", "ana@example.com", PASSWORD)
        .await
        .expect("sign in");
    assert_eq!(later.banner, None, "the banner is for the first sign-in");

    // Turning the portal off locks everyone out with a clear error.
    admin
        .update_settings(|s| s.enabled = false)
        .await
        .expect("off");
    assert_eq!(
        w.session_code(later.token.expose()).await,
        "portal_disabled"
    );
    assert_eq!(
        w.sign_in_code("acme-books", "ana@example.com", PASSWORD)
            .await,
        "portal_disabled"
    );
    assert_eq!(
        signed.session.can(Module::Quotes, Action::View),
        Decision::Allowed,
        "a snapshot taken before keeps its decision; fresh sessions are refused"
    );
    let _ = Setting::PortalEnabled;
}
