//! Money statements both engines run as written.

macro_rules! invoice_cols {
    () => {
        "id, org_id, customer_id, kind, number, status, lines, currency, total_minor, paid_minor, \
         credited_minor, balance_minor, issue_date, due_date, allow_partial_payments, \
         payment_gateways, viewed_at, created_at, version, retainer_drawn_minor"
    };
}
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
pub(crate) use {attempt_cols, invoice_cols};

pub(crate) const INSERT_INVOICE: &str = concat!(
    "INSERT INTO portal_invoices (",
    invoice_cols!(),
    ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, \
     $20)"
);
pub(crate) const SELECT_INVOICE: &str = concat!(
    "SELECT ",
    invoice_cols!(),
    " FROM portal_invoices WHERE org_id = $1 AND id = $2"
);
pub(crate) const SELECT_CUSTOMER_INVOICE: &str = concat!(
    "SELECT ",
    invoice_cols!(),
    " FROM portal_invoices WHERE org_id = $1 AND customer_id = $2 AND id = $3 AND status <> 'draft'"
);
pub(crate) const UPDATE_INVOICE: &str = concat!(
    "UPDATE portal_invoices SET kind = $4, number = $5, status = $6, lines = $7, total_minor = $8, \
     paid_minor = $9, credited_minor = $10, balance_minor = $11, issue_date = $12, due_date = $13, \
     allow_partial_payments = $14, payment_gateways = $15, version = version + 1 \
     WHERE org_id = $1 AND id = $2 AND version = $3 RETURNING ",
    invoice_cols!()
);
pub(crate) const INVOICE_VERSION: &str =
    "SELECT version FROM portal_invoices WHERE org_id = $1 AND id = $2";
pub(crate) const SETTLE_INVOICE: &str = "UPDATE portal_invoices SET paid_minor = $2, credited_minor = $3, \
     balance_minor = $4, status = $5, version = version + 1 WHERE id = $1";
pub(crate) const MARK_INVOICE_VIEWED: &str = concat!(
    "UPDATE portal_invoices SET viewed_at = $4 WHERE org_id = $1 AND customer_id = $2 AND id = $3 \
     AND status <> 'draft' AND viewed_at IS NULL RETURNING ",
    invoice_cols!()
);

/// The customer's invoices by keyset: `$3..$6` statuses, `$7, $8` kinds, `$9` due
/// before, `$10, $11` the cursor, `$12` the limit.
macro_rules! invoice_page {
    ($key:literal, $cmp:literal, $dir:literal) => {
        concat!(
            "SELECT ",
            invoice_cols!(),
            " FROM portal_invoices WHERE org_id = $1 AND customer_id = $2 \
             AND status IN ($3, $4, $5, $6) AND kind IN ($7, $8) AND due_date < $9 AND (",
            $key,
            ", id) ",
            $cmp,
            " ($10, $11) ORDER BY ",
            $key,
            " ",
            $dir,
            ", id ",
            $dir,
            " LIMIT $12"
        )
    };
}
pub(crate) const INVOICES_BY_ISSUE_ASC: &str = invoice_page!("issue_date", ">", "ASC");
pub(crate) const INVOICES_BY_ISSUE_DESC: &str = invoice_page!("issue_date", "<", "DESC");
pub(crate) const INVOICES_BY_DUE_ASC: &str = invoice_page!("due_date", ">", "ASC");
pub(crate) const INVOICES_BY_DUE_DESC: &str = invoice_page!("due_date", "<", "DESC");
pub(crate) const INVOICES_BY_TOTAL_ASC: &str = invoice_page!("total_minor", ">", "ASC");
pub(crate) const INVOICES_BY_TOTAL_DESC: &str = invoice_page!("total_minor", "<", "DESC");
pub(crate) const INVOICES_BY_BALANCE_ASC: &str = invoice_page!("balance_minor", ">", "ASC");
pub(crate) const INVOICES_BY_BALANCE_DESC: &str = invoice_page!("balance_minor", "<", "DESC");

pub(crate) const CUSTOMER_CURRENCY: &str =
    "SELECT currency FROM portal_customers WHERE org_id = $1 AND id = $2 AND deleted_at IS NULL";

