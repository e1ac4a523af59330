//! Invitations, tokens, sessions, throttling records.

use time::Duration;

use super::fixtures::{
    activate, customer, email_for, hash, invite, org, session_for, t0, token, unique_email,
};
use crate::auth::ClientKey;
use crate::store::SignInFailure;
use crate::{
    auth::TokenPurpose, domain::EmailKind, domain::PortalStatus, domain::UserPreferences,
    store::Invitation, store::InvitationBatch, store::Store, store::StoreError,
    store::TokenRedemption,
};

/// A new invitation voids the contact's earlier links and queues its email in the
/// same operation.
pub async fn invitations_void_earlier_links_and_queue_email(store: &dyn Store) {
    let org = org(store).await;
    let (_, contacts) = customer(store, &org).await;
    let (invited, first) = invite(store, &org, &contacts[0]).await;
    assert_eq!(invited.portal_status, PortalStatus::Invited);
    assert_eq!(invited.version, contacts[0].version + 1);
    let stored = store.access_token(&first.key()).await.expect("issued");
    assert_eq!(stored.purpose, TokenPurpose::Invitation);
    assert_eq!(stored.contact, invited.id);
    let (again, second) = invite(store, &org, &invited).await;
    assert_eq!(again.version, invited.version + 1);
    assert!(matches!(
        store.access_token(&first.key()).await,
        Err(StoreError::NotFound(_))
    ));
    store
        .access_token(&second.key())
        .await
        .expect("new link works");
    let pending = store.pending_emails(org.id, 10).await.expect("pending");
    assert_eq!(pending.len(), 2);
    assert!(pending.iter().all(|e| e.kind == EmailKind::Invitation));
    assert_eq!(store.count_portal_users(org.id).await.expect("count"), 1);
}

/// The portal user cap is checked over the whole batch: over the cap, nothing of the
/// batch is written.
pub async fn invitation_batch_respects_cap_atomically(store: &dyn Store) {
    let org = org(store).await;
    let (_, contacts) = customer(store, &org).await;
    let mut invitations = Vec::new();
    let mut secrets = Vec::new();
    for c in &contacts[..2] {
        let (secret, record) = token(org.id, c, TokenPurpose::Invitation);
        let mut invited = c.clone();
        invited.portal_status = PortalStatus::Invited;
        let to = c.email.clone().expect("email");
        invitations.push(Invitation {
            contact: invited,
            token: record,
            email: email_for(org.id, &to, EmailKind::Invitation),
        });
        secrets.push(secret);
    }
    let batch = InvitationBatch {
        org: org.id,
        portal_user_cap: 1,
        invitations,
    };
    assert!(matches!(
        store.issue_invitations(&batch).await,
        Err(StoreError::LimitReached { limit: 1, .. })
    ));
    for (c, s) in contacts.iter().zip(&secrets) {
        let read = store.contact(org.id, c.id).await.expect("read");
        assert_eq!(read.portal_status, PortalStatus::NotInvited);
        assert_eq!(read.version, c.version);
        assert!(matches!(
            store.access_token(&s.key()).await,
            Err(StoreError::NotFound(_))
        ));
    }
    assert!(
        store
            .pending_emails(org.id, 10)
            .await
            .expect("pending")
            .is_empty()
    );
    assert_eq!(store.count_portal_users(org.id).await.expect("count"), 0);
    let batch = InvitationBatch {
        portal_user_cap: 2,
        ..batch
    };
    assert_eq!(
        store.issue_invitations(&batch).await.expect("fits").len(),
        2
    );
    assert_eq!(store.count_portal_users(org.id).await.expect("count"), 2);
}

/// An invitation built from a stale read of the contact changes nothing.
pub async fn invitation_with_stale_version_changes_nothing(store: &dyn Store) {
    let org = org(store).await;
    let (_, contacts) = customer(store, &org).await;
    let mut edit = contacts[0].clone();
    edit.phone = "+351 000".into();
    store.update_contact(&edit).await.expect("update");
    let (secret, record) = token(org.id, &contacts[0], TokenPurpose::Invitation);
    let mut invited = contacts[0].clone();
    invited.portal_status = PortalStatus::Invited;
    let to = contacts[0].email.clone().expect("email");
    let result = store
        .issue_invitations(&InvitationBatch {
            org: org.id,
            portal_user_cap: 10,
            invitations: vec![Invitation {
                contact: invited,
                token: record,
                email: email_for(org.id, &to, EmailKind::Invitation),
            }],
        })
        .await;
    assert!(matches!(result, Err(StoreError::ConcurrentModification(_))));
    assert!(matches!(
        store.access_token(&secret.key()).await,
        Err(StoreError::NotFound(_))
    ));
    assert!(
        store
            .pending_emails(org.id, 10)
            .await
            .expect("pending")
            .is_empty()
    );
    let read = store.contact(org.id, contacts[0].id).await.expect("read");
    assert_eq!(read.phone, "+351 000");
    assert_eq!(read.portal_status, PortalStatus::NotInvited);
}

