//! Faults in the middle of a store operation lose nothing.
//!
//! One scenario (invite, accept, pay, recover a payment whose answer was lost,
//! apply credit, decide a timesheet, upload) runs once cleanly to count its store
//! calls, then once for every k with the k-th store call failing: before the call
//! (nothing happened) and after it (it happened, the answer was lost). The step
//! that saw the fault is retried as a host would. Afterwards every invariant holds
//! and the outcome is the clean run's: money conserved (what the gateway charged is
//! what was recorded, balances exact, statement = dashboard), no half-written or
//! duplicated document, every email the clean run sent, file bytes for every file
//! record and none without one.

use crate::common;

use std::collections::BTreeMap;
use std::sync::Arc;

use common::backends::{Backend, store_for};
use common::faulty::{Fault, FaultyStore};
use common::paying::card;
use common::timesheets::{Timesheet, pending_timesheet};
use portal_core::Duration;
use portal_core::clock::ManualClock;
use portal_core::domain::{ApprovalDecision, ApprovalStatus, StatementPeriod};
use portal_core::prelude::*;
use portal_memory::{RecordingMailer, TestGateway, cards};
use rust_decimal::Decimal;
use time::macros::{date, datetime};

const PDF: &[u8] = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n%%EOF\n";
const PASSWORD: &str = "faults lose nothing at all";

/// What a run ends with, compared between the clean run and every faulty one.
#[derive(Debug, PartialEq, Eq)]
struct Outcome {
    charged: i64,
    recorded: i64,
    payments: usize,
    outstanding: Money,
    credits: Money,
    statement_closing: Money,
    invoice_balances: Vec<Money>,
    approval: ApprovalStatus,
    files: usize,
    file_bytes_ok: bool,
    /// Emails sent, by (recipient kind, subject without ids), invitations aside.
    emails: BTreeMap<String, usize>,
    /// Activity rows by event.
    activity: BTreeMap<String, usize>,
}

/// Retries a step as a host would: up to three more times.
async fn retried<T, F, Fut>(mut step: F) -> portal_core::Result<T>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = portal_core::Result<T>>,
{
    let mut last = step().await;
    for _ in 0..3 {
        match last {
            Ok(v) => return Ok(v),
            Err(_) => last = step().await,
        }
    }
    last
}

fn subject_key(to: &str, subject: &str) -> String {
    let words: Vec<&str> = subject
        .split_whitespace()
        .filter(|w| !w.starts_with("R-") && !w.chars().any(|c| c.is_ascii_digit()))
        .collect();
    let who = if to.starts_with("billing@") {
        "org"
    } else {
        "customer"
    };
    format!("{who}: {}", words.join(" "))
}

