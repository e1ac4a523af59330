//! Shared file and file bytes statements (D4). Both engines run them as written.

macro_rules! file_cols {
    () => {
        "id, org_id, customer_id, name, content_type, size_bytes, sha256, uploaded_by, created_at"
    };
}

pub(crate) const INSERT_FILE: &str = concat!(
    "INSERT INTO portal_files (",
    file_cols!(),
    ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
);
pub(crate) const SELECT_CUSTOMER_FILE: &str = concat!(
    "SELECT ",
    file_cols!(),
    " FROM portal_files WHERE org_id = $1 AND customer_id = $2 AND id = $3"
);
/// The customer's files, newest first: `$3, $4` the cursor, `$5` the limit.
pub(crate) const CUSTOMER_FILES: &str = concat!(
    "SELECT ",
    file_cols!(),
    " FROM portal_files WHERE org_id = $1 AND customer_id = $2 \
     AND (CAST(0 AS BIGINT), id) < ($3, $4) ORDER BY id DESC LIMIT $5"
);
pub(crate) const DELETE_FILE_RECORD: &str =
    "DELETE FROM portal_files WHERE org_id = $1 AND customer_id = $2 AND id = $3";
pub(crate) const INSERT_BLOB: &str =
    "INSERT INTO portal_file_blobs (org_id, id, bytes) VALUES ($1, $2, $3)";
pub(crate) const SELECT_BLOB: &str =
    "SELECT bytes FROM portal_file_blobs WHERE org_id = $1 AND id = $2";
pub(crate) const DELETE_BLOB: &str = "DELETE FROM portal_file_blobs WHERE org_id = $1 AND id = $2";
