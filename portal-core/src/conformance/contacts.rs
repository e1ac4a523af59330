//! Contact persons: unique emails per organization, versioned updates, details changes.

use super::fixtures::{activate, customer, invite, org, t0, unique_email, usd};
use crate::store::Rule;
use crate::{
    auth::SecretToken, domain::ContactPerson, domain::Customer, domain::CustomerId,
    domain::NewContact, domain::NewCustomer, domain::PortalStatus, store::Store, store::StoreError,
};

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
        store.session(&session.key()).await,
        Err(StoreError::NotFound(_))
    ));
    assert!(matches!(
        store.access_token(&secret.key()).await,
        Err(StoreError::NotFound(_))
    ));
    assert!(matches!(
        store
            .access_token(&SecretToken::generate().expect("random").key())
            .await,
        Err(StoreError::NotFound(_))
    ));
}

/// A details change writes only the allowed fields of the customer and contact, at
/// the versions read, with its emails, or nothing.
pub async fn details_change_is_versioned_and_limited(store: &dyn Store) {
    let org = org(store).await;
    let (customer, contacts) = customer(store, &org).await;
    let mut c = customer.clone();
    c.display_name = "Silva & Filha".into();
    c.billing_address.city = "Porto".into();
    c.currency = crate::domain::Currency::from_code("EUR").expect("eur");
    c.may_pay_by_bank_account = true;
    let mut p = contacts[0].clone();
    p.first_name = "Ana Maria".into();
    p.email = Some(unique_email("hijack"));
    p.portal_status = PortalStatus::Active;
    let note = super::fixtures::email_for(
        org.id,
        &crate::domain::Email::parse("owner@example.com").expect("email"),
        crate::domain::EmailKind::OrgNotification,
    );
    let subject = crate::domain::ActivitySubject::Customer(customer.id);
    let notice = super::fixtures::notice_of(&contacts[0], subject, Some(note.clone()));
    let (saved_c, saved_p) = store
        .update_details(&crate::store::DetailsChange {
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
            .update_details(&crate::store::DetailsChange {
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
            .update_details(&crate::store::DetailsChange {
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
            .update_details(&crate::store::DetailsChange {
                org: org.id,
                customer: fresh,
                contact: others[0].clone(),
                notice: super::fixtures::notice_of(&contacts[0], subject, None),
            })
            .await,
        Err(StoreError::NotFound(_))
    ));
}
