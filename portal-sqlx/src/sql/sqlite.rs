//! The SQLite statements that differ from PostgreSQL's. Write transactions start
//! IMMEDIATE, which takes the database's write lock up front, so no row locks are
//! needed; `MAX` stands for `GREATEST`. `Engine` for SQLite names them; every other
//! statement is in `common`.

use super::common::{email_cols, org_cols};
use super::invoices::invoice_cols;
use super::payments::{attempt_cols, attempt_read_cols};

pub(crate) const LOCK_ORG: &str =
    concat!("SELECT ", org_cols!(), " FROM portal_orgs WHERE id = $1");
pub(crate) const TOUCH_SESSION: &str =
    "UPDATE portal_sessions SET last_seen_at = MAX(last_seen_at, $2) WHERE id = $1 AND org_id = $3";
pub(crate) const CLAIM_EMAILS: &str = concat!(
    "UPDATE portal_outbox SET next_attempt_at = $2 WHERE org_id = $4 AND id IN \
     (SELECT id FROM portal_outbox WHERE org_id = $4 AND status = 'pending' \
     AND next_attempt_at <= $1 ORDER BY next_attempt_at, id LIMIT $3) RETURNING ",
    email_cols!()
);
pub(crate) const LOCK_CUSTOMER_INVOICE: &str = concat!(
    "SELECT ",
    invoice_cols!(),
    " FROM portal_invoices WHERE org_id = $1 AND customer_id = $2 AND id = $3 AND status <> 'draft'"
);
pub(crate) const LOCK_ATTEMPT: &str = concat!(
    "SELECT ",
    attempt_read_cols!(),
    " FROM portal_payment_attempts WHERE org_id = $1 AND customer_id = $2 AND id = $3"
);
