//! Invoices (I1–I4): the list with its filters, sorts and pages (the library's
//! cursors travel in the URL), and one invoice with its totals, its pay form and
//! the credit that can settle it.

use askama::Template;
use axum::extract::Query;
use axum::response::Response;
use axum::routing::get;
use portal_core::domain::{
    AppliedFrom, CommentTarget, CreditSource, Direction, Invoice, InvoiceFilter, InvoiceId,
    InvoiceKind, InvoiceQuery, InvoiceSort, Totals, totals,
};
use serde::Deserialize;

use super::comments::Thread;
use super::pay::{PayContext, Selection};
use super::{PageError, render};
use crate::extract::{Id, PortalUser};
use crate::i18n::filters;

/// How many invoices a page shows.
const PAGE_SIZE: u32 = 20;

/// The list's query string: every part optional, as the filter form sends it.
#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    filter: Option<InvoiceFilter>,
    #[serde(default)]
    sort: Option<InvoiceSort>,
    #[serde(default)]
    dir: Option<Direction>,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    after: Option<String>,
}

/// A choice of a `<select>`: its value, its label (a message id), whether it is
/// the current one.
struct Choice {
    value: &'static str,
    label: &'static str,
    selected: bool,
}

fn choices<T: PartialEq>(all: &[(&'static str, &'static str, T)], current: &T) -> Vec<Choice> {
    all.iter()
        .map(|(value, label, v)| Choice {
            value,
            label,
            selected: v == current,
        })
        .collect()
}

const FILTERS: [(&str, &str, InvoiceFilter); 6] = [
    ("all", "filter-all", InvoiceFilter::All),
    ("unpaid", "filter-unpaid", InvoiceFilter::Unpaid),
    (
        "partially_paid",
        "filter-partly-paid",
        InvoiceFilter::PartiallyPaid,
    ),
    ("overdue", "filter-overdue", InvoiceFilter::Overdue),
    ("paid", "filter-paid", InvoiceFilter::Paid),
    ("void", "filter-void", InvoiceFilter::Void),
];
const SORTS: [(&str, &str, InvoiceSort); 4] = [
    ("issue_date", "sort-issue-date", InvoiceSort::IssueDate),
    ("due_date", "sort-due-date", InvoiceSort::DueDate),
    ("total", "sort-total", InvoiceSort::Total),
    ("balance", "sort-balance", InvoiceSort::Balance),
];
const DIRECTIONS: [(&str, &str, Direction); 2] = [
    ("desc", "order-desc", Direction::Desc),
    ("asc", "order-asc", Direction::Asc),
];
const KINDS: [(&str, &str, Option<InvoiceKind>); 3] = [
    ("", "kind-all", None),
    ("invoice", "kind-invoice", Some(InvoiceKind::Invoice)),
    ("retainer", "kind-retainer", Some(InvoiceKind::Retainer)),
];

fn value_of<T: PartialEq>(all: &[(&'static str, &'static str, T)], current: &T) -> &'static str {
    all.iter()
        .find(|(_, _, v)| v == current)
        .map_or("", |c| c.0)
}

/// One invoice as the list shows it.
struct Row {
    invoice: Invoice,
    payable: bool,
}

#[derive(Template)]
#[template(path = "invoices.html")]
struct ListPage<'a> {
    slug: &'a str,
    csrf: &'a super::Csrf,
    rows: Vec<Row>,
    filters: Vec<Choice>,
    sorts: Vec<Choice>,
    directions: Vec<Choice>,
    kinds: Vec<Choice>,
    next: Option<String>,
    can_pay: bool,
    /// Whether the list is filtered or sorted otherwise than by default: the
    /// folded filters open, to show how.
    refined: bool,
}

