//! Invoices, payments, credits and the dashboard.

use rust_decimal::Decimal;
use time::macros::date;
use time::{Date, Duration};

use super::fixtures::{email_for, org, t0, usd};
use crate::store::Rule;
use crate::{
    AttemptId, AttemptStart, AttemptStatus, CreditApplication, CreditNote, CreditNoteId,
    CreditSource, Currency, Cursor, Customer, Direction, EmailKind, Invoice, InvoiceEvent,
    InvoiceFilter, InvoiceId, InvoiceKind, InvoiceQuery, InvoiceSort, InvoiceStatus, LineItem,
    Money, NewCustomer, NewInvoice, Organization, PaymentAttempt, PaymentId, PaymentMethod,
    PaymentRecording, Store, StoreError,
};

async fn customer_in(store: &dyn Store, org: &Organization, currency: Currency) -> Customer {
    let customer = Customer::create(org.id, NewCustomer::new("Payer", currency), t0());
    store
        .create_customer(&customer, &[])
        .await
        .expect("customer");
    customer
}

fn cents(minor: i64, currency: Currency) -> Money {
    Money::from_minor_units(minor, currency)
}

/// A sent invoice to make for a customer: `sent("P-1", 5_000)` is one line of
/// 5 000 minor units, issued 2026-02-01 and due 2026-03-01 unless told otherwise,
/// partial payments allowed, payable through the gateway `test`.
pub(crate) struct SentInvoice {
    number: String,
    minor: i64,
    issued: Date,
    due: Date,
}

pub(crate) fn sent(number: &str, minor: i64) -> SentInvoice {
    SentInvoice {
        number: number.into(),
        minor,
        issued: date!(2026 - 02 - 01),
        due: date!(2026 - 03 - 01),
    }
}

impl SentInvoice {
    /// Issued on `day`.
    pub(crate) fn issued(mut self, day: Date) -> Self {
        self.issued = day;
        self
    }

    /// Due on `day`.
    pub(crate) fn due(mut self, day: Date) -> Self {
        self.due = day;
        self
    }

    /// Creates and sends it for `customer`.
    pub(crate) async fn for_customer(self, store: &dyn Store, customer: &Customer) -> Invoice {
        let currency = customer.currency;
        let rate = cents(self.minor, currency).amount();
        let mut inv = Invoice::draft(
            customer.org,
            customer.id,
            currency,
            NewInvoice {
                kind: InvoiceKind::Invoice,
                number: self.number,
                lines: vec![LineItem::new("Work", Decimal::ONE, rate)],
                issue_date: self.issued,
                due_date: self.due,
                allow_partial_payments: true,
                payment_gateways: vec!["test".into()],
            },
            t0(),
        )
        .expect("valid invoice");
        store.create_invoice(&inv).await.expect("create");
        inv.status = inv.status.apply(InvoiceEvent::Send).expect("send");
        store.update_invoice(&inv).await.expect("send")
    }
}

pub(crate) fn recording(
    customer: &Customer,
    minor: i64,
    invoices: &[InvoiceId],
) -> PaymentRecording {
    let id = PaymentId::new();
    PaymentRecording {
        id,
        org: customer.org,
        customer: customer.id,
        receipt_number: format!("R-{}", &id.to_string()[24..]),
        amount: cents(minor, customer.currency),
        method: PaymentMethod::Offline {
            mode: "cash".into(),
        },
        reference: None,
        paid_at: t0() + Duration::hours(1),
        invoices: invoices.to_vec(),
        attempt: None,
        emails: Vec::new(),
        notice: None,
    }
}

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
    store.create_invoice(&draft).await.expect("create");
    assert_eq!(store.invoice(org.id, draft.id).await.expect("read"), draft);
    assert!(matches!(
        store.invoice(other.id, draft.id).await,
        Err(StoreError::NotFound(_))
    ));
    assert!(matches!(
        store.customer_invoice(org.id, customer.id, draft.id).await,
        Err(StoreError::NotFound(_))
    ));
    let mut dup = draft.clone();
    dup.id = InvoiceId::new();
    assert!(matches!(
        store.create_invoice(&dup).await,
        Err(StoreError::Conflict(Rule::InvoiceNumber))
    ));
    // Another organization may use the same number.
    let other_customer = customer_in(store, &other, usd()).await;
    let mut theirs = draft.clone();
    theirs.id = InvoiceId::new();
    theirs.org = other.id;
    theirs.customer = other_customer.id;
    store
        .create_invoice(&theirs)
        .await
        .expect("same number elsewhere");

    draft.status = draft.status.apply(InvoiceEvent::Send).expect("send");
    let sent = store.update_invoice(&draft).await.expect("send");
    assert_eq!(sent.version, draft.version + 1);
    assert!(matches!(
        store.update_invoice(&draft).await,
        Err(StoreError::ConcurrentModification(_))
    ));
    assert_eq!(
        store
            .customer_invoice(org.id, customer.id, sent.id)
            .await
            .expect("visible"),
        sent
    );
    assert!(matches!(
        store.customer_invoice(org.id, stranger.id, sent.id).await,
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
            v.push(store.invoice(org.id, i.id).await.expect("read"));
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
                    .customer_invoices(org.id, customer.id, &query)
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
            .customer_invoices(org.id, customer.id, &q)
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
    let to = crate::Email::parse("owner@example.com").expect("email");
    let note = email_for(org.id, &to, EmailKind::OrgNotification);
    let at = t0() + Duration::minutes(3);
    let subject = crate::ActivitySubject::Invoice(inv.id);
    let first_notice =
        super::fixtures::notice(store, org.id, customer.id, subject, Some(note.clone())).await;
    let (viewed, first) = store
        .mark_invoice_viewed(org.id, customer.id, inv.id, at, &first_notice)
        .await
        .expect("view");
    assert!(first);
    assert_eq!(viewed.viewed_at, Some(at));
    let second_note = email_for(org.id, &to, EmailKind::OrgNotification);
    let second_notice =
        super::fixtures::notice(store, org.id, customer.id, subject, Some(second_note)).await;
    let (again, first) = store
        .mark_invoice_viewed(
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
            .mark_invoice_viewed(org.id, stranger.id, inv.id, at, &theirs)
            .await,
        Err(StoreError::NotFound(_))
    ));
    assert!(
        super::fixtures::activity_ids(store, org.id, stranger.id)
            .await
            .is_empty()
    );
}

