//! The printable model of a document (D2): every label, figure, date and address
//! ready to print, built from the domain's own figures, in the language and
//! formats of whoever reads it (an [`i18n::Reader`](crate::i18n::Reader)). A PDF renderer
//! (`portal-pdf`) and a web host's print page both draw it, so the two never
//! disagree.

use serde::Serialize;
use time::Date;

use crate::domain::{
    Address, Currency, Customer, Invoice, InvoiceKind, InvoiceStatus, LineError, LineItem, Money,
    Organization, Quote, QuoteStatus, SalesOrder, SalesOrderStatus, SignatureMark, line_amounts,
};
use crate::i18n::{Reader, arg};

mod money;

/// What kind of document it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PrintKind {
    /// An invoice.
    Invoice,
    /// A retainer invoice (an advance).
    RetainerInvoice,
    /// A quote.
    Quote,
    /// A sales order.
    SalesOrder,
    /// A payment receipt.
    Receipt,
    /// A credit note.
    CreditNote,
    /// A statement of account.
    Statement,
}

impl PrintKind {
    /// A name for files: `invoice`, `retainer-invoice`, ...
    #[must_use]
    pub fn slug(self) -> &'static str {
        match self {
            PrintKind::Invoice => "invoice",
            PrintKind::RetainerInvoice => "retainer-invoice",
            PrintKind::Quote => "quote",
            PrintKind::SalesOrder => "sales-order",
            PrintKind::Receipt => "receipt",
            PrintKind::CreditNote => "credit-note",
            PrintKind::Statement => "statement",
        }
    }
}

/// How a column's cells line up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Align {
    /// Text.
    Left,
    /// Figures.
    Right,
}

/// A column of the document's table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PrintColumn {
    /// Its heading.
    pub label: String,
    /// How its cells line up.
    pub align: Align,
    /// Its share of the width, relative to the other columns.
    pub weight: u8,
}

/// A row of the document's table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PrintRow {
    /// One text per column.
    pub cells: Vec<String>,
    /// What a page that ends after this row carries forward to the next (the
    /// running total of the lines, or the statement's running balance).
    pub carry: Money,
    /// The carried figure as the reader reads it.
    pub carried: String,
}

/// A party of the document: who issues it, who it is for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PrintParty {
    /// The name, first and strongest.
    pub name: String,
    /// Address and contact lines, in order.
    pub lines: Vec<String>,
}

impl PrintParty {
    /// The organization with its portal contact details.
    #[must_use]
    pub fn org(org: &Organization) -> Self {
        let c = &org.settings.contact_details;
        let name = if c.name.trim().is_empty() {
            org.name.clone()
        } else {
            c.name.clone()
        };
        let mut lines: Vec<String> = c
            .address
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .collect();
        if let Some(email) = &c.email {
            lines.push(email.to_string());
        }
        if !c.phone.trim().is_empty() {
            lines.push(c.phone.clone());
        }
        Self { name, lines }
    }

    /// The customer with its billing address.
    #[must_use]
    pub fn customer(customer: &Customer) -> Self {
        let mut lines = Vec::new();
        if !customer.company_name.trim().is_empty()
            && customer.company_name != customer.display_name
        {
            lines.push(customer.company_name.clone());
        }
        lines.extend(address_lines(&customer.billing_address));
        Self {
            name: customer.display_name.clone(),
            lines,
        }
    }
}

/// An address as printed lines, empty parts left out.
#[must_use]
pub fn address_lines(a: &Address) -> Vec<String> {
    let zip_city = [a.zip.trim(), a.city.trim()]
        .iter()
        .filter(|s| !s.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(" ");
    [
        a.attention.trim(),
        a.street1.trim(),
        a.street2.trim(),
        zip_city.as_str(),
        a.state.trim(),
        a.country.trim(),
    ]
    .iter()
    .filter(|s| !s.is_empty())
    .map(|s| (*s).to_owned())
    .collect()
}

/// The signature of an accepted quote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PrintSignature {
    /// Who signed.
    pub signer: String,
    /// When, as printed.
    pub signed_at: String,
    /// The typed signature, if typed.
    pub typed: Option<String>,
    /// The drawn signature as an SVG path (moves and lines), if drawn.
    pub drawn: Option<String>,
    /// The hash of the content the signer saw.
    pub content_hash: String,
    /// The hash as printed under the signature: "Content hash: …".
    pub hash_line: String,
}

