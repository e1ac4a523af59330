//! The access lifecycle A1–A10 through the services, with a manual clock.

use crate::common;

use common::{PASSWORD, World};
use portal_core::Duration;
use portal_core::domain::PortalStatus;
use portal_core::store::{ContactStore, OutboxStore};

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
        .sign_in(
            "acme",
            "ANA@example.com",
            PASSWORD,
            &portal_core::auth::ClientKey::unknown(),
        )
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
        .sign_in(
            "acme",
            "ana@example.com",
            "a different pass phrase",
            &portal_core::auth::ClientKey::unknown(),
        )
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
