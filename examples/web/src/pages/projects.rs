//! Projects (T1, T2): the customer's projects, and one project with its tasks'
//! hours and its time entries, a page at a time. Shown only when the organization
//! turns them on.

use askama::Template;
use axum::extract::Query;
use axum::response::Response;
use axum::routing::get;
use portal_core::domain::{CommentTarget, PageRequest, Project, ProjectId, TaskHours, TimeEntry};
use serde::Deserialize;

use super::comments::Thread;
use super::{PageError, render};
use crate::extract::{Id, PortalUser};
use crate::i18n::filters;

/// Minutes as people read them: `1 h 30 min`.
#[must_use]
pub fn hours(minutes: i64) -> String {
    match (minutes / 60, minutes % 60) {
        (0, m) => format!("{m} min"),
        (h, 0) => format!("{h} h"),
        (h, m) => format!("{h} h {m} min"),
    }
}

#[derive(Template)]
#[template(path = "projects.html")]
struct ListPage<'a> {
    slug: &'a str,
    csrf: &'a super::Csrf,
    projects: Vec<Project>,
}

/// The customer's projects.
pub async fn list(
    PortalUser {
        session,
        csrf,
        slug,
    }: PortalUser,
) -> Result<Response, PageError> {
    let page = session.projects().list(&PageRequest::first(50)).await?;
    Ok(render(&ListPage {
        slug: &slug,
        csrf: &csrf,
        projects: page.items,
    }))
}

/// A time entry as the page shows it.
struct EntryRow {
    entry: TimeEntry,
    task: String,
    time: String,
}

/// A task with its hours as text.
struct TaskRow {
    name: String,
    billable: bool,
    logged: String,
    unbilled: String,
}

#[derive(Template)]
#[template(path = "project.html")]
struct ProjectPage<'a> {
    slug: &'a str,
    csrf: &'a super::Csrf,
    project: Project,
    tasks: Vec<TaskRow>,
    entries: Vec<EntryRow>,
    next: Option<String>,
    thread: Option<Thread>,
}

/// The project page's query: the time entries' cursor.
#[derive(Debug, Default, Deserialize)]
pub struct TimeQuery {
    after: Option<String>,
}

/// One project: its tasks with logged and unbilled hours, its time entries a page
/// at a time, and its comments.
pub async fn view(
    PortalUser {
        session,
        csrf,
        slug,
    }: PortalUser,
    Id(id): Id<ProjectId>,
    Query(query): Query<TimeQuery>,
) -> Result<Response, PageError> {
    project_page(
        &session,
        (&slug, &csrf),
        id,
        query.after.as_deref(),
        Default::default(),
    )
    .await
}

/// The project page from the entry after `after`, with a refused comment shown
/// again in its form.
pub(crate) async fn project_page(
    session: &portal_core::PortalSession,
    (slug, csrf): (&str, &super::Csrf),
    id: ProjectId,
    after: Option<&str>,
    drafts: super::comments::Drafts,
) -> Result<Response, PageError> {
    let project = session.projects().get(id).await?;
    let tasks: Vec<TaskHours> = session.projects().tasks(id).await?;
    let request = match after {
        Some(after) => PageRequest::after(after, 50).map_err(portal_core::Error::from)?,
        None => PageRequest::first(50),
    };
    let page = session.projects().time(id, &request).await?;
    let task_name = |entry: &TimeEntry| {
        tasks
            .iter()
            .find(|t| t.task.id == entry.task)
            .map_or_else(String::new, |t| t.task.name.clone())
    };
    let entries = page
        .items
        .into_iter()
        .map(|entry| EntryRow {
            task: task_name(&entry),
            time: hours(i64::from(entry.minutes)),
            entry,
        })
        .collect();
    let thread = super::comments::thread(session, CommentTarget::Project(id), drafts.comment)
        .await
        .ok();
    Ok(render(&ProjectPage {
        slug,
        csrf,
        project,
        tasks: tasks
            .into_iter()
            .map(|t| TaskRow {
                name: t.task.name,
                billable: t.task.billable,
                logged: hours(t.logged_minutes),
                unbilled: hours(t.unbilled_minutes),
            })
            .collect(),
        entries,
        next: page.next,
        thread,
    }))
}

/// This area's routes, under the portal's `/{slug}`.
pub(crate) fn routes() -> axum::Router<crate::AppState> {
    axum::Router::new()
        .route("/projects", get(list))
        .route("/projects/{id}", get(view))
}
