//! A signed-in customer with invoices to pay by card, for the Pay Now tests.

use portal_core::domain::{
    Address, Currency, Email, InvoiceId, InvoiceKind, LineItem, Money, NewContact, NewCustomer,
    NewInvoice, NewOrganization, PortalSlug,
};
use portal_core::gateway::CardDetails;
use portal_core::service::{AcceptInvitation, InvoiceSelection, PayRequest, PaySource};
use std::sync::Arc;

use portal_core::{Decimal, Portal, PortalSession};
use portal_memory::{RecordingMailer, TestGateway};
use portal_sqlx::PostgresStore;
use portal_sqlx::sqlx;
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

/// A portal over `store` as the Pay Now tests build it: the test gateway
/// (`test`, which [`signed_in`]'s invoices name) and a recording mailer.
pub fn paying_portal(store: Arc<dyn portal_core::Backend>) -> (Portal, Arc<RecordingMailer>) {
    let mailer = Arc::new(RecordingMailer::new());
    let portal = Portal::builder(store, mailer.clone())
        .with_gateway(Arc::new(TestGateway::new("test")))
        .build()
        .expect("portal");
    (portal, mailer)
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

/// 3,000 more customers of the organization of invoice `$1`'s customer, each with
/// a copy of that invoice: a store where that customer is big and the average
/// customer small.
pub const OTHER_CUSTOMERS: &str = "WITH c AS (INSERT INTO portal_customers \
     SELECT (jsonb_populate_record(c, jsonb_build_object('id', gen_random_uuid()))).* \
     FROM portal_customers c, generate_series(1, 3000) g \
     WHERE c.id = (SELECT customer_id FROM portal_invoices WHERE id = $1) RETURNING id) \
     INSERT INTO portal_invoices \
     SELECT (jsonb_populate_record(i, jsonb_build_object('id', gen_random_uuid(), \
     'customer_id', c.id, 'number', 'S-' || c.id))).* \
     FROM c, portal_invoices i WHERE i.id = $1";

/// A PostgreSQL store on a fresh schema, with [`signed_in`]'s customer among
/// [`OTHER_CUSTOMERS`]; `None` outside CI without `DATABASE_URL`.
pub async fn payer_among_others_on_postgres()
-> Option<(PostgresStore, PortalSession, Vec<InvoiceId>)> {
    let options = super::fresh_schema().await?;
    let store = PostgresStore::connect_with(options)
        .await
        .expect("postgres");
    store.migrate().await.expect("migrate");
    let (portal, mailer) = paying_portal(Arc::new(store.clone()));
    let (session, invoices) = signed_in(&portal, &mailer).await;
    sqlx::query(OTHER_CUSTOMERS)
        .bind(invoices[1].as_uuid())
        .execute(store.pool())
        .await
        .expect("other customers");
    Some((store, session, invoices))
}
