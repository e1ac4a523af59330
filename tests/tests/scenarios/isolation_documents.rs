//! Tenancy of every document on every backend: two organizations × several
//! customers, each with invoices, quotes, payments, comments, a sales order, a
//! project with a timesheet approval, shared files and activity; no portal call
//! returns or changes another customer's record, no org reaches another org's, and a
//! foreign id answers exactly like an unknown one (not_found, never forbidden).

use crate::common;

use common::backends::{Backend, Env, env};
use common::timesheets::{Timesheet, pending_timesheet};
use portal_core::domain::{
    ApprovalDecision, ApprovalId, CommentTarget, DocumentRef, FileId, NewQuote, NewSalesOrder,
    PaymentId, ProjectId, QuoteId, QuoteQuery, SalesOrderEvent, SalesOrderId, SalesOrderQuery,
};
use portal_core::prelude::*;
use portal_memory::cards;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use rust_decimal::Decimal;
use time::macros::date;

struct Holder {
    org: OrgId,
    customer: Customer,
    session: PortalSession,
    invoice: InvoiceId,
    quote: QuoteId,
    payment: PaymentId,
    sales_order: SalesOrderId,
    project: ProjectId,
    approval: ApprovalId,
    shared: FileId,
    upload: FileId,
}

fn card() -> PaySource {
    PaySource::Card(Box::new(CardDetails {
        number: cards::VISA_OK.into(),
        cvv: "123".into(),
        exp_month: 1,
        exp_year: 2031,
        holder: "H".into(),
        billing_address: portal_core::domain::Address::default(),
        country: "US".into(),
    }))
}

async fn holder(env: &Env, org: &portal_core::domain::Organization, n: usize) -> Holder {
    let (customer, _, session) = env.signed_in(org, "USD").await;
    let admin = env.portal.org(org.id);
    let usd = customer.currency;
    let mut ids = Vec::new();
    for k in 0..2 {
        let draft = admin
            .invoices()
            .create(
                customer.id,
                NewInvoice {
                    kind: InvoiceKind::Invoice,
                    number: format!("I-{}-{n}-{k}", customer.id),
                    lines: vec![LineItem::new("x", Decimal::ONE, Decimal::from(100))],
                    issue_date: date!(2026 - 04 - 01),
                    due_date: date!(2026 - 04 - 30),
                    allow_partial_payments: true,
                    payment_gateways: vec!["test".into()],
                },
            )
            .await
            .expect("invoice");
        admin.invoices().send(draft.id).await.expect("send");
        ids.push(draft.id);
    }
    let quote = admin
        .quotes()
        .create(
            customer.id,
            NewQuote {
                number: format!("Q-{}-{n}", customer.id),
                lines: vec![LineItem::new("x", Decimal::ONE, Decimal::from(50))],
                issue_date: date!(2026 - 04 - 01),
                expiry_date: date!(2099 - 01 - 01),
            },
        )
        .await
        .expect("quote");
    admin.quotes().send(quote.id).await.expect("send quote");
    let payment = session
        .invoices()
        .pay(PayRequest {
            invoices: InvoiceSelection::Chosen(vec![ids[0]]),
            amount: Some(Money::from_minor_units(2_000, usd)),
            source: card(),
            idempotency_key: format!("iso-{}", customer.id),
        })
        .await
        .expect("pay");
    admin
        .credits()
        .create_note(
            customer.id,
            &format!("CN-{}", customer.id),
            Money::from_minor_units(500, usd),
            date!(2026 - 04 - 02),
        )
        .await
        .expect("note");
    session
        .comments()
        .add(
            CommentTarget::Document(portal_core::domain::DocumentRef::Quote(quote.id)),
            "mine",
        )
        .await
        .expect("comment");
    let order = admin
        .sales_orders()
        .create(
            customer.id,
            NewSalesOrder {
                number: format!("SO-{}-{n}", customer.id),
                lines: vec![LineItem::new("x", Decimal::ONE, Decimal::from(10))],
                order_date: date!(2026 - 04 - 01),
                shipment_date: None,
            },
        )
        .await
        .expect("order");
    admin
        .sales_orders()
        .move_to(order.id, SalesOrderEvent::Open)
        .await
        .expect("open");
    let Timesheet {
        project,
        task: _,
        entry: _,
        approval,
    } = pending_timesheet(
        admin,
        customer.id,
        (&format!("P{n}"), "W"),
        date!(2026 - 04 - 02),
        60,
    )
    .await;
    let shared = admin
        .files()
        .share(customer.id, "mine.txt", b"private")
        .await
        .expect("share");
    let upload = session
        .files()
        .upload("also-mine.txt", b"private too")
        .await
        .expect("upload");
    Holder {
        org: customer.org,
        customer,
        session,
        invoice: ids[1],
        quote: quote.id,
        payment: payment.id,
        sales_order: order.id,
        project: project.id,
        approval: approval.id,
        shared: shared.id,
        upload: upload.id,
    }
}