/// A payment goes to the oldest due invoice first, never beyond a balance; the rest
/// stays on the payment as credit; statuses follow.
pub async fn payment_allocates_oldest_due_first_and_keeps_excess(store: &dyn Store) {
    let org = org(store).await;
    let customer = customer_in(store, &org, usd()).await;
    let later = sent("P-1", 5_000)
        .due(date!(2026 - 04 - 01))
        .for_customer(store, &customer)
        .await;
    let sooner = sent("P-2", 3_000)
        .issued(date!(2026 - 02 - 15))
        .for_customer(store, &customer)
        .await;
    let r = recording(&customer, 10_000, &[later.id, sooner.id]);
    let payment = store.record_payment(&r).await.expect("record");
    assert_eq!(payment.allocations.len(), 2);
    assert_eq!(payment.allocations[0].invoice, sooner.id);
    assert_eq!(payment.allocations[0].amount, cents(3_000, usd()));
    assert_eq!(payment.allocations[1].amount, cents(5_000, usd()));
    assert_eq!(payment.unapplied, cents(2_000, usd()));
    for id in [later.id, sooner.id] {
        let inv = store.invoice(org.id, id).await.expect("read");
        assert_eq!(inv.status, InvoiceStatus::Paid);
        assert!(inv.balance.is_zero());
        assert_eq!(inv.paid, inv.total);
        assert!(inv.version > later.version);
    }
    assert_eq!(
        store
            .customer_payment(org.id, customer.id, payment.id)
            .await
            .expect("receipt"),
        payment
    );
    // A payment for an invoice that is already paid is all credit.
    let again = store
        .record_payment(&recording(&customer, 700, &[sooner.id]))
        .await
        .expect("record");
    assert!(again.allocations.is_empty());
    assert_eq!(again.unapplied, cents(700, usd()));
    // Naming an invoice twice does not pay it twice.
    let twice = sent("P-4", 1_000)
        .due(date!(2026 - 02 - 02))
        .for_customer(store, &customer)
        .await;
    let doubled = store
        .record_payment(&recording(&customer, 1_500, &[twice.id, twice.id]))
        .await
        .expect("record");
    assert_eq!(doubled.allocations.len(), 1);
    assert_eq!(doubled.unapplied, cents(500, usd()));
    // Another customer's invoice takes nothing.
    let stranger = customer_in(store, &org, usd()).await;
    let theirs = sent("P-3", 1_000)
        .due(date!(2026 - 02 - 02))
        .for_customer(store, &stranger)
        .await;
    let odd = store
        .record_payment(&recording(&customer, 500, &[theirs.id]))
        .await
        .expect("record");
    assert!(odd.allocations.is_empty());
    assert_eq!(
        store
            .invoice(org.id, theirs.id)
            .await
            .expect("read")
            .balance,
        theirs.balance
    );
}

