-- Sales orders and the invoices raised from them.

CREATE TABLE portal_sales_orders (
    id             uuid PRIMARY KEY,
    org_id         uuid        NOT NULL REFERENCES portal_orgs (id),
    customer_id    uuid        NOT NULL REFERENCES portal_customers (id),
    number         text        NOT NULL,
    status         text        NOT NULL
                   CHECK (status IN ('draft', 'open', 'partially_invoiced', 'invoiced', 'closed', 'void')),
    lines          jsonb       NOT NULL,
    currency       char(3)     NOT NULL,
    total_minor    bigint      NOT NULL CHECK (total_minor >= 0),
    order_date     bigint      NOT NULL,
    shipment_date  bigint,
    invoices       jsonb       NOT NULL,
    viewed_at      timestamptz,
    created_at     timestamptz NOT NULL,
    version        bigint      NOT NULL,
    CONSTRAINT portal_sales_orders_number_key UNIQUE (org_id, number)
);
CREATE INDEX portal_sales_orders_by_date ON portal_sales_orders (org_id, customer_id, order_date, id);
CREATE INDEX portal_sales_orders_by_total ON portal_sales_orders (org_id, customer_id, total_minor, id);
