//! Hostile input found by trying the public API as a new user would: each case
//! panicked, reached the database and failed there, or computed a wrong figure.
//! On every backend, each is now refused at the door with a stable code and changes
//! nothing.

use crate::common;
use crate::on_all_backends;

use common::backends::Env;
use portal_core::Duration;
use portal_core::clock::Clock as _;
use portal_core::domain::{
    CURSOR_KEY_MAX, Cursor, MAX_AMOUNT_MINOR_UNITS, MAX_CUSTOMER_TOTAL_MINOR_UNITS, NewQuote,
    QuoteQuery, SalesOrderQuery, SignatureMark, StatementPeriod,
};
use portal_core::gateway::BankDetails;
use portal_core::prelude::*;
use portal_core::service::SignatureInput;
use rust_decimal::Decimal;
use time::macros::date;
use uuid::Uuid;

fn bank(account: &str) -> PaySource {
    PaySource::BankAccount(BankDetails {
        routing_number: "110000000".into(),
        account_number: account.into(),
        holder: "Pat Payer".into(),
    })
}

fn card(number: &str) -> PaySource {
    PaySource::Card(Box::new(CardDetails {
        number: number.into(),
        cvv: "314".into(),
        exp_month: 12,
        exp_year: 2030,
        holder: "Pat Payer".into(),
        billing_address: portal_core::domain::Address::default(),
        country: "US".into(),
    }))
}

fn new_invoice(number: &str, description: &str, rate: Decimal) -> NewInvoice {
    NewInvoice {
        kind: InvoiceKind::Invoice,
        number: number.into(),
        lines: vec![LineItem::new(description, Decimal::ONE, rate)],
        issue_date: date!(2026 - 04 - 01),
        due_date: date!(2026 - 04 - 30),
        allow_partial_payments: false,
        payment_gateways: vec!["test".into()],
    }
}

async fn sent_invoice(env: &Env, org: &Organization, customer: &Customer, minor: i64) {
    env.invoice(&format!("H-{}", Uuid::now_v7()), minor)
        .sent_to(org, customer)
        .await;
}

/// Defect 1: the account number was sliced by byte index in the idempotency
/// fingerprint (and in `Debug`, and in the test gateway): multibyte text panicked.
async fn multibyte_payment_details_are_refused_without_panic(env: Env) {
    let org = env.org().await;
    let (customer, _, session) = env.signed_in(&org, "USD").await;
    sent_invoice(&env, &org, &customer, 10_000).await;
    // Each of these has a character boundary that the last four bytes cut through.
    let huge = format!("{}1", "€".repeat(350_000));
    let sources = [
        bank("€€"),
        bank("1234€€"),
        bank("\u{85}1\u{85}"),
        bank(&huge),
        card("4242 4242 4242 42€2"),
        card(&huge),
        bank("12€4"),
    ];
    for (n, source) in sources.into_iter().enumerate() {
        let err = session
            .invoices()
            .pay(PayRequest {
                invoices: InvoiceSelection::AllOutstanding,
                amount: None,
                source: source.clone(),
                idempotency_key: format!("multibyte-{n}-key"),
            })
            .await
            .expect_err("refused");
        assert_eq!(err.code(), "invalid_payment_details", "source {n}: {err}");
        let err = session
            .payment_methods()
            .save("test", source)
            .await
            .expect_err("refused");
        assert_eq!(err.code(), "invalid_payment_details", "source {n}: {err}");
    }
    assert_eq!(env.gateway.calls(), 0, "nothing reached the gateway");
    assert!(
        session
            .payments()
            .list(None, 10)
            .await
            .expect("page")
            .items
            .is_empty()
    );
    assert_eq!(
        session
            .dashboard()
            .await
            .expect("dash")
            .outstanding_invoices,
        Money::from_minor_units(10_000, customer.currency)
    );
}