pub(crate) const INSERT_PAYMENT: &str = concat!(
    "INSERT INTO portal_payments (",
    payment_cols!(),
    ", paid_on) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"
);
pub(crate) const INSERT_ALLOCATION: &str = "INSERT INTO portal_payment_allocations \
     (payment_id, invoice_id, org_id, customer_id, position, amount_minor) VALUES ($1, $2, $3, $4, $5, $6)";
pub(crate) const SELECT_CUSTOMER_PAYMENT: &str = concat!(
    "SELECT ",
    payment_cols!(),
    " FROM portal_payments WHERE org_id = $1 AND customer_id = $2 AND id = $3"
);
pub(crate) const SELECT_ALLOCATIONS_OF_PAYMENT: &str = "SELECT payment_id, invoice_id, amount_minor \
     FROM portal_payment_allocations WHERE payment_id = $1 ORDER BY position";
pub(crate) const SELECT_PAYMENT_PAGE: &str = concat!(
    "SELECT ",
    payment_cols!(),
    " FROM portal_payments WHERE org_id = $1 AND customer_id = $2 AND (paid_at, id) < ($3, $4) \
     ORDER BY paid_at DESC, id DESC LIMIT $5"
);
pub(crate) const SELECT_PAYMENT_PAGE_ALLOCATIONS: &str = "SELECT payment_id, invoice_id, amount_minor \
     FROM portal_payment_allocations WHERE org_id = $1 AND customer_id = $2 AND payment_id IN \
     (SELECT id FROM portal_payments WHERE org_id = $1 AND customer_id = $2 AND (paid_at, id) < ($3, $4) \
     ORDER BY paid_at DESC, id DESC LIMIT $5) ORDER BY payment_id, position";

pub(crate) const INSERT_ATTEMPT: &str = concat!(
    "INSERT INTO portal_payment_attempts (",
    attempt_cols!(),
    ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) \
     ON CONFLICT (org_id, idempotency_key) DO NOTHING"
);
pub(crate) const SELECT_ATTEMPT_BY_KEY: &str = concat!(
    "SELECT ",
    attempt_cols!(),
    " FROM portal_payment_attempts WHERE org_id = $1 AND idempotency_key = $2"
);
pub(crate) const FAIL_ATTEMPT: &str = "UPDATE portal_payment_attempts SET status = 'failed', \
     failure_code = $3, failure_message = $4 WHERE org_id = $1 AND id = $2 AND status = 'pending'";
pub(crate) const ATTEMPT_EXISTS: &str =
    "SELECT status FROM portal_payment_attempts WHERE org_id = $1 AND id = $2";
pub(crate) const SUCCEED_ATTEMPT: &str = "UPDATE portal_payment_attempts SET status = 'succeeded', \
     payment_id = $2 WHERE id = $1 AND status = 'pending'";
pub(crate) const SUM_RESERVED: &str = "SELECT CAST(COALESCE(SUM(amount_minor), 0) AS BIGINT) \
     AS reserved FROM portal_payment_reservations WHERE org_id = $1 AND invoice_id = $2";
pub(crate) const INSERT_RESERVATION: &str = "INSERT INTO portal_payment_reservations \
     (attempt_id, invoice_id, org_id, amount_minor) VALUES ($1, $2, $3, $4)";
pub(crate) const RELEASE_RESERVATIONS: &str =
    "DELETE FROM portal_payment_reservations WHERE attempt_id = $1";
pub(crate) const SELECT_PENDING_ATTEMPTS: &str = concat!(
    "SELECT ",
    attempt_cols!(),
    " FROM portal_payment_attempts WHERE status = 'pending' AND created_at < $1 \
     ORDER BY created_at, id LIMIT $2"
);

pub(crate) const INSERT_CREDIT_NOTE: &str = "INSERT INTO portal_credit_notes \
     (id, org_id, customer_id, number, currency, total_minor, balance_minor, issue_date, created_at) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";
pub(crate) const SELECT_CREDIT_NOTE_CREDITS: &str = "SELECT id, number, currency, balance_minor, issue_date \
     FROM portal_credit_notes WHERE org_id = $1 AND customer_id = $2 AND balance_minor > 0";
