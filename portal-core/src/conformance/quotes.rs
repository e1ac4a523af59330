//! Quotes and comments.

use rust_decimal::Decimal;
use time::macros::date;
use time::{Date, Duration};

use super::fixtures::{email_for, org, t0, usd};
use crate::store::Rule;
use crate::{
    Comment, CommentAuthor, CommentId, CommentTarget, Cursor, Customer, Direction, EmailKind,
    Invoice, InvoiceKind, LineItem, NewCustomer, NewInvoice, NewQuote, Quote, QuoteDecision,
    QuoteFilter, QuoteId, QuoteQuery, QuoteSort, QuoteStatus, Signature, SignatureMark, Store,
    StoreError,
};

async fn customer(store: &dyn Store, org: &crate::Organization) -> Customer {
    let c = Customer::create(org.id, NewCustomer::new("Quoted", usd()), t0());
    store.create_customer(&c, &[]).await.expect("customer");
    c
}

async fn sent_quote(
    store: &dyn Store,
    c: &Customer,
    number: &str,
    minor: i64,
    issue: Date,
    expiry: Date,
) -> Quote {
    let mut q = Quote::draft(
        c.org,
        c.id,
        c.currency,
        NewQuote {
            number: number.into(),
            lines: vec![LineItem::new(
                "Plan",
                Decimal::ONE,
                crate::Money::from_minor_units(minor, c.currency).amount(),
            )],
            issue_date: issue,
            expiry_date: expiry,
        },
        t0(),
    )
    .expect("quote");
    store.create_quote(&q).await.expect("create");
    q.status = QuoteStatus::Sent;
    store.update_quote(&q).await.expect("send")
}

fn signature(q: &Quote) -> Signature {
    Signature {
        signer_name: "Ana Silva".into(),
        signed_at: t0() + Duration::hours(2),
        mark: SignatureMark::Drawn("M0 0 L10 10".into()),
        content_hash: q.content_hash(),
    }
}

