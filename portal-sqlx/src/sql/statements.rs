//! The account read model: dashboard, turnover and the statement of account (H1, D1), each one statement computed by the database. Both engines run them as written.

/// The home page's figures in one statement: every sum is computed by the database.
/// The portal home's figures in one statement. Each figure reads one partial index
/// (`migrations/*/…_open_document_indexes.sql`) of the customer's open documents,
/// so the cost follows what the customer has open, not its history or the store.
pub(crate) const DASHBOARD: &str = "SELECT c.currency, \
     (SELECT CAST(COALESCE(SUM(balance_minor), 0) AS BIGINT) FROM portal_invoices \
        WHERE org_id = $1 AND customer_id = $2 AND kind = 'invoice' \
        AND status IN ('sent', 'partially_paid')) AS outstanding_invoices, \
     (SELECT CAST(COALESCE(SUM(balance_minor), 0) AS BIGINT) FROM portal_invoices \
        WHERE org_id = $1 AND customer_id = $2 AND kind = 'invoice' \
        AND status IN ('sent', 'partially_paid') AND due_date < $3) AS overdue_invoices, \
     (SELECT CAST(COALESCE(SUM(balance_minor), 0) AS BIGINT) FROM portal_invoices \
        WHERE org_id = $1 AND customer_id = $2 AND kind = 'retainer' \
        AND status IN ('sent', 'partially_paid')) AS outstanding_retainers, \
     (SELECT CAST(COALESCE(SUM(reserved_minor), 0) AS BIGINT) FROM portal_invoices \
        WHERE org_id = $1 AND customer_id = $2 \
        AND status IN ('sent', 'partially_paid') AND reserved_minor > 0) AS payments_pending, \
     (SELECT CAST(COALESCE(SUM(balance_minor), 0) AS BIGINT) FROM portal_credit_notes \
        WHERE org_id = $1 AND customer_id = $2 AND balance_minor > 0) AS credit_notes, \
     (SELECT CAST(COALESCE(SUM(unapplied_minor), 0) AS BIGINT) FROM portal_payments \
        WHERE org_id = $1 AND customer_id = $2 AND unapplied_minor > 0) AS unapplied_payments, \
     (SELECT CAST(COALESCE(SUM(paid_minor - retainer_drawn_minor), 0) AS BIGINT) FROM portal_invoices \
        WHERE org_id = $1 AND customer_id = $2 AND kind = 'retainer' \
        AND paid_minor > retainer_drawn_minor) AS retainer_payments, \
     (SELECT amount_minor FROM portal_payments WHERE org_id = $1 AND customer_id = $2 \
        ORDER BY paid_at DESC, id DESC LIMIT 1) AS last_amount, \
     (SELECT paid_at FROM portal_payments WHERE org_id = $1 AND customer_id = $2 \
        ORDER BY paid_at DESC, id DESC LIMIT 1) AS last_paid_at, \
     (SELECT COUNT(*) FROM portal_quotes WHERE org_id = $1 AND customer_id = $2 \
        AND status = 'sent' AND expiry_date >= $3) AS quotes_awaiting \
     FROM portal_customers c WHERE c.org_id = $1 AND c.id = $2";

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

/// Statement of account: the opening balance before `$3` (days), in one statement.
pub(crate) const STATEMENT_OPENING: &str = "SELECT c.currency, \
     (SELECT CAST(COALESCE(SUM(total_minor), 0) AS BIGINT) FROM portal_invoices \
        WHERE org_id = $1 AND customer_id = $2 AND kind = 'invoice' \
        AND status NOT IN ('draft', 'void') AND issue_date < $3) \
   - (SELECT CAST(COALESCE(SUM(total_minor), 0) AS BIGINT) FROM portal_credit_notes \
        WHERE org_id = $1 AND customer_id = $2 AND issue_date < $3) \
   - (SELECT CAST(COALESCE(SUM(amount_minor), 0) AS BIGINT) FROM portal_payments \
        WHERE org_id = $1 AND customer_id = $2 AND paid_on < $3) \
   + (SELECT CAST(COALESCE(SUM(amount_minor), 0) AS BIGINT) FROM portal_refunds \
        WHERE org_id = $1 AND customer_id = $2 AND refunded_on < $3) AS opening_minor \
     FROM portal_customers c WHERE c.org_id = $1 AND c.id = $2";

