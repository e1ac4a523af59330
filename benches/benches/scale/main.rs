//! Every portal read against the hand-written SQL that answers it, on a small store
//! (the customer alone) and a big one (the same customer among 1 000 000 other
//! invoices of 10 000 customers in 100 organizations), in one run.
//!
//! `cargo bench -p portal-benches --bench scale` measures SQLite;
//! `scripts/with-postgres cargo bench -p portal-benches --bench scale` measures
//! PostgreSQL too. `PORTAL_SCALE_INVOICES` sets the big store's size (default
//! 1 000 000); `PORTAL_SCALE_ENGINES=postgres` (or `sqlite`) measures one engine;
//! `PORTAL_SCALE_EXPLAIN=1` prints the statement's plans;
//! `PORTAL_SCALE_CALLS=pay-now` measures Pay Now alone (always beside the same
//! writes made by hand, `paying`), and `PORTAL_SCALE_CLIENTS=1,8` with other
//! numbers of clients. Each call is checked against its baseline's answer
//! before it is timed; calls and baselines alternate, and the table shows
//! medians.

use std::sync::Arc;
use std::time::{Duration, Instant};

use portal_core::auth::{HashingCost, PasswordHasherConfig, SecretToken};
use portal_core::domain::PasswordHash;
use portal_core::domain::StatementPeriod;
use portal_core::prelude::*;
use portal_memory::{RecordingMailer, TestGateway};
use portal_sqlx::sqlx::postgres::PgConnectOptions;
use portal_sqlx::sqlx::types::Json;
use portal_sqlx::sqlx::{self, Executor, Pool};
use portal_sqlx::{Engine, PostgresStore, RowsAffected as _, SqlStore, SqliteStore};
use time::OffsetDateTime;
use time::macros::date;
use uuid::Uuid;

mod baseline;
mod bulk;
mod paying;
mod timing;

use baseline::*;
use bulk::*;
use paying::*;
use timing::*;

const FOCAL_INVOICES: usize = 1_000;
const PASSWORD: &str = "scale bench password";
const EMAIL: &str = "payer@example.com";
/// A second contact of the customer whose password hash costs 8 KiB and one pass
/// (below the library's floor, written with SQL): signing in as it measures what
/// sign-in does besides the argon2id verification.
const LIGHT_EMAIL: &str = "light@example.com";
const SLUG: &str = "acme-scale";
const PAGE: u32 = 20;
/// Card payments of 1.00 the customer made through the portal before the bench.
const CARD_HISTORY: usize = 50;

/// The customer everything is measured for, and its ids.
struct Focal {
    portal: Portal,
    token: String,
    session: PortalSession,
    org: Uuid,
    customer: Uuid,
    /// The big invoice the concurrent Pay Now calls pay part of.
    pay_invoice: InvoiceId,
}

/// The portal a host builds over `store`: the test gateway, a recording mailer.
fn portal_over(store: Arc<dyn Backend>, mailer: Arc<RecordingMailer>) -> Portal {
    Portal::builder(store, mailer)
        .with_gateway(Arc::new(TestGateway::new("test")))
        .build()
        .expect("portal")
}

async fn focal(store: Arc<dyn Backend>) -> Focal {
    let mailer = Arc::new(RecordingMailer::new());
    let portal = portal_over(store, mailer.clone());
    let org = portal
        .create_org(NewOrganization {
            name: "Acme".into(),
            slug: PortalSlug::parse(SLUG).expect("slug"),
        })
        .await
        .expect("org");
    let admin = portal.org(org.id);
    let usd = Currency::from_code("USD").expect("usd");
    let email = Email::parse(EMAIL).expect("email");
    let (customer, contacts) = admin
        .customers()
        .create(
            NewCustomer::new("Payer", usd),
            vec![NewContact::new("Pat", "Payer", Some(email))],
        )
        .await
        .expect("customer");
    let start = date!(2024 - 01 - 01);
    for i in 0..FOCAL_INVOICES {
        let issue = start + time::Duration::days(i64::try_from(i).expect("day"));
        let draft = admin
            .invoices()
            .create(
                customer.id,
                NewInvoice {
                    kind: InvoiceKind::Invoice,
                    number: format!("INV-{i:05}"),
                    lines: vec![LineItem::new("Work", Decimal::ONE, Decimal::from(100))],
                    issue_date: issue,
                    due_date: issue + time::Duration::days(30),
                    allow_partial_payments: true,
                    payment_gateways: vec!["test".into()],
                },
            )
            .await
            .expect("invoice");
        admin.invoices().send(draft.id).await.expect("send");
        if i % 3 != 0 {
            admin
                .invoices()
                .record_offline_payment(
                    customer.id,
                    Money::from_minor_units(10_000, usd),
                    "bank transfer",
                    (issue + time::Duration::days(10)).midnight().assume_utc(),
                    &[draft.id],
                )
                .await
                .expect("payment");
        }
    }
    let big = admin
        .invoices()
        .create(
            customer.id,
            NewInvoice {
                kind: InvoiceKind::Invoice,
                number: "BIG-1".into(),
                lines: vec![LineItem::new(
                    "Retainer",
                    Decimal::ONE,
                    Decimal::from(1_000_000),
                )],
                issue_date: date!(2026 - 11 - 01),
                due_date: date!(2027 - 11 - 01),
                allow_partial_payments: true,
                payment_gateways: vec!["test".into()],
            },
        )
        .await
        .expect("big invoice");
    admin.invoices().send(big.id).await.expect("send big");
    admin
        .contacts()
        .enable_access(customer.id, &[contacts[0].id])
        .await
        .expect("invite");
    portal.dispatch_emails(10).await.expect("dispatch");
    let link = mailer.last_link_to(EMAIL, "/invitation/").expect("link");
    let accepted = portal
        .accept_invitation(
            link.rsplit('/').next().expect("token"),
            AcceptInvitation {
                password: PASSWORD.into(),
                password_confirmation: PASSWORD.into(),
                preferences: None,
            },
        )
        .await
        .expect("accept");
    let token = accepted.token.expose().to_owned();
    // The customer has paid by card through the portal before, so the payment
    // attempts have a history when the statistics are gathered, as in any store
    // that takes card payments.
    for n in 0..CARD_HISTORY {
        pay_by_card(&accepted.session, big.id, format!("history-{n}"))
            .await
            .expect("card payment");
    }
    Focal {
        session: accepted.session,
        portal,
        token,
        org: org.id.as_uuid(),
        customer: customer.id.as_uuid(),
        pay_invoice: big.id,
    }
}

