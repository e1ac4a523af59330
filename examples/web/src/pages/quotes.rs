//! Quotes (Q1–Q3): the list, one quote, accepting it with a typed or drawn
//! signature bound to the content the customer saw, and declining it.

use askama::Template;
use axum::response::Response;
use axum::routing::{get, post};
use portal_core::PortalSession;
use portal_core::domain::{
    CommentTarget, Quote, QuoteId, QuoteQuery, SignatureMark, Totals, totals,
};
use portal_core::service::SignatureInput;
use serde::Deserialize;

use super::{PageError, form_error_at, render, see_other};
use crate::extract::{Id, PortalForm, PortalUser};
use crate::i18n::filters;

#[derive(Template)]
#[template(path = "quotes.html")]
struct ListPage<'a> {
    slug: &'a str,
    csrf: &'a super::Csrf,
    quotes: Vec<Quote>,
}

/// The customer's quotes (the first page of the library's default listing).
pub async fn list(
    PortalUser {
        session,
        csrf,
        slug,
    }: PortalUser,
) -> Result<Response, PageError> {
    let today = session.today();
    let page = session.quotes().list(&QuoteQuery::new(today)).await?;
    Ok(render(&ListPage {
        slug: &slug,
        csrf: &csrf,
        quotes: page.items,
    }))
}

#[derive(Template)]
#[template(path = "quote.html")]
struct QuotePage<'a> {
    slug: &'a str,
    csrf: &'a super::Csrf,
    hash: String,
    open: bool,
    totals: Option<Totals>,
    quote: Quote,
    signer: &'a str,
    drawn: Option<String>,
    error: Option<super::Refused>,
    /// What a refused accept or decline form had typed.
    typed: Typed,
    thread: Option<super::comments::Thread>,
    forward: Option<super::messages::Forward>,
}

/// What the accept and decline forms show again after a refusal.
#[derive(Debug, Default)]
pub(crate) struct Typed {
    /// The signer's name, when typed (else the signed-in person's).
    signer: Option<String>,
    /// The typed signature.
    signature: String,
    /// The reason for declining.
    reason: String,
}

/// The inputs of the two forms, by the library's names for them.
const INPUTS: &[(&str, &str)] = &[
    ("signer name", "signer"),
    ("signature", "typed"),
    ("reason", "reason"),
];

/// The SVG path of a drawn signature, if the mark is one the pad makes (moves and
/// lines with integer coordinates); anything else is not drawn back.
fn drawn_path(quote: &Quote) -> Option<String> {
    match quote.signature.as_ref().map(|s| &s.mark) {
        Some(SignatureMark::Drawn(d))
            if d.chars().all(|c| matches!(c, 'M' | 'L' | ' ' | '0'..='9')) =>
        {
            Some(d.clone())
        }
        _ => None,
    }
}

pub(crate) async fn quote_page(
    session: &PortalSession,
    (slug, csrf): (&str, &super::Csrf),
    id: QuoteId,
    refused: Option<(super::Refused, Typed)>,
    drafts: super::comments::Drafts,
) -> Result<Response, PageError> {
    let (error, typed) = super::shown_again(refused);
    let quote = session.quotes().get(id).await?;
    let today = session.today();
    let thread = super::comments::thread(
        session,
        CommentTarget::Document(portal_core::domain::DocumentRef::Quote(id)),
        drafts.comment,
    )
    .await
    .ok();
    Ok(render(&QuotePage {
        slug,
        csrf,
        hash: quote.content_hash(),
        // Open, and the role may decide: otherwise no forms (a direct POST still
        // gets the library's reason).
        open: quote.is_open(today)
            && session
                .can(
                    portal_core::domain::Module::Quotes,
                    portal_core::domain::Action::Accept,
                )
                .is_allowed(),
        totals: totals(&quote.lines, quote.total.currency()).ok(),
        signer: &typed
            .signer
            .clone()
            .unwrap_or_else(|| session.contact_name()),
        drawn: drawn_path(&quote),
        thread,
        forward: super::messages::forward_target(
            session,
            drafts.forward,
            &portal_core::domain::DocumentRef::Quote(id).to_string(),
        ),
        quote,
        error,
        typed,
    }))
}

/// One quote; while it is open, the forms to accept or decline it. Opening it
/// the first time tells the organization (N2).
pub async fn view(
    PortalUser {
        session,
        csrf,
        slug,
    }: PortalUser,
    Id(id): Id<QuoteId>,
) -> Result<Response, PageError> {
    quote_page(&session, (&slug, &csrf), id, None, Default::default()).await
}

/// The accept form: the content hash of the quote as shown, and the signature.
#[derive(Debug, Deserialize)]
pub struct AcceptForm {
    csrf: String,
    hash: String,
    signer: String,
    #[serde(default)]
    typed: String,
    /// The drawn signature as an SVG path, set by the signature pad's script.
    #[serde(default)]
    drawn: String,
}

/// Accepts the quote, signed with the typed name. A quote changed since the page
/// was shown is refused (`quote_changed`) and shown again.
pub async fn accept(
    Id(id): Id<QuoteId>,
    PortalForm {
        user: PortalUser {
            session,
            csrf,
            slug,
        },
        form,
    }: PortalForm<AcceptForm>,
) -> Result<Response, PageError> {
    let typed = Typed {
        signer: Some(form.signer.clone()),
        signature: form.typed.clone(),
        reason: String::new(),
    };
    // A drawing wins over the typed name; without JavaScript there is no drawing.
    let mark = if form.drawn.trim().is_empty() {
        SignatureMark::Typed(form.typed)
    } else {
        SignatureMark::Drawn(form.drawn)
    };
    let signature = SignatureInput {
        signer_name: form.signer,
        mark,
    };
    let outcome = session
        .quotes()
        .accept(id, &form.hash, Some(signature))
        .await;
    decided(&session, (&slug, &csrf), id, outcome, typed).await
}

/// The decline form: an optional reason.
#[derive(Debug, Deserialize)]
pub struct DeclineForm {
    csrf: String,
    reason: String,
}

/// Declines the quote.
pub async fn decline(
    Id(id): Id<QuoteId>,
    PortalForm {
        user: PortalUser {
            session,
            csrf,
            slug,
        },
        form,
    }: PortalForm<DeclineForm>,
) -> Result<Response, PageError> {
    let outcome = session.quotes().decline(id, Some(&form.reason)).await;
    let typed = Typed {
        reason: form.reason,
        ..Typed::default()
    };
    decided(&session, (&slug, &csrf), id, outcome, typed).await
}

/// After a decision: back to the quote, or the quote with the library's reason
/// beside the input at fault and the form as typed.
async fn decided(
    session: &PortalSession,
    (slug, csrf): (&str, &super::Csrf),
    id: QuoteId,
    outcome: portal_core::Result<Quote>,
    typed: Typed,
) -> Result<Response, PageError> {
    match outcome {
        Ok(quote) => Ok(see_other(&format!("/{slug}/quotes/{}", quote.id))),
        Err(e) => {
            let error = form_error_at(e, INPUTS)?;
            quote_page(
                session,
                (slug, csrf),
                id,
                Some((error, typed)),
                Default::default(),
            )
            .await
        }
    }
}

crate::csrf_forms!(AcceptForm, DeclineForm);

/// This area's routes, under the portal's `/{slug}`.
pub(crate) fn routes() -> axum::Router<crate::AppState> {
    axum::Router::new()
        .route("/quotes", get(list))
        .route("/quotes/{id}", get(view))
        .route("/quotes/{id}/accept", post(accept))
        .route("/quotes/{id}/decline", post(decline))
}
