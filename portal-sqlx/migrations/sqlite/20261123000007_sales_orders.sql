-- Sales orders and the invoices raised from them.

CREATE TABLE portal_sales_orders (
    id             BLOB PRIMARY KEY NOT NULL CHECK (length(id) = 16),
    org_id         BLOB        NOT NULL REFERENCES portal_orgs (id),
    customer_id    BLOB        NOT NULL REFERENCES portal_customers (id),
    number         TEXT        NOT NULL,
    status         TEXT        NOT NULL
                   CHECK (status IN ('draft', 'open', 'partially_invoiced', 'invoiced', 'closed', 'void')),
    lines          TEXT       NOT NULL,
    currency       TEXT     NOT NULL,
    total_minor    INTEGER      NOT NULL CHECK (total_minor >= 0),
    order_date     INTEGER      NOT NULL,
    shipment_date  INTEGER,
    invoices       TEXT       NOT NULL,
    viewed_at      INTEGER,
    created_at     INTEGER NOT NULL,
    version        INTEGER      NOT NULL,
    CONSTRAINT portal_sales_orders_number_key UNIQUE (org_id, number)
) STRICT;
CREATE INDEX portal_sales_orders_by_date ON portal_sales_orders (org_id, customer_id, order_date, id);
CREATE INDEX portal_sales_orders_by_total ON portal_sales_orders (org_id, customer_id, total_minor, id);