/// The customer's invoices: filtered, sorted, a page at a time. Unknown filter
/// values answer 404 (a link that was never made), a tampered cursor the
/// library's `invalid_cursor`.
pub async fn list(
    PortalUser {
        session,
        csrf,
        slug,
    }: PortalUser,
    query: Result<Query<ListQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, PageError> {
    let Query(query) = query.map_err(|_| PageError::NotFound)?;
    let refined = query.filter.is_some()
        || query.sort.is_some()
        || query.dir.is_some()
        || !query.kind.is_empty();
    let mut request = InvoiceQuery::new(session.today())
        .starting_after(query.after.as_deref())
        .map_err(portal_core::Error::from)?;
    request.limit = PAGE_SIZE;
    request.filter = query.filter.unwrap_or(request.filter);
    request.sort = query.sort.unwrap_or(request.sort);
    request.direction = query.dir.unwrap_or(request.direction);
    request.kind = KINDS
        .iter()
        .find(|(value, _, _)| *value == query.kind)
        .ok_or(PageError::NotFound)?
        .2;
    let page = session.invoices().list(&request).await?;
    let next = page.next.map(|after| {
        format!(
            "filter={}&sort={}&dir={}&kind={}&after={after}",
            value_of(&FILTERS, &request.filter),
            value_of(&SORTS, &request.sort),
            value_of(&DIRECTIONS, &request.direction),
            value_of(&KINDS, &request.kind),
        )
    });
    let can_pay = session
        .can(
            portal_core::domain::Module::Invoices,
            portal_core::domain::Action::Pay,
        )
        .is_allowed();
    Ok(render(&ListPage {
        slug: &slug,
        csrf: &csrf,
        rows: page
            .items
            .into_iter()
            .map(|invoice| Row {
                payable: can_pay && super::pay::payable(&invoice),
                invoice,
            })
            .collect(),
        filters: choices(&FILTERS, &request.filter),
        sorts: choices(&SORTS, &request.sort),
        directions: choices(&DIRECTIONS, &request.direction),
        kinds: choices(&KINDS, &request.kind),
        next,
        can_pay,
        refined,
    }))
}

#[derive(Template)]
#[template(path = "invoice.html")]
struct InvoicePage<'a> {
    slug: &'a str,
    csrf: &'a super::Csrf,
    invoice: Invoice,
    /// The badge: `overdue`, or the invoice's status.
    state: &'static str,
    /// The payments and credits that went to it, oldest first.
    applied: Vec<portal_core::domain::InvoiceApplication>,
    totals: Option<Totals>,
    pay: Option<PayContext>,
    credit_available: bool,
    thread: Option<Thread>,
    forward: Option<super::messages::Forward>,
}

/// Parses an invoice id from the URL; anything else is the page that is not there.
///
/// # Errors
/// [`PageError::NotFound`].
pub fn invoice_id(text: &str) -> Result<InvoiceId, PageError> {
    super::path_id(text, InvoiceId::from_uuid)
}

/// One invoice, with its lines, totals and, while something is owed, the pay form
/// and the credit that can settle it. Opening it the first time tells the
/// organization (N2).
pub async fn view(
    axum::extract::State(state): axum::extract::State<crate::AppState>,
    PortalUser {
        session,
        csrf,
        slug,
    }: PortalUser,
    Id(id): Id<InvoiceId>,
) -> Result<Response, PageError> {
    invoice_page(&state, &session, (&slug, &csrf), id, Default::default()).await
}

/// The invoice page, with a refused comment shown again in its form.
pub(crate) async fn invoice_page(
    state: &crate::AppState,
    session: &portal_core::PortalSession,
    (slug, csrf): (&str, &super::Csrf),
    id: InvoiceId,
    drafts: super::comments::Drafts,
) -> Result<Response, PageError> {
    let invoice = session.invoices().get(id).await?;
    let pay = if super::pay::payable(&invoice) {
        PayContext::build(
            session,
            Selection::One(Box::new(invoice.clone())),
            None,
            state.ports.checkout(),
        )
        .await
        .ok()
    } else {
        None
    };
    let credit_available = !invoice.balance.is_zero()
        && invoice.kind == InvoiceKind::Invoice
        && session
            .credits()
            .list()
            .await
            .is_ok_and(|c| c.iter().any(|c| !c.available.is_zero()));
    let thread = super::comments::thread(
        session,
        CommentTarget::Document(portal_core::domain::DocumentRef::Invoice(invoice.id)),
        drafts.comment,
    )
    .await
    .ok();
    Ok(render(&InvoicePage {
        slug,
        csrf,
        thread,
        forward: super::messages::forward_target(
            session,
            drafts.forward,
            &portal_core::domain::DocumentRef::Invoice(invoice.id).to_string(),
        ),
        totals: totals(&invoice.lines, invoice.total.currency()).ok(),
        state: super::home::Due::state_of(&invoice, session.today()),
        applied: session.invoices().applied(&invoice).await?,
        invoice,
        pay,
        credit_available,
    }))
}

/// This area's routes, under the portal's `/{slug}`.
pub(crate) fn routes() -> axum::Router<crate::AppState> {
    axum::Router::new()
        .route("/invoices", get(list))
        .route("/invoices/{id}", get(view))
}