/// An attempt is stored once per key; recording completes it once; failing works
/// only while pending; pending attempts are listed for recovery.
pub async fn payment_attempts_are_idempotent(store: &dyn Store) {
    let org = org(store).await;
    let customer = customer_in(store, &org, usd()).await;
    let inv = sent("A-1", 4_000).for_customer(store, &customer).await;
    let attempt = PaymentAttempt {
        id: AttemptId::new(),
        org: org.id,
        customer: customer.id,
        contact: None,
        idempotency_key: "key-0000001".into(),
        fingerprint: "fp".into(),
        amount: cents(4_000, usd()),
        invoices: vec![inv.id],
        gateway: "test".into(),
        status: AttemptStatus::Pending,
        created_at: t0(),
    };
    assert_eq!(
        store.start_payment_attempt(&attempt).await.expect("start"),
        AttemptStart::Started
    );
    let mut same_key = attempt.clone();
    same_key.id = AttemptId::new();
    same_key.fingerprint = "other".into();
    assert_eq!(
        store.start_payment_attempt(&same_key).await.expect("start"),
        AttemptStart::Existing(Box::new(attempt.clone()))
    );
    let pending = store
        .pending_payment_attempts(t0() + Duration::seconds(1), 1_000)
        .await
        .expect("pending");
    assert!(pending.iter().any(|a| a.id == attempt.id));
    let mut r = recording(&customer, 4_000, &[inv.id]);
    r.attempt = Some(attempt.id);
    let payment = store.record_payment(&r).await.expect("record");
    let mut again = recording(&customer, 4_000, &[inv.id]);
    again.attempt = Some(attempt.id);
    assert!(matches!(
        store.record_payment(&again).await,
        Err(StoreError::Conflict(Rule::PaymentAttempt))
    ));
    assert!(matches!(
        store.customer_payment(org.id, customer.id, again.id).await,
        Err(StoreError::NotFound(_))
    ));
    let stored = store
        .payment_attempt(org.id, "key-0000001")
        .await
        .expect("read");
    assert_eq!(
        stored.status,
        AttemptStatus::Succeeded {
            payment: payment.id
        }
    );
    assert!(matches!(
        store
            .fail_payment_attempt(org.id, attempt.id, "x", "y")
            .await,
        Err(StoreError::Conflict(_))
    ));
    let pending = store
        .pending_payment_attempts(t0() + Duration::seconds(1), 1_000)
        .await
        .expect("pending");
    assert!(!pending.iter().any(|a| a.id == attempt.id));

    let unpaid = sent("A-2", 4_000).for_customer(store, &customer).await;
    let failing = PaymentAttempt {
        id: AttemptId::new(),
        idempotency_key: "key-0000002".into(),
        invoices: vec![unpaid.id],
        ..attempt.clone()
    };
    assert_eq!(
        store.start_payment_attempt(&failing).await.expect("start"),
        AttemptStart::Started
    );
    store
        .fail_payment_attempt(org.id, failing.id, "CP3003", "blocked")
        .await
        .expect("fail");
    assert_eq!(
        store
            .payment_attempt(org.id, "key-0000002")
            .await
            .expect("read")
            .status,
        AttemptStatus::Failed {
            code: "CP3003".into(),
            message: "blocked".into()
        }
    );
    // Keys are per organization.
    let other = super::fixtures::org(store).await;
    assert!(matches!(
        store.payment_attempt(other.id, "key-0000001").await,
        Err(StoreError::NotFound(_))
    ));
}

/// Payments list newest first, by keyset, with their allocations.
pub async fn payments_page_newest_first(store: &dyn Store) {
    let org = org(store).await;
    let customer = customer_in(store, &org, usd()).await;
    let inv = sent("PP-1", 100_000).for_customer(store, &customer).await;
    let mut ids = Vec::new();
    for n in 0..5 {
        let mut r = recording(&customer, 1_000 + n, &[inv.id]);
        r.paid_at = t0() + Duration::minutes(n);
        ids.push(store.record_payment(&r).await.expect("record").id);
    }
    ids.reverse();
    let mut seen = Vec::new();
    let mut after = None;
    loop {
        let page = store
            .customer_payments(org.id, customer.id, after, 2)
            .await
            .expect("page");
        for p in &page.items {
            assert_eq!(p.allocations.len(), 1);
            assert_eq!(p.allocations[0].amount, p.amount);
        }
        seen.extend(page.items.iter().map(|p| p.id));
        match page.next {
            Some(next) => after = Some(Cursor::decode(&next).expect("cursor")),
            None => break,
        }
    }
    assert_eq!(seen, ids);
    let stranger = customer_in(store, &org, usd()).await;
    assert!(
        store
            .customer_payments(org.id, stranger.id, None, 10)
            .await
            .expect("page")
            .items
            .is_empty()
    );
}

/// Credit notes and payment excess are available credit; applying credit moves both
/// balances atomically and never below zero.
pub async fn credits_apply_without_going_negative(store: &dyn Store) {
    let org = org(store).await;
    let customer = customer_in(store, &org, usd()).await;
    let inv = sent("C-1", 10_000).for_customer(store, &customer).await;
    let note = CreditNote {
        id: CreditNoteId::new(),
        org: org.id,
        customer: customer.id,
        number: "CN-1".into(),
        total: cents(3_000, usd()),
        balance: cents(3_000, usd()),
        issue_date: date!(2026 - 02 - 10),
        created_at: t0(),
    };
    store.create_credit_note(&note).await.expect("note");
    let excess = store
        .record_payment(&recording(&customer, 2_000, &[]))
        .await
        .expect("excess");
    let credits = store
        .available_credits(org.id, customer.id)
        .await
        .expect("credits");
    assert_eq!(credits.len(), 2);
    let apply = |source, minor| CreditApplication {
        id: crate::ApplicationId::new(),
        org: org.id,
        customer: customer.id,
        source,
        invoice: inv.id,
        amount: cents(minor, usd()),
        applied_at: t0(),
    };
    let after = store
        .apply_credit(&apply(CreditSource::CreditNote(note.id), 2_500))
        .await
        .expect("apply note");
    assert_eq!(after.balance, cents(7_500, usd()));
    assert_eq!(after.credited, cents(2_500, usd()));
    assert_eq!(after.status, InvoiceStatus::PartiallyPaid);
    assert!(matches!(
        store
            .apply_credit(&apply(CreditSource::CreditNote(note.id), 501))
            .await,
        Err(StoreError::Conflict(Rule::CreditAvailable))
    ));
    store
        .apply_credit(&apply(CreditSource::Payment(excess.id), 2_000))
        .await
        .expect("apply excess");
    let credits = store
        .available_credits(org.id, customer.id)
        .await
        .expect("credits");
    assert_eq!(credits.len(), 1);
    assert_eq!(credits[0].available, cents(500, usd()));
    assert_eq!(
        store.invoice(org.id, inv.id).await.expect("read").balance,
        cents(5_500, usd())
    );
    // Not more than the invoice's balance, and not someone else's credit.
    let big = CreditNote {
        id: CreditNoteId::new(),
        number: "CN-2".into(),
        total: cents(90_000, usd()),
        balance: cents(90_000, usd()),
        ..note.clone()
    };
    store.create_credit_note(&big).await.expect("note");
    assert!(matches!(
        store
            .apply_credit(&apply(CreditSource::CreditNote(big.id), 5_501))
            .await,
        Err(StoreError::Conflict(Rule::InvoiceBalance))
    ));
    let stranger = customer_in(store, &org, usd()).await;
    let mut foreign = apply(CreditSource::CreditNote(big.id), 100);
    foreign.customer = stranger.id;
    assert!(matches!(
        store.apply_credit(&foreign).await,
        Err(StoreError::NotFound(_))
    ));
    let theirs = sent("C-2", 1_000).for_customer(store, &stranger).await;
    let mut wrong_invoice = apply(CreditSource::CreditNote(big.id), 100);
    wrong_invoice.invoice = theirs.id;
    assert!(matches!(
        store.apply_credit(&wrong_invoice).await,
        Err(StoreError::NotFound(_))
    ));
}