/// A document's status stamp.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StampKind {
    /// Paid in full (an invoice, a receipt).
    Paid,
    /// Partly paid.
    PartiallyPaid,
    /// Due before today and unpaid.
    Overdue,
    /// Voided (an invoice, a sales order).
    Void,
    /// An accepted quote.
    Accepted,
    /// A declined quote.
    Declined,
    /// Invoiced (a quote, a sales order).
    Invoiced,
    /// A credit note used up.
    Used,
    /// A sales order being written.
    Draft,
    /// A confirmed sales order.
    Open,
    /// A sales order partly invoiced.
    PartiallyInvoiced,
    /// A sales order closed.
    Closed,
}

impl StampKind {
    /// Its name: `paid`, `partially_paid`, `overdue`, ... (what a page's
    /// badge is styled by).
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            StampKind::Paid => "paid",
            StampKind::PartiallyPaid => "partially_paid",
            StampKind::Overdue => "overdue",
            StampKind::Void => "void",
            StampKind::Accepted => "accepted",
            StampKind::Declined => "declined",
            StampKind::Invoiced => "invoiced",
            StampKind::Used => "used",
            StampKind::Draft => "draft",
            StampKind::Open => "open",
            StampKind::PartiallyInvoiced => "partially_invoiced",
            StampKind::Closed => "closed",
        }
    }

    fn message(self) -> &'static str {
        match self {
            StampKind::Paid => "stamp-paid",
            StampKind::PartiallyPaid => "stamp-partially-paid",
            StampKind::Overdue => "stamp-overdue",
            StampKind::Void => "stamp-void",
            StampKind::Accepted => "stamp-accepted",
            StampKind::Declined => "stamp-declined",
            StampKind::Invoiced => "stamp-invoiced",
            StampKind::Used => "stamp-used",
            StampKind::Draft => "stamp-draft",
            StampKind::Open => "stamp-open",
            StampKind::PartiallyInvoiced => "stamp-partially-invoiced",
            StampKind::Closed => "stamp-closed",
        }
    }
}

/// A status stamp: what it says, and in words for the reader ("PAID", "PAGO").
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PrintStamp {
    /// The status.
    pub kind: StampKind,
    /// The stamp's words.
    pub text: String,
}

impl PrintStamp {
    fn new(kind: StampKind, reader: &Reader) -> Self {
        Self {
            kind,
            text: reader.text(kind.message(), &[]),
        }
    }
}

/// The words a renderer adds around the document's own, in the reader's
/// language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PrintLabels {
    /// Above the customer: "Bill to".
    pub bill_to: String,
    /// Above a page's last carried figure: "Running total carried forward".
    pub carried_forward: String,
    /// At the top of the next page: "Running total brought forward".
    pub brought_forward: String,
    /// The signature block's heading: "Accepted and signed".
    pub signed: String,
    /// The title on the pages after the first: "Invoice INV-0001 (continued)".
    pub continued: String,
    /// The page footer with `{page}` and `{pages}` to fill: "Page {page} of {pages}".
    pub page: String,
}

impl PrintLabels {
    fn new(reader: &Reader, title: &str, carry_label: &str) -> Self {
        Self {
            bill_to: reader.text("print-bill-to", &[]),
            carried_forward: reader.text("print-carried-forward", &[("label", arg(carry_label))]),
            brought_forward: reader.text("print-brought-forward", &[("label", arg(carry_label))]),
            signed: reader.text("print-signed", &[]),
            continued: reader.text("print-continued", &[("title", arg(title))]),
            page: reader.text(
                "print-page",
                &[("page", arg("{page}")), ("pages", arg("{pages}"))],
            ),
        }
    }

    /// The page footer of page `page` (from 1) of `pages`.
    #[must_use]
    pub fn page(&self, page: usize, pages: usize) -> String {
        self.page
            .replace("{page}", &page.to_string())
            .replace("{pages}", &pages.to_string())
    }
}

