//! Concurrency across app instances: two pools on one database (PostgreSQL and
//! SQLite; two portals over one MemoryStore), one shared gateway, many simultaneous
//! Pay Now calls.

use crate::common;

use common::instances::{
    Instances, card, memory_instances, postgres_instances, setup, sqlite_instances,
};
use portal_core::prelude::*;
use rust_decimal::Decimal;
use time::macros::date;

async fn hundred_pay_now_calls_with_one_key(i: Instances) {
    let (token, invoice) = setup(&i, 25_000, false).await;
    let mut tasks = Vec::new();
    for n in 0..100 {
        let portal = if n % 2 == 0 { i.a.clone() } else { i.b.clone() };
        let token = token.clone();
        tasks.push(tokio::spawn(async move {
            let session = portal.session(&token).await?;
            session
                .invoices()
                .pay(PayRequest {
                    invoices: InvoiceSelection::Chosen(vec![invoice]),
                    amount: None,
                    source: card(),
                    idempotency_key: "the-one-key-0001".into(),
                })
                .await
        }));
    }
    let mut ok = Vec::new();
    let mut errors = Vec::new();
    for t in tasks {
        match t.await.expect("task") {
            Ok(p) => ok.push(p),
            Err(e) => errors.push(e.code()),
        }
    }
    let session = i.a.session(&token).await.expect("session");
    let payments = session
        .payments()
        .list(None, 100)
        .await
        .expect("payments")
        .items;
    let _ = std::io::Write::write_all(
        &mut std::io::stderr(),
        format!(
            "100 concurrent Pay Now, one key: {} answered with the payment, errors {:?}, gateway calls {}, charges {}, payments {}\n",
            ok.len(),
            errors,
            i.gateway.calls(),
            i.gateway.charge_count(),
            payments.len()
        )
        .as_bytes(),
    );
    assert_eq!(i.gateway.charge_count(), 1, "exactly one charge");
    assert_eq!(payments.len(), 1, "exactly one payment");
    assert!(ok.iter().all(|p| p.id == payments[0].id));
    assert!(errors.iter().all(|c| *c == "payment_pending"), "{errors:?}");
    assert!(!ok.is_empty());
    let inv =
        i.a.session(&token)
            .await
            .expect("s")
            .invoices()
            .get(invoice)
            .await
            .expect("invoice");
    assert!(inv.balance.is_zero());
}

/// `n` concurrent Pay Now calls on one invoice from two app instances, each with
/// its own idempotency key (two tabs, two devices, double submits), paying
/// `amount_minor` each (or the whole balance). Whatever the interleaving, the
/// customer is never charged more than was owed, nothing becomes credit, and a
/// refused attempt never reaches the gateway.
async fn attempts_with_fresh_keys(
    i: &Instances,
    balance: i64,
    n: usize,
    amount_minor: Option<i64>,
) -> usize {
    let (token, invoice) = setup(i, balance, amount_minor.is_some()).await;
    let usd = Currency::from_code("USD").expect("usd");
    let mut tasks = Vec::new();
    for k in 0..n {
        let portal = if k % 2 == 0 { i.a.clone() } else { i.b.clone() };
        let token = token.clone();
        tasks.push(tokio::spawn(async move {
            let session = portal.session(&token).await?;
            session
                .invoices()
                .pay(PayRequest {
                    invoices: InvoiceSelection::Chosen(vec![invoice]),
                    amount: amount_minor.map(|m| Money::from_minor_units(m, usd)),
                    source: card(),
                    idempotency_key: format!("fresh-key-{k:04}"),
                })
                .await
        }));
    }
    let mut paid = 0;
    let mut refused = std::collections::BTreeMap::<&str, u32>::new();
    for t in tasks {
        match t.await.expect("task") {
            Ok(_) => paid += 1,
            Err(e) => *refused.entry(e.code()).or_default() += 1,
        }
    }
    let session = i.a.session(&token).await.expect("session");
    let inv = session.invoices().get(invoice).await.expect("invoice");
    let payments = session
        .payments()
        .list(None, 100)
        .await
        .expect("payments")
        .items;
    let received: i64 = payments
        .iter()
        .map(|p| p.amount.to_minor_units().expect("fits"))
        .sum();
    let credit: i64 = payments
        .iter()
        .map(|p| p.unapplied.to_minor_units().expect("fits"))
        .sum();
    let applied = inv.paid.to_minor_units().expect("fits");
    let _ = std::io::Write::write_all(
        &mut std::io::stderr(),
        format!(
            "{n} concurrent attempts with fresh keys on {balance}: {paid} charged, refused {refused:?}, applied {applied}, credited {credit}, gateway calls {}\n",
            i.gateway.calls()
        )
        .as_bytes(),
    );
    assert!(
        i.gateway.charged_minor_units() <= balance,
        "never charged more than was owed"
    );
    assert_eq!(credit, 0, "no excess became credit");
    assert_eq!(received, applied, "every charged cent is applied");
    assert_eq!(
        i.gateway.charged_minor_units(),
        received,
        "what was charged was recorded"
    );
    assert_eq!(payments.len(), paid);
    assert_eq!(
        i.gateway.calls(),
        u64::try_from(paid).expect("fits"),
        "a refused attempt never reaches the gateway"
    );
    assert!(
        refused.keys().all(|c| matches!(
            *c,
            "payment_in_progress" | "amount_exceeds_balance" | "nothing_to_pay"
        )),
        "{refused:?}"
    );
    paid
}

