//! Timesheet approvals (T3): the customer approves a timesheet, rejects it with a
//! reason, or approves it except for disputed entries, each with its own reason.

use askama::Template;
use axum::response::Response;
use axum::routing::{get, post};
use portal_core::PortalSession;
use portal_core::domain::{
    ApprovalDecision, ApprovalId, PageRequest, TimeEntry, TimeEntryId, TimesheetApproval,
};

use super::{PageError, form_error_at, render, see_other};
use crate::extract::{Fields, Id, PortalForm, PortalUser};
use crate::i18n::filters;

#[derive(Template)]
#[template(path = "timesheets.html")]
struct ListPage<'a> {
    slug: &'a str,
    csrf: &'a super::Csrf,
    approvals: Vec<TimesheetApproval>,
}

/// The customer's timesheets, newest first.
pub async fn list(
    PortalUser {
        session,
        csrf,
        slug,
    }: PortalUser,
) -> Result<Response, PageError> {
    let page = session
        .approvals()
        .list(&[], &PageRequest::first(50))
        .await?;
    Ok(render(&ListPage {
        slug: &slug,
        csrf: &csrf,
        approvals: page.items,
    }))
}

#[derive(Template)]
#[template(path = "timesheet.html")]
struct ApprovalPage<'a> {
    slug: &'a str,
    csrf: &'a super::Csrf,
    approval: TimesheetApproval,
    entries: Vec<TimeEntry>,
    pending: bool,
    error: Option<super::Refused>,
    /// The decision form as sent, when it was refused.
    typed: Fields,
    thread: Option<super::comments::Thread>,
}

impl ApprovalPage<'_> {
    /// What was typed in `field` of a refused decision.
    fn typed(&self, field: &str) -> &str {
        self.typed.get(field).unwrap_or_default()
    }
}

pub(crate) async fn approval_page(
    session: &PortalSession,
    (slug, csrf): (&str, &super::Csrf),
    id: ApprovalId,
    refused: Option<(super::Refused, Fields)>,
    drafts: super::comments::Drafts,
) -> Result<Response, PageError> {
    let (error, typed) = super::shown_again(refused);
    let approval = session.approvals().get(id).await?;
    let entries = session.approvals().entries(id).await?;
    let thread = super::comments::thread(
        session,
        portal_core::domain::CommentTarget::Approval(id),
        drafts.comment,
    )
    .await
    .ok();
    Ok(render(&ApprovalPage {
        slug,
        csrf,
        thread,
        pending: approval.status == portal_core::domain::ApprovalStatus::Pending
            && session
                .can(
                    portal_core::domain::Module::Timesheets,
                    portal_core::domain::Action::Approve,
                )
                .is_allowed(),
        approval,
        entries,
        error,
        typed,
    }))
}

/// One timesheet with its entries and, while pending, the decision form.
pub async fn view(
    PortalUser {
        session,
        csrf,
        slug,
    }: PortalUser,
    Id(id): Id<ApprovalId>,
) -> Result<Response, PageError> {
    approval_page(&session, (&slug, &csrf), id, None, Default::default()).await
}

/// Reads the decision form: `decision` is `approve`, `reject` (with `reason`) or
/// `dispute`, which approves every entry but those with a non-empty
/// `dispute-{entry id}` reason.
fn decision_of(form: &Fields) -> Result<ApprovalDecision, PageError> {
    let text = |k: &str| form.get(k).map(|v| v.trim().to_owned()).unwrap_or_default();
    match text("decision").as_str() {
        "approve" => Ok(ApprovalDecision::Approve),
        "reject" => Ok(ApprovalDecision::Reject {
            reason: text("reason"),
        }),
        "dispute" => {
            let mut entries = Vec::new();
            for (key, reason) in &form.0 {
                if let Some(id) = key.strip_prefix("dispute-") {
                    if reason.trim().is_empty() {
                        continue;
                    }
                    let id = uuid::Uuid::parse_str(id).map_err(|_| PageError::NotFound)?;
                    entries.push((TimeEntryId::from_uuid(id), reason.trim().to_owned()));
                }
            }
            entries.sort_by_key(|(id, _)| *id);
            entries.dedup_by_key(|(id, _)| *id);
            Ok(ApprovalDecision::Dispute { entries })
        }
        _ => Err(PageError::NotFound),
    }
}

/// Records the customer's decision; the organization is told.
pub async fn decide(
    Id(id): Id<ApprovalId>,
    PortalForm {
        user: PortalUser {
            session,
            csrf,
            slug,
        },
        form,
    }: PortalForm<Fields>,
) -> Result<Response, PageError> {
    let decision = decision_of(&form)?;
    match session.approvals().decide(id, &decision).await {
        Ok(_) => Ok(see_other(&format!("/{slug}/timesheets/{id}"))),
        Err(e) => {
            // The reasons as typed, the message beside the one at fault.
            let error = form_error_at(e, &[("reason", "reason"), ("disputes", "disputes")])?;
            approval_page(
                &session,
                (&slug, &csrf),
                id,
                Some((error, form)),
                Default::default(),
            )
            .await
        }
    }
}

/// This area's routes, under the portal's `/{slug}`.
pub(crate) fn routes() -> axum::Router<crate::AppState> {
    axum::Router::new()
        .route("/timesheets", get(list))
        .route("/timesheets/{id}", get(view))
        .route("/timesheets/{id}/decide", post(decide))
}
