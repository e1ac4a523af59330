-- Refunds: money paid back out of a credit note's balance or a payment's excess.

CREATE TABLE portal_refunds (
    id            BLOB PRIMARY KEY NOT NULL CHECK (length(id) = 16),
    org_id        BLOB        NOT NULL REFERENCES portal_orgs (id),
    customer_id   BLOB        NOT NULL REFERENCES portal_customers (id),
    source_kind   TEXT        NOT NULL CHECK (source_kind IN ('credit_note', 'payment', 'retainer')),
    source_id     BLOB        NOT NULL,
    currency      TEXT     NOT NULL,
    amount_minor  INTEGER      NOT NULL CHECK (amount_minor > 0),
    mode          TEXT        NOT NULL,
    refunded_at   INTEGER NOT NULL,
    refunded_on   INTEGER      NOT NULL
) STRICT;
CREATE INDEX portal_refunds_customer ON portal_refunds (org_id, customer_id, refunded_at, id);
CREATE INDEX portal_refunds_by_day ON portal_refunds (org_id, customer_id, refunded_on);