/// Defect 2: NUL in line descriptions, signature marks and the invitation template
/// was stored by memory and SQLite and refused by PostgreSQL (`store_failure`).
async fn control_characters_are_refused_alike_everywhere(env: Env) {
    let org = env.org().await;
    let (customer, _, session) = env.signed_in(&org, "EUR").await;
    let admin = env.portal.org(org.id);
    for description in ["a\u{0}b", "bell\u{7}", "esc\u{1b}[31m", "c1\u{85}"] {
        let err = admin
            .invoices()
            .create(customer.id, new_invoice("NUL-1", description, Decimal::ONE))
            .await
            .expect_err("refused");
        assert_eq!(err.code(), "invalid_invoice", "{description:?}");
        let err = admin
            .quotes()
            .create(
                customer.id,
                NewQuote {
                    number: "NUL-Q".into(),
                    lines: vec![LineItem::new(description, Decimal::ONE, Decimal::ONE)],
                    issue_date: date!(2026 - 05 - 01),
                    expiry_date: date!(2026 - 05 - 20),
                },
            )
            .await
            .expect_err("refused");
        assert_eq!(err.code(), "invalid_quote", "{description:?}");
    }
    assert!(
        portal_core::domain::InvitationTemplate::new("Hi\u{0}", "{invitation_link}").is_err(),
        "the template type refuses NUL"
    );
    // A quote to sign: typed and drawn marks with control characters are refused.
    let quote = admin
        .quotes()
        .create(
            customer.id,
            NewQuote {
                number: "SIGN-1".into(),
                lines: vec![LineItem::new("Site", Decimal::ONE, Decimal::TEN)],
                issue_date: date!(2026 - 05 - 01),
                expiry_date: date!(2026 - 05 - 20),
            },
        )
        .await
        .expect("quote");
    admin.quotes().send(quote.id).await.expect("send");
    let seen = session.quotes().get(quote.id).await.expect("view");
    for mark in [
        SignatureMark::Typed("Pat\u{0}".into()),
        SignatureMark::Drawn("M0 0 L10 10\u{0}".into()),
    ] {
        let err = session
            .quotes()
            .accept(
                quote.id,
                &seen.content_hash(),
                Some(SignatureInput {
                    signer_name: "Pat Payer".into(),
                    mark,
                }),
            )
            .await
            .expect_err("refused");
        assert_eq!(err.code(), "invalid_text");
    }
    let page = session
        .invoices()
        .list(&InvoiceQuery::new(date!(2026 - 05 - 04)))
        .await
        .expect("invoices");
    assert!(page.items.is_empty(), "no invoice was written");
    assert_eq!(
        session
            .quotes()
            .get(quote.id)
            .await
            .expect("still open")
            .status,
        portal_core::domain::QuoteStatus::Sent
    );
    let drawn = SignatureMark::Drawn("M0 0 L10 10".into());
    session
        .quotes()
        .accept(
            quote.id,
            &seen.content_hash(),
            Some(SignatureInput {
                signer_name: "Pat Payer".into(),
                mark: drawn.clone(),
            }),
        )
        .await
        .expect("a plain mark is accepted");
    let signed = session.quotes().get(quote.id).await.expect("read back");
    assert_eq!(signed.signature.expect("signed").mark, drawn);
}

