//! The PostgreSQL statements that differ from SQLite's: row locks, `GREATEST` and
//! `SKIP LOCKED`. `Engine` for PostgreSQL names them; every other statement is in
//! `common`.

use super::activity::activity_cols;
use super::common::{email_cols, org_cols};
use super::invoices::invoice_cols;
use super::payments::{attempt_cols, attempt_read_cols, payment_cols};

pub(crate) const LOCK_ORG: &str = concat!(
    "SELECT ",
    org_cols!(),
    " FROM portal_orgs WHERE id = $1 FOR UPDATE"
);
pub(crate) const TOUCH_SESSION: &str = "UPDATE portal_sessions SET last_seen_at = GREATEST(last_seen_at, $2) \
     WHERE id = $1 AND org_id = $3";
/// Claims up to `$3` of organization `$4`'s due emails (due at `$1`) until `$2`.
/// Within one organization, so that the row locks stay on one shard of a store
/// distributed by organization (Citus refuses a `FOR UPDATE` across shards).
pub(crate) const CLAIM_EMAILS: &str = concat!(
    "WITH due AS (SELECT id AS due_id FROM portal_outbox WHERE org_id = $4 \
     AND status = 'pending' AND next_attempt_at <= $1 ORDER BY next_attempt_at, id LIMIT $3 \
     FOR UPDATE SKIP LOCKED) \
     UPDATE portal_outbox SET next_attempt_at = $2 FROM due WHERE org_id = $4 AND id = due_id \
     RETURNING ",
    email_cols!()
);
pub(crate) const LOCK_CUSTOMER_INVOICE: &str = concat!(
    "SELECT ",
    invoice_cols!(),
    " FROM portal_invoices WHERE org_id = $1 AND customer_id = $2 AND id = $3 AND status <> 'draft' FOR UPDATE"
);
pub(crate) const LOCK_ATTEMPT: &str = concat!(
    "SELECT ",
    attempt_read_cols!(),
    " FROM portal_payment_attempts WHERE org_id = $1 AND customer_id = $2 AND id = $3 FOR UPDATE"
);

/// Starts a Pay Now attempt on one invoice in one statement, committed on its own:
/// reserves `$7` of invoice `$17` if that much is neither paid nor held (the
/// invoice's primary key only, see `payments`), then stores the attempt with its
/// holds (`$1`–`$16`, as `INSERT_ATTEMPT`). The invoice's row lock lasts for this
/// statement alone, with no round trip to the app while it is held. No row: the
/// invoice could not be reserved and nothing changed. A unique violation on
/// `portal_payment_attempts_key`: the key is taken, and nothing changed either.
pub(crate) const START_ONE: &str = concat!(
    "WITH invoice AS (UPDATE portal_invoices SET reserved_minor = reserved_minor + $7, \
     version = version + 1 WHERE id = $17 AND org_id = $2 AND customer_id IS NOT DISTINCT FROM $3 \
     AND status IN ('sent', 'partially_paid') AND balance_minor - reserved_minor >= $7 \
     RETURNING id) \
     INSERT INTO portal_payment_attempts (",
    attempt_cols!(),
    ", holds) SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16 \
     FROM invoice RETURNING id"
);

/// Records a Pay Now payment of one invoice in one statement, committed on its own:
/// marks attempt `$4` succeeded if it is pending and the customer is live and pays
/// in `$7`; gives back what it held; settles `$8` on invoice `$3` (by primary key)
/// if the attempt qualified, the invoice still owes that much, and the attempt held
/// nothing elsewhere (every part but the attempt reads the attempt's row, so that
/// nothing changes without it: a data-modifying part runs even when unread); stores the
/// payment (`$5`, `$6`, `$9`–`$12`), its allocation, the emails (`$13`, a JSON array
/// of outbox rows, times as RFC 3339) and the activity (`$14`, likewise). One row:
/// recorded. No row: the attempt or the customer did not qualify and nothing
/// changed. When the attempt qualified but the invoice did not, the allocation has
/// no invoice and its NOT NULL violation undoes the whole statement. Either way,
/// the general path records the payment or says why not.
pub(crate) const RECORD_ONE: &str = concat!(
    "WITH attempt AS (UPDATE portal_payment_attempts SET status = 'succeeded', payment_id = $5 \
     WHERE id = $4 AND org_id = $1 AND customer_id = $2 AND status IS NOT DISTINCT FROM 'pending' \
     AND EXISTS (SELECT 1 FROM portal_customers WHERE org_id = $1 AND id = $2 \
     AND deleted_at IS NULL AND currency = $7) RETURNING id, holds), \
     released AS (SELECT h.invoice_id, h.amount_minor FROM attempt, \
     jsonb_to_recordset(attempt.holds) AS h(invoice_id uuid, amount_minor bigint)), \
     invoice AS (UPDATE portal_invoices SET paid_minor = paid_minor + $8, \
     balance_minor = balance_minor - $8, \
     reserved_minor = reserved_minor - (SELECT COALESCE(SUM(amount_minor), 0) FROM released), \
     status = CASE WHEN balance_minor = $8 THEN 'paid' ELSE 'partially_paid' END, \
     version = version + 1 \
     WHERE id = $3 AND org_id = $1 AND customer_id IS NOT DISTINCT FROM $2 \
     AND status IN ('sent', 'partially_paid') AND balance_minor >= $8 \
     AND reserved_minor >= (SELECT COALESCE(SUM(amount_minor), 0) FROM released) \
     AND NOT EXISTS (SELECT 1 FROM released WHERE invoice_id <> $3) \
     AND EXISTS (SELECT 1 FROM attempt) RETURNING id), \
     payment AS (INSERT INTO portal_payments (",
    payment_cols!(),
    ", paid_on) SELECT $5, $1, $2, $6, $7, $8, 0, $9, $10, $11, $12 FROM attempt RETURNING id), \
     allocation AS (INSERT INTO portal_payment_allocations \
     (payment_id, invoice_id, org_id, customer_id, position, amount_minor) \
     SELECT id, (SELECT id FROM invoice), $1, $2, 0, $8 FROM payment), \
     email AS (INSERT INTO portal_outbox (",
    email_cols!(),
    ") SELECT e.id, e.org_id, e.kind, e.recipient, e.subject, e.body, e.status, e.attempts, \
     e.next_attempt_at, e.last_error, e.created_at, e.sent_at, e.attachment \
     FROM attempt, jsonb_to_recordset($13) AS e(id uuid, org_id uuid, kind text, recipient text, \
     subject text, body text, status text, attempts bigint, next_attempt_at timestamptz, \
     last_error text, created_at timestamptz, sent_at timestamptz, attachment jsonb)), \
     activity AS (INSERT INTO portal_activity (",
    activity_cols!(),
    ") SELECT a.id, a.org_id, a.customer_id, a.contact_id, a.event, a.subject_kind, a.subject_id, \
     a.summary, a.at \
     FROM attempt, jsonb_to_recordset($14) AS a(id uuid, org_id uuid, customer_id uuid, \
     contact_id uuid, event text, subject_kind text, subject_id uuid, summary text, at timestamptz)) \
     SELECT id FROM attempt"
);
