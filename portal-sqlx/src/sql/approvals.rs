//! Timesheet approval statements (T3). Both engines run them as written.

use super::projects::entry_cols;

macro_rules! approval_cols {
    () => {
        "id, org_id, customer_id, project_id, title, entries, total_minutes, status, reason, \
         decided_by, decided_at, viewed_at, created_at, version"
    };
}

pub(crate) const INSERT_APPROVAL: &str = concat!(
    "INSERT INTO portal_approvals (",
    approval_cols!(),
    ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)"
);
pub(crate) const INSERT_APPROVAL_ENTRY: &str = "INSERT INTO portal_approval_entries (approval_id, position, entry_id, org_id) VALUES ($1, $2, $3, $4)";
pub(crate) const SELECT_APPROVAL: &str = concat!(
    "SELECT ",
    approval_cols!(),
    " FROM portal_approvals WHERE org_id = $1 AND id = $2"
);
pub(crate) const SELECT_CUSTOMER_APPROVAL: &str = concat!(
    "SELECT ",
    approval_cols!(),
    " FROM portal_approvals WHERE org_id = $1 AND customer_id = $2 AND id = $3"
);
pub(crate) const APPROVAL_OF_CUSTOMER: &str =
    "SELECT id FROM portal_approvals WHERE org_id = $1 AND customer_id = $2 AND id = $3";
/// The customer's approvals, newest first: `$3..$6` statuses, `$7, $8` the cursor,
/// `$9` the limit.
pub(crate) const CUSTOMER_APPROVALS: &str = concat!(
    "SELECT ",
    approval_cols!(),
    " FROM portal_approvals WHERE org_id = $1 AND customer_id = $2 \
     AND status IN ($3, $4, $5, $6) AND (CAST(0 AS BIGINT), id) < ($7, $8) \
     ORDER BY id DESC LIMIT $9"
);
pub(crate) const APPROVAL_ENTRIES: &str = concat!(
    "SELECT ",
    entry_cols!("e."),
    " FROM portal_approval_entries ae \
     JOIN portal_approvals a ON a.org_id = ae.org_id AND a.id = ae.approval_id \
     JOIN portal_time_entries e ON e.org_id = ae.org_id AND e.id = ae.entry_id \
     WHERE a.org_id = $1 AND a.customer_id = $2 AND a.id = $3 ORDER BY ae.position"
);
pub(crate) const MARK_APPROVAL_VIEWED: &str = concat!(
    "UPDATE portal_approvals SET viewed_at = $4 WHERE org_id = $1 AND customer_id = $2 \
     AND id = $3 AND viewed_at IS NULL RETURNING ",
    approval_cols!()
);
pub(crate) const DECIDE_APPROVAL: &str = concat!(
    "UPDATE portal_approvals SET status = $5, reason = $6, decided_by = $7, decided_at = $8, \
     version = version + 1 WHERE org_id = $1 AND customer_id = $2 AND id = $3 \
     AND version = $4 AND status = 'pending' RETURNING ",
    approval_cols!()
);
