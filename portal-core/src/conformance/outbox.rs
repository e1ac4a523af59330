//! The email outbox.

use super::fixtures::customer;
use crate::domain::ContactPerson;
use crate::domain::NewContact;
use crate::store::Rule;
use time::Duration;

use super::fixtures::{email_for, org, t0, unique_email};
use crate::{domain::EmailKind, domain::EmailStatus, store::Store, store::StoreError};

/// An email's attached document is kept as a reference, with the preferences it
/// is written with, and comes back with the email, when claimed and when listed;
/// an email without one has none.
pub async fn outbox_keeps_the_attached_documents_reference(store: &dyn Store) {
    let org = org(store).await;
    let (customer, _) = customer(store, &org).await;
    let to = unique_email("receipt");
    let document = crate::domain::AttachedDocument::of(
        crate::domain::DocumentRef::Receipt(crate::domain::PaymentId::new()),
        customer.id,
    )
    .read_by(&crate::i18n::Reader::new(&crate::domain::UserPreferences {
        language: "pt".into(),
        time_zone: "Europe/Lisbon".into(),
        date_format: crate::domain::DateFormat::DayMonthYear,
        twenty_four_hour_clock: true,
        country: "PT".into(),
    }));
    let with =
        email_for(org.id, &to, EmailKind::CustomerNotification).with_attachment(document.clone());
    let without = email_for(org.id, &to, EmailKind::CustomerNotification);
    store.enqueue_email(&with).await.expect("enqueue");
    store.enqueue_email(&without).await.expect("enqueue");
    let read = store.outbox_email(org.id, with.id).await.expect("read");
    assert_eq!(read.attachment.as_ref(), Some(&document));
    assert_eq!(
        store
            .outbox_email(org.id, without.id)
            .await
            .expect("read")
            .attachment,
        None
    );
    let claimed = store
        .claim_due_emails(t0() + Duration::days(1), t0() + Duration::days(2), 1_000)
        .await
        .expect("claim");
    let mine = claimed
        .iter()
        .find(|e| e.id == with.id)
        .expect("claimed with the others");
    assert_eq!(mine.attachment, Some(document));
}

/// Due emails are claimed oldest-due first under a lease, so a second claim does not
/// take them again; sent emails lose their body; failures wait for their retry time;
/// rejected ones are not retried.
pub async fn outbox_claims_with_lease_and_records_outcomes(store: &dyn Store) {
    let org = org(store).await;
    let other = super::fixtures::org(store).await;
    let to = unique_email("to");
    // Far in the past so that other tests' emails in a shared store are not due
    // before ours; we claim as of a time before every other test's t0.
    let base = t0() - Duration::days(3650) - Duration::minutes(org_offset(&org.id));
    let mut ids = Vec::new();
    for i in 0..3 {
        let mut e = email_for(org.id, &to, EmailKind::OrgNotification);
        e.next_attempt_at = base + Duration::seconds(i);
        e.created_at = base + Duration::seconds(i);
        store.enqueue_email(&e).await.expect("enqueue");
        ids.push(e.id);
    }
    let lease = base + Duration::minutes(5);
    let claimed = store
        .claim_due_emails(base + Duration::seconds(1), lease, 10)
        .await
        .expect("claim");
    let claimed_ids: Vec<_> = claimed.iter().map(|e| e.id).collect();
    assert_eq!(
        claimed_ids,
        ids[..2].to_vec(),
        "only the due ones, oldest first"
    );
    let again = store
        .claim_due_emails(base + Duration::seconds(2), lease, 10)
        .await
        .expect("claim");
    assert_eq!(again.iter().map(|e| e.id).collect::<Vec<_>>(), vec![ids[2]]);

    assert!(
        matches!(
            store
                .mark_email_sent(other.id, ids[0], base + Duration::minutes(1))
                .await,
            Err(StoreError::NotFound(_))
        ),
        "an email is marked only under its own organization"
    );
    store
        .mark_email_sent(org.id, ids[0], base + Duration::minutes(1))
        .await
        .expect("sent");
    let sent = store.outbox_email(org.id, ids[0]).await.expect("read");
    assert_eq!(sent.status, EmailStatus::Sent);
    assert_eq!(sent.attempts, 1);
    assert!(sent.body.is_empty(), "a sent email keeps no link");
    assert!(matches!(
        store.outbox_email(other.id, ids[0]).await,
        Err(StoreError::NotFound(_))
    ));

    let retry_at = base + Duration::minutes(10);
    store
        .mark_email_failed(org.id, ids[1], "smtp down", retry_at, true)
        .await
        .expect("failed");
    let failed = store.outbox_email(org.id, ids[1]).await.expect("read");
    assert_eq!((failed.status, failed.attempts), (EmailStatus::Pending, 1));
    assert_eq!(failed.last_error.as_deref(), Some("smtp down"));
    assert_eq!(failed.body, "body with link");
    store
        .mark_email_failed(org.id, ids[2], "no such mailbox", retry_at, false)
        .await
        .expect("rejected");

    let early = store
        .claim_due_emails(
            retry_at - Duration::seconds(1),
            retry_at + Duration::minutes(5),
            10,
        )
        .await
        .expect("claim");
    assert!(
        early.iter().all(|e| !ids.contains(&e.id)),
        "nothing of ours before its retry time"
    );
    let due = store
        .claim_due_emails(retry_at, retry_at + Duration::minutes(5), 10)
        .await
        .expect("claim");
    let ours: Vec<_> = due
        .iter()
        .filter(|e| ids.contains(&e.id))
        .map(|e| e.id)
        .collect();
    assert_eq!(ours, vec![ids[1]], "the rejected email is not retried");
    let pending = store.pending_emails(org.id, 10).await.expect("pending");
    assert_eq!(
        pending.iter().map(|e| e.id).collect::<Vec<_>>(),
        vec![ids[1]]
    );

    // The refused ones, the latest refusal first, with the server's answer, to
    // their organization only.
    let mut later = email_for(org.id, &to, EmailKind::OrgNotification);
    later.created_at = base;
    later.next_attempt_at = base;
    store.enqueue_email(&later).await.expect("enqueue");
    store
        .mark_email_failed(
            org.id,
            later.id,
            "550 mailbox full",
            retry_at + Duration::minutes(1),
            false,
        )
        .await
        .expect("rejected");
    let rejected = store.rejected_emails(org.id, 10).await.expect("rejected");
    assert_eq!(
        rejected
            .iter()
            .map(|e| (e.id, e.last_error.as_deref(), e.status))
            .collect::<Vec<_>>(),
        vec![
            (later.id, Some("550 mailbox full"), EmailStatus::Rejected),
            (ids[2], Some("no such mailbox"), EmailStatus::Rejected)
        ]
    );
    assert_eq!(
        store.rejected_emails(org.id, 1).await.expect("limit").len(),
        1
    );
    assert!(
        store
            .rejected_emails(other.id, 10)
            .await
            .expect("other")
            .is_empty()
    );
}