pub(crate) const SELECT_PAYMENT_CREDITS: &str = "SELECT id, receipt_number, currency, unapplied_minor, paid_at \
     FROM portal_payments WHERE org_id = $1 AND customer_id = $2 AND unapplied_minor > 0";
pub(crate) const USE_CREDIT_NOTE: &str = "UPDATE portal_credit_notes SET balance_minor = balance_minor - $4 \
     WHERE org_id = $1 AND customer_id = $2 AND id = $3 AND balance_minor >= $4";
pub(crate) const USE_PAYMENT_CREDIT: &str = "UPDATE portal_payments SET unapplied_minor = unapplied_minor - $4 \
     WHERE org_id = $1 AND customer_id = $2 AND id = $3 AND unapplied_minor >= $4";
pub(crate) const CREDIT_NOTE_EXISTS: &str =
    "SELECT id FROM portal_credit_notes WHERE org_id = $1 AND customer_id = $2 AND id = $3";
pub(crate) const PAYMENT_EXISTS: &str =
    "SELECT id FROM portal_payments WHERE org_id = $1 AND customer_id = $2 AND id = $3";
pub(crate) const INSERT_CREDIT_APPLICATION: &str = "INSERT INTO portal_credit_applications \
     (id, org_id, customer_id, source_kind, source_id, invoice_id, amount_minor, applied_at, \
     applied_on) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";

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

macro_rules! quote_cols {
    () => {
        "id, org_id, customer_id, number, revision, status, lines, currency, total_minor, issue_date, \
         expiry_date, viewed_at, decided_at, signature, decline_reason, invoice_id, created_at, version"
    };
}

pub(crate) const INSERT_QUOTE: &str = concat!(
    "INSERT INTO portal_quotes (",
    quote_cols!(),
    ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)"
);
pub(crate) const SELECT_QUOTE: &str = concat!(
    "SELECT ",
    quote_cols!(),
    " FROM portal_quotes WHERE org_id = $1 AND id = $2"
);
pub(crate) const SELECT_CUSTOMER_QUOTE: &str = concat!(
    "SELECT ",
    quote_cols!(),
    " FROM portal_quotes WHERE org_id = $1 AND customer_id = $2 AND id = $3 AND status <> 'draft'"
);
pub(crate) const UPDATE_QUOTE: &str = concat!(
    "UPDATE portal_quotes SET number = $4, revision = $5, status = $6, lines = $7, total_minor = $8, \
     issue_date = $9, expiry_date = $10, decided_at = $11, signature = $12, decline_reason = $13, \
     invoice_id = $14, version = version + 1 WHERE org_id = $1 AND id = $2 AND version = $3 RETURNING ",
    quote_cols!()
);
pub(crate) const QUOTE_VERSION: &str =
    "SELECT version FROM portal_quotes WHERE org_id = $1 AND id = $2";
pub(crate) const MARK_QUOTE_VIEWED: &str = concat!(
    "UPDATE portal_quotes SET viewed_at = $4 WHERE org_id = $1 AND customer_id = $2 AND id = $3 \
     AND status <> 'draft' AND viewed_at IS NULL RETURNING ",
    quote_cols!()
);
pub(crate) const DECIDE_QUOTE: &str = concat!(
    "UPDATE portal_quotes SET status = $5, signature = $6, decline_reason = $7, decided_at = $8, \
     version = version + 1 WHERE org_id = $1 AND customer_id = $2 AND id = $3 AND version = $4 \
     AND status = 'sent' RETURNING ",
    quote_cols!()
);

