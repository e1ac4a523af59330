//! Sales order statements. Both engines run them as written.

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