/// Bidirectional overrides spoof what is shown ("invoice\u{202E}fdp.exe" reads as
/// "invoiceexe.pdf"): refused in every kind of text, one line or many; a line
/// break where text is one line (a name, a number) is refused too; right-to-left
/// text is not.
async fn text_that_reorders_or_breaks_a_line_is_refused(env: Env) {
    let org = env.org().await;
    let (customer, _, session) = env.signed_in(&org, "EUR").await;
    let admin = env.portal.org(org.id);
    let spoof = "invoice\u{202E}fdp.exe";
    let err = admin
        .invoices()
        .create(customer.id, new_invoice("BIDI-1", spoof, Decimal::ONE))
        .await
        .expect_err("line description");
    assert_eq!(err.code(), "invalid_invoice");
    let err = admin
        .invoices()
        .create(
            customer.id,
            new_invoice("BIDI\u{2067}-2", "Work", Decimal::ONE),
        )
        .await
        .expect_err("number");
    assert_eq!(err.code(), "invalid_invoice");
    for name in [spoof, "Silva\nLda", "Silva\tLda"] {
        let err = admin
            .customers()
            .create(
                NewCustomer::new(name, customer.currency),
                vec![NewContact::new("Ana", "Silva", None)],
            )
            .await
            .expect_err("customer name");
        assert_eq!(err.code(), "invalid_text", "{name:?}");
        let err = admin
            .customers()
            .create(
                NewCustomer::new("Silva", customer.currency),
                vec![NewContact::new(name, "Silva", None)],
            )
            .await
            .expect_err("contact name");
        assert_eq!(err.code(), "invalid_text", "{name:?}");
    }
    let comment =
        portal_core::domain::CommentTarget::Document(portal_core::domain::DocumentRef::Invoice(
            env.invoice("BIDI-3", 1_000)
                .sent_to(&org, &customer)
                .await
                .id,
        ));
    let err = session
        .comments()
        .add(comment, "see \u{202D}attached\u{202C}")
        .await
        .expect_err("comment");
    assert_eq!(err.code(), "invalid_text");
    // Several lines are fine in a comment, and right-to-left text anywhere.
    session
        .comments()
        .add(comment, "line one\nשורה שתיים")
        .await
        .expect("a comment of two lines");
    let (named, _) = admin
        .customers()
        .create(
            NewCustomer::new("شركة الأمل", customer.currency),
            vec![NewContact::new("Ana", "Silva", None)],
        )
        .await
        .expect("an Arabic name");
    assert_eq!(named.display_name, "شركة الأمل");
}

/// Defect 3: a well-formed cursor whose key is out of range reached SQL and failed
/// there (`store_failure`), while memory answered a page.
async fn out_of_range_cursors_are_invalid_cursor_on_every_list(env: Env) {
    let org = env.org().await;
    env.portal
        .org(org.id)
        .update_settings(|s| {
            s.preferences.show_sales_orders = true;
            s.preferences.show_projects = true;
        })
        .await
        .expect("settings");
    let (customer, _, session) = env.signed_in(&org, "USD").await;
    let admin = env.portal.org(org.id);
    for key in [i64::MAX, i64::MIN, CURSOR_KEY_MAX + 1] {
        let tampered = Cursor {
            key,
            id: Uuid::max(),
        };
        assert_eq!(
            session
                .payments()
                .list(Some(&tampered.encode()), 10)
                .await
                .expect_err("payments")
                .code(),
            "invalid_cursor"
        );
        let mut invoices = InvoiceQuery::new(date!(2026 - 05 - 04));
        invoices.after = Some(tampered);
        let mut quotes = QuoteQuery::new(date!(2026 - 05 - 04));
        quotes.after = Some(tampered);
        let mut orders = SalesOrderQuery::new();
        orders.after = Some(tampered);
        let page = PageRequest {
            after: Some(tampered),
            limit: 10,
        };
        let codes = [
            session.invoices().list(&invoices).await.map(|_| ()),
            session.quotes().list(&quotes).await.map(|_| ()),
            session.sales_orders().list(&orders).await.map(|_| ()),
            session.projects().list(&page).await.map(|_| ()),
            session.approvals().list(&[], &page).await.map(|_| ()),
            session.files().list(&page).await.map(|_| ()),
            admin.files().list(customer.id, &page).await.map(|_| ()),
            admin.activity(customer.id, &page).await.map(|_| ()),
        ]
        .map(|r| r.expect_err("refused").code());
        assert_eq!(codes, ["invalid_cursor"; 8], "key {key}");
    }
    // The extremes of the range are valid cursors: an empty page, never a failure.
    let edge = Cursor::new(CURSOR_KEY_MAX, Uuid::max()).expect("in range");
    let page = session
        .payments()
        .list(Some(&edge.encode()), 10)
        .await
        .expect("in range");
    assert!(page.items.is_empty());
}

