//! Work per portal call does not grow with the customer's documents: the number of
//! SQL statements a call runs is counted from sqlx's statement log, before and after
//! the customer gains fifty more invoices and payments.

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};

use common::backends::{Backend, Env, env};
use portal_core::domain::{Direction, InvoiceSort};
use portal_core::prelude::*;
use rust_decimal::Decimal;
use time::macros::date;
use tracing::Subscriber;
use tracing_subscriber::layer::{Context, Layer, SubscriberExt as _};

static STATEMENTS: AtomicUsize = AtomicUsize::new(0);
static LOG: std::sync::Mutex<Vec<String>> = std::sync::Mutex::new(Vec::new());

struct CountStatements;

/// Reads the statement's summary (its first words) from a sqlx log event.
struct Summary(String);

impl tracing::field::Visit for Summary {
    fn record_str(&mut self, field: &tracing::field::Field, value: &str) {
        if field.name() == "summary" {
            self.0 = value.to_owned();
        }
    }

    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        if field.name() == "summary" {
            self.0 = format!("{value:?}");
        }
    }
}

impl<S: Subscriber> Layer<S> for CountStatements {
    fn on_event(&self, event: &tracing::Event<'_>, _: Context<'_, S>) {
        if event.metadata().target() != "sqlx::query" {
            return;
        }
        let mut summary = Summary(String::new());
        event.record(&mut summary);
        // A connection the pool opens meanwhile runs its setup PRAGMAs: that is the
        // pool's doing, not the call's. Transaction control is not counted either:
        // sqlx logs COMMIT on PostgreSQL only, and BEGIN on neither.
        let first = summary
            .0
            .trim_start_matches('"')
            .split_whitespace()
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        if matches!(first.as_str(), "pragma" | "begin" | "commit" | "rollback") {
            return;
        }
        STATEMENTS.fetch_add(1, Ordering::SeqCst);
        LOG.lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push(summary.0);
    }
}

async fn counted<T>(f: impl std::future::Future<Output = T>) -> (T, usize) {
    let before = STATEMENTS.load(Ordering::SeqCst);
    let out = f.await;
    (out, STATEMENTS.load(Ordering::SeqCst) - before)
}

async fn add_documents(
    env: &Env,
    org: portal_core::domain::OrgId,
    customer: &portal_core::domain::Customer,
    n: usize,
    tag: &str,
    work: Option<(portal_core::domain::ProjectId, portal_core::domain::TaskId)>,
) {
    let admin = env.portal.org(org);
    let usd = customer.currency;
    for i in 0..n {
        let draft = admin
            .invoices()
            .create(
                customer.id,
                NewInvoice {
                    kind: InvoiceKind::Invoice,
                    number: format!("{tag}-{i}"),
                    lines: vec![LineItem::new("x", Decimal::ONE, Decimal::new(10_000, 2))],
                    issue_date: date!(2026 - 04 - 01),
                    due_date: date!(2026 - 04 - 30),
                    allow_partial_payments: true,
                    payment_gateways: vec!["test".into()],
                },
            )
            .await
            .expect("invoice");
        admin.invoices().send(draft.id).await.expect("send");
        admin
            .invoices()
            .record_offline_payment(
                customer.id,
                Money::from_minor_units(2_500, usd),
                "cash",
                portal_core::OffsetDateTime::UNIX_EPOCH + time::Duration::days(20_500),
                &[draft.id],
            )
            .await
            .expect("payment");
        if let Some((project, task)) = work {
            admin
                .projects()
                .log_time(
                    project,
                    portal_core::domain::NewTimeEntry {
                        task,
                        date: date!(2026 - 04 - 01),
                        minutes: 30,
                        note: String::new(),
                    },
                )
                .await
                .expect("time");
        }
        admin
            .files()
            .share(customer.id, &format!("{tag}-{i}.txt"), b"report")
            .await
            .expect("file");
    }
}

/// What a signed-in customer is, for the calls that start from the token or the
/// password.
struct Credentials<'a> {
    token: &'a str,
    slug: &'a str,
    email: &'a str,
}