/// A document ready to print.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Printable {
    /// What it is.
    pub kind: PrintKind,
    /// The language it is written in (BCP 47: `pt-PT`), for a page's `lang`.
    pub language: String,
    /// Its heading: "Invoice INV-0001".
    pub title: String,
    /// Its number.
    pub number: String,
    /// Its currency's code.
    pub currency: String,
    /// Who issues it.
    pub from: PrintParty,
    /// Who it is for.
    pub to: PrintParty,
    /// Dates and references, label and value: "Issue date", "2026-11-10".
    pub facts: Vec<(String, String)>,
    /// The table's columns.
    pub columns: Vec<PrintColumn>,
    /// The table's rows, numbered where the document numbers its lines.
    pub rows: Vec<PrintRow>,
    /// The label of the figure a page carries over ("Running total", "Balance").
    pub carry_label: String,
    /// The words a renderer adds: "Bill to", "Page 1 of 2", ...
    pub labels: PrintLabels,
    /// Totals, label and amount; the last one is the document's bottom line.
    pub totals: Vec<(String, String)>,
    /// A status stamp: "PAID", "PARTIALLY PAID", "OVERDUE", "VOID", "ACCEPTED", ...
    pub stamp: Option<PrintStamp>,
    /// The signature block of an accepted quote.
    pub signature: Option<PrintSignature>,
    /// Closing notes (a receipt's allocations, a statement's aging).
    pub notes: Vec<(String, String)>,
}

fn col(reader: &Reader, message: &str, align: Align, weight: u8) -> PrintColumn {
    PrintColumn {
        label: if message == "#" {
            "#".to_owned()
        } else {
            reader.text(message, &[])
        },
        align,
        weight,
    }
}

/// A rate as prices print: at least the currency's decimals (150.00), more when
/// the rate has them (33.333), as the reader writes numbers.
fn rate(reader: &Reader, amount: rust_decimal::Decimal, currency: Currency) -> String {
    let minor = currency.minor_units();
    let normal = amount.normalize();
    if normal.scale() >= minor {
        reader.number(normal)
    } else {
        let mut padded = normal;
        padded.rescale(minor);
        reader.number(padded)
    }
}

/// A labelled text: ("Issue date", "31/12/2026").
fn fact(reader: &Reader, message: &str, value: String) -> (String, String) {
    (reader.text(message, &[]), value)
}

/// A row whose carried figure is `carry`.
fn row(reader: &Reader, cells: Vec<String>, carry: Money) -> PrintRow {
    PrintRow {
        cells,
        carried: reader.money(&carry),
        carry,
    }
}

/// Numbered line rows with right-aligned figures, the discount and tax columns
/// only when a line has them; each row carries the running total of the lines'
/// amounts (net of discount, tax included).
fn line_table(
    reader: &Reader,
    lines: &[LineItem],
    currency: Currency,
) -> Result<(Vec<PrintColumn>, Vec<PrintRow>), LineError> {
    let amounts = line_amounts(lines, currency)?;
    let discounts = lines.iter().any(|l| !l.discount_percent.is_zero());
    let taxes = lines.iter().any(|l| !l.tax_percent.is_zero());
    let mut columns = vec![
        col(reader, "#", Align::Right, 1),
        col(reader, "print-col-description", Align::Left, 10),
        col(reader, "print-col-quantity", Align::Right, 3),
        col(reader, "print-col-rate", Align::Right, 3),
    ];
    if discounts {
        columns.push(col(reader, "print-col-discount", Align::Right, 3));
    }
    if taxes {
        columns.push(col(reader, "print-col-tax", Align::Right, 2));
    }
    columns.push(col(reader, "print-col-amount", Align::Right, 4));
    let mut running = Money::zero(currency);
    let mut rows = Vec::with_capacity(lines.len());
    for (n, (line, a)) in lines.iter().zip(&amounts).enumerate() {
        let mut cells = vec![
            (n + 1).to_string(),
            line.description.clone(),
            reader.number(line.quantity.normalize()),
            rate(reader, line.rate, currency),
        ];
        if discounts {
            cells.push(reader.percent(line.discount_percent));
        }
        if taxes {
            cells.push(reader.percent(line.tax_percent));
        }
        cells.push(reader.amount(&a.net));
        running = running.checked_add(&a.net)?.checked_add(&a.tax)?;
        rows.push(row(reader, cells, running));
    }
    Ok((columns, rows))
}