async fn sixty_four_part_payments_never_charge_more_than_owed(i: Instances) {
    let paid = attempts_with_fresh_keys(&i, 10_000, 64, Some(500)).await;
    assert!((1..=20).contains(&paid), "{paid}");
}

async fn forty_whole_balance_payments_with_fresh_keys_charge_once(i: Instances) {
    let paid = attempts_with_fresh_keys(&i, 14_100, 40, None).await;
    assert_eq!(paid, 1, "one charge of the whole balance");
}

async fn accept_and_decline_at_once(i: Instances) {
    let (token, _) = setup(&i, 1_000, false).await;
    let session = i.a.session(&token).await.expect("session");
    let admin = i.a.org(session.org_id());
    let quote = admin
        .quotes()
        .create(
            session.customer_id(),
            portal_core::domain::NewQuote {
                number: "RACE-Q".into(),
                lines: vec![LineItem::new("x", Decimal::ONE, Decimal::from(100))],
                issue_date: date!(2026 - 01 - 01),
                expiry_date: date!(2099 - 12 - 31),
            },
        )
        .await
        .expect("quote");
    admin.quotes().send(quote.id).await.expect("send");
    let hash = session
        .quotes()
        .get(quote.id)
        .await
        .expect("view")
        .content_hash();
    let mut tasks = Vec::new();
    for n in 0..20 {
        let portal = if n % 2 == 0 { i.a.clone() } else { i.b.clone() };
        let token = token.clone();
        let hash = hash.clone();
        tasks.push(tokio::spawn(async move {
            let session = portal.session(&token).await?;
            if n % 2 == 0 {
                session
                    .quotes()
                    .accept(quote.id, &hash, None)
                    .await
                    .map(|q| q.status)
            } else {
                session
                    .quotes()
                    .decline(quote.id, Some("no"))
                    .await
                    .map(|q| q.status)
            }
        }));
    }
    let mut winners = Vec::new();
    let mut losers = std::collections::BTreeMap::<&str, u32>::new();
    for t in tasks {
        match t.await.expect("task") {
            Ok(status) => winners.push(status),
            Err(e) => *losers.entry(e.code()).or_default() += 1,
        }
    }
    let _ = std::io::Write::write_all(
        &mut std::io::stderr(),
        format!("20 concurrent accept/decline: winners {winners:?}, losers {losers:?}\n")
            .as_bytes(),
    );
    assert_eq!(winners.len(), 1, "exactly one decision wins");
    assert!(
        losers
            .keys()
            .all(|c| matches!(*c, "invalid_state" | "quote_changed")),
        "{losers:?}"
    );
    let final_quote = admin.quotes().get(quote.id).await.expect("quote");
    assert_eq!(final_quote.status, winners[0]);
}

