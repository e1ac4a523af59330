//! Console: creating and sending a customer's documents (quotes, invoices,
//! retainer invoices, credit notes, sales orders), recording an offline payment,
//! commenting (optionally shown in the portal) and sharing a file.

use axum::extract::DefaultBodyLimit;
use axum::extract::State;
use axum::response::Response;
use axum::routing::post;
use portal_core::domain::{
    CommentTarget, CustomerId, DocumentRef, InvoiceId, InvoiceKind, Money, NewInvoice, NewQuote,
    NewSalesOrder, SalesOrderEvent,
};
use portal_core::{Duration, Error};
use serde::Deserialize;

use super::customers::done;
use super::parse_lines;
use crate::AppState;
use crate::extract::{Id, Staff, StaffForm, Upload};
use crate::pages::{PageError, path_id};

/// The new document form: what kind, its number, its lines, its dates.
#[derive(Debug, Deserialize)]
pub struct DocumentForm {
    csrf: String,
    kind: String,
    number: String,
    #[serde(default)]
    lines: String,
    #[serde(default)]
    amount: String,
    #[serde(default)]
    days: String,
    #[serde(default)]
    partial: Option<String>,
    /// Which button: `email` also emails the document to the customer's
    /// portal users; anything else creates it as sent without emailing.
    #[serde(default)]
    then: String,
}

/// Creates a document of the customer and sends it (the portal shows it at
/// once); "Create and email" also emails it, with its way in.
pub async fn create(
    State(state): State<AppState>,
    Id(customer): Id<CustomerId>,
    StaffForm { staff, form }: StaffForm<DocumentForm>,
) -> Result<Response, PageError> {
    let Staff { org, .. } = &staff;
    let admin = state.portal.org(org.id);
    let today = state.portal.today_in(org);
    let days = form.days.trim().parse::<i64>().unwrap_or(30);
    let lines = if form.kind == "credit-note" {
        Ok(Vec::new())
    } else {
        parse_lines(&form.lines)
    };
    let lines = match lines {
        Ok(lines) => lines,
        Err(message) => {
            return super::customers::customer_page(&state, &staff, customer, Some(message)).await;
        }
    };
    let number = form.number.trim().to_owned();
    let outcome: portal_core::Result<Option<DocumentRef>> = async {
        match form.kind.as_str() {
            "invoice" | "retainer" => {
                let draft = admin
                    .invoices()
                    .create(
                        customer,
                        NewInvoice {
                            kind: if form.kind == "retainer" {
                                InvoiceKind::Retainer
                            } else {
                                InvoiceKind::Invoice
                            },
                            number,
                            lines,
                            issue_date: today,
                            due_date: today + Duration::days(days),
                            allow_partial_payments: form.partial.is_some(),
                            payment_gateways: vec![crate::pages::payment_methods::GATEWAY.into()],
                        },
                    )
                    .await?;
                admin.invoices().send(draft.id).await?;
                Ok(Some(DocumentRef::Invoice(draft.id)))
            }
            "quote" => {
                let draft = admin
                    .quotes()
                    .create(
                        customer,
                        NewQuote {
                            number,
                            lines,
                            issue_date: today,
                            expiry_date: today + Duration::days(days),
                        },
                    )
                    .await?;
                admin.quotes().send(draft.id).await?;
                Ok(Some(DocumentRef::Quote(draft.id)))
            }
            "sales-order" => {
                let draft = admin
                    .sales_orders()
                    .create(
                        customer,
                        NewSalesOrder {
                            number,
                            lines,
                            order_date: today,
                            shipment_date: Some(today + Duration::days(days)),
                        },
                    )
                    .await?;
                admin
                    .sales_orders()
                    .move_to(draft.id, SalesOrderEvent::Open)
                    .await?;
                Ok(Some(DocumentRef::SalesOrder(draft.id)))
            }
            "credit-note" => {
                let currency = admin.customers().get(customer).await?.currency;
                let amount = Money::parse(form.amount.trim(), currency)?;
                admin
                    .credits()
                    .create_note(customer, &number, amount, today)
                    .await?;
                // A credit note is not emailed on its own.
                Ok(None)
            }
            _ => Err(Error::NotFound(portal_core::store::Entity::Document)),
        }
    }
    .await;
    let outcome = match outcome {
        Ok(Some(document)) if form.then == "email" => {
            admin.email_document(document).await.map(|_| ())
        }
        other => other.map(|_| ()),
    };
    done(&state, &staff, customer, outcome).await
}

/// The offline payment form.
#[derive(Debug, Deserialize)]
pub struct OfflinePaymentForm {
    csrf: String,
    invoice: String,
    amount: String,
    mode: String,
}

/// Records a payment received outside the portal (cash, cheque, transfer).
pub async fn offline_payment(
    State(state): State<AppState>,
    Id(customer): Id<CustomerId>,
    StaffForm { staff, form }: StaffForm<OfflinePaymentForm>,
) -> Result<Response, PageError> {
    let Staff { org, .. } = &staff;
    let invoice = path_id(&form.invoice, InvoiceId::from_uuid)?;
    let admin = state.portal.org(org.id);
    let outcome = async {
        let currency = admin.customers().get(customer).await?.currency;
        let amount = Money::parse(form.amount.trim(), currency)?;
        admin
            .invoices()
            .record_offline_payment(
                customer,
                amount,
                form.mode.trim(),
                state.portal.now(),
                &[invoice],
            )
            .await
    }
    .await;
    done(&state, &staff, customer, outcome).await
}

