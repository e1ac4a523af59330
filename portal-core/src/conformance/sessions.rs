//! Portal sessions: touched, ended, and ended by a password change.

use super::fixtures::{activate, customer, hash, org, session_for, t0};
use crate::{domain::SessionId, store::PasswordChange, store::Store, store::StoreError};
use time::Duration;

/// A password change from a current read ends every other session; a stale one
/// changes nothing.
pub async fn password_change_ends_other_sessions(store: &dyn Store) {
    let org = org(store).await;
    let (_, contacts) = customer(store, &org).await;
    let (active, first) = activate(store, &org, &contacts[0]).await;
    let (_, second) = session_for(&active);
    store.create_session(&second).await.expect("second session");
    let change = PasswordChange {
        org: org.id,
        contact: active.id,
        expected_version: active.version,
        password_hash: hash("new"),
        keep_session: Some(second.id),
    };
    let saved = store.change_password(&change).await.expect("change");
    assert_eq!(saved.password_hash, Some(hash("new")));
    assert!(matches!(
        store.session(&first.key()).await,
        Err(StoreError::NotFound(_))
    ));
    store.session(&second.key()).await.expect("kept");
    assert!(matches!(
        store.change_password(&change).await,
        Err(StoreError::ConcurrentModification(_))
    ));
    let foreign = PasswordChange {
        org: super::fixtures::org(store).await.id,
        expected_version: saved.version,
        ..change
    };
    assert!(matches!(
        store.change_password(&foreign).await,
        Err(StoreError::NotFound(_))
    ));
}

/// Sessions are found by token hash, touched, and ended (twice is fine).
pub async fn sessions_touch_and_end(store: &dyn Store) {
    let org = org(store).await;
    let (_, contacts) = customer(store, &org).await;
    let (active, session) = activate(store, &org, &contacts[0]).await;
    let later = t0() + Duration::minutes(5);
    store
        .touch_session(org.id, session.id, later)
        .await
        .expect("touch");
    assert_eq!(
        store
            .session(&session.key())
            .await
            .expect("read")
            .last_seen_at,
        later
    );
    // Another organization's id touches and ends nothing.
    let other = super::fixtures::org(store).await;
    assert!(matches!(
        store.touch_session(other.id, session.id, later).await,
        Err(StoreError::NotFound(_))
    ));
    store
        .end_session(other.id, session.id)
        .await
        .expect("no-op");
    store.session(&session.key()).await.expect("still there");
    store.end_session(org.id, session.id).await.expect("end");
    store
        .end_session(org.id, session.id)
        .await
        .expect("end again");
    assert!(matches!(
        store.session(&session.key()).await,
        Err(StoreError::NotFound(_))
    ));
    assert!(matches!(
        store.touch_session(org.id, SessionId::new(), later).await,
        Err(StoreError::NotFound(_))
    ));
    let (_, duplicate) = session_for(&active);
    store.create_session(&duplicate).await.expect("create");
    assert!(matches!(
        store.create_session(&duplicate).await,
        Err(StoreError::Conflict(_))
    ));
}

/// One read gives a session with its contact, customer and organization, each
/// equal to its own read; an unknown or ended session is `NotFound(Session)`.
pub async fn session_context_reads_all_a_request_needs(store: &dyn Store) {
    let org = org(store).await;
    let (customer, contacts) = customer(store, &org).await;
    let (active, session) = activate(store, &org, &contacts[0]).await;
    // Another customer of another org, with its own session, is never mixed in.
    let other_org = super::fixtures::org(store).await;
    let (_, others) = super::fixtures::customer(store, &other_org).await;
    let (_, other_session) = activate(store, &other_org, &others[0]).await;

    let context = store
        .session_context(&session.key())
        .await
        .expect("context");
    assert_eq!(context.session, session);
    assert_eq!(context.contact, active);
    assert_eq!(
        context.customer,
        store.customer(org.id, customer.id).await.expect("customer")
    );
    assert_eq!(context.org, store.org(org.id).await.expect("org"));
    let other = store
        .session_context(&other_session.key())
        .await
        .expect("other context");
    assert_eq!(other.org.id, other_org.id);
    assert_ne!(other.customer.id, customer.id);
    // By its hash alone (a token that names no organization), and never under
    // another organization's name.
    let hash_only = crate::domain::TokenKey {
        org: None,
        hash: session.token_hash,
    };
    assert_eq!(
        store
            .session_context(&hash_only)
            .await
            .expect("by hash")
            .session,
        session
    );
    let elsewhere = crate::domain::TokenKey {
        org: Some(other_org.id),
        hash: session.token_hash,
    };
    assert!(matches!(
        store.session_context(&elsewhere).await,
        Err(StoreError::NotFound(_))
    ));
    assert!(matches!(
        store.session(&elsewhere).await,
        Err(StoreError::NotFound(_))
    ));

    store.end_session(org.id, session.id).await.expect("end");
    assert!(matches!(
        store.session_context(&session.key()).await,
        Err(StoreError::NotFound(crate::store::Entity::Session))
    ));
}
