//! Timesheet approvals (SPEC T3): a set of time entries the organization sends the
//! customer, who approves them, rejects them with a reason, or approves part and
//! disputes single entries, each with its own reason.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::ids::{ApprovalId, ContactId, CustomerId, OrgId, ProjectId, TimeEntryId};
use super::project::{ApprovalStatus, EntryApproval, Project, ProjectError, TimeEntry};
use super::text::{limited, single_line};

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
        single_line("timesheet title", title, 1, 200)?;
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
    use crate::domain::project::tests::setup;

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
