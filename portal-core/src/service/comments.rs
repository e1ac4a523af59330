//! Comments on customers' documents (N1), on both sides.

use super::orgs::OrgAdmin;
use super::sessions::PortalSession;
use crate::domain::{
    Action, Comment, CommentAuthor, CommentId, CommentTarget, CustomerId, EmailKind, OutboxEmail,
    PortalEvent, PortalStatus, comment_body,
};
use crate::error::Result;
use tracing::instrument;

/// Comments on customers' documents, on the org side.
/// From [`OrgAdmin::comments`]; every call is scoped to the organization.
#[derive(Debug, Clone, Copy)]
pub struct OrgComments<'a>(pub(super) OrgAdmin<'a>);

impl<'a> OrgAdmin<'a> {
    /// Comments on customers' documents, on the org side.
    #[must_use]
    pub fn comments(self) -> OrgComments<'a> {
        OrgComments(self)
    }
}

impl OrgComments<'_> {
    /// The organization comments on a quote or invoice (Q5). With `show_in_portal`
    /// the customer sees it, and (when the setting is on) the customer's portal users
    /// are emailed.
    ///
    /// # Errors
    /// `NotFound` for a document not of this customer; [`Error::Text`](crate::error::Error::Text) for the body.
    #[instrument(skip_all, fields(org = %self.0.org, customer = %customer))]
    pub async fn add(
        self,
        customer: CustomerId,
        target: CommentTarget,
        body: &str,
        show_in_portal: bool,
    ) -> Result<Comment> {
        let body = comment_body(body)?;
        let org = self.0.organization().await?;
        let now = self.0.portal.now();
        let mut emails = Vec::new();
        if show_in_portal && org.settings.preferences.email_customer_on_org_comment {
            for contact in self.0.contacts().list(customer).await? {
                if contact.portal_status != PortalStatus::Active {
                    continue;
                }
                if let Some(to) = contact.email.clone() {
                    use crate::i18n::arg;
                    let reader = crate::i18n::Reader::of(&contact, &org);
                    let args = [
                        ("org", arg(&org.name)),
                        ("comment", arg(&body)),
                        ("url", arg(self.0.portal.portal_url(&org.slug))),
                    ];
                    emails.push(OutboxEmail::new(
                        self.0.org,
                        EmailKind::CustomerNotification,
                        to,
                        reader.text("comment-subject", &args),
                        reader.text("comment-body", &args) + "\n",
                        now,
                    ));
                }
            }
        }
        let comment = Comment {
            id: CommentId::new(),
            org: self.0.org,
            customer,
            target,
            author: CommentAuthor::Org,
            body,
            show_in_portal,
            created_at: now,
        };
        self.0
            .portal
            .inner
            .store
            .add_comment(&comment, &emails, None)
            .await?;
        Ok(comment)
    }

    /// Every comment on a document, the org's hidden ones included.
    ///
    /// # Errors
    /// `NotFound`.
    pub async fn list(self, customer: CustomerId, target: CommentTarget) -> Result<Vec<Comment>> {
        Ok(self
            .0
            .portal
            .inner
            .store
            .comments(self.0.org, customer, target, false)
            .await?)
    }
}

/// Comments on the customer's documents (N1).
/// From [`PortalSession::comments`]; every call is scoped to the session's customer.
#[derive(Debug, Clone, Copy)]
pub struct SessionComments<'s>(pub(super) &'s PortalSession);

impl PortalSession {
    /// Comments on the customer's documents (N1).
    #[must_use]
    pub fn comments(&self) -> SessionComments<'_> {
        SessionComments(self)
    }
}

impl SessionComments<'_> {
    /// Comments on one of the customer's quotes, invoices, projects or timesheet
    /// approvals (Q5, T2, T3); the org is notified per its preferences.
    ///
    /// # Errors
    /// [`Error::Forbidden`](crate::error::Error::Forbidden), `NotFound`, [`Error::Text`](crate::error::Error::Text).
    #[instrument(skip_all, fields(org = %self.0.org.id, customer = %self.0.customer.id))]
    pub async fn add(self, target: CommentTarget, body: &str) -> Result<Comment> {
        let body = comment_body(body)?;
        let name = self.0.comment_target(target, Action::Create).await?;
        let notice = self.0.notice(
            PortalEvent::Commented,
            target.subject(),
            format!("{} commented on {name}", self.0.customer.display_name),
            format!(
                "{} wrote on {name}:\n\n{body}\n",
                self.0.contact.full_name()
            ),
        );
        let comment = Comment {
            id: CommentId::new(),
            org: self.0.org.id,
            customer: self.0.customer.id,
            target,
            author: CommentAuthor::Contact(self.0.contact.id),
            body,
            show_in_portal: true,
            created_at: self.0.portal.now(),
        };
        self.0
            .portal
            .inner
            .store
            .add_comment(&comment, &[], Some(&notice))
            .await?;
        Ok(comment)
    }

    /// The comments on a document that the portal shows: the customer's and the
    /// org's marked "show in portal".
    ///
    /// # Errors
    /// `NotFound` for someone else's document.
    pub async fn list(self, target: CommentTarget) -> Result<Vec<Comment>> {
        self.0.comment_target(target, Action::View).await?;
        Ok(self
            .0
            .portal
            .inner
            .store
            .comments(self.0.org.id, self.0.customer.id, target, true)
            .await?)
    }
}