/// Defect 4: totals beyond 64-bit minor units failed in SQL and overflowed in
/// memory. Amounts above the ceiling are refused; a customer's documents stop at
/// the per-customer ceiling; figures at the ceiling are exact on every backend.
async fn amounts_beyond_the_ceilings_are_refused(env: Env) {
    let org = env.org().await;
    let (customer, _, session) = env.signed_in(&org, "USD").await;
    let usd = customer.currency;
    let admin = env.portal.org(org.id);
    let err = admin
        .invoices()
        .create(
            customer.id,
            new_invoice(
                "BIG-1",
                "Too much",
                Decimal::new(5, 0) * Decimal::from(10_i64.pow(16)),
            ),
        )
        .await
        .expect_err("5e16 USD");
    assert_eq!(err.code(), "invalid_amount");
    let at = env.clock.now();
    for minor in [i64::MAX, MAX_AMOUNT_MINOR_UNITS + 1] {
        let err = admin
            .invoices()
            .record_offline_payment(
                customer.id,
                Money::from_minor_units(minor, usd),
                "cash",
                at,
                &[],
            )
            .await
            .expect_err("too large");
        assert_eq!(err.code(), "invalid_amount", "{minor}");
    }
    // Two invoices at the per-document ceiling are fine, and so are their sums.
    sent_invoice(&env, &org, &customer, MAX_AMOUNT_MINOR_UNITS).await;
    sent_invoice(&env, &org, &customer, MAX_AMOUNT_MINOR_UNITS).await;
    let dash = session.dashboard().await.expect("dashboard");
    assert_eq!(
        dash.outstanding_invoices,
        Money::from_minor_units(2 * MAX_AMOUNT_MINOR_UNITS, usd)
    );
    // Fill the customer up to the per-customer ceiling with credit notes.
    let room = MAX_CUSTOMER_TOTAL_MINOR_UNITS / MAX_AMOUNT_MINOR_UNITS - 2;
    for n in 0..room {
        admin
            .credits()
            .create_note(
                customer.id,
                &format!("CN-{n}"),
                Money::from_minor_units(MAX_AMOUNT_MINOR_UNITS, usd),
                date!(2026 - 04 - 02),
            )
            .await
            .expect("within the customer's ceiling");
    }
    let err = admin
        .credits()
        .create_note(
            customer.id,
            "CN-over",
            Money::from_minor_units(1, usd),
            date!(2026 - 04 - 02),
        )
        .await
        .expect_err("past the customer's ceiling");
    assert_eq!(err.code(), "invalid_amount");
    let err = admin
        .invoices()
        .record_offline_payment(
            customer.id,
            Money::from_minor_units(1, usd),
            "cash",
            at,
            &[],
        )
        .await
        .expect_err("past the customer's ceiling");
    assert_eq!(err.code(), "invalid_amount");
    env.clock.advance(Duration::days(1));
    let dash = session.dashboard().await.expect("dashboard");
    let statement = session
        .statement(StatementPeriod::Custom {
            from: date!(2026 - 01 - 01),
            to: date!(2026 - 05 - 05),
        })
        .await
        .expect("statement");
    let credits = Money::from_minor_units(room * MAX_AMOUNT_MINOR_UNITS, usd);
    assert_eq!(dash.available_credits, credits);
    assert_eq!(
        statement.closing,
        dash.outstanding_invoices
            .checked_sub(&credits)
            .expect("fits")
    );
    // A number used twice is the caller's mistake, not a store failure.
    let (other, _, _) = env.signed_in(&org, "USD").await;
    let first = admin
        .invoices()
        .create(other.id, new_invoice("DUP-1", "Work", Decimal::ONE))
        .await;
    assert!(first.is_ok());
    let err = admin
        .invoices()
        .create(other.id, new_invoice("DUP-1", "Work", Decimal::ONE))
        .await
        .expect_err("taken");
    assert_eq!(err.code(), "number_taken");
    // Another customer is not affected by this one's ceiling.
    admin
        .credits()
        .create_note(
            other.id,
            "CN-other",
            Money::from_minor_units(1, usd),
            date!(2026 - 04 - 02),
        )
        .await
        .expect("another customer");
}

