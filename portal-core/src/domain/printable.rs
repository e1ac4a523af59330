//! The printable model of a document (D2): every label, figure, date and address
//! ready to print, built from the domain's own figures. A PDF renderer
//! (`portal-pdf`) and a web host's print page both draw it, so the two never
//! disagree.

use serde::Serialize;
use time::Date;

use super::customer::{Address, Customer};
use super::invoice::{Invoice, InvoiceKind, InvoiceStatus};
use super::lines::{LineError, LineItem, line_amounts};
use super::money::{Currency, Money};
use super::quote::{Quote, QuoteStatus, SignatureMark};
use super::sales_order::SalesOrder;
use super::settings::Organization;

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
}

/// A document ready to print.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Printable {
    /// What it is.
    pub kind: PrintKind,
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
    /// Totals, label and amount; the last one is the document's bottom line.
    pub totals: Vec<(String, String)>,
    /// A status stamp: "PAID", "PARTIALLY PAID", "OVERDUE", "VOID", "ACCEPTED", ...
    pub stamp: Option<String>,
    /// The signature block of an accepted quote.
    pub signature: Option<PrintSignature>,
    /// Closing notes (a receipt's allocations, a statement's aging).
    pub notes: Vec<(String, String)>,
}

pub(super) fn col(label: &str, align: Align, weight: u8) -> PrintColumn {
    PrintColumn {
        label: label.into(),
        align,
        weight,
    }
}

pub(super) fn figure(amount: rust_decimal::Decimal) -> String {
    amount.normalize().to_string()
}

/// A rate as prices print: at least the currency's decimals (150.00), more when
/// the rate has them (33.333).
pub(super) fn rate(amount: rust_decimal::Decimal, currency: Currency) -> String {
    let minor = currency.minor_units();
    let normal = amount.normalize();
    if normal.scale() >= minor {
        normal.to_string()
    } else {
        let mut padded = normal;
        padded.rescale(minor);
        padded.to_string()
    }
}

pub(super) fn percent(p: rust_decimal::Decimal) -> String {
    format!("{}%", p.normalize())
}

/// Numbered line rows with right-aligned figures, the discount and tax columns
/// only when a line has them; each row carries the running total of the lines'
/// amounts (net of discount, tax included).
pub(super) fn line_table(
    lines: &[LineItem],
    currency: Currency,
) -> Result<(Vec<PrintColumn>, Vec<PrintRow>), LineError> {
    let amounts = line_amounts(lines, currency)?;
    let discounts = lines.iter().any(|l| !l.discount_percent.is_zero());
    let taxes = lines.iter().any(|l| !l.tax_percent.is_zero());
    let mut columns = vec![
        col("#", Align::Right, 1),
        col("Description", Align::Left, 10),
        col("Quantity", Align::Right, 3),
        col("Rate", Align::Right, 3),
    ];
    if discounts {
        columns.push(col("Discount", Align::Right, 3));
    }
    if taxes {
        columns.push(col("Tax", Align::Right, 2));
    }
    columns.push(col("Amount", Align::Right, 4));
    let mut running = Money::zero(currency);
    let mut rows = Vec::with_capacity(lines.len());
    for (n, (line, a)) in lines.iter().zip(&amounts).enumerate() {
        let mut cells = vec![
            (n + 1).to_string(),
            line.description.clone(),
            figure(line.quantity),
            rate(line.rate, currency),
        ];
        if discounts {
            cells.push(percent(line.discount_percent));
        }
        if taxes {
            cells.push(percent(line.tax_percent));
        }
        cells.push(a.net.amount().to_string());
        running = running.checked_add(&a.net)?.checked_add(&a.tax)?;
        rows.push(PrintRow {
            cells,
            carry: running,
        });
    }
    Ok((columns, rows))
}