/// Quotes read back exactly (signature included), drafts stay out of the portal,
/// numbers are unique per organization, and a decision applies once.
pub async fn quote_round_trip_and_single_decision(store: &dyn Store) {
    let org = org(store).await;
    let c = customer(store, &org).await;
    let stranger = customer(store, &org).await;
    let draft = Quote::draft(
        org.id,
        c.id,
        usd(),
        NewQuote {
            number: "Q-1".into(),
            lines: vec![LineItem {
                description: "Redesign".into(),
                quantity: Decimal::new(3, 0),
                rate: Decimal::new(9_999, 2),
                discount_percent: Decimal::new(15, 1),
                tax_percent: Decimal::new(6, 0),
            }],
            issue_date: date!(2026 - 03 - 01),
            expiry_date: date!(2026 - 03 - 31),
        },
        t0(),
    )
    .expect("quote");
    store.create_quote(&draft).await.expect("create");
    assert_eq!(store.quote(org.id, draft.id).await.expect("read"), draft);
    assert!(matches!(
        store.customer_quote(org.id, c.id, draft.id).await,
        Err(StoreError::NotFound(_))
    ));
    let mut dup = draft.clone();
    dup.id = QuoteId::new();
    assert!(matches!(
        store.create_quote(&dup).await,
        Err(StoreError::Conflict(Rule::QuoteNumber))
    ));
    let mut sent = draft.clone();
    sent.status = QuoteStatus::Sent;
    let sent = store.update_quote(&sent).await.expect("send");
    assert!(matches!(
        store.update_quote(&draft).await,
        Err(StoreError::ConcurrentModification(_))
    ));
    assert!(matches!(
        store.customer_quote(org.id, stranger.id, sent.id).await,
        Err(StoreError::NotFound(_))
    ));

    let to = crate::Email::parse("owner@example.com").expect("email");
    let note = email_for(org.id, &to, EmailKind::OrgNotification);
    let at = t0() + Duration::hours(2);
    let accepted = store
        .decide_quote(&crate::QuoteDecisionRecord {
            org: org.id,
            customer: c.id,
            quote: sent.id,
            expected_version: sent.version,
            decision: QuoteDecision::Accept(Some(signature(&sent))),
            at,
            notice: super::fixtures::notice(
                store,
                org.id,
                c.id,
                crate::ActivitySubject::Quote(QuoteId::new()),
                Some(note.clone()),
            )
            .await,
        })
        .await
        .expect("accept");
    assert_eq!(accepted.status, QuoteStatus::Accepted);
    assert_eq!(accepted.decided_at, Some(at));
    assert!(accepted.signature_matches());
    assert_eq!(
        store
            .customer_quote(org.id, c.id, sent.id)
            .await
            .expect("read"),
        accepted
    );
    // The losing decision (read at the same version) changes nothing and queues nothing.
    let late = email_for(org.id, &to, EmailKind::OrgNotification);
    assert!(matches!(
        store
            .decide_quote(&crate::QuoteDecisionRecord {
                org: org.id,
                customer: c.id,
                quote: sent.id,
                expected_version: sent.version,
                decision: QuoteDecision::Decline(Some("no".into())),
                at,
                notice: super::fixtures::notice(
                    store,
                    org.id,
                    c.id,
                    crate::ActivitySubject::Quote(QuoteId::new()),
                    Some(late.clone())
                )
                .await
            })
            .await,
        Err(StoreError::ConcurrentModification(_))
    ));
    assert!(matches!(
        store
            .decide_quote(&crate::QuoteDecisionRecord {
                org: org.id,
                customer: c.id,
                quote: sent.id,
                expected_version: accepted.version,
                decision: QuoteDecision::Decline(None),
                at,
                notice: super::fixtures::notice(
                    store,
                    org.id,
                    c.id,
                    crate::ActivitySubject::Quote(QuoteId::new()),
                    None
                )
                .await
            })
            .await,
        Err(StoreError::Conflict(_))
    ));
    let pending: Vec<_> = store
        .pending_emails(org.id, 10)
        .await
        .expect("pending")
        .into_iter()
        .map(|e| e.id)
        .collect();
    assert_eq!(pending, vec![note.id]);
    assert!(matches!(
        store
            .decide_quote(&crate::QuoteDecisionRecord {
                org: org.id,
                customer: stranger.id,
                quote: sent.id,
                expected_version: accepted.version,
                decision: QuoteDecision::Decline(None),
                at,
                notice: super::fixtures::notice(
                    store,
                    org.id,
                    stranger.id,
                    crate::ActivitySubject::Quote(QuoteId::new()),
                    None
                )
                .await
            })
            .await,
        Err(StoreError::NotFound(_))
    ));
}

/// Every sort and filter, paged; open and expired split by the expiry date; the
/// dashboard counts open quotes.
pub async fn quote_list_filters_and_pages(store: &dyn Store) {
    let org = org(store).await;
    let c = customer(store, &org).await;
    let today = date!(2026 - 03 - 20);
    let open = sent_quote(
        store,
        &c,
        "L-1",
        5_000,
        date!(2026 - 03 - 01),
        date!(2026 - 03 - 31),
    )
    .await;
    let expired = sent_quote(
        store,
        &c,
        "L-2",
        9_000,
        date!(2026 - 02 - 01),
        date!(2026 - 03 - 19),
    )
    .await;
    let last_day = sent_quote(store, &c, "L-3", 1_000, date!(2026 - 03 - 02), today).await;
    let decided = sent_quote(
        store,
        &c,
        "L-4",
        7_000,
        date!(2026 - 02 - 15),
        date!(2026 - 04 - 15),
    )
    .await;
    store
        .decide_quote(&crate::QuoteDecisionRecord {
            org: org.id,
            customer: c.id,
            quote: decided.id,
            expected_version: decided.version,
            decision: QuoteDecision::Decline(Some("later".into())),
            at: t0(),
            notice: super::fixtures::notice(
                store,
                org.id,
                c.id,
                crate::ActivitySubject::Quote(QuoteId::new()),
                None,
            )
            .await,
        })
        .await
        .expect("decline");
    let names = |filter: QuoteFilter| async move {
        let mut q = QuoteQuery::new(today);
        q.filter = filter;
        q.sort = QuoteSort::IssueDate;
        q.direction = Direction::Asc;
        store
            .customer_quotes(org.id, c.id, &q)
            .await
            .expect("list")
            .items
            .into_iter()
            .map(|q| q.number)
            .collect::<Vec<_>>()
    };
    assert_eq!(names(QuoteFilter::Open).await, vec!["L-1", "L-3"]);
    assert_eq!(names(QuoteFilter::Expired).await, vec!["L-2"]);
    assert_eq!(names(QuoteFilter::Declined).await, vec!["L-4"]);
    assert_eq!(
        names(QuoteFilter::All).await,
        vec!["L-2", "L-4", "L-1", "L-3"]
    );
    let all = [&open, &expired, &last_day, &decided];
    for sort in [
        QuoteSort::IssueDate,
        QuoteSort::ExpiryDate,
        QuoteSort::Total,
    ] {
        for direction in [Direction::Asc, Direction::Desc] {
            let mut q = QuoteQuery::new(today);
            q.sort = sort;
            q.direction = direction;
            q.limit = 1;
            let mut expected: Vec<&&Quote> = all.iter().collect();
            expected.sort_by_key(|x| (q.key_of(x), x.id));
            if direction == Direction::Desc {
                expected.reverse();
            }
            let mut seen = Vec::new();
            loop {
                let page = store.customer_quotes(org.id, c.id, &q).await.expect("page");
                seen.extend(page.items.iter().map(|x| x.id));
                match page.next {
                    Some(n) => q.after = Some(Cursor::decode(&n).expect("cursor")),
                    None => break,
                }
            }
            assert_eq!(
                seen,
                expected.iter().map(|x| x.id).collect::<Vec<_>>(),
                "{sort:?} {direction:?}"
            );
        }
    }
    assert_eq!(
        store
            .dashboard(org.id, c.id, today)
            .await
            .expect("dashboard")
            .quotes_awaiting,
        2
    );
}

