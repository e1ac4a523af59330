//! Quotes and comments.

use super::fixtures::customer_in;
use super::fixtures::sent_quote;
use rust_decimal::Decimal;
use time::Duration;
use time::macros::date;

use super::fixtures::{email_for, org, t0, usd};
use crate::store::Rule;
use crate::{
    domain::Cursor, domain::Direction, domain::EmailKind, domain::Invoice, domain::InvoiceKind,
    domain::LineItem, domain::NewInvoice, domain::NewQuote, domain::Quote, domain::QuoteDecision,
    domain::QuoteFilter, domain::QuoteId, domain::QuoteQuery, domain::QuoteSort,
    domain::QuoteStatus, domain::Signature, domain::SignatureMark, store::Store, store::StoreError,
};

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
    let c = customer_in(store, &org, usd()).await;
    let stranger = customer_in(store, &org, usd()).await;
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
    store.quotes().create(&draft).await.expect("create");
    assert_eq!(
        store.quotes().get(org.id, draft.id).await.expect("read"),
        draft
    );
    assert!(matches!(
        store.quotes().of_customer(org.id, c.id, draft.id).await,
        Err(StoreError::NotFound(_))
    ));
    let mut dup = draft.clone();
    dup.id = QuoteId::new();
    assert!(matches!(
        store.quotes().create(&dup).await,
        Err(StoreError::Conflict(Rule::QuoteNumber))
    ));
    let mut sent = draft.clone();
    sent.status = QuoteStatus::Sent;
    let sent = store.quotes().update(&sent).await.expect("send");
    assert!(matches!(
        store.quotes().update(&draft).await,
        Err(StoreError::ConcurrentModification(_))
    ));
    assert!(matches!(
        store
            .quotes()
            .of_customer(org.id, stranger.id, sent.id)
            .await,
        Err(StoreError::NotFound(_))
    ));

    let to = crate::domain::Email::parse("owner@example.com").expect("email");
    let note = email_for(org.id, &to, EmailKind::OrgNotification);
    let at = t0() + Duration::hours(2);
    let accepted = store
        .decide_quote(&crate::store::QuoteDecisionRecord {
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
                crate::domain::ActivitySubject::Document(crate::domain::DocumentRef::Quote(
                    QuoteId::new(),
                )),
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
            .quotes()
            .of_customer(org.id, c.id, sent.id)
            .await
            .expect("read"),
        accepted
    );
    // The losing decision (read at the same version) changes nothing and queues nothing.
    let late = email_for(org.id, &to, EmailKind::OrgNotification);
    assert!(matches!(
        store
            .decide_quote(&crate::store::QuoteDecisionRecord {
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
                    crate::domain::ActivitySubject::Document(crate::domain::DocumentRef::Quote(
                        QuoteId::new()
                    )),
                    Some(late.clone())
                )
                .await
            })
            .await,
        Err(StoreError::ConcurrentModification(_))
    ));
    assert!(matches!(
        store
            .decide_quote(&crate::store::QuoteDecisionRecord {
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
                    crate::domain::ActivitySubject::Document(crate::domain::DocumentRef::Quote(
                        QuoteId::new()
                    )),
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
            .decide_quote(&crate::store::QuoteDecisionRecord {
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
                    crate::domain::ActivitySubject::Document(crate::domain::DocumentRef::Quote(
                        QuoteId::new()
                    )),
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
    let c = customer_in(store, &org, usd()).await;
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
        .decide_quote(&crate::store::QuoteDecisionRecord {
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
                crate::domain::ActivitySubject::Document(crate::domain::DocumentRef::Quote(
                    QuoteId::new(),
                )),
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
            .quotes()
            .customer_page(org.id, c.id, &q)
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
                let page = store
                    .quotes()
                    .customer_page(org.id, c.id, &q)
                    .await
                    .expect("page");
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

/// Converting creates the invoice and updates the quote together, or neither (the
/// first view, as every document's, is in `documents`).
pub async fn quote_view_and_conversion(store: &dyn Store) {
    let org = org(store).await;
    let c = customer_in(store, &org, usd()).await;
    let q = sent_quote(
        store,
        &c,
        "V-1",
        2_000,
        date!(2026 - 03 - 01),
        date!(2026 - 03 - 31),
    )
    .await;
    let accepted = store
        .decide_quote(&crate::store::QuoteDecisionRecord {
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
                crate::domain::ActivitySubject::Document(crate::domain::DocumentRef::Quote(
                    QuoteId::new(),
                )),
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
        store.invoices().get(org.id, stale_invoice.id).await,
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
            .invoices()
            .get(org.id, invoice.id)
            .await
            .expect("invoice")
            .total,
        accepted.total
    );
}