/// The dashboard's figures, in the customer's currency, from the store in one pass.
pub async fn dashboard_figures_add_up(store: &dyn Store) {
    let org = org(store).await;
    let jpy = Currency::from_code("JPY").expect("jpy");
    let customer = customer_in(store, &org, jpy).await;
    let empty = store
        .dashboard(org.id, customer.id, date!(2026 - 03 - 20))
        .await
        .expect("empty");
    assert_eq!(empty, crate::DashboardFigures::zero(jpy));
    let overdue = sent("D-1", 10_000)
        .issued(date!(2026 - 01 - 01))
        .due(date!(2026 - 02 - 01))
        .for_customer(store, &customer)
        .await;
    let current = sent("D-2", 4_000)
        .issued(date!(2026 - 03 - 01))
        .due(date!(2026 - 04 - 01))
        .for_customer(store, &customer)
        .await;
    let mut retainer = Invoice::draft(
        org.id,
        customer.id,
        jpy,
        NewInvoice {
            kind: InvoiceKind::Retainer,
            number: "D-R".into(),
            lines: vec![LineItem::new("Advance", Decimal::ONE, Decimal::from(6_000))],
            issue_date: date!(2026 - 03 - 01),
            due_date: date!(2026 - 03 - 05),
            allow_partial_payments: true,
            payment_gateways: vec![],
        },
        t0(),
    )
    .expect("retainer");
    store.create_invoice(&retainer).await.expect("create");
    retainer.status = InvoiceStatus::Sent;
    store.update_invoice(&retainer).await.expect("send");
    let mut first = recording(&customer, 2_500, &[retainer.id]);
    first.paid_at = t0();
    store
        .record_payment(&first)
        .await
        .expect("retainer payment");
    let mut last = recording(&customer, 10_300, &[overdue.id]);
    last.paid_at = t0() + Duration::days(1);
    store
        .record_payment(&last)
        .await
        .expect("payment with excess");
    store
        .create_credit_note(&CreditNote {
            id: CreditNoteId::new(),
            org: org.id,
            customer: customer.id,
            number: "D-CN".into(),
            total: cents(1_000, jpy),
            balance: cents(1_000, jpy),
            issue_date: date!(2026 - 03 - 02),
            created_at: t0(),
        })
        .await
        .expect("note");
    let f = store
        .dashboard(org.id, customer.id, date!(2026 - 03 - 20))
        .await
        .expect("dashboard");
    assert_eq!(
        f.outstanding_invoices,
        cents(4_000, jpy),
        "only D-2 is unpaid"
    );
    assert_eq!(f.overdue_invoices, cents(0, jpy));
    assert_eq!(
        f.available_credits,
        cents(1_300, jpy),
        "300 excess + 1000 credit note"
    );
    assert_eq!(f.outstanding_retainers, cents(3_500, jpy));
    assert_eq!(f.available_retainer_payments, cents(2_500, jpy));
    assert_eq!(
        f.last_payment,
        Some((cents(10_300, jpy), t0() + Duration::days(1)))
    );
    let later = store
        .dashboard(org.id, customer.id, date!(2026 - 04 - 02))
        .await
        .expect("later");
    assert_eq!(later.overdue_invoices, cents(4_000, jpy));
    let _ = current;
    let other = super::fixtures::org(store).await;
    assert!(matches!(
        store
            .dashboard(other.id, customer.id, date!(2026 - 03 - 20))
            .await,
        Err(StoreError::NotFound(_))
    ));
}