/// The first view is marked once; converting creates the invoice and updates the
/// quote together, or neither.
pub async fn quote_view_and_conversion(store: &dyn Store) {
    let org = org(store).await;
    let c = customer(store, &org).await;
    let q = sent_quote(
        store,
        &c,
        "V-1",
        2_000,
        date!(2026 - 03 - 01),
        date!(2026 - 03 - 31),
    )
    .await;
    let subject = crate::ActivitySubject::Quote(q.id);
    let seen = super::fixtures::notice(store, org.id, c.id, subject, None).await;
    let (viewed, first) = store
        .mark_quote_viewed(org.id, c.id, q.id, t0(), &seen)
        .await
        .expect("view");
    assert!(first && viewed.viewed_at == Some(t0()));
    let again = super::fixtures::notice(store, org.id, c.id, subject, None).await;
    let (_, first) = store
        .mark_quote_viewed(org.id, c.id, q.id, t0() + Duration::hours(1), &again)
        .await
        .expect("again");
    assert!(!first);
    assert_eq!(
        super::fixtures::activity_ids(store, org.id, c.id).await,
        vec![seen.activity.id]
    );
    let accepted = store
        .decide_quote(&crate::QuoteDecisionRecord {
            org: org.id,
            customer: c.id,
            quote: q.id,
            expected_version: q.version,
            decision: QuoteDecision::Accept(None),
            at: t0(),
            notice: super::fixtures::notice(
                store,
                org.id,
                c.id,
                crate::ActivitySubject::Quote(QuoteId::new()),
                None,
            )
            .await,
        })
        .await
        .expect("accept");
    let make_invoice = |number: &str| {
        Invoice::draft(
            org.id,
            c.id,
            usd(),
            NewInvoice {
                kind: InvoiceKind::Invoice,
                number: number.into(),
                lines: accepted.lines.clone(),
                issue_date: date!(2026 - 04 - 01),
                due_date: date!(2026 - 04 - 30),
                allow_partial_payments: false,
                payment_gateways: vec![],
            },
            t0(),
        )
        .expect("invoice")
    };
    // From a stale read: nothing is created.
    let stale_invoice = make_invoice("FROM-Q-STALE");
    let mut stale = q.clone();
    stale.status = QuoteStatus::Invoiced;
    stale.invoice = Some(stale_invoice.id);
    assert!(matches!(
        store.convert_quote(&stale, &stale_invoice).await,
        Err(StoreError::ConcurrentModification(_))
    ));
    assert!(matches!(
        store.invoice(org.id, stale_invoice.id).await,
        Err(StoreError::NotFound(_))
    ));
    let invoice = make_invoice("FROM-Q-1");
    let mut converting = accepted.clone();
    converting.status = QuoteStatus::Invoiced;
    converting.invoice = Some(invoice.id);
    let saved = store
        .convert_quote(&converting, &invoice)
        .await
        .expect("convert");
    assert_eq!(saved.status, QuoteStatus::Invoiced);
    assert_eq!(saved.invoice, Some(invoice.id));
    assert_eq!(
        store
            .invoice(org.id, invoice.id)
            .await
            .expect("invoice")
            .total,
        accepted.total
    );
}

