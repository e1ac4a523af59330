//! Customers: scoped to their organization, deleted with their contacts.

use super::fixtures::{activate, customer, org, t0};
use crate::{
    domain::ContactPerson, domain::CustomerId, domain::NewContact, domain::PageRequest,
    store::Store, store::StoreError,
};
use time::Duration;

/// Customers read back as written, only through their own organization.
pub async fn customer_round_trip_is_scoped_to_org(store: &dyn Store) {
    let a = org(store).await;
    let b = org(store).await;
    let (customer, contacts) = customer(store, &a).await;
    assert_eq!(
        store.customer(a.id, customer.id).await.expect("own org"),
        customer
    );
    assert!(matches!(
        store.customer(b.id, customer.id).await,
        Err(StoreError::NotFound(_))
    ));
    assert!(matches!(
        store.contact(b.id, contacts[0].id).await,
        Err(StoreError::NotFound(_))
    ));
    assert_eq!(
        store.contact(a.id, contacts[0].id).await.expect("contact"),
        contacts[0]
    );

    let mut updated = customer.clone();
    updated.display_name = "Silva & Filhos".into();
    updated.may_pay_by_bank_account = true;
    let saved = store.update_customer(&updated).await.expect("update");
    assert_eq!(saved.version, customer.version + 1);
    assert!(matches!(
        store.update_customer(&updated).await,
        Err(StoreError::ConcurrentModification(_))
    ));
    let mut foreign = saved.clone();
    foreign.org = b.id;
    assert!(matches!(
        store.update_customer(&foreign).await,
        Err(StoreError::NotFound(_))
    ));
    // A contact cannot be added to another organization's customer.
    let intruder = ContactPerson::create(b.id, customer.id, NewContact::new("X", "", None), t0());
    assert!(matches!(
        store.create_contact(&intruder).await,
        Err(StoreError::NotFound(_))
    ));
}

/// An organization's customers list page by page, newest first, without deleted
/// customers or another organization's.
pub async fn org_customers_are_paged_newest_first_without_deleted_or_foreign_ones(
    store: &dyn Store,
) {
    let a = org(store).await;
    let b = org(store).await;
    let mut mine = Vec::new();
    for _ in 0..3 {
        mine.push(customer(store, &a).await.0);
    }
    let (theirs, _) = customer(store, &b).await;
    let (gone, _) = customer(store, &a).await;
    store
        .delete_customer(a.id, gone.id, t0())
        .await
        .expect("delete");
    let first = store
        .org_customers(a.id, &PageRequest::first(2))
        .await
        .expect("first page");
    let ids = |p: &crate::domain::Page<crate::domain::Customer>| {
        p.items.iter().map(|c| c.id).collect::<Vec<_>>()
    };
    assert_eq!(ids(&first), vec![mine[2].id, mine[1].id], "newest first");
    let next = first.next.as_deref().expect("a second page");
    let second = store
        .org_customers(a.id, &PageRequest::after(next, 2).expect("cursor"))
        .await
        .expect("second page");
    assert_eq!(ids(&second), vec![mine[0].id]);
    assert!(second.next.is_none());
    let all = store
        .org_customers(b.id, &PageRequest::first(10))
        .await
        .expect("other org");
    assert_eq!(ids(&all), vec![theirs.id]);
}

/// Deleting a customer deletes its contacts (kept, marked deleted) and ends their
/// sessions.
pub async fn delete_customer_deletes_contacts_and_ends_sessions(store: &dyn Store) {
    let org = org(store).await;
    let (customer, contacts) = customer(store, &org).await;
    let (_, session) = activate(store, &org, &contacts[0]).await;
    let before = store.count_portal_users(org.id).await.expect("count");
    store
        .delete_customer(org.id, customer.id, t0() + Duration::hours(1))
        .await
        .expect("delete");
    let c = store
        .customer(org.id, customer.id)
        .await
        .expect("still readable");
    assert_eq!(c.deleted_at, Some(t0() + Duration::hours(1)));
    let contact = store
        .contact(org.id, contacts[0].id)
        .await
        .expect("still readable");
    assert!(contact.is_deleted());
    assert!(matches!(
        store.session(&session.key()).await,
        Err(StoreError::NotFound(_))
    ));
    assert_eq!(
        store.count_portal_users(org.id).await.expect("count"),
        before - 1
    );
    assert!(
        store
            .contacts_of_customer(org.id, customer.id)
            .await
            .expect("list")
            .is_empty()
    );
    let other = org_other_delete(store, customer.id).await;
    assert!(matches!(other, Err(StoreError::NotFound(_))));
}

pub(crate) async fn org_other_delete(
    store: &dyn Store,
    customer: CustomerId,
) -> Result<(), StoreError> {
    let stranger = org(store).await;
    store.delete_customer(stranger.id, customer, t0()).await
}