/// The customer pays the whole 100.00 on instance A; while the gateway is still
/// answering, the same customer applies a 25.00 credit note on instance B, and the
/// organization records a 100.00 cheque and tries to void the invoice. What the
/// payment in flight holds is its own: the credit and the void wait
/// (`payment_in_progress`), the cheque becomes credit, and the payment settles the
/// 100.00 it held, leaving no excess: never charged more than owed.
async fn credit_cheque_and_void_while_a_payment_is_in_flight(i: Instances) {
    let (token, invoice) = setup(&i, 10_000, false).await;
    let session = i.b.session(&token).await.expect("session");
    let admin = i.b.org(session.org_id());
    let usd = Currency::from_code("USD").expect("usd");
    admin
        .credits()
        .create_note(
            session.customer_id(),
            "CN-25",
            Money::from_minor_units(2_500, usd),
            date!(2026 - 04 - 02),
        )
        .await
        .expect("credit note");
    i.door.shut();
    let paying = {
        let (portal, token) = (i.a.clone(), token.clone());
        tokio::spawn(async move {
            let session = portal.session(&token).await?;
            session
                .invoices()
                .pay(PayRequest {
                    invoices: InvoiceSelection::Chosen(vec![invoice]),
                    amount: None,
                    source: card(),
                    idempotency_key: "in-flight-0001".into(),
                })
                .await
        })
    };
    i.door.waiting(1).await;
    let credit = session.credits().apply(invoice, None).await;
    let void = admin.invoices().void(invoice).await;
    let cheque = admin
        .invoices()
        .record_offline_payment(
            session.customer_id(),
            Money::from_minor_units(10_000, usd),
            "cheque",
            portal_core::OffsetDateTime::now_utc(),
            &[invoice],
        )
        .await
        .expect("cheque");
    i.door.open();
    let payment = paying.await.expect("task").expect("paid");
    assert_eq!(
        credit.expect_err("the balance is held").code(),
        "payment_in_progress"
    );
    assert_eq!(void.expect_err("in flight").code(), "payment_in_progress");
    assert!(cheque.allocations.is_empty(), "{cheque:?}");
    assert!(
        payment.unapplied.is_zero(),
        "charged no more than owed: {payment:?}"
    );
    assert_eq!(payment.allocations.len(), 1);
    let inv = session.invoices().get(invoice).await.expect("invoice");
    assert!(inv.balance.is_zero() && inv.reserved.is_zero(), "{inv:?}");
    assert_eq!(i.gateway.charged_minor_units(), 10_000);
    let dash = session.dashboard().await.expect("dashboard");
    assert_eq!(
        dash.available_credits,
        Money::from_minor_units(12_500, usd),
        "the credit note and the cheque are still the customer's"
    );
}

