//! Credit notes, credit applications, retainer credit and refunds (I11). Both engines run them as written.

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
pub(crate) const SELECT_CUSTOMER_CREDIT_NOTE: &str = "SELECT id, org_id, customer_id, number, \
     currency, total_minor, balance_minor, issue_date, created_at FROM portal_credit_notes \
     WHERE org_id = $1 AND customer_id = $2 AND id = $3";
