//! Concurrency across app instances: two pools on one database (PostgreSQL and
//! SQLite; two portals over one MemoryStore), one shared gateway, many simultaneous
//! Pay Now calls.

mod common;

use std::sync::Arc;

use portal_core::prelude::*;
use portal_memory::{RecordingMailer, TestGateway, cards};
use portal_sqlx::{PostgresStore, SqliteStore};
use rust_decimal::Decimal;
use time::macros::date;

struct Instances {
    a: Portal,
    b: Portal,
    gateway: Arc<TestGateway>,
    mailer: Arc<RecordingMailer>,
    _file: Option<std::path::PathBuf>,
}

impl Drop for Instances {
    fn drop(&mut self) {
        if let Some(f) = &self._file {
            portal_sqlx::testing::remove_sqlite_files(f);
        }
    }
}

fn instances<S: Backend>(a: Arc<S>, b: Arc<S>, file: Option<std::path::PathBuf>) -> Instances {
    let gateway = Arc::new(TestGateway::new("test"));
    let mailer = Arc::new(RecordingMailer::new());
    let build = |store: Arc<S>| {
        Portal::builder(store, mailer.clone())
            .with_gateway(gateway.clone())
            .build()
            .expect("portal")
    };
    Instances {
        a: build(a),
        b: build(b),
        gateway,
        mailer,
        _file: file,
    }
}

async fn postgres_instances() -> Option<Instances> {
    let options = portal_sqlx::testing::postgres_options().await?;
    let a = PostgresStore::connect_with(options.clone())
        .await
        .expect("a");
    let b = PostgresStore::connect_with(options).await.expect("b");
    Some(instances(Arc::new(a), Arc::new(b), None))
}

async fn memory_instances() -> Instances {
    let store = Arc::new(portal_memory::MemoryStore::new());
    instances(store.clone(), store, None)
}

async fn sqlite_instances() -> Option<Instances> {
    let path = portal_sqlx::testing::sqlite_path();
    let a: SqliteStore = portal_sqlx::testing::sqlite_at(&path).await;
    let b: SqliteStore = portal_sqlx::testing::sqlite_at(&path).await;
    Some(instances(Arc::new(a), Arc::new(b), Some(path)))
}

fn card() -> PaySource {
    PaySource::Card(Box::new(CardDetails {
        number: cards::VISA_OK.into(),
        cvv: "123".into(),
        exp_month: 1,
        exp_year: 2031,
        holder: "P".into(),
        billing_address: portal_core::domain::Address::default(),
        country: "US".into(),
    }))
}

/// An org, a signed-in customer (its session token) and one sent invoice.
async fn setup(
    i: &Instances,
    total_minor: i64,
    partial: bool,
) -> (String, portal_core::domain::InvoiceId) {
    let t = uuid::Uuid::now_v7().simple().to_string();
    let org =
        i.a.create_org(NewOrganization {
            name: "Busy".into(),
            slug: PortalSlug::parse(&format!("busy-{}", &t[t.len() - 10..])).expect("slug"),
        })
        .await
        .expect("org");
    let admin = i.a.org(org.id);
    let email = format!("busy-{}@example.com", &t[t.len() - 10..]);
    let usd = Currency::from_code("USD").expect("usd");
    let (customer, contacts) = admin
        .customers()
        .create(
            NewCustomer::new("Busy Customer", usd),
            vec![NewContact::new(
                "B",
                "",
                Some(Email::parse(&email).expect("email")),
            )],
        )
        .await
        .expect("customer");
    admin
        .contacts()
        .enable_access(customer.id, &[contacts[0].id])
        .await
        .expect("invite");
    i.a.dispatch_emails(10).await.expect("dispatch");
    let link = i.mailer.last_link_to(&email, "/invitation/").expect("link");
    let signed =
        i.a.accept_invitation(
            link.rsplit('/').next().expect("token"),
            AcceptInvitation {
                password: "concurrency is fun".into(),
                password_confirmation: "concurrency is fun".into(),
                preferences: None,
            },
        )
        .await
        .expect("accept");
    let draft = admin
        .invoices()
        .create(
            customer.id,
            NewInvoice {
                kind: InvoiceKind::Invoice,
                number: "BUSY-1".into(),
                lines: vec![LineItem::new(
                    "x",
                    Decimal::ONE,
                    Money::from_minor_units(total_minor, usd).amount(),
                )],
                issue_date: date!(2026 - 04 - 01),
                due_date: date!(2026 - 04 - 30),
                allow_partial_payments: partial,
                payment_gateways: vec!["test".into()],
            },
        )
        .await
        .expect("invoice");
    admin.invoices().send(draft.id).await.expect("send");
    (signed.token.expose().to_owned(), draft.id)
}