/// Subtotal, discount and tax as the document has them, then the total.
pub(super) fn line_totals(
    lines: &[LineItem],
    currency: Currency,
) -> Result<Vec<(String, String)>, LineError> {
    let t = super::lines::totals(lines, currency)?;
    let mut out = vec![("Subtotal".to_owned(), t.subtotal.to_string())];
    if !t.discount.is_zero() {
        out.push(("Discount".into(), format!("-{}", t.discount)));
    }
    if !t.tax.is_zero() {
        out.push(("Tax".into(), t.tax.to_string()));
    }
    out.push(("Total".into(), t.total.to_string()));
    Ok(out)
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
    /// status stamp (`today` decides "OVERDUE").
    ///
    /// # Errors
    /// [`LineError`] for lines the domain would refuse (never for a stored one).
    pub fn invoice(
        org: &Organization,
        customer: &Customer,
        invoice: &Invoice,
        today: Date,
    ) -> Result<Self, LineError> {
        let currency = invoice.total.currency();
        let (columns, rows) = line_table(&invoice.lines, currency)?;
        let mut totals = line_totals(&invoice.lines, currency)?;
        totals.pop();
        totals.push(("Total".into(), invoice.total.to_string()));
        totals.push(("Paid".into(), invoice.paid.to_string()));
        if !invoice.credited.is_zero() {
            totals.push(("Credited".into(), invoice.credited.to_string()));
        }
        totals.push(("Balance due".into(), invoice.balance.to_string()));
        let stamp = match invoice.status {
            InvoiceStatus::Paid => Some("PAID"),
            InvoiceStatus::PartiallyPaid => Some("PARTIALLY PAID"),
            InvoiceStatus::Void => Some("VOID"),
            InvoiceStatus::Sent if invoice.due_date < today => Some("OVERDUE"),
            _ => None,
        };
        let (kind, name) = match invoice.kind {
            InvoiceKind::Retainer => (PrintKind::RetainerInvoice, "Retainer invoice"),
            InvoiceKind::Invoice => (PrintKind::Invoice, "Invoice"),
        };
        Ok(Self {
            kind,
            title: format!("{name} {}", invoice.number),
            number: invoice.number.clone(),
            currency: currency.code().into(),
            from: PrintParty::org(org),
            to: PrintParty::customer(customer),
            facts: vec![
                ("Issue date".into(), invoice.issue_date.to_string()),
                ("Due date".into(), invoice.due_date.to_string()),
            ],
            columns,
            rows,
            carry_label: "Running total".into(),
            totals,
            stamp: stamp.map(str::to_owned),
            signature: None,
            notes: Vec::new(),
        })
    }

    /// A quote, with its signature block once accepted and the content hash the
    /// signer saw.
    ///
    /// # Errors
    /// [`LineError`] for lines the domain would refuse.
    pub fn quote(
        org: &Organization,
        customer: &Customer,
        quote: &Quote,
    ) -> Result<Self, LineError> {
        let currency = quote.total.currency();
        let (columns, rows) = line_table(&quote.lines, currency)?;
        let stamp = match quote.status {
            QuoteStatus::Accepted => Some("ACCEPTED"),
            QuoteStatus::Declined => Some("DECLINED"),
            QuoteStatus::Invoiced => Some("INVOICED"),
            _ => None,
        };
        let signature = quote.signature.as_ref().map(|s| PrintSignature {
            signer: s.signer_name.clone(),
            signed_at: format!(
                "{} {:02}:{:02} UTC",
                s.signed_at.date(),
                s.signed_at.hour(),
                s.signed_at.minute()
            ),
            typed: match &s.mark {
                SignatureMark::Typed(t) => Some(t.clone()),
                SignatureMark::Drawn(_) => None,
            },
            drawn: match &s.mark {
                SignatureMark::Drawn(d) => Some(d.clone()),
                SignatureMark::Typed(_) => None,
            },
            content_hash: s.content_hash.clone(),
        });
        let mut notes = Vec::new();
        if let Some(reason) = &quote.decline_reason {
            notes.push(("Declined".into(), reason.clone()));
        }
        Ok(Self {
            kind: PrintKind::Quote,
            title: format!("Quote {}", quote.number),
            number: quote.number.clone(),
            currency: currency.code().into(),
            from: PrintParty::org(org),
            to: PrintParty::customer(customer),
            facts: vec![
                ("Issue date".into(), quote.issue_date.to_string()),
                ("Valid until".into(), quote.expiry_date.to_string()),
            ],
            columns,
            rows,
            carry_label: "Running total".into(),
            totals: line_totals(&quote.lines, currency)?,
            stamp: stamp.map(str::to_owned),
            signature,
            notes,
        })
    }

    /// A sales order.
    ///
    /// # Errors
    /// [`LineError`] for lines the domain would refuse.
    pub fn sales_order(
        org: &Organization,
        customer: &Customer,
        order: &SalesOrder,
    ) -> Result<Self, LineError> {
        let currency = order.total.currency();
        let (columns, rows) = line_table(&order.lines, currency)?;
        let mut facts = vec![("Order date".into(), order.order_date.to_string())];
        if let Some(d) = order.shipment_date {
            facts.push(("Shipment date".into(), d.to_string()));
        }
        Ok(Self {
            kind: PrintKind::SalesOrder,
            title: format!("Sales order {}", order.number),
            number: order.number.clone(),
            currency: currency.code().into(),
            from: PrintParty::org(org),
            to: PrintParty::customer(customer),
            facts,
            columns,
            rows,
            carry_label: "Running total".into(),
            totals: line_totals(&order.lines, currency)?,
            stamp: Some(order.status.as_str().replace('_', " ").to_uppercase()),
            signature: None,
            notes: Vec::new(),
        })
    }
}
