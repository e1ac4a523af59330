//! Property tests on every backend: money is conserved under random sequences of
//! invoices, payments (online and offline, partial and over), payments left in
//! flight (charged, the answer lost) and recovered later, credit notes, credit
//! applications, refunds and voids, payments that wait for the customer's bank or
//! settle later, with the gateway's events settling or failing them, delivered
//! twice, late, out of order or never (recovery then asks the gateway); balances
//! never go negative; states stay legal;
//! no online payment is ever charged beyond what was owed (it never leaves an
//! excess, whatever ran while it was in flight); and memory, SQLite and PostgreSQL
//! end up with identical figures.

use crate::common;

use std::collections::BTreeMap;

use common::backends::{Backend, Env, env};
use portal_core::domain::{DashboardFigures, InvoiceStatus};
use portal_core::prelude::*;
use portal_memory::cards;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use rust_decimal::Decimal;
use time::macros::date;

#[derive(Debug, Clone)]
enum Op {
    Invoice {
        minor: i64,
        due_in: i64,
        partial: bool,
        retainer: bool,
    },
    Offline {
        minor: i64,
        targets: Vec<usize>,
    },
    CreditNote {
        minor: i64,
    },
    ApplyCredit {
        invoice: usize,
    },
    Void {
        invoice: usize,
    },
    PayOnline {
        invoice: usize,
        part: Option<i64>,
        declined: bool,
    },
    PayAll,
    /// Pays an invoice (or part of it); the gateway charges but its answer is lost,
    /// so the payment stays in flight until a recovery.
    PayInFlight {
        invoice: usize,
        part: Option<i64>,
    },
    /// Records the payments left in flight.
    Recover,
    /// Pays an invoice (or part of it) with a card the bank must confirm, or a
    /// debit that settles later: pending, its amount reserved.
    PayNotYet {
        invoice: usize,
        part: Option<i64>,
        debit: bool,
    },
    /// The gateway concludes a pending payment (settles or fails it) and posts its
    /// event, delivered once, twice, or lost (recovery finds the outcome).
    Conclude {
        pick: usize,
        ok: bool,
        delivery: Delivery,
    },
    /// An event delivered earlier arrives again, late.
    Redeliver {
        pick: usize,
    },
    Refund {
        minor: i64,
        pick: usize,
    },
}

#[derive(Debug, Clone, Copy)]
enum Delivery {
    Once,
    Twice,
    Lost,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => (1_i64..50_000, 0_i64..60, any::<bool>(), prop::bool::weighted(0.2))
            .prop_map(|(minor, due_in, partial, retainer)| Op::Invoice { minor, due_in, partial, retainer }),
        2 => (1_i64..60_000, prop::collection::vec(0_usize..8, 0..3))
            .prop_map(|(minor, targets)| Op::Offline { minor, targets }),
        1 => (1_i64..20_000).prop_map(|minor| Op::CreditNote { minor }),
        1 => (0_usize..8).prop_map(|invoice| Op::ApplyCredit { invoice }),
        1 => (0_usize..8).prop_map(|invoice| Op::Void { invoice }),
        2 => (0_usize..8, prop::option::of(50_i64..30_000), prop::bool::weighted(0.2))
            .prop_map(|(invoice, part, declined)| Op::PayOnline { invoice, part, declined }),
        1 => Just(Op::PayAll),
        2 => (0_usize..8, prop::option::of(50_i64..30_000))
            .prop_map(|(invoice, part)| Op::PayInFlight { invoice, part }),
        1 => Just(Op::Recover),
        2 => (0_usize..8, prop::option::of(50_i64..30_000), any::<bool>())
            .prop_map(|(invoice, part, debit)| Op::PayNotYet { invoice, part, debit }),
        2 => (0_usize..4, prop::bool::weighted(0.6), prop_oneof![Just(Delivery::Once), Just(Delivery::Twice), Just(Delivery::Lost)])
            .prop_map(|(pick, ok, delivery)| Op::Conclude { pick, ok, delivery }),
        1 => (0_usize..8).prop_map(|pick| Op::Redeliver { pick }),
        1 => (1_i64..5_000, 0_usize..4).prop_map(|(minor, pick)| Op::Refund { minor, pick }),
    ]
}