/// Runs the scenario on `inner` with the k-th store call failing (`k = 0`: none).
/// Returns the outcome and how many store calls the faulty part made.
#[allow(clippy::too_many_lines)]
async fn scenario(
    inner: Arc<dyn Store>,
    files: Arc<dyn portal_core::FileStore>,
    fault: Fault,
    k: u64,
) -> (Outcome, u64, Option<&'static str>) {
    let faulty = Arc::new(FaultyStore::new(inner, files, fault));
    let mailer = Arc::new(RecordingMailer::new());
    let clock = Arc::new(ManualClock::new(datetime!(2026-05-04 09:00 UTC)));
    let gateway = Arc::new(TestGateway::new("test"));
    let portal = Portal::builder(faulty.clone(), mailer.clone())
        .with_clock(clock.clone())
        .with_gateway(gateway.clone())
        .with_config(PortalConfig::default().with_base_url("https://portal.test"))
        .build()
        .expect("portal");
    let tail = uuid::Uuid::now_v7().simple().to_string();
    let tail = &tail[tail.len() - 12..];
    let org = portal
        .create_org(NewOrganization {
            name: "Faults".into(),
            slug: PortalSlug::parse(&format!("faults-{tail}")).expect("slug"),
        })
        .await
        .expect("org");
    let admin = portal.org(org.id);
    admin
        .update_settings(|s| {
            s.contact_details.email =
                Some(Email::parse(&format!("billing-{tail}@faults.example.com")).expect("e"));
            s.preferences.show_projects = true;
        })
        .await
        .expect("settings");
    let email = format!("pat-{tail}@example.com");
    let usd = Currency::from_code("USD").expect("usd");
    let (customer, contacts) = admin
        .customers()
        .create(
            NewCustomer::new("Faulty Customer", usd),
            vec![NewContact::new(
                "Pat",
                "Payer",
                Some(Email::parse(&email).expect("email")),
            )],
        )
        .await
        .expect("customer");
    let contact = contacts[0].id;
    let mut invoices = Vec::new();
    for (n, minor) in [(1, 10_000), (2, 5_000), (3, 4_000)] {
        let draft = admin
            .invoices()
            .create(
                customer.id,
                NewInvoice {
                    kind: InvoiceKind::Invoice,
                    number: format!("F-{n}"),
                    lines: vec![LineItem::new(
                        "Work",
                        Decimal::ONE,
                        Money::from_minor_units(minor, usd).amount(),
                    )],
                    issue_date: date!(2026 - 04 - 01),
                    due_date: date!(2026 - 04 - 01) + Duration::days(n),
                    allow_partial_payments: false,
                    payment_gateways: vec!["test".into()],
                },
            )
            .await
            .expect("invoice");
        invoices.push(admin.invoices().send(draft.id).await.expect("send").id);
    }
    admin
        .credits()
        .create_note(
            customer.id,
            "F-CN",
            Money::from_minor_units(3_000, usd),
            date!(2026 - 04 - 02),
        )
        .await
        .expect("credit note");
    let Timesheet {
        project: _,
        task: _,
        entry: _,
        approval,
    } = pending_timesheet(
        admin,
        customer.id,
        ("Site", "Week 18"),
        date!(2026 - 05 - 01),
        90,
    )
    .await;

    // From here on, the k-th store call fails.
    faulty.fail_call(k);

    // Invite: a lost answer leaves the contact invited; the host then reinvites.
    retried(|| async {
        match admin
            .contacts()
            .enable_access(customer.id, &[contact])
            .await
        {
            Ok(_) => Ok(()),
            Err(e) if e.code() == "invalid_state" => {
                admin.contacts().reinvite(contact).await.map(|_| ())
            }
            Err(e) => Err(e),
        }
    })
    .await
    .unwrap_or_else(|e| {
        panic!(
            "{fault:?} fault at call {k} ({:?}): invite: {e}",
            faulty.failed_call()
        )
    });
    // The host dispatches on a timer: an email claimed by a dispatch whose answer
    // was lost goes out once its lease has passed.
    for _ in 0..3 {
        let _ = portal.dispatch_emails(100).await;
        if mailer.last_link_to(&email, "/invitation/").is_some() {
            break;
        }
        clock.advance(Duration::minutes(6));
    }
    // Accept: if the password was set before the answer was lost, the link is used
    // and the person signs in with it.
    let session = retried(|| async {
        let link = mailer
            .last_link_to(&email, "/invitation/")
            .ok_or(Error::InvalidLink)?;
        let token = link.rsplit('/').next().unwrap_or_default().to_owned();
        match portal
            .accept_invitation(
                &token,
                AcceptInvitation {
                    password: PASSWORD.into(),
                    password_confirmation: PASSWORD.into(),
                    preferences: None,
                },
            )
            .await
        {
            Ok(signed) => Ok(signed.session),
            Err(e) if e.code() == "invalid_link" => Ok(portal
                .sign_in(
                    org.slug.as_str(),
                    &email,
                    PASSWORD,
                    &portal_core::auth::ClientKey::unknown(),
                )
                .await?
                .session),
            Err(e) => Err(e),
        }
    })
    .await
    .unwrap_or_else(|e| {
        panic!(
            "{fault:?} fault at call {k} ({:?}): signed in: {e}",
            faulty.failed_call()
        )
    });
    // Pay the first invoice; a retry uses the same key.
    let pay = |invoice: InvoiceId, key: &'static str| PayRequest {
        invoices: InvoiceSelection::Chosen(vec![invoice]),
        amount: None,
        source: card(cards::VISA_OK),
        idempotency_key: key.into(),
    };
    retried(|| session.invoices().pay(pay(invoices[0], "faults-pay-first")))
        .await
        .unwrap_or_else(|e| {
            panic!(
                "{fault:?} fault at call {k} ({:?}): paid: {e}",
                faulty.failed_call()
            )
        });
    // The second payment is charged but its answer is lost; recovery records it.
    gateway.fail_after_charge(1);
    // A fault before the gateway was reached is retried with the same key; once
    // charged, the payment is pending and left to recovery.
    let mut lost = session
        .invoices()
        .pay(pay(invoices[1], "faults-pay-second"))
        .await;
    for _ in 0..3 {
        match &lost {
            Err(e) if e.code() != "payment_pending" => {
                lost = session
                    .invoices()
                    .pay(pay(invoices[1], "faults-pay-second"))
                    .await;
            }
            _ => break,
        }
    }
    clock.advance(Duration::minutes(20));
    retried(|| async {
        portal.recover_payments(Duration::minutes(15), 100).await?;
        // Recovery is done when no attempt of this customer is pending.
        let page = session.payments().list(None, 10).await?;
        if page.items.len() >= 2 || lost.is_ok() {
            Ok(())
        } else {
            Err(Error::PaymentPending)
        }
    })
    .await
    .unwrap_or_else(|e| {
        panic!(
            "{fault:?} fault at call {k} ({:?}): recovered: {e}",
            faulty.failed_call()
        )
    });
    // Apply the credit note to the third invoice: applied exactly once.
    retried(|| async {
        match session.credits().apply(invoices[2], None).await {
            Ok(_) => Ok(()),
            Err(e) if e.code() == "credit_not_available" => {
                let inv = session.invoices().get(invoices[2]).await?;
                if inv.credited.is_zero() {
                    Err(e)
                } else {
                    Ok(())
                }
            }
            Err(e) => Err(e),
        }
    })
    .await
    .unwrap_or_else(|e| {
        panic!(
            "{fault:?} fault at call {k} ({:?}): credit applied: {e}",
            faulty.failed_call()
        )
    });
    retried(|| async {
        match session
            .approvals()
            .decide(approval.id, &ApprovalDecision::Approve)
            .await
        {
            Ok(_) => Ok(()),
            Err(e) if e.code() == "invalid_state" => Ok(()),
            Err(e) => Err(e),
        }
    })
    .await
    .unwrap_or_else(|e| {
        panic!(
            "{fault:?} fault at call {k} ({:?}): decided: {e}",
            faulty.failed_call()
        )
    });
    retried(|| async {
        let listed = session.files().list(&PageRequest::first(10)).await?;
        if listed.items.is_empty() {
            session
                .files()
                .upload("contract.pdf", PDF)
                .await
                .map(|_| ())
        } else {
            Ok(())
        }
    })
    .await
    .unwrap_or_else(|e| {
        panic!(
            "{fault:?} fault at call {k} ({:?}): uploaded: {e}",
            faulty.failed_call()
        )
    });
    let calls = faulty.calls();
    let failed = faulty.failed_call();
    faulty.heal();

    // What it came to.
    let payments = session
        .payments()
        .list(None, 100)
        .await
        .expect("payments")
        .items;
    let recorded = payments
        .iter()
        .map(|p| p.amount.to_minor_units().expect("fits"))
        .sum();
    let dash = session.dashboard().await.expect("dashboard");
    let statement = session
        .statement(StatementPeriod::Custom {
            from: date!(2026 - 01 - 01),
            to: date!(2026 - 12 - 31),
        })
        .await
        .expect("statement");
    let mut invoice_balances = Vec::new();
    for id in &invoices {
        invoice_balances.push(session.invoices().get(*id).await.expect("invoice").balance);
    }
    let files = session
        .files()
        .list(&PageRequest::first(10))
        .await
        .expect("files")
        .items;
    let mut file_bytes_ok = true;
    for f in &files {
        file_bytes_ok &= session
            .files()
            .download(f.id)
            .await
            .is_ok_and(|(_, b)| b == PDF);
    }
    let approval_status = session
        .approvals()
        .get(approval.id)
        .await
        .expect("approval")
        .status;
    // Everything queued (the reads above included) goes out on the next timer tick.
    clock.advance(Duration::minutes(6));
    portal.dispatch_emails(100).await.expect("dispatch");
    let mut emails = BTreeMap::new();
    for m in mailer
        .sent()
        .into_iter()
        .filter(|m| m.to.as_str().contains(tail))
    {
        if !m.body.contains("/invitation/") {
            *emails
                .entry(subject_key(m.to.as_str(), &m.subject))
                .or_default() += 1;
        }
    }
    let mut activity = BTreeMap::new();
    for a in admin
        .activity(customer.id, &PageRequest::first(100))
        .await
        .expect("activity")
        .items
    {
        *activity.entry(format!("{:?}", a.event)).or_default() += 1;
    }
    let outcome = Outcome {
        charged: gateway.charged_minor_units(),
        recorded,
        payments: payments.len(),
        outstanding: dash.outstanding_invoices,
        credits: dash.available_credits,
        statement_closing: statement.closing,
        invoice_balances,
        approval: approval_status,
        files: files.len(),
        file_bytes_ok,
        emails,
        activity,
    };
    (outcome, calls, failed)
}

