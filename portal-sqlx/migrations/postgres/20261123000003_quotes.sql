-- Quotes (with their acceptance signature bound to a content hash) and comments on
-- quotes and invoices.

CREATE TABLE portal_quotes (
    id              uuid PRIMARY KEY,
    org_id          uuid        NOT NULL REFERENCES portal_orgs (id),
    customer_id     uuid        NOT NULL REFERENCES portal_customers (id),
    number          text        NOT NULL,
    revision        bigint      NOT NULL CHECK (revision >= 1),
    status          text        NOT NULL
                    CHECK (status IN ('draft', 'sent', 'accepted', 'declined', 'invoiced')),
    lines           jsonb       NOT NULL,
    currency        char(3)     NOT NULL,
    total_minor     bigint      NOT NULL CHECK (total_minor >= 0),
    issue_date      bigint      NOT NULL,
    expiry_date     bigint      NOT NULL CHECK (expiry_date >= issue_date),
    viewed_at       timestamptz,
    decided_at      timestamptz,
    signature       jsonb,
    decline_reason  text,
    invoice_id      uuid REFERENCES portal_invoices (id),
    created_at      timestamptz NOT NULL,
    version         bigint      NOT NULL,
    CONSTRAINT portal_quotes_number_key UNIQUE (org_id, number)
);
CREATE INDEX portal_quotes_customer_status ON portal_quotes (org_id, customer_id, status, expiry_date);
CREATE INDEX portal_quotes_by_issue ON portal_quotes (org_id, customer_id, issue_date, id);
CREATE INDEX portal_quotes_by_expiry ON portal_quotes (org_id, customer_id, expiry_date, id);
CREATE INDEX portal_quotes_by_total ON portal_quotes (org_id, customer_id, total_minor, id);

CREATE TABLE portal_comments (
    id              uuid PRIMARY KEY,
    org_id          uuid        NOT NULL REFERENCES portal_orgs (id),
    customer_id     uuid        NOT NULL REFERENCES portal_customers (id),
    target_kind     text        NOT NULL CHECK (target_kind IN ('quote', 'invoice')),
    target_id       uuid        NOT NULL,
    author_contact  uuid REFERENCES portal_contacts (id),
    body            text        NOT NULL CHECK (length(body) BETWEEN 1 AND 5000),
    show_in_portal  boolean     NOT NULL,
    created_at      timestamptz NOT NULL
);
CREATE INDEX portal_comments_target ON portal_comments (org_id, customer_id, target_kind, target_id, created_at);