fn visa() -> PaySource {
    PaySource::Card(Box::new(CardDetails {
        number: cards::VISA_OK.into(),
        cvv: "123".into(),
        exp_month: 1,
        exp_year: 2031,
        holder: "P".into(),
        billing_address: portal_core::domain::Address::default(),
        country: "US".into(),
    }))
}

/// What a run ends with, comparable across backends.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Outcome {
    invoices: BTreeMap<String, (InvoiceStatus, i64, i64, i64, i64)>,
    dashboard: (i64, i64, i64, i64, i64, Option<i64>),
    payments: Vec<(i64, i64, usize)>,
    charged: i64,
    statement: Vec<(portal_core::domain::StatementEntryKind, i64)>,
}

fn minor(m: Money) -> i64 {
    m.to_minor_units().expect("fits")
}

struct Run<'a> {
    backend: Backend,
    env: &'a Env,
    org: Organization,
    customer: Customer,
    session: PortalSession,
    invoices: Vec<InvoiceId>,
    credit_notes_total: i64,
    refunded: i64,
    step: usize,
    /// What the gateway had charged before this run.
    charged_before: i64,
    /// The gateway's references of payments not concluded yet.
    open: Vec<String>,
    /// Every event the gateway posted, delivered or not.
    events: Vec<portal_memory::SignedEvent>,
}