/// Saved payment methods read back exactly, belong to one customer, update by
/// version and delete.
pub async fn saved_payment_methods_are_scoped(store: &dyn Store) {
    let org = org(store).await;
    let customer = customer_in(store, &org, usd()).await;
    let stranger = customer_in(store, &org, usd()).await;
    let method = crate::SavedPaymentMethod {
        id: crate::SavedMethodId::new(),
        org: org.id,
        customer: customer.id,
        gateway: "test".into(),
        token: "pm_test_abc".into(),
        method: PaymentMethod::Card {
            brand: "visa".into(),
            last4: "4242".into(),
        },
        exp_month: Some(12),
        exp_year: Some(2030),
        billing_address: crate::Address {
            city: "Lisbon".into(),
            ..crate::Address::default()
        },
        created_at: t0(),
        version: 1,
    };
    store.save_payment_method(&method).await.expect("save");
    assert_eq!(
        store
            .payment_methods(org.id, customer.id)
            .await
            .expect("list"),
        vec![method.clone()]
    );
    assert!(
        store
            .payment_methods(org.id, stranger.id)
            .await
            .expect("list")
            .is_empty()
    );
    assert!(matches!(
        store.payment_method(org.id, stranger.id, method.id).await,
        Err(StoreError::NotFound(_))
    ));
    let mut edit = method.clone();
    edit.exp_year = Some(2031);
    edit.token = "ignored".into();
    let saved = store.update_payment_method(&edit).await.expect("update");
    assert_eq!(saved.exp_year, Some(2031));
    assert_eq!(saved.token, "pm_test_abc", "only expiry and address change");
    assert!(matches!(
        store.update_payment_method(&edit).await,
        Err(StoreError::ConcurrentModification(_))
    ));
    assert!(matches!(
        store
            .delete_payment_method(org.id, stranger.id, method.id)
            .await,
        Err(StoreError::NotFound(_))
    ));
    store
        .delete_payment_method(org.id, customer.id, method.id)
        .await
        .expect("delete");
    assert!(
        store
            .payment_methods(org.id, customer.id)
            .await
            .expect("list")
            .is_empty()
    );
}

/// A refund comes out of available credit, never more than there is.
pub async fn refunds_reduce_credit(store: &dyn Store) {
    let org = org(store).await;
    let customer = customer_in(store, &org, usd()).await;
    let stranger = customer_in(store, &org, usd()).await;
    let note = CreditNote {
        id: CreditNoteId::new(),
        org: org.id,
        customer: customer.id,
        number: "RF-CN".into(),
        total: cents(3_000, usd()),
        balance: cents(3_000, usd()),
        issue_date: date!(2026 - 02 - 10),
        created_at: t0(),
    };
    store.create_credit_note(&note).await.expect("note");
    let excess = store
        .record_payment(&recording(&customer, 1_000, &[]))
        .await
        .expect("excess");
    let refund = |source, minor, minutes| crate::Refund {
        id: crate::RefundId::new(),
        org: org.id,
        customer: customer.id,
        source,
        amount: cents(minor, usd()),
        mode: "transfer".into(),
        refunded_at: t0() + Duration::minutes(minutes),
    };
    let first = refund(CreditSource::CreditNote(note.id), 2_000, 1);
    store.record_refund(&first).await.expect("refund note");
    assert!(matches!(
        store
            .record_refund(&refund(CreditSource::CreditNote(note.id), 1_001, 2))
            .await,
        Err(StoreError::Conflict(Rule::CreditAvailable))
    ));
    let second = refund(CreditSource::Payment(excess.id), 1_000, 3);
    store.record_refund(&second).await.expect("refund excess");
    let credits = store
        .available_credits(org.id, customer.id)
        .await
        .expect("credits");
    assert_eq!(credits.len(), 1);
    assert_eq!(credits[0].available, cents(1_000, usd()));
    assert_eq!(
        store
            .customer_refunds(org.id, customer.id)
            .await
            .expect("list"),
        vec![second, first]
    );
    let mut foreign = refund(CreditSource::CreditNote(note.id), 100, 4);
    foreign.customer = stranger.id;
    assert!(matches!(
        store.record_refund(&foreign).await,
        Err(StoreError::NotFound(_))
    ));
    assert!(
        store
            .customer_refunds(org.id, stranger.id)
            .await
            .expect("list")
            .is_empty()
    );
    let f = store
        .dashboard(org.id, customer.id, date!(2026 - 03 - 01))
        .await
        .expect("dashboard");
    assert_eq!(f.available_credits, cents(1_000, usd()));
}

