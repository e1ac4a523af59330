-- Refunds: money paid back out of a credit note's balance or a payment's excess.

CREATE TABLE portal_refunds (
    id            uuid PRIMARY KEY,
    org_id        uuid        NOT NULL REFERENCES portal_orgs (id),
    customer_id   uuid        NOT NULL REFERENCES portal_customers (id),
    source_kind   text        NOT NULL CHECK (source_kind IN ('credit_note', 'payment', 'retainer')),
    source_id     uuid        NOT NULL,
    currency      char(3)     NOT NULL,
    amount_minor  bigint      NOT NULL CHECK (amount_minor > 0),
    mode          text        NOT NULL,
    refunded_at   timestamptz NOT NULL,
    refunded_on   bigint      NOT NULL
);
CREATE INDEX portal_refunds_customer ON portal_refunds (org_id, customer_id, refunded_at, id);
CREATE INDEX portal_refunds_by_day ON portal_refunds (org_id, customer_id, refunded_on);
