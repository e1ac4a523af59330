//! The rest of the portal, after the quickstart: sales orders, a project with a
//! timesheet the customer partly disputes, the statement of account, forwarding,
//! shared files, details, a review, and the activity feed the host app shows.
//!
//! Run it with `cargo run --bin self_service` (in memory), or with
//! `PORTAL_DATABASE_URL=sqlite://portal.db` to use a database (each run makes its
//! own organization).

use std::sync::Arc;

use anyhow::Context as _;
use portal_core::domain::{
    ApprovalDecision, CommentTarget, DocumentRef, NewSalesOrder, NewTimeEntry, SalesOrderEvent,
    SalesOrderQuery, StatementPeriod, UploadPolicy,
};
use portal_core::prelude::*;
use portal_memory::{MemoryStore, RecordingMailer};

fn step(n: u32, text: &str) {
    println!("\n{n}. {text}");
}

fn hours(minutes: i64) -> String {
    format!("{}h{:02}", minutes / 60, minutes % 60)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let store: Arc<dyn Backend> = match std::env::var("PORTAL_DATABASE_URL") {
        Ok(url) if !url.is_empty() => portal_sqlx::connect(&url).await?,
        _ => Arc::new(MemoryStore::new()),
    };
    let mailer = Arc::new(RecordingMailer::new());
    // Uploads: at most 1 MiB of PDF, PNG, JPEG or text, checked against the content.
    let config = PortalConfig::default()
        .with_base_url("https://portal.example.com")
        .with_uploads(UploadPolicy {
            max_bytes: 1024 * 1024,
            ..UploadPolicy::default()
        });
    // File bytes go to the store itself; `.with_file_store(...)` plugs object storage.
    let portal = Portal::builder(store, mailer.clone())
        .with_config(config)
        .build()?;

    step(1, "An organization turns on sales orders and projects.");
    let tail = portal_core::domain::OrgId::new().to_string();
    let slug = format!("northwind-{}", &tail[tail.len() - 8..]);
    let org = portal
        .create_org(NewOrganization {
            name: "Northwind Studio".into(),
            slug: PortalSlug::parse(&slug)?,
        })
        .await?;
    let admin = portal.org(org.id);
    admin
        .update_settings(|s| {
            s.preferences.show_sales_orders = true;
            s.preferences.show_projects = true;
            s.contact_details.email = Email::parse("office@northwind.example").ok();
        })
        .await?;

    step(2, "Its customer's contact accepts the portal invitation.");
    let email = format!("lee@{slug}.example");
    let (customer, contacts) = admin
        .customers()
        .create(
            NewCustomer::new("Lee & Co", Currency::from_code("GBP")?),
            vec![NewContact::new("Lee", "Park", Some(Email::parse(&email)?))],
        )
        .await?;
    admin
        .contacts()
        .enable_access(customer.id, &[contacts[0].id])
        .await?;
    portal.dispatch_emails(100).await?;
    let link = mailer
        .last_link_to(&email, "/invitation/")
        .context("invitation link")?;
    let token = link.rsplit('/').next().context("token")?;
    let session = portal
        .accept_invitation(
            token,
            AcceptInvitation {
                password: "lanterns over the harbour".into(),
                password_confirmation: "lanterns over the harbour".into(),
                preferences: None,
            },
        )
        .await?
        .session;
    println!("   {} is signed in", contacts[0].full_name());

    step(
        3,
        "Sales orders (S1-S2): an order, and the invoice raised from it.",
    );
    let order = admin
        .sales_orders()
        .create(
            customer.id,
            NewSalesOrder {
                number: "SO-7".into(),
                lines: vec![LineItem::new(
                    "Brand workshop",
                    Decimal::ONE,
                    Decimal::from(1_200),
                )],
                order_date: time::macros::date!(2026 - 11 - 02),
                shipment_date: None,
            },
        )
        .await?;
    admin
        .sales_orders()
        .move_to(order.id, SalesOrderEvent::Open)
        .await?;
    let invoice = admin
        .invoices()
        .create(
            customer.id,
            NewInvoice {
                kind: InvoiceKind::Invoice,
                number: "INV-31".into(),
                lines: order.lines.clone(),
                issue_date: time::macros::date!(2026 - 11 - 10),
                due_date: time::macros::date!(2026 - 12 - 10),
                allow_partial_payments: true,
                payment_gateways: vec![],
            },
        )
        .await?;
    admin.invoices().send(invoice.id).await?;
    admin
        .sales_orders()
        .link_invoice(order.id, invoice.id, true)
        .await?;
    for o in session
        .sales_orders()
        .list(&SalesOrderQuery::new())
        .await?
        .items
    {
        let raised = session.sales_orders().invoices(o.id).await?;
        println!(
            "   {} {:?} {} -> invoices {:?}",
            o.number,
            o.status,
            o.total,
            raised.iter().map(|i| &i.number).collect::<Vec<_>>()
        );
    }

    step(
        4,
        "A project (T1-T2): billable time by task, and a comment.",
    );
    let project = admin
        .projects()
        .create(customer.id, "Rebrand", "Logo, type and signage")
        .await?;
    let design = admin
        .projects()
        .add_task(project.id, "Design", true)
        .await?;
    admin
        .projects()
        .add_task(project.id, "Admin", false)
        .await?;
    let mut entries = Vec::new();
    for (day, minutes) in [(16_u8, 180_u32), (17, 240), (18, 90)] {
        let e = admin
            .projects()
            .log_time(
                project.id,
                NewTimeEntry {
                    task: design.id,
                    date: time::macros::date!(2026 - 11 - 01).replace_day(day)?,
                    minutes,
                    note: "Concepts".into(),
                },
            )
            .await?;
        entries.push(e.id);
    }
    for t in session.projects().tasks(project.id).await? {
        println!(
            "   {}: logged {}, billed {}, unbilled {}",
            t.task.name,
            hours(t.logged_minutes),
            hours(t.billed_minutes),
            hours(t.unbilled_minutes)
        );
    }
    session
        .comments()
        .add(
            CommentTarget::Project(project.id),
            "Can we see drafts on Friday?",
        )
        .await?;

    step(
        5,
        "A timesheet (T3): the customer approves it but disputes one entry.",
    );
    let sheet = admin
        .approvals()
        .send(project.id, "Week 47", &entries)
        .await?;
    let opened = session.approvals().get(sheet.id).await?;
    println!(
        "   {} ({}), first viewed at {:?}",
        opened.title,
        hours(opened.total_minutes),
        opened.viewed_at.map(|t| t.time())
    );
    let decided = session
        .approvals()
        .decide(
            sheet.id,
            &ApprovalDecision::Dispute {
                entries: vec![(entries[2], "We cancelled that meeting".into())],
            },
        )
        .await?;
    println!("   decision: {:?}", decided.status);
    match admin.projects().bill_time(invoice.id, &entries).await {
        Err(e) => println!(
            "   billing the disputed entry too is refused: [{}]",
            e.code()
        ),
        Ok(()) => anyhow::bail!("disputed time must not be billable"),
    }
    admin
        .projects()
        .bill_time(invoice.id, &entries[..2])
        .await?;
    let t = &session.projects().tasks(project.id).await?[0];
    println!(
        "   after billing: billed {}, unbilled {}",
        hours(t.billed_minutes),
        hours(t.unbilled_minutes)
    );

    step(6, "The statement of account (D1) for this year.");
    let statement = session.statement(StatementPeriod::ThisYear).await?;
    for e in &statement.entries {
        println!("   {} {:?} {}", e.date, e.kind, e.balance);
    }
    println!(
        "   opening {}, closing {}",
        statement.opening, statement.closing
    );

    step(
        7,
        "Forwarding (D3): the order goes to a colleague, now a contact.",
    );
    session
        .messages()
        .forward(
            DocumentRef::SalesOrder(order.id),
            &format!("sam@{slug}.example"),
            Some("For your records"),
        )
        .await?;
    println!(
        "   contacts now: {:?}",
        admin
            .contacts()
            .list(customer.id)
            .await?
            .iter()
            .map(|c| c.full_name())
            .collect::<Vec<_>>()
    );

    step(
        8,
        "Shared files (D4): the org shares a PDF; the customer uploads.",
    );
    let pdf = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF\n";
    admin
        .files()
        .share(customer.id, "proposal.pdf", pdf)
        .await?;
    session
        .files()
        .upload("brief.txt", b"Warm colours, please.\n")
        .await?;
    for f in session.files().list(&PageRequest::default()).await?.items {
        let (_, bytes) = session.files().download(f.id).await?;
        println!("   {} ({}, {} bytes)", f.name, f.content_type, bytes.len());
    }
    match session
        .files()
        .upload("photo.pdf", b"MZ\x90\0not a pdf")
        .await
    {
        Err(e) => println!("   a program named .pdf is refused: [{}] {e}", e.code()),
        Ok(_) => anyhow::bail!("the content decides, not the name"),
    }

    step(9, "Details (C1) and a review (C4).");
    let mut details = session.profile().get().await?;
    details.phone = "+44 20 7946 0000".into();
    session.profile().update(details).await?;
    session.reviews().write("Thoughtful and on time.").await?;

    step(
        10,
        "The host app shows the activity feed (N3); the org was emailed (N1).",
    );
    let feed = admin.activity(customer.id, &PageRequest::first(20)).await?;
    for a in feed.items.iter().rev() {
        println!("   {:?}: {}", a.event, a.summary);
    }
    let report = portal.dispatch_emails(100).await?;
    println!(
        "   {} email(s) sent; the org received {}",
        report.sent,
        mailer.sent_to("office@northwind.example").len()
    );
    Ok(())
}
