//! Invoices (I1–I8): the list, one invoice, and paying it by card through the
//! organization's gateway. The pay form carries an idempotency key made when the
//! form is rendered, so a double click or a resubmit charges once.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use portal_core::auth::SecretToken;
use portal_core::domain::{Invoice, InvoiceId, InvoiceQuery, Payment, Totals, totals};
use portal_core::gateway::CardDetails;
use portal_core::service::{InvoiceSelection, PayRequest, PaySource};
use serde::Deserialize;

use super::{PageError, check_csrf, render, signed_in};
use crate::AppState;

#[derive(Template)]
#[template(path = "invoices.html")]
struct ListPage<'a> {
    slug: &'a str,
    csrf: &'a str,
    invoices: Vec<Invoice>,
}

/// The customer's invoices, newest issued first (the first page; paging by the
/// library's cursors comes with the filters).
pub async fn list(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    let (session, csrf) = signed_in(&state, &headers, &slug).await?;
    let today = state.portal.today();
    let page = session.invoices().list(&InvoiceQuery::new(today)).await?;
    Ok(render(&ListPage {
        slug: &slug,
        csrf: &csrf,
        invoices: page.items,
    }))
}

#[derive(Template)]
#[template(path = "invoice.html")]
struct InvoicePage<'a> {
    slug: &'a str,
    csrf: &'a str,
    invoice: Invoice,
    totals: Option<Totals>,
    payable: bool,
    pay_key: String,
    error: Option<String>,
}

fn invoice_id(text: &str) -> Result<InvoiceId, PageError> {
    uuid::Uuid::parse_str(text)
        .map(InvoiceId::from_uuid)
        .map_err(|_| PageError::NotFound)
}

async fn invoice_page(
    state: &AppState,
    headers: &HeaderMap,
    (slug, id): (&str, &str),
    error: Option<String>,
) -> Result<Response, PageError> {
    let (session, csrf) = signed_in(state, headers, slug).await?;
    let invoice = session.invoices().get(invoice_id(id)?).await?;
    let totals = totals(&invoice.lines, invoice.total.currency()).ok();
    let pay_key = SecretToken::generate()
        .map_err(portal_core::Error::from)?
        .expose()
        .to_owned();
    Ok(render(&InvoicePage {
        slug,
        csrf: &csrf,
        payable: !invoice.balance.is_zero() && !invoice.payment_gateways.is_empty(),
        totals,
        invoice,
        pay_key,
        error,
    }))
}

/// One invoice, with its lines and, while something is owed, the pay form.
pub async fn view(
    State(state): State<AppState>,
    Path((slug, id)): Path<(String, String)>,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    invoice_page(&state, &headers, (&slug, &id), None).await
}

/// The pay form's fields. The card goes to the gateway and nowhere else.
#[derive(Deserialize)]
pub struct PayForm {
    csrf: String,
    key: String,
    holder: String,
    number: String,
    cvv: String,
    exp_month: u8,
    exp_year: u16,
}

impl std::fmt::Debug for PayForm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PayForm")
            .field("key", &self.key)
            .finish_non_exhaustive()
    }
}

#[derive(Template)]
#[template(path = "receipt.html")]
struct ReceiptPage<'a> {
    slug: &'a str,
    csrf: &'a str,
    payment: Payment,
}

/// Pays the invoice's balance by card. The same key again (a double click, a
/// resubmit) answers with the first payment and charges nothing.
pub async fn pay(
    State(state): State<AppState>,
    Path((slug, id)): Path<(String, String)>,
    headers: HeaderMap,
    Form(form): Form<PayForm>,
) -> Result<Response, PageError> {
    let (session, csrf) = signed_in(&state, &headers, &slug).await?;
    check_csrf(&csrf, &form.csrf)?;
    let request = PayRequest {
        invoices: InvoiceSelection::Chosen(vec![invoice_id(&id)?]),
        amount: None,
        source: PaySource::Card(Box::new(CardDetails {
            number: form.number,
            cvv: form.cvv,
            exp_month: form.exp_month,
            exp_year: form.exp_year,
            holder: form.holder,
            billing_address: portal_core::domain::Address::default(),
            country: String::new(),
        })),
        idempotency_key: form.key,
    };
    match session.invoices().pay(request).await {
        Ok(payment) => Ok(render(&ReceiptPage {
            slug: &slug,
            csrf: &csrf,
            payment,
        })),
        Err(e) if e.is_input_error() && !matches!(e, portal_core::Error::NotFound(_)) => {
            invoice_page(
                &state,
                &headers,
                (&slug, &id),
                Some(format!("{e} ({})", e.code())),
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}
