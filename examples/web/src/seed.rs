//! The demo organization made on first start: a customer with two contacts invited
//! to the portal, invoices to pay with the test gateway's cards, a quote, a timesheet to approve and a shared file.

use portal_core::domain::{
    Currency, Email, InvoiceKind, LineItem, NewContact, NewCustomer, NewInvoice, NewOrganization,
    NewQuote, NewTimeEntry, OrgId, PortalSlug,
};
use portal_core::store::StoreError;
use portal_core::{Decimal, Error, Portal};
use time::{Date, Duration};

/// The demo portal's slug.
pub const DEMO_SLUG: &str = "acme";

/// The demo contacts' emails: each gets an invitation in the mailbox.
pub const DEMO_CONTACTS: [&str; 2] = ["ana.silva@example.com", "rui.costa@example.com"];

/// What the seed made.
#[derive(Debug, Clone, Copy)]
pub struct Demo {
    /// The demo organization.
    pub org: OrgId,
    /// Whether this start made it (false: it was there already).
    pub created: bool,
}

/// Makes the demo organization unless the store already has it, and queues the
/// invitations (send them with `dispatch_emails`).
///
/// # Errors
/// Any library error: the seed is plain use of the public API.
pub async fn demo(portal: &Portal, today: Date) -> Result<Demo, Error> {
    let slug = PortalSlug::parse(DEMO_SLUG)?;
    match portal.store().org_by_slug(&slug).await {
        Ok(org) => {
            return Ok(Demo {
                org: org.id,
                created: false,
            });
        }
        Err(StoreError::NotFound(_)) => {}
        Err(e) => return Err(e.into()),
    }
    let org = portal
        .create_org(NewOrganization {
            name: "Acme Books".into(),
            slug,
        })
        .await?;
    let admin = portal.org(org.id);
    admin
        .update_settings(|s| s.preferences.show_projects = true)
        .await?;
    let (customer, contacts) = admin
        .customers()
        .create(
            NewCustomer::new("Silva & Costa Lda", Currency::from_code("EUR")?),
            vec![
                NewContact::new("Ana", "Silva", Some(Email::parse(DEMO_CONTACTS[0])?)),
                NewContact::new("Rui", "Costa", Some(Email::parse(DEMO_CONTACTS[1])?)),
            ],
        )
        .await?;
    for (n, (description, cents, days)) in [
        ("Bookkeeping, last month", 45_000, 14),
        ("Payroll runs", 12_500, -5),
    ]
    .into_iter()
    .enumerate()
    {
        let draft = admin
            .invoices()
            .create(
                customer.id,
                NewInvoice {
                    kind: InvoiceKind::Invoice,
                    number: format!("INV-{:04}", n + 1),
                    lines: vec![LineItem::new(
                        description,
                        Decimal::ONE,
                        Decimal::new(cents, 2),
                    )],
                    issue_date: today - Duration::days(20),
                    due_date: today + Duration::days(days),
                    allow_partial_payments: false,
                    payment_gateways: vec!["card".into()],
                },
            )
            .await?;
        admin.invoices().send(draft.id).await?;
    }
    let quote = admin
        .quotes()
        .create(
            customer.id,
            NewQuote {
                number: "QT-0001".into(),
                lines: vec![
                    LineItem::new("Year-end closing", Decimal::ONE, Decimal::new(120_000, 2)),
                    LineItem::new("Tax filing", Decimal::ONE, Decimal::new(35_000, 2)),
                ],
                issue_date: today - Duration::days(2),
                expiry_date: today + Duration::days(28),
            },
        )
        .await?;
    admin.quotes().send(quote.id).await?;
    let project = admin
        .projects()
        .create(customer.id, "Year-end closing", "")
        .await?;
    let task = admin
        .projects()
        .add_task(project.id, "Bookkeeping", true)
        .await?;
    let mut entries = Vec::new();
    for (days, minutes, note) in [(3, 90, "Bank reconciliation"), (2, 120, "Payroll review")] {
        let entry = admin
            .projects()
            .log_time(
                project.id,
                NewTimeEntry {
                    task: task.id,
                    date: today - Duration::days(days),
                    minutes,
                    note: note.into(),
                },
            )
            .await?;
        entries.push(entry.id);
    }
    admin
        .approvals()
        .send(project.id, "Week 47", &entries)
        .await?;
    admin
        .files()
        .share(
            customer.id,
            "engagement-letter.txt",
            b"Engagement letter: bookkeeping, payroll and the year-end closing.\n",
        )
        .await?;
    let ids: Vec<_> = contacts.iter().map(|c| c.id).collect();
    admin.contacts().enable_access(customer.id, &ids).await?;
    Ok(Demo {
        org: org.id,
        created: true,
    })
}
