//! The account read model: dashboard, turnover and the statement of account (H1,
//! D1), computed by the database. The statement of account is one statement on
//! PostgreSQL (`STATEMENT`) and its three parts in one read transaction on SQLite
//! (`STATEMENT_OPENING`, `STATEMENT_ENTRIES`, `STATEMENT_AGING`), which runs the
//! parts faster than their compound; the others are one statement each, run by
//! both engines as written.

/// The portal home's figures in one statement, computed by the database. The
/// customer's open invoices are read once, through the partial index of open
/// invoices (`FILTER` sums: outstanding, overdue, retainers due, held by payments
/// in flight; what payments in flight hold is read from the invoice's row, as it
/// is not indexed on purpose: an index on it would end the in-place update of
/// every Pay Now reservation); the open credit notes, the unapplied payments, the
/// undrawn retainers, the last payment and the quotes awaiting each from a small
/// index of their own. The cost follows what the customer has open, not its
/// history or the store. `currency` is NULL when the customer is not the
/// organization's.
pub(crate) const DASHBOARD: &str = "SELECT \
     (SELECT currency FROM portal_customers WHERE org_id = $1 AND id = $2) AS currency, \
     o.outstanding_invoices, o.overdue_invoices, \
     o.outstanding_retainers, o.payments_pending, \
     (SELECT CAST(COALESCE(SUM(balance_minor), 0) AS BIGINT) FROM portal_credit_notes \
        WHERE org_id = $1 AND customer_id = $2 AND balance_minor > 0) AS credit_notes, \
     (SELECT CAST(COALESCE(SUM(unapplied_minor), 0) AS BIGINT) FROM portal_payments \
        WHERE org_id = $1 AND customer_id = $2 AND unapplied_minor > 0) AS unapplied_payments, \
     (SELECT CAST(COALESCE(SUM(paid_minor - retainer_drawn_minor), 0) AS BIGINT) FROM portal_invoices \
        WHERE org_id = $1 AND customer_id = $2 AND kind = 'retainer' \
        AND paid_minor > retainer_drawn_minor) AS retainer_payments, \
     l.amount_minor AS last_amount, l.paid_at AS last_paid_at, \
     (SELECT COUNT(*) FROM portal_quotes WHERE org_id = $1 AND customer_id = $2 \
        AND status = 'sent' AND expiry_date >= $3) AS quotes_awaiting \
     FROM (SELECT \
        CAST(COALESCE(SUM(balance_minor) FILTER (WHERE kind = 'invoice'), 0) AS BIGINT) AS outstanding_invoices, \
        CAST(COALESCE(SUM(balance_minor) FILTER (WHERE kind = 'invoice' AND due_date < $3), 0) AS BIGINT) \
           AS overdue_invoices, \
        CAST(COALESCE(SUM(balance_minor) FILTER (WHERE kind = 'retainer'), 0) AS BIGINT) AS outstanding_retainers, \
        CAST(COALESCE(SUM(reserved_minor), 0) AS BIGINT) AS payments_pending \
        FROM portal_invoices WHERE org_id = $1 AND customer_id = $2 \
        AND status IN ('sent', 'partially_paid')) o \
     LEFT JOIN (SELECT amount_minor, paid_at FROM portal_payments WHERE org_id = $1 AND customer_id = $2 \
        ORDER BY paid_at DESC, id DESC LIMIT 1) l ON 1 = 1";

pub(crate) const CUSTOMER_TURNOVER: &str = "SELECT c.currency, \
     (SELECT CAST(COALESCE(SUM(total_minor), 0) AS BIGINT) FROM portal_invoices \
        WHERE org_id = $1 AND customer_id = $2) AS invoices, \
     (SELECT CAST(COALESCE(SUM(amount_minor), 0) AS BIGINT) FROM portal_payments \
        WHERE org_id = $1 AND customer_id = $2) AS payments, \
     (SELECT CAST(COALESCE(SUM(total_minor), 0) AS BIGINT) FROM portal_credit_notes \
        WHERE org_id = $1 AND customer_id = $2) AS credit_notes, \
     (SELECT CAST(COALESCE(SUM(amount_minor), 0) AS BIGINT) FROM portal_refunds \
        WHERE org_id = $1 AND customer_id = $2) AS refunds \
     FROM portal_customers c WHERE c.org_id = $1 AND c.id = $2";