/// Subtotal, discount and tax as the document has them, then the total.
fn line_totals(
    reader: &Reader,
    lines: &[LineItem],
    currency: Currency,
) -> Result<Vec<(String, String)>, LineError> {
    let t = crate::domain::totals(lines, currency)?;
    let mut out = vec![fact(reader, "print-subtotal", reader.money(&t.subtotal))];
    if !t.discount.is_zero() {
        out.push(fact(
            reader,
            "print-discount",
            reader.money(&Money::zero(currency).checked_sub(&t.discount)?),
        ));
    }
    if !t.tax.is_zero() {
        out.push(fact(reader, "print-tax", reader.money(&t.tax)));
    }
    out.push(fact(reader, "print-total", reader.money(&t.total)));
    Ok(out)
}

/// The parts every document has, from who issues it to whom, in the reader's
/// words.
struct Frame<'a> {
    reader: &'a Reader,
    org: &'a Organization,
    customer: &'a Customer,
}

impl Frame<'_> {
    #[allow(clippy::too_many_arguments)] // one per part of the document
    fn document(
        &self,
        kind: PrintKind,
        title: String,
        number: String,
        currency: Currency,
        facts: Vec<(String, String)>,
        (columns, rows): (Vec<PrintColumn>, Vec<PrintRow>),
        carry_label: &str,
    ) -> Printable {
        let carry_label = self.reader.text(carry_label, &[]);
        let labels = PrintLabels::new(self.reader, &title, &carry_label);
        Printable {
            kind,
            language: self.reader.language().tag().to_owned(),
            title,
            number,
            currency: currency.code().into(),
            from: PrintParty::org(self.org),
            to: PrintParty::customer(self.customer),
            facts,
            columns,
            rows,
            labels,
            carry_label,
            totals: Vec::new(),
            stamp: None,
            signature: None,
            notes: Vec::new(),
        }
    }

    fn stamp(&self, kind: Option<StampKind>) -> Option<PrintStamp> {
        kind.map(|k| PrintStamp::new(k, self.reader))
    }
}

