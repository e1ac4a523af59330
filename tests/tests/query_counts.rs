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
        // pool's doing, not the call's.
        if summary
            .0
            .trim_start_matches('"')
            .to_ascii_lowercase()
            .starts_with("pragma")
        {
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

/// Statement counts of the portal's read calls.
async fn measure(
    env: &Env,
    session: &portal_core::PortalSession,
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
    vec![
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
    let (customer, _, session) = env.signed_in(&org, "USD").await;
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
