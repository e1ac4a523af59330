//! A fuzz-style property test of the public entry points, on memory, SQLite and
//! PostgreSQL: arbitrary text (every Unicode category, controls, bidi, up to 1 MB),
//! arbitrary amounts and currencies, arbitrary ids and cursors, into every portal
//! and org call that takes input.
//!
//! The contract each call must keep, whatever it is given:
//! - it never panics;
//! - it never answers `store_failure` or `store_unavailable` (nor any other system
//!   error) because of its input: bad input is refused at the door with a stable code;
//! - a refused input changes nothing the customer or the org can see;
//! - an accepted text reads back byte for byte (or trimmed, where the call trims).
//!
//! `PORTAL_FUZZ_CASES` sets the number of generated inputs per backend (default 16,
//! which keeps the whole suite well inside CI's budget) and `PORTAL_FUZZ_SEED` (0 to
//! 255) picks another reproducible sequence; a long run is
//! `PORTAL_FUZZ_CASES=2000 PORTAL_FUZZ_SEED=7 scripts/test --test fuzz`. With
//! `FUZZ_DEBUG` set, every refusal is printed with its code.

#[path = "../common/mod.rs"]
mod common;
mod org_side;
mod portal_side;

use org_side::probe_org_side;
use portal_side::probe_portal_side;

use std::fmt::Write as _;

use common::backends::{Backend, Env, env};
use common::timesheets::{Timesheet, pending_timesheet};
use portal_core::domain::{
    ApprovalDecision, ApprovalId, CommentTarget, Cursor, DocumentRef, FileId, NewQuote,
    NewSalesOrder, NewTimeEntry, PaymentId, Permissions, ProjectId, Quote, QuoteId, SalesOrderId,
    SignatureMark, StatementPeriod,
};
use portal_core::gateway::BankDetails;
use portal_core::prelude::*;
use portal_core::service::SignatureInput;
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::TestRunner;
use rust_decimal::Decimal;
use time::macros::date;

/// One generated input: the texts, amounts, ids and cursor every probe draws from.
#[derive(Clone)]
struct Input {
    text: String,
    other: String,
    decimal: Decimal,
    currency: String,
    id: u128,
    cursor: String,
    minutes: u32,
    day: i32,
}

impl std::fmt::Debug for Input {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let cut = |s: &str| -> String {
            let head: String = s.chars().take(40).collect();
            format!("{head:?} ({} chars, {} bytes)", s.chars().count(), s.len())
        };
        f.debug_struct("Input")
            .field("text", &cut(&self.text))
            .field("other", &cut(&self.other))
            .field("decimal", &self.decimal)
            .field("currency", &cut(&self.currency))
            .field("id", &self.id)
            .field("cursor", &cut(&self.cursor))
            .field("minutes", &self.minutes)
            .field("day", &self.day)
            .finish()
    }
}

/// Characters from every corner: controls (C0, DEL, C1), line and paragraph
/// separators, bidi controls, zero-width joiners, combining marks, the BOM, private
/// use, noncharacters, CJK, emoji, and plain ASCII.
fn hostile_char() -> impl Strategy<Value = char> {
    prop_oneof![
        4 => proptest::char::range(' ', '~'),
        1 => proptest::char::range('\u{0}', '\u{1f}'),
        1 => Just('\u{7f}'),
        1 => proptest::char::range('\u{80}', '\u{9f}'),
        1 => prop::sample::select(vec![
            '\u{2028}', '\u{2029}', '\u{202a}', '\u{202e}', '\u{2066}', '\u{2069}', '\u{200b}',
            '\u{200d}', '\u{feff}', '\u{fffe}', '\u{ffff}', '\u{e000}', '\u{10ffff}', '\u{301}',
            '\u{5d0}', '\u{627}',
        ]),
        2 => proptest::char::range('\u{4e00}', '\u{4f00}'),
        1 => proptest::char::range('\u{1f600}', '\u{1f64f}'),
        2 => any::<char>(),
    ]
}

