//! Projects, tasks, time entries and timesheet approvals (SPEC T1–T3).
//!
//! Time is whole minutes. An entry can be invoiced only once the customer approved
//! it; a customer may approve a timesheet, reject it with a reason, or approve part
//! of it and dispute single entries, each with its own reason.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};

use super::ids::{
    ApprovalId, ContactId, CustomerId, InvoiceId, OrgId, ProjectId, TaskId, TimeEntryId,
};
use super::text::{TextError, limited};

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
        limited("project name", name, 1, 200)?;
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
        limited("task name", name, 1, 200)?;
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

/// A set of time entries the organization sent the customer for approval (T3).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimesheetApproval {
    /// Identifier.
    pub id: ApprovalId,
    /// The organization.
    pub org: OrgId,
    /// The customer.
    pub customer: CustomerId,
    /// The project.
    pub project: ProjectId,
    /// A title, e.g. "Week 47" (1 to 200 characters).
    pub title: String,
    /// The entries, in the order sent.
    pub entries: Vec<TimeEntryId>,
    /// Their minutes in total.
    pub total_minutes: i64,
    /// Status.
    pub status: ApprovalStatus,
    /// The customer's reason for rejecting it.
    pub reason: Option<String>,
    /// Who decided.
    pub decided_by: Option<ContactId>,
    /// When.
    pub decided_at: Option<OffsetDateTime>,
    /// When the customer first opened it.
    pub viewed_at: Option<OffsetDateTime>,
    /// When it was sent.
    pub created_at: OffsetDateTime,
    /// Optimistic-concurrency version.
    pub version: i64,
}

/// The customer's answer to a timesheet approval.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "decision")]
pub enum ApprovalDecision {
    /// Approve every entry.
    Approve,
    /// Reject the whole timesheet; the reason is required.
    Reject {
        /// Why (1 to 1000 characters).
        reason: String,
    },
    /// Approve every entry except the disputed ones, each with its reason.
    Dispute {
        /// The disputed entries and why.
        entries: Vec<(TimeEntryId, String)>,
    },
}

/// What a decision does: the approval's new status and each entry's outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecisionOutcome {
    /// The approval's status.
    pub status: ApprovalStatus,
    /// The rejection reason (whole-timesheet rejections only).
    pub reason: Option<String>,
    /// Each entry: approved, or rejected with its reason.
    pub entries: Vec<(TimeEntryId, EntryApproval, Option<String>)>,
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

fn reason(text: &str) -> Result<String, ProjectError> {
    if text.trim().is_empty() {
        return Err(ProjectError::ReasonRequired);
    }
    limited("reason", text, 1, 1000)?;
    Ok(text.trim().to_owned())
}

impl TimesheetApproval {
    /// A pending approval of `entries`, which must all be of `project`.
    ///
    /// # Errors
    /// [`ProjectError`] for a bad title, no entries, or an entry not of the project
    /// or not submittable.
    pub fn new(
        project: &Project,
        title: &str,
        entries: &[TimeEntry],
        now: OffsetDateTime,
    ) -> Result<Self, ProjectError> {
        limited("timesheet title", title, 1, 200)?;
        if entries.is_empty() {
            return Err(ProjectError::EmptyTimesheet);
        }
        let mut seen = HashSet::new();
        for e in entries {
            if e.project != project.id || !seen.insert(e.id) {
                return Err(ProjectError::UnknownEntry);
            }
            if !e.approval.can_submit() || e.billed() {
                return Err(ProjectError::NotSubmittable);
            }
        }
        Ok(Self {
            id: ApprovalId::new(),
            org: project.org,
            customer: project.customer,
            project: project.id,
            title: title.trim().to_owned(),
            entries: entries.iter().map(|e| e.id).collect(),
            total_minutes: entries.iter().map(|e| i64::from(e.minutes)).sum(),
            status: ApprovalStatus::Pending,
            reason: None,
            decided_by: None,
            decided_at: None,
            viewed_at: None,
            created_at: now,
            version: 1,
        })
    }

