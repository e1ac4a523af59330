//! Quote statements (Q1–Q3). Both engines run them as written.

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
