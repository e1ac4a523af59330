//! Comment statements (N1). Both engines run them as written.

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
