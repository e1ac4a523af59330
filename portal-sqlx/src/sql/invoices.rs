//! Invoice statements (I1, I2). Both engines run them as written.

macro_rules! invoice_cols {
    () => {
        "id, org_id, customer_id, kind, number, status, lines, currency, total_minor, paid_minor, \
         credited_minor, balance_minor, issue_date, due_date, allow_partial_payments, \
         payment_gateways, viewed_at, created_at, version, retainer_drawn_minor, reserved_minor"
    };
}

pub(crate) use invoice_cols;

pub(crate) const INSERT_INVOICE: &str = concat!(
    "INSERT INTO portal_invoices (",
    invoice_cols!(),
    ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, \
     $20, $21)"
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
     balance_minor = $4, status = $5, version = version + 1 WHERE id = $1 AND org_id = $6";
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