/// Spreads concurrent runs of the outbox behaviour over distinct minutes so that
/// their claims, made at fixed past times, do not take each other's emails.
/// Due emails of several organizations are claimed in one sweep up to its limit
/// (a store distributed by organization claims each organization's within it):
/// a second sweep takes the rest, and no email is claimed twice.
pub async fn outbox_claims_across_organizations(store: &dyn Store) {
    let (a, b) = (org(store).await, org(store).await);
    let to = unique_email("to");
    let base = t0() - Duration::days(3650) - Duration::minutes(org_offset(&a.id));
    let mut ids = std::collections::BTreeSet::new();
    for (i, org) in [&a, &b, &a, &b].into_iter().enumerate() {
        let mut e = email_for(org.id, &to, EmailKind::OrgNotification);
        let at = base + Duration::seconds(i64::try_from(i).unwrap_or_default());
        e.next_attempt_at = at;
        e.created_at = at;
        store.enqueue_email(&e).await.expect("enqueue");
        ids.insert(e.id);
    }
    let (now, lease) = (base + Duration::seconds(3), base + Duration::minutes(5));
    let first = store.claim_due_emails(now, lease, 3).await.expect("claim");
    assert_eq!(first.len(), 3, "up to the limit, across organizations");
    let second = store.claim_due_emails(now, lease, 3).await.expect("claim");
    let claimed: Vec<_> = first.iter().chain(&second).map(|e| e.id).collect();
    let distinct: std::collections::BTreeSet<_> = claimed.iter().copied().collect();
    assert_eq!(claimed.len(), distinct.len(), "none claimed twice");
    assert_eq!(distinct, ids, "every due email, of both organizations");
}

fn org_offset(org: &crate::domain::OrgId) -> i64 {
    i64::from(org.as_uuid().as_bytes()[15]) * 10_000 + i64::from(org.as_uuid().as_bytes()[14])
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
    let email =
        super::fixtures::email_for(org.id, &to, crate::domain::EmailKind::CustomerNotification);
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
    let second = super::fixtures::email_for(
        org.id,
        &taken,
        crate::domain::EmailKind::CustomerNotification,
    );
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
