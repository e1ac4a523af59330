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

mod common;

use std::fmt::Write as _;

use common::backends::{Backend, Env, env};
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
    let project = admin
        .projects()
        .create(customer.id, "Fuzz", "")
        .await
        .expect("project");
    let task = admin
        .projects()
        .add_task(project.id, "Build", true)
        .await
        .expect("task");
    let entry = admin
        .projects()
        .log_time(
            project.id,
            NewTimeEntry {
                task: task.id,
                date: date!(2026 - 05 - 02),
                minutes: 60,
                note: String::new(),
            },
        )
        .await
        .expect("time");
    let approval = admin
        .approvals()
        .send(project.id, "Week", &[entry.id])
        .await
        .expect("timesheet");
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
            .list(CommentTarget::Quote(w.quote.id))
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

#[allow(clippy::too_many_lines)]
async fn probe_portal_side(c: &mut Checker<'_>) {
    let (w, input) = (c.w, c.input);
    let s = &w.session;
    let admin = w.env.portal.org(w.org.id);
    let text = input.text.as_str();
    let uuid = uuid::Uuid::from_u128(input.id);
    let usd = w.customer.currency;
    let money = Currency::from_code(&input.currency)
        .ok()
        .and_then(|cur| Money::new(input.decimal, cur).ok());
    let day = time::Date::from_julian_day(2_461_000 + input.day).unwrap_or(date!(2026 - 05 - 04));

    for target in [
        CommentTarget::Quote(w.quote.id),
        CommentTarget::Project(w.project),
        CommentTarget::Approval(w.approval),
        CommentTarget::Invoice(w.invoice),
    ] {
        c.probe(
            "comment",
            s.comments().add(target, text),
            comment_check(text),
        )
        .await;
    }
    c.probe(
        "email org subject",
        s.messages().email_org(text, VALID),
        no_check,
    )
    .await;
    c.probe(
        "email org message",
        s.messages().email_org(VALID, text),
        no_check,
    )
    .await;
    c.probe(
        "review",
        s.reviews().write(text),
        |r: &portal_core::domain::Review| {
            (!reads_back(&r.body, text)).then(|| "body changed".into())
        },
    )
    .await;
    c.probe(
        "forward address",
        s.messages()
            .forward(DocumentRef::Quote(w.quote.id), text, None),
        no_check,
    )
    .await;
    c.probe(
        "forward note",
        s.messages().forward(
            DocumentRef::Invoice(w.invoice),
            "forwarded@example.com",
            Some(text),
        ),
        no_check,
    )
    .await;
    let current = s.profile().get().await.expect("details");
    for field in 0..5 {
        let mut update = current.clone();
        match field {
            0 => update.display_name = text.into(),
            1 => update.company_name = text.into(),
            2 => update.first_name = text.into(),
            3 => update.last_name = text.into(),
            _ => update.phone = text.into(),
        }
        c.probe("update details", s.profile().update(update), no_check)
            .await;
        let read = s.profile().get().await.expect("details");
        let stored = [
            &read.display_name,
            &read.company_name,
            &read.first_name,
            &read.last_name,
            &read.phone,
        ][field];
        if read != current && !reads_back(stored, text) {
            c.failures.push(format!(
                "update details field {field}: read back as {stored:?}; input {input:?}"
            ));
        }
    }
    let field = usize::try_from(input.minutes % 8).unwrap_or(0);
    let mut update = current.clone();
    update.billing_address = address_with(field, text);
    c.probe(
        "update address",
        s.profile().update(update),
        |(customer, _)| {
            (customer.billing_address != address_with(field, text)
                && customer.billing_address != address_with(field, text.trim()))
            .then(|| format!("address read back as {:?}", customer.billing_address))
        },
    )
    .await;
    c.probe(
        "decline reason",
        s.quotes().decline(QuoteId::from_uuid(uuid), Some(text)),
        no_check,
    )
    .await;
    // A fresh quote per input, so that an accepted signature is stored and read.
    let quote = admin
        .quotes()
        .create(
            w.customer.id,
            NewQuote {
                number: unique("SIG"),
                lines: vec![line(VALID, Decimal::ONE, Decimal::ONE)],
                issue_date: date!(2026 - 05 - 01),
                expiry_date: date!(2027 - 05 - 01),
            },
        )
        .await
        .expect("quote");
    admin.quotes().send(quote.id).await.expect("send");
    let hash = s.quotes().get(quote.id).await.expect("view").content_hash();
    for (signer, mark) in [
        (text, SignatureMark::Typed(VALID.into())),
        (VALID, SignatureMark::Typed(text.into())),
        (VALID, SignatureMark::Drawn(text.into())),
    ] {
        let input_mark = mark.clone();
        c.probe(
            "accept with signature",
            s.quotes().accept(
                quote.id,
                &hash,
                Some(SignatureInput {
                    signer_name: signer.into(),
                    mark,
                }),
            ),
            |q: &Quote| {
                let sig = q.signature.as_ref()?;
                let same_mark = sig.mark == input_mark
                    || matches!((&sig.mark, &input_mark),
                        (SignatureMark::Typed(a), SignatureMark::Typed(b)) if reads_back(a, b));
                (!reads_back(&sig.signer_name, signer) || !same_mark)
                    .then(|| format!("signature read back as {sig:?}"))
            },
        )
        .await;
    }
    if let Ok(read) = s.quotes().get(quote.id).await
        && let Some(sig) = read.signature
        && !(reads_back(&sig.signer_name, text) || sig.signer_name == VALID)
    {
        c.failures
            .push(format!("signature stored as {sig:?}; input {input:?}"));
    }
    c.probe(
        "reject timesheet",
        s.approvals().decide(
            ApprovalId::from_uuid(uuid),
            &ApprovalDecision::Reject {
                reason: text.into(),
            },
        ),
        no_check,
    )
    .await;
    let name = format!("{text}.pdf");
    c.probe(
        "upload",
        s.files().upload(&name, PDF),
        |f: &portal_core::domain::SharedFile| {
            (!reads_back(&f.name, &name)).then(|| "name changed".into())
        },
    )
    .await;
    c.probe(
        "change password",
        s.profile()
            .change_password(text, "another long pass phrase", "another long pass phrase"),
        no_check,
    )
    .await;

    // Payment details, one field at a time; amounts; keys.
    let card = |field: usize| {
        let mut card = CardDetails {
            number: portal_memory::cards::VISA_OK.into(),
            cvv: "314".into(),
            exp_month: 12,
            exp_year: 2031,
            holder: VALID.into(),
            billing_address: address_with(0, VALID),
            country: "PT".into(),
        };
        match field {
            0 => card.number = text.into(),
            1 => card.cvv = text.into(),
            2 => card.holder = text.into(),
            3 => card.country = text.into(),
            f => card.billing_address = address_with(f - 4, text),
        }
        PaySource::Card(Box::new(card))
    };
    let bank = |field: usize| {
        let mut bank = BankDetails {
            routing_number: "110000000".into(),
            account_number: "000123456789".into(),
            holder: VALID.into(),
        };
        match field {
            0 => bank.routing_number = text.into(),
            1 => bank.account_number = text.into(),
            _ => bank.holder = text.into(),
        }
        PaySource::BankAccount(bank)
    };
    let card_field = field + usize::from(input.minutes % 5 == 0) * 4;
    let by_bank = input.minutes % 3 == 0;
    let source = if by_bank {
        bank(field % 3)
    } else {
        card(card_field)
    };
    let expected_address = if by_bank {
        Address::default()
    } else if card_field >= 4 {
        address_with(card_field - 4, text)
    } else {
        address_with(0, VALID)
    };
    c.probe(
        "pay",
        s.invoices().pay(PayRequest {
            invoices: InvoiceSelection::Chosen(vec![w.invoice]),
            amount: money,
            source: source.clone(),
            idempotency_key: format!("fuzz-{}", input.id),
        }),
        no_check,
    )
    .await;
    c.probe(
        "save method",
        s.payment_methods().save("test", source),
        |m: &portal_core::domain::SavedPaymentMethod| {
            (m.billing_address != expected_address)
                .then(|| format!("address read back as {:?}", m.billing_address))
        },
    )
    .await;
    c.probe(
        "pay with a hostile key",
        s.invoices().pay(PayRequest {
            invoices: InvoiceSelection::AllOutstanding,
            amount: money,
            source: PaySource::Saved(portal_core::domain::SavedMethodId::from_uuid(uuid)),
            idempotency_key: text.into(),
        }),
        no_check,
    )
    .await;
    c.probe(
        "save with a hostile gateway",
        s.payment_methods().save(text, card(2)),
        no_check,
    )
    .await;
    c.probe(
        "preview credit",
        s.credits().preview(w.invoice, money),
        no_check,
    )
    .await;
    c.probe(
        "apply credit",
        s.credits().apply(w.invoice, money),
        no_check,
    )
    .await;

    // Ids, cursors, dates, tokens.
    c.probe(
        "payments page",
        s.payments().list(Some(&input.cursor), 10),
        no_check,
    )
    .await;
    c.probe(
        "payments page size",
        s.payments().list(None, input.minutes),
        no_check,
    )
    .await;
    if let Ok(page) = PageRequest::after(&input.cursor, 10) {
        c.probe("files page", s.files().list(&page), no_check).await;
        c.probe("projects page", s.projects().list(&page), no_check)
            .await;
        c.probe("approvals page", s.approvals().list(&[], &page), no_check)
            .await;
        c.probe("time page", s.projects().time(w.project, &page), no_check)
            .await;
    }
    let mut query = InvoiceQuery::new(day);
    query.after = Cursor::decode(&input.cursor).ok();
    c.probe("invoice page", s.invoices().list(&query), no_check)
        .await;
    c.probe(
        "statement",
        s.statement(StatementPeriod::Custom {
            from: day,
            to: date!(2026 - 05 - 04),
        }),
        no_check,
    )
    .await;
    c.probe(
        "invoice by id",
        s.invoices().get(InvoiceId::from_uuid(uuid)),
        no_check,
    )
    .await;
    c.probe(
        "quote by id",
        s.quotes().get(QuoteId::from_uuid(uuid)),
        no_check,
    )
    .await;
    c.probe(
        "sales order by id",
        s.sales_orders().get(SalesOrderId::from_uuid(uuid)),
        no_check,
    )
    .await;
    c.probe(
        "payment by id",
        s.payments().get(PaymentId::from_uuid(uuid)),
        no_check,
    )
    .await;
    c.probe(
        "project by id",
        s.projects().get(ProjectId::from_uuid(uuid)),
        no_check,
    )
    .await;
    c.probe(
        "approval by id",
        s.approvals().get(ApprovalId::from_uuid(uuid)),
        no_check,
    )
    .await;
    c.probe(
        "download by id",
        s.files().download(FileId::from_uuid(uuid)),
        no_check,
    )
    .await;
    c.probe("session token", w.env.portal.session(text), no_check)
        .await;
    c.probe(
        "sign in",
        w.env.portal.sign_in(text, "someone@example.com", text),
        no_check,
    )
    .await;
    c.probe(
        "accept invitation",
        w.env.portal.accept_invitation(
            text,
            AcceptInvitation {
                password: text.into(),
                password_confirmation: text.into(),
                preferences: None,
            },
        ),
        no_check,
    )
    .await;
    c.probe(
        "reset password",
        w.env.portal.reset_password(text, text, text),
        no_check,
    )
    .await;
    c.probe(
        "delete upload by id",
        s.files().delete(FileId::from_uuid(uuid)),
        no_check,
    )
    .await;
    let saved = s
        .payment_methods()
        .list()
        .await
        .ok()
        .and_then(|m| m.first().map(|m| m.id))
        .unwrap_or(portal_core::domain::SavedMethodId::from_uuid(uuid));
    c.probe(
        "update saved method",
        s.payment_methods()
            .update(saved, 12, 2031, address_with(field, text)),
        no_check,
    )
    .await;
    c.probe(
        "reset request",
        w.env.portal.request_password_reset(text, text),
        no_check,
    )
    .await;
    let _ = usd;
}

