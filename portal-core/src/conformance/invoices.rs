//! Invoices: round trip, scoped reads, keyset lists, the first view.

use super::fixtures::customer_in;
use super::fixtures::recording;
use super::fixtures::sent;
use super::fixtures::{email_for, org, t0, usd};
use crate::store::Rule;
use crate::{
    domain::Cursor, domain::Direction, domain::EmailKind, domain::Invoice, domain::InvoiceEvent,
    domain::InvoiceFilter, domain::InvoiceId, domain::InvoiceKind, domain::InvoiceQuery,
    domain::InvoiceSort, domain::LineItem, domain::NewInvoice, store::Store, store::StoreError,
};
use rust_decimal::Decimal;
use time::Duration;
use time::macros::date;

/// Invoices read back exactly, drafts stay out of the portal, numbers are unique per
/// organization, updates check the version.
pub async fn invoice_round_trip_and_scope(store: &dyn Store) {
    let org = org(store).await;
    let other = super::fixtures::org(store).await;
    let customer = customer_in(store, &org, usd()).await;
    let stranger = customer_in(store, &org, usd()).await;
    let mut draft = Invoice::draft(
        org.id,
        customer.id,
        usd(),
        NewInvoice {
            kind: InvoiceKind::Retainer,
            number: "INV-0001".into(),
            lines: vec![LineItem {
                description: "Design".into(),
                quantity: Decimal::new(25, 1),
                rate: Decimal::new(12345, 2),
                discount_percent: Decimal::new(5, 0),
                tax_percent: Decimal::new(23, 0),
            }],
            issue_date: date!(2026 - 03 - 01),
            due_date: date!(2026 - 03 - 31),
            allow_partial_payments: false,
            payment_gateways: vec!["test".into(), "other".into()],
        },
        t0(),
    )
    .expect("valid");
    store.invoices().create(&draft).await.expect("create");
    assert_eq!(
        store.invoices().get(org.id, draft.id).await.expect("read"),
        draft
    );
    assert!(matches!(
        store.invoices().get(other.id, draft.id).await,
        Err(StoreError::NotFound(_))
    ));
    assert!(matches!(
        store
            .invoices()
            .of_customer(org.id, customer.id, draft.id)
            .await,
        Err(StoreError::NotFound(_))
    ));
    let mut dup = draft.clone();
    dup.id = InvoiceId::new();
    assert!(matches!(
        store.invoices().create(&dup).await,
        Err(StoreError::Conflict(Rule::InvoiceNumber))
    ));
    // Another organization may use the same number.
    let other_customer = customer_in(store, &other, usd()).await;
    let mut theirs = draft.clone();
    theirs.id = InvoiceId::new();
    theirs.org = other.id;
    theirs.customer = other_customer.id;
    store
        .invoices()
        .create(&theirs)
        .await
        .expect("same number elsewhere");

    draft.status = draft.status.apply(InvoiceEvent::Send).expect("send");
    let sent = store.invoices().update(&draft).await.expect("send");
    assert_eq!(sent.version, draft.version + 1);
    assert!(matches!(
        store.invoices().update(&draft).await,
        Err(StoreError::ConcurrentModification(_))
    ));
    assert_eq!(
        store
            .invoices()
            .of_customer(org.id, customer.id, sent.id)
            .await
            .expect("visible"),
        sent
    );
    assert!(matches!(
        store
            .invoices()
            .of_customer(org.id, stranger.id, sent.id)
            .await,
        Err(StoreError::NotFound(_))
    ));
}

