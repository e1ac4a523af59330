//! What every kind of customer document does the same in every store, defined
//! once and run for invoices, quotes and sales orders: read back exactly, drafts
//! kept out of the portal, numbers unique per organization, updates checked by
//! version and keeping what an update never changes, the first view marked once
//! with its notice, the customer's documents a keyset page at a time.

use rust_decimal::Decimal;
use time::Duration;
use time::macros::date;

use super::fixtures::{activity_ids, customer_in, email_for, notice, org, t0, usd};
use crate::domain::{
    Customer, CustomerDocument, DocumentQuery, EmailKind, Invoice, InvoiceKind, InvoiceQuery,
    InvoiceStatus, LineItem, Money, NewInvoice, NewQuote, NewSalesOrder, Quote, QuoteQuery,
    QuoteStatus, SalesOrder, SalesOrderQuery, SalesOrderStatus,
};
use crate::store::{Entity, Store, StoreError, StoredDocument};

/// How the shared behaviours make and change a document of one kind.
trait Kind: StoredDocument + PartialEq {
    /// A draft for `customer`, numbered `number`, for `minor` units, dated
    /// `day` days into March 2026.
    fn draft(customer: &Customer, number: &str, minor: i64, day: i64) -> Self;
    /// The document as the organization sends it: visible in the portal.
    fn sent(self) -> Self;
    /// Changes its number (what a versioned update stores).
    fn renumber(&mut self, number: &str);
    /// A list request for every sent document, oldest first.
    fn all() -> Self::Query;
}

fn line(minor: i64) -> Vec<LineItem> {
    vec![LineItem::new(
        "Work",
        Decimal::ONE,
        Money::from_minor_units(minor, usd()).amount(),
    )]
}

fn day(n: i64) -> time::Date {
    date!(2026 - 03 - 01) + Duration::days(n)
}

impl Kind for Invoice {
    fn draft(c: &Customer, number: &str, minor: i64, n: i64) -> Self {
        let new = NewInvoice {
            kind: InvoiceKind::Invoice,
            number: number.into(),
            lines: line(minor),
            issue_date: day(n),
            due_date: day(n + 30),
            allow_partial_payments: false,
            payment_gateways: vec!["card".into()],
        };
        Invoice::draft(c.org, c.id, c.currency, new, t0()).expect("invoice")
    }
    fn sent(mut self) -> Self {
        self.status = InvoiceStatus::Sent;
        self
    }
    fn renumber(&mut self, number: &str) {
        self.number = number.into();
    }
    fn all() -> InvoiceQuery {
        let mut q = InvoiceQuery::new(date!(2026 - 03 - 01));
        q.direction = crate::domain::Direction::Asc;
        q
    }
}

impl Kind for Quote {
    fn draft(c: &Customer, number: &str, minor: i64, n: i64) -> Self {
        let new = NewQuote {
            number: number.into(),
            lines: line(minor),
            issue_date: day(n),
            expiry_date: day(n + 400),
        };
        Quote::draft(c.org, c.id, c.currency, new, t0()).expect("quote")
    }
    fn sent(mut self) -> Self {
        self.status = QuoteStatus::Sent;
        self
    }
    fn renumber(&mut self, number: &str) {
        self.number = number.into();
    }
    fn all() -> QuoteQuery {
        let mut q = QuoteQuery::new(date!(2026 - 03 - 01));
        q.direction = crate::domain::Direction::Asc;
        q
    }
}

impl Kind for SalesOrder {
    fn draft(c: &Customer, number: &str, minor: i64, n: i64) -> Self {
        let new = NewSalesOrder {
            number: number.into(),
            lines: line(minor),
            order_date: day(n),
            shipment_date: None,
        };
        SalesOrder::draft(c.org, c.id, c.currency, new, t0()).expect("sales order")
    }
    fn sent(mut self) -> Self {
        self.status = SalesOrderStatus::Open;
        self
    }
    fn renumber(&mut self, number: &str) {
        self.number = number.into();
    }
    fn all() -> SalesOrderQuery {
        let mut q = SalesOrderQuery::new();
        q.direction = crate::domain::Direction::Asc;
        q
    }
}