fn hostile_text() -> impl Strategy<Value = String> {
    prop_oneof![
        8 => proptest::collection::vec(hostile_char(), 0..40)
            .prop_map(|cs| cs.into_iter().collect::<String>()),
        3 => (
            proptest::collection::vec(proptest::char::range('a', 'z'), 1..20),
            prop::sample::select(vec!['\u{0}', '\u{7}', '\u{1b}', '\u{7f}', '\u{85}', '\u{202e}']),
            any::<prop::sample::Index>(),
        )
            .prop_map(|(letters, c, at)| {
                let mut text: String = letters.into_iter().collect();
                let at = at.index(text.len() + 1);
                text.insert(at, c);
                text
            }),
        2 => Just(String::new()),
        2 => prop::sample::select(vec![" ", "\t\n", "  padded  ", "Ana", "12€4", "€€", "\u{0}"])
            .prop_map(str::to_owned),
        1 => (hostile_char(), 1_000_usize..3_000).prop_map(|(c, n)| c.to_string().repeat(n)),
        1 => prop::sample::select(vec!['€', 'a', '\u{0}', '\u{202e}'])
            .prop_map(|c| c.to_string().repeat(1 << 20)),
    ]
}

fn hostile_decimal() -> impl Strategy<Value = Decimal> {
    prop_oneof![
        3 => (-1_000_000_i64..1_000_000, 0_u32..4).prop_map(|(m, s)| Decimal::new(m, s)),
        2 => (any::<i64>(), 0_u32..29).prop_map(|(m, s)| Decimal::new(m, s)),
        1 => (any::<i128>(), 0_u32..29).prop_map(|(m, s)| {
            Decimal::try_from_i128_with_scale(m >> 32, s).unwrap_or(Decimal::MAX)
        }),
        1 => prop::sample::select(vec![Decimal::MAX, Decimal::MIN, Decimal::ZERO, Decimal::ONE]),
    ]
}

fn input() -> impl Strategy<Value = Input> {
    (
        hostile_text(),
        hostile_text(),
        hostile_decimal(),
        prop_oneof![
            3 => Just("USD".to_owned()),
            1 => prop::sample::select(vec!["JPY", "BHD", "XAU", "XXX", "usd", "EURO", ""])
                .prop_map(str::to_owned),
            1 => hostile_text(),
        ],
        any::<u128>(),
        prop_oneof![
            1 => (any::<i64>(), any::<u128>()).prop_map(|(key, id)| {
                Cursor { key, id: uuid::Uuid::from_u128(id) }.encode()
            }),
            1 => hostile_text(),
        ],
        prop_oneof![Just(0_u32), 1_u32..2_000, Just(u32::MAX)],
        -1_000_000_i32..1_000_000,
    )
        .prop_map(
            |(text, other, decimal, currency, id, cursor, minutes, day)| Input {
                text,
                other,
                decimal,
                currency,
                id,
                cursor,
                minutes,
                day,
            },
        )
}

/// The org, a signed-in customer, and one of each document to aim at.
struct World {
    env: Env,
    org: Organization,
    customer: Customer,
    session: PortalSession,
    quote: Quote,
    invoice: InvoiceId,
    project: ProjectId,
    task: portal_core::domain::TaskId,
    approval: ApprovalId,
}

