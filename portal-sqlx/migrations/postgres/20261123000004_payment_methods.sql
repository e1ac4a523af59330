-- Saved payment methods: the gateway's token, brand and last four digits, expiry
-- and billing address. Never a card number or CVV.

CREATE TABLE portal_payment_methods (
    id               uuid PRIMARY KEY,
    org_id           uuid        NOT NULL REFERENCES portal_orgs (id),
    customer_id      uuid        NOT NULL REFERENCES portal_customers (id),
    gateway          text        NOT NULL,
    token            text        NOT NULL,
    method           jsonb       NOT NULL,
    exp_month        bigint      CHECK (exp_month BETWEEN 1 AND 12),
    exp_year         bigint,
    billing_address  jsonb       NOT NULL,
    created_at       timestamptz NOT NULL,
    version          bigint      NOT NULL
);
CREATE INDEX portal_payment_methods_customer ON portal_payment_methods (org_id, customer_id, id);
