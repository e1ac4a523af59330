//! Document link statements. Both engines run them as written.

pub(crate) const LIVE_CONTACT_OF_CUSTOMER: &str = "SELECT id FROM portal_contacts \
     WHERE org_id = $1 AND customer_id = $2 AND id = $3 AND deleted_at IS NULL";
pub(crate) const INSERT_LINK: &str = "INSERT INTO portal_document_links \
     (id, org_id, customer_id, contact_id, document, actions, token_hash, created_at, expires_at, \
     revoked_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)";
macro_rules! link_cols {
    () => {
        "id, org_id, customer_id, contact_id, document, actions, token_hash, created_at, expires_at, \
         revoked_at"
    };
}
pub(crate) const LINK_BY_HASH: &str = concat!(
    "SELECT ",
    link_cols!(),
    " FROM portal_document_links WHERE token_hash = $1"
);
/// [`LINK_BY_HASH`] within the organization the token names (`$2`).
pub(crate) const LINK_BY_HASH_IN_ORG: &str = concat!(
    "SELECT ",
    link_cols!(),
    " FROM portal_document_links WHERE org_id = $2 AND token_hash = $1"
);
pub(crate) const CUSTOMER_LINKS: &str = concat!(
    "SELECT ",
    link_cols!(),
    " FROM portal_document_links WHERE org_id = $1 AND customer_id = $2 ORDER BY id DESC"
);
pub(crate) const REVOKE_LINK: &str = concat!(
    "UPDATE portal_document_links SET revoked_at = COALESCE(revoked_at, $3) \
     WHERE org_id = $1 AND id = $2 RETURNING ",
    link_cols!()
);