#[allow(clippy::too_many_lines)]
async fn probe_org_side(c: &mut Checker<'_>) {
    let (w, input) = (c.w, c.input);
    let admin = w.env.portal.org(w.org.id);
    let text = input.text.as_str();
    let uuid = uuid::Uuid::from_u128(input.id);
    let usd = w.customer.currency;
    let currency = Currency::from_code(&input.currency);
    let money = currency
        .clone()
        .ok()
        .and_then(|cur| Money::new(input.decimal, cur).ok());
    let day = time::Date::from_julian_day(2_461_000 + input.day).unwrap_or(date!(2026 - 05 - 04));
    let one = Money::from_minor_units(100, usd);
    let at = portal_core::clock::Clock::now(&*w.env.clock);

    for field in 0..6 {
        let mut customer = NewCustomer::new(VALID, currency.clone().unwrap_or(usd));
        let mut contact = NewContact::new(VALID, VALID, None);
        match field {
            0 => customer.display_name = text.into(),
            1 => customer.company_name = text.into(),
            2 => {
                customer.billing_address =
                    address_with(usize::try_from(input.minutes % 8).unwrap_or(0), text)
            }
            3 => contact.first_name = text.into(),
            4 => contact.last_name = text.into(),
            _ => contact.phone = text.into(),
        }
        c.probe(
            "create customer",
            admin.customers().create(customer, vec![contact]),
            no_check,
        )
        .await;
    }
    let invoice = |number: &str, line: LineItem, gateway: &str| NewInvoice {
        kind: InvoiceKind::Invoice,
        number: number.into(),
        lines: vec![line],
        issue_date: day,
        due_date: day,
        allow_partial_payments: false,
        payment_gateways: vec![gateway.into()],
    };
    let valid_line = || line(VALID, Decimal::ONE, Decimal::ONE);
    let hostile_line = |k: u32| {
        let mut l = valid_line();
        match k % 5 {
            0 => l.quantity = input.decimal,
            1 => l.rate = input.decimal,
            2 => l.discount_percent = input.decimal,
            3 => l.tax_percent = input.decimal,
            _ => l.description = text.into(),
        }
        l
    };
    for (number, line, gateway) in [
        (text.to_owned(), valid_line(), "test"),
        (unique("FZ"), line(text, Decimal::ONE, Decimal::ONE), "test"),
        (unique("FZ"), hostile_line(input.minutes), "test"),
        (unique("FZ"), valid_line(), text),
    ] {
        c.probe(
            "create invoice",
            admin
                .invoices()
                .create(w.customer.id, invoice(&number, line.clone(), gateway)),
            |i: &portal_core::domain::Invoice| {
                (!reads_back(&i.lines[0].description, &line.description)
                    || !reads_back(&i.number, &number))
                .then(|| format!("read back as {:?} / {:?}", i.number, i.lines[0].description))
            },
        )
        .await;
    }
    c.probe(
        "duplicate invoice number",
        admin
            .invoices()
            .create(w.customer.id, invoice("FZ-I", valid_line(), "test")),
        no_check,
    )
    .await;
    for (number, line) in [
        (text.to_owned(), valid_line()),
        (unique("FZ"), hostile_line(input.minutes.wrapping_add(4))),
    ] {
        c.probe(
            "create quote",
            admin.quotes().create(
                w.customer.id,
                NewQuote {
                    number: number.clone(),
                    lines: vec![line.clone()],
                    issue_date: day,
                    expiry_date: day,
                },
            ),
            no_check,
        )
        .await;
        c.probe(
            "create sales order",
            admin.sales_orders().create(
                w.customer.id,
                NewSalesOrder {
                    number,
                    lines: vec![line],
                    order_date: day,
                    shipment_date: None,
                },
            ),
            no_check,
        )
        .await;
    }
    c.probe(
        "offline payment mode",
        admin
            .invoices()
            .record_offline_payment(w.customer.id, one, text, at, &[w.invoice]),
        no_check,
    )
    .await;
    c.probe(
        "credit note number",
        admin.credits().create_note(w.customer.id, text, one, day),
        no_check,
    )
    .await;
    c.probe(
        "refund mode",
        admin.credits().refund(
            w.customer.id,
            portal_core::domain::CreditSource::Payment(PaymentId::from_uuid(uuid)),
            one,
            text,
            at,
        ),
        no_check,
    )
    .await;
    if let Some(amount) = money {
        c.probe(
            "offline payment amount",
            admin.invoices().record_offline_payment(
                w.customer.id,
                amount,
                "cash",
                at,
                &[w.invoice],
            ),
            no_check,
        )
        .await;
        c.probe(
            "credit note amount",
            admin
                .credits()
                .create_note(w.customer.id, &unique("CN"), amount, day),
            no_check,
        )
        .await;
    }
    c.probe(
        "org comment",
        admin
            .comments()
            .add(w.customer.id, CommentTarget::Quote(w.quote.id), text, true),
        comment_check(text),
    )
    .await;
    c.probe(
        "banner",
        admin.update_settings(|s| s.banner = Some(text.to_owned())),
        no_check,
    )
    .await;
    for field in 0..3 {
        c.probe(
            "org contact details",
            admin.update_settings(|s| match field {
                0 => s.contact_details.name = text.to_owned(),
                1 => s.contact_details.phone = text.to_owned(),
                _ => s.contact_details.address = text.to_owned(),
            }),
            no_check,
        )
        .await;
    }
    c.probe("slug", admin.change_slug(text), no_check).await;
    c.probe(
        "role",
        admin.roles().create(text, Permissions::default()),
        no_check,
    )
    .await;
    c.probe(
        "project name",
        admin.projects().create(w.customer.id, text, ""),
        no_check,
    )
    .await;
    c.probe(
        "project description",
        admin.projects().create(w.customer.id, VALID, text),
        no_check,
    )
    .await;
    c.probe(
        "task",
        admin.projects().add_task(w.project, text, true),
        no_check,
    )
    .await;
    let entry = |note: &str, minutes: u32| NewTimeEntry {
        task: w.task,
        date: day,
        minutes,
        note: note.into(),
    };
    c.probe(
        "time note",
        admin.projects().log_time(w.project, entry(text, 30)),
        no_check,
    )
    .await;
    c.probe(
        "time minutes",
        admin
            .projects()
            .log_time(w.project, entry(VALID, input.minutes)),
        no_check,
    )
    .await;
    if let Ok(e) = admin.projects().log_time(w.project, entry(VALID, 15)).await {
        c.probe(
            "timesheet title",
            admin.approvals().send(w.project, text, &[e.id]),
            no_check,
        )
        .await;
    }
    let name = format!("{text}.pdf");
    c.probe(
        "share file",
        admin.files().share(w.customer.id, &name, PDF),
        no_check,
    )
    .await;
    // Contacts, ids and the rest of the org side.
    for field in 0..3 {
        let mut contact = NewContact::new(VALID, VALID, None);
        match field {
            0 => contact.first_name = text.into(),
            1 => contact.last_name = text.into(),
            _ => contact.phone = text.into(),
        }
        c.probe(
            "add contact",
            admin.contacts().add(w.customer.id, contact.clone()),
            no_check,
        )
        .await;
        c.probe(
            "update contact",
            admin
                .contacts()
                .update(portal_core::domain::ContactId::from_uuid(uuid), contact),
            no_check,
        )
        .await;
    }
    c.probe(
        "edit draft invoice",
        admin.invoices().edit_draft(
            InvoiceId::from_uuid(uuid),
            invoice(
                &unique("FZ"),
                line(text, Decimal::ONE, Decimal::ONE),
                "test",
            ),
        ),
        no_check,
    )
    .await;
    c.probe(
        "convert quote",
        admin
            .quotes()
            .convert_to_invoice(w.quote.id, text, day, day, vec!["test".into()]),
        no_check,
    )
    .await;
    c.probe(
        "user cap",
        admin.set_portal_user_cap(input.minutes),
        no_check,
    )
    .await;
    c.probe(
        "org invoice by id",
        admin.invoices().get(InvoiceId::from_uuid(uuid)),
        no_check,
    )
    .await;
    c.probe(
        "org download by id",
        admin
            .files()
            .download(w.customer.id, FileId::from_uuid(uuid)),
        no_check,
    )
    .await;
    c.probe(
        "org customer by id",
        admin
            .customers()
            .get(portal_core::domain::CustomerId::from_uuid(uuid)),
        no_check,
    )
    .await;
    c.probe(
        "invitation template",
        async {
            let template = portal_core::domain::InvitationTemplate::new(text, "{invitation_link}")?;
            admin
                .update_settings(|s| s.invitation_template = template.clone())
                .await
        },
        no_check,
    )
    .await;
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
