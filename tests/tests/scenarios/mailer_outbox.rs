//! Outbox mail (N4) with a mocked mailer: written with the change, sent by the
//! dispatcher, retried with backoff, never lost.

use crate::common;

use std::sync::Arc;

use common::World;
use mockall::Sequence;
use portal_core::Duration;
use portal_core::clock::ManualClock;
use portal_core::domain::EmailStatus;
use portal_core::mailer::{MailerError, MockMailer};
use portal_core::prelude::*;
use portal_core::store::OutboxStore;
use portal_memory::MemoryStore;
use time::macros::datetime;

struct Mocked {
    portal: Portal,
    store: Arc<MemoryStore>,
    clock: Arc<ManualClock>,
}

fn mocked(mailer: MockMailer) -> Mocked {
    let store = Arc::new(MemoryStore::new());
    let clock = Arc::new(ManualClock::new(datetime!(2026-05-04 09:00 UTC)));
    let portal = Portal::builder(store.clone(), Arc::new(mailer))
        .with_clock(clock.clone())
        .build()
        .expect("portal");
    Mocked {
        portal,
        store,
        clock,
    }
}

/// Creates an org and a customer and invites its contact; returns the org id.
async fn invite_one(m: &Mocked) -> portal_core::domain::OrgId {
    let org = m
        .portal
        .create_org(NewOrganization {
            name: "Acme".into(),
            slug: PortalSlug::parse("acme").expect("slug"),
        })
        .await
        .expect("org");
    let admin = m.portal.org(org.id);
    let (customer, contacts) = admin
        .customers()
        .create(
            NewCustomer::new("Silva", Currency::from_code("EUR").expect("eur")),
            vec![NewContact::new(
                "Ana",
                "Silva",
                Some(Email::parse("ana@example.com").expect("email")),
            )],
        )
        .await
        .expect("customer");
    admin
        .contacts()
        .enable_access(customer.id, &[contacts[0].id])
        .await
        .expect("invite");
    org.id
}

#[tokio::test]
async fn invitation_is_queued_with_the_change_and_sent_once() {
    let mut mailer = MockMailer::new();
    mailer
        .expect_send()
        .withf(|m| {
            m.to.as_str() == "ana@example.com"
                && m.subject.contains("Acme")
                && m.body.contains("/acme/invitation/")
        })
        .times(1)
        .returning(|_| Ok(()));
    let m = mocked(mailer);
    let org = invite_one(&m).await;
    let pending = m.store.pending_emails(org, 10).await.expect("pending");
    assert_eq!(
        pending.len(),
        1,
        "queued in the same operation as the invitation"
    );
    let report = m.portal.dispatch_emails(10).await.expect("dispatch");
    assert_eq!((report.sent, report.deferred, report.rejected), (1, 0, 0));
    let sent = m
        .store
        .outbox_email(org, pending[0].id)
        .await
        .expect("read");
    assert_eq!(sent.status, EmailStatus::Sent);
    assert!(sent.body.is_empty(), "the link does not stay in the outbox");
    // Nothing is sent twice.
    m.clock.advance(Duration::days(1));
    assert_eq!(
        m.portal.dispatch_emails(10).await.expect("dispatch").sent,
        0
    );
}

#[tokio::test]
async fn a_failed_send_is_retried_after_a_delay() {
    let mut mailer = MockMailer::new();
    let mut seq = Sequence::new();
    mailer
        .expect_send()
        .times(2)
        .in_sequence(&mut seq)
        .returning(|_| Err(MailerError::Unavailable("connection refused".into())));
    mailer
        .expect_send()
        .times(1)
        .in_sequence(&mut seq)
        .returning(|_| Ok(()));
    let m = mocked(mailer);
    let org = invite_one(&m).await;
    assert_eq!(m.portal.dispatch_emails(10).await.expect("1st").deferred, 1);
    // Not due again before its retry time (30 s).
    assert_eq!(
        m.portal.dispatch_emails(10).await.expect("early"),
        Default::default()
    );
    m.clock.advance(Duration::seconds(30));
    assert_eq!(m.portal.dispatch_emails(10).await.expect("2nd").deferred, 1);
    let email = &m.store.pending_emails(org, 10).await.expect("pending")[0];
    assert_eq!(email.attempts, 2);
    assert_eq!(
        email.next_attempt_at,
        m.clock.now() + Duration::minutes(1),
        "the delay doubles"
    );
    assert_eq!(
        email.last_error.as_deref(),
        Some("mail server unavailable: connection refused")
    );
    m.clock.advance(Duration::minutes(1));
    assert_eq!(m.portal.dispatch_emails(10).await.expect("3rd").sent, 1);
    assert!(
        m.store
            .pending_emails(org, 10)
            .await
            .expect("pending")
            .is_empty()
    );
}