/// Comments belong to a customer's document; the portal sees only visible ones.
pub async fn comments_are_scoped_and_filtered(store: &dyn Store) {
    let org = org(store).await;
    let c = customer(store, &org).await;
    let stranger = customer(store, &org).await;
    let q = sent_quote(
        store,
        &c,
        "C-1",
        2_000,
        date!(2026 - 03 - 01),
        date!(2026 - 03 - 31),
    )
    .await;
    let target = CommentTarget::Quote(q.id);
    let comment = |author, body: &str, visible, minutes| Comment {
        id: CommentId::new(),
        org: org.id,
        customer: c.id,
        target,
        author,
        body: body.into(),
        show_in_portal: visible,
        created_at: t0() + Duration::minutes(minutes),
    };
    let person =
        crate::ContactPerson::create(org.id, c.id, crate::NewContact::new("Ana", "", None), t0());
    store.create_contact(&person).await.expect("contact");
    let contact = person.id;
    let all = vec![
        comment(
            CommentAuthor::Contact(contact),
            "Can you do it for less?",
            true,
            1,
        ),
        comment(CommentAuthor::Org, "internal: margin is thin", false, 2),
        comment(CommentAuthor::Org, "We can take 5% off.", true, 3),
    ];
    let said = super::fixtures::notice_of(&person, target.subject(), None);
    store
        .add_comment(&all[0], &[], Some(&said))
        .await
        .expect("comment");
    for x in &all[1..] {
        store.add_comment(x, &[], None).await.expect("comment");
    }
    assert_eq!(
        super::fixtures::activity_ids(store, org.id, c.id).await,
        vec![said.activity.id],
        "the portal user's comment is in the feed"
    );
    assert_eq!(
        store
            .comments(org.id, c.id, target, false)
            .await
            .expect("all"),
        all
    );
    let visible = store
        .comments(org.id, c.id, target, true)
        .await
        .expect("portal");
    assert_eq!(visible, vec![all[0].clone(), all[2].clone()]);
    assert!(matches!(
        store.comments(org.id, stranger.id, target, true).await,
        Err(StoreError::NotFound(_))
    ));
    let mut foreign = comment(CommentAuthor::Org, "x", true, 4);
    foreign.customer = stranger.id;
    assert!(matches!(
        store.add_comment(&foreign, &[], None).await,
        Err(StoreError::NotFound(_))
    ));
    let ghost = comment(
        CommentAuthor::Contact(crate::ContactId::new()),
        "who am I",
        true,
        5,
    );
    assert!(matches!(
        store.add_comment(&ghost, &[], None).await,
        Err(StoreError::NotFound(_))
    ));
    let _ = crate::InvoiceId::new();
}

