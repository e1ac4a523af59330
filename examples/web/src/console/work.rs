//! Console: projects, their tasks, logging time, and sending time for the
//! customer's approval.

use axum::extract::State;
use axum::response::Response;
use axum::routing::post;
use portal_core::domain::{CustomerId, NewTimeEntry, PageRequest, ProjectId, TaskId};
use serde::Deserialize;

use super::customers::done;

use crate::AppState;
use crate::extract::{Id, Staff, StaffForm};
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
    Id(customer): Id<CustomerId>,
    StaffForm { staff, form }: StaffForm<ProjectForm>,
) -> Result<Response, PageError> {
    let Staff { org, .. } = &staff;
    let projects = state.portal.org(org.id).projects();
    let outcome = async {
        let project = projects.create(customer, form.name.trim(), "").await?;
        projects.add_task(project.id, form.task.trim(), true).await
    }
    .await;
    done(&state, &staff, customer, outcome).await
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
    Id(customer): Id<CustomerId>,
    StaffForm { staff, form }: StaffForm<TimeForm>,
) -> Result<Response, PageError> {
    let Staff { org, .. } = &staff;
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
                date: state.portal.today_in(org),
                // Not a number: zero minutes, which the library refuses with its reason.
                minutes: form.minutes.trim().parse().unwrap_or(0),
                note: form.note.trim().to_owned(),
            },
        )
        .await;
    done(&state, &staff, customer, outcome).await
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
    Id(customer): Id<CustomerId>,
    StaffForm { staff, form }: StaffForm<TimesheetForm>,
) -> Result<Response, PageError> {
    let Staff { org, .. } = &staff;
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
    done(&state, &staff, customer, outcome).await
}

crate::csrf_forms!(ProjectForm, TimeForm, TimesheetForm);

/// This area's routes, under the console's `/console/{slug}`.
pub(crate) fn routes() -> axum::Router<crate::AppState> {
    axum::Router::new()
        .route("/customers/{id}/projects", post(create_project))
        .route("/customers/{id}/time", post(log_time))
        .route("/customers/{id}/timesheets", post(send_timesheet))
}