async fn hundred_pay_now_calls_with_one_key(i: Instances) {
    let (token, invoice) = setup(&i, 25_000, false).await;
    let mut tasks = Vec::new();
    for n in 0..100 {
        let portal = if n % 2 == 0 { i.a.clone() } else { i.b.clone() };
        let token = token.clone();
        tasks.push(tokio::spawn(async move {
            let session = portal.session(&token).await?;
            session
                .invoices()
                .pay(PayRequest {
                    invoices: InvoiceSelection::Chosen(vec![invoice]),
                    amount: None,
                    source: card(),
                    idempotency_key: "the-one-key-0001".into(),
                })
                .await
        }));
    }
    let mut ok = Vec::new();
    let mut errors = Vec::new();
    for t in tasks {
        match t.await.expect("task") {
            Ok(p) => ok.push(p),
            Err(e) => errors.push(e.code()),
        }
    }
    let session = i.a.session(&token).await.expect("session");
    let payments = session
        .payments()
        .list(None, 100)
        .await
        .expect("payments")
        .items;
    let _ = std::io::Write::write_all(
        &mut std::io::stderr(),
        format!(
            "100 concurrent Pay Now, one key: {} answered with the payment, errors {:?}, gateway calls {}, charges {}, payments {}\n",
            ok.len(),
            errors,
            i.gateway.calls(),
            i.gateway.charge_count(),
            payments.len()
        )
        .as_bytes(),
    );
    assert_eq!(i.gateway.charge_count(), 1, "exactly one charge");
    assert_eq!(payments.len(), 1, "exactly one payment");
    assert!(ok.iter().all(|p| p.id == payments[0].id));
    assert!(errors.iter().all(|c| *c == "payment_pending"), "{errors:?}");
    assert!(!ok.is_empty());
    let inv =
        i.a.session(&token)
            .await
            .expect("s")
            .invoices()
            .get(invoice)
            .await
            .expect("invoice");
    assert!(inv.balance.is_zero());
}

/// `n` concurrent Pay Now calls on one invoice from two app instances, each with
/// its own idempotency key (two tabs, two devices, double submits), paying
/// `amount_minor` each (or the whole balance). Whatever the interleaving, the
/// customer is never charged more than was owed, nothing becomes credit, and a
/// refused attempt never reaches the gateway.
async fn attempts_with_fresh_keys(
    i: &Instances,
    balance: i64,
    n: usize,
    amount_minor: Option<i64>,
) -> usize {
    let (token, invoice) = setup(i, balance, amount_minor.is_some()).await;
    let usd = Currency::from_code("USD").expect("usd");
    let mut tasks = Vec::new();
    for k in 0..n {
        let portal = if k % 2 == 0 { i.a.clone() } else { i.b.clone() };
        let token = token.clone();
        tasks.push(tokio::spawn(async move {
            let session = portal.session(&token).await?;
            session
                .invoices()
                .pay(PayRequest {
                    invoices: InvoiceSelection::Chosen(vec![invoice]),
                    amount: amount_minor.map(|m| Money::from_minor_units(m, usd)),
                    source: card(),
                    idempotency_key: format!("fresh-key-{k:04}"),
                })
                .await
        }));
    }
    let mut paid = 0;
    let mut refused = std::collections::BTreeMap::<&str, u32>::new();
    for t in tasks {
        match t.await.expect("task") {
            Ok(_) => paid += 1,
            Err(e) => *refused.entry(e.code()).or_default() += 1,
        }
    }
    let session = i.a.session(&token).await.expect("session");
    let inv = session.invoices().get(invoice).await.expect("invoice");
    let payments = session
        .payments()
        .list(None, 100)
        .await
        .expect("payments")
        .items;
    let received: i64 = payments
        .iter()
        .map(|p| p.amount.to_minor_units().expect("fits"))
        .sum();
    let credit: i64 = payments
        .iter()
        .map(|p| p.unapplied.to_minor_units().expect("fits"))
        .sum();
    let applied = inv.paid.to_minor_units().expect("fits");
    let _ = std::io::Write::write_all(
        &mut std::io::stderr(),
        format!(
            "{n} concurrent attempts with fresh keys on {balance}: {paid} charged, refused {refused:?}, applied {applied}, credited {credit}, gateway calls {}\n",
            i.gateway.calls()
        )
        .as_bytes(),
    );
    assert!(
        i.gateway.charged_minor_units() <= balance,
        "never charged more than was owed"
    );
    assert_eq!(credit, 0, "no excess became credit");
    assert_eq!(received, applied, "every charged cent is applied");
    assert_eq!(
        i.gateway.charged_minor_units(),
        received,
        "what was charged was recorded"
    );
    assert_eq!(payments.len(), paid);
    assert_eq!(
        i.gateway.calls(),
        u64::try_from(paid).expect("fits"),
        "a refused attempt never reaches the gateway"
    );
    assert!(
        refused.keys().all(|c| matches!(
            *c,
            "payment_in_progress" | "amount_exceeds_balance" | "nothing_to_pay"
        )),
        "{refused:?}"
    );
    paid
}

