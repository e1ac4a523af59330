//! Comments (Q5, T2, T3): the thread under a quote, an invoice, a project or a
//! timesheet, and the form to add to it. Comments are plain text; the templates
//! escape them.

use axum::response::Response;
use axum::routing::post;
use portal_core::PortalSession;
use portal_core::domain::{ApprovalId, CommentAuthor, CommentTarget, DocumentRef, ProjectId};
use serde::Deserialize;

use super::{PageError, see_other};
use crate::extract::{PortalForm, PortalUser};

/// One comment as the page shows it.
pub struct CommentView {
    /// Who wrote it: the organization, "You", or another contact's name.
    pub author: String,
    /// The text.
    pub body: String,
    /// When, as a date.
    pub date: time::Date,
}

/// The comments of a document and what the form posts back.
pub struct Thread {
    /// The document, as the form names it (`invoice:<id>`, ...).
    pub target: String,
    /// The comments the portal shows.
    pub comments: Vec<CommentView>,
    /// A refused comment, as typed.
    pub typed: String,
    /// Why it was refused.
    pub error: Option<super::Refused>,
}

/// The forms under a document the library refused, shown again on the
/// document's page as typed, each with its reason.
#[derive(Default)]
pub struct Drafts {
    /// A comment: why it was refused and its text.
    pub comment: Option<(super::Refused, String)>,
    /// A forward: why it was refused, and the address and note.
    pub forward: Option<(super::Refused, (String, String))>,
}

fn target_text(target: CommentTarget) -> String {
    match target {
        CommentTarget::Document(document) => document.to_string(),
        CommentTarget::Project(id) => format!("project:{id}"),
        CommentTarget::Approval(id) => format!("approval:{id}"),
    }
}

/// The target a form names, and the page to go back to.
fn parse_target(slug: &str, text: &str) -> Result<(CommentTarget, String), PageError> {
    if let Ok(document) = text.parse::<portal_core::domain::DocumentRef>() {
        return Ok((
            CommentTarget::Document(document),
            portal_core::Portal::document_path(slug, document),
        ));
    }
    let (kind, id) = text.split_once(':').ok_or(PageError::NotFound)?;
    let id = uuid::Uuid::parse_str(id).map_err(|_| PageError::NotFound)?;
    Ok(match kind {
        "project" => (
            CommentTarget::Project(ProjectId::from_uuid(id)),
            format!("/{slug}/projects/{id}"),
        ),
        "approval" => (
            CommentTarget::Approval(ApprovalId::from_uuid(id)),
            format!("/{slug}/timesheets/{id}"),
        ),
        _ => return Err(PageError::NotFound),
    })
}

/// The thread of `target`, with authors named: the organization by its name, the
/// signed-in person as "You", other contacts of the customer by name.
///
/// # Errors
/// The library's (`not_found` for a document that is not the customer's).
pub async fn thread(
    session: &PortalSession,
    target: CommentTarget,
    draft: Option<(super::Refused, String)>,
) -> Result<Thread, PageError> {
    let comments = session.comments().list(target).await?;
    let others = if comments
        .iter()
        .any(|c| matches!(c.author, CommentAuthor::Contact(id) if id != session.contact_id()))
    {
        session.account().await?.contacts
    } else {
        Vec::new()
    };
    let (error, typed) = super::shown_again(draft);
    Ok(Thread {
        target: target_text(target),
        typed,
        error,
        comments: comments
            .into_iter()
            .map(|c| CommentView {
                author: match c.author {
                    CommentAuthor::Org => session.org_name().to_owned(),
                    CommentAuthor::Contact(id) if id == session.contact_id() => {
                        crate::i18n::text("comment-you", &[])
                    }
                    CommentAuthor::Contact(id) => others.iter().find(|o| o.id == id).map_or_else(
                        || crate::i18n::text("comment-former-contact", &[]),
                        |o| o.name.clone(),
                    ),
                },
                body: c.body,
                // The day it was written where the reader is.
                date: crate::i18n::with(|r| r.local_date(c.created_at)),
            })
            .collect(),
    })
}

/// The comment form.
#[derive(Debug, Deserialize)]
pub struct CommentForm {
    csrf: String,
    target: String,
    body: String,
}

/// Adds a comment and goes back to the document. A refused comment (empty, too
/// long) shows the document again with the text as typed and the reason beside
/// it.
pub async fn add(
    axum::extract::State(state): axum::extract::State<crate::AppState>,
    PortalForm { user, form }: PortalForm<CommentForm>,
) -> Result<Response, PageError> {
    let (target, back) = parse_target(&user.slug, &form.target)?;
    match user.session.comments().add(target, &form.body).await {
        Ok(_) => Ok(see_other(&format!("{back}#comments"))),
        Err(e) if has_page(target) => {
            let drafts = Drafts {
                comment: Some((
                    super::form_error_at(e, &[("comment", "comment-body")])?,
                    form.body,
                )),
                ..Drafts::default()
            };
            page_again(&state, user, target, drafts).await
        }
        Err(e) => Err(e.into()),
    }
}

/// Whether this host has a page for `target` (with its comment and forward
/// forms).
pub(crate) fn has_page(target: CommentTarget) -> bool {
    matches!(
        target,
        CommentTarget::Document(
            DocumentRef::Invoice(_) | DocumentRef::Quote(_) | DocumentRef::SalesOrder(_)
        ) | CommentTarget::Project(_)
            | CommentTarget::Approval(_)
    )
}

/// The page of `target` again, with the refused forms under it as typed.
pub(crate) async fn page_again(
    state: &crate::AppState,
    PortalUser {
        session,
        csrf,
        slug,
    }: PortalUser,
    target: CommentTarget,
    drafts: Drafts,
) -> Result<Response, PageError> {
    let page = (slug.as_str(), &csrf);
    match target {
        CommentTarget::Document(DocumentRef::Invoice(id)) => {
            super::invoices::invoice_page(state, &session, page, id, drafts).await
        }
        CommentTarget::Document(DocumentRef::Quote(id)) => {
            super::quotes::quote_page(&session, page, id, None, drafts).await
        }
        CommentTarget::Document(DocumentRef::SalesOrder(id)) => {
            super::sales_orders::order_page(&session, page, id, drafts).await
        }
        CommentTarget::Project(id) => {
            super::projects::project_page(&session, page, id, None, drafts).await
        }
        CommentTarget::Approval(id) => {
            super::timesheets::approval_page(&session, page, id, None, drafts).await
        }
        CommentTarget::Document(_) => Err(PageError::NotFound),
    }
}

crate::csrf_forms!(CommentForm);

/// This area's routes, under the portal's `/{slug}`.
pub(crate) fn routes() -> axum::Router<crate::AppState> {
    axum::Router::new().route("/comments", post(add))
}
