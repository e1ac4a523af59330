//! A signed-in customer with invoices to pay by card, for the Pay Now tests.

use portal_core::domain::{
    Address, Currency, Email, InvoiceId, InvoiceKind, LineItem, Money, NewContact, NewCustomer,
    NewInvoice, NewOrganization, PortalSlug,
};
use portal_core::gateway::CardDetails;
use portal_core::service::{AcceptInvitation, InvoiceSelection, PayRequest, PaySource};
use portal_core::{Decimal, Portal, PortalSession};
use portal_memory::RecordingMailer;
use time::macros::date;

pub fn card(number: &str) -> PaySource {
    PaySource::Card(Box::new(CardDetails {
        number: number.into(),
        cvv: "314".into(),
        exp_month: 12,
        exp_year: 2030,
        holder: "Pat Payer".into(),
        billing_address: Address::default(),
        country: "US".into(),
    }))
}

pub fn pay(invoices: Vec<InvoiceId>, minor: Option<i64>, number: &str, key: String) -> PayRequest {
    PayRequest {
        invoices: InvoiceSelection::Chosen(invoices),
        amount: minor.map(|m| Money::from_minor_units(m, Currency::from_code("USD").expect("usd"))),
        source: card(number),
        idempotency_key: key,
    }
}

/// A new organization whose customer has three sent invoices (1,000.00, 50.00 and
/// 70.00, in that order) and a contact signed in to the portal.
pub async fn signed_in(
    portal: &Portal,
    mailer: &RecordingMailer,
) -> (PortalSession, Vec<InvoiceId>) {
    let t = uuid::Uuid::now_v7().simple().to_string();
    let org = portal
        .create_org(NewOrganization {
            name: "Holds".into(),
            slug: PortalSlug::parse(&format!("holds-{}", &t[t.len() - 10..])).expect("slug"),
        })
        .await
        .expect("org");
    let admin = portal.org(org.id);
    let email = format!("payer-{}@example.com", &t[t.len() - 10..]);
    let (customer, contacts) = admin
        .customers()
        .create(
            NewCustomer::new("Payer", Currency::from_code("USD").expect("usd")),
            vec![NewContact::new(
                "Pat",
                "Payer",
                Some(Email::parse(&email).expect("email")),
            )],
        )
        .await
        .expect("customer");
    let mut invoices = Vec::new();
    for (number, rate) in [("H-1", 1_000), ("H-2", 50), ("H-3", 70)] {
        let draft = admin
            .invoices()
            .create(
                customer.id,
                NewInvoice {
                    kind: InvoiceKind::Invoice,
                    number: number.into(),
                    lines: vec![LineItem::new("Work", Decimal::ONE, Decimal::from(rate))],
                    issue_date: date!(2026 - 03 - 01),
                    due_date: date!(2026 - 04 - 01),
                    allow_partial_payments: true,
                    payment_gateways: vec!["test".into()],
                },
            )
            .await
            .expect("invoice");
        admin.invoices().send(draft.id).await.expect("send");
        invoices.push(draft.id);
    }
    admin
        .contacts()
        .enable_access(customer.id, &[contacts[0].id])
        .await
        .expect("invite");
    portal.dispatch_emails(10).await.expect("dispatch");
    let link = mailer.last_link_to(&email, "/invitation/").expect("link");
    let session = portal
        .accept_invitation(
            link.rsplit('/').next().expect("token"),
            AcceptInvitation {
                password: "hold it right there".into(),
                password_confirmation: "hold it right there".into(),
                preferences: None,
            },
        )
        .await
        .expect("accept")
        .session;
    (session, invoices)
}