/// A token redeems once: the redemption activates the contact, sets the password and
/// preferences, starts the session; a second redemption fails and changes nothing.
pub async fn token_redeems_once(store: &dyn Store) {
    let org = org(store).await;
    let (_, contacts) = customer(store, &org).await;
    let (invited, secret) = invite(store, &org, &contacts[0]).await;
    let (_, session) = session_for(&invited);
    let prefs = UserPreferences {
        language: "pt-PT".into(),
        time_zone: "Europe/Lisbon".into(),
        ..UserPreferences::default()
    };
    let redemption = TokenRedemption {
        org: org.id,
        contact: invited.id,
        token_hash: secret.hash(),
        purpose: TokenPurpose::Invitation,
        now: t0() + Duration::hours(1),
        password_hash: hash("one"),
        preferences: Some(prefs.clone()),
        new_session: Some(session.clone()),
    };
    let active = store
        .redeem_token(&redemption)
        .await
        .expect("first redemption");
    assert_eq!(active.portal_status, PortalStatus::Active);
    assert_eq!(active.password_hash, Some(hash("one")));
    assert_eq!(active.preferences, Some(prefs));
    assert_eq!(
        store.contact(org.id, invited.id).await.expect("read"),
        active
    );
    assert_eq!(
        store.session(&session.key()).await.expect("session"),
        session
    );
    assert!(matches!(
        store.access_token(&secret.key()).await,
        Err(StoreError::NotFound(_))
    ));

    let (_, other_session) = session_for(&invited);
    let again = TokenRedemption {
        password_hash: hash("two"),
        new_session: Some(other_session.clone()),
        ..redemption
    };
    assert!(matches!(
        store.redeem_token(&again).await,
        Err(StoreError::NotFound(_))
    ));
    let read = store.contact(org.id, invited.id).await.expect("read");
    assert_eq!(read.password_hash, Some(hash("one")));
    assert!(matches!(
        store.session(&other_session.key()).await,
        Err(StoreError::NotFound(_))
    ));
}

/// A token works only for its purpose, contact and organization, before it
/// expires, and for a contact in the right status.
pub async fn token_redemption_checks_purpose_expiry_and_status(store: &dyn Store) {
    let org = org(store).await;
    let stranger = super::fixtures::org(store).await;
    let (_, contacts) = customer(store, &org).await;
    let (invited, secret) = invite(store, &org, &contacts[0]).await;
    let base = TokenRedemption {
        org: org.id,
        contact: invited.id,
        token_hash: secret.hash(),
        purpose: TokenPurpose::Invitation,
        now: t0() + Duration::hours(1),
        password_hash: hash("x"),
        preferences: None,
        new_session: None,
    };
    let wrong_purpose = TokenRedemption {
        purpose: TokenPurpose::PasswordReset,
        ..base.clone()
    };
    assert!(matches!(
        store.redeem_token(&wrong_purpose).await,
        Err(StoreError::NotFound(_))
    ));
    let expired = TokenRedemption {
        now: t0() + Duration::days(7),
        ..base.clone()
    };
    assert!(matches!(
        store.redeem_token(&expired).await,
        Err(StoreError::NotFound(_))
    ));
    let wrong_org = TokenRedemption {
        org: stranger.id,
        ..base.clone()
    };
    assert!(matches!(
        store.redeem_token(&wrong_org).await,
        Err(StoreError::NotFound(_))
    ));
    let wrong_contact = TokenRedemption {
        contact: contacts[1].id,
        ..base.clone()
    };
    assert!(matches!(
        store.redeem_token(&wrong_contact).await,
        Err(StoreError::NotFound(_))
    ));
    // None of that used the token up.
    store
        .access_token(&secret.key())
        .await
        .expect("still there");
    assert_eq!(
        store
            .contact(org.id, invited.id)
            .await
            .expect("read")
            .portal_status,
        PortalStatus::Invited
    );
    // A reset token for a contact that is not active is refused.
    let (reset, record) = token(org.id, &invited, TokenPurpose::PasswordReset);
    let to = invited.email.clone().expect("email");
    store
        .issue_password_reset(&record, &email_for(org.id, &to, EmailKind::PasswordReset))
        .await
        .expect("issue");
    let reset_redemption = TokenRedemption {
        token_hash: reset.hash(),
        purpose: TokenPurpose::PasswordReset,
        ..base.clone()
    };
    assert!(matches!(
        store.redeem_token(&reset_redemption).await,
        Err(StoreError::Conflict(_))
    ));
    store
        .redeem_token(&base)
        .await
        .expect("the invitation still works");
}