struct Report {
    engine: &'static str,
    timings: Vec<(&'static str, Timing)>,
    /// Sign-in besides its hash, small and big store.
    sign_in_work: [Duration; 2],
    pay_now: Vec<PayNow>,
}

/// Pay Now's rate with some clients, beside the same writes made by hand.
struct PayNow {
    clients: usize,
    /// Portal payments per second.
    rate: f64,
    /// Hand-written payments per second.
    by_hand: f64,
    /// Calls refused, portal's and by hand (none expected).
    refused: usize,
}

/// The small store (the customer alone) and the big one (the customer, then the
/// bulk load), opened side by side, measured together.
async fn run<DB: Engine>(
    engine: &'static str,
    open: impl AsyncFn(&str) -> SqlStore<DB>,
    bulk: &Bulk,
    invoices: usize,
) -> Report
where
    SqlStore<DB>: Backend,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
{
    println!("{engine}: the customer's 1 000 invoices and 667 payments, through the portal");
    let started = Instant::now();
    let small_store = open("small").await;
    let small = focal(Arc::new(small_store.clone())).await;
    let big_store = open("big").await;
    let big = focal(Arc::new(big_store.clone())).await;
    println!("  made twice in {:.1} s", started.elapsed().as_secs_f64());
    bulk_load(big_store.pool(), bulk, &big, invoices).await;
    settle(small_store.pool(), bulk).await;
    // Restarted apps over both databases (so that both had their statistics
    // gathered the same way, when their pools opened).
    let reopen = async |f: &mut Focal, name: &str| {
        let store = open(name).await;
        f.portal = portal_over(Arc::new(store.clone()), Arc::new(RecordingMailer::new()));
        f.session = f.portal.session(&f.token).await.expect("session");
        store
    };
    let (mut small, mut big) = (small, big);
    let small_store = reopen(&mut small, "small").await;
    let big_store = reopen(&mut big, "big").await;
    // `PORTAL_SCALE_CALLS=pay-now` measures Pay Now alone.
    let (timings, sign_in_work) = if pay_now_only() {
        (Vec::new(), [Duration::ZERO; 2])
    } else {
        let small_context = Context::new(&small, small_store.pool()).await;
        let big_context = Context::new(&big, big_store.pool()).await;
        let _pinned = OneCpu::pin();
        let timings = measure(&small_context, &big_context).await;
        let sign_in_work = sign_in_work(&small_context, &big_context).await;
        // Pay Now runs its clients on every CPU: the pin ends here.
        (timings, sign_in_work)
    };
    let mut pay_now = Vec::new();
    let hand = Arc::new(HandPay::new(&big, big_store.pool()));
    // `PORTAL_SCALE_CLIENTS=1,8` measures other numbers of clients.
    let clients_list: Vec<usize> = std::env::var("PORTAL_SCALE_CLIENTS").map_or_else(
        |_| vec![8, 32],
        |v| v.split(',').map(|c| c.parse().expect("clients")).collect(),
    );
    for clients in clients_list {
        // The median of three rounds each, the portal's and the hand-written
        // writes' alternating.
        let (mut portal, mut by_hand) = (Vec::new(), Vec::new());
        for _ in 0..3 {
            portal.push(pay_now_rate(&big, clients, Duration::from_secs(3)).await);
            by_hand.push(hand_pay_rate(&hand, clients, Duration::from_secs(3)).await);
        }
        portal.sort_by(|a, b| a.0.total_cmp(&b.0));
        by_hand.sort_by(|a, b| a.0.total_cmp(&b.0));
        pay_now.push(PayNow {
            clients,
            rate: portal[1].0,
            refused: portal[1].1 + by_hand[1].1,
            by_hand: by_hand[1].0,
        });
    }
    Report {
        engine,
        timings,
        sign_in_work,
        pay_now,
    }
}

/// Whether `PORTAL_SCALE_CALLS=pay-now` asks for Pay Now alone.
fn pay_now_only() -> bool {
    std::env::var("PORTAL_SCALE_CALLS").is_ok_and(|v| v == "pay-now")
}

fn print(reports: &[Report]) {
    println!();
    println!(
        "| call | engine | portal small | SQL small | portal / SQL small | portal big | SQL big | portal / SQL big | big / small |"
    );
    println!("|---|---|---|---|---|---|---|---|---|");
    let us = |d: Duration| format!("{:.0} µs", d.as_secs_f64() * 1e6);
    let ratio = |a: Duration, b: Duration| format!("{:.2}x", a.as_secs_f64() / b.as_secs_f64());
    for r in reports {
        for (call, [ps, bs, pb, bb]) in &r.timings {
            println!(
                "| {call} | {} | {} | {} | {} | {} | {} | {} | {} |",
                r.engine,
                us(*ps),
                us(*bs),
                ratio(*ps, *bs),
                us(*pb),
                us(*bb),
                ratio(*pb, *bb),
                ratio(*pb, *ps),
            );
        }
    }
    println!();
    println!(
        "| engine | sign-in besides the hash, small | big | of one argon2id verify (big, SQL column above) |"
    );
    println!("|---|---|---|---|");
    for r in reports {
        let verify = r
            .timings
            .iter()
            .find(|(call, _)| call.starts_with("sign_in"))
            .map(|(_, t)| t[3]);
        let [small, big] = r.sign_in_work;
        let share = verify.map_or_else(String::new, |v| {
            format!("{:.1} %", 100.0 * big.as_secs_f64() / v.as_secs_f64())
        });
        println!("| {} | {} | {} | {share} |", r.engine, us(small), us(big));
    }
    println!();
    println!(
        "| engine | concurrent clients | Pay Now on one invoice, payments/s | the same writes by hand, payments/s | portal / by hand | refused |"
    );
    println!("|---|---|---|---|---|---|");
    for r in reports {
        for p in &r.pay_now {
            println!(
                "| {} | {} | {:.0} | {:.0} | {:.2}x | {} |",
                r.engine,
                p.clients,
                p.rate,
                p.by_hand,
                p.rate / p.by_hand,
                p.refused
            );
        }
    }
}

fn main() {
    let invoices: usize = std::env::var("PORTAL_SCALE_INVOICES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let dir = std::env::temp_dir().join(format!("portal-scale-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let mut reports = Vec::new();
    rt.block_on(async {
        let sqlite = async |name: &str| {
            let url = format!("sqlite://{}", dir.join(format!("{name}.db")).display());
            let s = SqliteStore::connect(&url).await.expect("sqlite");
            s.migrate().await.expect("migrate");
            s
        };
        // `PORTAL_SCALE_ENGINES=postgres` (or `sqlite`) measures one engine only.
        let engines = std::env::var("PORTAL_SCALE_ENGINES").unwrap_or_default();
        if engines.is_empty() || engines.contains("sqlite") {
            reports.push(run("SQLite", sqlite, &LITE_BULK, invoices).await);
            // Deleted now, so that writing back its pages does not compete with
            // the PostgreSQL measurement.
            let _ = std::fs::remove_dir_all(&dir);
        }
        if !engines.is_empty() && !engines.contains("postgres") {
            return;
        }
        let Ok(url) = std::env::var("DATABASE_URL") else {
            println!(
                "DATABASE_URL is not set: PostgreSQL is not measured (run through scripts/with-postgres)"
            );
            return;
        };
        let base: PgConnectOptions = url.parse().expect("DATABASE_URL");
        let admin = PostgresStore::connect_with(base.clone())
            .await
            .expect("postgres");
        for name in ["small", "big"] {
            admin
                .pool()
                .execute(sqlx::AssertSqlSafe(format!(
                    "DROP SCHEMA IF EXISTS scale_{name} CASCADE; CREATE SCHEMA scale_{name}"
                )))
                .await
                .expect("schema");
        }
        let postgres = async |name: &str| {
            let schema = format!("scale_{name}");
            let options = base.clone().options([("search_path", schema.as_str())]);
            let s = PostgresStore::connect_with(options)
                .await
                .expect("postgres");
            s.migrate().await.expect("migrate");
            s
        };
        reports.push(run("PostgreSQL", postgres, &PG_BULK, invoices).await);
    });
    let _ = std::fs::remove_dir_all(&dir);
    print(&reports);
}