/// Part payments, credit applications and offline payments of one invoice, all at
/// once from two instances: whatever wins, no online payment leaves an excess
/// (nobody was charged more than owed), what was charged was recorded, and the
/// invoice's figures add up.
async fn payments_credits_and_cheques_race_on_one_invoice(i: Instances) {
    let (token, invoice) = setup(&i, 10_000, true).await;
    let usd = Currency::from_code("USD").expect("usd");
    let session = i.a.session(&token).await.expect("session");
    let admin = i.a.org(session.org_id());
    for n in 0..4 {
        admin
            .credits()
            .create_note(
                session.customer_id(),
                &format!("CN-{n}"),
                Money::from_minor_units(1_500, usd),
                date!(2026 - 04 - 02),
            )
            .await
            .expect("credit note");
    }
    let mut tasks = Vec::new();
    for k in 0..36 {
        let portal = if k % 2 == 0 { i.a.clone() } else { i.b.clone() };
        let token = token.clone();
        tasks.push(tokio::spawn(async move {
            let session = portal.session(&token).await?;
            let five = Some(Money::from_minor_units(500, usd));
            match k % 3 {
                0 => session
                    .invoices()
                    .pay(PayRequest {
                        invoices: InvoiceSelection::Chosen(vec![invoice]),
                        amount: five,
                        source: card(),
                        idempotency_key: format!("race-pay-{k:04}"),
                    })
                    .await
                    .map(|_| "paid"),
                1 => session
                    .credits()
                    .apply(invoice, five)
                    .await
                    .map(|_| "credited"),
                _ => portal
                    .org(session.org_id())
                    .invoices()
                    .record_offline_payment(
                        session.customer_id(),
                        Money::from_minor_units(500, usd),
                        "cash",
                        portal_core::OffsetDateTime::now_utc(),
                        &[invoice],
                    )
                    .await
                    .map(|_| "cash"),
            }
        }));
    }
    let mut outcomes = std::collections::BTreeMap::<&str, u32>::new();
    for t in tasks {
        let outcome = match t.await.expect("task") {
            Ok(what) => what,
            Err(e) => e.code(),
        };
        *outcomes.entry(outcome).or_default() += 1;
    }
    let _ = std::io::Write::write_all(
        &mut std::io::stderr(),
        format!("36 payments, credits and cheques on one invoice: {outcomes:?}\n").as_bytes(),
    );
    assert!(
        outcomes.keys().all(|c| matches!(
            *c,
            "paid"
                | "credited"
                | "cash"
                | "payment_in_progress"
                | "amount_exceeds_balance"
                | "nothing_to_pay"
                | "invalid_state"
                | "credit_not_available"
        )),
        "{outcomes:?}"
    );
    let inv = session.invoices().get(invoice).await.expect("invoice");
    assert!(inv.reserved.is_zero());
    assert_eq!(
        inv.balance,
        inv.total
            .checked_sub(&inv.paid)
            .and_then(|m| m.checked_sub(&inv.credited))
            .expect("fits")
    );
    let payments = session
        .payments()
        .list(None, 100)
        .await
        .expect("payments")
        .items;
    let online: Vec<_> = payments.iter().filter(|p| p.reference.is_some()).collect();
    assert!(
        online.iter().all(|p| p.unapplied.is_zero()),
        "an online payment left an excess: {online:?}"
    );
    let charged: i64 = online
        .iter()
        .map(|p| p.amount.to_minor_units().expect("fits"))
        .sum();
    assert_eq!(i.gateway.charged_minor_units(), charged);
    let applied: i64 = payments
        .iter()
        .flat_map(|p| &p.allocations)
        .map(|a| a.amount.to_minor_units().expect("fits"))
        .sum();
    assert_eq!(applied, inv.paid.to_minor_units().expect("fits"));
}

macro_rules! on_every_backend {
    ($($scenario:ident),*) => {
        $(
            mod $scenario {
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn memory() {
                    super::$scenario(super::memory_instances().await).await;
                }

                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn postgres() {
                    if let Some(i) = super::postgres_instances().await {
                        super::$scenario(i).await;
                    }
                }

                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn sqlite() {
                    let i = super::sqlite_instances().await.expect("sqlite");
                    super::$scenario(i).await;
                }
            }
        )*
    };
}