/// What was paid on a retainer invoice is available to settle regular invoices, once.
pub async fn retainer_balance_settles_other_invoices(store: &dyn Store) {
    let org = org(store).await;
    let customer = customer_in(store, &org, usd()).await;
    let mut retainer = Invoice::draft(
        org.id,
        customer.id,
        usd(),
        NewInvoice {
            kind: InvoiceKind::Retainer,
            number: "RET-1".into(),
            lines: vec![LineItem::new("Advance", Decimal::ONE, Decimal::from(50))],
            issue_date: date!(2026 - 02 - 01),
            due_date: date!(2026 - 02 - 10),
            allow_partial_payments: true,
            payment_gateways: vec![],
        },
        t0(),
    )
    .expect("retainer");
    store.create_invoice(&retainer).await.expect("create");
    retainer.status = InvoiceStatus::Sent;
    store.update_invoice(&retainer).await.expect("send");
    store
        .record_payment(&recording(&customer, 4_000, &[retainer.id]))
        .await
        .expect("advance paid");
    let inv = sent("RET-USE", 3_000)
        .issued(date!(2026 - 03 - 01))
        .due(date!(2026 - 03 - 31))
        .for_customer(store, &customer)
        .await;
    let credits = store
        .available_credits(org.id, customer.id)
        .await
        .expect("credits");
    assert_eq!(credits.len(), 1);
    assert_eq!(credits[0].source, CreditSource::Retainer(retainer.id));
    assert_eq!(credits[0].available, cents(4_000, usd()));
    let apply = |invoice, minor| CreditApplication {
        id: crate::ApplicationId::new(),
        org: org.id,
        customer: customer.id,
        source: CreditSource::Retainer(retainer.id),
        invoice,
        amount: cents(minor, usd()),
        applied_at: t0(),
    };
    // Not onto a retainer invoice (itself included): retainers are paid, not credited.
    assert!(matches!(
        store.apply_credit(&apply(retainer.id, 100)).await,
        Err(StoreError::Conflict(Rule::InvoiceBalance))
    ));
    let after = store
        .apply_credit(&apply(inv.id, 3_000))
        .await
        .expect("apply");
    assert_eq!(after.status, InvoiceStatus::Paid);
    let held = store.invoice(org.id, retainer.id).await.expect("retainer");
    assert_eq!(held.drawn, cents(3_000, usd()));
    assert_eq!(
        held.retainer_available().expect("fits"),
        cents(1_000, usd())
    );
    let f = store
        .dashboard(org.id, customer.id, date!(2026 - 03 - 05))
        .await
        .expect("dashboard");
    assert_eq!(f.available_retainer_payments, cents(1_000, usd()));
    let second = sent("RET-USE-2", 5_000)
        .issued(date!(2026 - 03 - 01))
        .due(date!(2026 - 03 - 31))
        .for_customer(store, &customer)
        .await;
    assert!(matches!(
        store.apply_credit(&apply(second.id, 1_001)).await,
        Err(StoreError::Conflict(Rule::CreditAvailable))
    ));
    let refund = crate::Refund {
        id: crate::RefundId::new(),
        org: org.id,
        customer: customer.id,
        source: CreditSource::Retainer(retainer.id),
        amount: cents(1_000, usd()),
        mode: "transfer".into(),
        refunded_at: t0(),
    };
    store.record_refund(&refund).await.expect("refund the rest");
    assert!(
        store
            .available_credits(org.id, customer.id)
            .await
            .expect("credits")
            .is_empty()
    );
    assert_eq!(
        store
            .customer_refunds(org.id, customer.id)
            .await
            .expect("refunds"),
        vec![refund]
    );
}