async fn every_fault(backend: Backend) {
    let Some(stores) = store_for(backend).await else {
        return;
    };
    let (clean, calls, _) =
        scenario(stores.store.clone(), stores.files.clone(), Fault::Before, 0).await;
    assert_eq!(clean.charged, 15_000);
    assert_eq!(clean.charged, clean.recorded);
    assert_eq!(
        clean.outstanding,
        Money::from_minor_units(1_000, clean.outstanding.currency())
    );
    assert_eq!(clean.statement_closing, clean.outstanding);
    assert_eq!((clean.files, clean.file_bytes_ok), (1, true));
    assert_eq!(
        clean.emails.get("customer: Receipt from Faults"),
        Some(&2),
        "a receipt for each payment, the recovered one too: {:?}",
        clean.emails
    );
    let mut broken = Vec::new();
    for fault in [Fault::Before, Fault::After] {
        for k in 1..=calls {
            let (outcome, _, failed) =
                scenario(stores.store.clone(), stores.files.clone(), fault, k).await;
            if outcome != clean {
                broken.push(format!(
                    "{fault:?} call {k} ({}):\n  clean {clean:?}\n  got   {outcome:?}",
                    failed.unwrap_or("?")
                ));
            }
        }
    }
    let _ = std::io::Write::write_all(
        &mut std::io::stderr(),
        format!(
            "faults on {backend:?}: {calls} store calls, {} faulty runs, {} differed\n",
            2 * calls,
            broken.len()
        )
        .as_bytes(),
    );
    assert!(broken.is_empty(), "{}", broken.join("\n"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn memory() {
    every_fault(Backend::Memory).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite() {
    every_fault(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres() {
    every_fault(Backend::Postgres).await;
}