/// Disabling ends the contact's sessions at once and voids its links; contacts
/// without access are left alone.
pub async fn disable_access_ends_sessions_and_voids_tokens(store: &dyn Store) {
    let org = org(store).await;
    let stranger = super::fixtures::org(store).await;
    let (_, contacts) = customer(store, &org).await;
    let (active, session) = activate(store, &org, &contacts[0]).await;
    let (_, secret) = invite(store, &org, &contacts[1]).await;
    // Another organization cannot disable them.
    assert!(
        store
            .disable_access(stranger.id, &[active.id, contacts[1].id])
            .await
            .expect("no-op")
            .is_empty()
    );
    store.session(&session.key()).await.expect("untouched");
    let changed = store
        .disable_access(org.id, &[active.id, contacts[1].id, contacts[2].id])
        .await
        .expect("disable");
    assert_eq!(changed.len(), 2);
    assert!(
        changed
            .iter()
            .all(|c| c.portal_status == PortalStatus::Disabled)
    );
    assert!(matches!(
        store.session(&session.key()).await,
        Err(StoreError::NotFound(_))
    ));
    assert!(matches!(
        store.access_token(&secret.key()).await,
        Err(StoreError::NotFound(_))
    ));
    assert_eq!(
        store
            .contact(org.id, contacts[2].id)
            .await
            .expect("read")
            .portal_status,
        PortalStatus::NotInvited
    );
    assert_eq!(store.count_portal_users(org.id).await.expect("count"), 0);
    // Re-enabling is a new invitation from the disabled state.
    let disabled = store.contact(org.id, active.id).await.expect("read");
    let (again, _) = invite(store, &org, &disabled).await;
    assert_eq!(again.portal_status, PortalStatus::Invited);
    assert_eq!(again.password_hash, active.password_hash);
}

/// A new reset link voids the older one; redeeming a reset sets the password and
/// ends every session.
pub async fn password_reset_voids_older_reset_links(store: &dyn Store) {
    let org = org(store).await;
    let (_, contacts) = customer(store, &org).await;
    let (active, session) = activate(store, &org, &contacts[0]).await;
    let to = active.email.clone().expect("email");
    let (old, old_record) = token(org.id, &active, TokenPurpose::PasswordReset);
    store
        .issue_password_reset(
            &old_record,
            &email_for(org.id, &to, EmailKind::PasswordReset),
        )
        .await
        .expect("first");
    let (new, new_record) = token(org.id, &active, TokenPurpose::PasswordReset);
    store
        .issue_password_reset(
            &new_record,
            &email_for(org.id, &to, EmailKind::PasswordReset),
        )
        .await
        .expect("second");
    assert!(matches!(
        store.access_token(&old.key()).await,
        Err(StoreError::NotFound(_))
    ));
    let saved = store
        .redeem_token(&TokenRedemption {
            org: org.id,
            contact: active.id,
            token_hash: new.hash(),
            purpose: TokenPurpose::PasswordReset,
            now: t0() + Duration::minutes(30),
            password_hash: hash("reset"),
            preferences: None,
            new_session: None,
        })
        .await
        .expect("reset");
    assert_eq!(saved.password_hash, Some(hash("reset")));
    assert_eq!(saved.preferences, active.preferences);
    assert!(matches!(
        store.session(&session.key()).await,
        Err(StoreError::NotFound(_))
    ));
}

fn failure(minutes: i64, client: &ClientKey) -> SignInFailure {
    SignInFailure {
        at: t0() + Duration::minutes(minutes),
        client: *client,
    }
}