/// The statement lists every entry in order with running balances; ranges chain
/// (one's closing is the next one's opening, a day's entries never split); the
/// full-history closing matches the dashboard; aging is as of the end date.
pub async fn statement_of_account_adds_up(store: &dyn Store) {
    use crate::StatementEntryKind as K;
    let org = org(store).await;
    let customer = customer_in(store, &org, usd()).await;
    let at = |d: time::Date, h: u8| d.with_hms(h, 0, 0).expect("time").assume_utc();
    let jan = sent("S-1", 10_000)
        .issued(date!(2026 - 01 - 05))
        .due(date!(2026 - 01 - 20))
        .for_customer(store, &customer)
        .await;
    let feb = sent("S-2", 4_000).for_customer(store, &customer).await;
    let mut pay = recording(&customer, 12_000, &[jan.id]);
    pay.paid_at = at(date!(2026 - 02 - 01), 15);
    let payment = store
        .record_payment(&pay)
        .await
        .expect("pay jan, 20.00 excess");
    let note = CreditNote {
        id: CreditNoteId::new(),
        org: org.id,
        customer: customer.id,
        number: "S-CN".into(),
        total: cents(1_500, usd()),
        balance: cents(1_500, usd()),
        issue_date: date!(2026 - 02 - 10),
        created_at: t0(),
    };
    store.create_credit_note(&note).await.expect("note");
    store
        .apply_credit(&CreditApplication {
            id: crate::ApplicationId::new(),
            org: org.id,
            customer: customer.id,
            source: CreditSource::Payment(payment.id),
            invoice: feb.id,
            amount: cents(2_000, usd()),
            applied_at: at(date!(2026 - 02 - 20), 9),
        })
        .await
        .expect("apply excess");
    store
        .record_refund(&crate::Refund {
            id: crate::RefundId::new(),
            org: org.id,
            customer: customer.id,
            source: CreditSource::CreditNote(note.id),
            amount: cents(500, usd()),
            mode: "transfer".into(),
            refunded_at: at(date!(2026 - 03 - 02), 10),
        })
        .await
        .expect("refund");
    let all = store
        .statement(
            org.id,
            customer.id,
            date!(2026 - 01 - 01),
            date!(2026 - 03 - 31),
        )
        .await
        .expect("statement");
    let rows: Vec<(K, &str, i64, i64)> = all
        .entries
        .iter()
        .map(|e| {
            (
                e.kind,
                e.number.as_str(),
                e.amount.to_minor_units().expect("fits"),
                e.balance.to_minor_units().expect("fits"),
            )
        })
        .collect();
    let receipt = payment.receipt_number.as_str();
    assert_eq!(
        rows,
        vec![
            (K::Invoice, "S-1", 10_000, 10_000),
            (K::Invoice, "S-2", 4_000, 14_000),
            (K::Payment, receipt, -12_000, 2_000),
            (K::CreditNote, "S-CN", -1_500, 500),
            (K::Refund, "transfer", 500, 1_000),
        ]
    );
    assert!(all.opening.is_zero());
    assert_eq!(all.closing, cents(1_000, usd()));
    // Ranges chain, and a day's entries stay together.
    let first = store
        .statement(
            org.id,
            customer.id,
            date!(2026 - 01 - 01),
            date!(2026 - 01 - 31),
        )
        .await
        .expect("january");
    let second = store
        .statement(
            org.id,
            customer.id,
            date!(2026 - 02 - 01),
            date!(2026 - 02 - 01),
        )
        .await
        .expect("one day");
    assert_eq!(first.closing, cents(10_000, usd()));
    assert_eq!(second.opening, first.closing);
    assert_eq!(
        second.entries.len(),
        2,
        "the invoice and the payment of 1 February"
    );
    assert_eq!(second.closing, cents(2_000, usd()));
    let rest = store
        .statement(
            org.id,
            customer.id,
            date!(2026 - 02 - 02),
            date!(2026 - 03 - 31),
        )
        .await
        .expect("rest");
    assert_eq!(rest.opening, second.closing);
    assert_eq!(rest.closing, all.closing);
    // The full history's closing is what the dashboard says.
    let today = date!(2026 - 03 - 31);
    let d = store
        .dashboard(org.id, customer.id, today)
        .await
        .expect("dashboard");
    let owed = d
        .outstanding_invoices
        .checked_sub(&d.available_credits)
        .and_then(|m| m.checked_sub(&d.available_retainer_payments))
        .expect("same currency");
    assert_eq!(all.closing, owed);
    // Aging at 15 February: S-1 paid; S-2 (due 1 March) current with 40.00.
    let mid = store
        .statement(
            org.id,
            customer.id,
            date!(2026 - 02 - 01),
            date!(2026 - 02 - 15),
        )
        .await
        .expect("mid");
    assert_eq!(mid.aging.current, cents(4_000, usd()));
    assert!(mid.aging.days_1_30.is_zero() && mid.aging.over_90.is_zero());
    // At 20 January S-1 was due that day and unpaid; at 31 March S-2 owed 20.00, 30 days late.
    let jan_end = store
        .statement(
            org.id,
            customer.id,
            date!(2026 - 01 - 01),
            date!(2026 - 01 - 20),
        )
        .await
        .expect("jan");
    assert_eq!(jan_end.aging.current, cents(10_000, usd()));
    assert_eq!(all.aging.days_1_30, cents(2_000, usd()));
    let stranger = customer_in(store, &org, usd()).await;
    let empty = store
        .statement(
            org.id,
            stranger.id,
            date!(2026 - 01 - 01),
            date!(2026 - 03 - 31),
        )
        .await
        .expect("empty");
    assert!(empty.entries.is_empty() && empty.closing.is_zero());
    let other = super::fixtures::org(store).await;
    assert!(matches!(
        store
            .statement(other.id, customer.id, date!(2026 - 01 - 01), today)
            .await,
        Err(StoreError::NotFound(_))
    ));
}

/// What a customer's documents add up to counts every invoice (drafts too), payment,
/// credit note and refund, and only the customer's own. Sums stay exact with
/// documents at the per-document ceiling: the dashboard, the statement and the
/// turnover of a customer with twenty of them (2 × 10^16 minor units together).
pub async fn customer_turnover_and_sums_at_the_ceiling(store: &dyn Store) {
    use crate::MAX_AMOUNT_MINOR_UNITS as MAX;
    let org = org(store).await;
    let customer = customer_in(store, &org, usd()).await;
    let neighbour = customer_in(store, &org, usd()).await;
    assert_eq!(
        store
            .customer_turnover(org.id, customer.id)
            .await
            .expect("empty"),
        cents(0, usd())
    );
    let issued = date!(2026 - 01 - 05);
    let due = date!(2026 - 02 - 05);
    let mut invoices = Vec::new();
    for n in 0..10 {
        invoices.push(
            sent(&format!("MAX-{n}"), MAX)
                .issued(issued)
                .due(due)
                .for_customer(store, &customer)
                .await,
        );
    }
    sent("N-1", 777)
        .issued(issued)
        .due(due)
        .for_customer(store, &neighbour)
        .await;
    let mut paid = recording(&customer, MAX, &[invoices[0].id]);
    paid.paid_at = t0();
    store.record_payment(&paid).await.expect("pay one in full");
    for n in 0..8 {
        let mut excess = recording(&customer, MAX, &[]);
        excess.paid_at = t0() + Duration::minutes(n);
        store.record_payment(&excess).await.expect("unallocated");
    }
    store
        .create_credit_note(&CreditNote {
            id: CreditNoteId::new(),
            org: org.id,
            customer: customer.id,
            number: "MAX-CN".into(),
            total: cents(MAX, usd()),
            balance: cents(MAX, usd()),
            issue_date: date!(2026 - 01 - 06),
            created_at: t0(),
        })
        .await
        .expect("note");
    let turnover = store
        .customer_turnover(org.id, customer.id)
        .await
        .expect("turnover");
    assert_eq!(turnover, cents(20 * MAX, usd()));
    let f = store
        .dashboard(org.id, customer.id, date!(2026 - 03 - 01))
        .await
        .expect("dashboard");
    assert_eq!(f.outstanding_invoices, cents(9 * MAX, usd()));
    assert_eq!(f.overdue_invoices, cents(9 * MAX, usd()));
    assert_eq!(f.available_credits, cents(9 * MAX, usd()));
    let statement = store
        .statement(
            org.id,
            customer.id,
            date!(2025 - 01 - 01),
            date!(2026 - 12 - 31),
        )
        .await
        .expect("statement");
    assert_eq!(statement.entries.len(), 20);
    assert_eq!(statement.closing, cents(0, usd()));
    assert_eq!(
        statement.aging.over_90,
        cents(9 * MAX, usd()),
        "nine invoices still owe in full; the excess payments are credit"
    );
    let peak = statement
        .entries
        .iter()
        .map(|e| e.balance.to_minor_units().expect("fits"))
        .max();
    assert_eq!(
        peak,
        Some(10 * MAX),
        "ten invoices, then payments and the note"
    );
    assert_eq!(
        store
            .customer_turnover(org.id, neighbour.id)
            .await
            .expect("neighbour"),
        cents(777, usd())
    );
    let other = super::fixtures::org(store).await;
    assert!(matches!(
        store.customer_turnover(other.id, customer.id).await,
        Err(StoreError::NotFound(_))
    ));
}

