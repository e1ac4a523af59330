//! Payment and payment-attempt statements, with the Pay Now reservations (I3–I9). Both engines run them as written.

macro_rules! payment_cols {
    () => {
        "id, org_id, customer_id, receipt_number, currency, amount_minor, unapplied_minor, method, \
         reference, paid_at"
    };
}
macro_rules! attempt_cols {
    () => {
        "id, org_id, customer_id, idempotency_key, fingerprint, currency, amount_minor, invoices, \
         gateway, status, payment_id, failure_code, failure_message, created_at, contact_id"
    };
}

/// The attempt's columns as read: [`attempt_cols`] and what the gateway answered
/// of a pending attempt that is not settled yet.
macro_rules! attempt_read_cols {
    () => {
        concat!(attempt_cols!(), ", stage, gateway_ref, staged_at")
    };
}

pub(crate) use {attempt_cols, attempt_read_cols, payment_cols};

pub(crate) const INSERT_PAYMENT: &str = concat!(
    "INSERT INTO portal_payments (",
    payment_cols!(),
    ", paid_on) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"
);
pub(crate) const INSERT_ALLOCATION: &str = "INSERT INTO portal_payment_allocations \
     (payment_id, invoice_id, org_id, customer_id, position, amount_minor) VALUES ($1, $2, $3, $4, $5, $6)";
/// Payments (`$payments`, of organization `$1`) with their allocations. The
/// allocations are held to `$1` by a bound value too: Citus does not carry the
/// organization from a subquery with a `LIMIT` to the far side of a `LEFT JOIN`,
/// and would read the allocations of every shard.
macro_rules! payment_with_allocations {
    ($payments:literal, $order:literal) => {
        concat!(
            "SELECT p.id, p.org_id, p.customer_id, p.receipt_number, p.currency, p.amount_minor, \
             p.unapplied_minor, p.method, p.reference, p.paid_at, a.invoice_id AS a_invoice_id, \
             a.amount_minor AS a_amount_minor FROM (",
            $payments,
            ") p LEFT JOIN portal_payment_allocations a \
             ON a.org_id = $1 AND a.org_id = p.org_id AND a.payment_id = p.id ORDER BY ",
            $order,
            ", a.position"
        )
    };
}
/// One payment of the customer with its allocations (one row per allocation).
pub(crate) const SELECT_CUSTOMER_PAYMENT: &str = payment_with_allocations!(
    "SELECT * FROM portal_payments WHERE org_id = $1 AND customer_id = $2 AND id = $3",
    "p.id"
);
/// A page of the customer's payments, newest first, with their allocations in the
/// same statement (the join reads only the page's allocations, by primary key).
pub(crate) const SELECT_PAYMENT_PAGE: &str = payment_with_allocations!(
    "SELECT * FROM portal_payments WHERE org_id = $1 AND customer_id = $2 \
     AND (paid_at, id) < ($3, $4) ORDER BY paid_at DESC, id DESC LIMIT $5",
    "p.paid_at DESC, p.id DESC"
);

/// What went to one invoice of the customer: each payment's share (by the
/// allocations' `(org_id, invoice_id)` index) and each credit applied (by the
/// applications' invoice index), oldest first.
pub(crate) const SELECT_INVOICE_APPLICATIONS: &str = "SELECT 'payment' AS source_kind, \
     p.id AS source_id, p.receipt_number AS receipt_number, p.paid_at AS applied_at, a.amount_minor \
     FROM portal_payment_allocations a JOIN portal_payments p ON p.org_id = a.org_id AND p.id = a.payment_id \
     WHERE a.org_id = $1 AND a.invoice_id = $3 AND a.customer_id = $2 \
     UNION ALL SELECT c.source_kind, c.source_id, NULL, c.applied_at, c.amount_minor \
     FROM portal_credit_applications c WHERE c.org_id = $1 AND c.invoice_id = $3 AND c.customer_id = $2 \
     ORDER BY 4, 2";