fn not_found<T: std::fmt::Debug>(r: Result<T, StoreError>, what: &str) {
    assert!(
        matches!(r, Err(StoreError::NotFound(_))),
        "{what}: expected not found, got {r:?}"
    );
}

/// Read back exactly; a draft is the organization's alone; another organization
/// or customer never reads it; a number is unique in its organization only; a
/// customer of another organization has none.
async fn round_trip_and_scope<D: Kind>(store: &dyn Store) {
    let table = D::table(store);
    let (org_a, org_b) = (org(store).await, org(store).await);
    let c = customer_in(store, &org_a, usd()).await;
    let stranger = customer_in(store, &org_a, usd()).await;
    let foreign = customer_in(store, &org_b, usd()).await;
    let draft = D::draft(&c, "N-1", 12_345, 1);
    table.create(&draft).await.expect("create");
    assert_eq!(table.get(org_a.id, draft.id()).await.expect("read"), draft);
    not_found(table.get(org_b.id, draft.id()).await, "another org");
    not_found(
        table.of_customer(org_a.id, c.id, draft.id()).await,
        "a draft in the portal",
    );
    let sent = table.update(&draft.clone().sent()).await.expect("send");
    assert_eq!(
        table
            .of_customer(org_a.id, c.id, sent.id())
            .await
            .expect("sent"),
        sent
    );
    not_found(
        table.of_customer(org_a.id, stranger.id, sent.id()).await,
        "another customer",
    );
    not_found(
        table.of_customer(org_b.id, c.id, sent.id()).await,
        "another org's customer view",
    );
    let same_number = D::draft(&c, "N-1", 1_000, 2);
    assert!(
        matches!(
            table.create(&same_number).await,
            Err(StoreError::Conflict(rule)) if rule == D::NUMBER
        ),
        "a number taken in the organization"
    );
    table
        .create(&D::draft(&foreign, "N-1", 1_000, 2))
        .await
        .expect("the same number in another organization");
    // Organization B claiming organization A's customer.
    let mut claimed = c.clone();
    claimed.org = org_b.id;
    assert!(matches!(
        table.create(&D::draft(&claimed, "N-3", 1_000, 2)).await,
        Err(StoreError::NotFound(Entity::Customer))
    ));
}

/// An update from the stored version bumps it and keeps what updates never
/// change; one from an older read is refused and changes nothing; a number taken
/// by another document is refused.
async fn update_checks_version<D: Kind>(store: &dyn Store) {
    let table = D::table(store);
    let org = org(store).await;
    let c = customer_in(store, &org, usd()).await;
    let doc = D::draft(&c, "V-1", 5_000, 1);
    table.create(&doc).await.expect("create");
    table
        .create(&D::draft(&c, "V-2", 5_000, 1))
        .await
        .expect("another");
    let mut renumbered = doc.clone();
    renumbered.renumber("V-9");
    let saved = table.update(&renumbered).await.expect("update");
    assert_eq!(saved.version(), doc.version() + 1);
    assert_eq!(saved.number(), "V-9");
    assert_eq!(saved.customer(), c.id);
    let mut stale = doc.clone();
    stale.renumber("V-8");
    assert!(matches!(
        table.update(&stale).await,
        Err(StoreError::ConcurrentModification(_))
    ));
    assert_eq!(table.get(org.id, doc.id()).await.expect("read"), saved);
    let mut taken = saved.clone();
    taken.renumber("V-2");
    assert!(matches!(
        table.update(&taken).await,
        Err(StoreError::Conflict(rule)) if rule == D::NUMBER
    ));
    assert_eq!(table.get(org.id, doc.id()).await.expect("read"), saved);
}