/// Gap 5: an attempt reserves what it will apply. While the first tab's payment is
/// in flight (the gateway did not answer), a second tab with a fresh key is refused
/// before the gateway is called; recovery that finds no charge releases the hold;
/// recovery that finds the charge records it and the balance is gone.
async fn a_pending_attempt_holds_the_balance_until_it_settles(env: Env) {
    let org = env.org().await;
    let (customer, _, session) = env.signed_in(&org, "USD").await;
    sent_invoice(&env, &org, &customer, 14_100).await;
    let pay = |key: &str| PayRequest {
        invoices: InvoiceSelection::AllOutstanding,
        amount: None,
        source: card(portal_memory::cards::VISA_OK),
        idempotency_key: key.into(),
    };
    env.gateway.fail_before_charge(1);
    let first = session
        .invoices()
        .pay(pay("first-tab-key"))
        .await
        .expect_err("pending");
    assert_eq!(first.code(), "payment_pending");
    let calls = env.gateway.calls();
    let second = session
        .invoices()
        .pay(pay("second-tab-key"))
        .await
        .expect_err("held");
    assert_eq!(second.code(), "payment_in_progress");
    assert_eq!(env.gateway.calls(), calls, "refused before the gateway");
    // Recovery finds no charge for the first key: the hold is released.
    env.clock.advance(Duration::minutes(20));
    let report = env
        .portal
        .recover_payments(Duration::minutes(15), 100)
        .await
        .expect("recover");
    assert_eq!(report.not_charged, 1);
    // Now the first tab times out after the gateway charged: recovery records it.
    env.gateway.fail_after_charge(1);
    let third = session
        .invoices()
        .pay(pay("third-tab-key"))
        .await
        .expect_err("lost answer");
    assert_eq!(third.code(), "payment_pending");
    let fourth = session
        .invoices()
        .pay(pay("fourth-tab-key"))
        .await
        .expect_err("held");
    assert_eq!(fourth.code(), "payment_in_progress");
    env.clock.advance(Duration::minutes(20));
    let report = env
        .portal
        .recover_payments(Duration::minutes(15), 100)
        .await
        .expect("recover");
    assert_eq!(report.recorded, 1);
    // Recovered, the payment still sends its receipt and tells the org, once.
    env.portal.dispatch_emails(100).await.expect("dispatch");
    let sent = env.mailer.sent();
    let receipts = sent
        .iter()
        .filter(|m| m.subject.starts_with("Receipt "))
        .count();
    assert_eq!(receipts, 1, "the recovered payment's receipt");
    let told = sent
        .iter()
        .filter(|m| m.to.as_str() == "billing@acme.example.com" && m.subject.contains(" paid "))
        .count();
    assert_eq!(told, 1, "the org's notice of the recovered payment");
    let fifth = session
        .invoices()
        .pay(pay("fifth-tab-key"))
        .await
        .expect_err("paid");
    assert_eq!(fifth.code(), "nothing_to_pay");
    assert_eq!(
        env.gateway.charged_minor_units(),
        14_100,
        "charged once, in full"
    );
    let dash = session.dashboard().await.expect("dashboard");
    assert!(dash.outstanding_invoices.is_zero());
    assert!(dash.available_credits.is_zero(), "no excess");
}

on_all_backends!(
    text_that_reorders_or_breaks_a_line_is_refused,
    a_pending_attempt_holds_the_balance_until_it_settles,
    multibyte_payment_details_are_refused_without_panic,
    control_characters_are_refused_alike_everywhere,
    out_of_range_cursors_are_invalid_cursor_on_every_list,
    amounts_beyond_the_ceilings_are_refused,
);
