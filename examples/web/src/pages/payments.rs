//! Payments and the statement of account (I9, D1): the customer's payments page by
//! page (the library's cursors travel in the URL), one receipt, and the statement
//! for a preset period with its running balance and aging.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::get;
use portal_core::domain::{
    Payment, PaymentId, PaymentMethod, Statement, StatementEntryKind, StatementPeriod,
};
use serde::Deserialize;

use super::{PageError, render};
use crate::AppState;
use crate::extract::{Id, PortalUser};
use crate::i18n::filters;
use portal_core::i18n::arg;

/// How many payments a page shows.
const PAGE_SIZE: u32 = 20;

/// A payment method as the request's reader reads it.
#[must_use]
pub fn method_label(method: &PaymentMethod) -> String {
    match method {
        PaymentMethod::Card { brand, last4 } => crate::i18n::text(
            "method-card",
            &[("brand", arg(brand)), ("last4", arg(last4))],
        ),
        PaymentMethod::BankAccount { last4 } => {
            crate::i18n::text("method-bank", &[("last4", arg(last4))])
        }
        PaymentMethod::Offline { mode } => mode.clone(),
    }
}

/// One payment as the list shows it.
struct Row {
    payment: Payment,
    method: String,
}

#[derive(Template)]
#[template(path = "payments.html")]
struct ListPage<'a> {
    slug: &'a str,
    csrf: &'a super::Csrf,
    rows: Vec<Row>,
    next: Option<String>,
    /// Payments not settled yet (first page only).
    pending: Vec<portal_core::domain::PendingPayment>,
}

/// How a pending payment's stage reads.
fn stage_label(stage: &portal_core::domain::AttemptStage) -> &'static str {
    match stage {
        portal_core::domain::AttemptStage::RequiresAction => "stage-requires-action",
        portal_core::domain::AttemptStage::Processing => "stage-processing",
    }
}

/// The query of a page of payments: the cursor the previous page handed out.
#[derive(Debug, Deserialize)]
pub struct PageQuery {
    after: Option<String>,
}

/// The customer's payments, newest first, a page at a time.
pub async fn list(
    PortalUser {
        session,
        csrf,
        slug,
    }: PortalUser,
    Query(query): Query<PageQuery>,
) -> Result<Response, PageError> {
    let page = session
        .payments()
        .list(query.after.as_deref(), PAGE_SIZE)
        .await?;
    let pending = if query.after.is_none() {
        session.payments().pending().await?
    } else {
        Vec::new()
    };
    Ok(render(&ListPage {
        slug: &slug,
        csrf: &csrf,
        pending,
        rows: page
            .items
            .into_iter()
            .map(|payment| Row {
                method: method_label(&payment.method),
                payment,
            })
            .collect(),
        next: page.next,
    }))
}

#[derive(Template)]
#[template(path = "payment.html")]
struct ReceiptPage<'a> {
    slug: &'a str,
    csrf: &'a super::Csrf,
    method: String,
    payment: Payment,
    paid: Vec<Paid>,
}

/// What a payment paid: an invoice by number, and how much of it.
pub(crate) struct Paid {
    pub(crate) invoice: portal_core::domain::InvoiceId,
    pub(crate) number: String,
    pub(crate) amount: portal_core::domain::Money,
}

/// The invoices `payment` paid, named: one read per invoice it went to.
pub(crate) async fn paid_by(
    session: &portal_core::PortalSession,
    payment: &Payment,
) -> Result<Vec<Paid>, PageError> {
    let mut paid = Vec::with_capacity(payment.allocations.len());
    for a in &payment.allocations {
        let invoice = session.invoices().get(a.invoice).await?;
        paid.push(Paid {
            invoice: a.invoice,
            number: invoice.number,
            amount: a.amount,
        });
    }
    Ok(paid)
}