impl Printable {
    /// A file name for the document, `invoice-INV-0001.pdf`: its kind and number,
    /// only ASCII letters, digits, `-`, `_` and `.` (anything else becomes `_`).
    #[must_use]
    pub fn file_name(&self, extension: &str) -> String {
        format!("{}-{}.{extension}", self.kind.slug(), self.number)
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                    c
                } else {
                    '_'
                }
            })
            .collect()
    }

    /// An invoice or retainer invoice, with paid, credited and balance, and its
    /// status stamp (`today` decides "OVERDUE"), for `reader`.
    ///
    /// # Errors
    /// [`LineError`] for lines the domain would refuse (never for a stored one).
    pub fn invoice(
        org: &Organization,
        customer: &Customer,
        invoice: &Invoice,
        today: Date,
        reader: &Reader,
    ) -> Result<Self, LineError> {
        let currency = invoice.total.currency();
        let frame = Frame {
            reader,
            org,
            customer,
        };
        let mut totals = line_totals(reader, &invoice.lines, currency)?;
        totals.pop();
        totals.push(fact(reader, "print-total", reader.money(&invoice.total)));
        totals.push(fact(reader, "print-paid", reader.money(&invoice.paid)));
        if !invoice.credited.is_zero() {
            totals.push(fact(
                reader,
                "print-credited",
                reader.money(&invoice.credited),
            ));
        }
        totals.push(fact(
            reader,
            "print-balance-due",
            reader.money(&invoice.balance),
        ));
        let stamp = match invoice.status {
            InvoiceStatus::Paid => Some(StampKind::Paid),
            InvoiceStatus::PartiallyPaid => Some(StampKind::PartiallyPaid),
            InvoiceStatus::Void => Some(StampKind::Void),
            InvoiceStatus::Sent if invoice.due_date < today => Some(StampKind::Overdue),
            _ => None,
        };
        let number = arg(&invoice.number);
        let (kind, title) = match invoice.kind {
            InvoiceKind::Retainer => (
                PrintKind::RetainerInvoice,
                reader.text("print-retainer-invoice", &[("number", number)]),
            ),
            InvoiceKind::Invoice => (
                PrintKind::Invoice,
                reader.text("doc-invoice", &[("number", number)]),
            ),
        };
        let mut doc = frame.document(
            kind,
            title,
            invoice.number.clone(),
            currency,
            vec![
                fact(reader, "print-issue-date", reader.date(invoice.issue_date)),
                fact(reader, "print-due-date", reader.date(invoice.due_date)),
            ],
            line_table(reader, &invoice.lines, currency)?,
            "print-running-total",
        );
        doc.totals = totals;
        doc.stamp = frame.stamp(stamp);
        Ok(doc)
    }

    /// A quote, with its signature block once accepted and the content hash the
    /// signer saw, for `reader`.
    ///
    /// # Errors
    /// [`LineError`] for lines the domain would refuse.
    pub fn quote(
        org: &Organization,
        customer: &Customer,
        quote: &Quote,
        reader: &Reader,
    ) -> Result<Self, LineError> {
        let currency = quote.total.currency();
        let frame = Frame {
            reader,
            org,
            customer,
        };
        let stamp = match quote.status {
            QuoteStatus::Accepted => Some(StampKind::Accepted),
            QuoteStatus::Declined => Some(StampKind::Declined),
            QuoteStatus::Invoiced => Some(StampKind::Invoiced),
            _ => None,
        };
        let signature = quote.signature.as_ref().map(|s| PrintSignature {
            signer: s.signer_name.clone(),
            signed_at: reader.date_time(s.signed_at),
            typed: match &s.mark {
                SignatureMark::Typed(t) => Some(t.clone()),
                SignatureMark::Drawn(_) => None,
            },
            drawn: match &s.mark {
                SignatureMark::Drawn(d) => Some(d.clone()),
                SignatureMark::Typed(_) => None,
            },
            content_hash: s.content_hash.clone(),
            hash_line: reader.text("print-content-hash", &[("hash", arg(&s.content_hash))]),
        });
        let mut doc = frame.document(
            PrintKind::Quote,
            reader.text("doc-quote", &[("number", arg(&quote.number))]),
            quote.number.clone(),
            currency,
            vec![
                fact(reader, "print-issue-date", reader.date(quote.issue_date)),
                fact(reader, "print-valid-until", reader.date(quote.expiry_date)),
            ],
            line_table(reader, &quote.lines, currency)?,
            "print-running-total",
        );
        if let Some(reason) = &quote.decline_reason {
            doc.notes
                .push(fact(reader, "print-declined", reason.clone()));
        }
        doc.totals = line_totals(reader, &quote.lines, currency)?;
        doc.stamp = frame.stamp(stamp);
        doc.signature = signature;
        Ok(doc)
    }

    /// A sales order, for `reader`.
    ///
    /// # Errors
    /// [`LineError`] for lines the domain would refuse.
    pub fn sales_order(
        org: &Organization,
        customer: &Customer,
        order: &SalesOrder,
        reader: &Reader,
    ) -> Result<Self, LineError> {
        let currency = order.total.currency();
        let frame = Frame {
            reader,
            org,
            customer,
        };
        let mut facts = vec![fact(
            reader,
            "print-order-date",
            reader.date(order.order_date),
        )];
        if let Some(d) = order.shipment_date {
            facts.push(fact(reader, "print-shipment-date", reader.date(d)));
        }
        let stamp = match order.status {
            SalesOrderStatus::Draft => StampKind::Draft,
            SalesOrderStatus::Open => StampKind::Open,
            SalesOrderStatus::PartiallyInvoiced => StampKind::PartiallyInvoiced,
            SalesOrderStatus::Invoiced => StampKind::Invoiced,
            SalesOrderStatus::Closed => StampKind::Closed,
            SalesOrderStatus::Void => StampKind::Void,
        };
        let mut doc = frame.document(
            PrintKind::SalesOrder,
            reader.text("doc-sales-order", &[("number", arg(&order.number))]),
            order.number.clone(),
            currency,
            facts,
            line_table(reader, &order.lines, currency)?,
            "print-running-total",
        );
        doc.totals = line_totals(reader, &order.lines, currency)?;
        doc.stamp = frame.stamp(Some(stamp));
        Ok(doc)
    }
}