/// The statements each call runs: the numbers `measure` must find, on both
/// engines (but for [`STATEMENT_ON_POSTGRES`]) and whatever the store holds. A change
/// that adds a round trip to one of these calls fails here and says which.
const EXPECTED: &[(&str, usize)] = &[
    ("session", 1),
    // The organization by its address; then, within it (one shard when the
    // store is distributed by organization), the contact, the email's
    // failures, and the new session.
    ("sign in", 4),
    // The payable invoices read, then the attempt and the payment each in one
    // call: PostgreSQL's one statement that commits on its own, so the
    // invoice's row lock is never held across a round trip to the app;
    // SQLite's few statements in one call within a write transaction.
    ("pay now, part of one invoice", 3),
    ("dashboard", 1),
    ("invoices page", 1),
    ("payments page", 1),
    ("invoice", 1),
    ("credits", 3),
    ("account", 1),
    // The statement: on SQLite its three parts (opening, entries, aging) in
    // one read transaction, and the customer's payments in flight (one indexed
    // read of pending attempts; empty for almost every customer).
    ("statement", 4),
    ("projects page", 1),
    ("project tasks", 2),
    ("project time page", 2),
    ("approvals page", 1),
    ("approval", 1),
    ("approval entries", 2),
    ("files page", 1),
    ("activity page", 1),
];

/// The statement on PostgreSQL: its three parts in one statement (a round trip
/// saved), then the payments in flight.
const STATEMENT_ON_POSTGRES: (&str, usize) = ("statement", 2);

/// Statement counts of the portal's calls: the session, sign-in and Pay Now, then
/// the reads.
async fn measure(
    env: &Env,
    session: &portal_core::PortalSession,
    credentials: &Credentials<'_>,
    invoice: portal_core::domain::InvoiceId,
    (org, customer): (portal_core::domain::OrgId, portal_core::domain::CustomerId),
    project: portal_core::domain::ProjectId,
    approval: portal_core::domain::ApprovalId,
) -> Vec<(&'static str, usize)> {
    let page = portal_core::domain::PageRequest::first(10);
    let admin = env.portal.org(org);
    let mut query = InvoiceQuery::new(date!(2026 - 05 - 04));
    query.sort = InvoiceSort::DueDate;
    query.direction = Direction::Asc;
    query.limit = 10;
    let (paid, pay_now) = counted(session.invoices().pay(PayRequest {
        invoices: InvoiceSelection::Chosen(vec![invoice]),
        amount: Some(Money::from_minor_units(100, session.currency())),
        source: PaySource::Card(Box::new(CardDetails {
            number: portal_memory::cards::VISA_OK.into(),
            cvv: "123".into(),
            exp_month: 1,
            exp_year: 2031,
            holder: "P".into(),
            billing_address: portal_core::domain::Address::default(),
            country: "US".into(),
        })),
        idempotency_key: format!("count-{}", uuid::Uuid::now_v7()),
    }))
    .await;
    paid.expect("pay part of the invoice");
    vec![
        (
            "session",
            counted(env.portal.session(credentials.token)).await.1,
        ),
        (
            "sign in",
            counted(env.portal.sign_in(
                credentials.slug,
                credentials.email,
                "pay me back soon please",
                &portal_core::auth::ClientKey::unknown(),
            ))
            .await
            .1,
        ),
        ("pay now, part of one invoice", pay_now),
        ("dashboard", counted(session.dashboard()).await.1),
        (
            "invoices page",
            counted(session.invoices().list(&query)).await.1,
        ),
        (
            "payments page",
            counted(session.payments().list(None, 10)).await.1,
        ),
        ("invoice", counted(session.invoices().get(invoice)).await.1),
        ("credits", counted(session.credits().list()).await.1),
        ("account", counted(session.account()).await.1),
        (
            "statement",
            counted(session.statement(portal_core::domain::StatementPeriod::ThisYear))
                .await
                .1,
        ),
        (
            "projects page",
            counted(session.projects().list(&page)).await.1,
        ),
        (
            "project tasks",
            counted(session.projects().tasks(project)).await.1,
        ),
        (
            "project time page",
            counted(session.projects().time(project, &page)).await.1,
        ),
        (
            "approvals page",
            counted(session.approvals().list(&[], &page)).await.1,
        ),
        (
            "approval",
            counted(session.approvals().get(approval)).await.1,
        ),
        (
            "approval entries",
            counted(session.approvals().entries(approval)).await.1,
        ),
        ("files page", counted(session.files().list(&page)).await.1),
        (
            "activity page",
            counted(admin.activity(customer, &page)).await.1,
        ),
    ]
}