impl Run<'_> {
    fn usd(&self) -> Currency {
        self.customer.currency
    }

    async fn apply(&mut self, op: &Op) {
        self.step += 1;
        let admin = self.env.portal.org(self.org.id);
        let pick = |i: usize, all: &[InvoiceId]| (!all.is_empty()).then(|| all[i % all.len()]);
        match op {
            Op::Invoice {
                minor,
                due_in,
                partial,
                retainer,
            } => {
                let draft = admin
                    .invoices()
                    .create(
                        self.customer.id,
                        NewInvoice {
                            kind: if *retainer {
                                InvoiceKind::Retainer
                            } else {
                                InvoiceKind::Invoice
                            },
                            number: format!("P-{}", self.step),
                            lines: vec![LineItem::new(
                                "Work",
                                Decimal::ONE,
                                Money::from_minor_units(*minor, self.usd()).amount(),
                            )],
                            issue_date: date!(2026 - 04 - 01),
                            due_date: date!(2026 - 04 - 01) + time::Duration::days(*due_in),
                            allow_partial_payments: *partial,
                            payment_gateways: vec!["test".into()],
                        },
                    )
                    .await
                    .expect("invoice");
                admin.invoices().send(draft.id).await.expect("send");
                self.invoices.push(draft.id);
            }
            Op::Offline { minor, targets } => {
                let ids: Vec<InvoiceId> = targets
                    .iter()
                    .filter_map(|t| pick(*t, &self.invoices))
                    .collect();
                admin
                    .invoices()
                    .record_offline_payment(
                        self.customer.id,
                        Money::from_minor_units(*minor, self.usd()),
                        "cash",
                        portal_core::OffsetDateTime::UNIX_EPOCH
                            + time::Duration::days(20_000)
                            + time::Duration::seconds(i64::try_from(self.step).expect("small")),
                        &ids,
                    )
                    .await
                    .expect("offline payment");
            }
            Op::CreditNote { minor } => {
                admin
                    .credits()
                    .create_note(
                        self.customer.id,
                        &format!("CN-{}", self.step),
                        Money::from_minor_units(*minor, self.usd()),
                        date!(2026 - 04 - 02),
                    )
                    .await
                    .expect("credit note");
                self.credit_notes_total += minor;
            }
            Op::ApplyCredit { invoice } => {
                if let Some(id) = pick(*invoice, &self.invoices) {
                    match self.session.credits().apply(id, None).await {
                        Ok(_) => {}
                        Err(e) => assert!(
                            matches!(
                                e.code(),
                                "credit_not_available" | "invalid_state" | "payment_in_progress"
                            ),
                            "{e}"
                        ),
                    }
                }
            }
            Op::Void { invoice } => {
                if let Some(id) = pick(*invoice, &self.invoices)
                    && let Err(e) = admin.invoices().void(id).await
                {
                    assert!(
                        matches!(e.code(), "invalid_state" | "payment_in_progress"),
                        "{e}"
                    );
                }
            }
            Op::PayOnline {
                invoice,
                part,
                declined,
            } => {
                if let Some(id) = pick(*invoice, &self.invoices) {
                    let number = if *declined {
                        cards::DECLINED
                    } else {
                        cards::VISA_OK
                    };
                    let request = PayRequest {
                        invoices: InvoiceSelection::Chosen(vec![id]),
                        amount: part.map(|m| Money::from_minor_units(m, self.usd())),
                        source: PaySource::Card(Box::new(CardDetails {
                            number: number.into(),
                            cvv: "123".into(),
                            exp_month: 1,
                            exp_year: 2031,
                            holder: "P".into(),
                            billing_address: portal_core::domain::Address::default(),
                            country: "US".into(),
                        })),
                        idempotency_key: format!("prop-{}-{}", self.org.id, self.step),
                    };
                    if let Err(e) = self.session.invoices().pay(request).await {
                        assert!(
                            matches!(
                                e.code(),
                                "card_declined"
                                    | "nothing_to_pay"
                                    | "partial_payment_not_allowed"
                                    | "amount_exceeds_balance"
                                    | "payment_in_progress"
                                    | "CP4001"
                            ),
                            "{e}"
                        );
                    }
                }
            }
            Op::PayInFlight { invoice, part } => {
                if let Some(id) = pick(*invoice, &self.invoices) {
                    self.env.gateway.fail_after_charge(1);
                    let request = PayRequest {
                        invoices: InvoiceSelection::Chosen(vec![id]),
                        amount: part.map(|m| Money::from_minor_units(m, self.usd())),
                        source: visa(),
                        idempotency_key: format!("prop-flight-{}-{}", self.org.id, self.step),
                    };
                    let e = self
                        .session
                        .invoices()
                        .pay(request)
                        .await
                        .expect_err("the answer is lost or the payment refused");
                    // Refused before the gateway: the lost answer is still to come.
                    if e.code() != "payment_pending" {
                        self.env.gateway.fail_after_charge(0);
                    }
                    assert!(
                        matches!(
                            e.code(),
                            "payment_pending"
                                | "nothing_to_pay"
                                | "partial_payment_not_allowed"
                                | "amount_exceeds_balance"
                                | "payment_in_progress"
                                | "CP4001"
                        ),
                        "{e}"
                    );
                }
            }
            Op::Recover => self.recover().await,
            Op::PayNotYet {
                invoice,
                part,
                debit,
            } => {
                if let Some(id) = pick(*invoice, &self.invoices) {
                    let key = format!("prop-later-{}-{}", self.org.id, self.step);
                    let method = if *debit {
                        "pm_sepa_debit"
                    } else {
                        "pm_card_authenticationRequired"
                    };
                    let request = PayRequest {
                        invoices: InvoiceSelection::Chosen(vec![id]),
                        amount: part.map(|m| Money::from_minor_units(m, self.usd())),
                        source: PaySource::Method(
                            portal_core::gateway::MethodRef::new(method).expect("ref"),
                        ),
                        idempotency_key: key.clone(),
                    };
                    match self.session.invoices().pay_online(request).await {
                        Ok(outcome) => {
                            assert!(
                                !matches!(outcome, portal_core::service::PayOutcome::Paid(_)),
                                "{outcome:?}"
                            );
                            self.open
                                .push(self.env.gateway.reference_of(&key).expect("open"));
                        }
                        Err(e) => assert!(
                            matches!(
                                e.code(),
                                "nothing_to_pay"
                                    | "partial_payment_not_allowed"
                                    | "amount_exceeds_balance"
                                    | "payment_in_progress"
                                    | "CP4001"
                            ),
                            "{e}"
                        ),
                    }
                }
            }
            Op::Conclude { pick, ok, delivery } => {
                if !self.open.is_empty() {
                    let reference = self.open.remove(pick % self.open.len());
                    self.conclude(&reference, *ok, *delivery).await;
                }
            }
            Op::Redeliver { pick } => {
                if !self.events.is_empty() {
                    let earlier = &self.events[pick % self.events.len()];
                    self.env.clock.advance(time::Duration::seconds(1));
                    let signature = portal_core::gateway::signature::sign(
                        portal_memory::WEBHOOK_SECRET,
                        portal_core::clock::Clock::now(&*self.env.clock),
                        &earlier.payload,
                    );
                    let outcome = self
                        .env
                        .portal
                        .handle_gateway_event("test", &signature, &earlier.payload)
                        .await
                        .expect("event");
                    assert_ne!(outcome, portal_core::service::EventOutcome::Ignored);
                }
            }
            Op::Refund { minor, pick } => {
                let credits = self.session.credits().list().await.expect("credits");
                if !credits.is_empty() {
                    let credit = &credits[pick % credits.len()];
                    let result = admin
                        .credits()
                        .refund(
                            self.customer.id,
                            credit.source,
                            Money::from_minor_units(*minor, self.usd()),
                            "transfer",
                            portal_core::OffsetDateTime::UNIX_EPOCH + time::Duration::days(20_000),
                        )
                        .await;
                    match result {
                        Ok(r) => self.refunded += r.amount.to_minor_units().expect("fits"),
                        Err(e) => assert_eq!(e.code(), "credit_not_available", "{e}"),
                    }
                }
            }
            Op::PayAll => {
                let request = PayRequest {
                    invoices: InvoiceSelection::AllOutstanding,
                    amount: None,
                    source: visa(),
                    idempotency_key: format!("prop-all-{}-{}", self.org.id, self.step),
                };
                if let Err(e) = self.session.invoices().pay(request).await {
                    assert!(
                        matches!(
                            e.code(),
                            "nothing_to_pay" | "payment_in_progress" | "CP4001"
                        ),
                        "{e}"
                    );
                }
            }
        }
    }

    /// The gateway settles (`ok`) or fails the payment `reference` and posts its
    /// event, delivered as `delivery` says.
    async fn conclude(&mut self, reference: &str, ok: bool, delivery: Delivery) {
        let now = portal_core::clock::Clock::now(&*self.env.clock);
        let gateway = &self.env.gateway;
        let event = gateway
            .authenticate(reference, ok, now)
            .or_else(|| gateway.settle(reference, ok, now))
            .expect("an open payment");
        let times = match delivery {
            Delivery::Once => 1,
            Delivery::Twice => 2,
            Delivery::Lost => 0,
        };
        for n in 0..times {
            let outcome = self
                .env
                .portal
                .handle_gateway_event("test", &event.signature, &event.payload)
                .await
                .expect("event");
            use portal_core::service::EventOutcome as O;
            let expected = match (n, ok) {
                (0, true) => O::Recorded,
                (0, false) => O::Failed,
                _ => O::AlreadyApplied,
            };
            assert_eq!(outcome, expected);
        }
        self.events.push(event);
    }

    /// Concludes every payment still waiting, the last settling and the others
    /// alternating (by position, so every backend does the same).
    async fn conclude_all(&mut self) {
        while let Some(reference) = self.open.pop() {
            let ok = self.open.len().is_multiple_of(2);
            self.conclude(&reference, ok, Delivery::Once).await;
        }
    }

    /// Records every payment left in flight (the gateway charged each of them).
    async fn recover(&self) {
        self.env.clock.advance(time::Duration::seconds(1));
        let report = self
            .env
            .portal
            .recover_payments(time::Duration::ZERO, 1_000)
            .await
            .expect("recover");
        assert_eq!(
            usize::try_from(report.still_pending).expect("small"),
            self.open.len(),
            "only payments the gateway has not concluded stay pending: {report:?}"
        );
    }

    /// Checks the invariants and returns the outcome.
    async fn check(&self) -> Outcome {
        let admin = self.env.portal.org(self.org.id);
        let mut invoices = BTreeMap::new();
        let (mut on_invoices, mut outstanding, mut retainers) = (0, 0, 0);
        for id in &self.invoices {
            let i: Invoice = admin.invoices().get(*id).await.expect("invoice");
            let (total, paid, credited, balance) = (
                minor(i.total),
                minor(i.paid),
                minor(i.credited),
                minor(i.balance),
            );
            assert!(balance >= 0 && paid >= 0 && credited >= 0, "{i:?}");
            assert!(i.reserved.is_zero(), "nothing is left in flight: {i:?}");
            assert_eq!(balance, total - paid - credited, "{i:?}");
            match i.status {
                InvoiceStatus::Paid => assert_eq!(balance, 0),
                InvoiceStatus::Sent => assert_eq!(paid + credited, 0),
                InvoiceStatus::PartiallyPaid => assert!(paid + credited > 0 && balance > 0),
                InvoiceStatus::Void => assert_eq!(paid + credited, 0),
                InvoiceStatus::Draft => panic!("every invoice was sent"),
            }
            // What a retainer invoice paid and then lent to other invoices is counted
            // once, on the invoice it settled.
            on_invoices += paid + credited - minor(i.drawn);
            assert!(minor(i.drawn) <= paid, "{i:?}");
            if i.status.is_payable() {
                match i.kind {
                    InvoiceKind::Invoice => outstanding += balance,
                    InvoiceKind::Retainer => retainers += balance,
                }
            }
            invoices.insert(i.number.clone(), (i.status, total, paid, credited, balance));
        }
        let d: DashboardFigures = self.session.dashboard().await.expect("dashboard");
        assert_eq!(minor(d.outstanding_invoices), outstanding);
        assert_eq!(minor(d.outstanding_retainers), retainers);
        let mut payments = Vec::new();
        let mut online = 0;
        let mut after = None;
        loop {
            let page = self
                .session
                .payments()
                .list(after.as_deref(), 100)
                .await
                .expect("payments");
            for p in &page.items {
                let allocated: i64 = p.allocations.iter().map(|a| minor(a.amount)).sum();
                assert!(allocated <= minor(p.amount), "{p:?}");
                assert!(!p.unapplied.is_negative());
                if p.reference.is_some() {
                    // Whatever ran while it was in flight, an online payment settles
                    // what it held: it never charged beyond what was owed.
                    assert!(
                        p.unapplied.is_zero(),
                        "an online payment left an excess: {p:?}"
                    );
                    online += minor(p.amount);
                }
                payments.push((minor(p.amount), minor(p.unapplied), p.allocations.len()));
            }
            match page.next {
                Some(n) => after = Some(n),
                None => break,
            }
        }
        let charged = self.env.gateway.charged_minor_units() - self.charged_before;
        assert_eq!(
            charged, online,
            "what the gateway charged was recorded, once"
        );
        let received: i64 = payments.iter().map(|p| p.0).sum();
        let refunds: i64 = self
            .session
            .payments()
            .refunds()
            .await
            .expect("refunds")
            .iter()
            .map(|r| minor(r.amount))
            .sum();
        assert_eq!(refunds, self.refunded, "every refund is listed");
        // Conservation: every unit received or credited is on an invoice or still
        // available as credit.
        assert_eq!(
            received + self.credit_notes_total,
            on_invoices + minor(d.available_credits) + self.refunded,
            "money was created or lost on {:?}: payments {payments:?}, notes {}, invoices {invoices:?}, dashboard {d:?}",
            self.backend,
            self.credit_notes_total
        );
        // The statement of the whole history closes at what the dashboard says is owed,
        // and any split of it chains: closing of the first part = opening of the second.
        let today = date!(2026 - 05 - 04);
        let start = date!(2010 - 01 - 01);
        let whole = self
            .session
            .statement(portal_core::domain::StatementPeriod::Custom {
                from: start,
                to: today,
            })
            .await
            .expect("statement");
        let owed = minor(d.outstanding_invoices)
            - minor(d.available_credits)
            - minor(d.available_retainer_payments);
        assert_eq!(
            minor(whole.closing),
            owed,
            "statement closing = dashboard owed on {:?}",
            self.backend
        );
        assert_eq!(
            d.balance_owed().expect("one currency"),
            whole.closing,
            "the dashboard's balance owed is the statement's closing"
        );
        let sum: i64 = whole.entries.iter().map(|e| minor(e.amount)).sum();
        assert_eq!(minor(whole.opening) + sum, minor(whole.closing));
        for split in [
            date!(2024 - 10 - 03),
            date!(2024 - 10 - 04),
            date!(2026 - 04 - 01),
            date!(2026 - 05 - 03),
        ] {
            let first = self
                .session
                .statement(portal_core::domain::StatementPeriod::Custom {
                    from: start,
                    to: split,
                })
                .await
                .expect("first part");
            let second = self
                .session
                .statement(portal_core::domain::StatementPeriod::Custom {
                    from: split + time::Duration::days(1),
                    to: today,
                })
                .await
                .expect("second part");
            assert_eq!(first.closing, second.opening);
            assert_eq!(second.closing, whole.closing);
            assert_eq!(
                first.entries.len() + second.entries.len(),
                whole.entries.len()
            );
        }
        let statement_shape: Vec<(portal_core::domain::StatementEntryKind, i64)> = whole
            .entries
            .iter()
            .map(|e| (e.kind, minor(e.amount)))
            .collect();
        payments.sort_unstable();
        Outcome {
            invoices,
            dashboard: (
                minor(d.outstanding_invoices),
                minor(d.overdue_invoices),
                minor(d.available_credits),
                minor(d.outstanding_retainers),
                minor(d.available_retainer_payments),
                d.last_payment.map(|(m, _)| minor(m)),
            ),
            payments,
            charged,
            statement: statement_shape,
        }
    }
}

