//! The front page, the stylesheet, the development mailbox and the dashboard (H1).

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use portal_core::domain::DashboardFigures;

use super::{PageError, render};
use crate::AppState;
use crate::extract::PortalUser;
use crate::i18n::filters;

#[derive(Template)]
#[template(path = "index.html")]
struct IndexPage<'a> {
    slug: &'a str,
    development: bool,
}

/// The front page: where the demo portal and (in development mode) the mailbox
/// are.
pub async fn index(State(state): State<AppState>) -> Response {
    render(&IndexPage {
        slug: &state.demo_slug,
        development: state.ports.dev_mailbox.is_some(),
    })
}

/// The one stylesheet.
pub async fn stylesheet() -> Response {
    (
        [(CONTENT_TYPE, "text/css; charset=utf-8")],
        include_str!("../../static/style.css"),
    )
        .into_response()
}

/// The script that makes the Pay button state a part payment's amount.
pub async fn amount_script() -> Response {
    (
        [(CONTENT_TYPE, "text/javascript; charset=utf-8")],
        include_str!("../../static/amount.js"),
    )
        .into_response()
}

/// The signature pad's script.
pub async fn signature_script() -> Response {
    (
        [(CONTENT_TYPE, "text/javascript; charset=utf-8")],
        include_str!("../../static/signature.js"),
    )
        .into_response()
}

/// The pay form's script for a gateway whose own script collects card details.
pub async fn pay_script() -> Response {
    (
        [(CONTENT_TYPE, "text/javascript; charset=utf-8")],
        include_str!("../../static/pay.js"),
    )
        .into_response()
}

/// No icon: an empty answer, so that browsers do not wander into a portal named
/// `favicon.ico`.
pub async fn no_icon() -> axum::http::StatusCode {
    axum::http::StatusCode::NO_CONTENT
}

/// One sent email as the mailbox lists it, with the links in its body.
struct Mail {
    to: String,
    subject: String,
    body: String,
    links: Vec<String>,
    /// Where each attachment downloads, and its name.
    attachments: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "mailbox.html")]
struct MailboxPage {
    mails: Vec<Mail>,
}

/// The development mailbox: every email the portal sent, newest first, with its
/// links to click (invitations, password resets).
pub async fn mailbox(State(state): State<AppState>) -> Response {
    let Some(mailbox) = &state.ports.dev_mailbox else {
        return PageError::NotFound.into_response();
    };
    let sent = mailbox.sent();
    let mails = sent
        .into_iter()
        .enumerate()
        .rev()
        .map(|(n, m)| Mail {
            attachments: m
                .attachments
                .iter()
                .enumerate()
                .map(|(i, a)| (format!("/dev/mailbox/{n}/{i}"), a.filename.clone()))
                .collect(),
            to: m.to.to_string(),
            links: m
                .body
                .split_whitespace()
                .filter(|w| w.starts_with("http://") || w.starts_with("https://"))
                .map(|w| w.trim_end_matches(['.', ',', ')']).to_owned())
                .collect(),
            subject: m.subject,
            body: m.body,
        })
        .collect();
    render(&MailboxPage { mails })
}

/// An attachment of a sent email, as the mail client would save it.
pub async fn mailbox_attachment(
    State(state): State<AppState>,
    Path((mail, index)): Path<(usize, usize)>,
) -> Response {
    let Some(mailbox) = &state.ports.dev_mailbox else {
        return PageError::NotFound.into_response();
    };
    let sent = mailbox.sent();
    let Some(file) = sent.get(mail).and_then(|m| m.attachments.get(index)) else {
        return PageError::NotFound.into_response();
    };
    crate::security::download(file.bytes.clone(), &file.content_type, &file.filename)
}

#[derive(Template)]
#[template(path = "dashboard.html")]
struct DashboardPage<'a> {
    slug: &'a str,
    csrf: &'a super::Csrf,
    org: &'a str,
    customer: &'a str,
    contact: &'a str,
    figures: DashboardFigures,
    /// What is owed once available credit counts, when credit changes it.
    balance: Option<portal_core::domain::Money>,
    banner: Option<&'a str>,
    account: portal_core::service::AccountOverview,
    /// The unpaid invoices, soonest due first (the first few), each with its
    /// state as a badge says it.
    due: Vec<Due>,
    /// Whether more are unpaid than listed.
    more_due: bool,
    /// Whether the person may pay.
    can_pay: bool,
}

/// An unpaid invoice as the dashboard lists it.
pub(crate) struct Due {
    pub(crate) invoice: portal_core::domain::Invoice,
    /// `overdue`, `partially_paid` or `sent`: the badge.
    pub(crate) state: &'static str,
}

impl Due {
    /// `invoice` with the badge of its state on `today`.
    pub(crate) fn of(invoice: portal_core::domain::Invoice, today: portal_core::Date) -> Self {
        let state = Self::state_of(&invoice, today);
        Self { invoice, state }
    }

    /// The badge of `invoice` on `today`: `overdue` when unpaid past its due
    /// date, else its status.
    pub(crate) fn state_of(
        invoice: &portal_core::domain::Invoice,
        today: portal_core::Date,
    ) -> &'static str {
        use portal_core::domain::InvoiceStatus as S;
        let unpaid = matches!(invoice.status, S::Sent | S::PartiallyPaid);
        if unpaid && invoice.due_date < today {
            "overdue"
        } else {
            invoice.status.as_str()
        }
    }
}

/// How many unpaid invoices the dashboard lists.
const DUE_LISTED: u32 = 5;

/// The dashboard's query: `welcome` after the first sign-in.
#[derive(Debug, Default, serde::Deserialize)]
pub struct Welcome {
    #[serde(default)]
    welcome: Option<String>,
}

/// The home page of a signed-in user: what is owed, overdue, in credit.
pub async fn dashboard(
    PortalUser {
        session,
        csrf,
        slug,
    }: PortalUser,
    Query(welcome): Query<Welcome>,
) -> Result<Response, PageError> {
    let figures = session.dashboard().await?;
    let banner = welcome.welcome.and(session.banner());
    let today = session.today();
    // What is due now, soonest first: what the customer came for.
    let (due, more_due) = if csrf.nav.invoices && !figures.outstanding_invoices.is_zero() {
        let page = session
            .invoices()
            .list(&portal_core::domain::InvoiceQuery {
                filter: portal_core::domain::InvoiceFilter::Unpaid,
                sort: portal_core::domain::InvoiceSort::DueDate,
                direction: portal_core::domain::Direction::Asc,
                limit: DUE_LISTED,
                ..portal_core::domain::InvoiceQuery::new(today)
            })
            .await?;
        let more = page.next.is_some();
        (
            page.items.into_iter().map(|i| Due::of(i, today)).collect(),
            more,
        )
    } else {
        (Vec::new(), false)
    };
    let balance = figures
        .balance_owed()
        .ok()
        .filter(|b| *b != figures.outstanding_invoices);
    Ok(render(&DashboardPage {
        slug: &slug,
        csrf: &csrf,
        org: session.org_name(),
        customer: session.customer_name(),
        contact: &session.contact_name(),
        balance,
        account: session.account().await?,
        figures,
        banner,
        due,
        more_due,
        can_pay: session
            .can(
                portal_core::domain::Module::Invoices,
                portal_core::domain::Action::Pay,
            )
            .is_allowed(),
    }))
}

/// This area's routes, under the portal's `/{slug}`.
pub(crate) fn routes() -> axum::Router<crate::AppState> {
    axum::Router::new().route("/", get(dashboard))
}