/// The customer's quotes by keyset: `$3..$6` statuses, `$7 <= expiry < $8`, `$9, $10`
/// the cursor, `$11` the limit.
macro_rules! quote_page {
    ($key:literal, $cmp:literal, $dir:literal) => {
        concat!(
            "SELECT ",
            quote_cols!(),
            " FROM portal_quotes WHERE org_id = $1 AND customer_id = $2 \
             AND status IN ($3, $4, $5, $6) AND expiry_date >= $7 AND expiry_date < $8 AND (",
            $key,
            ", id) ",
            $cmp,
            " ($9, $10) ORDER BY ",
            $key,
            " ",
            $dir,
            ", id ",
            $dir,
            " LIMIT $11"
        )
    };
}
pub(crate) const QUOTES_BY_ISSUE_ASC: &str = quote_page!("issue_date", ">", "ASC");
pub(crate) const QUOTES_BY_ISSUE_DESC: &str = quote_page!("issue_date", "<", "DESC");
pub(crate) const QUOTES_BY_EXPIRY_ASC: &str = quote_page!("expiry_date", ">", "ASC");
pub(crate) const QUOTES_BY_EXPIRY_DESC: &str = quote_page!("expiry_date", "<", "DESC");
pub(crate) const QUOTES_BY_TOTAL_ASC: &str = quote_page!("total_minor", ">", "ASC");
pub(crate) const QUOTES_BY_TOTAL_DESC: &str = quote_page!("total_minor", "<", "DESC");

pub(crate) const INSERT_COMMENT: &str = "INSERT INTO portal_comments (id, org_id, customer_id, \
     target_kind, target_id, author_contact, body, show_in_portal, created_at) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";
pub(crate) const SELECT_COMMENTS: &str = "SELECT id, org_id, customer_id, target_kind, target_id, \
     author_contact, body, show_in_portal, created_at FROM portal_comments \
     WHERE org_id = $1 AND customer_id = $2 AND target_kind = $3 AND target_id = $4 \
     AND (show_in_portal OR $5 = 0) ORDER BY created_at, id";
pub(crate) const QUOTE_OF_CUSTOMER: &str =
    "SELECT id FROM portal_quotes WHERE org_id = $1 AND customer_id = $2 AND id = $3";
pub(crate) const INVOICE_OF_CUSTOMER: &str =
    "SELECT id FROM portal_invoices WHERE org_id = $1 AND customer_id = $2 AND id = $3";

macro_rules! method_cols {
    () => {
        "id, org_id, customer_id, gateway, token, method, exp_month, exp_year, billing_address, \
         created_at, version"
    };
}

pub(crate) const INSERT_METHOD: &str = concat!(
    "INSERT INTO portal_payment_methods (",
    method_cols!(),
    ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"
);
pub(crate) const SELECT_METHODS: &str = concat!(
    "SELECT ",
    method_cols!(),
    " FROM portal_payment_methods WHERE org_id = $1 AND customer_id = $2 ORDER BY id"
);
pub(crate) const SELECT_METHOD: &str = concat!(
    "SELECT ",
    method_cols!(),
    " FROM portal_payment_methods WHERE org_id = $1 AND customer_id = $2 AND id = $3"
);
pub(crate) const UPDATE_METHOD: &str = concat!(
    "UPDATE portal_payment_methods SET exp_month = $5, exp_year = $6, billing_address = $7, \
     version = version + 1 WHERE org_id = $1 AND customer_id = $2 AND id = $3 AND version = $4 \
     RETURNING ",
    method_cols!()
);
pub(crate) const DELETE_METHOD: &str =
    "DELETE FROM portal_payment_methods WHERE org_id = $1 AND customer_id = $2 AND id = $3";

pub(crate) const INSERT_REFUND: &str = "INSERT INTO portal_refunds (id, org_id, customer_id, \
     source_kind, source_id, currency, amount_minor, mode, refunded_at, refunded_on) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)";
pub(crate) const SELECT_REFUNDS: &str = "SELECT id, org_id, customer_id, source_kind, source_id, \
     currency, amount_minor, mode, refunded_at FROM portal_refunds \
     WHERE org_id = $1 AND customer_id = $2 ORDER BY refunded_at DESC, id DESC";

pub(crate) const USE_RETAINER: &str = "UPDATE portal_invoices \
     SET retainer_drawn_minor = retainer_drawn_minor + $4, version = version + 1 \
     WHERE org_id = $1 AND customer_id = $2 AND id = $3 AND kind = 'retainer' \
     AND paid_minor - retainer_drawn_minor >= $4";
