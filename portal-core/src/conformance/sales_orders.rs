//! Sales orders: round trip, keyset list, the first view.

use super::fixtures::customer_in;
use super::fixtures::{org, t0, usd};
use crate::{domain::Cursor, domain::Direction, domain::LineItem, store::Store, store::StoreError};
use rust_decimal::Decimal;
use time::Duration;
use time::macros::date;

/// Sales orders read back exactly and list by keyset, by total or date, with a
/// status filter (what every kind of document shares is in `documents`).
pub async fn sales_orders_round_trip_list_and_view(store: &dyn Store) {
    use crate::{
        domain::NewSalesOrder, domain::SalesOrder, domain::SalesOrderQuery, domain::SalesOrderSort,
        domain::SalesOrderStatus,
    };
    let org = org(store).await;
    let c = customer_in(store, &org, usd()).await;
    let stranger = customer_in(store, &org, usd()).await;
    let mut orders = Vec::new();
    for (n, minor, day) in [(1, 5_000, 3), (2, 1_000, 1), (3, 9_000, 2)] {
        let mut o = SalesOrder::draft(
            org.id,
            c.id,
            usd(),
            NewSalesOrder {
                number: format!("SO-{n}"),
                lines: vec![LineItem::new(
                    "Widget",
                    Decimal::ONE,
                    crate::domain::Money::from_minor_units(minor, usd()).amount(),
                )],
                order_date: date!(2026 - 03 - 01) + Duration::days(day),
                shipment_date: Some(date!(2026 - 04 - 01)),
            },
            t0(),
        )
        .expect("order");
        store.sales_orders().create(&o).await.expect("create");
        assert_eq!(
            store.sales_orders().get(org.id, o.id).await.expect("read"),
            o
        );
        assert!(matches!(
            store.sales_orders().of_customer(org.id, c.id, o.id).await,
            Err(StoreError::NotFound(_))
        ));
        o.status = SalesOrderStatus::Open;
        orders.push(store.sales_orders().update(&o).await.expect("open"));
    }
    let mut closed = orders[2].clone();
    closed.status = SalesOrderStatus::Closed;
    store.sales_orders().update(&closed).await.expect("close");
    let mut q = SalesOrderQuery::new();
    q.sort = SalesOrderSort::Total;
    q.direction = Direction::Asc;
    q.limit = 1;
    let mut seen = Vec::new();
    loop {
        let page = store
            .sales_orders()
            .customer_page(org.id, c.id, &q)
            .await
            .expect("page");
        seen.extend(page.items.iter().map(|o| o.number.clone()));
        match page.next {
            Some(n) => q.after = Some(Cursor::decode(&n).expect("cursor")),
            None => break,
        }
    }
    assert_eq!(seen, vec!["SO-2", "SO-1", "SO-3"]);
    let mut open_only = SalesOrderQuery::new();
    open_only.statuses = vec![SalesOrderStatus::Open];
    let open: Vec<String> = store
        .sales_orders()
        .customer_page(org.id, c.id, &open_only)
        .await
        .expect("open")
        .items
        .into_iter()
        .map(|o| o.number)
        .collect();
    assert_eq!(open, vec!["SO-1", "SO-2"], "newest order date first");
    assert!(
        store
            .sales_orders()
            .customer_page(org.id, stranger.id, &SalesOrderQuery::new())
            .await
            .expect("none")
            .items
            .is_empty()
    );
}
