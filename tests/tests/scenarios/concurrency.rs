//! Concurrency across app instances: two pools on one database (PostgreSQL and
//! SQLite; two portals over one MemoryStore), one shared gateway, many simultaneous
//! Pay Now calls.

use crate::common;

use common::instances::{
    Instances, card, memory_instances, on_every_backend, postgres_instances, setup,
    sqlite_instances,
};
use portal_core::prelude::*;
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

on_every_backend!(
    credit_cheque_and_void_while_a_payment_is_in_flight,
    payments_credits_and_cheques_race_on_one_invoice,
    hundred_pay_now_calls_with_one_key,
    sixty_four_part_payments_never_charge_more_than_owed,
    forty_whole_balance_payments_with_fresh_keys_charge_once
);