/// A pending attempt holds what it will apply; another attempt for more than the
/// unreserved balance is not stored. Failing an attempt or recording its payment
/// releases what it held.
pub async fn payment_attempts_reserve_what_they_apply(store: &dyn Store) {
    use crate::ReservationRefusal;
    let org = org(store).await;
    let customer = customer_in(store, &org, usd()).await;
    let stranger = customer_in(store, &org, usd()).await;
    let inv = sent("RES-1", 10_000).for_customer(store, &customer).await;
    let theirs = sent("RES-2", 10_000).for_customer(store, &stranger).await;
    let attempt = |key: &str, minor: i64, invoices: Vec<InvoiceId>| PaymentAttempt {
        id: AttemptId::new(),
        org: org.id,
        customer: customer.id,
        contact: None,
        idempotency_key: format!("reserve-{key}"),
        fingerprint: key.into(),
        amount: cents(minor, usd()),
        invoices,
        gateway: "test".into(),
        status: AttemptStatus::Pending,
        created_at: t0(),
    };
    let start =
        |a: PaymentAttempt| async move { store.start_payment_attempt(&a).await.expect("start") };
    let a = attempt("a", 6_000, vec![inv.id]);
    assert_eq!(start(a.clone()).await, AttemptStart::Started);
    let in_progress = AttemptStart::Refused(ReservationRefusal::InProgress);
    assert_eq!(start(attempt("b", 5_000, vec![inv.id])).await, in_progress);
    assert!(
        matches!(
            store.payment_attempt(org.id, "reserve-b").await,
            Err(StoreError::NotFound(_))
        ),
        "a refused attempt is not stored"
    );
    let c = attempt("c", 4_000, vec![inv.id]);
    assert_eq!(start(c.clone()).await, AttemptStart::Started);
    assert_eq!(start(attempt("d", 1, vec![inv.id])).await, in_progress);
    // The same key is answered with its attempt, whatever is reserved.
    assert_eq!(
        start(attempt("a", 6_000, vec![inv.id])).await,
        AttemptStart::Existing(Box::new(a.clone()))
    );
    // Failing A releases its 60.00.
    store
        .fail_payment_attempt(org.id, a.id, "card_declined", "declined")
        .await
        .expect("fail");
    let e = attempt("e", 6_000, vec![inv.id]);
    assert_eq!(start(e.clone()).await, AttemptStart::Started);
    // Recording C's payment releases its hold and lowers the balance to 60.00,
    // all of which E holds.
    let mut paid = recording(&customer, 4_000, &[inv.id]);
    paid.attempt = Some(c.id);
    store.record_payment(&paid).await.expect("record");
    assert_eq!(start(attempt("f", 1, vec![inv.id])).await, in_progress);
    store
        .fail_payment_attempt(org.id, e.id, "not_charged", "not charged")
        .await
        .expect("fail");
    assert_eq!(
        start(attempt("g", 6_001, vec![inv.id])).await,
        AttemptStart::Refused(ReservationRefusal::ExceedsBalance {
            available: cents(6_000, usd())
        })
    );
    // Another customer's invoice is nothing to pay for this customer.
    assert_eq!(
        start(attempt("h", 100, vec![theirs.id])).await,
        AttemptStart::Refused(ReservationRefusal::ExceedsBalance {
            available: cents(0, usd())
        })
    );
    // Several invoices: the amount is held oldest due first, like a payment.
    let older = sent("RES-0", 2_000)
        .issued(date!(2026 - 01 - 01))
        .due(date!(2026 - 01 - 15))
        .for_customer(store, &customer)
        .await;
    let both = attempt("i", 8_000, vec![inv.id, older.id]);
    assert_eq!(start(both).await, AttemptStart::Started);
    assert_eq!(start(attempt("j", 1, vec![older.id])).await, in_progress);
    assert_eq!(start(attempt("k", 1, vec![inv.id])).await, in_progress);
}