/// Every portal call with `other`'s ids, made by `me`.
async fn foreign_codes(me: &Holder, other: &Holder) -> Vec<(&'static str, String)> {
    let s = &me.session;
    let usd = me.customer.currency;
    let code = |r: Result<(), portal_core::Error>| {
        r.err()
            .map_or_else(|| "OK".to_owned(), |e| e.code().to_owned())
    };
    vec![
        (
            "invoice",
            code(s.invoices().get(other.invoice).await.map(|_| ())),
        ),
        ("quote", code(s.quotes().get(other.quote).await.map(|_| ()))),
        (
            "payment",
            code(s.payments().get(other.payment).await.map(|_| ())),
        ),
        (
            "accept",
            code(
                s.quotes()
                    .accept(other.quote, "whatever", None)
                    .await
                    .map(|_| ()),
            ),
        ),
        (
            "decline",
            code(s.quotes().decline(other.quote, None).await.map(|_| ())),
        ),
        (
            "comment quote",
            code(
                s.comments()
                    .add(
                        CommentTarget::Document(portal_core::domain::DocumentRef::Quote(
                            other.quote,
                        )),
                        "x",
                    )
                    .await
                    .map(|_| ()),
            ),
        ),
        (
            "comment invoice",
            code(
                s.comments()
                    .add(
                        CommentTarget::Document(portal_core::domain::DocumentRef::Invoice(
                            other.invoice,
                        )),
                        "x",
                    )
                    .await
                    .map(|_| ()),
            ),
        ),
        (
            "comments",
            code(
                s.comments()
                    .list(CommentTarget::Document(
                        portal_core::domain::DocumentRef::Quote(other.quote),
                    ))
                    .await
                    .map(|_| ()),
            ),
        ),
        (
            "preview credit",
            code(s.credits().preview(other.invoice, None).await.map(|_| ())),
        ),
        (
            "apply credit",
            code(
                s.credits()
                    .apply(other.invoice, Some(Money::from_minor_units(100, usd)))
                    .await
                    .map(|_| ()),
            ),
        ),
        (
            "pay",
            code(
                s.invoices()
                    .pay(PayRequest {
                        invoices: InvoiceSelection::Chosen(vec![other.invoice]),
                        amount: None,
                        source: card(),
                        idempotency_key: format!("steal-{}-{}", me.customer.id, other.invoice),
                    })
                    .await
                    .map(|_| ()),
            ),
        ),
        (
            "sales order",
            code(s.sales_orders().get(other.sales_order).await.map(|_| ())),
        ),
        (
            "sales order invoices",
            code(
                s.sales_orders()
                    .invoices(other.sales_order)
                    .await
                    .map(|_| ()),
            ),
        ),
        (
            "forward",
            code(
                s.messages()
                    .forward(
                        DocumentRef::SalesOrder(other.sales_order),
                        "spy@example.com",
                        None,
                    )
                    .await
                    .map(|_| ()),
            ),
        ),
        (
            "project",
            code(s.projects().get(other.project).await.map(|_| ())),
        ),
        (
            "project tasks",
            code(s.projects().tasks(other.project).await.map(|_| ())),
        ),
        (
            "project time",
            code(
                s.projects()
                    .time(other.project, &PageRequest::default())
                    .await
                    .map(|_| ()),
            ),
        ),
        (
            "comment project",
            code(
                s.comments()
                    .add(CommentTarget::Project(other.project), "x")
                    .await
                    .map(|_| ()),
            ),
        ),
        (
            "approval",
            code(s.approvals().get(other.approval).await.map(|_| ())),
        ),
        (
            "approval entries",
            code(s.approvals().entries(other.approval).await.map(|_| ())),
        ),
        (
            "approve",
            code(
                s.approvals()
                    .decide(other.approval, &ApprovalDecision::Approve)
                    .await
                    .map(|_| ()),
            ),
        ),
        (
            "comments approval",
            code(
                s.comments()
                    .list(CommentTarget::Approval(other.approval))
                    .await
                    .map(|_| ()),
            ),
        ),
        (
            "download",
            code(s.files().download(other.shared).await.map(|_| ())),
        ),
        (
            "download upload",
            code(s.files().download(other.upload).await.map(|_| ())),
        ),
        ("delete upload", code(s.files().delete(other.upload).await)),
    ]
}

/// Org-side calls of `me`'s organization with `other`'s ids (another org's).
async fn foreign_org_codes(env: &Env, me: &Holder, other: &Holder) -> Vec<(&'static str, String)> {
    let admin = env.portal.org(me.org);
    let code = |r: Result<(), portal_core::Error>| {
        r.err()
            .map_or_else(|| "OK".to_owned(), |e| e.code().to_owned())
    };
    vec![
        (
            "org approval",
            code(admin.approvals().get(other.approval).await.map(|_| ())),
        ),
        (
            "org download",
            code(
                admin
                    .files()
                    .download(other.customer.id, other.shared)
                    .await
                    .map(|_| ()),
            ),
        ),
        (
            "org sales order",
            code(
                admin
                    .sales_orders()
                    .get(other.sales_order)
                    .await
                    .map(|_| ()),
            ),
        ),
        (
            "org share",
            code(
                admin
                    .files()
                    .share(other.customer.id, "x.txt", b"x")
                    .await
                    .map(|_| ()),
            ),
        ),
        (
            "org project",
            code(
                admin
                    .approvals()
                    .send(other.project, "steal", &[])
                    .await
                    .map(|_| ()),
            ),
        ),
    ]
}