/// Reviews belong to a customer and one of its contacts; newest first.
pub async fn reviews_are_scoped(store: &dyn Store) {
    let org = org(store).await;
    let c = customer(store, &org).await;
    let stranger = customer(store, &org).await;
    let person =
        crate::ContactPerson::create(org.id, c.id, crate::NewContact::new("Ana", "", None), t0());
    store.create_contact(&person).await.expect("contact");
    let review = |body: &str, minutes| crate::Review {
        id: crate::ReviewId::new(),
        org: org.id,
        customer: c.id,
        contact: person.id,
        body: body.into(),
        created_at: t0() + Duration::minutes(minutes),
    };
    let first = review("Quick and friendly.", 1);
    let second = review("<b>Still</b> great & \"cheap\"", 2);
    let by = |r: &crate::Review| {
        super::fixtures::notice_of(&person, crate::ActivitySubject::Review(r.id), None)
    };
    store.add_review(&first, &by(&first)).await.expect("review");
    store
        .add_review(&second, &by(&second))
        .await
        .expect("review");
    assert_eq!(
        super::fixtures::activity_ids(store, org.id, c.id)
            .await
            .len(),
        2
    );
    assert_eq!(
        store.customer_reviews(org.id, c.id).await.expect("list"),
        vec![second, first.clone()]
    );
    assert!(
        store
            .customer_reviews(org.id, stranger.id)
            .await
            .expect("list")
            .is_empty()
    );
    let mut foreign = review("not mine", 3);
    foreign.customer = stranger.id;
    assert!(matches!(
        store.add_review(&foreign, &by(&foreign)).await,
        Err(StoreError::NotFound(_))
    ));
    let other = super::fixtures::org(store).await;
    assert!(
        store
            .customer_reviews(other.id, c.id)
            .await
            .expect("list")
            .is_empty()
    );
    let _ = first;
}

/// Sales orders read back exactly, stay hidden as drafts, list by keyset with a
/// status filter, mark their first view once, and update by version.
pub async fn sales_orders_round_trip_list_and_view(store: &dyn Store) {
    use crate::{NewSalesOrder, SalesOrder, SalesOrderQuery, SalesOrderSort, SalesOrderStatus};
    let org = org(store).await;
    let c = customer(store, &org).await;
    let stranger = customer(store, &org).await;
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
                    crate::Money::from_minor_units(minor, usd()).amount(),
                )],
                order_date: date!(2026 - 03 - 01) + Duration::days(day),
                shipment_date: Some(date!(2026 - 04 - 01)),
            },
            t0(),
        )
        .expect("order");
        store.create_sales_order(&o).await.expect("create");
        assert_eq!(store.sales_order(org.id, o.id).await.expect("read"), o);
        assert!(matches!(
            store.customer_sales_order(org.id, c.id, o.id).await,
            Err(StoreError::NotFound(_))
        ));
        o.status = SalesOrderStatus::Open;
        orders.push(store.update_sales_order(&o).await.expect("open"));
    }
    let mut dup = orders[0].clone();
    dup.id = crate::SalesOrderId::new();
    dup.version = 1;
    assert!(matches!(
        store.create_sales_order(&dup).await,
        Err(StoreError::Conflict(Rule::SalesOrderNumber))
    ));
    let mut closed = orders[2].clone();
    closed.status = SalesOrderStatus::Closed;
    let closed = store.update_sales_order(&closed).await.expect("close");
    assert!(matches!(
        store.update_sales_order(&orders[2]).await,
        Err(StoreError::ConcurrentModification(_))
    ));
    let mut q = SalesOrderQuery::new();
    q.sort = SalesOrderSort::Total;
    q.direction = Direction::Asc;
    q.limit = 1;
    let mut seen = Vec::new();
    loop {
        let page = store
            .customer_sales_orders(org.id, c.id, &q)
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
        .customer_sales_orders(org.id, c.id, &open_only)
        .await
        .expect("open")
        .items
        .into_iter()
        .map(|o| o.number)
        .collect();
    assert_eq!(open, vec!["SO-1", "SO-2"], "newest order date first");
    assert!(
        store
            .customer_sales_orders(org.id, stranger.id, &SalesOrderQuery::new())
            .await
            .expect("none")
            .items
            .is_empty()
    );
    let subject = crate::ActivitySubject::SalesOrder(closed.id);
    let seen = super::fixtures::notice(store, org.id, c.id, subject, None).await;
    let (viewed, first) = store
        .mark_sales_order_viewed(org.id, c.id, closed.id, t0(), &seen)
        .await
        .expect("view");
    assert!(first && viewed.viewed_at == Some(t0()));
    let (_, first) = store
        .mark_sales_order_viewed(org.id, c.id, closed.id, t0(), &seen)
        .await
        .expect("again");
    assert!(!first);
    assert!(matches!(
        store
            .mark_sales_order_viewed(org.id, stranger.id, closed.id, t0(), &seen)
            .await,
        Err(StoreError::NotFound(_))
    ));
}
