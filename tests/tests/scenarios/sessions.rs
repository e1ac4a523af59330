//! Sessions and passwords through the services (A5–A7): idle and absolute expiry,
//! configurable lifetimes, changing and resetting a password.
use crate::common;

use common::{PASSWORD, World};
use portal_core::Duration;
use portal_core::prelude::*;

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
        .sign_in(
            "acme",
            "ana@example.com",
            PASSWORD,
            &portal_core::auth::ClientKey::unknown(),
        )
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
        .sign_in(
            "acme",
            "ana@example.com",
            PASSWORD,
            &portal_core::auth::ClientKey::unknown(),
        )
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
        .sign_in(
            "acme",
            "ana@example.com",
            new,
            &portal_core::auth::ClientKey::unknown(),
        )
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
        .sign_in(
            "acme",
            "ana@example.com",
            "new pass phrase here",
            &portal_core::auth::ClientKey::unknown(),
        )
        .await
        .expect("sign in");
}

#[tokio::test]
async fn a_session_tells_the_host_what_to_hide_and_the_banner() {
    let w = World::new();
    let org = w.org("acme").await;
    let (customer, contacts) = w.customer(org.id, &[Some("ana@example.com")]).await;
    let signed = w.activate(org.id, &customer, &contacts[0]).await;
    let before = w
        .portal
        .session(signed.token.expose())
        .await
        .expect("session");
    assert!(!before.may_pay_by_bank_account(), "customers start without");
    assert_eq!(before.currency(), customer.currency);
    w.portal
        .org(org.id)
        .update_settings(|s| {
            s.banner = Some("Welcome to Acme's portal".into());
            s.preferences.allow_forwarding = !s.preferences.allow_forwarding;
            s.preferences.enable_reviews = !s.preferences.enable_reviews;
        })
        .await
        .expect("settings");
    let after = w
        .portal
        .session(signed.token.expose())
        .await
        .expect("session");
    assert_eq!(after.banner(), Some("Welcome to Acme's portal"));
    let (was, now) = (before.portal_preferences(), after.portal_preferences());
    assert_eq!(now.allow_forwarding, !was.allow_forwarding);
    assert_eq!(now.enable_reviews, !was.enable_reviews);
}