/// Failed sign-ins are kept per (org, email) with the client they came from,
/// forgotten outside the window and on clear.
pub async fn sign_in_failures_slide_and_clear(store: &dyn Store) {
    let a = org(store).await;
    let b = super::fixtures::org(store).await;
    let email = unique_email("victim");
    let window = Duration::minutes(15);
    let (here, there) = (ClientKey::opaque("here"), ClientKey::opaque("there"));
    for i in 0..3 {
        let f = failure(i * 10, if i == 1 { &there } else { &here });
        let n = store
            .record_sign_in_failure(a.id, &email, f, f.at - window)
            .await
            .expect("record");
        // At 0, 10 and 20 minutes: the one at 0 falls out of the 15-minute window.
        assert_eq!(n, [1, 2, 2][usize::try_from(i).expect("small")]);
    }
    let since = t0() + Duration::minutes(20) - window;
    assert_eq!(
        store
            .sign_in_failures(a.id, &email, since)
            .await
            .expect("list"),
        vec![failure(10, &there), failure(20, &here)]
    );
    assert!(
        store
            .sign_in_failures(b.id, &email, t0())
            .await
            .expect("other org")
            .is_empty()
    );
    store
        .clear_sign_in_failures(a.id, &email)
        .await
        .expect("clear");
    assert!(
        store
            .sign_in_failures(a.id, &email, t0())
            .await
            .expect("list")
            .is_empty()
    );
}

/// What a sign-in reads first, in one call: the organization by its slug, its live
/// contact with the email (not another organization's, not a deleted one) with the
/// contact's customer, and the email's failures in that organization since the
/// given moment, oldest first.
pub async fn sign_in_subject_reads_org_contact_and_failures(store: &dyn Store) {
    let a = org(store).await;
    let b = super::fixtures::org(store).await;
    let (owner, contacts) = customer(store, &a).await;
    let (active, _) = activate(store, &a, &contacts[0]).await;
    let email = active.email.clone().expect("email");
    let subject = store
        .sign_in_subject(&a.slug, &email, t0())
        .await
        .expect("subject");
    assert_eq!(subject.org, a);
    assert_eq!(subject.contact, Some((active.clone(), owner.clone())));
    assert!(subject.failures.is_empty());

    let window = Duration::minutes(15);
    let (one, other) = (ClientKey::opaque("one"), ClientKey::unknown());
    for (minutes, client) in [(20, &one), (0, &other), (10, &other)] {
        store
            .record_sign_in_failure(a.id, &email, failure(minutes, client), t0())
            .await
            .expect("record");
    }
    store
        .record_sign_in_failure(b.id, &email, failure(5, &one), t0())
        .await
        .expect("other org");
    let since = t0() + Duration::minutes(20) - window;
    let subject = store
        .sign_in_subject(&a.slug, &email, since)
        .await
        .expect("subject");
    assert_eq!(
        subject.contact,
        Some((active.clone(), owner.clone())),
        "one contact, many failures"
    );
    assert_eq!(
        subject.failures,
        vec![failure(10, &other), failure(20, &one)]
    );

    // Another organization's portal knows neither the contact nor its failures there.
    let elsewhere = store
        .sign_in_subject(&b.slug, &email, t0())
        .await
        .expect("subject");
    assert_eq!(elsewhere.org, b);
    assert_eq!(elsewhere.contact, None);
    assert_eq!(elsewhere.failures, vec![failure(5, &one)]);

    // An unknown email: the organization and no contact.
    let nobody = store
        .sign_in_subject(&a.slug, &unique_email("nobody"), t0())
        .await
        .expect("subject");
    assert_eq!(nobody.org, a);
    assert_eq!(nobody.contact, None);
    assert!(nobody.failures.is_empty());

    // A deleted contact is no one.
    store
        .delete_contact(a.id, active.id, t0() + Duration::hours(1))
        .await
        .expect("delete");
    let deleted = store
        .sign_in_subject(&a.slug, &email, since)
        .await
        .expect("subject");
    assert_eq!(deleted.contact, None);
    assert_eq!(deleted.failures.len(), 2);

    assert!(matches!(
        store
            .sign_in_subject(&super::fixtures::unique_slug("none"), &email, t0())
            .await,
        Err(StoreError::NotFound(crate::store::Entity::Organization))
    ));
}
