//! The account read model: dashboard, turnover and the statement of account (A1, S3), each one statement computed by the database. Both engines run them as written.

/// The home page's figures in one statement: every sum is computed by the database.
pub(crate) const DASHBOARD: &str = "SELECT c.currency, \
     (SELECT CAST(COALESCE(SUM(balance_minor), 0) AS BIGINT) FROM portal_invoices \
        WHERE org_id = $1 AND customer_id = $2 AND kind = 'invoice' \
        AND status IN ('sent', 'partially_paid')) AS outstanding_invoices, \
     (SELECT CAST(COALESCE(SUM(balance_minor), 0) AS BIGINT) FROM portal_invoices \
        WHERE org_id = $1 AND customer_id = $2 AND kind = 'invoice' \
        AND status IN ('sent', 'partially_paid') AND due_date < $3) AS overdue_invoices, \
     (SELECT CAST(COALESCE(SUM(balance_minor), 0) AS BIGINT) FROM portal_credit_notes \
        WHERE org_id = $1 AND customer_id = $2) AS credit_notes, \
     (SELECT CAST(COALESCE(SUM(unapplied_minor), 0) AS BIGINT) FROM portal_payments \
        WHERE org_id = $1 AND customer_id = $2) AS unapplied_payments, \
     (SELECT CAST(COALESCE(SUM(balance_minor), 0) AS BIGINT) FROM portal_invoices \
        WHERE org_id = $1 AND customer_id = $2 AND kind = 'retainer' \
        AND status IN ('sent', 'partially_paid')) AS outstanding_retainers, \
     (SELECT CAST(COALESCE(SUM(paid_minor - retainer_drawn_minor), 0) AS BIGINT) FROM portal_invoices \
        WHERE org_id = $1 AND customer_id = $2 AND kind = 'retainer') AS retainer_payments, \
     (SELECT amount_minor FROM portal_payments WHERE org_id = $1 AND customer_id = $2 \
        ORDER BY paid_at DESC, id DESC LIMIT 1) AS last_amount, \
     (SELECT paid_at FROM portal_payments WHERE org_id = $1 AND customer_id = $2 \
        ORDER BY paid_at DESC, id DESC LIMIT 1) AS last_paid_at, \
     (SELECT COUNT(*) FROM portal_quotes WHERE org_id = $1 AND customer_id = $2 \
        AND status = 'sent' AND expiry_date >= $3) AS quotes_awaiting \
     FROM portal_customers c WHERE c.org_id = $1 AND c.id = $2";

/// What a customer's documents add up to (every invoice, payment, credit note and
/// refund), to keep it under the library's per-customer ceiling.
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
pub(crate) const STATEMENT_AGING: &str = "SELECT \
     CAST(COALESCE(SUM(CASE WHEN $3 - due_date <= 0 THEN open_minor ELSE 0 END), 0) AS BIGINT) AS current_minor, \
     CAST(COALESCE(SUM(CASE WHEN $3 - due_date BETWEEN 1 AND 30 THEN open_minor ELSE 0 END), 0) AS BIGINT) AS d1_30, \
     CAST(COALESCE(SUM(CASE WHEN $3 - due_date BETWEEN 31 AND 60 THEN open_minor ELSE 0 END), 0) AS BIGINT) AS d31_60, \
     CAST(COALESCE(SUM(CASE WHEN $3 - due_date BETWEEN 61 AND 90 THEN open_minor ELSE 0 END), 0) AS BIGINT) AS d61_90, \
     CAST(COALESCE(SUM(CASE WHEN $3 - due_date > 90 THEN open_minor ELSE 0 END), 0) AS BIGINT) AS over_90 \
     FROM (SELECT i.due_date, i.total_minor \
        - COALESCE((SELECT SUM(a.amount_minor) FROM portal_payment_allocations a \
            JOIN portal_payments p ON p.id = a.payment_id \
            WHERE a.invoice_id = i.id AND p.paid_on <= $3), 0) \
        - COALESCE((SELECT SUM(c.amount_minor) FROM portal_credit_applications c \
            WHERE c.invoice_id = i.id AND c.applied_on <= $3), 0) AS open_minor \
        FROM portal_invoices i WHERE i.org_id = $1 AND i.customer_id = $2 AND i.kind = 'invoice' \
        AND i.status NOT IN ('draft', 'void') AND i.issue_date <= $3) open_invoices";
