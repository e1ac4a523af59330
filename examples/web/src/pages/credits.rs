//! Credits (I10, I11): the customer's available credit (credit notes, payment
//! excess, retainers) and refunds, and applying credit to an invoice after seeing
//! the library's allocation preview.

use askama::Template;
use axum::extract::Query;
use axum::response::Response;
use axum::routing::get;
use portal_core::domain::{AvailableCredit, CreditSource, Invoice, InvoiceId, Money, Refund};
use portal_core::service::CreditPreview;
use serde::Deserialize;

use super::{PageError, render, see_other};
use crate::extract::{Id, PortalForm, PortalUser};
use crate::i18n::filters;

/// Where a credit comes from: the message id of its name.
fn source_label(source: &CreditSource) -> &'static str {
    match source {
        CreditSource::CreditNote(_) => "entry-credit-note",
        CreditSource::Payment(_) => "source-overpayment",
        CreditSource::Retainer(_) => "source-retainer",
    }
}

/// One credit or refund as the page shows it.
struct Row {
    /// The credit note's PDF, for a credit note.
    pdf: Option<String>,
    what: &'static str,
    number: String,
    date: time::Date,
    amount: Money,
}

#[derive(Template)]
#[template(path = "credits.html")]
struct CreditsPage<'a> {
    slug: &'a str,
    csrf: &'a super::Csrf,
    credits: Vec<Row>,
    refunds: Vec<Row>,
}

fn credit_rows(slug: &str, credits: Vec<AvailableCredit>) -> Vec<Row> {
    credits
        .into_iter()
        .map(|c| Row {
            pdf: match c.source {
                CreditSource::CreditNote(id) => Some(format!("/{slug}/credits/{id}/pdf")),
                _ => None,
            },
            what: source_label(&c.source),
            number: c.number,
            date: c.date,
            amount: c.available,
        })
        .collect()
}

/// The customer's available credit and the refunds paid out of it.
pub async fn list(
    PortalUser {
        session,
        csrf,
        slug,
    }: PortalUser,
) -> Result<Response, PageError> {
    let credits = session.credits().list().await?;
    let refunds: Vec<Refund> = session.payments().refunds().await?;
    let refunds = refunds
        .iter()
        .map(|r| Row {
            pdf: None,
            what: source_label(&r.source),
            number: r.mode.clone(),
            // The day it was refunded where the reader is.
            date: crate::i18n::with(|reader| reader.local_date(r.refunded_at)),
            amount: r.amount,
        })
        .collect();
    Ok(render(&CreditsPage {
        slug: &slug,
        csrf: &csrf,
        credits: credit_rows(&slug, credits),
        refunds,
    }))
}

#[derive(Template)]
#[template(path = "credit_preview.html")]
struct PreviewPage<'a> {
    slug: &'a str,
    csrf: &'a super::Csrf,
    invoice: Invoice,
    amount: String,
    preview: CreditPreview,
    lines: Vec<Row>,
}

/// The preview's query: how much credit to use (empty: as much as settles it).
#[derive(Debug, Default, Deserialize)]
pub struct AmountQuery {
    #[serde(default)]
    amount: String,
}

fn amount_of(text: &str, invoice: &Invoice) -> Result<Option<Money>, PageError> {
    match text.trim() {
        "" => Ok(None),
        text => crate::i18n::with(|r| r.parse_money(text, invoice.total.currency()))
            .map(Some)
            .map_err(|e| PageError::Portal(e.into())),
    }
}

/// What applying credit to the invoice would do, source by source, before the
/// customer confirms.
pub async fn preview(
    PortalUser {
        session,
        csrf,
        slug,
    }: PortalUser,
    Id(id): Id<InvoiceId>,
    Query(query): Query<AmountQuery>,
) -> Result<Response, PageError> {
    let invoice = session.invoices().get(id).await?;
    let amount = amount_of(&query.amount, &invoice)?;
    let preview = session.credits().preview(invoice.id, amount).await?;
    let lines = preview
        .applications
        .iter()
        .map(|used| Row {
            pdf: None,
            what: source_label(&used.source),
            number: used.number.clone(),
            date: used.date,
            amount: used.amount,
        })
        .collect();
    Ok(render(&PreviewPage {
        slug: &slug,
        csrf: &csrf,
        amount: query.amount,
        invoice,
        preview,
        lines,
    }))
}

/// The confirmation form: the amount previewed.
#[derive(Debug, Deserialize)]
pub struct ApplyForm {
    csrf: String,
    #[serde(default)]
    amount: String,
}

/// Applies the credit and goes back to the invoice.
pub async fn apply(
    Id(id): Id<InvoiceId>,
    PortalForm {
        user: PortalUser { session, slug, .. },
        form,
    }: PortalForm<ApplyForm>,
) -> Result<Response, PageError> {
    let invoice = session.invoices().get(id).await?;
    let amount = amount_of(&form.amount, &invoice)?;
    let invoice = session.credits().apply(invoice.id, amount).await?;
    Ok(see_other(&format!("/{slug}/invoices/{}", invoice.id)))
}

crate::csrf_forms!(ApplyForm);

/// This area's routes, under the portal's `/{slug}`.
pub(crate) fn routes() -> axum::Router<crate::AppState> {
    axum::Router::new()
        .route("/invoices/{id}/credit", get(preview).post(apply))
        .route("/credits", get(list))
}
