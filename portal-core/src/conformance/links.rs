//! Document links: found only by their token's hash, scoped to their
//! organization, revoked once, their uses in the activity feed.

use time::Duration;

use super::fixtures::{activity_ids, customer, notice_of, org, t0};
use crate::auth::SecretToken;
use crate::{
    domain::ActivitySubject, domain::DocumentLink, domain::DocumentRef, domain::InvoiceId,
    domain::LinkActions, domain::LinkId, store::Store, store::StoreError,
};

fn link_for(
    org: crate::domain::OrgId,
    customer: crate::domain::CustomerId,
    contact: crate::domain::ContactId,
    token: &SecretToken,
) -> DocumentLink {
    DocumentLink {
        id: LinkId::new(),
        org,
        customer,
        contact,
        document: DocumentRef::Invoice(InvoiceId::new()),
        actions: LinkActions {
            download: true,
            pay: true,
            decide: false,
        },
        token_hash: token.hash(),
        created_at: t0(),
        expires_at: t0() + Duration::days(30),
        revoked_at: None,
    }
}

/// A link reads back by its token's key as written (within the organization
/// the token names, or by its hash alone for a token that names none), never
/// under another organization's name; lists under its customer only in its
/// organization, and is revoked once (the first time stays); another
/// organization can neither list nor revoke it.
pub async fn links_are_found_by_hash_and_revoked_once(store: &dyn Store) {
    let a = org(store).await;
    let b = org(store).await;
    let (customer, contacts) = customer(store, &a).await;
    let token = SecretToken::generate_for(a.id).expect("token");
    let link = link_for(a.id, customer.id, contacts[0].id, &token);
    store.create_link(&link).await.expect("create");
    assert_eq!(
        store.link_by_hash(&token.key()).await.expect("by key"),
        link
    );
    let hash_only = crate::domain::TokenKey {
        org: None,
        hash: token.hash(),
    };
    assert_eq!(
        store.link_by_hash(&hash_only).await.expect("by hash alone"),
        link
    );
    let elsewhere = crate::domain::TokenKey {
        org: Some(b.id),
        hash: token.hash(),
    };
    assert!(matches!(
        store.link_by_hash(&elsewhere).await,
        Err(StoreError::NotFound(_))
    ));
    let other = SecretToken::generate().expect("token");
    assert!(matches!(
        store.link_by_hash(&other.key()).await,
        Err(StoreError::NotFound(_))
    ));
    let newer = SecretToken::generate().expect("token");
    let second = link_for(a.id, customer.id, contacts[0].id, &newer);
    store.create_link(&second).await.expect("second");
    let listed = store.customer_links(a.id, customer.id).await.expect("list");
    assert_eq!(
        listed.iter().map(|l| l.id).collect::<Vec<_>>(),
        vec![second.id, link.id],
        "newest first"
    );
    assert!(
        store
            .customer_links(b.id, customer.id)
            .await
            .expect("other org")
            .is_empty()
    );
    assert!(matches!(
        store.revoke_link(b.id, link.id, t0()).await,
        Err(StoreError::NotFound(_))
    ));
    let revoked = store
        .revoke_link(a.id, link.id, t0() + Duration::hours(1))
        .await
        .expect("revoke");
    assert_eq!(revoked.revoked_at, Some(t0() + Duration::hours(1)));
    let again = store
        .revoke_link(a.id, link.id, t0() + Duration::hours(2))
        .await
        .expect("again");
    assert_eq!(
        again.revoked_at,
        Some(t0() + Duration::hours(1)),
        "the first time stays"
    );
    assert!(
        !store
            .link_by_hash(&token.key())
            .await
            .expect("read")
            .is_live(t0())
    );
}

/// A link names a contact of its own customer; a token hash is never reused; a
/// use of a link is in the customer's activity feed.
pub async fn links_belong_to_their_customer_and_their_uses_are_recorded(store: &dyn Store) {
    let a = org(store).await;
    let (stranger, theirs) = customer(store, &a).await;
    let (customer, contacts) = customer(store, &a).await;
    let token = SecretToken::generate().expect("token");
    let foreign = link_for(a.id, customer.id, theirs[0].id, &token);
    assert!(matches!(
        store.create_link(&foreign).await,
        Err(StoreError::NotFound(_))
    ));
    let link = link_for(a.id, customer.id, contacts[0].id, &token);
    store.create_link(&link).await.expect("create");
    let twin = link_for(a.id, stranger.id, theirs[0].id, &token);
    assert!(
        store.create_link(&twin).await.is_err(),
        "a hash is never reused"
    );
    let used = notice_of(
        &contacts[0],
        ActivitySubject::Document(crate::domain::DocumentRef::Invoice(InvoiceId::new())),
        None,
    );
    store.record_link_use(&used).await.expect("record");
    assert_eq!(
        activity_ids(store, a.id, customer.id).await,
        vec![used.activity.id]
    );
}
