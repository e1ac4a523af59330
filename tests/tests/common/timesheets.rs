//! A project with one logged entry sent for approval: the set-up several scenarios
//! share.

#![allow(dead_code, unreachable_pub)]

use portal_core::OrgAdmin;
use portal_core::domain::{CustomerId, NewTimeEntry, Project, Task, TimeEntry, TimesheetApproval};
use time::Date;

/// What [`pending_timesheet`] made.
pub struct Timesheet {
    pub project: Project,
    pub task: Task,
    pub entry: TimeEntry,
    pub approval: TimesheetApproval,
}

/// A project named `name` for `customer` with a billable task, `minutes` logged on
/// `date`, sent for approval as `title`.
pub async fn pending_timesheet(
    admin: OrgAdmin<'_>,
    customer: CustomerId,
    (name, title): (&str, &str),
    date: Date,
    minutes: u32,
) -> Timesheet {
    let project = admin
        .projects()
        .create(customer, name, "")
        .await
        .expect("project");
    let task = admin
        .projects()
        .add_task(project.id, "Build", true)
        .await
        .expect("task");
    let entry = admin
        .projects()
        .log_time(
            project.id,
            NewTimeEntry {
                task: task.id,
                date,
                minutes,
                note: String::new(),
            },
        )
        .await
        .expect("time");
    let approval = admin
        .approvals()
        .send(project.id, title, &[entry.id])
        .await
        .expect("timesheet");
    Timesheet {
        project,
        task,
        entry,
        approval,
    }
}