/// One payment: the receipt, with what went to which invoice.
pub async fn view(
    PortalUser {
        session,
        csrf,
        slug,
    }: PortalUser,
    Id(id): Id<PaymentId>,
) -> Result<Response, PageError> {
    let payment = session.payments().get(id).await?;
    let paid = paid_by(&session, &payment).await?;
    Ok(render(&ReceiptPage {
        slug: &slug,
        csrf: &csrf,
        method: method_label(&payment.method),
        payment,
        paid,
    }))
}

/// One line of the statement as the page shows it.
struct Line {
    date: time::Date,
    /// The entry's kind, a message id.
    what: &'static str,
    number: String,
    amount: portal_core::domain::Money,
    balance: portal_core::domain::Money,
}

#[derive(Template)]
#[template(path = "statement.html")]
struct StatementPage<'a> {
    slug: &'a str,
    csrf: &'a super::Csrf,
    period: &'a str,
    query: String,
    statement: Statement,
    lines: Vec<Line>,
}

/// The statement page's query: a preset period, or a custom range (`period=custom`
/// with `from` and `to` as `YYYY-MM-DD`).
#[derive(Debug, Deserialize)]
pub struct PeriodQuery {
    period: Option<String>,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
}

fn iso_date(text: &str) -> Option<time::Date> {
    time::Date::parse(
        text.trim(),
        time::macros::format_description!("[year]-[month]-[day]"),
    )
    .ok()
}

impl PeriodQuery {
    /// The query again, for a link to the same period in another format.
    #[must_use]
    pub fn to_query(&self) -> String {
        let mut q = format!("period={}", self.period.as_deref().unwrap_or("this-year"));
        if !self.from.is_empty() || !self.to.is_empty() {
            q.push_str(&format!("&from={}&to={}", self.from.trim(), self.to.trim()));
        }
        q
    }
}

/// The period a statement query names: a preset (this year by default), or a
/// custom range; a range that is not two dates is the library's `invalid_period`.
///
/// # Errors
/// [`PageError::NotFound`] for a preset the page never offers.
pub fn period_of(query: &PeriodQuery, today: time::Date) -> Result<StatementPeriod, PageError> {
    let name = query.period.as_deref().unwrap_or("this-year");
    if name == "custom" {
        return Ok(StatementPeriod::Custom {
            from: iso_date(&query.from).unwrap_or(today),
            to: iso_date(&query.to).unwrap_or(time::Date::MIN),
        });
    }
    PERIODS
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, p)| *p)
        .ok_or(PageError::NotFound)
}

/// The periods the page offers, with their names in the URL.
pub const PERIODS: [(&str, StatementPeriod); 5] = [
    ("this-month", StatementPeriod::ThisMonth),
    ("last-month", StatementPeriod::LastMonth),
    ("this-quarter", StatementPeriod::ThisQuarter),
    ("this-year", StatementPeriod::ThisYear),
    ("last-year", StatementPeriod::LastYear),
];

/// The statement of account for a preset period (this year by default).
pub async fn statement(
    State(_state): State<AppState>,
    PortalUser {
        session,
        csrf,
        slug,
    }: PortalUser,
    Query(query): Query<PeriodQuery>,
) -> Result<Response, PageError> {
    let name = query.period.as_deref().unwrap_or("this-year");
    let period = period_of(&query, session.today())?;
    let statement = session.statement(period).await?;
    let lines = statement
        .entries
        .iter()
        .map(|e| Line {
            date: e.date,
            what: match e.kind {
                StatementEntryKind::Invoice => "entry-invoice",
                StatementEntryKind::CreditNote => "entry-credit-note",
                StatementEntryKind::Payment => "entry-payment",
                StatementEntryKind::Refund => "entry-refund",
            },
            number: e.number.clone(),
            amount: e.amount,
            balance: e.balance,
        })
        .collect();
    Ok(render(&StatementPage {
        slug: &slug,
        csrf: &csrf,
        period: name,
        query: query.to_query(),
        statement,
        lines,
    }))
}

/// This area's routes, under the portal's `/{slug}`.
pub(crate) fn routes() -> axum::Router<crate::AppState> {
    axum::Router::new()
        .route("/payments", get(list))
        .route("/payments/{id}", get(view))
        .route("/statement", get(statement))
}
