//! Saved payment methods (I10): the customer's saved cards and bank accounts, saving
//! a new one with the gateway, and removing one. Only the gateway's token and the
//! last four digits are kept.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use axum::routing::{get, post};
use portal_core::domain::SavedMethodId;
use serde::Deserialize;

use super::pay::{Kept, PayForm, SavedChoice};
use super::payments::method_label;
use super::{PageError, form_error_at, render, see_other};
use crate::extract::{Id, PortalForm, PortalUser};
use crate::i18n::filters;

/// The gateway new methods are saved with (the demo's test gateway).
pub const GATEWAY: &str = "card";

#[derive(Template)]
#[template(path = "payment_methods.html")]
struct MethodsPage<'a> {
    slug: &'a str,
    csrf: &'a super::Csrf,
    methods: Vec<SavedChoice>,
    bank: bool,
    error: Option<super::Refused>,
    /// The method and holder names of a refused attempt.
    kept: Kept,
    /// The gateway's form, when cards are saved through its script (then the
    /// page links to [`new`] instead of showing typed fields).
    gateway: bool,
}

#[derive(Template)]
#[template(path = "payment_method_new.html")]
struct SetupPage<'a> {
    slug: &'a str,
    csrf: &'a super::Csrf,
    /// The setup's client secret and the gateway's script.
    secret: String,
    form: portal_core::gateway::BrowserForm,
}

async fn methods_page(
    state: &crate::AppState,
    session: &portal_core::PortalSession,
    (slug, csrf): (&str, &super::Csrf),
    refused: Option<(super::Refused, Kept)>,
) -> Result<Response, PageError> {
    let (error, kept) = super::shown_again(refused);
    let methods = session
        .payment_methods()
        .list()
        .await?
        .into_iter()
        .map(|m| SavedChoice {
            id: m.id.to_string(),
            label: method_label(&m.method),
        })
        .collect();
    Ok(render(&MethodsPage {
        slug,
        csrf,
        methods,
        bank: session.may_pay_by_bank_account(),
        error,
        kept,
        gateway: state.ports.checkout().form.is_some(),
    }))
}

/// The saved methods and the form to save another.
pub async fn list(
    State(state): State<crate::AppState>,
    PortalUser {
        session,
        csrf,
        slug,
    }: PortalUser,
) -> Result<Response, PageError> {
    methods_page(&state, &session, (&slug, &csrf), None).await
}

/// Saving a card through the gateway's own form: the gateway prepares the setup
/// (a Stripe SetupIntent) only when the customer asks for this page, and the page
/// confirms it in the browser, with the bank if it asks.
pub async fn new(
    State(state): State<crate::AppState>,
    PortalUser {
        session,
        csrf,
        slug,
    }: PortalUser,
) -> Result<Response, PageError> {
    let (Some(form), Some(secret)) = (
        state.ports.checkout().form,
        session.payment_methods().prepare(GATEWAY).await?,
    ) else {
        return Ok(see_other(&format!("/{slug}/payment-methods")));
    };
    Ok(render(&SetupPage {
        slug: &slug,
        csrf: &csrf,
        secret: secret.0,
        form,
    }))
}

/// Saves a card or bank account with the gateway. A refusal (a declined card, a
/// bad number) shows the page again with the library's reason.
pub async fn save(
    State(state): State<crate::AppState>,
    PortalForm {
        user: PortalUser {
            session,
            csrf,
            slug,
        },
        form,
    }: PortalForm<PayForm>,
) -> Result<Response, PageError> {
    let outcome = match form.source() {
        Ok(source) => session.payment_methods().save(GATEWAY, source).await,
        Err(e) => Err(e),
    };
    match outcome {
        Ok(_) => Ok(see_other(&format!("/{slug}/payment-methods"))),
        Err(e) => {
            // The reason beside the detail at fault; the method and holder name
            // kept, never the numbers.
            let kept = Kept::of(&form);
            let error = form_error_at(e, kept.inputs())?;
            methods_page(&state, &session, (&slug, &csrf), Some((error, kept))).await
        }
    }
}

/// The remove form.
#[derive(Debug, Deserialize)]
pub struct RemoveForm {
    csrf: String,
}

/// Removes a saved method.
pub async fn remove(
    Id(id): Id<SavedMethodId>,
    PortalForm {
        user: PortalUser { session, slug, .. },
        ..
    }: PortalForm<RemoveForm>,
) -> Result<Response, PageError> {
    session.payment_methods().remove(id).await?;
    Ok(see_other(&format!("/{slug}/payment-methods")))
}

crate::csrf_forms!(RemoveForm);

/// This area's routes, under the portal's `/{slug}`.
pub(crate) fn routes() -> axum::Router<crate::AppState> {
    axum::Router::new()
        .route("/payment-methods", get(list).post(save))
        .route("/payment-methods/new", get(new))
        .route("/payment-methods/{id}/remove", post(remove))
}