async fn sixty_four_part_payments_never_charge_more_than_owed(i: Instances) {
    let paid = attempts_with_fresh_keys(&i, 10_000, 64, Some(500)).await;
    assert!((1..=20).contains(&paid), "{paid}");
}

async fn forty_whole_balance_payments_with_fresh_keys_charge_once(i: Instances) {
    let paid = attempts_with_fresh_keys(&i, 14_100, 40, None).await;
    assert_eq!(paid, 1, "one charge of the whole balance");
}

async fn accept_and_decline_at_once(i: Instances) {
    let (token, _) = setup(&i, 1_000, false).await;
    let session = i.a.session(&token).await.expect("session");
    let admin = i.a.org(session.org_id());
    let quote = admin
        .quotes()
        .create(
            session.customer_id(),
            portal_core::domain::NewQuote {
                number: "RACE-Q".into(),
                lines: vec![LineItem::new("x", Decimal::ONE, Decimal::from(100))],
                issue_date: date!(2026 - 01 - 01),
                expiry_date: date!(2099 - 12 - 31),
            },
        )
        .await
        .expect("quote");
    admin.quotes().send(quote.id).await.expect("send");
    let hash = session
        .quotes()
        .get(quote.id)
        .await
        .expect("view")
        .content_hash();
    let mut tasks = Vec::new();
    for n in 0..20 {
        let portal = if n % 2 == 0 { i.a.clone() } else { i.b.clone() };
        let token = token.clone();
        let hash = hash.clone();
        tasks.push(tokio::spawn(async move {
            let session = portal.session(&token).await?;
            if n % 2 == 0 {
                session
                    .quotes()
                    .accept(quote.id, &hash, None)
                    .await
                    .map(|q| q.status)
            } else {
                session
                    .quotes()
                    .decline(quote.id, Some("no"))
                    .await
                    .map(|q| q.status)
            }
        }));
    }
    let mut winners = Vec::new();
    let mut losers = std::collections::BTreeMap::<&str, u32>::new();
    for t in tasks {
        match t.await.expect("task") {
            Ok(status) => winners.push(status),
            Err(e) => *losers.entry(e.code()).or_default() += 1,
        }
    }
    let _ = std::io::Write::write_all(
        &mut std::io::stderr(),
        format!("20 concurrent accept/decline: winners {winners:?}, losers {losers:?}\n")
            .as_bytes(),
    );
    assert_eq!(winners.len(), 1, "exactly one decision wins");
    assert!(
        losers
            .keys()
            .all(|c| matches!(*c, "invalid_state" | "quote_changed")),
        "{losers:?}"
    );
    let final_quote = admin.quotes().get(quote.id).await.expect("quote");
    assert_eq!(final_quote.status, winners[0]);
}

macro_rules! on_every_backend {
    ($($scenario:ident),*) => {
        $(
            mod $scenario {
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn memory() {
                    super::$scenario(super::memory_instances().await).await;
                }

                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn postgres() {
                    if let Some(i) = super::postgres_instances().await {
                        super::$scenario(i).await;
                    }
                }

                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn sqlite() {
                    let i = super::sqlite_instances().await.expect("sqlite");
                    super::$scenario(i).await;
                }
            }
        )*
    };
}