/// Every sort, both directions, paged two at a time, gives the full list in order;
/// filters pick the right invoices.
pub async fn invoice_list_sorts_filters_and_pages(store: &dyn Store) {
    let org = org(store).await;
    let customer = customer_in(store, &org, usd()).await;
    let neighbour = customer_in(store, &org, usd()).await;
    let today = date!(2026 - 03 - 20);
    let mut all = Vec::new();
    for (n, minor, issue, due) in [
        (1, 10_000, date!(2026 - 01 - 05), date!(2026 - 02 - 05)),
        (2, 2_500, date!(2026 - 01 - 05), date!(2026 - 03 - 30)),
        (3, 7_000, date!(2026 - 02 - 10), date!(2026 - 03 - 10)),
        (4, 7_000, date!(2026 - 02 - 11), date!(2026 - 04 - 11)),
        (5, 99_900, date!(2026 - 03 - 01), date!(2026 - 03 - 15)),
    ] {
        all.push(
            sent(&format!("L-{n}"), minor)
                .issued(issue)
                .due(due)
                .for_customer(store, &customer)
                .await,
        );
    }
    sent("N-1", 5_000)
        .issued(date!(2026 - 01 - 01))
        .due(date!(2026 - 01 - 02))
        .for_customer(store, &neighbour)
        .await;
    // One paid, one part paid.
    store
        .record_payment(&recording(&customer, 2_500, &[all[1].id]))
        .await
        .expect("pay 2");
    store
        .record_payment(&recording(&customer, 1_000, &[all[4].id]))
        .await
        .expect("pay 5");
    let fresh: Vec<Invoice> = {
        let mut v = Vec::new();
        for i in &all {
            v.push(store.invoices().get(org.id, i.id).await.expect("read"));
        }
        v
    };
    for sort in [
        InvoiceSort::IssueDate,
        InvoiceSort::DueDate,
        InvoiceSort::Total,
        InvoiceSort::Balance,
    ] {
        for direction in [Direction::Asc, Direction::Desc] {
            let mut query = InvoiceQuery::new(today);
            query.sort = sort;
            query.direction = direction;
            query.limit = 2;
            let mut expected: Vec<&Invoice> = fresh.iter().collect();
            expected.sort_by_key(|i| (query.key_of(i), i.id));
            if direction == Direction::Desc {
                expected.reverse();
            }
            let mut seen = Vec::new();
            loop {
                let page = store
                    .invoices()
                    .customer_page(org.id, customer.id, &query)
                    .await
                    .expect("page");
                assert!(page.items.len() <= 2);
                seen.extend(page.items.iter().map(|i| i.id));
                match page.next {
                    Some(next) => query.after = Some(Cursor::decode(&next).expect("cursor")),
                    None => break,
                }
            }
            let expected_ids: Vec<InvoiceId> = expected.iter().map(|i| i.id).collect();
            assert_eq!(seen, expected_ids, "{sort:?} {direction:?}");
        }
    }
    let ids = |filter: InvoiceFilter| {
        let mut q = InvoiceQuery::new(today);
        q.filter = filter;
        q.sort = InvoiceSort::IssueDate;
        q.direction = Direction::Asc;
        q.limit = 100;
        q
    };
    let list = |q: InvoiceQuery| async move {
        store
            .invoices()
            .customer_page(org.id, customer.id, &q)
            .await
            .expect("list")
            .items
            .into_iter()
            .map(|i| i.number)
            .collect::<Vec<_>>()
    };
    assert_eq!(list(ids(InvoiceFilter::Paid)).await, vec!["L-2"]);
    assert_eq!(list(ids(InvoiceFilter::PartiallyPaid)).await, vec!["L-5"]);
    assert_eq!(
        list(ids(InvoiceFilter::Unpaid)).await,
        vec!["L-1", "L-3", "L-4", "L-5"]
    );
    assert_eq!(
        list(ids(InvoiceFilter::Overdue)).await,
        vec!["L-1", "L-3", "L-5"]
    );
    let mut retainers = ids(InvoiceFilter::All);
    retainers.kind = Some(InvoiceKind::Retainer);
    assert!(list(retainers).await.is_empty());
}

/// The first view marks the invoice and queues the notification; later views do
/// neither.
pub async fn invoice_view_is_marked_once(store: &dyn Store) {
    let org = org(store).await;
    let customer = customer_in(store, &org, usd()).await;
    let inv = sent("V-1", 1_000)
        .issued(date!(2026 - 03 - 01))
        .due(date!(2026 - 03 - 31))
        .for_customer(store, &customer)
        .await;
    let to = crate::domain::Email::parse("owner@example.com").expect("email");
    let note = email_for(org.id, &to, EmailKind::OrgNotification);
    let at = t0() + Duration::minutes(3);
    let subject =
        crate::domain::ActivitySubject::Document(crate::domain::DocumentRef::Invoice(inv.id));
    let first_notice =
        super::fixtures::notice(store, org.id, customer.id, subject, Some(note.clone())).await;
    let (viewed, first) = store
        .invoices()
        .mark_viewed(org.id, customer.id, inv.id, at, &first_notice)
        .await
        .expect("view");
    assert!(first);
    assert_eq!(viewed.viewed_at, Some(at));
    let second_note = email_for(org.id, &to, EmailKind::OrgNotification);
    let second_notice =
        super::fixtures::notice(store, org.id, customer.id, subject, Some(second_note)).await;
    let (again, first) = store
        .invoices()
        .mark_viewed(
            org.id,
            customer.id,
            inv.id,
            at + Duration::hours(1),
            &second_notice,
        )
        .await
        .expect("view again");
    assert!(!first);
    assert_eq!(again.viewed_at, Some(at));
    let pending = store.pending_emails(org.id, 10).await.expect("pending");
    assert_eq!(
        pending.iter().map(|e| e.id).collect::<Vec<_>>(),
        vec![note.id]
    );
    assert_eq!(
        super::fixtures::activity_ids(store, org.id, customer.id).await,
        vec![first_notice.activity.id],
        "only the first view is in the activity feed"
    );
    let stranger = customer_in(store, &org, usd()).await;
    let theirs = super::fixtures::notice(store, org.id, stranger.id, subject, None).await;
    assert!(matches!(
        store
            .invoices()
            .mark_viewed(org.id, stranger.id, inv.id, at, &theirs)
            .await,
        Err(StoreError::NotFound(_))
    ));
    assert!(
        super::fixtures::activity_ids(store, org.id, stranger.id)
            .await
            .is_empty()
    );
}
