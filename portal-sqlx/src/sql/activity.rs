//! Activity feed statements (N3). Both engines run them as written.

macro_rules! activity_cols {
    () => {
        "id, org_id, customer_id, contact_id, event, subject_kind, subject_id, summary, at"
    };
}
pub(crate) use activity_cols;

pub(crate) const INSERT_ACTIVITY: &str = concat!(
    "INSERT INTO portal_activity (",
    activity_cols!(),
    ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
);
/// The customer's activity, newest first: `$3, $4` the cursor, `$5` the limit.
pub(crate) const CUSTOMER_ACTIVITY: &str = concat!(
    "SELECT ",
    activity_cols!(),
    " FROM portal_activity WHERE org_id = $1 AND customer_id = $2 \
     AND (CAST(0 AS BIGINT), id) < ($3, $4) ORDER BY id DESC LIMIT $5"
);