#[test]
fn money_is_conserved_and_every_backend_agrees() {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let envs: Vec<(Backend, Env)> = rt.block_on(async {
        let mut out = Vec::new();
        for backend in [Backend::Memory, Backend::Sqlite, Backend::Postgres] {
            if let Some(e) = env(backend).await {
                out.push((backend, e));
            }
        }
        out
    });
    let cases = if std::env::var("PORTAL_PROPTEST_CASES").is_ok() {
        std::env::var("PORTAL_PROPTEST_CASES")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(24)
    } else {
        24
    };
    let mut runner = TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    });
    runner
        .run(&prop::collection::vec(op(), 1..25), |ops| {
            let outcomes: Vec<(Backend, Outcome)> = rt.block_on(async {
                let mut outcomes = Vec::new();
                for (backend, e) in &envs {
                    let org = e.org().await;
                    let (customer, _, session) = e.signed_in(&org, "USD").await;
                    let mut run = Run {
                        backend: *backend,
                        env: e,
                        org,
                        customer,
                        session,
                        invoices: Vec::new(),
                        credit_notes_total: 0,
                        refunded: 0,
                        step: 0,
                        charged_before: e.gateway.charged_minor_units(),
                        open: Vec::new(),
                        events: Vec::new(),
                    };
                    for op in &ops {
                        run.apply(op).await;
                    }
                    run.conclude_all().await;
                    run.recover().await;
                    outcomes.push((*backend, run.check().await));
                }
                outcomes
            });
            for pair in outcomes.windows(2) {
                prop_assert_eq!(
                    &pair[0].1,
                    &pair[1].1,
                    "{:?} and {:?} disagree",
                    pair[0].0,
                    pair[1].0
                );
            }
            Ok(())
        })
        .expect("property holds");
}