/// Statement of account: every entry from `$3` to `$4` (days, inclusive) in order,
/// with the running sum of the range computed by the database.
pub(crate) const STATEMENT_ENTRIES: &str = "SELECT day, kind_order, id, number, amount_minor, \
     CAST(SUM(amount_minor) OVER (ORDER BY day, kind_order, id \
        ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS BIGINT) AS running_minor FROM ( \
     SELECT issue_date AS day, CAST(1 AS BIGINT) AS kind_order, id, number, total_minor AS amount_minor \
        FROM portal_invoices WHERE org_id = $1 AND customer_id = $2 AND kind = 'invoice' \
        AND status NOT IN ('draft', 'void') AND issue_date BETWEEN $3 AND $4 \
     UNION ALL SELECT issue_date, CAST(2 AS BIGINT), id, number, -total_minor FROM portal_credit_notes \
        WHERE org_id = $1 AND customer_id = $2 AND issue_date BETWEEN $3 AND $4 \
     UNION ALL SELECT paid_on, CAST(3 AS BIGINT), id, receipt_number, -amount_minor FROM portal_payments \
        WHERE org_id = $1 AND customer_id = $2 AND paid_on BETWEEN $3 AND $4 \
     UNION ALL SELECT refunded_on, CAST(4 AS BIGINT), id, mode, amount_minor FROM portal_refunds \
        WHERE org_id = $1 AND customer_id = $2 AND refunded_on BETWEEN $3 AND $4 \
     ) entries ORDER BY day, kind_order, id";

/// Statement of account: what each regular invoice still owed at the end of day `$3`,
/// bucketed by days past due.
/// What each regular invoice still owed at the end of day `$3`, bucketed by days
/// past due: its total less the payments and credit applied by then. The invoices,
/// the payments' allocations and the credit applications of the customer are read
/// once each, as signed parts, and summed per invoice in one aggregation: no
/// per-invoice lookups, and no join whose plan depends on row estimates (a
/// customer far above the average made PostgreSQL loop over an aggregate).
/// `HAVING COUNT(due_date) = 1` keeps the invoices of the first part only.
pub(crate) const STATEMENT_AGING: &str = "SELECT \
     CAST(COALESCE(SUM(CASE WHEN $3 - due_date <= 0 THEN open_minor ELSE 0 END), 0) AS BIGINT) AS current_minor, \
     CAST(COALESCE(SUM(CASE WHEN $3 - due_date BETWEEN 1 AND 30 THEN open_minor ELSE 0 END), 0) AS BIGINT) AS d1_30, \
     CAST(COALESCE(SUM(CASE WHEN $3 - due_date BETWEEN 31 AND 60 THEN open_minor ELSE 0 END), 0) AS BIGINT) AS d31_60, \
     CAST(COALESCE(SUM(CASE WHEN $3 - due_date BETWEEN 61 AND 90 THEN open_minor ELSE 0 END), 0) AS BIGINT) AS d61_90, \
     CAST(COALESCE(SUM(CASE WHEN $3 - due_date > 90 THEN open_minor ELSE 0 END), 0) AS BIGINT) AS over_90 \
     FROM (SELECT MAX(due_date) AS due_date, SUM(part_minor) AS open_minor FROM ( \
        SELECT id AS invoice_id, due_date, total_minor AS part_minor FROM portal_invoices \
           WHERE org_id = $1 AND customer_id = $2 AND kind = 'invoice' \
           AND status NOT IN ('draft', 'void') AND issue_date <= $3 \
        UNION ALL SELECT a.invoice_id, NULL, -a.amount_minor \
           FROM portal_payment_allocations a JOIN portal_payments p ON p.org_id = a.org_id AND p.id = a.payment_id \
           WHERE a.org_id = $1 AND a.customer_id = $2 \
           AND p.org_id = $1 AND p.customer_id = $2 AND p.paid_on <= $3 \
        UNION ALL SELECT invoice_id, NULL, -amount_minor FROM portal_credit_applications \
           WHERE org_id = $1 AND customer_id = $2 AND applied_on <= $3 \
        ) parts GROUP BY invoice_id HAVING COUNT(due_date) = 1) open_invoices";