/// The attempt's fifteen columns and `$16`, its holds (a JSON array of
/// `{"invoice_id", "amount_minor"}`: what it reserves on each invoice).
pub(crate) const INSERT_ATTEMPT: &str = concat!(
    "INSERT INTO portal_payment_attempts (",
    attempt_cols!(),
    ", holds) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) \
     ON CONFLICT (org_id, idempotency_key) DO NOTHING"
);
pub(crate) const SELECT_ATTEMPT_BY_KEY: &str = concat!(
    "SELECT ",
    attempt_read_cols!(),
    " FROM portal_payment_attempts WHERE org_id = $1 AND idempotency_key = $2"
);
/// Attempts are found by their primary key only: `status IS NOT DISTINCT FROM
/// 'pending'` (the same for a NOT NULL column) lets no plan read the partial
/// `portal_payment_attempts_pending` index (`created_at, id`) for an `id`. That
/// index keeps an entry for every attempt that was pending until a vacuum, so
/// reading it whole, as a generic plan did when the table was analyzed with few
/// pending attempts, costs more with every payment.
pub(crate) const FAIL_ATTEMPT: &str = "UPDATE portal_payment_attempts SET status = 'failed', \
     failure_code = $3, failure_message = $4 WHERE org_id = $1 AND id = $2 \
     AND status IS NOT DISTINCT FROM 'pending'";
/// Moves a pending attempt forward to stage `$3` (none, then `requires_action`,
/// then `processing`; never back), with the gateway's payment id and the time.
/// No row: not pending, no such attempt, or already at or past the stage.
pub(crate) const STAGE_ATTEMPT: &str = "UPDATE portal_payment_attempts \
     SET stage = $3, gateway_ref = $4, staged_at = $5 WHERE org_id = $1 AND id = $2 \
     AND status IS NOT DISTINCT FROM 'pending' \
     AND (stage IS NULL OR (stage = 'requires_action' AND $3 = 'processing'))";
/// The customer's pending attempts the gateway answered "not yet" for, newest
/// first (the partial index `portal_payment_attempts_customer_staged`).
pub(crate) const SELECT_CUSTOMER_STAGED: &str = concat!(
    "SELECT ",
    attempt_read_cols!(),
    " FROM portal_payment_attempts WHERE org_id = $1 AND customer_id = $2 \
     AND status = 'pending' AND stage IS NOT NULL ORDER BY created_at DESC, id DESC"
);
pub(crate) const ATTEMPT_EXISTS: &str =
    "SELECT status FROM portal_payment_attempts WHERE org_id = $1 AND id = $2";
/// By primary key only, as [`FAIL_ATTEMPT`].
pub(crate) const SUCCEED_ATTEMPT: &str = "UPDATE portal_payment_attempts SET status = 'succeeded', \
     payment_id = $2 WHERE id = $1 AND status IS NOT DISTINCT FROM 'pending' AND org_id = $3";
/// Stores what an attempt of several invoices holds on each, once reserved.
pub(crate) const SET_HOLDS: &str =
    "UPDATE portal_payment_attempts SET holds = $3 WHERE org_id = $1 AND id = $2";
/// Adds to what pending attempts hold on an invoice (the slow path, under its lock)
/// and bumps its version, as every reservation does: an update of the invoice read
/// before it (a void) then fails instead of voiding what is being paid.
pub(crate) const ADD_RESERVED: &str = "UPDATE portal_invoices \
     SET reserved_minor = reserved_minor + $3, version = version + 1 WHERE org_id = $1 AND id = $2";
/// Gives back what a released reservation held on an invoice.
pub(crate) const SUBTRACT_RESERVED: &str = "UPDATE portal_invoices \
     SET reserved_minor = reserved_minor - $3 WHERE org_id = $1 AND id = $2";
// Pay Now on one invoice reserves and settles in each engine's one call
// (`START_ONE` and `RECORD_ONE` in `postgres` and `sqlite`), bumping the
// invoice's version as `ADD_RESERVED` does. Both find the invoice by its primary
// key only: the customer is checked with `IS NOT DISTINCT FROM` (the same for a
// NOT NULL column, but not a condition an index can serve). With `customer_id =
// $2`, PostgreSQL's generic plan (a prepared statement's plan from its sixth run
// on) estimates a customer at the store's average size and may scan a big
// customer's open invoices through `portal_invoices_open` to find the one row,
// while other payments wait for it.

/// What an attempt holds on each invoice, read by the transaction that changes it
/// from pending (so under its row lock, or SQLite's write lock).
pub(crate) const SELECT_HOLDS: &str =
    "SELECT holds FROM portal_payment_attempts WHERE org_id = $1 AND id = $2";
pub(crate) const SELECT_PENDING_ATTEMPTS: &str = concat!(
    "SELECT ",
    attempt_read_cols!(),
    " FROM portal_payment_attempts WHERE status = 'pending' AND created_at < $1 \
     ORDER BY created_at, id LIMIT $2"
);
