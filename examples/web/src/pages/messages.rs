//! Talking to the organization: its contact details and an email to it (C3),
//! forwarding a document to someone else (D3), and writing a review (C4). What the
//! organization's settings turn off is not offered; a direct request gets the
//! library's reason.

use askama::Template;
use axum::response::Response;
use axum::routing::{get, post};
use portal_core::PortalSession;
use portal_core::domain::{DocumentRef, OrgContactDetails};
use serde::Deserialize;

use super::{PageError, render};
use crate::extract::{PortalForm, PortalUser};
use crate::i18n::filters;
use portal_core::i18n::arg;

/// The forward form under a document page.
pub struct Forward {
    /// The document, as the form names it.
    pub target: String,
    /// The address of a refused forward, as typed.
    pub to: String,
    /// Its note, as typed.
    pub note: String,
    /// Why it was refused.
    pub error: Option<super::Refused>,
}

/// The forward form for a document page, when forwarding is on; `draft`, a
/// refused forward (reason, address and note) shown again.
#[must_use]
pub fn forward_target(
    session: &PortalSession,
    draft: Option<(super::Refused, (String, String))>,
    target: &str,
) -> Option<Forward> {
    session.portal_preferences().allow_forwarding.then(|| {
        let (error, (to, note)) = super::shown_again(draft);
        Forward {
            target: target.to_owned(),
            to,
            note,
            error,
        }
    })
}

#[derive(Template)]
#[template(path = "sent.html")]
struct SentPage<'a> {
    slug: &'a str,
    csrf: &'a super::Csrf,
    message: String,
    back: String,
}

/// The forward form.
#[derive(Debug, Deserialize)]
pub struct ForwardForm {
    csrf: String,
    target: String,
    to: String,
    #[serde(default)]
    note: String,
}

/// Forwards a quote, invoice or sales order to an email address (D3). A refused
/// forward (an address that is not one, a note too long) shows the document
/// again with the form open as typed and the reason beside the field.
pub async fn forward(
    axum::extract::State(state): axum::extract::State<crate::AppState>,
    PortalForm { user, form }: PortalForm<ForwardForm>,
) -> Result<Response, PageError> {
    let document: DocumentRef = form.target.parse().map_err(|_| PageError::NotFound)?;
    let note = Some(form.note.as_str()).filter(|n| !n.trim().is_empty());
    let target = portal_core::domain::CommentTarget::Document(document);
    match user
        .session
        .messages()
        .forward(document, form.to.trim(), note)
        .await
    {
        Ok(()) => {}
        Err(e) if super::comments::has_page(target) => {
            let error =
                super::form_error_at(e, &[("email", "forward-to"), ("note", "forward-note")])?;
            let drafts = super::comments::Drafts {
                forward: Some((error, (form.to, form.note))),
                ..Default::default()
            };
            return super::comments::page_again(&state, user, target, drafts).await;
        }
        Err(e) => return Err(e.into()),
    }
    let PortalUser { csrf, slug, .. } = user;
    Ok(render(&SentPage {
        slug: &slug,
        csrf: &csrf,
        message: crate::i18n::text("forwarded-to", &[("to", arg(form.to.trim()))]),
        back: portal_core::Portal::document_path(&slug, document),
    }))
}

#[derive(Template)]
#[template(path = "contact.html")]
struct ContactPage<'a> {
    slug: &'a str,
    csrf: &'a super::Csrf,
    org: OrgContactDetails,
    can_email: bool,
    reviews: bool,
    /// A refused email's subject and message, shown again as typed.
    typed: (String, String),
    error: Option<super::Refused>,
    /// A refused review, as typed, and why.
    review: (String, Option<super::Refused>),
}

/// The organization's contact details, the form to email it and, when reviews are
/// on, the form to write one.
pub async fn contact(
    PortalUser {
        session,
        csrf,
        slug,
    }: PortalUser,
) -> Result<Response, PageError> {
    contact_page(&session, (&slug, &csrf), Default::default(), None).await
}

/// The contact page; `typed` and `error`, a refused email as typed and why;
/// `review`, a refused review.
async fn contact_page(
    session: &portal_core::PortalSession,
    (slug, csrf): (&str, &super::Csrf),
    (typed, error): ((String, String), Option<super::Refused>),
    review: Option<(super::Refused, String)>,
) -> Result<Response, PageError> {
    let org = session.account().await?.org_contact;
    Ok(render(&ContactPage {
        slug,
        csrf,
        can_email: org.email.is_some(),
        reviews: session.portal_preferences().enable_reviews,
        org,
        typed,
        error,
        review: {
            let (error, body) = super::shown_again(review);
            (body, error)
        },
    }))
}

/// The email form.
#[derive(Debug, Deserialize)]
pub struct EmailForm {
    csrf: String,
    subject: String,
    message: String,
}

/// Emails the organization (C3).
pub async fn email_org(
    PortalForm {
        user: PortalUser {
            session,
            csrf,
            slug,
        },
        form,
    }: PortalForm<EmailForm>,
) -> Result<Response, PageError> {
    if let Err(e) = session
        .messages()
        .email_org(&form.subject, &form.message)
        .await
    {
        // The form again as typed, with the reason.
        let error = super::form_error_at(e, &[("subject", "subject"), ("message", "message")])?;
        return contact_page(
            &session,
            (&slug, &csrf),
            ((form.subject, form.message), Some(error)),
            None,
        )
        .await;
    }
    Ok(render(&SentPage {
        slug: &slug,
        csrf: &csrf,
        message: crate::i18n::text("message-sent-to", &[("org", arg(session.org_name()))]),
        back: format!("/{slug}/contact"),
    }))
}

/// The review form.
#[derive(Debug, Deserialize)]
pub struct ReviewForm {
    csrf: String,
    body: String,
}

/// Writes a review of the organization (C4).
pub async fn review(
    PortalForm {
        user: PortalUser {
            session,
            csrf,
            slug,
        },
        form,
    }: PortalForm<ReviewForm>,
) -> Result<Response, PageError> {
    if let Err(e) = session.reviews().write(&form.body).await {
        // The review again as typed, with the reason beside it.
        let error = super::form_error_at(e, &[("comment", "review")])?;
        return contact_page(
            &session,
            (&slug, &csrf),
            Default::default(),
            Some((error, form.body)),
        )
        .await;
    }
    Ok(render(&SentPage {
        slug: &slug,
        csrf: &csrf,
        message: crate::i18n::text("review-thanks", &[]),
        back: format!("/{slug}"),
    }))
}

crate::csrf_forms!(EmailForm, ForwardForm, ReviewForm);

/// This area's routes, under the portal's `/{slug}`.
pub(crate) fn routes() -> axum::Router<crate::AppState> {
    axum::Router::new()
        .route("/forward", post(forward))
        .route("/contact", get(contact).post(email_org))
        .route("/review", post(review))
}
