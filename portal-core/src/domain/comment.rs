//! Comments on a customer's quotes, invoices, projects and timesheets (C1–C3).

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::activity::ActivitySubject;
use super::document::DocumentRef;
use super::ids::{CommentId, ContactId, CustomerId, OrgId};
use super::text::{TextError, limited};

/// What a comment is on: a quote or an invoice, a project (T2) or a timesheet
/// approval (T3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "type", content = "id")]
pub enum CommentTarget {
    /// A document: comments are kept on quotes and invoices (another kind is
    /// refused with `not_commentable`).
    Document(DocumentRef),
    /// A project (T2).
    Project(super::ids::ProjectId),
    /// A timesheet approval (T3).
    Approval(super::ids::ApprovalId),
}

impl CommentTarget {
    /// The activity-feed subject of a comment on this target.
    #[must_use]
    pub fn subject(self) -> ActivitySubject {
        use ActivitySubject as S;
        match self {
            CommentTarget::Document(d) => S::Document(d),
            CommentTarget::Project(id) => S::Project(id),
            CommentTarget::Approval(id) => S::Approval(id),
        }
    }
}

/// Who wrote a comment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "type", content = "id")]
pub enum CommentAuthor {
    /// The organization (the host app's user).
    Org,
    /// A portal user.
    Contact(ContactId),
}

/// A comment on a document. Plain text: the library never renders it; hosts escape it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Comment {
    /// Identifier.
    pub id: CommentId,
    /// The organization.
    pub org: OrgId,
    /// The customer whose document it is.
    pub customer: CustomerId,
    /// The document.
    pub target: CommentTarget,
    /// Who wrote it.
    pub author: CommentAuthor,
    /// The text (1 to 5000 characters).
    pub body: String,
    /// For org comments: visible in the portal. Portal users' comments always are.
    pub show_in_portal: bool,
    /// When it was written.
    pub created_at: OffsetDateTime,
}

/// Checks a comment's text: 1 to 5000 characters of plain text.
///
/// # Errors
/// [`TextError`].
pub fn comment_body(text: &str) -> Result<String, TextError> {
    limited("comment", text, 1, 5_000)?;
    Ok(text.trim().to_owned())
}