/// The first view marks the document and records its notice (activity and the
/// organization's email); a later view does neither; a draft cannot be viewed,
/// nor another customer's document.
async fn first_view_is_marked_once<D: Kind>(store: &dyn Store) {
    let table = D::table(store);
    let org = org(store).await;
    let c = customer_in(store, &org, usd()).await;
    let draft = D::draft(&c, "F-1", 5_000, 1);
    table.create(&draft).await.expect("create");
    let subject = D::reference(draft.id()).into();
    let owner = crate::domain::Email::parse("owner@example.com").expect("email");
    let email = email_for(org.id, &owner, EmailKind::OrgNotification);
    let first = notice(store, org.id, c.id, subject, Some(email.clone())).await;
    not_found(
        table
            .mark_viewed(org.id, c.id, draft.id(), t0(), &first)
            .await,
        "a draft's view",
    );
    let sent = table.update(&draft.clone().sent()).await.expect("send");
    let at = t0() + Duration::hours(1);
    let (viewed, was_first) = table
        .mark_viewed(org.id, c.id, sent.id(), at, &first)
        .await
        .expect("view");
    assert!(was_first);
    assert_eq!(viewed.viewed_at(), Some(at));
    let second_email = email_for(org.id, &owner, EmailKind::OrgNotification);
    let second = notice(store, org.id, c.id, subject, Some(second_email)).await;
    let (again, was_first) = table
        .mark_viewed(org.id, c.id, sent.id(), at + Duration::hours(1), &second)
        .await
        .expect("view again");
    assert!(!was_first);
    assert_eq!(again.viewed_at(), Some(at), "the first view stays");
    assert_eq!(
        activity_ids(store, org.id, c.id).await,
        vec![first.activity.id],
        "one activity, the first view's"
    );
    let pending = store.pending_emails(org.id, 10).await.expect("pending");
    assert_eq!(
        pending.iter().map(|e| e.id).collect::<Vec<_>>(),
        vec![email.id],
        "one email, the first view's"
    );
    let stranger = customer_in(store, &org, usd()).await;
    let theirs = notice(store, org.id, stranger.id, subject, None).await;
    not_found(
        table
            .mark_viewed(org.id, stranger.id, sent.id(), at, &theirs)
            .await,
        "another customer's view",
    );
    assert!(activity_ids(store, org.id, stranger.id).await.is_empty());
}

/// Five sent documents and a draft, two a page: every sent one once, in order,
/// and the draft never.
async fn pages_by_keyset<D: Kind>(store: &dyn Store) {
    let table = D::table(store);
    let org = org(store).await;
    let c = customer_in(store, &org, usd()).await;
    let other = customer_in(store, &org, usd()).await;
    let mut expected = Vec::new();
    for n in 0..5 {
        let doc = D::draft(&c, &format!("P-{n}"), 1_000 + n, 5 - n);
        table.create(&doc).await.expect("create");
        expected.push(table.update(&doc.sent()).await.expect("send").id());
    }
    table
        .create(&D::draft(&c, "P-draft", 1_000, 9))
        .await
        .expect("draft");
    let theirs = D::draft(&other, "P-other", 1_000, 9);
    table.create(&theirs).await.expect("other");
    table.update(&theirs.sent()).await.expect("send other");
    let mut seen = Vec::new();
    let mut after = None;
    loop {
        let query = D::all().with_page(2, after, date!(2026 - 03 - 01));
        let page = table
            .customer_page(org.id, c.id, &query)
            .await
            .expect("page");
        assert!(page.items.len() <= 2);
        seen.extend(page.items.iter().map(CustomerDocument::id));
        match page.next {
            Some(next) => after = Some(crate::domain::Cursor::decode(&next).expect("cursor")),
            None => break,
        }
    }
    expected.reverse();
    assert_eq!(
        seen, expected,
        "oldest first, each once, no draft, no other's"
    );
}

macro_rules! run_for {
    ($($name:ident => $ty:ty),* $(,)?) => {
        $(
            /// The behaviours every kind of customer document shares, for this kind.
            pub async fn $name(store: &dyn Store) {
                round_trip_and_scope::<$ty>(store).await;
                update_checks_version::<$ty>(store).await;
                first_view_is_marked_once::<$ty>(store).await;
                pages_by_keyset::<$ty>(store).await;
            }
        )*
    };
}

run_for!(
    invoices_behave_as_documents => Invoice,
    quotes_behave_as_documents => Quote,
    sales_orders_behave_as_documents => SalesOrder,
);
