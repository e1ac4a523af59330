//! The activity feed: atomic with its operation, paged newest first.

use super::fixtures::{activity_ids, customer, notice_of, org};
use super::fixtures::{recording, sent};
use crate::{domain::ActivitySubject, domain::PageRequest, store::Store};
use time::macros::date;

/// The activity feed pages newest first and holds only what was recorded: an
/// operation that fails records no activity.
pub async fn activity_feed_is_atomic_and_paged(store: &dyn Store) {
    let org = org(store).await;
    let (c, contacts) = customer(store, &org).await;
    let (stranger, _) = customer(store, &org).await;
    let inv = sent("A-1", 10_000)
        .issued(date!(2026 - 03 - 01))
        .due(date!(2026 - 03 - 31))
        .for_customer(store, &c)
        .await;
    let mut ids = Vec::new();
    let mut recorded = Vec::new();
    for _ in 0..3 {
        let mut r = recording(&c, 1_000, &[inv.id]);
        let n = notice_of(
            &contacts[0],
            ActivitySubject::Document(crate::domain::DocumentRef::Receipt(r.id)),
            None,
        );
        ids.push(n.activity.id);
        recorded.push(n.activity.clone());
        r.notice = Some(n);
        store.record_payment(&r).await.expect("pay");
    }
    // Recording a payment twice fails the second time and records nothing more.
    let mut twice = recording(&c, 1_000, &[inv.id]);
    store.record_payment(&twice).await.expect("pay");
    twice.notice = Some(notice_of(
        &contacts[0],
        ActivitySubject::Document(crate::domain::DocumentRef::Receipt(twice.id)),
        None,
    ));
    assert!(store.record_payment(&twice).await.is_err());
    ids.reverse();
    let page = store
        .customer_activity(org.id, c.id, &PageRequest::first(2))
        .await
        .expect("page");
    assert_eq!(
        page.items.iter().map(|a| a.id).collect::<Vec<_>>(),
        ids[..2]
    );
    assert_eq!(page.items[0], recorded[2], "read back exactly");
    let rest = store
        .customer_activity(
            org.id,
            c.id,
            &PageRequest::after(page.next.as_deref().expect("more"), 2).expect("cursor"),
        )
        .await
        .expect("rest");
    assert_eq!(
        rest.items.iter().map(|a| a.id).collect::<Vec<_>>(),
        ids[2..]
    );
    assert_eq!(rest.next, None);
    assert!(activity_ids(store, org.id, stranger.id).await.is_empty());
    let other = super::fixtures::org(store).await;
    assert!(activity_ids(store, other.id, c.id).await.is_empty());
}