// The statement of account from day `$3` to day `$4` (inclusive), as rows of
// three parts with one layout (part, day, kind_order, id, number, amount_minor,
// then aging's four buckets past due), in order:
// - part 0, one row: the customer's currency (in `number`) and the opening
//   balance, what was owed before `$3` (in `amount_minor`); none if the
//   customer is not the organization's;
// - part 1: every invoice, credit note, payment and refund of the range by day
//   (`kind_order` 1 to 4), with its signed amount; the running balance is
//   summed as the rows are read;
// - part 2, one row: aging at the end of `to`, what each regular invoice still
//   owed then (its total less the payments and credit applied by then),
//   bucketed by days past due: current in `amount_minor`, then the four
//   buckets. The invoices, the payments' allocations and the credit
//   applications are read once each, as signed parts summed per invoice in one
//   aggregation (no per-invoice lookups, and no join whose plan depends on row
//   estimates: a customer far above the average made PostgreSQL loop over an
//   aggregate); `HAVING COUNT(due_date) = 1` keeps the invoices of the first
//   part only.
// Every read is a range of a covering index by customer and day
// (`…_statement_covering_indexes.sql`), so its cost follows the customer's
// history, not the store.
macro_rules! statement_opening {
    () => {
        "SELECT CAST(0 AS BIGINT) AS part, CAST(0 AS BIGINT) AS day, \
     CAST(0 AS BIGINT) AS kind_order, NULL AS id, c.currency AS number, \
     (SELECT CAST(COALESCE(SUM(total_minor), 0) AS BIGINT) FROM portal_invoices \
        WHERE org_id = $1 AND customer_id = $2 AND kind = 'invoice' \
        AND status NOT IN ('draft', 'void') AND issue_date < $3) \
   - (SELECT CAST(COALESCE(SUM(total_minor), 0) AS BIGINT) FROM portal_credit_notes \
        WHERE org_id = $1 AND customer_id = $2 AND issue_date < $3) \
   - (SELECT CAST(COALESCE(SUM(amount_minor), 0) AS BIGINT) FROM portal_payments \
        WHERE org_id = $1 AND customer_id = $2 AND paid_on < $3) \
   + (SELECT CAST(COALESCE(SUM(amount_minor), 0) AS BIGINT) FROM portal_refunds \
        WHERE org_id = $1 AND customer_id = $2 AND refunded_on < $3) AS amount_minor, \
     CAST(0 AS BIGINT) AS d1_30, CAST(0 AS BIGINT) AS d31_60, CAST(0 AS BIGINT) AS d61_90, \
     CAST(0 AS BIGINT) AS over_90 \
     FROM portal_customers c WHERE c.org_id = $1 AND c.id = $2"
    };
}
/// Part 1, each row starting with `$first` and ending with `$tail`.
macro_rules! statement_entries {
    ($first:literal, $tail:literal) => {
        concat!(
            "SELECT ",
            $first,
            "issue_date, 1, id, number, total_minor",
            $tail,
            " FROM portal_invoices \
        WHERE org_id = $1 AND customer_id = $2 AND kind = 'invoice' \
        AND status NOT IN ('draft', 'void') AND issue_date BETWEEN $3 AND $4 \
     UNION ALL SELECT 1, issue_date, 2, id, number, -total_minor",
            $tail,
            " FROM portal_credit_notes \
        WHERE org_id = $1 AND customer_id = $2 AND issue_date BETWEEN $3 AND $4 \
     UNION ALL SELECT 1, paid_on, 3, id, receipt_number, -amount_minor",
            $tail,
            " FROM portal_payments \
        WHERE org_id = $1 AND customer_id = $2 AND paid_on BETWEEN $3 AND $4 \
     UNION ALL SELECT 1, refunded_on, 4, id, mode, amount_minor",
            $tail,
            " FROM portal_refunds \
        WHERE org_id = $1 AND customer_id = $2 AND refunded_on BETWEEN $3 AND $4"
        )
    };
}
/// Aging at the end of day `$to`.
macro_rules! statement_aging {
    ($to:literal) => {
        concat!(
            "SELECT 2, 0, 0, NULL, NULL, \
     CAST(COALESCE(SUM(CASE WHEN ", $to, " - due_date <= 0 THEN open_minor ELSE 0 END), 0) AS BIGINT), \
     CAST(COALESCE(SUM(CASE WHEN ", $to, " - due_date BETWEEN 1 AND 30 THEN open_minor ELSE 0 END), 0) AS BIGINT), \
     CAST(COALESCE(SUM(CASE WHEN ", $to, " - due_date BETWEEN 31 AND 60 THEN open_minor ELSE 0 END), 0) AS BIGINT), \
     CAST(COALESCE(SUM(CASE WHEN ", $to, " - due_date BETWEEN 61 AND 90 THEN open_minor ELSE 0 END), 0) AS BIGINT), \
     CAST(COALESCE(SUM(CASE WHEN ", $to, " - due_date > 90 THEN open_minor ELSE 0 END), 0) AS BIGINT) \
     FROM (SELECT MAX(due_date) AS due_date, SUM(part_minor) AS open_minor FROM ( \
        SELECT id AS invoice_id, due_date, total_minor AS part_minor FROM portal_invoices \
           WHERE org_id = $1 AND customer_id = $2 AND kind = 'invoice' \
           AND status NOT IN ('draft', 'void') AND issue_date <= ", $to, " \
        UNION ALL SELECT a.invoice_id, NULL, -a.amount_minor \
           FROM portal_payment_allocations a JOIN portal_payments p ON p.org_id = a.org_id AND p.id = a.payment_id \
           WHERE a.org_id = $1 AND a.customer_id = $2 \
           AND p.org_id = $1 AND p.customer_id = $2 AND p.paid_on <= ", $to, " \
        UNION ALL SELECT invoice_id, NULL, -amount_minor FROM portal_credit_applications \
           WHERE org_id = $1 AND customer_id = $2 AND applied_on <= ", $to, " \
        ) parts GROUP BY invoice_id HAVING COUNT(due_date) = 1) open_invoices"
        )
    };
}

/// The statement of account (see the parts above) in one statement: one round
/// trip (PostgreSQL).
pub(crate) const STATEMENT: &str = concat!(
    statement_opening!(),
    " UNION ALL ",
    statement_entries!("1, ", ", 0, 0, 0, 0"),
    " UNION ALL ",
    statement_aging!("$4"),
    " ORDER BY part, day, kind_order, id"
);
/// The statement of account as three statements, the parts above in turn, each
/// bound to (org, customer, from, to) with the parameters it reads (SQLite, in
/// process: a round trip costs nothing there, and SQLite ran the one statement
/// 1.2x slower than its parts, sorting the whole compound).
pub(crate) const STATEMENT_OPENING: &str = statement_opening!();
/// Part 1 of the statement, in order, without aging's columns.
pub(crate) const STATEMENT_ENTRIES: &str = concat!(
    "SELECT * FROM (",
    statement_entries!("CAST(1 AS BIGINT) AS part, ", ""),
    ") entries ORDER BY 2, 3, 4"
);
/// Part 2 of the statement, to the end of `$3`.
pub(crate) const STATEMENT_AGING: &str = statement_aging!("$3");