/// Twenty decisions on one timesheet from two app instances; and the same entries
/// sent in ten timesheets at once: one of each wins.
async fn timesheet_decided_and_sent_at_once(i: Instances) {
    let (token, _) = setup(&i, 1_000, false).await;
    let session = i.a.session(&token).await.expect("session");
    let admin = i.a.org(session.org_id());
    admin
        .update_settings(|s| s.preferences.show_projects = true)
        .await
        .expect("projects on");
    let project = admin
        .projects()
        .create(session.customer_id(), "Race", "")
        .await
        .expect("project");
    let task = admin
        .projects()
        .add_task(project.id, "T", true)
        .await
        .expect("task");
    let mut entries = Vec::new();
    for day in 1..=3 {
        entries.push(
            admin
                .projects()
                .log_time(
                    project.id,
                    portal_core::domain::NewTimeEntry {
                        task: task.id,
                        date: date!(2026 - 02 - 01).replace_day(day).expect("day"),
                        minutes: 60,
                        note: String::new(),
                    },
                )
                .await
                .expect("time")
                .id,
        );
    }
    // The same entries sent ten times at once: one timesheet.
    let mut sends = Vec::new();
    for n in 0..10 {
        let portal = if n % 2 == 0 { i.a.clone() } else { i.b.clone() };
        let (org, entries) = (session.org_id(), entries.clone());
        sends.push(tokio::spawn(async move {
            portal
                .org(org)
                .approvals()
                .send(project.id, &format!("Sheet {n}"), &entries)
                .await
        }));
    }
    let mut sent = Vec::new();
    let mut refused = std::collections::BTreeMap::<&str, u32>::new();
    for t in sends {
        match t.await.expect("task") {
            Ok(a) => sent.push(a),
            Err(e) => *refused.entry(e.code()).or_default() += 1,
        }
    }
    assert_eq!(
        sent.len(),
        1,
        "one timesheet holds the entries: {refused:?}"
    );
    assert!(
        refused.keys().all(|c| *c == "time_not_submittable"),
        "{refused:?}"
    );
    let sheet = sent[0].id;
    let mut tasks = Vec::new();
    for n in 0..20 {
        let portal = if n % 2 == 0 { i.a.clone() } else { i.b.clone() };
        let token = token.clone();
        let first = entries[0];
        tasks.push(tokio::spawn(async move {
            let session = portal.session(&token).await?;
            let decision = if n % 2 == 0 {
                portal_core::domain::ApprovalDecision::Approve
            } else {
                portal_core::domain::ApprovalDecision::Dispute {
                    entries: vec![(first, "not ours".into())],
                }
            };
            session
                .approvals()
                .decide(sheet, &decision)
                .await
                .map(|a| a.status)
        }));
    }
    let mut winners = Vec::new();
    let mut losers = std::collections::BTreeMap::<&str, u32>::new();
    for t in tasks {
        match t.await.expect("task") {
            Ok(status) => winners.push(status),
            Err(e) => *losers.entry(e.code()).or_default() += 1,
        }
    }
    let _ = std::io::Write::write_all(
        &mut std::io::stderr(),
        format!(
            "10 concurrent sends: refused {refused:?}; 20 concurrent decisions: winners {winners:?}, losers {losers:?}\n"
        )
        .as_bytes(),
    );
    assert_eq!(winners.len(), 1, "exactly one decision wins");
    assert!(losers.keys().all(|c| *c == "invalid_state"), "{losers:?}");
    let entries_now = admin
        .projects()
        .time_entries(&entries)
        .await
        .expect("entries");
    let expected = if winners[0] == portal_core::domain::ApprovalStatus::Approved {
        vec![portal_core::domain::EntryApproval::Approved; 3]
    } else {
        vec![
            portal_core::domain::EntryApproval::Rejected,
            portal_core::domain::EntryApproval::Approved,
            portal_core::domain::EntryApproval::Approved,
        ]
    };
    assert_eq!(
        entries_now.iter().map(|e| e.approval).collect::<Vec<_>>(),
        expected,
        "the entries follow the winning decision only"
    );
}

on_every_backend!(
    timesheet_decided_and_sent_at_once,
    hundred_pay_now_calls_with_one_key,
    sixty_four_part_payments_never_charge_more_than_owed,
    forty_whole_balance_payments_with_fresh_keys_charge_once,
    accept_and_decline_at_once
);
