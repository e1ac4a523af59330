//! Review statements (N2). Both engines run them as written.

pub(crate) const CONTACT_OF_CUSTOMER: &str = "SELECT id FROM portal_contacts \
     WHERE org_id = $1 AND customer_id = $2 AND id = $3";
pub(crate) const INSERT_REVIEW: &str = "INSERT INTO portal_reviews \
     (id, org_id, customer_id, contact_id, body, created_at) VALUES ($1, $2, $3, $4, $5, $6)";
pub(crate) const SELECT_REVIEWS: &str = "SELECT id, org_id, customer_id, contact_id, body, created_at \
     FROM portal_reviews WHERE org_id = $1 AND customer_id = $2 ORDER BY created_at DESC, id DESC";