    /// What `decision` does to this approval.
    ///
    /// # Errors
    /// [`ProjectError::AlreadyDecided`] unless pending; a missing reason; a disputed
    /// entry not in the timesheet or named twice; a dispute naming nothing.
    pub fn decide(&self, decision: &ApprovalDecision) -> Result<DecisionOutcome, ProjectError> {
        if self.status != ApprovalStatus::Pending {
            return Err(ProjectError::AlreadyDecided(self.status));
        }
        match decision {
            ApprovalDecision::Approve => Ok(DecisionOutcome {
                status: ApprovalStatus::Approved,
                reason: None,
                entries: self
                    .entries
                    .iter()
                    .map(|id| (*id, EntryApproval::Approved, None))
                    .collect(),
            }),
            ApprovalDecision::Reject { reason: text } => {
                let why = reason(text)?;
                Ok(DecisionOutcome {
                    status: ApprovalStatus::Rejected,
                    reason: Some(why.clone()),
                    entries: self
                        .entries
                        .iter()
                        .map(|id| (*id, EntryApproval::Rejected, Some(why.clone())))
                        .collect(),
                })
            }
            ApprovalDecision::Dispute { entries } => {
                if entries.is_empty() {
                    return Err(ProjectError::NothingDisputed);
                }
                let mut disputed = std::collections::HashMap::new();
                for (id, text) in entries {
                    if !self.entries.contains(id) || disputed.contains_key(id) {
                        return Err(ProjectError::UnknownEntry);
                    }
                    disputed.insert(*id, reason(text)?);
                }
                let status = if disputed.len() == self.entries.len() {
                    ApprovalStatus::Rejected
                } else {
                    ApprovalStatus::PartiallyApproved
                };
                Ok(DecisionOutcome {
                    status,
                    reason: None,
                    entries: self
                        .entries
                        .iter()
                        .map(|id| match disputed.remove(id) {
                            Some(why) => (*id, EntryApproval::Rejected, Some(why)),
                            None => (*id, EntryApproval::Approved, None),
                        })
                        .collect(),
                })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn setup(n: usize) -> (Project, Vec<TimeEntry>) {
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

    #[test]
    fn decisions_set_every_entry() {
        let (project, entries) = setup(3);
        let a = TimesheetApproval::new(&project, "Week 1", &entries, project.created_at)
            .expect("valid");
        assert_eq!(a.total_minutes, 30 + 31 + 32);

        let all = a.decide(&ApprovalDecision::Approve).expect("valid");
        assert_eq!(all.status, ApprovalStatus::Approved);
        assert!(
            all.entries
                .iter()
                .all(|(_, s, r)| *s == EntryApproval::Approved && r.is_none())
        );

        let part = a
            .decide(&ApprovalDecision::Dispute {
                entries: vec![(entries[1].id, "not us".into())],
            })
            .expect("valid");
        assert_eq!(part.status, ApprovalStatus::PartiallyApproved);
        assert_eq!(
            part.entries[1],
            (
                entries[1].id,
                EntryApproval::Rejected,
                Some("not us".into())
            )
        );
        assert_eq!(part.entries[0].1, EntryApproval::Approved);

        let every = a
            .decide(&ApprovalDecision::Dispute {
                entries: entries.iter().map(|e| (e.id, "no".into())).collect(),
            })
            .expect("valid");
        assert_eq!(every.status, ApprovalStatus::Rejected);
    }

    #[test]
    fn bad_decisions_are_refused() {
        let (project, entries) = setup(2);
        let (_, others) = setup(1);
        let mut a =
            TimesheetApproval::new(&project, "W", &entries, project.created_at).expect("valid");
        let reject = |r: &str| ApprovalDecision::Reject { reason: r.into() };
        assert_eq!(a.decide(&reject("  ")), Err(ProjectError::ReasonRequired));
        let dispute = |entries| ApprovalDecision::Dispute { entries };
        assert_eq!(
            a.decide(&dispute(vec![])),
            Err(ProjectError::NothingDisputed)
        );
        assert_eq!(
            a.decide(&dispute(vec![(others[0].id, "x".into())])),
            Err(ProjectError::UnknownEntry)
        );
        assert_eq!(
            a.decide(&dispute(vec![
                (entries[0].id, "x".into()),
                (entries[0].id, "y".into())
            ])),
            Err(ProjectError::UnknownEntry)
        );
        assert_eq!(
            a.decide(&dispute(vec![(entries[0].id, String::new())])),
            Err(ProjectError::ReasonRequired)
        );
        a.status = ApprovalStatus::Approved;
        assert_eq!(
            a.decide(&ApprovalDecision::Approve),
            Err(ProjectError::AlreadyDecided(ApprovalStatus::Approved))
        );
    }

    #[test]
    fn a_timesheet_takes_only_submittable_entries_of_its_project() {
        let (project, mut entries) = setup(2);
        let (_, others) = setup(1);
        let now = project.created_at;
        assert_eq!(
            TimesheetApproval::new(&project, "W", &[], now),
            Err(ProjectError::EmptyTimesheet)
        );
        assert_eq!(
            TimesheetApproval::new(&project, "W", &others, now),
            Err(ProjectError::UnknownEntry)
        );
        let twice = [entries[0].clone(), entries[0].clone()];
        assert_eq!(
            TimesheetApproval::new(&project, "W", &twice, now),
            Err(ProjectError::UnknownEntry)
        );
        entries[1].approval = EntryApproval::Pending;
        assert_eq!(
            TimesheetApproval::new(&project, "W", &entries, now),
            Err(ProjectError::NotSubmittable)
        );
        entries[1].approval = EntryApproval::Rejected;
        assert!(TimesheetApproval::new(&project, "W", &entries, now).is_ok());
    }
}
