-- Saved payment methods: the gateway's token, brand and last four digits, expiry
-- and billing address. Never a card number or CVV.

CREATE TABLE portal_payment_methods (
    id               BLOB PRIMARY KEY NOT NULL CHECK (length(id) = 16),
    org_id           BLOB        NOT NULL REFERENCES portal_orgs (id),
    customer_id      BLOB        NOT NULL REFERENCES portal_customers (id),
    gateway          TEXT        NOT NULL,
    token            TEXT        NOT NULL,
    method           TEXT       NOT NULL,
    exp_month        INTEGER      CHECK (exp_month BETWEEN 1 AND 12),
    exp_year         INTEGER,
    billing_address  TEXT       NOT NULL,
    created_at       INTEGER NOT NULL,
    version          INTEGER      NOT NULL
) STRICT;
CREATE INDEX portal_payment_methods_customer ON portal_payment_methods (org_id, customer_id, id);