async fn world(backend: Backend) -> Option<World> {
    let env = env(backend).await?;
    let org = env.org().await;
    let admin = env.portal.org(org.id);
    admin
        .update_settings(|s| {
            let p = &mut s.preferences;
            p.show_sales_orders = true;
            p.show_projects = true;
            p.allow_forwarding = true;
            p.allow_edit_details = true;
            p.enable_reviews = true;
            p.allow_uploads = true;
        })
        .await
        .expect("settings");
    let (customer, _, session) = env.signed_in(&org, "USD").await;
    let line = LineItem::new("Work", Decimal::ONE, Decimal::new(10_000, 2));
    let quote = admin
        .quotes()
        .create(
            customer.id,
            NewQuote {
                number: "FZ-Q".into(),
                lines: vec![line.clone()],
                issue_date: date!(2026 - 05 - 01),
                expiry_date: date!(2027 - 05 - 01),
            },
        )
        .await
        .expect("quote");
    let quote = admin.quotes().send(quote.id).await.expect("send quote");
    let invoice = admin
        .invoices()
        .create(
            customer.id,
            NewInvoice {
                kind: InvoiceKind::Invoice,
                number: "FZ-I".into(),
                lines: vec![line],
                issue_date: date!(2026 - 05 - 01),
                due_date: date!(2026 - 06 - 01),
                allow_partial_payments: true,
                payment_gateways: vec!["test".into()],
            },
        )
        .await
        .expect("invoice");
    admin
        .invoices()
        .send(invoice.id)
        .await
        .expect("send invoice");
    let Timesheet {
        project,
        task,
        entry: _,
        approval,
    } = pending_timesheet(
        admin,
        customer.id,
        ("Fuzz", "Week"),
        date!(2026 - 05 - 02),
        60,
    )
    .await;
    Some(World {
        env,
        org,
        customer,
        session,
        quote,
        invoice: invoice.id,
        project: project.id,
        task: task.id,
        approval: approval.id,
    })
}

/// What the customer and the org can see, to prove a refused call changed nothing.
async fn snapshot(w: &World) -> String {
    let s = &w.session;
    let admin = w.env.portal.org(w.org.id);
    let mut out = String::new();
    let today = date!(2026 - 05 - 04);
    let _ = write!(
        out,
        "{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}",
        s.dashboard().await.map_err(|e| e.code()),
        s.profile().get().await.map_err(|e| e.code()),
        s.invoices()
            .list(&InvoiceQuery::new(today))
            .await
            .map_err(|e| e.code()),
        s.quotes()
            .list(&portal_core::domain::QuoteQuery::new(today))
            .await
            .map_err(|e| e.code()),
        s.payments().list(None, 100).await.map_err(|e| e.code()),
        s.comments()
            .list(CommentTarget::Document(
                portal_core::domain::DocumentRef::Quote(w.quote.id)
            ))
            .await
            .map_err(|e| e.code()),
        s.files()
            .list(&PageRequest::first(100))
            .await
            .map_err(|e| e.code()),
        s.approvals()
            .list(&[], &PageRequest::first(100))
            .await
            .map_err(|e| e.code()),
        admin
            .activity(w.customer.id, &PageRequest::first(100))
            .await
            .map_err(|e| e.code()),
        admin.reviews(w.customer.id).await.map_err(|e| e.code()),
        admin.organization().await.map_err(|e| e.code()),
    );
    out
}

/// System errors: what input must never cause.
fn is_system_failure(e: &Error) -> bool {
    !e.is_input_error()
        || matches!(
            e.code(),
            "store_failure" | "store_unavailable" | "hashing_failure" | "random_failure"
        )
}

/// What a stored text must read back as: itself, or itself trimmed.
fn reads_back(stored: &str, given: &str) -> bool {
    stored == given || stored == given.trim()
}

struct Checker<'a> {
    w: &'a World,
    input: &'a Input,
    failures: Vec<String>,
    accepted: u32,
    refused: u32,
}

