//! Project, task and time entry statements (T1, T2). Both engines run them as written.

macro_rules! project_cols {
    () => {
        "id, org_id, customer_id, name, description, status, created_at, version"
    };
}
macro_rules! entry_cols {
    ($p:literal) => {
        concat!(
            $p,
            "id, ",
            $p,
            "org_id, ",
            $p,
            "customer_id, ",
            $p,
            "project_id, ",
            $p,
            "task_id, ",
            $p,
            "billable, ",
            $p,
            "work_date, ",
            $p,
            "minutes, ",
            $p,
            "note, ",
            $p,
            "approval, ",
            $p,
            "dispute_reason, ",
            $p,
            "invoice_id, ",
            $p,
            "created_at"
        )
    };
}
pub(crate) use entry_cols;

pub(crate) const INSERT_PROJECT: &str = concat!(
    "INSERT INTO portal_projects (",
    project_cols!(),
    ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
);
pub(crate) const SELECT_PROJECT: &str = concat!(
    "SELECT ",
    project_cols!(),
    " FROM portal_projects WHERE org_id = $1 AND id = $2"
);
pub(crate) const SELECT_CUSTOMER_PROJECT: &str = concat!(
    "SELECT ",
    project_cols!(),
    " FROM portal_projects WHERE org_id = $1 AND customer_id = $2 AND id = $3"
);
pub(crate) const UPDATE_PROJECT: &str = concat!(
    "UPDATE portal_projects SET name = $4, description = $5, status = $6, version = version + 1 \
     WHERE org_id = $1 AND id = $2 AND version = $3 RETURNING ",
    project_cols!()
);
/// The customer's active projects, newest first: `$3, $4` the cursor, `$5` the limit.
pub(crate) const CUSTOMER_PROJECTS: &str = concat!(
    "SELECT ",
    project_cols!(),
    " FROM portal_projects WHERE org_id = $1 AND customer_id = $2 AND status = 'active' \
     AND (CAST(0 AS BIGINT), id) < ($3, $4) ORDER BY id DESC LIMIT $5"
);
pub(crate) const PROJECT_OF_CUSTOMER: &str =
    "SELECT id FROM portal_projects WHERE org_id = $1 AND customer_id = $2 AND id = $3";

pub(crate) const INSERT_TASK: &str =
    "INSERT INTO portal_tasks (id, org_id, project_id, name, billable) VALUES ($1, $2, $3, $4, $5)";
pub(crate) const SELECT_TASK: &str =
    "SELECT id, org_id, project_id, name, billable FROM portal_tasks WHERE org_id = $1 AND id = $2";
/// The project's billable tasks with their minutes: logged, and billed.
pub(crate) const PROJECT_TASK_HOURS: &str = "SELECT t.id, t.org_id, t.project_id, t.name, t.billable, \
     CAST(COALESCE(SUM(e.minutes), 0) AS BIGINT) AS logged, \
     CAST(COALESCE(SUM(CASE WHEN e.invoice_id IS NOT NULL THEN e.minutes ELSE 0 END), 0) AS BIGINT) AS billed \
     FROM portal_tasks t JOIN portal_projects p ON p.org_id = t.org_id AND p.id = t.project_id \
     LEFT JOIN portal_time_entries e ON e.org_id = $1 AND e.org_id = t.org_id AND e.task_id = t.id \
     WHERE p.org_id = $1 AND p.customer_id = $2 AND p.id = $3 AND t.billable \
     GROUP BY t.id, t.org_id, t.project_id, t.name, t.billable ORDER BY t.name, t.id";

pub(crate) const TASK_OF_PROJECT: &str = "SELECT t.id FROM portal_tasks t JOIN portal_projects p \
     ON p.org_id = t.org_id AND p.id = t.project_id WHERE t.org_id = $1 AND t.id = $2 AND p.id = $3 AND p.customer_id = $4";
pub(crate) const INSERT_TIME_ENTRY: &str = concat!(
    "INSERT INTO portal_time_entries (",
    entry_cols!(""),
    ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)"
);
pub(crate) const SELECT_TIME_ENTRY: &str = concat!(
    "SELECT ",
    entry_cols!(""),
    " FROM portal_time_entries WHERE org_id = $1 AND id = $2"
);
/// The project's billable entries, newest day first: `$4, $5` the cursor, `$6` the
/// limit.
pub(crate) const PROJECT_TIME_ENTRIES: &str = concat!(
    "SELECT ",
    entry_cols!(""),
    " FROM portal_time_entries WHERE org_id = $1 AND customer_id = $2 AND project_id = $3 \
     AND billable AND (work_date, id) < ($4, $5) ORDER BY work_date DESC, id DESC LIMIT $6"
);
pub(crate) const SUBMIT_ENTRY: &str = "UPDATE portal_time_entries SET approval = 'pending', \
     dispute_reason = NULL WHERE org_id = $1 AND project_id = $2 AND id = $3 \
     AND approval IN ('unsubmitted', 'rejected') AND invoice_id IS NULL";
pub(crate) const SET_ENTRY_OUTCOME: &str = "UPDATE portal_time_entries SET approval = $3, \
     dispute_reason = $4 WHERE org_id = $1 AND id = $2 AND approval = 'pending'";
pub(crate) const INVOICE_CUSTOMER: &str =
    "SELECT customer_id FROM portal_invoices WHERE org_id = $1 AND id = $2";
pub(crate) const BILL_ENTRY: &str = "UPDATE portal_time_entries SET invoice_id = $3 \
     WHERE org_id = $1 AND id = $2 AND customer_id = $4 AND billable \
     AND approval = 'approved' AND invoice_id IS NULL";
