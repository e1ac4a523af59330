//! Document links: a page with just the linked document, opened without signing
//! in, and the actions the link allows (download, pay, accept or decline). Its
//! forms use the signed-out double-submit CSRF cookie; the page is never cached.

use askama::Template;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::http::header::{CACHE_CONTROL, HeaderValue};
use axum::response::Response;
use axum::routing::{get, post};
use portal_core::auth::SecretToken;
use portal_core::domain::{AppliedFrom, CreditSource, DocumentRef, SignatureMark};
use portal_core::gateway::CustomerAction;
use portal_core::print::{Align, Printable, StampKind};
use portal_core::service::{PayOutcome, SignatureInput};
use serde::Deserialize;

use super::access::signed_out_page;
use super::pay::PayForm;
use super::{PageError, render};
use crate::AppState;
use crate::extract::{Linked, SignedOutForm};
use crate::i18n::filters;
use portal_core::i18n::arg;

#[derive(Template)]
#[template(path = "link.html")]
struct LinkPage<'a> {
    slug: &'a str,
    token: &'a str,
    csrf: &'a str,
    doc: Printable,
    /// What went to the linked invoice.
    applied: Vec<portal_core::domain::InvoiceApplication>,
    download: bool,
    pay: Option<String>,
    decide: Option<String>,
    signer: String,
    message: Option<String>,
    /// The gateway's form, when card details are typed into its script.
    checkout: crate::ports::Checkout,
    /// The client secret and script that finish a payment the bank must confirm.
    confirm: Option<(String, portal_core::gateway::BrowserForm)>,
}

fn no_store(mut response: Response) -> Response {
    response
        .headers_mut()
        .insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// The page of an opened link: `doc` as shown (by `view` when the link is opened,
/// by `document` after an action, which is the use recorded).
async fn link_page(
    state: &AppState,
    headers: &HeaderMap,
    Linked {
        access,
        slug,
        token,
    }: &Linked,
    doc: Printable,
    message: Option<String>,
    confirm: Option<String>,
) -> Result<Response, PageError> {
    let actions = access.link().actions;
    let checkout = state.ports.checkout();
    let confirm = confirm.zip(checkout.form.clone());
    let key = || -> Result<String, PageError> {
        Ok(SecretToken::generate()
            .map_err(portal_core::Error::from)?
            .expose()
            .to_owned())
    };
    let pay = match access.link().document {
        DocumentRef::Invoice(_)
            if actions.pay && doc.stamp.as_ref().map(|s| s.kind) != Some(StampKind::Paid) =>
        {
            Some(key()?)
        }
        _ => None,
    };
    let decide = match access.link().document {
        DocumentRef::Quote(_) if actions.decide => {
            let quote = access.quote().await?;
            quote.is_open(access.today()).then(|| quote.content_hash())
        }
        _ => None,
    };
    let applied = access.applied().await?;
    let page = signed_out_page(state, headers, |csrf| {
        render(&LinkPage {
            slug,
            token,
            csrf,
            doc,
            applied,
            download: actions.download,
            pay,
            decide,
            signer: String::new(),
            message,
            checkout,
            confirm,
        })
    })?;
    Ok(no_store(page))
}

/// The linked document and its actions.
pub async fn view(
    State(state): State<AppState>,
    linked: Linked,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    let doc = linked.access.view().await?;
    link_page(&state, &headers, &linked, doc, None, None).await
}

/// The linked document as PDF, when the link allows downloading.
pub async fn pdf(State(state): State<AppState>, linked: Linked) -> Result<Response, PageError> {
    let doc = linked.access.download().await?;
    Ok(no_store(super::documents::pdf_download(&state, &doc)))
}

/// Pays the linked invoice by card, through the same Pay Now rules as the portal.
pub async fn pay(
    State(state): State<AppState>,
    linked: Linked,
    headers: HeaderMap,
    SignedOutForm(form): SignedOutForm<PayForm>,
) -> Result<Response, PageError> {
    let access = &linked.access;
    let outcome = match form.source() {
        Ok(source) => access.pay_online(source, None, form.key.clone()).await,
        Err(e) => Err(e),
    };
    let mut confirm = None;
    let message = match outcome {
        Ok(PayOutcome::Paid(payment)) => crate::i18n::text(
            "link-paid",
            &[
                (
                    "amount",
                    arg(crate::i18n::with(|r| r.money(&payment.amount))),
                ),
                ("receipt", arg(&payment.receipt_number)),
            ],
        ),
        Ok(PayOutcome::RequiresAction {
            action: CustomerAction::Redirect(url),
            ..
        }) => {
            return Ok(axum::response::IntoResponse::into_response(
                axum::response::Redirect::to(&url),
            ));
        }
        Ok(PayOutcome::RequiresAction {
            pending,
            action: CustomerAction::ClientSecret(secret),
        }) => {
            confirm = Some(secret.0);
            format!(
                "Your bank asks you to confirm the payment of {}. Nothing is charged until you do.",
                pending.amount
            )
        }
        Ok(PayOutcome::Processing(pending)) => crate::i18n::text(
            "payment-processing-explained",
            &[(
                "amount",
                arg(crate::i18n::with(|r| r.money(&pending.amount))),
            )],
        ),
        Err(e) => super::form_error(e)?.to_string(),
    };
    let doc = access.document().await?;
    link_page(&state, &headers, &linked, doc, Some(message), confirm).await
}

/// The accept or decline form of a linked quote.
#[derive(Debug, Deserialize)]
pub struct DecideForm {
    csrf: String,
    decision: String,
    #[serde(default)]
    hash: String,
    #[serde(default)]
    signer: String,
    #[serde(default)]
    reason: String,
}

/// Accepts (signed with the typed name) or declines the linked quote.
pub async fn decide(
    State(state): State<AppState>,
    linked: Linked,
    headers: HeaderMap,
    SignedOutForm(form): SignedOutForm<DecideForm>,
) -> Result<Response, PageError> {
    let access = &linked.access;
    let outcome = match form.decision.as_str() {
        "accept" => {
            access
                .accept(
                    &form.hash,
                    SignatureInput {
                        signer_name: form.signer.clone(),
                        mark: SignatureMark::Typed(form.signer.clone()),
                    },
                )
                .await
        }
        "decline" => {
            let reason = Some(form.reason.as_str()).filter(|r| !r.trim().is_empty());
            access.decline(reason).await
        }
        _ => return Err(PageError::NotFound),
    };
    let message = match outcome {
        Ok(quote) => crate::i18n::text(
            "link-quote-decided",
            &[
                ("number", arg(&quote.number)),
                (
                    "status",
                    arg(crate::i18n::text(
                        &format!("quote-status-{}", quote.status.as_str()),
                        &[],
                    )),
                ),
            ],
        ),
        Err(e) => super::form_error(e)?.to_string(),
    };
    let doc = access.document().await?;
    link_page(&state, &headers, &linked, doc, Some(message), None).await
}

crate::csrf_forms!(DecideForm);

/// This area's routes, under the portal's `/{slug}`.
pub(crate) fn routes() -> axum::Router<crate::AppState> {
    axum::Router::new()
        .route("/d/{token}", get(view))
        .route("/d/{token}/pdf", get(pdf))
        .route("/d/{token}/pay", post(pay))
        .route("/d/{token}/decide", post(decide))
}
