//! Documents as PDF and as a print page (D2): both drawn from the library's
//! printable model, so the download and the print page show the same figures.
//! The session reads them exactly as it views them: a document it may not see is
//! the same 404 as one that does not exist.

use askama::Template;
use axum::extract::{Path, Query, State};

use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use portal_core::domain::{Align, InvoiceId, PaymentId, Printable, QuoteId, SalesOrderId};

use super::payments::{PeriodQuery, period_of};
use super::{Csrf, PageError, path_id, render, signed_in};
use crate::AppState;

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
    (slug, csrf): (&str, &Csrf),
    doc: Printable,
    format: &str,
    pdf_path: String,
) -> Result<Response, PageError> {
    match format {
        "pdf" => Ok(pdf_download(state, &doc)),
        "print" => Ok(render(&PrintPage {
            slug,
            csrf,
            doc,
            pdf: pdf_path,
        })),
        _ => Err(PageError::NotFound),
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

/// The documents with an id in the URL, and the area of the portal they live in.
#[derive(Debug, Clone, Copy)]
enum Kind {
    Invoice,
    Quote,
    SalesOrder,
    Receipt,
    CreditNote,
}

impl Kind {
    fn area(self) -> &'static str {
        match self {
            Kind::Invoice => "invoices",
            Kind::Quote => "quotes",
            Kind::SalesOrder => "sales-orders",
            Kind::Receipt => "payments",
            Kind::CreditNote => "credits",
        }
    }
}

/// A document of `kind` by the id in its URL, as `pdf` or `print`.
async fn document(
    state: &AppState,
    headers: &HeaderMap,
    (slug, id, format): (String, String, String),
    kind: Kind,
) -> Result<Response, PageError> {
    let (session, csrf) = signed_in(state, headers, &slug).await?;
    let print = session.print();
    let doc = match kind {
        Kind::Invoice => print.invoice(path_id(&id, InvoiceId::from_uuid)?).await?,
        Kind::Quote => print.quote(path_id(&id, QuoteId::from_uuid)?).await?,
        Kind::SalesOrder => {
            print
                .sales_order(path_id(&id, SalesOrderId::from_uuid)?)
                .await?
        }
        Kind::Receipt => print.receipt(path_id(&id, PaymentId::from_uuid)?).await?,
        Kind::CreditNote => {
            print
                .credit_note(path_id(&id, portal_core::domain::CreditNoteId::from_uuid)?)
                .await?
        }
    };
    let pdf = format!("/{slug}/{}/{id}/pdf", kind.area());
    answer(state, (&slug, &csrf), doc, &format, pdf)
}

/// The path of a document page: portal, id, format.
type DocPath = Path<(String, String, String)>;

/// An invoice or retainer invoice: `/{slug}/invoices/{id}/pdf` or `/print`.
pub async fn invoice(
    State(state): State<AppState>,
    Path(path): DocPath,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    document(&state, &headers, path, Kind::Invoice).await
}

/// A quote, with its signature once accepted.
pub async fn quote(
    State(state): State<AppState>,
    Path(path): DocPath,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    document(&state, &headers, path, Kind::Quote).await
}

/// A sales order.
pub async fn sales_order(
    State(state): State<AppState>,
    Path(path): DocPath,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    document(&state, &headers, path, Kind::SalesOrder).await
}

/// A payment receipt.
pub async fn receipt(
    State(state): State<AppState>,
    Path(path): DocPath,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    document(&state, &headers, path, Kind::Receipt).await
}

/// A credit note.
pub async fn credit_note(
    State(state): State<AppState>,
    Path(path): DocPath,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    document(&state, &headers, path, Kind::CreditNote).await
}

/// The statement of account: `/{slug}/statement/pdf` or `/print`, with the
/// statement page's period query.
pub async fn statement(
    State(state): State<AppState>,
    Path((slug, format)): Path<(String, String)>,
    Query(query): Query<PeriodQuery>,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    let (session, csrf) = signed_in(&state, &headers, &slug).await?;
    let period = period_of(&query, session.today())?;
    let doc = session.print().statement(period).await?;
    let pdf = format!("/{slug}/statement/pdf?{}", query.to_query());
    answer(&state, (&slug, &csrf), doc, &format, pdf)
}
