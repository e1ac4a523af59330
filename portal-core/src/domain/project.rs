//! Projects, tasks and time entries (SPEC T1, T2), and where their approval stands
//! (per entry and per timesheet); the timesheets themselves are in
//! [`approval`](super::approval) (T3).
//!
//! Time is whole minutes. An entry can be invoiced only once the customer approved
//! it; a customer may approve a timesheet, reject it with a reason, or approve part
//! of it and dispute single entries, each with its own reason.

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};

use super::ids::{CustomerId, InvoiceId, OrgId, ProjectId, TaskId, TimeEntryId};
use super::text::{TextError, limited, single_line};

/// Longest time entry: one day.
pub const MAX_ENTRY_MINUTES: u32 = 24 * 60;

/// Whether a project is still running.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProjectStatus {
    /// Running: listed in the portal.
    Active,
    /// Finished: no longer listed, still reachable by id.
    Completed,
}

impl ProjectStatus {
    /// The text stored in databases.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            ProjectStatus::Active => "active",
            ProjectStatus::Completed => "completed",
        }
    }

    /// Parses the stored text.
    #[must_use]
    pub fn from_db(text: &str) -> Option<Self> {
        [ProjectStatus::Active, ProjectStatus::Completed]
            .into_iter()
            .find(|s| s.as_str() == text)
    }
}

/// A project run for a customer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Project {
    /// Identifier.
    pub id: ProjectId,
    /// The organization.
    pub org: OrgId,
    /// The customer.
    pub customer: CustomerId,
    /// Name (1 to 200 characters).
    pub name: String,
    /// Description (up to 2000 characters, plain text).
    pub description: String,
    /// Status.
    pub status: ProjectStatus,
    /// When it was created.
    pub created_at: OffsetDateTime,
    /// Optimistic-concurrency version.
    pub version: i64,
}

impl Project {
    /// A new active project.
    ///
    /// # Errors
    /// [`TextError`] for a bad name or description.
    pub fn new(
        org: OrgId,
        customer: CustomerId,
        name: &str,
        description: &str,
        now: OffsetDateTime,
    ) -> Result<Self, TextError> {
        single_line("project name", name, 1, 200)?;
        limited("project description", description, 0, 2000)?;
        Ok(Self {
            id: ProjectId::new(),
            org,
            customer,
            name: name.trim().to_owned(),
            description: description.trim().to_owned(),
            status: ProjectStatus::Active,
            created_at: now,
            version: 1,
        })
    }
}

/// A task of a project.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Task {
    /// Identifier.
    pub id: TaskId,
    /// The organization.
    pub org: OrgId,
    /// The project.
    pub project: ProjectId,
    /// Name (1 to 200 characters).
    pub name: String,
    /// Whether its time is billed to the customer (only billable tasks are shown).
    pub billable: bool,
}

impl Task {
    /// A new task.
    ///
    /// # Errors
    /// [`TextError`] for a bad name.
    pub fn new(
        org: OrgId,
        project: ProjectId,
        name: &str,
        billable: bool,
    ) -> Result<Self, TextError> {
        single_line("task name", name, 1, 200)?;
        Ok(Self {
            id: TaskId::new(),
            org,
            project,
            name: name.trim().to_owned(),
            billable,
        })
    }
}

/// A task with its time (T1): all figures are minutes of the task's entries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskHours {
    /// The task.
    pub task: Task,
    /// Every minute logged.
    pub logged_minutes: i64,
    /// Minutes already invoiced.
    pub billed_minutes: i64,
    /// Minutes not invoiced yet (`logged − billed`).
    pub unbilled_minutes: i64,
}

/// Where a time entry stands with the customer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryApproval {
    /// Not sent for approval yet.
    Unsubmitted,
    /// In a timesheet waiting for the customer.
    Pending,
    /// Approved by the customer: it can be invoiced.
    Approved,
    /// Rejected or disputed by the customer; it can be corrected and sent again.
    Rejected,
}

impl EntryApproval {
    /// The text stored in databases.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            EntryApproval::Unsubmitted => "unsubmitted",
            EntryApproval::Pending => "pending",
            EntryApproval::Approved => "approved",
            EntryApproval::Rejected => "rejected",
        }
    }

    /// Parses the stored text.
    #[must_use]
    pub fn from_db(text: &str) -> Option<Self> {
        [
            EntryApproval::Unsubmitted,
            EntryApproval::Pending,
            EntryApproval::Approved,
            EntryApproval::Rejected,
        ]
        .into_iter()
        .find(|s| s.as_str() == text)
    }

    /// Whether an entry in this state can be sent for approval.
    #[must_use]
    pub fn can_submit(self) -> bool {
        matches!(self, EntryApproval::Unsubmitted | EntryApproval::Rejected)
    }
}

/// What the host app gives to log time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewTimeEntry {
    /// The task (of the project the entry is logged on).
    pub task: TaskId,
    /// The day worked.
    pub date: Date,
    /// Minutes (1 to [`MAX_ENTRY_MINUTES`]).
    pub minutes: u32,
    /// What was done (up to 1000 characters).
    pub note: String,
}

