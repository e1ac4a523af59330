//! Saved payment method statements (I5). Both engines run them as written.

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