/// The comment form: `invoice:<id>` or `quote:<id>`, the text, whether the portal
/// shows it.
#[derive(Debug, Deserialize)]
pub struct CommentForm {
    csrf: String,
    target: String,
    body: String,
    #[serde(default)]
    show: Option<String>,
}

/// Comments on a quote or an invoice of the customer.
pub async fn comment(
    State(state): State<AppState>,
    Id(customer): Id<CustomerId>,
    StaffForm { staff, form }: StaffForm<CommentForm>,
) -> Result<Response, PageError> {
    let Staff { org, .. } = &staff;
    let target = CommentTarget::Document(document_ref(&form.target)?);
    let outcome = state
        .portal
        .org(org.id)
        .comments()
        .add(customer, target, &form.body, form.show.is_some())
        .await;
    done(&state, &staff, customer, outcome).await
}

/// Shares a file with the customer (multipart: `csrf`, then `file`).
pub async fn share_file(
    State(state): State<AppState>,
    Id(customer): Id<CustomerId>,
    StaffForm { staff, form }: StaffForm<Upload>,
) -> Result<Response, PageError> {
    let outcome = state
        .portal
        .org(staff.org.id)
        .files()
        .share(customer, &form.name, &form.bytes)
        .await;
    done(&state, &staff, customer, outcome).await
}

/// The email form: `invoice:<id>`, `quote:<id>` or `sales_order:<id>`.
#[derive(Debug, Deserialize)]
pub struct EmailForm {
    csrf: String,
    document: String,
}

/// Emails a document to the customer's contacts with portal access, the PDF
/// attached.
pub async fn email(
    State(state): State<AppState>,
    Id(customer): Id<CustomerId>,
    StaffForm { staff, form }: StaffForm<EmailForm>,
) -> Result<Response, PageError> {
    let Staff { org, .. } = &staff;
    let document = document_ref(&form.document)?;
    let outcome = state.portal.org(org.id).email_document(document).await;
    done(&state, &staff, customer, outcome).await
}

/// The send-a-link form: the document, the contact, the actions ticked.
#[derive(Debug, Deserialize)]
pub struct LinkForm {
    csrf: String,
    document: String,
    contact: String,
    #[serde(default)]
    download: Option<String>,
    #[serde(default)]
    pay: Option<String>,
    #[serde(default)]
    decide: Option<String>,
}

/// A document a form names (`invoice:<id>`, `quote:<id>`, `sales_order:<id>`).
fn document_ref(text: &str) -> Result<DocumentRef, PageError> {
    text.parse().map_err(|_| PageError::NotFound)
}

/// Sends a contact a link to one document with the chosen actions.
pub async fn send_link(
    State(state): State<AppState>,
    Id(customer): Id<CustomerId>,
    StaffForm { staff, form }: StaffForm<LinkForm>,
) -> Result<Response, PageError> {
    let Staff { org, .. } = &staff;
    let document = document_ref(&form.document)?;
    let contact = path_id(&form.contact, portal_core::domain::ContactId::from_uuid)?;
    let actions = portal_core::domain::LinkActions {
        download: form.download.is_some(),
        pay: form.pay.is_some(),
        decide: form.decide.is_some(),
    };
    let outcome = state
        .portal
        .org(org.id)
        .links()
        .send(document, contact, actions)
        .await;
    done(&state, &staff, customer, outcome).await
}

/// The revoke form: the customer's page to go back to.
#[derive(Debug, Deserialize)]
pub struct RevokeForm {
    csrf: String,
    customer: String,
}

/// Revokes a document link.
pub async fn revoke_link(
    State(state): State<AppState>,
    Id(link): Id<portal_core::domain::LinkId>,
    StaffForm { staff, form }: StaffForm<RevokeForm>,
) -> Result<Response, PageError> {
    let customer = form.customer.parse().map_err(|_| PageError::NotFound)?;
    let outcome = state.portal.org(staff.org.id).links().revoke(link).await;
    done(&state, &staff, customer, outcome).await
}

crate::csrf_forms!(
    CommentForm,
    DocumentForm,
    EmailForm,
    LinkForm,
    OfflinePaymentForm,
    RevokeForm
);

/// This area's routes, under the console's `/console/{slug}`.
pub(crate) fn routes() -> axum::Router<crate::AppState> {
    axum::Router::new()
        .route("/customers/{id}/documents", post(create))
        .route("/customers/{id}/email", post(email))
        .route("/customers/{id}/links", post(send_link))
        .route("/links/{id}/revoke", post(revoke_link))
        .route("/customers/{id}/payments", post(offline_payment))
        .route("/customers/{id}/comments", post(comment))
        .route(
            "/customers/{id}/files",
            post(share_file).layer(DefaultBodyLimit::max(crate::pages::files::UPLOAD_LIMIT)),
        )
}
