//! Records the conformance behaviours build on.

use crate::domain::Invoice;
use crate::domain::InvoiceEvent;
use crate::domain::InvoiceId;
use crate::domain::InvoiceKind;
use crate::domain::LineItem;
use crate::domain::Money;
use crate::domain::NewInvoice;
use crate::domain::NewQuote;
use crate::domain::NewTimeEntry;
use crate::domain::PaymentId;
use crate::domain::PaymentMethod;
use crate::domain::Project;
use crate::domain::Quote;
use crate::domain::QuoteStatus;
use crate::domain::Task;
use crate::domain::TimeEntry;
use crate::store::PaymentRecording;
use rust_decimal::Decimal;
use time::Date;
use time::macros::date;
use time::{Duration, OffsetDateTime, macros::datetime};

use crate::{
    auth::AccessToken, auth::SecretToken, auth::SessionRecord, auth::TokenPurpose,
    domain::ContactPerson, domain::Currency, domain::Customer, domain::Email, domain::EmailKind,
    domain::NewContact, domain::NewCustomer, domain::NewOrganization, domain::OrgId,
    domain::Organization, domain::OutboxEmail, domain::PasswordHash, domain::PortalSlug,
    domain::PortalStatus, domain::SessionId, domain::TokenId, store::Invitation,
    store::InvitationBatch, store::Store,
};

/// The time the behaviours start at (sub-second part included on purpose).
pub(crate) fn t0() -> OffsetDateTime {
    datetime!(2026-03-01 10:00:00.123456 UTC)
}

fn random_suffix() -> String {
    // The tail of a v7 UUID is random (the head is the time).
    let text = OrgId::new().as_uuid().simple().to_string();
    text[text.len() - 12..].to_owned()
}

pub(crate) fn unique_slug(prefix: &str) -> PortalSlug {
    PortalSlug::parse(&format!("{prefix}-{}", random_suffix())).expect("valid slug")
}

pub(crate) fn unique_email(name: &str) -> Email {
    Email::parse(&format!("{name}.{}@example.com", random_suffix())).expect("valid email")
}

pub(crate) async fn org(store: &dyn Store) -> Organization {
    let org = Organization::create(
        NewOrganization {
            name: "Conformance Org".into(),
            slug: unique_slug("conf"),
        },
        t0(),
    );
    store.create_org(&org).await.expect("create org");
    org
}

pub(crate) fn usd() -> Currency {
    Currency::from_code("USD").expect("usd")
}

/// A customer with two contacts with email and one without.
pub(crate) async fn customer(
    store: &dyn Store,
    org: &Organization,
) -> (Customer, Vec<ContactPerson>) {
    let customer = Customer::create(org.id, NewCustomer::new("Silva Lda", usd()), t0());
    let contacts = vec![
        ContactPerson::create(
            org.id,
            customer.id,
            NewContact::new("Ana", "Silva", Some(unique_email("ana"))),
            t0(),
        ),
        ContactPerson::create(
            org.id,
            customer.id,
            NewContact::new("Rui", "Costa", Some(unique_email("rui"))),
            t0(),
        ),
        ContactPerson::create(
            org.id,
            customer.id,
            NewContact::new("No", "Email", None),
            t0(),
        ),
    ];
    store
        .create_customer(&customer, &contacts)
        .await
        .expect("create customer");
    (customer, contacts)
}

pub(crate) fn token(
    org: OrgId,
    contact: &ContactPerson,
    purpose: TokenPurpose,
) -> (SecretToken, AccessToken) {
    let secret = SecretToken::generate_for(org).expect("random");
    let record = AccessToken {
        id: TokenId::new(),
        org,
        contact: contact.id,
        purpose,
        hash: secret.hash(),
        created_at: t0(),
        expires_at: t0() + Duration::days(7),
    };
    (secret, record)
}

pub(crate) fn email_for(org: OrgId, to: &Email, kind: EmailKind) -> OutboxEmail {
    OutboxEmail::new(
        org,
        kind,
        to.clone(),
        "subject".into(),
        "body with link".into(),
        t0(),
    )
}