async fn statements_do_not_grow_with_documents(backend: Backend) {
    let Some(env) = env(backend).await else {
        return;
    };
    let org = env.org().await;
    let admin = env.portal.org(org.id);
    admin
        .update_settings(|s| s.preferences.show_projects = true)
        .await
        .expect("projects on");
    let (customer, contact, session, token) = env.signed_in_with_token(&org, "USD").await;
    let email = contact.email.expect("email").as_str().to_owned();
    let credentials = Credentials {
        token: &token,
        slug: org.slug.as_str(),
        email: &email,
    };
    let project = admin
        .projects()
        .create(customer.id, "Site", "")
        .await
        .expect("project");
    let task = admin
        .projects()
        .add_task(project.id, "Build", true)
        .await
        .expect("task");
    add_documents(&env, org.id, &customer, 3, "A", Some((project.id, task.id))).await;
    let first_entries = admin
        .projects()
        .log_time(
            project.id,
            portal_core::domain::NewTimeEntry {
                task: task.id,
                date: date!(2026 - 04 - 02),
                minutes: 60,
                note: String::new(),
            },
        )
        .await
        .expect("time");
    let approval = admin
        .approvals()
        .send(project.id, "W1", &[first_entries.id])
        .await
        .expect("timesheet");
    session
        .approvals()
        .get(approval.id)
        .await
        .expect("first view done");
    // Another customer's pile must not matter either.
    let (other, _, _) = env.signed_in(&org, "USD").await;
    let first = session
        .invoices()
        .list(&InvoiceQuery::new(date!(2026 - 05 - 04)))
        .await
        .expect("list")
        .items[0]
        .id;
    session
        .invoices()
        .get(first)
        .await
        .expect("first view done");
    let small = measure(
        &env,
        &session,
        &credentials,
        first,
        (org.id, customer.id),
        project.id,
        approval.id,
    )
    .await;
    add_documents(
        &env,
        org.id,
        &customer,
        50,
        "B",
        Some((project.id, task.id)),
    )
    .await;
    add_documents(&env, org.id, &other, 20, "C", None).await;
    let large = measure(
        &env,
        &session,
        &credentials,
        first,
        (org.id, customer.id),
        project.id,
        approval.id,
    )
    .await;
    let _ = std::io::Write::write_all(
        &mut std::io::stderr(),
        format!("{backend:?}: statements per call with 3 documents {small:?}, with 53 {large:?}\n")
            .as_bytes(),
    );
    assert!(
        small.iter().all(|(_, n)| *n > 0),
        "the statement log is counted: {small:?}"
    );
    assert_eq!(
        small, large,
        "statements per call must not grow with documents"
    );
    let expected: Vec<(&str, usize)> = EXPECTED
        .iter()
        .map(|&(call, n)| match backend {
            Backend::Postgres if call == STATEMENT_ON_POSTGRES.0 => STATEMENT_ON_POSTGRES,
            _ => (call, n),
        })
        .collect();
    assert_eq!(
        small, expected,
        "{backend:?}: statements per call (left) against the expected counts (right)"
    );
    let _ = Currency::from_code("USD");
}

#[test]
fn statement_counts_are_constant() {
    tracing::subscriber::set_global_default(tracing_subscriber::registry().with(
        CountStatements.with_filter(tracing_subscriber::filter::filter_fn(|m| {
            m.target() == "sqlx::query"
        })),
    ))
    .expect("the only subscriber in this test binary");
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(statements_do_not_grow_with_documents(Backend::Sqlite));
    rt.block_on(statements_do_not_grow_with_documents(Backend::Postgres));
}