#[tokio::test]
async fn a_rejected_email_is_not_retried() {
    let mut mailer = MockMailer::new();
    mailer
        .expect_send()
        .times(1)
        .returning(|_| Err(MailerError::Rejected("550 no such mailbox".into())));
    let m = mocked(mailer);
    let org = invite_one(&m).await;
    let id = m.store.pending_emails(org, 10).await.expect("pending")[0].id;
    assert_eq!(
        m.portal
            .dispatch_emails(10)
            .await
            .expect("dispatch")
            .rejected,
        1
    );
    m.clock.advance(Duration::days(2));
    assert_eq!(
        m.portal.dispatch_emails(10).await.expect("dispatch"),
        Default::default()
    );
    let email = m.store.outbox_email(org, id).await.expect("read");
    assert_eq!(email.status, EmailStatus::Rejected);
    assert_eq!(email.last_error.as_deref(), Some("550 no such mailbox"));
}

#[tokio::test]
async fn a_long_outage_loses_nothing_and_backoff_is_capped() {
    let w = World::new();
    let org = w.org("acme").await;
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
    let ids: Vec<_> = contacts.iter().map(|c| c.id).collect();
    w.portal
        .org(org.id)
        .contacts()
        .enable_access(customer.id, &ids)
        .await
        .expect("invite");
    w.mailer.set_down(true);
    let mut last_gap = Duration::ZERO;
    for _ in 0..15 {
        let report = w.portal.dispatch_emails(100).await.expect("dispatch");
        assert_eq!(report.sent, 0);
        let pending = w.store.pending_emails(org.id, 100).await.expect("pending");
        assert_eq!(pending.len(), 3, "nothing dropped");
        let gap = pending[0].next_attempt_at - w.clock.now();
        assert!(gap >= last_gap && gap <= Duration::hours(1), "gap {gap}");
        last_gap = gap;
        w.clock.advance(gap);
    }
    assert_eq!(last_gap, Duration::hours(1), "capped at one hour");
    w.mailer.set_down(false);
    assert_eq!(
        w.portal.dispatch_emails(100).await.expect("dispatch").sent,
        3
    );
    for c in ["a@example.com", "b@example.com", "c@example.com"] {
        assert_eq!(
            w.mailer.sent_to(c).len(),
            1,
            "{c} got exactly one invitation"
        );
    }
}

#[tokio::test]
async fn claimed_emails_wait_for_the_lease_of_a_dispatcher_that_died() {
    let w = World::new();
    let org = w.org("acme").await;
    let (customer, contacts) = w.customer(org.id, &[Some("a@example.com")]).await;
    w.portal
        .org(org.id)
        .contacts()
        .enable_access(customer.id, &[contacts[0].id])
        .await
        .expect("invite");
    // A dispatcher claims the email and dies before sending it.
    let now = w.clock.now();
    let claimed = w
        .store
        .claim_due_emails(now, now + Duration::minutes(5), 10)
        .await
        .expect("claim");
    assert_eq!(claimed.len(), 1);
    assert_eq!(
        w.portal.dispatch_emails(10).await.expect("dispatch").sent,
        0
    );
    w.clock.advance(Duration::minutes(5));
    assert_eq!(
        w.portal.dispatch_emails(10).await.expect("dispatch").sent,
        1
    );
}