pub(crate) const RETAINER_EXISTS: &str = "SELECT id FROM portal_invoices \
     WHERE org_id = $1 AND customer_id = $2 AND id = $3 AND kind = 'retainer'";
pub(crate) const SELECT_RETAINER_CREDITS: &str = "SELECT id, number, currency, \
     paid_minor - retainer_drawn_minor AS available_minor, issue_date FROM portal_invoices \
     WHERE org_id = $1 AND customer_id = $2 AND kind = 'retainer' AND paid_minor > retainer_drawn_minor";

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

pub(crate) const CONTACT_OF_CUSTOMER: &str = "SELECT id FROM portal_contacts \
     WHERE org_id = $1 AND customer_id = $2 AND id = $3";
pub(crate) const INSERT_REVIEW: &str = "INSERT INTO portal_reviews \
     (id, org_id, customer_id, contact_id, body, created_at) VALUES ($1, $2, $3, $4, $5, $6)";
pub(crate) const SELECT_REVIEWS: &str = "SELECT id, org_id, customer_id, contact_id, body, created_at \
     FROM portal_reviews WHERE org_id = $1 AND customer_id = $2 ORDER BY created_at DESC, id DESC";

macro_rules! sales_order_cols {
    () => {
        "id, org_id, customer_id, number, status, lines, currency, total_minor, order_date, \
         shipment_date, invoices, viewed_at, created_at, version"
    };
}

pub(crate) const INSERT_SALES_ORDER: &str = concat!(
    "INSERT INTO portal_sales_orders (",
    sales_order_cols!(),
    ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)"
);
pub(crate) const SELECT_SALES_ORDER: &str = concat!(
    "SELECT ",
    sales_order_cols!(),
    " FROM portal_sales_orders WHERE org_id = $1 AND id = $2"
);
pub(crate) const SELECT_CUSTOMER_SALES_ORDER: &str = concat!(
    "SELECT ",
    sales_order_cols!(),
    " FROM portal_sales_orders WHERE org_id = $1 AND customer_id = $2 AND id = $3 AND status <> 'draft'"
);
pub(crate) const UPDATE_SALES_ORDER: &str = concat!(
    "UPDATE portal_sales_orders SET number = $4, status = $5, lines = $6, total_minor = $7, \
     order_date = $8, shipment_date = $9, invoices = $10, version = version + 1 \
     WHERE org_id = $1 AND id = $2 AND version = $3 RETURNING ",
    sales_order_cols!()
);
pub(crate) const SALES_ORDER_VERSION: &str =
    "SELECT version FROM portal_sales_orders WHERE org_id = $1 AND id = $2";
pub(crate) const MARK_SALES_ORDER_VIEWED: &str = concat!(
    "UPDATE portal_sales_orders SET viewed_at = $4 WHERE org_id = $1 AND customer_id = $2 AND id = $3 \
     AND status <> 'draft' AND viewed_at IS NULL RETURNING ",
    sales_order_cols!()
);

/// The customer's sales orders by keyset: `$3..$7` statuses, `$8, $9` the cursor,
/// `$10` the limit.
macro_rules! sales_order_page {
    ($key:literal, $cmp:literal, $dir:literal) => {
        concat!(
            "SELECT ",
            sales_order_cols!(),
            " FROM portal_sales_orders WHERE org_id = $1 AND customer_id = $2 \
             AND status IN ($3, $4, $5, $6, $7) AND (",
            $key,
            ", id) ",
            $cmp,
            " ($8, $9) ORDER BY ",
            $key,
            " ",
            $dir,
            ", id ",
            $dir,
            " LIMIT $10"
        )
    };
}
pub(crate) const SALES_ORDERS_BY_DATE_ASC: &str = sales_order_page!("order_date", ">", "ASC");
pub(crate) const SALES_ORDERS_BY_DATE_DESC: &str = sales_order_page!("order_date", "<", "DESC");
pub(crate) const SALES_ORDERS_BY_TOTAL_ASC: &str = sales_order_page!("total_minor", ">", "ASC");
pub(crate) const SALES_ORDERS_BY_TOTAL_DESC: &str = sales_order_page!("total_minor", "<", "DESC");