/// Invites `contact` (as read) and returns the stored contact and the secret.
pub(crate) async fn invite(
    store: &dyn Store,
    org: &Organization,
    contact: &ContactPerson,
) -> (ContactPerson, SecretToken) {
    let (secret, record) = token(org.id, contact, TokenPurpose::Invitation);
    let mut invited = contact.clone();
    invited.portal_status = PortalStatus::Invited;
    let to = contact.email.clone().expect("contact has email");
    let mut stored = store
        .issue_invitations(&InvitationBatch {
            org: org.id,
            portal_user_cap: 1_000,
            invitations: vec![Invitation {
                contact: invited,
                token: record,
                email: email_for(org.id, &to, EmailKind::Invitation),
            }],
        })
        .await
        .expect("invite");
    (stored.pop().expect("one contact"), secret)
}

pub(crate) fn session_for(contact: &ContactPerson) -> (SecretToken, SessionRecord) {
    let secret = SecretToken::generate_for(contact.org).expect("random");
    let record = SessionRecord {
        id: SessionId::new(),
        token_hash: secret.hash(),
        org: contact.org,
        customer: contact.customer,
        contact: contact.id,
        created_at: t0(),
        last_seen_at: t0(),
    };
    (secret, record)
}

pub(crate) fn hash(label: &str) -> PasswordHash {
    PasswordHash::from_phc(format!("$argon2id$v=19$m=19456,t=2,p=1$fake${label}"))
}

/// Invites and activates `contact`, with one session; returns the active contact
/// and the session.
pub(crate) async fn activate(
    store: &dyn Store,
    org: &Organization,
    contact: &ContactPerson,
) -> (ContactPerson, SessionRecord) {
    let (invited, secret) = invite(store, org, contact).await;
    let (_, session) = session_for(&invited);
    let active = store
        .redeem_token(&crate::store::TokenRedemption {
            org: org.id,
            contact: invited.id,
            token_hash: secret.hash(),
            purpose: TokenPurpose::Invitation,
            now: t0() + Duration::minutes(1),
            password_hash: hash("first"),
            preferences: None,
            new_session: Some(session.clone()),
        })
        .await
        .expect("redeem");
    (active, session)
}

/// A portal event of a (new) contact of `customer`, on `subject`, with `email`.
pub(crate) async fn notice(
    store: &dyn Store,
    org: OrgId,
    customer: crate::domain::CustomerId,
    subject: crate::domain::ActivitySubject,
    email: Option<OutboxEmail>,
) -> crate::domain::Notice {
    let contact = ContactPerson::create(
        org,
        customer,
        NewContact::new("Event", "Maker", Some(unique_email("event"))),
        t0(),
    );
    store.create_contact(&contact).await.expect("contact");
    notice_of(&contact, subject, email)
}

/// A portal event of `contact` on `subject`, with `email`.
pub(crate) fn notice_of(
    contact: &ContactPerson,
    subject: crate::domain::ActivitySubject,
    email: Option<OutboxEmail>,
) -> crate::domain::Notice {
    crate::domain::Notice {
        activity: crate::domain::Activity {
            id: crate::domain::ActivityId::new(),
            org: contact.org,
            customer: contact.customer,
            contact: contact.id,
            event: crate::domain::PortalEvent::Viewed,
            subject,
            summary: "something happened".into(),
            at: t0(),
        },
        email,
    }
}

/// The ids of the customer's activity, newest first.
pub(crate) async fn activity_ids(
    store: &dyn Store,
    org: OrgId,
    customer: crate::domain::CustomerId,
) -> Vec<crate::domain::ActivityId> {
    store
        .customer_activity(org, customer, &crate::domain::PageRequest::first(100))
        .await
        .expect("activity")
        .items
        .into_iter()
        .map(|a| a.id)
        .collect()
}

pub(crate) async fn customer_in(
    store: &dyn Store,
    org: &Organization,
    currency: Currency,
) -> Customer {
    let customer = Customer::create(org.id, NewCustomer::new("Payer", currency), t0());
    store
        .create_customer(&customer, &[])
        .await
        .expect("customer");
    customer
}

pub(crate) fn cents(minor: i64, currency: Currency) -> Money {
    Money::from_minor_units(minor, currency)
}

