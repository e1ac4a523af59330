//! Documents as PDF and as a print page (D2): both drawn from the library's
//! printable model, so the download and the print page show the same figures.
//! The session reads them exactly as it views them: a document it may not see is
//! the same 404 as one that does not exist.

use askama::Template;
use axum::extract::{Query, State};
use axum::routing::get;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use portal_core::domain::{CreditNoteId, DocumentRef, InvoiceId, PaymentId, QuoteId, SalesOrderId};
use portal_core::print::{Align, Printable};

use super::payments::{PeriodQuery, period_of};
use super::{Csrf, PageError, render};
use crate::AppState;
use crate::extract::{Format, Id, PortalUser};
use crate::i18n::filters;

#[derive(Template)]
#[template(path = "printable.html")]
struct PrintPage<'a> {
    slug: &'a str,
    csrf: &'a Csrf,
    doc: Printable,
    pdf: String,
}

/// The two ways a document is given: `pdf` (a download) or `print` (a page).
fn answer(
    state: &AppState,
    user: &PortalUser,
    doc: Printable,
    format: Format,
    pdf_path: String,
) -> Response {
    match format {
        Format::Pdf => pdf_download(state, &doc),
        Format::Print => render(&PrintPage {
            slug: &user.slug,
            csrf: &user.csrf,
            doc,
            pdf: pdf_path,
        }),
    }
}

/// The PDF as an attachment named after the document.
pub(crate) fn pdf_download(state: &AppState, doc: &Printable) -> Response {
    let Some(fonts) = &state.pdf_fonts else {
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            "PDF is not available: no fonts found (install fonts-dejavu-core, and \
             fonts-wqy-microhei for Chinese)",
        )
            .into_response();
    };
    match portal_pdf::render(doc, fonts) {
        Ok(bytes) => crate::security::download(bytes, "application/pdf", &doc.file_name("pdf")),
        Err(e) => {
            tracing::error!(error = %e, "PDF failed");
            PageError::Internal.into_response()
        }
    }
}

/// A document of the customer by the id in its URL (an invoice or retainer, a
/// quote with its signature once accepted, a sales order, a payment's receipt, a
/// credit note): `/{slug}/{area}/{id}/pdf` or `/print`.
pub async fn printed<I>(
    State(state): State<AppState>,
    user: PortalUser,
    Id(id): Id<I>,
    format: Format,
) -> Result<Response, PageError>
where
    I: std::str::FromStr + Into<DocumentRef> + Send,
{
    let document = id.into();
    let doc = user.session.print().document(document).await?;
    let pdf = format!(
        "{}/pdf",
        portal_core::Portal::document_path(&user.slug, document)
    );
    Ok(answer(&state, &user, doc, format, pdf))
}

/// The statement of account: `/{slug}/statement/pdf` or `/print`, with the
/// statement page's period query.
pub async fn statement(
    State(state): State<AppState>,
    user: PortalUser,
    format: Format,
    Query(query): Query<PeriodQuery>,
) -> Result<Response, PageError> {
    let period = period_of(&query, user.session.today())?;
    let doc = user.session.print().statement(period).await?;
    let pdf = format!("/{}/statement/pdf?{}", user.slug, query.to_query());
    Ok(answer(&state, &user, doc, format, pdf))
}

/// This area's routes, under the portal's `/{slug}`.
pub(crate) fn routes() -> axum::Router<crate::AppState> {
    axum::Router::new()
        .route("/invoices/{id}/{format}", get(printed::<InvoiceId>))
        .route("/quotes/{id}/{format}", get(printed::<QuoteId>))
        .route("/sales-orders/{id}/{format}", get(printed::<SalesOrderId>))
        .route("/payments/{id}/{format}", get(printed::<PaymentId>))
        .route("/credits/{id}/{format}", get(printed::<CreditNoteId>))
        .route("/statement/{format}", get(statement))
}