async fn check(env: &Env, shape: &[usize]) -> Result<(), TestCaseError> {
    let mut holders: Vec<Holder> = Vec::new();
    for (o, customers) in shape.iter().enumerate() {
        let org = env.org().await;
        env.portal
            .org(org.id)
            .update_settings(|s| {
                s.preferences.show_projects = true;
                s.preferences.show_sales_orders = true;
            })
            .await
            .expect("modules on");
        for n in 0..*customers {
            holders.push(holder(env, &org, o * 10 + n).await);
        }
    }
    let charged_before = env.gateway.charge_count();
    for me in &holders {
        for other in holders.iter().filter(|h| h.customer.id != me.customer.id) {
            for (call, code) in foreign_codes(me, other).await {
                prop_assert_eq!(code.as_str(), "not_found", "{} by another customer", call);
            }
            if other.org != me.org {
                for (call, code) in foreign_org_codes(env, me, other).await {
                    prop_assert_eq!(code.as_str(), "not_found", "{} by another org", call);
                }
            }
        }
        // Lists hold only the customer's own records.
        let invoices = me
            .session
            .invoices()
            .list(&InvoiceQuery::new(date!(2026 - 05 - 04)))
            .await
            .expect("list");
        prop_assert!(invoices.items.iter().all(|i| i.customer == me.customer.id));
        prop_assert_eq!(invoices.items.len(), 2);
        let quotes = me
            .session
            .quotes()
            .list(&QuoteQuery::new(date!(2026 - 05 - 04)))
            .await
            .expect("list");
        prop_assert!(
            quotes.items.iter().all(|q| q.customer == me.customer.id) && quotes.items.len() == 1
        );
        let payments = me.session.payments().list(None, 100).await.expect("list");
        prop_assert!(
            payments.items.iter().all(|p| p.customer == me.customer.id)
                && payments.items.len() == 1
        );
        let credits = me.session.credits().list().await.expect("credits");
        prop_assert_eq!(credits.len(), 1);
        let comments = me
            .session
            .comments()
            .list(CommentTarget::Document(
                portal_core::domain::DocumentRef::Quote(me.quote),
            ))
            .await
            .expect("comments");
        prop_assert_eq!(comments.len(), 1, "no one else's comment landed here");
        let own = |n: usize, all_mine: bool| all_mine && n == 1;
        let orders = me
            .session
            .sales_orders()
            .list(&SalesOrderQuery::new())
            .await
            .expect("orders");
        prop_assert!(own(
            orders.items.len(),
            orders.items.iter().all(|o| o.customer == me.customer.id)
        ));
        let projects = me
            .session
            .projects()
            .list(&PageRequest::default())
            .await
            .expect("projects");
        prop_assert!(own(
            projects.items.len(),
            projects.items.iter().all(|p| p.customer == me.customer.id)
        ));
        let approvals = me
            .session
            .approvals()
            .list(&[], &PageRequest::default())
            .await
            .expect("approvals");
        prop_assert!(own(
            approvals.items.len(),
            approvals.items.iter().all(|a| a.customer == me.customer.id)
        ));
        let files = me
            .session
            .files()
            .list(&PageRequest::default())
            .await
            .expect("files");
        prop_assert!(
            files.items.len() == 2 && files.items.iter().all(|f| f.customer == me.customer.id)
        );
        let feed = env
            .portal
            .org(me.org)
            .activity(me.customer.id, &PageRequest::first(100))
            .await
            .expect("feed");
        prop_assert!(feed.items.iter().all(|a| a.customer == me.customer.id));
        let dash = me.session.dashboard().await.expect("dashboard");
        prop_assert_eq!(
            dash.outstanding_invoices,
            Money::from_minor_units(18_000, me.customer.currency)
        );
    }
    prop_assert_eq!(
        env.gateway.charge_count(),
        charged_before,
        "no foreign payment was charged"
    );
    Ok(())
}

fn run(backend: Backend) {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let Some(env) = rt.block_on(env(backend)) else {
        return;
    };
    let mut runner = TestRunner::new(Config {
        cases: 3,
        failure_persistence: None,
        ..Config::default()
    });
    runner
        .run(&prop::collection::vec(1_usize..3, 2..3), |shape| {
            rt.block_on(check(&env, &shape))
        })
        .expect("no cross-customer access");
}

#[test]
fn memory() {
    run(Backend::Memory);
}

#[test]
fn sqlite() {
    run(Backend::Sqlite);
}

#[test]
fn postgres() {
    run(Backend::Postgres);
}