pub(crate) fn sent(number: &str, minor: i64) -> SentInvoice {
    SentInvoice {
        number: number.into(),
        minor,
        issued: date!(2026 - 02 - 01),
        due: date!(2026 - 03 - 01),
    }
}

pub(crate) fn recording(
    customer: &Customer,
    minor: i64,
    invoices: &[InvoiceId],
) -> PaymentRecording {
    let id = PaymentId::new();
    PaymentRecording {
        id,
        org: customer.org,
        customer: customer.id,
        receipt_number: format!("R-{}", &id.to_string()[24..]),
        amount: cents(minor, customer.currency),
        method: PaymentMethod::Offline {
            mode: "cash".into(),
        },
        reference: None,
        paid_at: t0() + Duration::hours(1),
        invoices: invoices.to_vec(),
        attempt: None,
        emails: Vec::new(),
        notice: None,
    }
}

/// A sent invoice to make for a customer: `sent("P-1", 5_000)` is one line of
/// 5 000 minor units, issued 2026-02-01 and due 2026-03-01 unless told otherwise,
/// partial payments allowed, payable through the gateway `test`.
pub(crate) struct SentInvoice {
    number: String,
    minor: i64,
    issued: Date,
    due: Date,
}

impl SentInvoice {
    /// Issued on `day`.
    pub(crate) fn issued(mut self, day: Date) -> Self {
        self.issued = day;
        self
    }

    /// Due on `day`.
    pub(crate) fn due(mut self, day: Date) -> Self {
        self.due = day;
        self
    }

    /// Creates and sends it for `customer`.
    pub(crate) async fn for_customer(self, store: &dyn Store, customer: &Customer) -> Invoice {
        let currency = customer.currency;
        let rate = cents(self.minor, currency).amount();
        let mut inv = Invoice::draft(
            customer.org,
            customer.id,
            currency,
            NewInvoice {
                kind: InvoiceKind::Invoice,
                number: self.number,
                lines: vec![LineItem::new("Work", Decimal::ONE, rate)],
                issue_date: self.issued,
                due_date: self.due,
                allow_partial_payments: true,
                payment_gateways: vec!["test".into()],
            },
            t0(),
        )
        .expect("valid invoice");
        store.invoices().create(&inv).await.expect("create");
        inv.status = inv.status.apply(InvoiceEvent::Send).expect("send");
        store.invoices().update(&inv).await.expect("send")
    }
}

pub(crate) async fn project(
    store: &dyn Store,
    org: crate::domain::OrgId,
    c: crate::domain::CustomerId,
    name: &str,
) -> Project {
    let p = Project::new(org, c, name, "", t0()).expect("project");
    store.create_project(&p).await.expect("create project");
    p
}

pub(crate) async fn task(store: &dyn Store, p: &Project, name: &str, billable: bool) -> Task {
    let t = Task::new(p.org, p.id, name, billable).expect("task");
    store.create_task(&t).await.expect("create task");
    t
}

pub(crate) async fn log(
    store: &dyn Store,
    p: &Project,
    t: &Task,
    day: u8,
    minutes: u32,
) -> TimeEntry {
    let date = date!(2026 - 03 - 01).replace_day(day).expect("day");
    let e = TimeEntry::new(
        p,
        t,
        NewTimeEntry {
            task: t.id,
            date,
            minutes,
            note: format!("day {day}"),
        },
        t0(),
    )
    .expect("entry");
    store.log_time(&e).await.expect("log");
    e
}

pub(crate) async fn sent_quote(
    store: &dyn Store,
    c: &Customer,
    number: &str,
    minor: i64,
    issue: Date,
    expiry: Date,
) -> Quote {
    let mut q = Quote::draft(
        c.org,
        c.id,
        c.currency,
        NewQuote {
            number: number.into(),
            lines: vec![LineItem::new(
                "Plan",
                Decimal::ONE,
                crate::domain::Money::from_minor_units(minor, c.currency).amount(),
            )],
            issue_date: issue,
            expiry_date: expiry,
        },
        t0(),
    )
    .expect("quote");
    store.quotes().create(&q).await.expect("create");
    q.status = QuoteStatus::Sent;
    store.quotes().update(&q).await.expect("send")
}