/// Twenty decisions on one timesheet from two app instances; and the same entries
/// sent in ten timesheets at once: one of each wins.
async fn timesheet_decided_and_sent_at_once(i: Instances) {
    let (token, _) = setup(&i, 1_000, false).await;
    let session = i.a.session(&token).await.expect("session");
    let admin = i.a.org(session.org_id());
    admin
        .update_settings(|s| s.preferences.show_projects = true)
        .await
        .expect("projects on");
    let project = admin
        .projects()
        .create(session.customer_id(), "Race", "")
        .await
        .expect("project");
    let task = admin
        .projects()
        .add_task(project.id, "T", true)
        .await
        .expect("task");
    let mut entries = Vec::new();
    for day in 1..=3 {
        entries.push(
            admin
                .projects()
                .log_time(
                    project.id,
                    portal_core::domain::NewTimeEntry {
                        task: task.id,
                        date: date!(2026 - 02 - 01).replace_day(day).expect("day"),
                        minutes: 60,
                        note: String::new(),
                    },
                )
                .await
                .expect("time")
                .id,
        );
    }
    // The same entries sent ten times at once: one timesheet.
    let mut sends = Vec::new();
    for n in 0..10 {
        let portal = if n % 2 == 0 { i.a.clone() } else { i.b.clone() };
        let (org, entries) = (session.org_id(), entries.clone());
        sends.push(tokio::spawn(async move {
            portal
                .org(org)
                .approvals()
                .send(project.id, &format!("Sheet {n}"), &entries)
                .await
        }));
    }
    let mut sent = Vec::new();
    let mut refused = std::collections::BTreeMap::<&str, u32>::new();
    for t in sends {
        match t.await.expect("task") {
            Ok(a) => sent.push(a),
            Err(e) => *refused.entry(e.code()).or_default() += 1,
        }
    }
    assert_eq!(
        sent.len(),
        1,
        "one timesheet holds the entries: {refused:?}"
    );
    assert!(
        refused.keys().all(|c| *c == "time_not_submittable"),
        "{refused:?}"
    );
    let sheet = sent[0].id;
    let mut tasks = Vec::new();
    for n in 0..20 {
        let portal = if n % 2 == 0 { i.a.clone() } else { i.b.clone() };
        let token = token.clone();
        let first = entries[0];
        tasks.push(tokio::spawn(async move {
            let session = portal.session(&token).await?;
            let decision = if n % 2 == 0 {
                portal_core::domain::ApprovalDecision::Approve
            } else {
                portal_core::domain::ApprovalDecision::Dispute {
                    entries: vec![(first, "not ours".into())],
                }
            };
            session
                .approvals()
                .decide(sheet, &decision)
                .await
                .map(|a| a.status)
        }));
    }
    let mut winners = Vec::new();
    let mut losers = std::collections::BTreeMap::<&str, u32>::new();
    for t in tasks {
        match t.await.expect("task") {
            Ok(status) => winners.push(status),
            Err(e) => *losers.entry(e.code()).or_default() += 1,
        }
    }
    let _ = std::io::Write::write_all(
        &mut std::io::stderr(),
        format!(
            "10 concurrent sends: refused {refused:?}; 20 concurrent decisions: winners {winners:?}, losers {losers:?}\n"
        )
        .as_bytes(),
    );
    assert_eq!(winners.len(), 1, "exactly one decision wins");
    assert!(losers.keys().all(|c| *c == "invalid_state"), "{losers:?}");
    let entries_now = admin
        .projects()
        .time_entries(&entries)
        .await
        .expect("entries");
    let expected = if winners[0] == portal_core::domain::ApprovalStatus::Approved {
        vec![portal_core::domain::EntryApproval::Approved; 3]
    } else {
        vec![
            portal_core::domain::EntryApproval::Rejected,
            portal_core::domain::EntryApproval::Approved,
            portal_core::domain::EntryApproval::Approved,
        ]
    };
    assert_eq!(
        entries_now.iter().map(|e| e.approval).collect::<Vec<_>>(),
        expected,
        "the entries follow the winning decision only"
    );
}

on_every_backend!(
    credit_cheque_and_void_while_a_payment_is_in_flight,
    payments_credits_and_cheques_race_on_one_invoice,
    timesheet_decided_and_sent_at_once,
    hundred_pay_now_calls_with_one_key,
    sixty_four_part_payments_never_charge_more_than_owed,
    forty_whole_balance_payments_with_fresh_keys_charge_once,
    accept_and_decline_at_once
);
