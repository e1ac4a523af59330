//! Organizations, customers and contacts.

use time::Duration;

use super::fixtures::{activate, customer, org, t0, unique_email, unique_slug};
use crate::store::Rule;
use crate::{domain::OrgId, store::Store, store::StoreError};

/// An organization reads back as written, by id and by slug.
pub async fn org_round_trip(store: &dyn Store) {
    let org = org(store).await;
    assert_eq!(store.org(org.id).await.expect("by id"), org);
    assert_eq!(store.org_by_slug(&org.slug).await.expect("by slug"), org);
    assert!(matches!(
        store.org(OrgId::new()).await,
        Err(StoreError::NotFound(_))
    ));
    assert!(matches!(
        store.org_by_slug(&unique_slug("none")).await,
        Err(StoreError::NotFound(_))
    ));
}

/// A slug belongs to one organization, on create and on update; the old slug is
/// freed by a change.
pub async fn slug_is_unique(store: &dyn Store) {
    let a = org(store).await;
    let mut b = crate::domain::Organization::create(
        crate::domain::NewOrganization {
            name: "B".into(),
            slug: a.slug.clone(),
        },
        t0(),
    );
    assert!(matches!(
        store.create_org(&b).await,
        Err(StoreError::Conflict(Rule::PortalSlug))
    ));
    b.slug = unique_slug("b");
    store.create_org(&b).await.expect("distinct slug");
    let mut renamed = b.clone();
    renamed.slug = a.slug.clone();
    assert!(matches!(
        store.update_org(&renamed).await,
        Err(StoreError::Conflict(Rule::PortalSlug))
    ));
    let new_slug = unique_slug("moved");
    let mut moved = a.clone();
    moved.slug = new_slug.clone();
    let saved = store.update_org(&moved).await.expect("change slug");
    assert_eq!(saved.version, a.version + 1);
    assert_eq!(
        store.org_by_slug(&new_slug).await.expect("new slug").id,
        a.id
    );
    assert!(matches!(
        store.org_by_slug(&a.slug).await,
        Err(StoreError::NotFound(_))
    ));
    // The freed slug can be taken by another organization.
    renamed.version = b.version;
    store
        .update_org(&renamed)
        .await
        .expect("freed slug is free");
}

/// An update from a stale read changes nothing.
pub async fn org_update_checks_version(store: &dyn Store) {
    let org = org(store).await;
    let mut first = org.clone();
    first.name = "First".into();
    let saved = store.update_org(&first).await.expect("first update");
    assert_eq!(saved.version, org.version + 1);
    let mut stale = org.clone();
    stale.name = "Stale".into();
    assert!(matches!(
        store.update_org(&stale).await,
        Err(StoreError::ConcurrentModification(_))
    ));
    let now = store.org(org.id).await.expect("read");
    assert_eq!(now.name, "First");
    assert_eq!(now.settings, org.settings);
    assert_eq!(now.roles, org.roles);
}

/// Timestamps and every field read back exactly (microsecond precision).
pub async fn timestamps_round_trip_exactly(store: &dyn Store) {
    let org = org(store).await;
    let (customer, contacts) = customer(store, &org).await;
    let read = store.customer(org.id, customer.id).await.expect("read");
    assert_eq!(read.created_at, t0());
    assert_eq!(read, customer);
    let (_, session) = activate(store, &org, &contacts[0]).await;
    let read = store.session(&session.key()).await.expect("session");
    assert_eq!(read, session);
    let email = unique_email("x");
    let failure = crate::store::SignInFailure {
        at: t0() + Duration::microseconds(1),
        client: crate::auth::ClientKey::opaque("client"),
    };
    store
        .record_sign_in_failure(org.id, &email, failure, t0())
        .await
        .expect("record");
    assert_eq!(
        store
            .sign_in_failures(org.id, &email, t0())
            .await
            .expect("list"),
        vec![failure]
    );
}
