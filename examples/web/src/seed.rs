//! The demo organization made on first start: a customer with two contacts invited
//! to the portal, invoices (one open to part payments) and a retainer to pay with
//! the test gateway's cards or a bank account, a credit note, a quote, a sales
//! order, a project with a timesheet to approve, a shared file; and a second
//! customer without portal access.

use portal_core::domain::{
    Currency, Email, InvoiceKind, LineItem, Money, NewContact, NewCustomer, NewInvoice,
    NewOrganization, NewQuote, NewSalesOrder, NewTimeEntry, OrgContactDetails, OrgId, PortalSlug,
    SalesOrderEvent,
};
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
    match portal.org_by_slug(DEMO_SLUG).await {
        Ok(org) => {
            return Ok(Demo {
                org: org.id,
                created: false,
            });
        }
        Err(Error::NotFound(_)) => {}
        Err(e) => return Err(e),
    }
    let slug = PortalSlug::parse(DEMO_SLUG)?;
    let org = portal
        .create_org(NewOrganization {
            name: "Acme Books".into(),
            slug,
        })
        .await?;
    let admin = portal.org(org.id);
    admin
        .update_settings(|s| {
            s.preferences.show_projects = true;
            s.preferences.show_sales_orders = true;
            // Emailed documents open straight away, ready to pay.
            s.preferences.email_document_links = true;
            s.banner = Some(
                "Welcome to the Acme Books portal: your invoices, quotes and documents in one place."
                    .into(),
            );
            s.contact_details = OrgContactDetails {
                name: "Acme Books".into(),
                email: Email::parse("hello@acme-books.example").ok(),
                phone: "+351 21 000 0000".into(),
                address: "Rua Augusta 1, 1100-048 Lisboa".into(),
            };
        })
        .await?;
    let eur = Currency::from_code("EUR")?;
    let mut silva = NewCustomer::new("Silva & Costa Lda", eur);
    silva.may_pay_by_bank_account = true;
    let (customer, contacts) = admin
        .customers()
        .create(
            silva,
            vec![
                NewContact::new("Ana", "Silva", Some(Email::parse(DEMO_CONTACTS[0])?)),
                NewContact::new("Rui", "Costa", Some(Email::parse(DEMO_CONTACTS[1])?)),
            ],
        )
        .await?;
    for (number, kind, description, cents, days, partial) in [
        (
            "INV-0001",
            InvoiceKind::Invoice,
            "Bookkeeping, last month",
            45_000,
            14,
            false,
        ),
        (
            "INV-0002",
            InvoiceKind::Invoice,
            "Payroll runs",
            12_500,
            -5,
            false,
        ),
        (
            "INV-0003",
            InvoiceKind::Invoice,
            "Quarterly advisory",
            30_000,
            30,
            true,
        ),
        (
            "RET-0001",
            InvoiceKind::Retainer,
            "Retainer for the year-end closing",
            20_000,
            10,
            false,
        ),
    ] {
        let draft = admin
            .invoices()
            .create(
                customer.id,
                NewInvoice {
                    kind,
                    number: number.into(),
                    lines: vec![LineItem::new(
                        description,
                        Decimal::ONE,
                        Decimal::new(cents, 2),
                    )],
                    issue_date: today - Duration::days(20),
                    due_date: today + Duration::days(days),
                    allow_partial_payments: partial,
                    payment_gateways: vec!["card".into()],
                },
            )
            .await?;
        admin.invoices().send(draft.id).await?;
    }
    admin
        .credits()
        .create_note(
            customer.id,
            "CN-0001",
            Money::from_minor_units(5_000, eur),
            today - Duration::days(10),
        )
        .await?;
    let order = admin
        .sales_orders()
        .create(
            customer.id,
            NewSalesOrder {
                number: "SO-0001".into(),
                lines: vec![
                    LineItem::new("Archive boxes", Decimal::new(10, 0), Decimal::new(450, 2)),
                    LineItem::new("Document scanning", Decimal::ONE, Decimal::new(8_000, 2)),
                ],
                order_date: today - Duration::days(7),
                shipment_date: Some(today + Duration::days(7)),
            },
        )
        .await?;
    admin
        .sales_orders()
        .move_to(order.id, SalesOrderEvent::Open)
        .await?;
    // Another customer of the same organization, without portal access: nothing of
    // theirs ever shows in the demo customer's portal.
    let (other, _) = admin
        .customers()
        .create(
            NewCustomer::new("Lopes Trading", eur),
            vec![NewContact::new(
                "Marta",
                "Lopes",
                Some(Email::parse("marta.lopes@example.com")?),
            )],
        )
        .await?;
    let theirs = admin
        .invoices()
        .create(
            other.id,
            NewInvoice {
                kind: InvoiceKind::Invoice,
                number: "INV-0004".into(),
                lines: vec![LineItem::new(
                    "Company setup",
                    Decimal::ONE,
                    Decimal::new(90_000, 2),
                )],
                issue_date: today - Duration::days(3),
                due_date: today + Duration::days(27),
                allow_partial_payments: false,
                payment_gateways: vec!["card".into()],
            },
        )
        .await?;
    admin.invoices().send(theirs.id).await?;
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