/// Time logged on a task.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimeEntry {
    /// Identifier.
    pub id: TimeEntryId,
    /// The organization.
    pub org: OrgId,
    /// The customer.
    pub customer: CustomerId,
    /// The project.
    pub project: ProjectId,
    /// The task.
    pub task: TaskId,
    /// Whether the task is billable (copied when logged).
    pub billable: bool,
    /// The day worked.
    pub date: Date,
    /// Minutes.
    pub minutes: u32,
    /// What was done.
    pub note: String,
    /// Where it stands with the customer.
    pub approval: EntryApproval,
    /// The customer's reason when they disputed or rejected it.
    pub dispute_reason: Option<String>,
    /// The invoice it was billed on (billing status: billed when set).
    pub invoice: Option<InvoiceId>,
    /// When it was logged.
    pub created_at: OffsetDateTime,
}

impl TimeEntry {
    /// A new, unsubmitted and unbilled entry on `task`.
    ///
    /// # Errors
    /// [`ProjectError`] for bad minutes or note.
    pub fn new(
        project: &Project,
        task: &Task,
        input: NewTimeEntry,
        now: OffsetDateTime,
    ) -> Result<Self, ProjectError> {
        if input.minutes == 0 || input.minutes > MAX_ENTRY_MINUTES {
            return Err(ProjectError::Minutes(input.minutes));
        }
        limited("time entry note", &input.note, 0, 1000)?;
        Ok(Self {
            id: TimeEntryId::new(),
            org: project.org,
            customer: project.customer,
            project: project.id,
            task: task.id,
            billable: task.billable,
            date: input.date,
            minutes: input.minutes,
            note: input.note.trim().to_owned(),
            approval: EntryApproval::Unsubmitted,
            dispute_reason: None,
            invoice: None,
            created_at: now,
        })
    }

    /// Whether it was invoiced.
    #[must_use]
    pub fn billed(&self) -> bool {
        self.invoice.is_some()
    }
}

/// Why a project, task, entry or timesheet action was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ProjectError {
    /// Bad text.
    #[error(transparent)]
    Text(#[from] TextError),
    /// Minutes out of range.
    #[error("a time entry is 1 to {MAX_ENTRY_MINUTES} minutes, not {0}")]
    Minutes(u32),
    /// A rejection or dispute without a reason.
    #[error("a reason is required to reject or dispute time")]
    ReasonRequired,
    /// A disputed entry that is not in the timesheet, or named twice.
    #[error("each disputed entry must be in the timesheet, once")]
    UnknownEntry,
    /// A dispute naming no entry.
    #[error("name at least one disputed entry, or approve the timesheet")]
    NothingDisputed,
    /// A timesheet without entries.
    #[error("a timesheet needs at least one time entry")]
    EmptyTimesheet,
    /// The timesheet was already decided.
    #[error("this timesheet was already {}", .0.as_str())]
    AlreadyDecided(ApprovalStatus),
    /// Time that is not approved, already billed, or not billable.
    #[error("only approved, billable and unbilled time can be invoiced")]
    NotInvoiceable,
    /// An entry that cannot be sent for approval.
    #[error("time that is pending or approved cannot be sent for approval again")]
    NotSubmittable,
}

/// Where a timesheet approval stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ApprovalStatus {
    /// Waiting for the customer.
    Pending,
    /// Every entry approved.
    Approved,
    /// Some entries approved, the others disputed.
    PartiallyApproved,
    /// Rejected as a whole (or every entry disputed).
    Rejected,
}

impl ApprovalStatus {
    /// Every status.
    pub const ALL: [ApprovalStatus; 4] = [
        ApprovalStatus::Pending,
        ApprovalStatus::Approved,
        ApprovalStatus::PartiallyApproved,
        ApprovalStatus::Rejected,
    ];

    /// The text stored in databases.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            ApprovalStatus::Pending => "pending",
            ApprovalStatus::Approved => "approved",
            ApprovalStatus::PartiallyApproved => "partially_approved",
            ApprovalStatus::Rejected => "rejected",
        }
    }

    /// Parses the stored text.
    #[must_use]
    pub fn from_db(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == text)
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    /// A project with `n` entries of one billable task (shared with the approval
    /// tests).
    pub(in crate::domain) fn setup(n: usize) -> (Project, Vec<TimeEntry>) {
        let now = OffsetDateTime::UNIX_EPOCH;
        let project =
            Project::new(OrgId::new(), CustomerId::new(), "Site", "", now).expect("valid");
        let task = Task::new(project.org, project.id, "Build", true).expect("valid");
        let entries = (0..n)
            .map(|i| {
                TimeEntry::new(
                    &project,
                    &task,
                    NewTimeEntry {
                        task: task.id,
                        date: now.date(),
                        minutes: 30 + u32::try_from(i).expect("valid"),
                        note: String::new(),
                    },
                    now,
                )
                .expect("valid")
            })
            .collect();
        (project, entries)
    }

    #[test]
    fn minutes_must_be_within_a_day() {
        let (project, _) = setup(0);
        let task = Task::new(project.org, project.id, "T", true).expect("valid");
        for bad in [0, MAX_ENTRY_MINUTES + 1] {
            let e = TimeEntry::new(
                &project,
                &task,
                NewTimeEntry {
                    task: task.id,
                    date: project.created_at.date(),
                    minutes: bad,
                    note: String::new(),
                },
                project.created_at,
            );
            assert_eq!(e, Err(ProjectError::Minutes(bad)));
        }
    }
}