impl Checker<'_> {
    /// Runs one probe: a refusal must be an input error and leave the snapshot
    /// as it was; an acceptance runs `check` on what was stored.
    async fn probe<T, F>(&mut self, name: &str, call: F, check: impl FnOnce(&T) -> Option<String>)
    where
        F: std::future::Future<Output = portal_core::Result<T>>,
    {
        let before = snapshot(self.w).await;
        match call.await {
            Ok(value) => {
                self.accepted += 1;
                if let Some(why) = check(&value) {
                    self.failures.push(format!(
                        "{name}: accepted but {why}; input {:?}",
                        self.input
                    ));
                }
            }
            Err(e) => {
                if std::env::var("FUZZ_DEBUG").is_ok() {
                    eprintln!("{name}: {} for {:?}", e.code(), self.input);
                }
                self.refused += 1;
                if is_system_failure(&e) {
                    self.failures.push(format!(
                        "{name}: {} ({e}) for input {:?}",
                        e.code(),
                        self.input
                    ));
                }
                let after = snapshot(self.w).await;
                if after != before {
                    self.failures.push(format!(
                        "{name}: refused with {} but something changed; input {:?}",
                        e.code(),
                        self.input
                    ));
                }
            }
        }
    }
}

fn no_check<T>(_: &T) -> Option<String> {
    None
}

const PDF: &[u8] = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n%%EOF\n";
const VALID: &str = "Valid text";

/// An address with `text` in field `field` (0 to 7) and valid text elsewhere.
fn address_with(field: usize, text: &str) -> Address {
    let mut a = Address {
        attention: VALID.into(),
        street1: VALID.into(),
        street2: VALID.into(),
        city: VALID.into(),
        state: VALID.into(),
        zip: "1000".into(),
        country: "PT".into(),
        phone: "+351 1".into(),
    };
    let slot = match field {
        0 => &mut a.attention,
        1 => &mut a.street1,
        2 => &mut a.street2,
        3 => &mut a.city,
        4 => &mut a.state,
        5 => &mut a.zip,
        6 => &mut a.country,
        _ => &mut a.phone,
    };
    *slot = text.into();
    a
}

fn unique(prefix: &str) -> String {
    format!("{prefix}-{}", uuid::Uuid::now_v7().simple())
}

fn line(description: &str, quantity: Decimal, rate: Decimal) -> LineItem {
    LineItem::new(description, quantity, rate)
}

fn comment_check(text: &str) -> impl FnOnce(&portal_core::domain::Comment) -> Option<String> + '_ {
    move |m| (!reads_back(&m.body, text)).then(|| format!("body read back as {:?}", m.body))
}

async fn probe_everything(w: &World, input: &Input) -> (Vec<String>, u32, u32) {
    let mut c = Checker {
        w,
        input,
        failures: Vec::new(),
        accepted: 0,
        refused: 0,
    };
    probe_portal_side(&mut c).await;
    probe_org_side(&mut c).await;
    (c.failures, c.accepted, c.refused)
}

async fn fuzz(backend: Backend) {
    let Some(w) = world(backend).await else {
        return;
    };
    let cases: u32 = std::env::var("PORTAL_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(16);
    let seed: u8 = std::env::var("PORTAL_FUZZ_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let mut runner = TestRunner::new_with_rng(
        proptest::test_runner::Config::default(),
        proptest::test_runner::TestRng::from_seed(
            proptest::test_runner::RngAlgorithm::ChaCha,
            &[seed; 32],
        ),
    );
    let strategy = input();
    let mut failures = Vec::new();
    let (mut accepted, mut refused) = (0_u64, 0_u64);
    for _ in 0..cases {
        let input = strategy.new_tree(&mut runner).expect("an input").current();
        let (found, yes, no) = probe_everything(&w, &input).await;
        failures.extend(found);
        accepted += u64::from(yes);
        refused += u64::from(no);
    }
    let _ = std::io::Write::write_all(
        &mut std::io::stderr(),
        format!(
            "fuzz on {backend:?}: {cases} inputs, {accepted} calls accepted, {refused} refused\n"
        )
        .as_bytes(),
    );
    assert!(
        failures.is_empty(),
        "{} contract breaks on {backend:?}:\n{}",
        failures.len(),
        failures
            .iter()
            .take(20)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn memory() {
    fuzz(Backend::Memory).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite() {
    fuzz(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres() {
    fuzz(Backend::Postgres).await;
}
