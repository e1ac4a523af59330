//! Organizations, customers and contacts.

use time::Duration;

use super::fixtures::{activate, customer, invite, org, t0, unique_email, unique_slug, usd};
use crate::store::Rule;
use crate::{
    ContactPerson, Customer, CustomerId, NewContact, NewCustomer, OrgId, PortalStatus, SecretToken,
    Store, StoreError,
};

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
    let mut b = crate::Organization::create(
        crate::NewOrganization {
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

/// Two live contacts of one organization cannot share an email; two organizations
/// can each have a contact with the same email; a deleted contact frees its email.
pub async fn contact_email_is_unique_per_org_only(store: &dyn Store) {
    let a = org(store).await;
    let b = org(store).await;
    let (ca, contacts) = customer(store, &a).await;
    let taken = contacts[0].email.clone();
    let dup = ContactPerson::create(a.id, ca.id, NewContact::new("Dup", "", taken.clone()), t0());
    assert!(matches!(
        store.create_contact(&dup).await,
        Err(StoreError::Conflict(Rule::ContactEmail))
    ));
    // Also inside one new customer.
    let other = Customer::create(a.id, NewCustomer::new("Other", usd()), t0());
    let dup2 = ContactPerson::create(
        a.id,
        other.id,
        NewContact::new("Dup", "", taken.clone()),
        t0(),
    );
    assert!(matches!(
        store.create_customer(&other, &[dup2]).await,
        Err(StoreError::Conflict(Rule::ContactEmail))
    ));
    assert!(matches!(
        store.customer(a.id, other.id).await,
        Err(StoreError::NotFound(_))
    ));

    let (cb, _) = customer(store, &b).await;
    let same = ContactPerson::create(
        b.id,
        cb.id,
        NewContact::new("Same", "", taken.clone()),
        t0(),
    );
    store
        .create_contact(&same)
        .await
        .expect("other org may reuse the email");
    let email = taken.expect("email");
    assert_eq!(
        store.contact_by_email(a.id, &email).await.expect("a").id,
        contacts[0].id
    );
    assert_eq!(
        store.contact_by_email(b.id, &email).await.expect("b").id,
        same.id
    );

    store
        .delete_contact(a.id, contacts[0].id, t0())
        .await
        .expect("delete");
    assert!(matches!(
        store.contact_by_email(a.id, &email).await,
        Err(StoreError::NotFound(_))
    ));
    store.create_contact(&dup).await.expect("freed email");
}

/// Contact updates check the version and cannot change access fields.
pub async fn contact_update_checks_version_and_keeps_access_fields(store: &dyn Store) {
    let org = org(store).await;
    let (_, contacts) = customer(store, &org).await;
    let (active, _) = activate(store, &org, &contacts[0]).await;
    let mut edit = active.clone();
    edit.first_name = "Ana Maria".into();
    edit.portal_status = PortalStatus::NotInvited;
    edit.password_hash = None;
    let saved = store.update_contact(&edit).await.expect("update");
    assert_eq!(saved.first_name, "Ana Maria");
    assert_eq!(saved.portal_status, PortalStatus::Active);
    assert_eq!(saved.password_hash, active.password_hash);
    assert_eq!(saved.version, active.version + 1);
    let reread = store.contact(org.id, active.id).await.expect("read");
    assert_eq!(reread, saved);
    assert!(matches!(
        store.update_contact(&edit).await,
        Err(StoreError::ConcurrentModification(_))
    ));
    let mut clash = contacts[1].clone();
    clash.email = saved.email.clone();
    assert!(matches!(
        store.update_contact(&clash).await,
        Err(StoreError::Conflict(Rule::ContactEmail))
    ));
}

/// A customer's contact list holds its live contacts only.
pub async fn contacts_of_customer_are_scoped(store: &dyn Store) {
    let a = org(store).await;
    let b = org(store).await;
    let (ca, contacts) = customer(store, &a).await;
    let (cb, _) = customer(store, &a).await;
    let listed = store.contacts_of_customer(a.id, ca.id).await.expect("list");
    let mut ids: Vec<_> = listed.iter().map(|c| c.id).collect();
    ids.sort();
    let mut expected: Vec<_> = contacts.iter().map(|c| c.id).collect();
    expected.sort();
    assert_eq!(ids, expected);
    assert!(
        store
            .contacts_of_customer(b.id, ca.id)
            .await
            .expect("foreign")
            .is_empty()
    );
    assert!(
        store
            .contacts_of_customer(a.id, CustomerId::new())
            .await
            .expect("unknown")
            .is_empty()
    );
    assert_eq!(
        store
            .contacts_of_customer(a.id, cb.id)
            .await
            .expect("other")
            .len(),
        3
    );
    store
        .delete_contact(a.id, contacts[2].id, t0())
        .await
        .expect("delete");
    assert_eq!(
        store
            .contacts_of_customer(a.id, ca.id)
            .await
            .expect("list")
            .len(),
        2
    );
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
        store.session(&session.token_hash).await,
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

async fn org_other_delete(store: &dyn Store, customer: CustomerId) -> Result<(), StoreError> {
    let stranger = org(store).await;
    store.delete_customer(stranger.id, customer, t0()).await
}

/// Deleting a contact ends its sessions and voids its links.
pub async fn delete_contact_ends_sessions_and_voids_tokens(store: &dyn Store) {
    let org = org(store).await;
    let (_, contacts) = customer(store, &org).await;
    let (_, session) = activate(store, &org, &contacts[0]).await;
    let (_, secret) = invite(store, &org, &contacts[1]).await;
    store
        .delete_contact(org.id, contacts[0].id, t0())
        .await
        .expect("delete");
    store
        .delete_contact(org.id, contacts[1].id, t0())
        .await
        .expect("delete");
    assert!(matches!(
        store.session(&session.token_hash).await,
        Err(StoreError::NotFound(_))
    ));
    assert!(matches!(
        store.access_token(&secret.hash()).await,
        Err(StoreError::NotFound(_))
    ));
    assert!(matches!(
        store
            .access_token(&SecretToken::generate().expect("random").hash())
            .await,
        Err(StoreError::NotFound(_))
    ));
}

/// Timestamps and every field read back exactly (microsecond precision).
pub async fn timestamps_round_trip_exactly(store: &dyn Store) {
    let org = org(store).await;
    let (customer, contacts) = customer(store, &org).await;
    let read = store.customer(org.id, customer.id).await.expect("read");
    assert_eq!(read.created_at, t0());
    assert_eq!(read, customer);
    let (_, session) = activate(store, &org, &contacts[0]).await;
    let read = store.session(&session.token_hash).await.expect("session");
    assert_eq!(read, session);
    let email = unique_email("x");
    let at = t0() + Duration::microseconds(1);
    store
        .record_sign_in_failure(org.id, &email, at, t0())
        .await
        .expect("record");
    assert_eq!(
        store
            .sign_in_failures(org.id, &email, t0())
            .await
            .expect("list"),
        vec![at]
    );
}

/// A details change writes only the allowed fields of the customer and contact, at
/// the versions read, with its emails, or nothing.
pub async fn details_change_is_versioned_and_limited(store: &dyn Store) {
    let org = org(store).await;
    let (customer, contacts) = customer(store, &org).await;
    let mut c = customer.clone();
    c.display_name = "Silva & Filha".into();
    c.billing_address.city = "Porto".into();
    c.currency = crate::Currency::from_code("EUR").expect("eur");
    c.may_pay_by_bank_account = true;
    let mut p = contacts[0].clone();
    p.first_name = "Ana Maria".into();
    p.email = Some(unique_email("hijack"));
    p.portal_status = PortalStatus::Active;
    let note = super::fixtures::email_for(
        org.id,
        &crate::Email::parse("owner@example.com").expect("email"),
        crate::EmailKind::OrgNotification,
    );
    let subject = crate::ActivitySubject::Customer(customer.id);
    let notice = super::fixtures::notice_of(&contacts[0], subject, Some(note.clone()));
    let (saved_c, saved_p) = store
        .update_details(&crate::DetailsChange {
            org: org.id,
            customer: c.clone(),
            contact: p.clone(),
            notice: notice.clone(),
        })
        .await
        .expect("update");
    assert_eq!(saved_c.display_name, "Silva & Filha");
    assert_eq!(saved_c.billing_address.city, "Porto");
    assert_eq!(
        saved_c.currency, customer.currency,
        "currency never changes here"
    );
    assert!(!saved_c.may_pay_by_bank_account);
    assert_eq!(saved_p.first_name, "Ana Maria");
    assert_eq!(saved_p.email, contacts[0].email, "email never changes here");
    assert_eq!(saved_p.portal_status, PortalStatus::NotInvited);
    assert_eq!(
        store.customer(org.id, customer.id).await.expect("read"),
        saved_c
    );
    assert_eq!(store.contact(org.id, p.id).await.expect("read"), saved_p);
    assert_eq!(
        store
            .pending_emails(org.id, 10)
            .await
            .expect("pending")
            .iter()
            .map(|e| e.id)
            .collect::<Vec<_>>(),
        vec![note.id]
    );
    assert_eq!(
        super::fixtures::activity_ids(store, org.id, customer.id).await,
        vec![notice.activity.id]
    );
    // Stale reads change nothing.
    assert!(matches!(
        store
            .update_details(&crate::DetailsChange {
                org: org.id,
                customer: c.clone(),
                contact: saved_p.clone(),
                notice: super::fixtures::notice_of(&contacts[0], subject, None),
            })
            .await,
        Err(StoreError::ConcurrentModification(_))
    ));
    let mut stale_contact = saved_c.clone();
    stale_contact.display_name = "Never".into();
    assert!(matches!(
        store
            .update_details(&crate::DetailsChange {
                org: org.id,
                customer: stale_contact,
                contact: p.clone(),
                notice: super::fixtures::notice_of(&contacts[0], subject, None),
            })
            .await,
        Err(StoreError::ConcurrentModification(_))
    ));
    assert_eq!(
        store
            .customer(org.id, customer.id)
            .await
            .expect("read")
            .display_name,
        "Silva & Filha"
    );
    // Another customer's contact is not found.
    let (_, others) = super::fixtures::customer(store, &org).await;
    let fresh = store.customer(org.id, customer.id).await.expect("read");
    assert!(matches!(
        store
            .update_details(&crate::DetailsChange {
                org: org.id,
                customer: fresh,
                contact: others[0].clone(),
                notice: super::fixtures::notice_of(&contacts[0], subject, None),
            })
            .await,
        Err(StoreError::NotFound(_))
    ));
}

/// Forwarding queues the email and adds the new contact in one operation, or
/// neither.
pub async fn forwarding_adds_the_contact_with_the_email(store: &dyn Store) {
    let org = org(store).await;
    let (customer, contacts) = customer(store, &org).await;
    let to = unique_email("colleague");
    let newcomer = ContactPerson::create(
        org.id,
        customer.id,
        NewContact::new("colleague", "", Some(to.clone())),
        t0(),
    );
    let email = super::fixtures::email_for(org.id, &to, crate::EmailKind::CustomerNotification);
    store
        .forward_document(Some(&newcomer), &email)
        .await
        .expect("forward");
    assert_eq!(
        store
            .contact_by_email(org.id, &to)
            .await
            .expect("added")
            .customer,
        customer.id
    );
    assert_eq!(
        store
            .pending_emails(org.id, 10)
            .await
            .expect("pending")
            .iter()
            .map(|e| e.id)
            .collect::<Vec<_>>(),
        vec![email.id]
    );
    // An email taken meanwhile: nothing is sent.
    let taken = contacts[0].email.clone().expect("email");
    let clash = ContactPerson::create(
        org.id,
        customer.id,
        NewContact::new("x", "", Some(taken.clone())),
        t0(),
    );
    let second = super::fixtures::email_for(org.id, &taken, crate::EmailKind::CustomerNotification);
    assert!(matches!(
        store.forward_document(Some(&clash), &second).await,
        Err(StoreError::Conflict(Rule::ContactEmail))
    ));
    assert_eq!(
        store
            .pending_emails(org.id, 10)
            .await
            .expect("pending")
            .len(),
        1
    );
    // Without a new contact, only the email.
    store
        .forward_document(None, &second)
        .await
        .expect("forward again");
    assert_eq!(
        store
            .pending_emails(org.id, 10)
            .await
            .expect("pending")
            .len(),
        2
    );
}
