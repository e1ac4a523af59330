//! Invoices: round trip, scoped reads, keyset lists, the first view.

use super::fixtures::customer_in;
use super::fixtures::recording;
use super::fixtures::sent;
use super::fixtures::{org, t0, usd};
use crate::{
    domain::Cursor, domain::Direction, domain::Invoice, domain::InvoiceEvent,
    domain::InvoiceFilter, domain::InvoiceId, domain::InvoiceKind, domain::InvoiceQuery,
    domain::InvoiceSort, domain::LineItem, domain::NewInvoice, store::Store,
};
use rust_decimal::Decimal;
use time::macros::date;

/// A retainer invoice with a discounted, taxed line reads back exactly, drafted and
/// sent, on the org side and the customer's (what every kind of document shares,
/// scope, numbers and versions, is in `documents`).
pub async fn invoice_round_trip_and_scope(store: &dyn Store) {
    let org = org(store).await;
    let customer = customer_in(store, &org, usd()).await;
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
    draft.status = draft.status.apply(InvoiceEvent::Send).expect("send");
    let sent = store.invoices().update(&draft).await.expect("send");
    assert_eq!(sent.version, draft.version + 1);
    assert_eq!(
        store
            .invoices()
            .of_customer(org.id, customer.id, sent.id)
            .await
            .expect("visible"),
        sent
    );
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
