//! Console: projects, their tasks, logging time, and sending time for the
//! customer's approval.

use axum::Form;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use portal_core::domain::{CustomerId, NewTimeEntry, PageRequest, ProjectId, TaskId};
use serde::Deserialize;

use super::customers::done;
use super::{check, signed_in};
use crate::AppState;
use crate::pages::{PageError, path_id};

/// The new project form, with its first task.
#[derive(Debug, Deserialize)]
pub struct ProjectForm {
    csrf: String,
    name: String,
    task: String,
}

/// Creates a project for the customer with one billable task.
pub async fn create_project(
    State(state): State<AppState>,
    Path((slug, id)): Path<(String, String)>,
    headers: HeaderMap,
    Form(form): Form<ProjectForm>,
) -> Result<Response, PageError> {
    let (org, csrf) = signed_in(&state, &headers, &slug).await?;
    check(&csrf, &form.csrf)?;
    let customer = path_id(&id, CustomerId::from_uuid)?;
    let projects = state.portal.org(org.id).projects();
    let outcome = async {
        let project = projects.create(customer, form.name.trim(), "").await?;
        projects.add_task(project.id, form.task.trim(), true).await
    }
    .await;
    done(&state, &headers, (&slug, &id), outcome).await
}

/// The time form: which task of which project, when, how long, what.
#[derive(Debug, Deserialize)]
pub struct TimeForm {
    csrf: String,
    project: String,
    task: String,
    minutes: String,
    #[serde(default)]
    note: String,
}

/// Logs time on a project's task, today.
pub async fn log_time(
    State(state): State<AppState>,
    Path((slug, id)): Path<(String, String)>,
    headers: HeaderMap,
    Form(form): Form<TimeForm>,
) -> Result<Response, PageError> {
    let (org, csrf) = signed_in(&state, &headers, &slug).await?;
    check(&csrf, &form.csrf)?;
    let project = path_id(&form.project, ProjectId::from_uuid)?;
    let task = path_id(&form.task, TaskId::from_uuid)?;
    let outcome = state
        .portal
        .org(org.id)
        .projects()
        .log_time(
            project,
            NewTimeEntry {
                task,
                date: state.portal.today(),
                // Not a number: zero minutes, which the library refuses with its reason.
                minutes: form.minutes.trim().parse().unwrap_or(0),
                note: form.note.trim().to_owned(),
            },
        )
        .await;
    done(&state, &headers, (&slug, &id), outcome).await
}

/// The timesheet form: the project and the timesheet's title.
#[derive(Debug, Deserialize)]
pub struct TimesheetForm {
    csrf: String,
    project: String,
    title: String,
}

/// Sends every entry of the project not sent yet (or rejected) for approval.
pub async fn send_timesheet(
    State(state): State<AppState>,
    Path((slug, id)): Path<(String, String)>,
    headers: HeaderMap,
    Form(form): Form<TimesheetForm>,
) -> Result<Response, PageError> {
    let (org, csrf) = signed_in(&state, &headers, &slug).await?;
    check(&csrf, &form.csrf)?;
    let customer = path_id(&id, CustomerId::from_uuid)?;
    let project = path_id(&form.project, ProjectId::from_uuid)?;
    let admin = state.portal.org(org.id);
    let outcome = async {
        let entries: Vec<_> = admin
            .projects()
            .time(customer, project, &PageRequest::first(100))
            .await?
            .items
            .into_iter()
            .filter(|e| {
                matches!(
                    e.approval,
                    portal_core::domain::EntryApproval::Unsubmitted
                        | portal_core::domain::EntryApproval::Rejected
                )
            })
            .map(|e| e.id)
            .collect();
        admin
            .approvals()
            .send(project, form.title.trim(), &entries)
            .await
    }
    .await;
    done(&state, &headers, (&slug, &id), outcome).await
}
