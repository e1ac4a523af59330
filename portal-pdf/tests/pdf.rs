//! The PDFs read back with poppler-utils: every figure, name and label of each
//! document kind; long documents paginate with their header and carried figure;
//! hostile text never panics; the same input gives the same bytes. PNGs of each
//! kind's first page go to `target/documents/`.

mod common;

use common::*;
use portal_core::Decimal;
use portal_core::domain::{InvoiceStatus, LineItem, Money, SignatureMark, line_amounts, totals};
use portal_core::print::Printable;
use proptest::prelude::*;

/// Collapses runs of spaces (pdftotext -layout pads columns).
fn squash(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn an_invoice_prints_every_figure_name_and_label() {
    let Some(fonts) = fonts() else { return };
    let mut lines = vec![
        line("Consultoria fiscal — revisão anual", 2, 15_000),
        line("咨询服务 (servicios de asesoría)", 3, 3_333),
        line("Año nuevo: cierre contable", 1, 45_000),
    ];
    lines[0].discount_percent = Decimal::from(10);
    lines[2].tax_percent = Decimal::from(23);
    let mut inv = invoice(lines.clone(), InvoiceStatus::PartiallyPaid);
    inv.paid = Money::from_minor_units(10_000, eur());
    inv.balance = inv.total.checked_sub(&inv.paid).expect("balance");
    let c = customer("Açaí & Companhia Ñandú 咨询");
    let doc = Printable::invoice(&org(), &c, &inv, time::macros::date!(2026 - 11 - 30), &en())
        .expect("printable");
    let pdf = portal_pdf::render(&doc, &fonts).expect("pdf");
    keep("invoice", &pdf);
    let Some(text) = text_of(&pdf) else { return };
    let flat = squash(&text);
    for expected in [
        "Invoice INV-0042",
        "Acme Books Lda",
        "Rua Augusta 1",
        "hello@acme-books.example",
        "Bill to",
        "Açaí & Companhia Ñandú 咨询",
        "Avenida da Liberdade 200",
        "1250-147 Lisboa",
        "Issue date: 2026-11-01",
        "Due date: 2026-11-20",
        "PARTIALLY PAID",
        "Consultoria fiscal — revisão anual",
        "咨询服务 (servicios de asesoría)",
        "Año nuevo: cierre contable",
        "Description",
        "Quantity",
        "Discount",
        "Tax",
        "Amount",
        "Balance due",
        "Page 1 of 1",
    ] {
        assert!(flat.contains(expected), "{expected:?} in:\n{text}");
    }
    let amounts = line_amounts(&lines, eur()).expect("amounts");
    for a in &amounts {
        assert!(flat.contains(&en().amount(&a.net)), "{} in {text}", a.net);
    }
    let t = totals(&lines, eur()).expect("totals");
    for figure in [t.subtotal, t.tax, inv.total, inv.paid, inv.balance] {
        assert!(flat.contains(&en().money(&figure)), "{figure} in {text}");
    }
    let discount = Money::zero(eur()).checked_sub(&t.discount).expect("minus");
    assert!(flat.contains(&en().money(&discount)), "the discount");
}

/// The same invoice for a reader in Portugal, in Spain and in China: labels,
/// stamp, dates and figures in their language and formats, the page footer
/// too, and what the PDF says is what the model (the print page's source) says.
#[test]
fn documents_print_in_the_readers_language_and_formats() {
    let Some(fonts) = fonts() else { return };
    let mut inv = invoice(
        vec![line("Consultoria", 2, 61_728), line("咨询服务", 1, 1_000)],
        InvoiceStatus::PartiallyPaid,
    );
    inv.paid = Money::from_minor_units(10_000, eur());
    inv.balance = inv.total.checked_sub(&inv.paid).expect("balance");
    let c = customer("Açaí & Companhia");
    let cases = [
        (
            "pt",
            "PT",
            [
                "Fatura INV-0042",
                "Data de vencimento: 20/11/2026",
                "PAGO EM PARTE",
                "Faturar a",
                "Descrição",
                "Saldo a pagar 1144,56 €",
                "Página 1 de 1",
            ],
        ),
        (
            "es",
            "ES",
            [
                "Factura INV-0042",
                "Fecha de vencimiento: 20/11/2026",
                "PAGADA EN PARTE",
                "Facturar a",
                "Descripción",
                "Saldo pendiente 1144,56 €",
                "Página 1 de 1",
            ],
        ),
        (
            "zh-CN",
            "CN",
            [
                "发票 INV-0042",
                "到期日: 20/11/2026",
                "部分付款",
                "账单寄送至",
                "描述",
                "应付余额 €1,144.56",
                "第 1 页，共 1 页",
            ],
        ),
    ];
    for (language, country, expected) in cases {
        let r = reader(language, country);
        let doc = Printable::invoice(&org(), &c, &inv, time::macros::date!(2026 - 11 - 30), &r)
            .expect("printable");
        assert_eq!(doc.language, r.language().tag());
        let pdf = portal_pdf::render(&doc, &fonts).expect("pdf");
        keep(&format!("invoice-{language}"), &pdf);
        let Some(text) = text_of(&pdf) else { return };
        let flat = squash(&text);
        for e in expected {
            assert!(flat.contains(e), "{language}: {e:?} in:\n{text}");
        }
        for (label, value) in &doc.totals {
            assert!(
                flat.contains(&squash(&format!("{label} {value}"))),
                "{language}: {label} {value}"
            );
        }
        assert!(
            !text.contains('\u{2068}') && !text.contains('\u{2069}'),
            "{language}: no isolation marks in the PDF"
        );
    }
}

#[test]
fn every_kind_of_document_prints_and_the_same_input_gives_the_same_bytes() {
    let Some(fonts) = fonts() else { return };
    let o = org();
    let c = customer("Silva & Costa Lda");
    let paid = {
        let mut i = invoice(vec![line("Bookkeeping", 1, 45_000)], InvoiceStatus::Paid);
        i.paid = i.total;
        i.balance = Money::zero(eur());
        i
    };
    let drawn = "M20 150 L60 60 L100 140 L140 70 L200 150 L260 90 M300 120 L420 110";
    let docs = [
        (
            "quote-drawn",
            Printable::quote(
                &o,
                &c,
                &quote(Some(SignatureMark::Drawn(drawn.into()))),
                &en(),
            )
            .expect("quote"),
        ),
        (
            "quote-typed",
            Printable::quote(
                &o,
                &c,
                &quote(Some(SignatureMark::Typed("Ana Silva".into()))),
                &en(),
            )
            .expect("quote"),
        ),
        (
            "sales-order",
            Printable::sales_order(&o, &c, &sales_order(), &en()).expect("order"),
        ),
        (
            "receipt",
            Printable::receipt(
                &o,
                &c,
                &payment(&paid),
                &[(paid.id, paid.number.clone())],
                &en(),
            )
            .expect("receipt"),
        ),
        (
            "statement",
            Printable::statement(&o, &c, &statement(12), &en()),
        ),
        (
            "credit-note",
            Printable::credit_note(&o, &c, &credit_note(), &en()).expect("credit note"),
        ),
        (
            "invoice-paid",
            Printable::invoice(&o, &c, &paid, time::macros::date!(2026 - 11 - 30), &en())
                .expect("invoice"),
        ),
    ];
    for (name, doc) in &docs {
        let pdf = portal_pdf::render(doc, &fonts).expect("pdf");
        assert_eq!(
            pdf,
            portal_pdf::render(doc, &fonts).expect("again"),
            "{name}: same bytes"
        );
        keep(name, &pdf);
        let Some(text) = text_of(&pdf) else { continue };
        let flat = squash(&text);
        assert!(flat.contains(&doc.title), "{name}: title in {text}");
        for (label, value) in doc.totals.iter().chain(&doc.notes) {
            assert!(
                flat.contains(label) && flat.contains(value),
                "{name}: {label} {value} in {text}"
            );
        }
        if let Some(stamp) = &doc.stamp {
            assert!(flat.contains(&stamp.text), "{name}: stamp {}", stamp.text);
        }
        if let Some(s) = &doc.signature {
            assert!(flat.contains("Accepted and signed") && flat.contains(&s.content_hash));
            assert!(flat.contains("Ana Silva · 2026-11-30 10:00"), "{text}");
        }
    }
    let receipt = text_of(&portal_pdf::render(&docs[3].1, &fonts).expect("pdf"));
    if let Some(text) = receipt {
        let flat = squash(&text);
        assert!(flat.contains("Invoice INV-0042") && flat.contains("visa card ending 4242"));
        assert!(flat.contains("Kept as credit") && flat.contains("€50.00"));
    }
}

#[test]
fn a_long_document_repeats_its_header_and_carries_its_figure_over() {
    let Some(fonts) = fonts() else { return };
    let lines: Vec<LineItem> = (0..150)
        .map(|n| line(&format!("Monthly service {n:03}"), 1, 1_000 + n))
        .collect();
    let inv = invoice(lines.clone(), InvoiceStatus::Sent);
    let doc = Printable::invoice(
        &org(),
        &customer("Silva & Costa Lda"),
        &inv,
        time::macros::date!(2026 - 11 - 10),
        &en(),
    )
    .expect("printable");
    let pdf = portal_pdf::render(&doc, &fonts).expect("pdf");
    keep("invoice-long", &pdf);
    let Some(text) = text_of(&pdf) else { return };
    let pages = pages_of(&text);
    assert!(pages >= 3, "150 lines take several pages ({pages})");
    let flat = squash(&text);
    assert!(flat.contains(&format!("Page {pages} of {pages}")));
    assert_eq!(
        flat.matches("Invoice INV-0042 (continued)").count(),
        pages - 1
    );
    assert_eq!(
        flat.matches("Description").count(),
        pages,
        "the header on every page"
    );
    assert_eq!(
        flat.matches("Running total carried forward").count(),
        pages - 1
    );
    assert_eq!(
        flat.matches("Running total brought forward").count(),
        pages - 1
    );
    // What the first page carries is the running total of the lines it shows.
    let first_page = text.split('\u{c}').next().expect("page 1");
    let shown = first_page.matches("Monthly service").count();
    let carried: Money = line_amounts(&lines[..shown], eur())
        .expect("amounts")
        .iter()
        .try_fold(Money::zero(eur()), |s, a| s.checked_add(&a.net))
        .expect("sum");
    assert!(
        squash(first_page).contains(&format!(
            "Running total carried forward {}",
            en().money(&carried)
        )),
        "{first_page}"
    );
    let statement = Printable::statement(
        &org(),
        &customer("Silva & Costa Lda"),
        &statement(500),
        &en(),
    );
    let pdf = portal_pdf::render(&statement, &fonts).expect("statement");
    keep("statement-long", &pdf);
    if let Some(text) = text_of(&pdf) {
        assert!(pages_of(&text) >= 10 && squash(&text).contains("Balance carried forward"));
    }
}

#[test]
fn hostile_text_never_panics_and_paginates() {
    let Some(fonts) = fonts() else { return };
    let megabyte = "x".repeat(1 << 20);
    let spaced = "word ".repeat(200_000);
    let hostile = [
        "\u{202E}evil\u{202C} \u{2067}rtl\u{2069} שלום עליכם مرحبا",
        "emoji 😀🎉👩‍👩‍👧 flags 🇵🇹🇪🇸🇨🇳",
        "controls \u{0}\u{1}\u{7}\u{1b}[31m and a tab\there",
        "combining e\u{301}\u{301}\u{301} zalgo Z\u{351}\u{353}\u{35b}",
        megabyte.as_str(),
        spaced.as_str(),
    ];
    // The renderer draws whatever a model holds, even text the domain would
    // refuse at the door: start from a valid 500-line invoice, then make it hostile.
    let lines: Vec<LineItem> = (0..500)
        .map(|n| line(&format!("Line {n}"), 1, 100))
        .collect();
    let inv = invoice(lines, InvoiceStatus::Sent);
    let mut doc = Printable::invoice(
        &org(),
        &customer("x"),
        &inv,
        time::macros::date!(2026 - 11 - 10),
        &en(),
    )
    .expect("printable");
    for (n, row) in doc.rows.iter_mut().enumerate() {
        row.cells[1] = hostile[n % hostile.len()].to_owned();
    }
    doc.to.name = hostile[0].into();
    doc.to.lines = vec![hostile[1].into(), hostile[2].into(), megabyte.clone()];
    doc.from.name = hostile[3].into();
    let started = std::time::Instant::now();
    let pdf = portal_pdf::render(&doc, &fonts).expect("pdf");
    eprintln!(
        "500 hostile lines: {} bytes in {:?}",
        pdf.len(),
        started.elapsed()
    );
    let Some(text) = text_of(&pdf) else { return };
    let pages = pages_of(&text);
    assert!(pages > 10, "500 lines paginate ({pages} pages)");
    assert!(squash(&text).contains(&format!("Page {pages} of {pages}")));
    assert!(
        text.contains('…'),
        "a text too long for its cell is cut with an ellipsis"
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    /// Each line's amount and the total in the PDF's text are the domain's.
    #[test]
    fn the_pdf_shows_the_domains_line_amounts_and_total(
        raw in prop::collection::vec((1_i64..50, 0_i64..2_000_000, 0_i64..=100, 0_i64..=30), 1..25)
    ) {
        let Some(fonts) = fonts() else { return Ok(()) };
        let lines: Vec<LineItem> = raw
            .iter()
            .enumerate()
            .map(|(n, (qty, cents, discount, tax))| {
                let mut l = line(&format!("Item {n}"), *qty, *cents);
                l.discount_percent = Decimal::from(*discount);
                l.tax_percent = Decimal::from(*tax);
                l
            })
            .collect();
        let inv = invoice(lines.clone(), InvoiceStatus::Sent);
        let doc = Printable::invoice(&org(), &customer("Silva & Costa Lda"), &inv, time::macros::date!(2026 - 11 - 10), &en())
            .expect("printable");
        let pdf = portal_pdf::render(&doc, &fonts).expect("pdf");
        let Some(text) = text_of(&pdf) else { return Ok(()) };
        let flat = squash(&text);
        let amounts = line_amounts(&lines, eur()).expect("amounts");
        for (n, a) in amounts.iter().enumerate() {
            let expected = format!("{} Item {n} ", n + 1);
            prop_assert!(flat.contains(&expected), "line {} in {}", n + 1, flat);
            prop_assert!(flat.contains(&en().amount(&a.net)), "{} in {}", a.net, flat);
        }
        prop_assert!(flat.contains(&format!("Total {}", en().money(&inv.total))), "total {} in {}", inv.total, flat);
    }
}
